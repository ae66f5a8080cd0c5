"""The pull-request rendering of a plan, for product and compliance reviewers: where
and when it was planned and what merging does, a summary table, the policy result,
removals and adverse changes first, then one table per product (`what | before |
after | change | impact`). Small plans are shown open; large ones fold each product,
the most important first.

GitHub rejects comments over 65,536 characters, so the text is kept under
`MAX_MARKDOWN_CHARS` by dropping detail step by step (new products' JSON, then rows
beyond a limit, then sections collapse into a list, then the list is cut), always saying
what was left out and how to see it (`catalog-sync show plan.json`).
"""

from __future__ import annotations

from dataclasses import replace

from catalog_sync.cds.impact import IMPACTS
from catalog_sync.english import plural
from catalog_sync.plan.plan import ACTION_ORDER
from catalog_sync.plan.plan import Action
from catalog_sync.plan.plan import Change
from catalog_sync.plan.plan import Plan
from catalog_sync.plan.policy import PolicyVerdict
from catalog_sync.plan.policy import evaluate_policy
from catalog_sync.plan.renames import likely_renames
from catalog_sync.render import markdown_parts as parts
from catalog_sync.render.context import RenderContext
from catalog_sync.render.markdown_parts import Detail
from catalog_sync.render.text import summary_line
from catalog_sync.render.words import code
from catalog_sync.render.words import escape_md

MAX_MARKDOWN_CHARS = 60_000
OPEN_MAX_FIELDS = 20
"""Plans with at most this many changed fields (and 10 products) are shown open."""
OPEN_MAX_PRODUCTS = 10
SHOW_COMMAND = "catalog-sync show plan.json"
_ATTENTION_LINES = 50


def _levels(plan: Plan) -> tuple[Detail, ...]:
    fields = sum(len(change.field_changes) for change in plan.changes)
    small = fields <= OPEN_MAX_FIELDS and len(plan.changes) <= OPEN_MAX_PRODUCTS
    first = (Detail(open=True),) if small else ()
    return (
        *first,
        Detail(),
        Detail(bodies=False),
        Detail(bodies=False, max_fields=20),
        Detail(bodies=False, max_fields=5),
        Detail(bodies=False, max_fields=0, sections=False),
    )


def render_markdown(
    plan: Plan,
    *,
    color: bool = False,
    context: RenderContext | None = None,
    limit: int = MAX_MARKDOWN_CHARS,
) -> str:
    """The plan as GitHub Markdown of at most `limit` characters (`color` is ignored);
    `context` names the commit and the time it was planned."""
    context = context or RenderContext()
    verdict = evaluate_policy(plan, plan.policy)  # once: every level shows the same

    def at(detail: Detail, limit: int | None) -> str | None:
        return render_markdown_at(
            plan, detail, context=context, limit=limit, verdict=verdict
        )

    levels = _levels(plan)
    for detail in levels:
        text = at(detail, limit)
        if text is not None:
            return text
    fits, cut = 0, len(plan.changes)
    while fits < cut:  # the largest product count that still fits
        middle = (fits + cut + 1) // 2
        if at(replace(levels[-1], max_products=middle), limit) is not None:
            fits = middle
        else:
            cut = middle - 1
    text = at(replace(levels[-1], max_products=fits), None)
    assert text is not None  # without a limit there is always a text
    return text


def importance(change: Change) -> tuple[int, int, str]:
    """Removals first, then the worst impact, then action and productId."""
    removal = 0 if change.action in (Action.RETIRE, Action.DELETE) else 1
    return (
        removal,
        IMPACTS.index(change.impact) * 10 + ACTION_ORDER[change.action],
        change.product_id,
    )


def render_markdown_at(
    plan: Plan,
    detail: Detail,
    *,
    context: RenderContext | None = None,
    limit: int | None = None,
    verdict: PolicyVerdict | None = None,
) -> str | None:
    """The plan at one level of detail; None as soon as it exceeds `limit`."""
    context = context or RenderContext()
    title = f"### catalog-sync plan for {code(plan.environment)}"
    if not plan.has_changes:
        matches = escape_md(plan.products_dir.rstrip("/") + "/")
        return (
            f"{title}\n\n{parts.header(plan, context)}\n\n"
            f"No changes. The live catalog matches {matches}.\n"
        )
    verdict = verdict or evaluate_policy(plan, plan.policy)
    most = _ATTENTION_LINES if detail.max_products is None else detail.max_products
    head = [
        title,
        parts.header(plan, context),
        *parts.partial_note(plan),
        parts.summary_table(plan),
        *parts.policy_table(plan, verdict),
        *parts.attention(plan, min(_ATTENTION_LINES, most)),
        *parts.renames_note(likely_renames(plan)),
    ]
    size = sum(len(part) + 2 for part in head)
    ordered = sorted(plan.changes, key=importance)
    shown = ordered[: detail.max_products]
    body: list[str] = []
    shown_fields = 0
    for change in shown:
        if detail.sections:
            part, hidden = parts.section(change, plan, detail)
        else:
            part, hidden = parts.list_line(change), len(change.field_changes)
        body.append(part)
        shown_fields += len(change.field_changes) - hidden
        size += len(part) + 2
        if limit is not None and size > limit:
            return None
    total = sum(len(change.field_changes) for change in plan.changes)
    tail = [
        *_omissions(plan, detail, len(shown), total - shown_fields),
        f"**{summary_line(plan)}**",
    ]
    separator = "\n\n" if detail.sections else "\n"
    text = "\n\n".join([*head, separator.join(body), *tail]) + "\n"
    return None if limit is not None and len(text) > limit else text


def _omissions(plan: Plan, detail: Detail, shown: int, hidden_fields: int) -> list[str]:
    notes = []
    if shown < len(plan.changes):
        notes.append(f"… {len(plan.changes) - shown:,} more products not shown")
    if hidden_fields:
        notes.append(
            f"… {hidden_fields:,} more field {plural(hidden_fields, 'change')} not shown"
        )
    if detail.bodies is False and any(c.action is Action.CREATE for c in plan.changes):
        notes.append(parts.new_products_note())
    if not notes:
        return []
    return [f"_{'; '.join(notes)}; run `{SHOW_COMMAND}` to see everything._"]
