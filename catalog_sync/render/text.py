"""The terminal rendering of a plan, Terraform-like: `+` create, `~` update, `!` retire,
`-` delete, one line per field change, ending with the counts."""

from __future__ import annotations

import json
from typing import Any
from typing import assert_never

from catalog_sync.plan.diff import FieldChange
from catalog_sync.plan.plan import Action
from catalog_sync.plan.plan import Change
from catalog_sync.plan.plan import Plan
from catalog_sync.render.words import printable

_RESET = "\033[0m"
_BOLD = "\033[1m"
_COLOURS = {"+": "\033[32m", "~": "\033[33m", "-": "\033[31m", "!": "\033[35m"}
_MAX_VALUE = 120


def render_text(plan: Plan, *, color: bool = False) -> str:
    """The plan for a terminal; ANSI colour only when `color` is true."""
    if not plan.has_changes:
        return f"No changes. The live catalog matches {_dir(plan)}.\n"
    lines = [
        f"catalog-sync will change {plan.environment} ({plan.base_url}):",
        "",
    ]
    for change in plan.changes:
        lines.extend(_change_lines(change, color))
        lines.append("")
    lines.append(summary_line(plan))
    return "\n".join(lines) + "\n"


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


def _dir(plan: Plan) -> str:
    return plan.products_dir.rstrip("/") + "/"


def _paint(text: str, symbol: str, color: bool, *, bold: bool = False) -> str:
    if not color:
        return text
    return f"{_BOLD if bold else ''}{_COLOURS[symbol]}{text}{_RESET}"


def _change_lines(change: Change, color: bool) -> list[str]:
    symbol = action_symbol(change.action)
    title = f"{symbol} {change.action.value} {printable(change.product_id)}"
    details = [
        printable(part)
        for part in (_quote(change.name), change.brand, change.file)
        if part
    ]
    header = "  " + _paint(title, symbol, color, bold=True)
    if details:
        header += "  " + "  ".join(details)
    lines = [header]
    if change.action in (Action.UPDATE, Action.RETIRE):
        lines.extend(
            "      " + _field_line(item, color) for item in change.field_changes
        )
    return lines


def _field_line(item: FieldChange, color: bool) -> str:
    label = printable(item.label)
    if item.kind == "added":
        return _paint(f"+ {label}: {_value(item.after)}", "+", color)
    if item.kind == "removed":
        return _paint(f"- {label}: {_value(item.before)}", "-", color)
    return _paint(
        f"~ {label}: {_value(item.before)} -> {_value(item.after)}", "~", color
    )


def _quote(text: str | None) -> str | None:
    return None if text is None else json.dumps(text, ensure_ascii=False)


def _value(value: Any) -> str:
    # json.dumps escapes C0 controls only; C1 controls and bidi overrides go too.
    text = printable(json.dumps(value, ensure_ascii=False, sort_keys=True))
    if len(text) > _MAX_VALUE:
        return text[: _MAX_VALUE - 1] + "…"
    return text
