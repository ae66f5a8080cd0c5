"""The pieces of the pull-request comment (`catalog_sync.render.markdown` assembles and
sizes them): the header naming commit, time and environment, the summary table, the
policy table, the "needs attention" block, and one section per product with a table
`what | before | after | change | impact`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from collections.abc import Sequence
from dataclasses import dataclass
from typing import assert_never

from catalog_sync.cds.impact import IMPACTS
from catalog_sync.cds.impact import Impact
from catalog_sync.english import plural
from catalog_sync.plan.diff import FieldChange
from catalog_sync.plan.plan import Action
from catalog_sync.plan.plan import Change
from catalog_sync.plan.plan import Plan
from catalog_sync.plan.policy import PolicyVerdict
from catalog_sync.plan.renames import LikelyRename
from catalog_sync.render.context import RenderContext
from catalog_sync.render.items import product_summary
from catalog_sync.render.rows import Row
from catalog_sync.render.rows import field_row
from catalog_sync.render.rows import sentence
from catalog_sync.render.units import format_date
from catalog_sync.render.words import code
from catalog_sync.render.words import escape_html
from catalog_sync.render.words import escape_md

ICONS = {
    Action.CREATE: "🟢",
    Action.UPDATE: "🟡",
    Action.RETIRE: "🟠",
    Action.DELETE: "🔴",
}
IMPACT_ICONS: dict[Impact, str] = {
    "adverse": "🔻",
    "review": "🔍",
    "favourable": "🔺",
    "neutral": "▫️",
}
_OUTCOME_ICONS = {"pass": "✅", "warn": "⚠️", "block": "⛔"}


@dataclass(frozen=True, slots=True)
class Detail:
    """How much a rendering shows; each step of `LEVELS` shows less. `open` shows
    every product's table without a fold (small plans)."""

    open: bool = False
    bodies: bool = True
    max_fields: int | None = None
    sections: bool = True
    max_products: int | None = None


def impact_badge(impact: Impact) -> str:
    return f"{IMPACT_ICONS[impact]} {impact}"


def header(plan: Plan, context: RenderContext) -> str:
    """Where and when this plan was made, and what merging does."""
    where = f"{code(plan.environment)} ({escape_md(plan.base_url)})"
    said = [f"Planned against {where}"]
    if commit := context.short_commit():
        said.append(f"from commit {code(commit)}")
    if when := context.when(plan.timezone):
        said.append(f"on {escape_md(when)}")
    counts = plan.summary
    doing = [
        f"{verb} {_products(n)}"
        for verb, n in (
            ("create", counts.create),
            ("update", counts.update),
            ("retire", counts.retire),
            ("delete", counts.delete),
        )
        if n
    ]
    merge = f"Merging will {_join(doing)} in {code(plan.environment)}."
    return " ".join(said) + ". " + merge


def partial_note(plan: Plan) -> list[str]:
    if not plan.targets:
        return []
    ids = ", ".join(code(pid) for pid in plan.targets)
    return [
        "> [!WARNING]\n> **Partial plan** (`--product`): only "
        f"{ids} {'was' if len(plan.targets) == 1 else 'were'} compared. Every other "
        "product is left out and will not change."
    ]


def summary_table(plan: Plan) -> str:
    """Products per action, split by impact class."""
    heads = " | ".join(f"{IMPACT_ICONS[i]} {i}" for i in IMPACTS)
    lines = [f"| Action | Products | {heads} |", "| --- | ---: |" + " ---: |" * 4]
    for action in Action:
        impacts = [c.impact for c in plan.changes if c.action is action]
        cells = " | ".join(str(impacts.count(i)) for i in IMPACTS)
        label = action.value.capitalize()
        lines.append(f"| {ICONS[action]} {label} | {len(impacts)} | {cells} |")
    return "\n".join(lines)


def policy_table(plan: Plan, verdict: PolicyVerdict) -> list[str]:
    title = {
        "pass": "✅ **Policy: passes.**",
        "warn": "⚠️ **Policy: passes with warnings.**",
        "block": "⛔ **Policy: blocked.** `apply` refuses this plan unless it is "
        f"overridden (the {code(plan.policy.override_label)} label, added by someone "
        "with write access).",
    }[verdict.outcome]
    lines = ["| Rule | Setting | Result |", "| --- | --- | --- |"]
    for rule in verdict.rules:
        found = "; ".join(rule.findings)
        detail = f": {escape_md(found)}" if found else ""
        lines.append(
            f"| {code(rule.rule)} | {escape_md(rule.setting)} | "
            f"{_OUTCOME_ICONS[rule.outcome]} {escape_md(rule.summary)}{detail} |"
        )
    return [title, "\n".join(lines)]


def attention(plan: Plan, limit: int) -> list[str]:
    """Removals and adverse or unclassified changes, as sentences, before any section.
    Only the first `limit` are worded; the rest are counted (a plan may hold 60,000)."""
    lines: list[str] = []
    more = 0
    for change, item in _attention_items(plan):
        if len(lines) >= limit:
            more += 1
        elif item is None:
            lines.append(f"{ICONS[change.action]} **{_removal(change, plan)}**")
        else:
            row = field_row(item, plan.timezone)
            lines.append(
                f"{IMPACT_ICONS[item.impact]} {code(change.product_id)} "
                f"{escape_md(sentence(row))} ({item.impact})"
            )
    if not lines and not more:
        return []
    shown = [f"> - {line}" for line in lines]
    if more:
        shown.append(f"> - … and {more} more")
    head = "> [!WARNING]\n> **Needs attention:** removals and changes that are worse "
    head += "for customers or that the impact table does not classify (review)."
    return [head + "\n" + "\n".join(shown)]


