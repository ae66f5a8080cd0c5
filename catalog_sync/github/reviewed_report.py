"""Markdown saying which reviewed plans the apply workflow found: one line per merged pull
request (its plan's digest, or why it has none) and per commit pushed without one."""

from __future__ import annotations

from collections.abc import Sequence

from catalog_sync.github.merged import MergedSince
from catalog_sync.github.plan_artifacts import ReviewedPlanFile


def describe_reviewed(
    since: MergedSince, found: Sequence[ReviewedPlanFile], *, allow_unreviewed: bool
) -> str:
    """The list, headed by the range it covers."""
    start = (
        f"since the last apply ({since.base[:12]})"
        if since.base
        else "in this commit (no earlier apply is recorded)"
    )
    lines = [f"#### Reviewed plans: pull requests merged {start}", ""]
    for item in found:
        if item.path is not None:
            lines.append(
                f"- #{item.pull.number}: reviewed plan of {item.pull.head_sha[:12]}, "
                f"digest `{item.digest}`"
            )
        else:
            lines.append(f"- #{item.pull.number}: **no reviewed plan**: {item.problem}")
    lines += [
        f"- commit {sha[:12]}: **pushed without a pull request**"
        for sha in since.direct_commits
    ]
    if not found and not since.direct_commits:
        lines.append("- none")
    if allow_unreviewed:
        lines += [
            "",
            "This environment sets `allow_unreviewed: true`: changes no reviewed plan "
            "showed are applied too.",
        ]
    return "\n".join(lines) + "\n"
