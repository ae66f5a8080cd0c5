"""The pull-request rendering of a plan: a summary table, deletions and retirements called
out first, one collapsible section per product with its changes in words.

GitHub rejects comments over 65,536 characters, so the text is kept under
`MAX_MARKDOWN_CHARS` by dropping detail step by step (bodies, then field lines beyond a
limit, then sections collapse into a list, then the list is cut), always saying what was
left out and how to see it (`catalog-sync show plan.json`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from dataclasses import replace
from typing import assert_never

from catalog_sync.english import plural
from catalog_sync.plan.plan import Action
from catalog_sync.plan.plan import Change
from catalog_sync.plan.plan import Plan
from catalog_sync.render.text import summary_line
from catalog_sync.render.words import change_sentence
from catalog_sync.render.words import code
from catalog_sync.render.words import escape_html
from catalog_sync.render.words import escape_md

MAX_MARKDOWN_CHARS = 60_000
SHOW_COMMAND = "catalog-sync show plan.json"
_ICONS = {
    Action.CREATE: "🟢",
    Action.UPDATE: "🟡",
    Action.RETIRE: "🟠",
    Action.DELETE: "🔴",
}

_COUNTED = (
    ("depositRates", "deposit rate"),
    ("lendingRates", "lending rate"),
    ("fees", "fee"),
    ("features", "feature"),
    ("constraints", "constraint"),
    ("eligibility", "eligibility rule"),
)


@dataclass(frozen=True, slots=True)
class Detail:
    """How much a rendering shows; each step of `_LEVELS` shows less."""

    bodies: bool = True
    max_fields: int | None = None
    sections: bool = True
    max_products: int | None = None


_LEVELS = (
    Detail(),
    Detail(bodies=False),
    Detail(bodies=False, max_fields=20),
    Detail(bodies=False, max_fields=5),
    Detail(bodies=False, max_fields=0, sections=False),
)


def render_markdown(
    plan: Plan, *, color: bool = False, limit: int = MAX_MARKDOWN_CHARS
) -> str:
    """The plan as GitHub Markdown of at most `limit` characters (`color` is ignored)."""
    for detail in _LEVELS:
        text = render_markdown_at(plan, detail, limit=limit)
        if text is not None:
            return text
    fits, cut = 0, len(plan.changes)
    while fits < cut:  # the largest product count that still fits
        middle = (fits + cut + 1) // 2
        detail = replace(_LEVELS[-1], max_products=middle)
        if render_markdown_at(plan, detail, limit=limit) is not None:
            fits = middle
        else:
            cut = middle - 1
    text = render_markdown_at(plan, replace(_LEVELS[-1], max_products=fits))
    assert text is not None  # without a limit there is always a text
    return text


def render_markdown_at(
    plan: Plan, detail: Detail, *, limit: int | None = None
) -> str | None:
    """The plan at one level of detail; None as soon as it exceeds `limit`."""
    title = f"### catalog-sync plan for {code(plan.environment)}"
    if not plan.has_changes:
        matches = escape_md(plan.products_dir.rstrip("/") + "/")
        return f"{title}\n\nNo changes. The live catalog matches {matches}.\n"
    parts = [title, _table(plan), *_warning(plan, detail)]
    size = sum(len(part) + 2 for part in parts)
    head_count = len(parts)
    shown = plan.changes[: detail.max_products]
    shown_fields = 0
    for change in shown:
        if detail.sections:
            part, hidden = _section(change, detail)
        else:
            part, hidden = _list_line(change), len(change.field_changes)
        parts.append(part)
        shown_fields += len(change.field_changes) - hidden
        size += len(part) + 2
        if limit is not None and size > limit:
            return None
    total_fields = sum(len(change.field_changes) for change in plan.changes)
    parts.extend(_omissions(plan, detail, len(shown), total_fields - shown_fields))
    parts.append(f"**{summary_line(plan)}**")
    separator = "\n\n" if detail.sections else "\n"
    end = head_count + len(shown)
    head, body, tail = parts[:head_count], parts[head_count:end], parts[end:]
    text = "\n\n".join([*head, separator.join(body), *tail]) + "\n"
    return None if limit is not None and len(text) > limit else text


def _table(plan: Plan) -> str:
    counts = plan.summary
    rows = [
        (Action.CREATE, "Create", counts.create),
        (Action.UPDATE, "Update", counts.update),
        (Action.RETIRE, "Retire (set effectiveTo)", counts.retire),
        (Action.DELETE, "Delete", counts.delete),
    ]
    lines = ["| Action | Products |", "| --- | ---: |"]
    lines += [
        f"| {_ICONS[action]} {label} | {count} |" for action, label, count in rows
    ]
    return "\n".join(lines)


def _warning(plan: Plan, detail: Detail) -> list[str]:
    removals = [c for c in plan.changes if c.action in (Action.RETIRE, Action.DELETE)]
    if not removals:
        return []
    counts = plan.summary
    said = []
    if counts.delete:
        said.append(f"**deletes {_products(counts.delete)}**")
    if counts.retire:
        said.append(f"**retires {_products(counts.retire)}** (sets `effectiveTo`)")
    consequences = []
    if counts.delete:
        consequences.append("deleted products disappear from the live catalog")
    if counts.retire:
        consequences.append("retired products stop being offered")
    lines = [
        "> [!WARNING]",
        f"> This plan {' and '.join(said)}: {'; '.join(consequences)}.",
    ]
    limit = 50 if detail.max_products is None else min(50, detail.max_products)
    lines += [
        f"> - {_ICONS[c.action]} {c.action.value} {_who(c)}" for c in removals[:limit]
    ]
    if len(removals) > limit:
        lines.append(f"> - … and {len(removals) - limit} more")
    return ["\n".join(lines)]


def _products(count: int) -> str:
    return f"{count} {plural(count, 'product')}"


def _who(change: Change) -> str:
    name = f" {escape_md(change.name)}" if change.name else ""
    brand = f" ({escape_md(change.brand)})" if change.brand else ""
    return f"{code(change.product_id)}{name}{brand}"


def _list_line(change: Change) -> str:
    count = len(change.field_changes)
    changes = f" ({count} {plural(count, 'field change')})" if count else ""
    return (
        f"- {_ICONS[change.action]} **{change.action.value}** {_who(change)}{changes}"
    )


def _section(change: Change, detail: Detail) -> tuple[str, int]:
    summary = (
        f"{_ICONS[change.action]} <b>{change.action.value}</b> "
        f"<code>{escape_html(change.product_id)}</code>"
    )
    if change.name:
        summary += f" {escape_html(change.name)}"
    if change.brand:
        summary += f" ({escape_html(change.brand)})"
    lines = [f"<details><summary>{summary}</summary>", ""]
    if change.file:
        lines += [f"File: {code(change.file)}", ""]
    lines += _what(change)
    fields = change.field_changes
    limit = len(fields) if detail.max_fields is None else detail.max_fields
    lines += [f"- {change_sentence(item)}" for item in fields[:limit]]
    hidden = len(fields) - min(limit, len(fields))
    if hidden:
        lines.append(f"- … {hidden} more {plural(hidden, 'field change')} not shown")
    if detail.bodies and change.action is Action.CREATE and change.after is not None:
        body = json.dumps(change.after, indent=2, sort_keys=True, ensure_ascii=False)
        if lines[-1]:
            lines.append("")
        lines += ["```json", body.replace("```", "`\u200b``"), "```"]
    lines += ["", "</details>"] if lines[-1] else ["</details>"]
    return "\n".join(lines), hidden


def _what(change: Change) -> list[str]:
    match change.action:
        case Action.CREATE:
            category = code(change.category) if change.category else "a"
            return [f"New {category} product{_contents(change)}.", ""]
        case Action.DELETE:
            return ["The live product will be **deleted**.", ""]
        case Action.RETIRE:
            return ["The file was removed; the live product will be **retired**.", ""]
        case Action.UPDATE:
            return []
        case _:
            assert_never(change.action)


def _contents(change: Change) -> str:
    """`: 2 fees, 1 lending rate` for a new product, so a reviewer sees its size."""
    counts = [
        f"{len(items)} {plural(len(items), noun)}"
        for field, noun in _COUNTED
        if isinstance(items := (change.after or {}).get(field), list) and items
    ]
    return f" with {', '.join(counts)}" if counts else ""


def _omissions(plan: Plan, detail: Detail, shown: int, hidden_fields: int) -> list[str]:
    notes = []
    if shown < len(plan.changes):
        notes.append(f"… {len(plan.changes) - shown:,} more products not shown")
    if hidden_fields:
        notes.append(
            f"… {hidden_fields:,} more {plural(hidden_fields, 'field change')} not shown"
        )
    if detail.bodies is False and any(c.action is Action.CREATE for c in plan.changes):
        notes.append("new products' bodies not shown")
    if not notes:
        return []
    return [f"_{'; '.join(notes)}; run `{SHOW_COMMAND}` to see everything._"]
