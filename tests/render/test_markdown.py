"""render_markdown: header and summary first, policy, removals and adverse changes at the
top, one table per product in units, open when small, folded by importance when large,
always under GitHub's comment limit."""

from __future__ import annotations

import copy
import dataclasses
import time

from catalog_sync.config.model import Policy
from catalog_sync.plan.diff import FieldChange
from catalog_sync.plan.plan import Action
from catalog_sync.plan.plan import Change
from catalog_sync.render.context import RenderContext
from catalog_sync.render.markdown import MAX_MARKDOWN_CHARS
from catalog_sync.render.markdown import render_markdown
from tests.render.plans import bonus_saver
from tests.render.plans import huge_plan
from tests.render.plans import make_plan
from tests.render.plans import mixed_plan
from tests.render.plans import product

SHA = "0123456789abcdef0123456789abcdef01234567"
SCREEN = 2_500  # what a reviewer sees before scrolling, roughly


def test_render_markdown_header_names_commit_time_environment_and_what_merging_does():
    context = RenderContext(commit=SHA, planned_at="2026-12-05T10:08:30Z")
    text = render_markdown(mixed_plan(), context=context)
    assert text.startswith("### catalog-sync plan for `staging`\n\n")
    assert (
        "Planned against `staging` (https://api.example.test) from commit "
        "`0123456789ab` on 5 December 2026, 21:08 AEDT. Merging will create 2 "
        "products, update 1 product and retire 1 product in `staging`."
    ) in text
    assert SHA not in render_markdown(mixed_plan())  # only when passed in


def test_render_markdown_summary_table_counts_actions_by_impact():
    text = render_markdown(mixed_plan())
    assert (
        "| Action | Products | 🔻 adverse | 🔍 review | 🔺 favourable | ▫️ neutral |"
        in text
    )
    assert "| 🟢 Create | 2 | 0 | 0 | 2 | 0 |" in text
    assert "| 🟡 Update | 1 | 1 | 0 | 0 | 0 |" in text
    assert "| 🔴 Delete | 0 | 0 | 0 | 0 | 0 |" in text
    assert text.rstrip().endswith(
        "**Plan: 2 to create, 1 to update, 1 to retire, 0 to delete.**"
    )


def test_render_markdown_one_rate_edit_is_on_the_first_screen_with_its_impact():
    live = bonus_saver()
    edited = copy.deepcopy(live)
    edited["depositRates"][1]["rate"] = "0.0375"
    text = render_markdown(make_plan({"saver": edited}, {"saver": live}))
    row = (
        "| Bonus rate, balances up to \\$250,000 | 3.50 % | 3.75 % | +25 bp | "
        "🔺 favourable |"
    )
    assert row in text[:SCREEN]
    assert "<details>" not in text  # a small plan is shown open


def test_render_markdown_added_and_removed_fee_show_their_amounts():
    live = product("a")
    edited = copy.deepcopy(live)
    edited["fees"] = [
        {
            "name": "Paper statement fee",
            "feeType": "EVENT",
            "feeMethodUType": "fixedAmount",
            "fixedAmount": {"amount": "2.50"},
        }
    ]
    text = render_markdown(make_plan({"a": edited}, {"a": live}))
    assert "| Paper statement fee | — | \\$2.50 | added | 🔻 adverse |" in text
    assert (
        "| Monthly account fee | \\$5.00 every month | — | removed | 🔺 favourable |"
        in text
    )
    attention = text.index("**Needs attention:**")
    assert attention < text.index("#### ")
    assert "🔻 `a` Paper statement fee: added, \\$2.50 (adverse)" in text


def test_render_markdown_new_product_shows_rates_and_fees_with_the_body_folded():
    text = render_markdown(make_plan({"new": bonus_saver("new")}, {}))
    assert "| Variable rate | 1.00 %, paid every month |" in text
    assert (
        "| Bonus rate, balances up to \\$250,000 | 3.50 %, paid every month |" in text
    )
    assert "| Fee: Monthly fee | \\$5.00 every month |" in text
    assert "| Constraint: Minimum balance | \\$1,000.00 |" in text
    assert "| Eligibility: Minimum age | 18 |" in text
    summary = text.index("| Variable rate |")
    assert summary < text.index("<details><summary>Full product JSON</summary>")
    assert '"productId": "new"' in text


def test_render_markdown_retirement_shows_the_date_in_the_banks_time_zone():
    plan = make_plan({}, {"gone": product("gone")})
    plan = dataclasses.replace(
        plan,
        changes=tuple(
            dataclasses.replace(
                c, after={**(c.after or {}), "effectiveTo": "2026-12-05T15:00:00Z"}
            )
            for c in plan.changes
        ),
    )
    text = render_markdown(plan)  # 15:00 UTC is 2 a.m. the next day in Sydney
    assert "no longer offered from 6 December 2026" in text
    perth = render_markdown(dataclasses.replace(plan, timezone="Australia/Perth"))
    assert "no longer offered from 5 December 2026" in perth


def test_render_markdown_calls_out_removals_before_the_sections():
    plan = make_plan({}, {"x": product("x"), "y": product("y")}, removal="delete")
    text = render_markdown(plan)
    warning = text.index("> [!WARNING]")
    assert warning < text.index("#### ")
    assert (
        "> - 🔴 **delete `x` Home loan x (Example): deleted from the live catalog**"
        in text
    )


