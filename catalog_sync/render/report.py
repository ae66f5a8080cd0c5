"""The apply report: what was done, what failed and why, what was not attempted, as text
for people (counts first, so partial success is visible) or versioned JSON for machines."""

from __future__ import annotations

import json
from typing import Any

from catalog_sync.apply.outcomes import ApplyResult
from catalog_sync.apply.outcomes import Outcome
from catalog_sync.render.words import code
from catalog_sync.render.words import escape_md
from catalog_sync.render.words import printable

REPORT_FORMAT_VERSION = 1

_VERBS = {
    "create": "create",
    "update": "update",
    "retire": "retire",
    "delete": "delete",
}


def render_report_text(
    result: ApplyResult,
    environment: str = "local",
    *,
    policy_override: str | None = None,
) -> str:
    """E.g. "Apply finished: 9 done, 1 failed, 0 skipped, 0 not attempted." then a
    section per non-done status; the recovery hint names `--env environment`."""
    counts = result.counts()
    headline = "Apply complete" if result.is_success else "Apply incomplete"
    lines = [
        f"{headline}: {counts['done']} done, {counts['failed']} failed, "
        f"{counts['skipped-dependency']} skipped (dependency failed), "
        f"{counts['not-attempted']} not attempted."
    ]
    if policy_override:
        lines.append(printable(f"Policy overridden: {policy_override}"))
    if result.stopped_by:
        lines.append(printable(f"Stopped scheduling new work: {result.stopped_by}"))
    sections = (
        ("failed", "Failed"),
        ("skipped-dependency", "Skipped because a dependency failed"),
        ("not-attempted", "Not attempted"),
    )
    for status, title in sections:
        outcomes = result.with_status(status)  # type: ignore[arg-type]
        if outcomes:
            lines.append(f"{title}:")
            lines.extend(_line(o) for o in outcomes)
    if not result.is_success:
        lines.append(
            "Nothing was rolled back. Run `catalog-sync plan --env "
            f"{environment}` to see what is left, then apply again."
        )
    return "\n".join(lines) + "\n"


def render_report_json(
    result: ApplyResult, *, policy_override: str | None = None
) -> str:
    """`{"format_version": 1, "ok": …, "counts": …, "stopped_by": …,
    "policy_override": …, "operations": […]}`."""
    document: dict[str, Any] = {
        "format_version": REPORT_FORMAT_VERSION,
        "ok": result.is_success,
        "counts": result.counts(),
        "stopped_by": result.stopped_by,
        "policy_override": policy_override,
        "operations": [
            {
                "productId": o.product_id,
                "action": o.action,
                "status": o.status,
                "error": o.error,
            }
            for o in result.outcomes
        ],
    }
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def _line(outcome: Outcome) -> str:
    verb = _VERBS.get(outcome.action, outcome.action)
    suffix = f": {outcome.error}" if outcome.error else ""
    return printable(f"  {verb} {outcome.product_id}{suffix}")


def render_report_markdown(
    result: ApplyResult, *, policy_override: str | None = None
) -> str:
    """For the merged pull request and the job summary: a count table, then problems."""
    counts = result.counts()
    title = "Apply complete" if result.is_success else "Apply incomplete"
    lines = [
        f"### {title}",
        "",
        "| status | operations |",
        "| --- | ---: |",
        *(f"| {status} | {n} |" for status, n in counts.items()),
        "",
    ]
    if policy_override:
        lines += [f"**Policy overridden:** {escape_md(policy_override)}", ""]
    if result.stopped_by:
        lines += [
            f"**Stopped scheduling new work:** {escape_md(result.stopped_by)}",
            "",
        ]
    for outcome in result.outcomes:
        if outcome.status != "done":
            # Errors carry the server's text; live productIds are not ours to trust.
            suffix = f": {escape_md(outcome.error)}" if outcome.error else ""
            lines.append(
                f"- **{outcome.status}** {outcome.action} "
                f"{code(outcome.product_id)}{suffix}"
            )
    return "\n".join(lines).rstrip() + "\n"
