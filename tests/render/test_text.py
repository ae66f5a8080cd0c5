"""render_text: Terraform-like lines in reviewer units with impact classes, colour only
when asked (rich), policy results, exact summary line."""

from __future__ import annotations

import dataclasses

from catalog_sync.config.model import Policy
from catalog_sync.render.text import render_text
from tests.render.plans import make_plan
from tests.render.plans import mixed_plan
from tests.render.plans import product


def test_render_text_lists_each_action_and_change_in_units():
    text = render_text(mixed_plan())
    lines = text.splitlines()
    assert '  + create new  "Home loan new"  Example  [favourable]' in lines
    assert "      Fee: Monthly account fee: $5.00 every month" in lines
    assert (
        "      ~ Monthly account fee · amount: $5.00 → $6.00 (+$1.00)  [adverse]"
        in lines
    )
    assert (
        "      ~ Monthly account fee · period: 1 month → 1 year 6 months  [favourable]"
        in lines
    )
    assert any(line.startswith("  ! retire gone") for line in lines)
    assert "      + Available until: added, 1 July 2026  [adverse]" in lines
    assert lines[-1] == "Plan: 2 to create, 1 to update, 1 to retire, 0 to delete."
    assert "\033[" not in text


def test_render_text_one_rate_edit_is_one_line():
    live = {"a": product("a")}
    edited = product("a")
    edited["lendingRates"][0]["rate"] = "0.0549"
    text = render_text(make_plan({"a": edited}, live))
    field_lines = [line for line in text.splitlines() if line.startswith("      ")]
    assert field_lines == [
        "      ~ Variable rate, P&I, owner occupied: 5.24 % → 5.49 % (+25 bp)  [adverse]"
    ]


def test_render_text_colour_only_when_asked():
    coloured = render_text(mixed_plan(), color=True)
    assert "\033[1;32m+ create new\033[0m" in coloured
    assert "\033[31m[adverse]\033[0m" in coloured
    assert coloured.rstrip().endswith(
        "Plan: 2 to create, 1 to update, 1 to retire, 0 to delete."
    )


def test_render_text_no_changes():
    catalog = {"a": product("a")}
    assert render_text(make_plan(catalog, catalog)) == (
        "No changes. The live catalog matches products/.\n"
    )


def test_render_text_delete_is_marked_with_minus():
    text = render_text(make_plan({}, {"x": product("x")}, removal="delete"))
    assert '  - delete x  "Home loan x"  Example  [adverse]' in text.splitlines()
    assert text.endswith("Plan: 0 to create, 0 to update, 0 to retire, 1 to delete.\n")


def test_render_text_long_values_are_cut():
    live = {"a": product("a")}
    edited = product("a", description="x" * 500)
    line = next(
        line
        for line in render_text(make_plan({"a": edited}, live)).splitlines()
        if "Description" in line
    )
    assert len(line) < 300
    assert "…" in line


def test_render_text_control_characters_in_data_are_escaped():
    live = {"a": product("a")}
    plan = make_plan({"a": product("a", brand="Evil\x1b[2J\nBank")}, live)
    text = render_text(plan)
    assert "\x1b" not in text
    assert "Evil\\x1b[2J\\nBank" in text


def test_render_text_values_cannot_drive_the_terminal():
    """C1 controls (U+009B is CSI) and bidi overrides in product data are shown as
    escapes like everywhere else."""
    hostile = "a\x9b2Jb\u202ec"
    plan = make_plan({"a": product("a", name=hostile)}, {"a": product("a")})
    text = render_text(plan)
    assert "\x9b" not in text
    assert "\u202e" not in text
    assert "\\x9b2Jb\\u202ec" in text


def test_render_text_product_without_name_or_brand_is_its_id_alone():
    text = render_text(make_plan({}, {"x": {"productId": "x"}}, removal="delete"))
    assert "  - delete x  [adverse]" in text.splitlines()


def test_render_text_removed_field_shows_the_old_value():
    live = {"a": product("a")}
    edited = product("a")
    del edited["fees"][0]["additionalValue"]
    field_lines = [
        line
        for line in render_text(make_plan({"a": edited}, live)).splitlines()
        if line.startswith("      ")
    ]
    assert field_lines == [
        "      - Monthly account fee · period: removed (was 1 month)  [review]"
    ]


def test_render_text_shows_each_policy_rule_and_a_partial_plan():
    live = {"a": product("a")}
    edited = product("a")
    edited["lendingRates"][0]["rate"] = "0.0724"
    plan = dataclasses.replace(
        make_plan({"a": edited}, live),
        policy=Policy("block", 100),
        targets=("a",),
    )
    lines = render_text(plan).splitlines()
    assert (
        "Policy adverse_changes (block): block, 1 adverse or unclassified change blocked"
        in lines
    )
    assert (
        "Policy max_rate_change_bp (100 bp): block, 1 rate moving more than 100 bp"
        in lines
    )
    assert "    a: Variable rate, P&I, owner occupied +200 bp" in lines
    assert any(line.startswith("Partial plan: only a (--product)") for line in lines)


def test_render_text_names_a_likely_rename():
    old = product("old")
    plan = make_plan({"new": product("new", name="Home loan old")}, {"old": old})
    assert (
        'Likely productId rename: old -> new ("Home loan old"); productIds cannot '
        "change, so it stays a create plus a removal."
    ) in render_text(plan).splitlines()
