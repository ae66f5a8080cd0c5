"""Verify results: what the public PRD endpoint serves customers against git (or against
what an apply wrote), as text, Markdown or versioned JSON. Differences read like drift:
`label: public 'A', git 'B'`. Pure."""

from __future__ import annotations

import json
from typing import Any

from catalog_sync.plan.diff import FieldChange
from catalog_sync.render.words import code
from catalog_sync.render.words import escape_md
from catalog_sync.render.words import printable
from catalog_sync.verify.compare import ProductCheck
from catalog_sync.verify.document import verify_document
from catalog_sync.verify.waiting import Verification

_MAX_VALUE = 80
_WHY = {
    "missing": "not served",
    "changed": "served differently",
    "only-public": "served, but should not be",
    "unreadable": "could not be read",
}
APPROVAL_NOTE = (
    "Fiskil may hold a change for approval before it publishes it; the change is "
    "applied, and `catalog-sync verify --wait 10m` shows when customers see it."
)


def render_verify(
    result: Verification, output_format: str, *, applied: bool = False
) -> str:
    """`output_format`: text, markdown or json. `applied`: the products an apply changed
    (the wording says whether customers now see the change)."""
    if output_format == "json":
        return json.dumps(verify_document(result), indent=2, sort_keys=True) + "\n"
    if output_format == "markdown":
        return _markdown(result, applied=applied)
    return _text(result, applied=applied)


def headline(result: Verification, *, applied: bool = False) -> str:
    """One sentence: do customers see what git (or the apply) says, and since when."""
    total = len(result.checks)
    where = f"{result.environment} ({result.public_base_url})"
    if result.all_match:
        slowest = max((c.appeared_after or 0.0 for c in result.checks), default=0.0)
        when = "at once" if slowest == 0 else f"within {_duration(slowest)}"
        if applied:
            return (
                f"Visible to customers: the public endpoint of {where} serves all "
                f"{total} changed products as applied, {when}."
            )
        return f"The public endpoint of {where} serves all {total} products as in git, {when}."
    bad = total - result.counts()["matches"]
    waited = f" after {_duration(result.elapsed)}" if result.wait_limit > 0 else ""
    if applied:
        return (
            f"Not visible to customers yet{waited}: {bad} of {total} changed products "
            f"are not served as applied by the public endpoint of {where}."
        )
    return (
        f"The public endpoint of {where} differs from git{waited}: {bad} of {total} "
        "products."
    )


def _text(result: Verification, *, applied: bool) -> str:
    lines = [headline(result, applied=applied)]
    for check in result.checks:
        if check.status == "matches":
            if check.appeared_after:
                lines.append(
                    f"  appeared    {printable(check.product_id)} after "
                    f"{_duration(check.appeared_after)}"
                )
            continue
        lines.append(
            f"  {check.status:<11} {printable(check.product_id)}{_name(check)}: "
            f"{_why(check)}"
        )
        lines += [
            f"      {printable(c.label)}: {_field(c)}" for c in check.field_changes
        ]
    lines += version_notes(result)
    if applied and not result.all_match:
        lines.append(APPROVAL_NOTE)
    if result.wait_limit > 0:
        lines.append(
            f"Waited {_duration(result.elapsed)} (at most {_duration(result.wait_limit)}), "
            f"{result.readings} readings."
        )
    return "\n".join(lines) + "\n"


def _markdown(result: Verification, *, applied: bool) -> str:
    title = "Customers" if applied else "Public endpoint"
    state = "✅" if result.all_match else "⚠️"
    lines = [
        f"#### {state} {title}: {escape_md(headline(result, applied=applied))}",
        "",
    ]
    rows = [c for c in result.checks if c.status != "matches" or c.appeared_after]
    if rows:
        lines += ["| product | status | detail |", "| --- | --- | --- |"]
        for check in rows:
            detail = (
                f"appeared after {_duration(check.appeared_after or 0.0)}"
                if check.status == "matches"
                else "; ".join(
                    [_why(check)]
                    + [f"{c.label}: {_field(c)}" for c in check.field_changes]
                )
            )
            lines.append(
                f"| {code(check.product_id)} | {check.status} | {escape_md(detail)} |"
            )
        lines.append("")
    lines += [escape_md(note) for note in version_notes(result)]
    if applied and not result.all_match:
        lines.append(APPROVAL_NOTE)
    return "\n".join(lines).rstrip() + "\n"


def version_notes(result: Verification) -> list[str]:
    older = [c for c in result.checks if c.not_compared]
    if not older:
        return []
    versions = sorted({c.served_version for c in older if c.served_version})
    served = ", ".join(f"x-v {v}" for v in versions)
    fields = ", ".join(sorted({f for c in older for f in c.not_compared}))
    return [
        f"Note: the endpoint serves only {served} (older than the x-v "
        f"{result.wanted_version} that schema cds-v{result.wanted_version} asks for) for "
        f"{len(older)} products: compared the fields both versions share; "
        f"{fields} not compared."
    ]


def _why(check: ProductCheck) -> str:
    if check.status == "unreadable":
        return printable(check.error or _WHY["unreadable"])
    if check.status == "only-public" and check.expected_absent:
        return "served, but git has no such product (or it should be retired)"
    return _WHY[check.status]


def _name(check: ProductCheck) -> str:
    return f"  {printable(check.name)}" if check.name else ""


def _field(change: FieldChange) -> str:
    return f"public {_value(change.before)}, git {_value(change.after)}"


def _value(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else json.dumps(value, sort_keys=True)
    return printable(text if len(text) <= _MAX_VALUE else text[: _MAX_VALUE - 1] + "…")


def _duration(seconds: float) -> str:
    """`0 s`, `14 s`, `2 min`, `2 min 5 s`."""
    whole = round(seconds)
    minutes, rest = divmod(whole, 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min" + (f" {rest} s" if rest else "")
