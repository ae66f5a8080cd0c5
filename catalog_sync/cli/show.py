"""`catalog-sync show PLANFILE`: render a saved plan."""

from __future__ import annotations

from pathlib import Path

import click

from catalog_sync.cli.options import color_options
from catalog_sync.cli.options import format_option
from catalog_sync.cli.output import render_plan


@click.command()
@click.argument("planfile", type=click.Path(dir_okay=False, path_type=Path))
@format_option
@color_options
def show(
    planfile: Path, output_format: str, no_color: bool, commit: str | None
) -> None:
    """Render a plan saved by `plan --out FILE`."""
    from catalog_sync.workflow import load_plan

    plan = load_plan(planfile)
    click.echo(
        render_plan(plan, output_format, no_color=no_color, commit=commit), nl=False
    )
