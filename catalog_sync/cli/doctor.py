"""`catalog-sync doctor`: check an environment against the assumed API contract, read-only,
and say which `api:` key (or action) fixes each assumption that does not hold."""

from __future__ import annotations

import click

from catalog_sync.cli.context import CliContext
from catalog_sync.cli.options import env_option


@click.command()
@env_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(("text", "json")),
    default="text",
    show_default=True,
    help="text for people, json for machines.",
)
@click.option(
    "--check-write",
    is_flag=True,
    help="Also probe write access as `auth check` does (a DELETE of a productId that "
    "cannot exist, unless the token states its scopes).",
)
@click.option(
    "--suggest",
    is_flag=True,
    help="Print the schema: and api: settings that match what was observed.",
)
@click.option(
    "--strict", is_flag=True, help="Exit 1 when a check could not tell (?), too."
)
@click.pass_obj
def doctor(
    obj: CliContext,
    env_name: str | None,
    output_format: str,
    check_write: bool,
    suggest: bool,
    strict: bool,
) -> int:
    """Check an environment's API against the configuration, without writing.

    Exit 0 when every check passes; 1 when one fails (plan or apply would go wrong);
    2 when everything works but the configuration does not match what was observed.
    """
    from catalog_sync.doctor.run import run_doctor
    from catalog_sync.doctor.suggest import suggest as make_suggestion
    from catalog_sync.render.doctor import render_doctor_json
    from catalog_sync.render.doctor import render_doctor_text

    config = obj.load_config()
    report = run_doctor(config, env_name, check_write=check_write)
    suggestion = None
    if suggest and report.environment in config.environments:
        env = config.environments[report.environment]
        suggestion = make_suggestion(config, env, report)
    render = render_doctor_json if output_format == "json" else render_doctor_text
    click.echo(render(report, suggestion, strict=strict), nl=False)
    return report.exit_code(strict=strict)
