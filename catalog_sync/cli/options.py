"""Options shared by the plan/apply/show/drift/export commands, defined once and stacked
as decorators (the pip-tools `scripts/options.py` pattern)."""

from __future__ import annotations

import re
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


class Duration(click.ParamType[float]):
    """Seconds from `90`, `90s`, `2m`, `1m30s` or `1h`."""

    name = "duration"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        if isinstance(value, int | float):
            return float(value)
        text = str(value).strip().lower()
        match = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?", text)
        if not text or match is None:
            self.fail(
                f"{value!r} is not a duration; write it like 90s, 2m, 1m30s or 1h",
                param,
                ctx,
            )
        hours, minutes, seconds = (int(group or 0) for group in match.groups())
        return float(hours * 3600 + minutes * 60 + seconds)


DURATION = Duration()


def verify_options(function: F) -> F:
    """apply's --verify/--no-verify, --verify-wait and --require-visible."""
    function = click.option(
        "--require-visible",
        is_flag=True,
        help="Exit 1 when customers do not see the change by the end of the wait.",
    )(function)
    function = click.option(
        "--verify-wait",
        type=DURATION,
        default="2m",
        show_default=True,
        metavar="DURATION",
        help="How long to wait for the public endpoint to serve the change.",
    )(function)
    return click.option(
        "--verify/--no-verify",
        default=True,
        show_default=True,
        help="After a successful apply, check that the public PRD endpoint "
        "(public_base_url) serves the changed products as applied.",
    )(function)
