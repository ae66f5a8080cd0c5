"""`catalog-sync drift`: read-only report of how live differs from git (0 clean, 2 drift)."""

from __future__ import annotations

import click

from catalog_sync.cli.context import CliContext
from catalog_sync.cli.options import env_option
from catalog_sync.cli.options import format_option
from catalog_sync.cli.output import problems_printed
from catalog_sync.errors import EXIT_CHANGES


@click.command()
@env_option
@format_option
@click.pass_obj
def drift(obj: CliContext, env_name: str | None, output_format: str) -> None:
    """Report products only in git, only live, or changed live. Exit 2 on drift."""
    from catalog_sync.render.registry import render
    from catalog_sync.workflow import make_plan

    config = obj.load_config()
    with problems_printed():
        # Drift is the plan read by kind: it keeps the configured removal policy, so it
        # agrees with `plan --detailed-exitcode` (with `keep`, live-only products are
        # deliberately unmanaged; with `retire`, one already retired is no drift).
        report = make_plan(config, env_name)
    click.echo(render("drift", output_format, report), nl=False)
    if report.has_changes:
        raise click.exceptions.Exit(EXIT_CHANGES)
