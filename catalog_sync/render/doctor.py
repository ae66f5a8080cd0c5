"""Render a doctor report: text (one line per check: ✓ ✗ ? ! -, what was observed and,
for anything but ✓, the key or action that fixes it) or versioned JSON."""

from __future__ import annotations

import json

from catalog_sync.doctor.model import Report
from catalog_sync.doctor.model import Status
from catalog_sync.doctor.suggest import Suggestion
from catalog_sync.doctor.suggest import render_suggestion

FORMAT_VERSION = 1
SYMBOLS = {
    Status.OK: "✓",
    Status.FAIL: "✗",
    Status.UNKNOWN: "?",
    Status.DIFFERS: "!",
    Status.SKIPPED: "-",
}
_WORDS = {
    Status.OK: "ok",
    Status.FAIL: "failed",
    Status.UNKNOWN: "could not tell",
    Status.DIFFERS: "work but differ from the configuration",
    Status.SKIPPED: "skipped",
}


def render_doctor_text(
    report: Report, suggestion: Suggestion | None, *, strict: bool = False
) -> str:
    """The checks, a count line with the exit code, then the suggestion when given."""
    lines = [f"doctor: {report.environment} ({report.where})"]
    for finding in report.findings:
        line = f"{SYMBOLS[finding.status]} {finding.check}: {finding.observed}"
        if finding.status is not Status.OK and finding.fix:
            line += f" → fix: {finding.fix}"
        lines.append(line)
    counts = [
        f"{sum(f.status is status for f in report.findings)} {_WORDS[status]}"
        for status in Status
        if any(f.status is status for f in report.findings)
    ]
    lines.append(f"{', '.join(counts)}; exit {report.exit_code(strict=strict)}")
    if suggestion is not None:
        lines += ["", render_suggestion(suggestion).rstrip("\n")]
    elif report.suggestions:
        lines.append("--suggest prints the settings that match what was observed.")
    return "\n".join(lines) + "\n"


def render_doctor_json(
    report: Report, suggestion: Suggestion | None, *, strict: bool = False
) -> str:
    """`{format_version, environment, where, exit_code, checks, suggestion}`."""
    document = {
        "format_version": FORMAT_VERSION,
        "environment": report.environment,
        "where": report.where,
        "exit_code": report.exit_code(strict=strict),
        "checks": [
            {
                "check": f.check,
                "status": f.status.value,
                "observed": f.observed,
                "fix": f.fix,
                "suggest": dict(f.suggest),
            }
            for f in report.findings
        ],
        "suggestion": suggestion.to_json() if suggestion is not None else None,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
