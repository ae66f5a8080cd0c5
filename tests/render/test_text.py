"""render_text: Terraform-like lines, colour only when asked, exact summary line."""

from __future__ import annotations

from catalog_sync.render.text import render_text
from tests.render.plans import make_plan
from tests.render.plans import mixed_plan
from tests.render.plans import product


def test_render_text_lists_each_action_and_field():
    text = render_text(mixed_plan())
    lines = text.splitlines()
    assert '  + create new  "Home loan new"  Example' in lines
    assert (
        '      ~ fees["Monthly account fee"].fixedAmount.amount: "5.00" -> "6.00"'
        in lines
    )
    assert (
        '      ~ fees["Monthly account fee"].additionalValue: "P1M" -> "P1Y6M"' in lines
    )
    assert any(line.startswith("  ! retire gone") for line in lines)
    assert '      + effectiveTo: "2026-07-01T00:00:00Z"' in lines
    assert lines[-1] == "Plan: 2 to create, 1 to update, 1 to retire, 0 to delete."
    assert "\033[" not in text


def test_render_text_one_rate_edit_is_one_line():
    live = {"a": product("a")}
    edited = product("a")
    edited["lendingRates"][0]["rate"] = "0.0549"
    text = render_text(make_plan({"a": edited}, live))
    field_lines = [line for line in text.splitlines() if line.startswith("      ")]
    assert field_lines == [
        '      ~ lendingRates["VARIABLE · PRINCIPAL_AND_INTEREST · OWNER_OCCUPIED"].rate: "0.0524" -> "0.0549"'
    ]


def test_render_text_colour_only_when_asked():
    coloured = render_text(mixed_plan(), color=True)
    assert "\033[32m" in coloured
    assert "\033[0m" in coloured
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
    assert '  - delete x  "Home loan x"  Example' in text.splitlines()
    assert text.endswith("Plan: 0 to create, 0 to update, 0 to retire, 1 to delete.\n")


def test_render_text_long_values_are_cut():
    live = {"a": product("a")}
    edited = product("a", description="x" * 500)
    line = next(
        line
        for line in render_text(make_plan({"a": edited}, live)).splitlines()
        if "description" in line
    )
    assert len(line) < 300
    assert line.endswith("…")


def test_render_text_control_characters_in_data_are_escaped():
    live = {"a": product("a")}
    plan = make_plan({"a": product("a", brand="Evil\x1b[2J\nBank")}, live)
    text = render_text(plan)
    assert "\x1b" not in text
    assert "Evil\\x1b[2J\\nBank" in text


def test_render_text_values_cannot_drive_the_terminal():
    """json.dumps leaves C1 controls (U+009B is CSI) and bidi overrides as they are;
    in a value from product data they are shown as escapes like everywhere else."""
    hostile = "a\x9b2Jb\u202ec"
    plan = make_plan({"a": product("a", name=hostile)}, {"a": product("a")})
    text = render_text(plan)
    assert "\x9b" not in text
    assert "\u202e" not in text
    assert "\\x9b2Jb\\u202ec" in text


def test_render_text_product_without_name_or_brand_is_its_id_alone():
    text = render_text(make_plan({}, {"x": {"productId": "x"}}, removal="delete"))
    assert "  - delete x" in text.splitlines()


def test_render_text_removed_field_shows_the_old_value():
    live = {"a": product("a")}
    edited = product("a")
    del edited["fees"][0]["additionalValue"]
    field_lines = [
        line
        for line in render_text(make_plan({"a": edited}, live)).splitlines()
        if line.startswith("      ")
    ]
    assert field_lines == ['      - fees["Monthly account fee"].additionalValue: "P1M"']
