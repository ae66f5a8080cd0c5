"""`catalog-sync auth check`: get a token and report which commands the credentials allow,
without changing anything and without ever printing a secret or token."""

from __future__ import annotations

import click

from catalog_sync.cli.context import CliContext
from catalog_sync.fiskil.scopes import READ_SCOPE
from catalog_sync.fiskil.scopes import SCOPE_HINT
from catalog_sync.fiskil.scopes import WRITE_SCOPE


@click.group()
def auth() -> None:
    """Check API credentials."""


@auth.command("check")
@click.option("--env", "env_name", help="Environment to check (default: local).")
@click.pass_obj
def check(obj: CliContext, env_name: str | None) -> int:
    """Get a token and report which operations the credentials can do.

    Exits 0 when the credentials can read (plan and drift work), 1 otherwise.
    """
    from catalog_sync.fiskil.probe import probe_capabilities
    from catalog_sync.targets import open_products_api

    config = obj.load_config()
    env = config.environment(env_name)
    where = env.base_url or "embedded emulator"
    click.echo(f"environment: {env.name} ({where})")
    with open_products_api(config, env, need="read") as api:
        found = probe_capabilities(api)
    click.echo(f"token: ok (valid for {found.token_seconds_left:.0f} s)")
    read = "yes" if found.read else "NO"
    # apply reads as well: it plans, and re-reads every product before writing.
    if found.write is None and found.read:
        apply = f"unknown ({found.write_basis})"
    else:
        apply = "yes" if found.write and found.read else "NO"
    line = f"plan: {read}, drift: {read}, apply: {apply}"
    missing = [
        s
        for s, ok in ((READ_SCOPE, found.read), (WRITE_SCOPE, found.write))
        if ok is False
    ]
    if missing:
        line += f" — these credentials lack {' and '.join(missing)}; {SCOPE_HINT}"
    click.echo(line)
    click.echo(f"write access decided by: {found.write_basis}")
    return 0 if found.read else 1
