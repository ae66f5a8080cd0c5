"""`catalog-sync plan`: validate, read live, show what apply would change."""

from __future__ import annotations

from pathlib import Path

import click

from catalog_sync.cli.context import CliContext
from catalog_sync.cli.options import detailed_exitcode_option
from catalog_sync.cli.options import env_option
from catalog_sync.cli.options import format_option
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
@click.pass_obj
def plan(
    obj: CliContext,
    env_name: str | None,
    out: Path | None,
    output_format: str,
    detailed_exitcode: bool,
) -> None:
    """Compare the product files with the live catalog and show the changes."""
    from catalog_sync.workflow import save_plan

    config = obj.load_config()
    echo_interrupted(config, env_name)
    result = compute_plan(config, env_name)
    if out is not None:
        save_plan(result, out)
        click.echo(f"Saved the plan to {out}.", err=True)
    click.echo(render_plan(result, output_format), nl=False)
    if detailed_exitcode and result.has_changes:
        raise click.exceptions.Exit(EXIT_CHANGES)
