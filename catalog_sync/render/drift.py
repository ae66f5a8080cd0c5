"""Drift reports: a read-only plan read as differences between git and the live catalog,
by kind (only in git, only live, changed), as text, Markdown (an issue body under
GitHub's size limit) or versioned JSON. Each difference is a row in a reviewer's units
(`Bonus rate, balances up to $250,000: live 3.50 %, git 3.75 %`), and each product says
what to do next: apply to restore git's version, or export to accept the live one.

Which live-only products count is the plan's removal policy: with `keep` they are
deliberately unmanaged and so are not drift.
"""

from __future__ import annotations

import json
from typing import Literal
from typing import assert_never

from catalog_sync.plan.diff import FieldChange
from catalog_sync.plan.plan import Action
from catalog_sync.plan.plan import Change
from catalog_sync.plan.plan import Plan
from catalog_sync.render.rows import field_row
from catalog_sync.render.words import code
from catalog_sync.render.words import escape_md
from catalog_sync.render.words import printable

DriftKind = Literal["only-in-git", "only-live", "changed"]
DRIFT_KINDS: tuple[DriftKind, ...] = ("only-in-git", "only-live", "changed")
DRIFT_FORMAT_VERSION = 2
MAX_MARKDOWN_CHARS = 60_000
_KINDS = ("added", "removed", "changed")
_HEADINGS: dict[DriftKind, str] = {
    "only-in-git": "Only in git (not live)",
    "only-live": "Only live (not in git)",
    "changed": "Changed",
}


def drift_kind(change: Change) -> DriftKind:
    """How a planned change reads as drift."""
    match change.action:
        case Action.CREATE:
            return "only-in-git"
        case Action.DELETE | Action.RETIRE:
            return "only-live"
        case Action.UPDATE:
            return "changed"
        case _:
            assert_never(change.action)


def drift_items(plan: Plan) -> list[Change]:
    """The plan's changes ordered by drift kind, then productId."""
    return sorted(
        plan.changes, key=lambda c: (DRIFT_KINDS.index(drift_kind(c)), c.product_id)
    )


def drift_counts(plan: Plan) -> dict[DriftKind, int]:
    """Products per drift kind, every kind present."""
    counts: dict[DriftKind, int] = dict.fromkeys(DRIFT_KINDS, 0)
    for change in plan.changes:
        counts[drift_kind(change)] += 1
    return counts


def render_drift_text(plan: Plan) -> str:
    """Counts first, then one line per product and one per field difference."""
    if not plan.has_changes:
        return f"No drift: {plan.environment} matches git.\n"
    lines = [_counts_line(plan)]
    for change in drift_items(plan):
        name = f"  {printable(change.name)}" if change.name else ""
        pid = printable(change.product_id)
        lines.append(f"  {drift_kind(change):<11} {pid}{name}")
        lines += [f"      {printable(_field(c, plan))}" for c in _fields(change)]
        lines.append(f"      Next: {next_step(change, plan)}")
    return "\n".join(lines) + "\n"


def next_step(change: Change, plan: Plan) -> str:
    """What to do about one product's drift, as commands to run."""
    env, pid = plan.environment, printable(change.product_id)
    apply = f"`catalog-sync apply --env {env} --product {pid}`"
    export = f"`catalog-sync export --env {env} --product {pid}`"
    kind = drift_kind(change)
    if kind == "changed":
        return (
            f"{apply} restores git's version; or {export} accepts the live one "
            "into git (then commit it)."
        )
    if kind == "only-in-git":
        return f"{apply} publishes it; or delete its file if it should not exist."
    verb = "deletes" if change.action is Action.DELETE else "retires"
    return f"{apply} {verb} it; or {export} adds it to git (then commit it)."


def render_drift_markdown(plan: Plan, *, limit: int = MAX_MARKDOWN_CHARS) -> str:
    """An issue body: a count table, then each kind's products; cut to `limit`."""
    if not plan.has_changes:
        return (
            f"### No drift in `{plan.environment}`\n\nThe live catalog matches git.\n"
        )
    counts = drift_counts(plan)
    head = [
        f"### Drift in `{plan.environment}`",
        "| Kind | Products |\n| --- | ---: |\n"
        + "\n".join(f"| {_HEADINGS[k]} | {counts[k]} |" for k in DRIFT_KINDS),
    ]
    budget = limit - len("\n\n".join(head)) - 300
    blocks: list[str] = []
    left_out = 0
    for kind in DRIFT_KINDS:
        changes = [c for c in drift_items(plan) if drift_kind(c) == kind]
        if changes and not left_out:
            blocks.append(f"#### {_HEADINGS[kind]}")
        for change in changes:
            entry = _entry(change, plan)
            if left_out or len(entry) + 2 > budget:
                left_out += 1
                continue
            blocks.append(entry)
            budget -= len(entry) + 2
    if left_out:
        blocks.append(
            f"_… {left_out} more products not shown; "
            f"run `catalog-sync drift --env {plan.environment}` for the full report._"
        )
    return "\n\n".join([*head, *blocks]) + "\n"


def render_drift_json(plan: Plan) -> str:
    """Versioned JSON (`format_version`), documented in docs/plan-format.md."""
    document = {
        "format_version": DRIFT_FORMAT_VERSION,
        "environment": plan.environment,
        "base_url": plan.base_url,
        "drift": plan.has_changes,
        "counts": drift_counts(plan),
        "items": [
            {
                "kind": drift_kind(change),
                "product_id": change.product_id,
                "name": change.name,
                "file": change.file,
                "next_step": next_step(change, plan),
                "fields": [
                    {
                        "path": c.path,
                        "label": c.label,
                        "kind": c.kind,
                        "git": c.after,
                        "live": c.before,
                        "text": _field(c, plan),
                        "impact": c.impact,
                    }
                    for c in _fields(change)
                ],
            }
            for change in drift_items(plan)
        ],
    }
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def _fields(change: Change) -> tuple[FieldChange, ...]:
    # A retirement's only "field change" is the effectiveTo apply would set: not drift.
    return change.field_changes if change.action is Action.UPDATE else ()


def _counts_line(plan: Plan) -> str:
    counts = drift_counts(plan)
    return (
        f"Drift in {plan.environment}: {counts['only-in-git']} only-in-git, "
        f"{counts['only-live']} only-live, {counts['changed']} changed."
    )


def _field(change: FieldChange, plan: Plan) -> str:
    """`what: live A, git B (+25 bp in git)` in the reviewer's units."""
    row = field_row(change, plan.timezone)
    size = f" ({row.change} in git)" if row.change not in _KINDS else ""
    return f"{row.what}: live {row.before}, git {row.after}{size}"


def _entry(change: Change, plan: Plan) -> str:
    name = f" ({escape_md(change.name)})" if change.name else ""
    lines = [f"- {code(change.product_id)}{name}"]
    lines += [f"  - {escape_md(_field(c, plan))}" for c in _fields(change)]
    step = next_step(change, plan)
    lines.append(f"  - **Next:** {_md_step(step)}")
    return "\n".join(lines)


def _md_step(step: str) -> str:
    # The commands are code spans already; only the words around them need escaping.
    pieces = step.split("`")
    return "".join(
        f"`{piece}`" if index % 2 else escape_md(piece)
        for index, piece in enumerate(pieces)
    )
