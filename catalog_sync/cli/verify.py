"""`catalog-sync verify`: does the public PRD endpoint serve customers what git says?
Exit 0 when every product matches, 2 when any differs, 1 on error. No credentials."""

from __future__ import annotations

import click

from catalog_sync.cli.context import CliContext
from catalog_sync.cli.options import DURATION
from catalog_sync.cli.options import env_option
from catalog_sync.cli.options import format_option
from catalog_sync.cli.output import problems_printed
from catalog_sync.errors import EXIT_CHANGES
from catalog_sync.errors import ApiError


@click.command()
@env_option
@click.option(
    "--wait",
    type=DURATION,
    default="0",
    metavar="DURATION",
    help="Read again, with backoff, until every product matches or DURATION (90s, 2m, "
    "1h) has passed; reports how long each product took to appear.",
)
@format_option
@click.pass_obj
def verify(
    obj: CliContext, env_name: str | None, wait: float, output_format: str
) -> None:
    """Compare what the environment's public PRD endpoint (public_base_url) serves
    customers with git: the list (effective=ALL), then each product's detail in the
    version `schema:` names. Exit 0 all match, 2 any differs, 1 error."""
    from catalog_sync.render.verify import render_verify
    from catalog_sync.verify.service import verify_environment

    config = obj.load_config()
    with problems_printed():
        result = verify_environment(config, env_name, wait=wait)
    click.echo(render_verify(result, output_format), nl=False)
    if result.has_errors:
        raise ApiError("some products could not be read from the public endpoint")
    if not result.all_match:
        raise click.exceptions.Exit(EXIT_CHANGES)
