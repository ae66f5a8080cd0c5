"""render_markdown: summary first, removals called out, words and units, size bound."""

from __future__ import annotations

import dataclasses
import time

import pytest

from catalog_sync.plan.diff import FieldChange
from catalog_sync.plan.plan import Action
from catalog_sync.plan.plan import Change
from catalog_sync.render.markdown import MAX_MARKDOWN_CHARS
from catalog_sync.render.markdown import render_markdown
from tests.render.plans import huge_plan
from tests.render.plans import make_plan
from tests.render.plans import mixed_plan
from tests.render.plans import product


def test_render_markdown_starts_with_the_summary_table():
    text = render_markdown(mixed_plan())
    assert text.startswith(
        "### catalog-sync plan for `staging`\n\n| Action | Products |"
    )
    assert "| 🟢 Create | 2 |" in text
    assert "| 🔴 Delete | 0 |" in text
    assert text.rstrip().endswith(
        "**Plan: 2 to create, 1 to update, 1 to retire, 0 to delete.**"
    )


def test_render_markdown_calls_out_removals_before_the_sections():
    plan = make_plan({}, {"x": product("x"), "y": product("y")}, removal="delete")
    text = render_markdown(plan)
    warning = text.index("> [!WARNING]")
    assert warning < text.index("<details>")
    assert "**deletes 2 products**" in text
    assert "> - 🔴 delete `x` Home loan x (Example)" in text


def test_render_markdown_field_changes_in_words():
    text = render_markdown(mixed_plan())
    assert '- fee "Monthly account fee": amount $5.00 → $6.00' in text
    assert (
        '- fee "Monthly account fee": additional value 1 month → 1 year 6 months'
        in text
    )
    assert "rate 5.24 % → 5.49 % (+25 bp)" in text
    assert (
        "<details><summary>🟡 <b>update</b> <code>a</code> Home loan a (Example)</summary>"
        in text
    )
    assert "File: `products/example/a.yaml`" in text


def test_render_markdown_escapes_names():
    live = {"a": product("a")}
    plan = make_plan(
        {"a": product("a", name="<img src=x> *bold* [link](http://x)")}, live
    )
    text = render_markdown(plan)
    summary = next(line for line in text.splitlines() if "<summary>" in line)
    assert "&lt;img src=x&gt; *bold*" in summary
    sentence = next(line for line in text.splitlines() if line.startswith("- name:"))
    assert sentence.endswith('`"<img src=x> *bold* [link](http://x)"`')  # a code span


def test_render_markdown_no_changes():
    catalog = {"a": product("a")}
    text = render_markdown(make_plan(catalog, catalog))
    assert "No changes. The live catalog matches products/." in text


def test_render_markdown_small_plan_is_complete():
    text = render_markdown(mixed_plan())
    assert "not shown" not in text
    assert '"productId": "new"' in text  # a new product's body


def test_render_markdown_huge_plan_stays_under_the_limit_and_says_what_is_missing():
    plan = huge_plan(products=3000, fields=20)
    started = time.perf_counter()
    text = render_markdown(plan)
    elapsed = time.perf_counter() - started  # a hang guard; benchmarks/ measure speed
    assert len(text) <= MAX_MARKDOWN_CHARS
    assert "more products not shown" in text
    assert "60,000 more field changes not shown" in text
    assert "run `catalog-sync show plan.json`" in text
    assert text.rstrip().endswith(
        "**Plan: 0 to create, 3000 to update, 0 to retire, 0 to delete.**"
    )
    assert elapsed < 60


def test_render_markdown_degrades_field_lines_before_products():
    plan = huge_plan(products=30, fields=40)
    text = render_markdown(plan)
    assert len(text) <= MAX_MARKDOWN_CHARS
    assert "<details>" in text
    assert "more products not shown" not in text
    assert "- … 20 more field changes not shown" in text
    assert (
        "… 600 more field changes not shown; run `catalog-sync show plan.json`" in text
    )


def test_render_markdown_respects_a_smaller_limit():
    text = render_markdown(mixed_plan(), limit=1500)
    assert len(text) <= 1500
    assert "run `catalog-sync show plan.json`" in text


def test_render_markdown_collapsed_list_without_removals():
    text = render_markdown(huge_plan(products=3000, fields=1))
    assert len(text) <= MAX_MARKDOWN_CHARS
    assert "> [!WARNING]" not in text
    assert (
        "\n- 🟡 **update** `product-00000` Term deposit 0 (Example) (1 field change)\n"
        in text
    )


def test_render_markdown_newlines_in_names_stay_on_one_line():
    live = {"a": product("a")}
    plan = make_plan({"a": product("a", name="Two\nlines")}, live)
    summary = next(
        line for line in render_markdown(plan).splitlines() if "<summary>" in line
    )
    assert "Two\\nlines" in summary


@pytest.mark.parametrize(
    ("text", "span"),
    [("plain", "`plain`"), ("a`b", "`` a`b ``"), ("a``b", "``` a``b ```")],
)
def test_code_span_delimiter_is_longer_than_any_backtick_run(text, span):
    from catalog_sync.render.words import code

    assert code(text) == span


def test_render_markdown_product_without_name_or_brand_is_its_id_alone():
    plan = make_plan({}, {"x": {"productId": "x"}}, removal="delete")
    lines = render_markdown(plan).splitlines()
    assert "> - 🔴 delete `x`" in lines
    assert "<details><summary>🔴 <b>delete</b> <code>x</code></summary>" in lines


def test_render_markdown_warning_lists_50_removals_then_counts_the_rest():
    live = {f"p{n:02d}": product(f"p{n:02d}") for n in range(53)}
    text = render_markdown(make_plan({}, live, removal="delete"))
    listed = [line for line in text.splitlines() if line.startswith("> - 🔴 delete")]
    assert len(listed) == 50
    assert listed[-1] == "> - 🔴 delete `p49` Home loan p49 (Example)"
    assert "> - … and 3 more" in text.splitlines()


def test_render_markdown_new_product_body_follows_its_field_lines_after_a_blank():
    # build_plan gives a create no field changes, but a plan file may carry some.
    new = product("new")
    create = Change(
        action=Action.CREATE,
        product_id="new",
        brand="Example",
        category="RESIDENTIAL_MORTGAGES",
        name="Home loan new",
        file="products/example/new.yaml",
        before=None,
        after=new,
        field_changes=(
            FieldChange(
                path="name",
                label="name",
                subject="product",
                field="name",
                kind="added",
                after="Home loan new",
            ),
        ),
    )
    plan = dataclasses.replace(make_plan({"new": new}, {}), changes=(create,))
    text = render_markdown(plan)
    assert '- name: set to `"Home loan new"`\n\n```json\n{' in text
