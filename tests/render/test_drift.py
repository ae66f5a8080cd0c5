"""render_drift: a plan read as drift by kind, in text, Markdown and JSON."""

from __future__ import annotations

import json

from catalog_sync.plan.plan import Plan
from catalog_sync.render.drift import drift_counts
from catalog_sync.render.drift import render_drift_markdown
from catalog_sync.render.registry import render
from tests.render.plans import make_plan
from tests.render.plans import product


def drifted() -> Plan:
    return make_plan(
        {"a": product("a", name="Git"), "b": product("b")},
        {"a": product("a"), "x": product("x")},
        removal="delete",
    )


def test_drift_counts_by_kind():
    assert drift_counts(drifted()) == {"only-in-git": 1, "only-live": 1, "changed": 1}


def test_render_drift_text():
    text = render("drift", "text", drifted())
    assert text.startswith("Drift in staging: 1 only-in-git, 1 only-live, 1 changed.")
    lines = text.splitlines()
    assert "      Name: live Home loan a, git Git" in lines
    assert (
        "      Next: `catalog-sync apply --env staging --product a` restores git's "
        "version; or `catalog-sync export --env staging --product a` accepts the live "
        "one into git (then commit it)."
    ) in lines
    assert (
        "      Next: `catalog-sync apply --env staging --product b` publishes it; or "
        "delete its file if it should not exist."
    ) in lines
    assert any("--product x` deletes it" in line for line in lines)


def test_render_drift_markdown():
    text = render("drift", "markdown", drifted())
    assert text.startswith("### Drift in `staging`")
    assert "| Only live (not in git) | 1 |" in text
    assert "- `x` (Home loan x)" in text
    assert "  - Name: live Home loan a, git Git" in text
    assert (
        "  - **Next:** `catalog-sync apply --env staging --product a` restores git's "
        "version; or `catalog-sync export --env staging --product a` accepts the live "
        "one into git (then commit it)."
    ) in text


def test_render_drift_json():
    document = json.loads(render("drift", "json", drifted()))
    assert document["format_version"] == 2
    assert document["drift"] is True
    assert [(i["kind"], i["product_id"]) for i in document["items"]] == [
        ("only-in-git", "b"),
        ("only-live", "x"),
        ("changed", "a"),
    ]
    field = document["items"][2]["fields"][0]
    assert (field["git"], field["live"]) == ("Git", "Home loan a")
    assert field["text"] == "Name: live Home loan a, git Git"
    assert field["impact"] == "neutral"
    assert document["items"][2]["next_step"].startswith(
        "`catalog-sync apply --env staging --product a`"
    )


def test_render_drift_clean():
    catalog = {"a": product("a")}
    plan = make_plan(catalog, catalog)
    assert render("drift", "text", plan) == "No drift: staging matches git.\n"
    assert "### No drift" in render("drift", "markdown", plan)
    assert json.loads(render("drift", "json", plan))["drift"] is False


def test_render_drift_markdown_is_cut_to_the_limit():
    live = {f"p{i}": product(f"p{i}") for i in range(400)}
    text = render_drift_markdown(make_plan({}, live, removal="delete"), limit=5000)
    assert len(text) <= 5000
    assert "more products not shown" in text


def test_render_drift_markdown_shows_live_values_literally():
    """Live values come from whoever edited the console: in an issue body they must not
    become HTML or links."""
    evil = "</details><img src=x> [link](https://evil.example) ``x``"
    plan = make_plan({"a": product("a", name="Git")}, {"a": product("a", name=evil)})
    text = render("drift", "markdown", plan)
    line = next(line for line in text.splitlines() if line.startswith("  - Name"))
    assert line == (
        "  - Name: live \\</details\\>\\<img src=x\\> \\[link\\](https://evil.example) "
        "\\`\\`x\\`\\`, git Git"
    )


def test_render_drift_in_units():
    live = product("a")
    git = product("a")
    git["lendingRates"][0]["rate"] = "0.0549"
    text = render("drift", "text", make_plan({"a": git}, {"a": live}))
    assert (
        "      Variable rate, P&I, owner occupied: live 5.24 %, git 5.49 % "
        "(+25 bp in git)"
    ) in text.splitlines()
