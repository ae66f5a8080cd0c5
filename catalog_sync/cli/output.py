"""Helpers the plan/apply/show/drift commands share: render a plan in a chosen format,
print validation problems before failing, and announce an interrupted earlier apply."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from catalog_sync.config.model import Config
from catalog_sync.config.model import Policy
from catalog_sync.errors import ApplyError
from catalog_sync.errors import ConfigError
from catalog_sync.errors import ValidationFailed
from catalog_sync.plan.plan import Plan

if TYPE_CHECKING:
    from catalog_sync.audited import VerifySettings
    from catalog_sync.workflow import ApplySettings


def render_plan(
    plan: Plan,
    output_format: str,
    *,
    no_color: bool = False,
    commit: str | None = None,
    planned_at: str | None = None,
) -> str:
    """The plan as text (coloured on a terminal unless `no_color` or NO_COLOR),
    markdown or json; `commit` and `planned_at` are shown, never stored."""
    from catalog_sync.render.context import RenderContext
    from catalog_sync.render.registry import render

    color = (
        output_format == "text"
        and sys.stdout.isatty()
        and not no_color
        and not os.environ.get("NO_COLOR")
    )
    context = RenderContext(commit=commit, planned_at=planned_at)
    return render("plan", output_format, plan, color=color, context=context)


TIMINGS_ENV = "CATALOG_SYNC_TIMINGS"
"""Set to 1 to print the plan stages' durations on stderr as one JSON line."""


def compute_plan(
    config: Config,
    env_name: str | None,
    *,
    products: Sequence[str] = (),
    policy_config: Path | None = None,
) -> Plan:
    """make_plan, printing every validation problem (stderr) before the error; with
    CATALOG_SYNC_TIMINGS=1, also `{"timings": {"validate": s, "fetch": s, "diff": s}}`."""
    from catalog_sync.workflow import make_plan

    stages: dict[str, float] = {}
    wanted = os.environ.get(TIMINGS_ENV, "") not in ("", "0")
    with problems_printed():
        plan = make_plan(
            config,
            env_name,
            on_stage=stages.__setitem__,
            targets=products,
            policy=None if policy_config is None else policy_of(policy_config),
        )
    if wanted:
        rounded = {name: round(seconds, 4) for name, seconds in stages.items()}
        click.echo(json.dumps({"timings": rounded}), err=True)
    return plan


def policy_of(path: Path) -> Policy:
    """The `policy:` of another catalog-sync.yaml (in GitHub, the base branch's, so a
    pull request cannot loosen the policy it is judged by)."""
    from catalog_sync.config.load import load_config

    if not path.is_file():
        raise ConfigError(
            f"{path}: no such policy configuration file",
            hint="--policy-config names a catalog-sync.yaml (the base branch's)",
        )
    return load_config(path).policy


@contextmanager
def problems_printed() -> Iterator[None]:
    """Print every problem of a ValidationFailed on stderr, then let it propagate."""
    try:
        yield
    except ValidationFailed as exc:
        for problem in exc.problems:
            click.echo(problem.format_text(), err=True)
        raise


def echo_interrupted(config: Config, env_name: str | None) -> None:
    """Tell the user, once per command, what a crashed apply left behind."""
    from catalog_sync.workflow import interrupted_apply

    leftover = interrupted_apply(config, env_name)
    if leftover is not None:
        click.echo(f"Note: {leftover.describe()}", err=True)


def run_and_report(
    config: Config,
    plan: Plan,
    settings: ApplySettings,
    report_path: Path | None,
    *,
    verify: VerifySettings,
    plan_file: Path | None = None,
) -> None:
    """Apply with progress and the audit record, verify what customers see, print the
    report (counts first), optionally save it; raise ApplyError (exit 1) unless every
    operation succeeded (and, with --require-visible, customers see the change). A
    policy override's reason goes into the report."""
    from catalog_sync.audited import apply_audited
    from catalog_sync.render.applied import render_applied
    from catalog_sync.render.progress import progress_for

    interactive = sys.stdout.isatty()
    with progress_for(len(plan.changes), interactive=interactive) as progress:
        run = apply_audited(
            config,
            plan,
            settings=settings,
            verify=verify,
            on_event=progress,
            plan_file=plan_file,
        )
    result = run.result

    def report(kind: str) -> str:
        return render_applied(
            run,
            kind,
            environment=plan.environment,
            policy_override=settings.override_policy,
        )

    click.echo(report("text"), nl=False)
    if report_path is not None:
        kind = {".json": "json", ".md": "markdown"}.get(report_path.suffix, "text")
        report_path.write_text(report(kind), encoding="utf-8")
    if not result.is_success:
        failed = len(result.outcomes) - result.counts()["done"]
        raise ApplyError(
            f"{failed} of {len(result.outcomes)} operations did not complete",
            result=result,
        )
    if verify.require_visible and run.verify_skipped is None and not run.is_visible:
        raise ApplyError(
            "the change is applied, but customers do not see it yet "
            "(--require-visible)",
            result=result,
        )
