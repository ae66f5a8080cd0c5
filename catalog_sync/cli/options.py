"""Options shared by the plan/apply/show/drift/export commands, defined once and stacked
as decorators (the pip-tools `scripts/options.py` pattern)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from typing import TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

PLAN_FORMATS = ("text", "markdown", "json")


def complete_environments(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[str]:
    """Shell completion of `--env`: the environments of the catalog found from here
    (none when there is no readable catalog-sync.yaml: completion never fails)."""
    from pathlib import Path

    from catalog_sync.config.discover import locate_config
    from catalog_sync.config.load import load_config
    from catalog_sync.errors import CatalogSyncError

    explicit = getattr(ctx.find_root().obj, "config_path", None)
    try:
        config = load_config(locate_config(explicit, Path.cwd()))
    except CatalogSyncError:
        return []
    return [name for name in sorted(config.environments) if name.startswith(incomplete)]


def env_option(function: F) -> F:
    return click.option(
        "--env",
        "env_name",
        default=None,
        metavar="NAME",
        shell_complete=complete_environments,
        help="Environment from catalog-sync.yaml (default: local, the embedded store).",
    )(function)


def format_option(function: F) -> F:
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(PLAN_FORMATS),
        default="text",
        show_default=True,
        help="How to render: text for people, markdown for pull requests and issues, "
        "json for machines.",
    )(function)


def detailed_exitcode_option(function: F) -> F:
    return click.option(
        "--detailed-exitcode",
        is_flag=True,
        help="Exit 2 when there are changes (0 none, 1 error).",
    )(function)


def apply_safety_options(function: F) -> F:
    """--allow-delete, --force and --parallelism."""
    function = click.option(
        "--parallelism",
        type=click.IntRange(1, 64),
        default=4,
        show_default=True,
        help="Writes in flight at most (fewer while the server answers 429).",
    )(function)
    function = click.option(
        "--force",
        is_flag=True,
        help="Allow removing more than 30 % of at least 10 live products.",
    )(function)
    return click.option(
        "--allow-delete",
        is_flag=True,
        help="Allow the plan to delete live products (removal: delete).",
    )(function)


def product_option(function: F) -> F:
    return click.option(
        "--product",
        "products",
        multiple=True,
        metavar="ID",
        help="Only this productId (repeatable), like Terraform's -target: a partial "
        "plan that leaves every other product out.",
    )(function)


def color_options(function: F) -> F:
    """--no-color and --commit: how a plan is shown."""
    function = click.option(
        "--commit",
        metavar="SHA",
        default=None,
        help="The commit the product files come from; the Markdown plan names it.",
    )(function)
    return click.option(
        "--no-color",
        is_flag=True,
        help="No colour in the text plan (also when NO_COLOR is set).",
    )(function)
