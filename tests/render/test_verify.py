"""Verify results rendered as text, Markdown and JSON (built directly: the renderers are
pure)."""

from __future__ import annotations

import json

from catalog_sync.plan.build import build_plan
from catalog_sync.plan.diff import FieldChange
from catalog_sync.render.verify import render_verify
from catalog_sync.verify.compare import ProductCheck
from catalog_sync.verify.waiting import Verification

EMPTY = build_plan(
    {},
    {},
    removal="retire",
    environment="production",
    base_url="https://bank.example",
    schema="cds-v7",
    now="2027-01-01T00:00:00Z",
)


def _result(*checks: ProductCheck, wait: float = 0.0, elapsed: float = 0.0):
    return Verification(
        environment="production",
        public_base_url="https://bank.example",
        schema="cds-v7",
        wanted_version=7,
        checks=checks,
        differences=EMPTY,
        wait_limit=wait,
        elapsed=elapsed,
        readings=3,
    )


def test_all_visible_after_an_apply_says_how_long_the_slowest_took():
    result = _result(
        ProductCheck("a", "matches", appeared_after=0.0),
        ProductCheck("b", "matches", appeared_after=134.0),
        wait=300,
        elapsed=134,
    )
    text = render_verify(result, "text", applied=True)
    assert text == (
        "Visible to customers: the public endpoint of production "
        "(https://bank.example) serves all 2 changed products as applied, within "
        "2 min 14 s.\n"
        "  appeared    b after 2 min 14 s\n"
        "Waited 2 min 14 s (at most 5 min), 3 readings.\n"
    )
    markdown = render_verify(result, "markdown", applied=True)
    assert markdown.startswith("#### ✅ Customers: Visible to customers")
    assert "| `b` | matches | appeared after 2 min 14 s |" in markdown


def test_differences_older_versions_and_unreadable_products():
    name = FieldChange("name", "name", "product", "name", "changed", "Old", "New")
    result = _result(
        ProductCheck(
            "a",
            "changed",
            name="A",
            field_changes=(name,),
            served_version=6,
            not_compared=("brandGroup", "instalments"),
        ),
        ProductCheck("b", "only-public", expected_absent=True),
        ProductCheck("c", "unreadable"),
        ProductCheck("d", "only-public"),
        wait=60,
        elapsed=60,
    )
    text = render_verify(result, "text")
    assert "differs from git after 1 min: 4 of 4 products." in text
    assert (
        "  changed     a  A: served differently\n      name: public 'Old', git 'New'"
        in text
    )
    assert "  only-public b: served, but git has no such product" in text
    assert "  unreadable  c: could not be read" in text
    assert "  only-public d: served, but should not be" in text
    note = (
        "Note: the endpoint serves only x-v 6 (older than the x-v 7 that schema "
        "cds-v7 asks for) for 1 products: compared the fields both versions share; "
        "brandGroup, instalments not compared."
    )
    assert note in text
    applied = render_verify(result, "markdown", applied=True)
    assert "#### ⚠️ Customers: Not visible to customers yet after 1 min" in applied
    assert (
        "| `a` | changed | served differently; name: public 'Old', git 'New' |"
        in applied
    )
    assert "Fiskil may hold a change for approval" in applied
    assert "Note: the endpoint serves only x-v 6 (older than" in applied
    document = json.loads(render_verify(result, "json"))
    assert document["products"][0]["not_compared"] == ["brandGroup", "instalments"]
    assert document["products"][0]["fields"] == [
        {
            "path": "name",
            "label": "name",
            "kind": "changed",
            "git": "New",
            "public": "Old",
        }
    ]


def test_nothing_to_check_matches():
    assert render_verify(_result(), "markdown") == (
        "#### ✅ Public endpoint: The public endpoint of production "
        "(https://bank.example) serves all 0 products as in git, at once.\n"
    )
