"""`catalog-sync apply [PLANFILE]`: execute a saved plan (refused if stale), or plan,
show and ask first. Exit 0 only if every operation succeeded."""

from __future__ import annotations

from pathlib import Path

import click

from catalog_sync.cli.context import CliContext
from catalog_sync.cli.options import apply_safety_options
from catalog_sync.cli.options import env_option
from catalog_sync.cli.options import product_option
from catalog_sync.cli.options import verify_options
from catalog_sync.cli.output import compute_plan
from catalog_sync.cli.output import echo_interrupted
from catalog_sync.cli.output import render_plan
from catalog_sync.cli.output import run_and_report


@click.command()
@click.argument(
    "planfile", required=False, type=click.Path(dir_okay=False, path_type=Path)
)
@env_option
@click.option(
    "--auto-approve", is_flag=True, help="Apply without asking for confirmation."
)
@apply_safety_options
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the apply report to FILE (.json: JSON, .md: Markdown, else text).",
)
@click.option(
    "--reviewed",
    "reviewed_paths",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="REVIEWED_PLAN",
    help="A saved plan that reviewers saw (repeatable): apply PLANFILE only if every "
    "change in it appears, identically, in one of them.",
)
@click.option(
    "--reviewed-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Every *.json in DIR is a reviewed plan, as with --reviewed; an empty or "
    "missing DIR means none, so only a plan without changes applies.",
)
@click.option(
    "--plan-digest",
    metavar="DIGEST",
    help="Apply PLANFILE only if its change-set digest is exactly DIGEST (sha256:…).",
)
@product_option
@click.option(
    "--override-policy",
    metavar="REASON",
    default=None,
    envvar="CATALOG_SYNC_OVERRIDE_POLICY",
    help="Apply although a policy rule of catalog-sync.yaml blocks the plan; the "
    "reason goes into the apply report (or CATALOG_SYNC_OVERRIDE_POLICY).",
)
@click.option("--no-color", is_flag=True, help="No colour in the text plan.")
@verify_options
@click.pass_obj
def apply(
    obj: CliContext,
    planfile: Path | None,
    env_name: str | None,
    auto_approve: bool,
    allow_delete: bool,
    force: bool,
    parallelism: int,
    report_path: Path | None,
    reviewed_paths: tuple[Path, ...],
    reviewed_dir: Path | None,
    plan_digest: str | None,
    products: tuple[str, ...],
    override_policy: str | None,
    no_color: bool,
    verify: bool,
    verify_wait: float,
    require_visible: bool,
) -> None:
    """Make the live catalog match the product files (or a saved plan)."""
    from catalog_sync.audited import VerifySettings
    from catalog_sync.cli.reviewed import check_review
    from catalog_sync.errors import ConfigError
    from catalog_sync.plan.policy import check_policy
    from catalog_sync.workflow import ApplySettings
    from catalog_sync.workflow import load_plan
    from catalog_sync.workflow import select_environment

    config = obj.load_config()
    settings = ApplySettings(
        allow_delete=allow_delete,
        force=force,
        parallelism=parallelism,
        override_policy=override_policy,
    )
    if planfile is not None:
        if products:
            raise click.UsageError(
                "--product chooses products when planning; a saved plan already "
                "holds its products (make it with `plan --product ID --out FILE`)"
            )
        plan = load_plan(planfile)
        select_environment(plan, env_name)
        check_review(plan, reviewed_paths, reviewed_dir, plan_digest, report_path)
        echo_interrupted(config, plan.environment)
    elif reviewed_paths or reviewed_dir or plan_digest is not None:
        raise click.UsageError(
            "--reviewed, --reviewed-dir and --plan-digest check a saved PLANFILE"
        )
    else:
        echo_interrupted(config, env_name)
        plan = compute_plan(config, env_name, products=products)
        click.echo(render_plan(plan, "text", no_color=no_color), nl=False)
        if not plan.has_changes:
            return
        check_policy(plan, config.policy, override=override_policy)
        confirm_or_refuse(auto_approve)
    if require_visible and not verify:
        raise click.UsageError(
            "--require-visible needs the verify step: drop --no-verify"
        )
    if require_visible and not config.environment(plan.environment).public_base_url:
        raise ConfigError(
            f"--require-visible: environment {plan.environment!r} has no "
            "public_base_url, so what customers see cannot be checked; nothing was written",
            hint="set environments.<name>.public_base_url, or drop --require-visible",
        )
    checks = VerifySettings(
        enabled=verify, wait=verify_wait, require_visible=require_visible
    )
    if plan.targets:
        click.echo(
            f"Warning: partial apply: only {', '.join(plan.targets)} (--product).",
            err=True,
        )
    run_and_report(
        config, plan, settings, report_path, verify=checks, plan_file=planfile
    )


def confirm_or_refuse(auto_approve: bool) -> None:
    """Ask on a terminal; without one, only --auto-approve may proceed."""
    import sys

    from catalog_sync.errors import CatalogSyncError
    from catalog_sync.errors import ConfigError

    if auto_approve:
        return
    if not sys.stdin.isatty():
        raise ConfigError(
            "refusing to apply without confirmation: stdin is not a terminal",
            hint="review the plan above and pass --auto-approve, or apply a saved plan",
        )
    if not click.confirm("Apply these changes?"):
        # A refusal like any other (exit 1); 130 is for Ctrl-C.
        raise CatalogSyncError("apply cancelled; nothing was written")
