"""`catalog-sync show PLANFILE`: render a saved plan."""

from __future__ import annotations

from pathlib import Path

import click

from catalog_sync.cli.options import format_option
from catalog_sync.cli.output import render_plan


@click.command()
@click.argument("planfile", type=click.Path(dir_okay=False, path_type=Path))
@format_option
def show(planfile: Path, output_format: str) -> None:
    """Render a plan saved by `plan --out FILE`."""
    from catalog_sync.workflow import load_plan

    click.echo(render_plan(load_plan(planfile), output_format), nl=False)
