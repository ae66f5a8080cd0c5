"""The command line: a thin shell that parses options, calls one core function, renders
and maps errors to exit codes in exactly one place (`main`).

Commands live one per module in this package and are imported lazily, so `--help` and a
single command start fast and a command's heavy imports cost nothing to the others.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from catalog_sync import __version__
from catalog_sync.cli.examples import example_epilog
from catalog_sync.cli.global_options import CONFIG_HELP
from catalog_sync.cli.global_options import DEBUG_HELP
from catalog_sync.cli.global_options import enable_debug
from catalog_sync.cli.global_options import with_global_options
from catalog_sync.errors import EXIT_FAILURE
from catalog_sync.errors import EXIT_INTERNAL
from catalog_sync.errors import EXIT_INTERRUPTED
from catalog_sync.errors import CatalogSyncError

# command name -> "module:attribute" of its click command, relative to this package.
COMMANDS: dict[str, str] = {
    "init": "init:init",
    "fmt": "fmt:fmt",
    "validate": "validate:validate",
    "plan": "plan:plan",
    "apply": "apply:apply",
    "show": "show:show",
    "drift": "drift:drift",
    "verify": "verify:verify",
    "export": "export:export",
    "emulator": "emulator:emulator",
    "auth": "auth:auth",
    "audit": "audit:audit",
    "doctor": "doctor:doctor",
    "github": "github:github",
    "import": "importer:import_",
    "migrate": "migrate:migrate",
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported only when listed or invoked."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        module = importlib.import_module(f"catalog_sync.cli.{module_name}")
        command = getattr(module, attribute)
        assert isinstance(command, click.Command)
        return with_global_options(command, cmd_name, example_epilog)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="catalog-sync")
@click.option(
    "--config",
    "config_path",
    default=None,
    metavar="PATH",
    type=click.Path(dir_okay=False),
    help=CONFIG_HELP,
)
@click.option("--debug", is_flag=True, help=DEBUG_HELP)
@click.pass_context
def cli(ctx: click.Context, config_path: str | None, debug: bool) -> None:
    """CDS banking product reference data as code, synced to Fiskil.

    --config and --debug may also follow the command (`catalog-sync plan --debug`).
    Shell completion: see docs/commands.md#shell-completion.
    """
    from catalog_sync.cli.context import CliContext

    if debug:
        enable_debug()
    ctx.obj = CliContext(config_path=config_path, debug=debug)


def hoist_debug(args: list[str]) -> list[str]:
    """`--debug` anywhere before `--` means the global option, so that "re-run with
    --debug" works however the user appends it (`catalog-sync auth check --debug`)."""
    end = args.index("--") if "--" in args else len(args)
    if "--debug" not in args[:end]:
        return args
    rest = [arg for arg in args[:end] if arg != "--debug"]
    return ["--debug", *rest, *args[end:]]


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI and turn every outcome into an exit code."""
    args = hoist_debug(list(argv if argv is not None else sys.argv[1:]))
    debug = args[:1] == ["--debug"]
    try:
        result: Any = cli.main(
            args=args, prog_name="catalog-sync", standalone_mode=False
        )
    # No `except click.exceptions.Exit`: without standalone mode, click returns the code
    # of an Exit (--help, --version, ctx.exit) from cli.main; the last line exits with it.
    except click.Abort:  # Ctrl-C or end of input inside a command; click raises Abort
        click.echo("Aborted.", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except click.ClickException as exc:
        # Usage errors exit 1, not click's 2: 2 means "changes" for plan and drift.
        exc.show()
        sys.exit(EXIT_FAILURE)
    except KeyboardInterrupt:  # pragma: no cover
        # Inside the command, click turns Ctrl-C into Abort (above); this is for one that
        # lands in click's prologue, before its handler is set up: no test can time that.
        click.echo("Interrupted.", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except CatalogSyncError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except Exception as exc:  # the one blind catch: internal errors exit 3
        if debug:
            raise
        click.echo(
            f"Internal error: {type(exc).__name__}. Re-run with --debug for details.",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)
    sys.exit(result if isinstance(result, int) else 0)
