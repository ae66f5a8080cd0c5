"""The reviewed-plan check for people: on a refusal, each unreviewed change rendered like
a plan with its likely cause and the way forward; on success, which reviewed changes
are already live. Text for the terminal, Markdown for the merged pull request."""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

from catalog_sync.plan.plan import Plan
from catalog_sync.plan.reviewed import CAUSES
from catalog_sync.plan.reviewed import ReviewCheck
from catalog_sync.render.markdown import render_markdown
from catalog_sync.render.text import render_text
from catalog_sync.render.words import code
from catalog_sync.render.words import escape_md
from catalog_sync.render.words import printable

Format = Literal["text", "markdown"]


def render_review(plan: Plan, check: ReviewCheck, output_format: Format) -> str:
    """The refusal when `check` is not ok, else the (possibly empty) success notes."""
    if check.ok:
        return _accepted(check, output_format)
    return _refused(plan, check, output_format)


def _accepted(check: ReviewCheck, output_format: Format) -> str:
    lines = [f"Every change of the plan was reviewed (digest {check.digest})."]
    if check.no_longer_needed:
        lines.append("Reviewed but no longer needed (already live):")
        lines += [
            f"  {item.change.action.value} {printable(item.change.product_id)} "
            f"({printable(item.label)})"
            for item in check.no_longer_needed
        ]
    if output_format == "markdown":
        return "\n".join(_markdown_line(line) for line in lines) + "\n"
    return "\n".join(lines) + "\n"


def _markdown_line(line: str) -> str:
    return f"- {escape_md(line.strip())}" if line.startswith("  ") else escape_md(line)


def _refused(plan: Plan, check: ReviewCheck, output_format: Format) -> str:
    unreviewed = replace(plan, changes=tuple(item.change for item in check.unreviewed))
    count = len(check.unreviewed)
    noun = "change was" if count == 1 else "changes were"
    headline = (
        f"{count} {noun} not in any reviewed plan for {plan.environment}; "
        "nothing was written."
    )
    causes = [
        (item.change.action.value, item.change.product_id, CAUSES[item.cause])
        for item in check.unreviewed
    ]
    if output_format == "markdown":
        return _refused_markdown(headline, unreviewed, causes, check.digest)
    lines = [headline, "", render_text(unreviewed).rstrip("\n"), "", "Likely causes:"]
    lines += [f"  {action} {printable(pid)}: {why}" for action, pid, why in causes]
    lines += ["", "The way forward:"]
    lines += [f"  {n}. {line}" for n, line in enumerate(_way_forward(check.digest), 1)]
    return "\n".join(lines) + "\n"


def _refused_markdown(
    headline: str,
    unreviewed: Plan,
    causes: list[tuple[str, str, str]],
    digest: str,
) -> str:
    parts = [
        f"**{escape_md(headline)}** The plan made on `main` now differs from the plans "
        "that reviewers saw:",
        render_markdown(unreviewed, limit=40_000).rstrip("\n"),
        "Likely causes:\n\n"
        + "\n".join(f"- {action} {code(pid)}: {why}" for action, pid, why in causes),
        "**The way forward:**\n\n"
        + "\n".join(f"{n}. {line}" for n, line in enumerate(_way_forward(digest), 1)),
    ]
    return "\n\n".join(parts) + "\n"


def _way_forward(digest: str) -> list[str]:
    return [
        "Re-run the plan on main (catalog-sync plan --out plan.json, or this "
        "workflow's job summary) and check every change above.",
        "If it is right, run the apply workflow by hand (workflow_dispatch) with "
        f"plan_digest {digest}, and approve that run in the environment's "
        "protection: it applies only a plan with exactly this digest.",
        "If it is not, fix the product files in a new pull request (or undo the "
        "live edit); its reviewed plan then applies on merge.",
    ]
