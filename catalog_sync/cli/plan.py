"""`catalog-sync plan`: validate, read live, show what apply would change."""

from __future__ import annotations

from pathlib import Path

import click

from catalog_sync.cli.context import CliContext
from catalog_sync.cli.options import color_options
from catalog_sync.cli.options import detailed_exitcode_option
from catalog_sync.cli.options import env_option
from catalog_sync.cli.options import format_option
from catalog_sync.cli.options import product_option
from catalog_sync.cli.output import compute_plan
from catalog_sync.cli.output import echo_interrupted
from catalog_sync.cli.output import render_plan
from catalog_sync.errors import EXIT_CHANGES


@click.command()
@env_option
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Save the plan as JSON to FILE, for `apply FILE` and `show FILE`.",
)
@format_option
@detailed_exitcode_option
@product_option
@click.option(
    "--policy-config",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Judge the plan by the policy of this catalog-sync.yaml instead (in a pull "
    "request: the base branch's, so the change cannot loosen its own policy).",
)
@color_options
@click.pass_obj
def plan(
    obj: CliContext,
    env_name: str | None,
    out: Path | None,
    output_format: str,
    detailed_exitcode: bool,
    products: tuple[str, ...],
    policy_config: Path | None,
    no_color: bool,
    commit: str | None,
) -> None:
    """Compare the product files with the live catalog and show the changes."""
    from catalog_sync.workflow import save_plan
    from catalog_sync.workflow import utc_now

    config = obj.load_config()
    echo_interrupted(config, env_name)
    result = compute_plan(
        config, env_name, products=products, policy_config=policy_config
    )
    if products:
        click.echo(
            f"Warning: partial plan: only {', '.join(sorted(set(products)))} "
            "(--product); every other product is left out.",
            err=True,
        )
    if out is not None:
        save_plan(result, out)
        click.echo(f"Saved the plan to {out}.", err=True)
    shown = render_plan(
        result, output_format, no_color=no_color, commit=commit, planned_at=utc_now()
    )
    click.echo(shown, nl=False)
    if detailed_exitcode and result.has_changes:
        raise click.exceptions.Exit(EXIT_CHANGES)
