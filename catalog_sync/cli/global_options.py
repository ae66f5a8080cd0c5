"""`--config` and `--debug` are global options that may come before or after the
subcommand (`catalog-sync plan --debug` as well as `catalog-sync --debug plan`), like
git's `-C` or Terraform's `-chdir`. Each loaded command gets them as hidden-value options
whose callbacks update the `CliContext` on its click context."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import click

CONFIG_HELP = (
    "The catalog's configuration file (default: the nearest catalog-sync.yaml at or "
    "above the current folder); its folder is the catalog root."
)
DEBUG_HELP = "Log at DEBUG to stderr and show tracebacks."


def enable_debug() -> None:
    logging.basicConfig(
        level=logging.DEBUG, format="%(levelname)s %(name)s: %(message)s"
    )


def _set_config(ctx: click.Context, _: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.obj = replace(_context_of(ctx), config_path=value)


def _set_debug(ctx: click.Context, _: click.Parameter, value: bool) -> None:
    if value:
        enable_debug()
        ctx.obj = replace(_context_of(ctx), debug=True)


def _context_of(ctx: click.Context) -> Any:
    # Shell completion parses without running the group's callback: no CliContext yet.
    from catalog_sync.cli.context import CliContext

    return ctx.ensure_object(CliContext)


def _global_params() -> list[click.Parameter]:
    return [
        click.Option(
            ["--config", "config_path"],
            metavar="PATH",
            type=click.Path(dir_okay=False),
            expose_value=False,
            callback=_set_config,
            help=CONFIG_HELP,
        ),
        click.Option(
            ["--debug"],
            is_flag=True,
            expose_value=False,
            callback=_set_debug,
            help=DEBUG_HELP,
        ),
    ]


def with_global_options(
    command: click.Command, name: str, epilog: Callable[[str], str]
) -> click.Command:
    """Give `command` (and a group's subcommands) the global options, once, and the
    `--help` example `epilog(name)` (`name` is `auth check` for a subcommand)."""
    if not any(param.name == "config_path" for param in command.params):
        command.params.extend(_global_params())
    command.epilog = command.epilog or epilog(name)
    if isinstance(command, click.Group):
        for sub_name, sub in command.commands.items():
            with_global_options(sub, f"{name} {sub_name}", epilog)
    return command
