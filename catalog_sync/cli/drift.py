"""`catalog-sync drift`: read-only report of how live differs from git (0 clean, 2 drift)."""

from __future__ import annotations

import click

from catalog_sync.cli.context import CliContext
from catalog_sync.cli.options import env_option
from catalog_sync.cli.options import format_option
from catalog_sync.cli.output import problems_printed
from catalog_sync.config.model import Config
from catalog_sync.errors import EXIT_CHANGES
from catalog_sync.errors import ApiError
from catalog_sync.plan.plan import Plan


@click.command()
@env_option
@format_option
@click.option(
    "--public",
    is_flag=True,
    help="Compare git with what the public PRD endpoint (public_base_url) serves "
    "customers instead of the management API: no credentials are read.",
)
@click.pass_obj
def drift(
    obj: CliContext, env_name: str | None, output_format: str, public: bool
) -> None:
    """Report products only in git, only live, or changed live. Exit 2 on drift."""
    from catalog_sync.render.registry import render

    config = obj.load_config()
    with problems_printed():
        report = _public_drift(config, env_name) if public else _drift(config, env_name)
    click.echo(render("drift", output_format, report), nl=False)
    if report.has_changes:
        raise click.exceptions.Exit(EXIT_CHANGES)


def _drift(config: Config, env_name: str | None) -> Plan:
    from catalog_sync.workflow import make_plan

    # Drift is the plan read by kind: it keeps the configured removal policy, so it
    # agrees with `plan --detailed-exitcode` (with `keep`, live-only products are
    # deliberately unmanaged; with `retire`, one already retired is no drift).
    return make_plan(config, env_name)


def _public_drift(config: Config, env_name: str | None) -> Plan:
    """The verify comparison read as drift; notes (older versions served) on stderr,
    and an error (exit 1) when a product could not be read."""
    from catalog_sync.render.verify import version_notes
    from catalog_sync.verify.service import verify_environment

    result = verify_environment(config, env_name)
    for note in version_notes(result):
        click.echo(note, err=True)
    unreadable = [c.product_id for c in result.checks if c.status == "unreadable"]
    if unreadable:
        raise ApiError(
            f"{len(unreadable)} products could not be read from the public endpoint: "
            + ", ".join(unreadable[:10]),
            hint="run `catalog-sync verify` for each one's reason",
        )
    return result.differences
