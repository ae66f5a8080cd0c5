"""`catalog-sync fmt [PATH…] [--check]`: rewrite product files in the canonical layout,
or (`--check`, for CI and pre-commit) name the ones that are not and exit 1."""

from __future__ import annotations

import os
from pathlib import Path

import click

from catalog_sync.cli.context import CliContext
from catalog_sync.errors import EXIT_FAILURE


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--check",
    is_flag=True,
    help="Change nothing; list the files that are not formatted and exit 1 if any.",
)
@click.pass_obj
def fmt(obj: CliContext, paths: tuple[Path, ...], check: bool) -> None:
    """Lay out product files canonically (default: the whole products folder): keys in
    CDS order, two-space indentation, quoting, a schema line for editors. Comments are
    kept. Files that do not parse are reported and left alone (exit 1)."""
    from catalog_sync.catalog.formatting import format_catalog
    from catalog_sync.catalog.formatting import replace_file

    config = obj.load_config()
    chosen = [Path(os.path.abspath(path)) for path in paths] or None
    run = format_catalog(config, chosen)
    for problem in run.problems:
        click.echo(problem.format_text(), err=True)
    for formatted in run.changed:
        if check:
            click.echo(f"would reformat {formatted.display_path}")
        else:
            replace_file(formatted.path, formatted.text)
            click.echo(f"reformatted {formatted.display_path}")
    verb = "would be reformatted" if check else "reformatted"
    click.echo(f"{len(run.changed)} of {run.files_checked} file(s) {verb}.", err=True)
    if run.problems or (check and run.changed):
        raise click.exceptions.Exit(EXIT_FAILURE)
