"""The apply report: what was done, what failed and why, what was not attempted, as text
for people (counts first, so partial success is visible) or versioned JSON for machines."""

from __future__ import annotations

import json
from typing import Any

from catalog_sync.apply.outcomes import ApplyResult
from catalog_sync.apply.outcomes import Outcome
from catalog_sync.english import plural
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
    already = result.already_applied
    done = f"{counts['done'] - already} done" + (
        f", {already} already applied" if already else ""
    )
    lines = [
        f"{headline}: {done}, {counts['failed']} failed, "
        f"{counts['skipped-dependency']} skipped (dependency failed), "
        f"{counts['not-attempted']} not attempted."
    ]
    if policy_override:
        lines.append(printable(f"Policy overridden: {policy_override}"))
    if result.stopped_by:
        lines.append(printable(f"Stopped scheduling new work: {result.stopped_by}"))
    waits = rate_limit_line(result)
    if waits:
        lines.append(waits)
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
        "already_applied": result.already_applied,
        "stopped_by": result.stopped_by,
        "policy_override": policy_override,
        "rate_limit": {
            "refused": result.rate_limit.refused,
            "waited_seconds": round(result.rate_limit.waited_seconds, 3),
            "pace": None
            if result.rate_limit.pace is None
            else round(result.rate_limit.pace, 3),
        },
        "operations": [
            {
                "productId": o.product_id,
                "action": o.action,
                "status": o.status,
                "already_applied": o.already_applied,
                "error": o.error,
            }
            for o in result.outcomes
        ],
    }
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def rate_limit_line(result: ApplyResult) -> str | None:
    """How long the run waited on the server's rate limit, when it did at all."""
    waits = result.rate_limit
    if not waits.refused and waits.waited_seconds < 0.05:
        return None
    pace = f"; paced at {waits.pace:.1f} requests/s" if waits.pace else ""
    refused = f"{waits.refused} {plural(waits.refused, 'request')}"
    return (
        f"Rate limit: {refused} answered 429 and sent again (not failures); "
        f"requests waited on the limit for {waits.waited_seconds:.1f} s{pace}."
    )


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
    if result.already_applied:
        lines += [
            f"{result.already_applied} of the done were already applied "
            "(live already matched; nothing was written).",
            "",
        ]
    if result.stopped_by:
        lines += [
            f"**Stopped scheduling new work:** {escape_md(result.stopped_by)}",
            "",
        ]
    waits = rate_limit_line(result)
    if waits:
        lines += [waits, ""]
    for outcome in result.outcomes:
        if outcome.status != "done":
            # Errors carry the server's text; live productIds are not ours to trust.
            suffix = f": {escape_md(outcome.error)}" if outcome.error else ""
            lines.append(
                f"- **{outcome.status}** {outcome.action} "
                f"{code(outcome.product_id)}{suffix}"
            )
    return "\n".join(lines).rstrip() + "\n"