def _attention_items(plan: Plan) -> Iterator[tuple[Change, FieldChange | None]]:
    """Removals first (None: the product itself), then adverse and review changes."""
    for change in plan.changes:
        if change.action in (Action.RETIRE, Action.DELETE):
            yield change, None
    for change in plan.changes:
        if change.action is Action.UPDATE:
            for item in change.field_changes:
                if item.impact in ("adverse", "review"):
                    yield change, item


def renames_note(renames: Sequence[LikelyRename]) -> list[str]:
    if not renames:
        return []
    lines = [
        f"> - {code(r.old_id)} → {code(r.new_id)} ({escape_md(r.name)})"
        for r in renames
    ]
    return [
        "> [!NOTE]\n> **Likely productId renames** (same name and brand). productIds "
        "cannot change at Fiskil, so this stays a new product plus a removal: "
        "customers of the old id see it end.\n" + "\n".join(lines)
    ]


def section(change: Change, plan: Plan, detail: Detail) -> tuple[str, int]:
    """One product: a heading (open) or a fold, its table; and how many rows hid."""
    rows = [field_row(item, plan.timezone) for item in change.field_changes]
    limit = len(rows) if detail.max_fields is None else detail.max_fields
    body = [*_intro(change, plan), *_table(rows[:limit])]
    hidden = len(rows) - min(limit, len(rows))
    if hidden:
        body.append(f"_… {hidden} more {plural(hidden, 'change')} not shown_")
    if change.action is Action.CREATE and change.after is not None:
        body += _new_product(change, detail.bodies)
    title = f"{ICONS[change.action]} <b>{change.action.value}</b> " + _who_html(change)
    title += f" · {impact_badge(change.impact)}"
    if rows:
        title += f" · {len(rows)} {plural(len(rows), 'change')}"
    if detail.open:
        return "\n\n".join([f"#### {title}", *body]), hidden
    inner = "\n\n".join(body)
    return f"<details><summary>{title}</summary>\n\n{inner}\n\n</details>", hidden


def list_line(change: Change) -> str:
    count = len(change.field_changes)
    changes = f", {count} {plural(count, 'change')}" if count else ""
    return (
        f"- {ICONS[change.action]} **{change.action.value}** {_who(change)} "
        f"({change.impact}{changes})"
    )


def new_products_note() -> str:
    return "new products' JSON bodies not shown"


def _intro(change: Change, plan: Plan) -> list[str]:
    lines = [f"File: {code(change.file)}"] if change.file else []
    match change.action:
        case Action.CREATE:
            lines.append("A new product; customers can take it up once applied.")
        case Action.DELETE:
            lines.append("The live product will be **deleted**.")
        case Action.RETIRE:
            lines.append(
                f"The file was removed: the live product is **retired**{_end(change, plan)}."
            )
        case Action.UPDATE:
            pass
        case _:
            assert_never(change.action)
    return lines


def _table(rows: Sequence[Row]) -> list[str]:
    if not rows:
        return []
    lines = [
        "| What | Before | After | Change | Impact |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines += [
        f"| {escape_md(r.what)} | {escape_md(r.before)} | {escape_md(r.after)} | "
        f"{escape_md(r.change)} | {impact_badge(r.impact)} |"
        for r in rows
    ]
    return ["\n".join(lines)]


def _new_product(change: Change, bodies: bool) -> list[str]:
    assert change.after is not None
    rows = product_summary(change.after)
    out = []
    if rows:
        lines = ["| What | Value |", "| --- | --- |"]
        lines += [f"| {escape_md(what)} | {escape_md(value)} |" for what, value in rows]
        out.append("\n".join(lines))
    if bodies:
        text = json.dumps(change.after, indent=2, sort_keys=True, ensure_ascii=False)
        fenced = text.replace("```", "`\u200b``")
        out.append(
            "<details><summary>Full product JSON</summary>\n\n"
            f"```json\n{fenced}\n```\n\n</details>"
        )
    return out


def _removal(change: Change, plan: Plan) -> str:
    who = f"{change.action.value} {_who(change)}"
    if change.action is Action.DELETE:
        return f"{who}: deleted from the live catalog"
    return f"{who}: no longer offered{_end(change, plan)}"


def _end(change: Change, plan: Plan) -> str:
    end = (change.after or {}).get("effectiveTo")
    return f" from {format_date(end, plan.timezone)}" if end else ""


def _who(change: Change) -> str:
    name = f" {escape_md(change.name)}" if change.name else ""
    brand = f" ({escape_md(change.brand)})" if change.brand else ""
    return f"{code(change.product_id)}{name}{brand}"


def _who_html(change: Change) -> str:
    text = f"<code>{escape_html(change.product_id)}</code>"
    if change.name:
        text += f" {escape_html(change.name)}"
    if change.brand:
        text += f" ({escape_html(change.brand)})"
    return text


def _products(count: int) -> str:
    return f"{count} {plural(count, 'product')}"


def _join(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts) or "change nothing"
    return ", ".join(parts[:-1]) + " and " + parts[-1]
