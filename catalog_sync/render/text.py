"""The terminal rendering of a plan, Terraform-like: `+` create, `~` update, `!` retire,
`-` delete, one line per change in a reviewer's units with its impact class, the policy
result, ending with the counts. Colour comes from rich, only when asked (the CLI asks on
a terminal, unless NO_COLOR is set or `--no-color` is given)."""

from __future__ import annotations

from typing import assert_never

from catalog_sync.cds.impact import Impact
from catalog_sync.plan.plan import Action
from catalog_sync.plan.plan import Change
from catalog_sync.plan.plan import Plan
from catalog_sync.plan.policy import evaluate_policy
from catalog_sync.plan.renames import likely_renames
from catalog_sync.render.context import RenderContext
from catalog_sync.render.items import product_summary
from catalog_sync.render.paint import Segment
from catalog_sync.render.paint import paint
from catalog_sync.render.rows import field_row
from catalog_sync.render.rows import sentence
from catalog_sync.render.words import printable

Line = list[Segment]
_ACTION_STYLES = {"+": "green", "~": "yellow", "-": "red", "!": "magenta"}
IMPACT_STYLES: dict[Impact, str] = {
    "adverse": "red",
    "review": "magenta",
    "favourable": "green",
    "neutral": "dim",
}
_OUTCOME_STYLES = {"pass": "green", "warn": "yellow", "block": "bold red"}


def render_text(
    plan: Plan, *, color: bool = False, context: RenderContext | None = None
) -> str:
    """The plan for a terminal; ANSI colour only when `color` is true."""
    if not plan.has_changes:
        return f"No changes. The live catalog matches {_dir(plan)}.\n"
    lines: list[Line] = [
        [(f"catalog-sync will change {plan.environment} ({plan.base_url}):", None)],
        [],
    ]
    for change in plan.changes:
        lines.extend(_change_lines(change, plan))
        lines.append([])
    lines += _notes(plan)
    lines.append([(summary_line(plan), None)])
    return paint(lines, color=color)


def summary_line(plan: Plan) -> str:
    """`Plan: 2 to create, 3 to update, 1 to retire, 0 to delete.`"""
    s = plan.summary
    return (
        f"Plan: {s.create} to create, {s.update} to update, "
        f"{s.retire} to retire, {s.delete} to delete."
    )


def action_symbol(action: Action) -> str:
    """The one-character marker of an action."""
    match action:
        case Action.CREATE:
            return "+"
        case Action.UPDATE:
            return "~"
        case Action.RETIRE:
            return "!"
        case Action.DELETE:
            return "-"
        case _:
            assert_never(action)


def impact_tag(impact: Impact) -> Segment:
    return (f"[{impact}]", IMPACT_STYLES[impact])


def _dir(plan: Plan) -> str:
    return plan.products_dir.rstrip("/") + "/"


def _change_lines(change: Change, plan: Plan) -> list[Line]:
    symbol = action_symbol(change.action)
    title = f"{symbol} {change.action.value} {printable(change.product_id)}"
    header: Line = [("  ", None), (title, f"bold {_ACTION_STYLES[symbol]}")]
    header += [
        ("  " + printable(part), None)
        for part in (_quote(change.name), change.brand, change.file)
        if part
    ]
    lines = [[*header, ("  ", None), impact_tag(change.impact)]]
    for item in change.field_changes:
        row = field_row(item, plan.timezone)
        mark = {"added": "+", "removed": "-"}.get(item.kind, "~")
        text = f"      {mark} {printable(sentence(row))}"
        lines.append(
            [(text, _ACTION_STYLES[mark]), ("  ", None), impact_tag(item.impact)]
        )
    if change.action is Action.CREATE and change.after is not None:
        lines += [
            [(f"      {printable(what)}: {printable(value)}", None)]
            for what, value in product_summary(change.after)
        ]
    return lines


def _notes(plan: Plan) -> list[Line]:
    lines: list[Line] = []
    if plan.targets:
        partial = (
            f"Partial plan: only {', '.join(plan.targets)} (--product); every "
            "other product is left out and will not change."
        )
        lines.append([(partial, "yellow")])
    for rename in likely_renames(plan):
        text = (
            f"Likely productId rename: {printable(rename.old_id)} -> "
            f"{printable(rename.new_id)} ({printable(_quote(rename.name) or '')}); "
            "productIds cannot change, so it stays a create plus a removal."
        )
        lines.append([(text, None)])
    for rule in evaluate_policy(plan, plan.policy).rules:
        lines.append(
            [
                (f"Policy {rule.rule} ({rule.setting}): ", None),
                (rule.outcome, _OUTCOME_STYLES[rule.outcome]),
                (f", {rule.summary}", None),
            ]
        )
        lines += [[(f"    {printable(found)}", None)] for found in rule.findings]
    return lines


def _quote(text: str | None) -> str | None:
    return None if text is None else f'"{text}"'
