"""`apply PLANFILE --reviewed FILE… / --plan-digest DIGEST`: the checks that let a saved
plan through only when reviewers saw every change in it, or when it is exactly the plan
a person approved by its digest. Both run before anything is read from or written to
the live catalog; a refusal is printed (and written to `--report`) like a plan."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from catalog_sync.errors import UnreviewedPlanError
from catalog_sync.plan.plan import Plan

if TYPE_CHECKING:
    from catalog_sync.plan.reviewed import ReviewCheck


def check_review(
    plan: Plan,
    reviewed_paths: Sequence[Path],
    reviewed_dir: Path | None,
    plan_digest: str | None,
    report_path: Path | None,
) -> None:
    """Refuse (UnreviewedPlanError) unless the plan passes the checks asked for."""
    if plan_digest is not None:
        _check_digest(plan, plan_digest.strip())
    if reviewed_dir is not None:
        found = sorted(reviewed_dir.glob("*.json")) if reviewed_dir.is_dir() else []
        click.echo(f"{len(found)} reviewed plan(s) in {reviewed_dir}.")
        reviewed_paths = [*reviewed_paths, *found]
    if reviewed_paths or reviewed_dir is not None:
        _check_reviewed(plan, reviewed_paths, report_path)


def _check_digest(plan: Plan, wanted: str) -> None:
    from catalog_sync.plan.digest import change_set_digest

    actual = change_set_digest(plan)
    if actual != wanted:
        raise UnreviewedPlanError(
            f"the plan's change-set digest is {actual}, not the approved {wanted}; "
            "nothing was written",
            hint="live or the files changed since the digest was taken: review the "
            "new plan and approve its digest",
        )
    click.echo(f"The plan has the approved change-set digest {actual}.")


def _check_reviewed(
    plan: Plan, reviewed_paths: Sequence[Path], report_path: Path | None
) -> None:
    from catalog_sync.plan.reviewed import ReviewedPlan
    from catalog_sync.plan.reviewed import check_reviewed
    from catalog_sync.render.reviewed import render_review
    from catalog_sync.workflow import load_plan

    reviewed = [ReviewedPlan(str(path), load_plan(path)) for path in reviewed_paths]
    check = check_reviewed(plan, reviewed)
    click.echo(render_review(plan, check, "text"), nl=False)
    if check.ok:
        return
    if report_path is not None:
        report_path.write_text(_report(plan, check, report_path.suffix), "utf-8")
    count = len(check.unreviewed)
    raise UnreviewedPlanError(
        f"{count} change{'s' if count != 1 else ''} of the plan "
        f"{'were' if count != 1 else 'was'} not reviewed; nothing was written",
        hint="see the changes and the way forward above",
    )


def _report(plan: Plan, check: ReviewCheck, suffix: str) -> str:
    """The refusal as `--report` FILE asks: .json, .md, else text."""
    from catalog_sync.render.reviewed import render_review

    if suffix == ".json":
        document = {
            "ok": False,
            "refused": "unreviewed changes",
            "digest": check.digest,
            "unreviewed": [
                {
                    "action": item.change.action.value,
                    "productId": item.change.product_id,
                    "cause": item.cause,
                }
                for item in check.unreviewed
            ],
        }
        return json.dumps(document, indent=2, sort_keys=True) + "\n"
    return render_review(plan, check, "markdown" if suffix == ".md" else "text")
