"""`catalog-sync validate`: every problem in the product files, located, then a count."""

from __future__ import annotations

import os
from pathlib import Path

import click

from catalog_sync.cli.context import CliContext
from catalog_sync.config.model import SCHEMAS
from catalog_sync.errors import EXIT_FAILURE


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(("text", "json", "github")),
    default="text",
    show_default=True,
    help="text for people, json for machines (docs/validate.md), "
    "github for workflow annotations.",
)
@click.option(
    "--schema",
    type=click.Choice(SCHEMAS),
    default=None,
    help="CDS version to validate against (default: `schema` in catalog-sync.yaml).",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Check every file from scratch, ignoring .catalog-sync/validate-cache-*.json.",
)
@click.pass_obj
def validate(
    obj: CliContext,
    paths: tuple[Path, ...],
    output_format: str,
    schema: str | None,
    no_cache: bool,
) -> None:
    """Check product files (default: the whole products folder) against the CDS
    schema and the catalog rules. PATHs may be files or folders. Exit 1 on problems."""
    from catalog_sync.catalog.pipeline import validate_catalog
    from catalog_sync.render.problems import ProblemReport
    from catalog_sync.render.registry import render

    config = obj.load_config()
    # abspath, not resolve(): a symlink must stay visible so the loader can refuse it.
    chosen = [Path(os.path.abspath(path)) for path in paths] or None
    result = validate_catalog(
        config,
        paths=chosen,
        schema=schema,
        use_cache=False if no_cache else None,
        need_documents=False,
    )
    report = ProblemReport(result.problems, result.files_checked, result.schema)
    click.echo(render("problems", output_format, report), nl=False)
    if result.problems:
        raise click.exceptions.Exit(EXIT_FAILURE)