def test_render_markdown_policy_table_and_block():
    live = product("a")
    edited = copy.deepcopy(live)
    edited["lendingRates"][0]["rate"] = "0.0374"  # -150 bp: favourable, but too big
    plan = dataclasses.replace(
        make_plan({"a": edited}, {"a": live}), policy=Policy("warn", 100)
    )
    text = render_markdown(plan)
    assert "⛔ **Policy: blocked.** `apply` refuses this plan" in text
    assert "the `policy-override` label" in text
    assert (
        "| `max_rate_change_bp` | 100 bp | ⛔ 1 rate moving more than 100 bp: "
        "a: Variable rate, P&I, owner occupied -150 bp |"
    ) in text
    assert "| `adverse_changes` | warn | ✅ no adverse changes |" in text


def test_render_markdown_escapes_names():
    live = {"a": product("a")}
    plan = make_plan(
        {"a": product("a", name="<img src=x> *bold* [link](http://x)")}, live
    )
    text = render_markdown(plan)
    heading = next(line for line in text.splitlines() if line.startswith("#### "))
    assert "&lt;img src=x&gt; *bold*" in heading
    row = next(line for line in text.splitlines() if line.startswith("| Name |"))
    assert "\\<img src=x\\> \\*bold\\* \\[link\\](http://x)" in row


def test_render_markdown_no_changes():
    catalog = {"a": product("a")}
    text = render_markdown(make_plan(catalog, catalog))
    assert "No changes. The live catalog matches products/." in text


def test_render_markdown_small_plan_is_complete_and_open():
    text = render_markdown(mixed_plan())
    assert "not shown" not in text
    assert '"productId": "new"' in text  # a new product's body, folded
    assert "#### 🟡 <b>update</b> <code>a</code> Home loan a (Example)" in text


def test_render_markdown_large_plan_folds_products_most_important_first():
    plan = huge_plan(products=3, fields=25)
    removal = make_plan({}, {"zz": product("zz")}).changes[0]
    plan = dataclasses.replace(plan, changes=(*plan.changes, removal))
    text = render_markdown(plan)
    sections = [
        line
        for line in text.splitlines()
        if line.startswith(("<details><summary>🟠", "<details><summary>🟡"))
    ]
    assert sections[0].startswith("<details><summary>🟠 <b>retire</b> <code>zz</code>")
    assert "#### " not in text


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


def test_render_markdown_degrades_rows_before_products():
    plan = huge_plan(products=30, fields=40)
    text = render_markdown(plan)
    assert len(text) <= MAX_MARKDOWN_CHARS
    assert "<details>" in text
    assert "more products not shown" not in text
    assert "_… 20 more changes not shown_" in text
    assert (
        "… 600 more field changes not shown; run `catalog-sync show plan.json`" in text
    )


def test_render_markdown_respects_a_smaller_limit():
    text = render_markdown(mixed_plan(), limit=2500)
    assert len(text) <= 2500
    assert "run `catalog-sync show plan.json`" in text


def test_render_markdown_collapsed_list_without_removals():
    text = render_markdown(huge_plan(products=3000, fields=1))
    assert len(text) <= MAX_MARKDOWN_CHARS
    assert (
        "\n- 🟡 **update** `product-00000` Term deposit 0 (Example) (review, 1 change)\n"
        in text
    )


def test_render_markdown_newlines_in_names_stay_on_one_line():
    live = {"a": product("a")}
    plan = make_plan({"a": product("a", name="Two\nlines")}, live)
    heading = next(
        line for line in render_markdown(plan).splitlines() if line.startswith("#### ")
    )
    assert "Two\\nlines" in heading


def test_render_markdown_product_without_name_or_brand_is_its_id_alone():
    plan = make_plan({}, {"x": {"productId": "x"}}, removal="delete")
    lines = render_markdown(plan).splitlines()
    assert "> - 🔴 **delete `x`: deleted from the live catalog**" in lines
    assert "#### 🔴 <b>delete</b> <code>x</code> · 🔻 adverse" in lines


def test_render_markdown_attention_lists_50_then_counts_the_rest():
    live = {f"p{n:02d}": product(f"p{n:02d}") for n in range(53)}
    text = render_markdown(make_plan({}, live, removal="delete"))
    listed = [line for line in text.splitlines() if line.startswith("> - 🔴 **delete")]
    assert len(listed) == 50
    assert "> - … and 3 more" in text.splitlines()


def test_render_markdown_new_product_with_field_changes_shows_both():
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
                impact="neutral",
            ),
        ),
    )
    plan = dataclasses.replace(make_plan({"new": new}, {}), changes=(create,))
    text = render_markdown(plan)
    assert "| Name | — | Home loan new | added | ▫️ neutral |" in text
    assert text.index("| Name |") < text.index("Full product JSON")


def test_render_markdown_partial_plan_and_renames_are_called_out():
    plan = make_plan(
        {"new": product("new", name="Home loan old")}, {"old": product("old")}
    )
    text = render_markdown(dataclasses.replace(plan, targets=("new", "old")))
    assert "**Partial plan** (`--product`): only `new`, `old` were compared" in text
    assert "> - `old` → `new` (Home loan old)" in text


def test_render_markdown_new_product_without_anything_to_sum_up_shows_its_body():
    text = render_markdown(make_plan({"bare": {"productId": "bare"}}, {}))
    assert "| What | Value |" not in text
    assert "<details><summary>Full product JSON</summary>" in text
