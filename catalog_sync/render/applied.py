"""The report of an apply as users run it: the operations (render.report), whether
customers now see the change (render.verify), and where the audit record is. Pure."""

from __future__ import annotations

import json
from typing import Any

from catalog_sync.audited import AppliedRun
from catalog_sync.render.registry import render
from catalog_sync.render.report import render_report_text
from catalog_sync.render.verify import render_verify
from catalog_sync.render.words import escape_md
from catalog_sync.render.words import printable
from catalog_sync.verify.document import verify_document


def render_applied(
    run: AppliedRun,
    output_format: str,
    *,
    environment: str = "local",
    policy_override: str | None = None,
) -> str:
    """`output_format`: text, markdown or json (the apply report's JSON plus `verify`
    and `audit_record`; docs/apply.md). The text names `environment` in its recovery
    hint; every format names a policy override's reason."""
    if output_format == "text":
        report = render_report_text(
            run.result, environment, policy_override=policy_override
        )
    else:
        report = render(
            "apply", output_format, run.result, policy_override=policy_override
        )
    if output_format == "json":
        document: dict[str, Any] = json.loads(report)
        document["verify"] = _verify_json(run)
        document["audit_record"] = str(run.audit_path)
        return json.dumps(document, indent=2, sort_keys=True) + "\n"
    markdown = output_format == "markdown"
    parts = [report]
    if run.verification is not None:
        parts.append(render_verify(run.verification, output_format, applied=True))
    elif run.verify_error is not None:
        why = f"Customers: could not verify what the public endpoint serves: {run.verify_error}"
        parts.append((escape_md(why) if markdown else printable(why)) + "\n")
    elif run.verify_skipped in ("--no-verify", "the apply did not complete"):
        parts.append(f"Customers: not checked ({run.verify_skipped}).\n")
    where = f"`{run.audit_path}`" if markdown else str(run.audit_path)
    parts.append(f"Audit record: {where}\n")
    return ("\n" if markdown else "").join(parts)


def _verify_json(run: AppliedRun) -> dict[str, Any]:
    return {
        "visible": run.is_visible,
        "skipped": run.verify_skipped,
        "error": run.verify_error,
        "report": (
            verify_document(run.verification) if run.verification is not None else None
        ),
    }
