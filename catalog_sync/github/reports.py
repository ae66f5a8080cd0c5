"""Markdown for what the workflows report outside a plan: the apply result on the
merged pull request, and the step outputs that steer later jobs."""

from __future__ import annotations

import json
from collections.abc import Iterable
from collections.abc import Mapping
from typing import Literal

from catalog_sync.config.model import Config
from catalog_sync.github.comments import check_marker_name

Outcome = Literal["success", "failure", "cancelled", "skipped"]
LOG_TAIL_LINES = 60


def remote_environments(config: Config) -> tuple[str, ...]:
    """The environments a workflow can reach (not the embedded one), in config order."""
    return tuple(
        check_marker_name(name)
        for name, environment in config.environments.items()
        if environment.target != "embedded"
    )


def environment_outputs(names: Iterable[str]) -> dict[str, str]:
    """Step outputs: `names` as a JSON list (for a matrix) and `has-<name>=true`."""
    chosen = list(names)
    outputs = {"names": json.dumps(chosen)}
    outputs.update({f"has-{name}": "true" for name in chosen})
    return outputs


def format_outputs(outputs: Mapping[str, str]) -> str:
    """Lines for $GITHUB_OUTPUT (values never contain newlines here)."""
    return "".join(f"{key}={value}\n" for key, value in outputs.items())


def compose_apply_report(
    *,
    environment: str,
    outcome: Outcome,
    plan_markdown: str,
    log_text: str,
    run_url: str | None,
    apply_report: str = "",
    audit_url: str | None = None,
) -> str:
    """The apply result: outcome first, then the plan that was applied and the log tail;
    `audit_url` links the uploaded audit record."""
    headline = {
        "success": f"### ✅ Applied to {environment}",
        "failure": f"### ❌ Apply to {environment} failed",
        "cancelled": f"### ⚠️ Apply to {environment} was cancelled",
        "skipped": f"### ⏭️ Apply to {environment} did not run",
    }[outcome]
    parts = [headline, ""]
    if run_url:
        parts += [f"Workflow run: {run_url}", ""]
    if audit_url:
        parts += [f"Audit record: [download the audit record]({audit_url})", ""]
    if outcome == "failure":
        parts += [
            "Some operations failed or were refused; nothing is rolled back. Fix the "
            "cause and re-run: the next plan shows only what is still to do.",
            "",
        ]
    if apply_report.strip():
        parts += [apply_report.strip(), ""]
    if log_text.strip():
        tail = "\n".join(log_text.strip().splitlines()[-LOG_TAIL_LINES:])
        parts += ["<details><summary>apply output</summary>", "", "```text", tail]
        parts += ["```", "", "</details>", ""]
    if plan_markdown.strip():
        parts += ["<details><summary>the plan that was applied</summary>", ""]
        parts += [plan_markdown.strip(), "", "</details>", ""]
    return "\n".join(parts)
