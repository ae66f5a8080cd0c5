"""`catalog-sync migrate`: upgrade product files from CDS V3-V6 to V7 (or V6), then report
per product what was converted, derived and what a human must still fill in."""

from __future__ import annotations

import os
from pathlib import Path

import click

from catalog_sync.cli.context import CliContext
from catalog_sync.errors import EXIT_FAILURE

_TARGETS = ("cds-v7", "cds-v6")
_VERSIONS = ("v3", "v4", "v5", "v6", "v7")


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--to",
    "target",
    type=click.Choice(_TARGETS),
    default=None,
    help="Schema to migrate to (default: `schema` in catalog-sync.yaml).",
)
@click.option(
    "--from",
    "source_version",
    type=click.Choice(_VERSIONS),
    default=None,
    help="Treat every file as this CDS version instead of detecting it per file.",
)
@click.option("--dry-run", is_flag=True, help="Report only; write no files.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(("text", "markdown", "json")),
    default="text",
    show_default=True,
    help="Report format (json is versioned: docs/onboarding.md).",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the report to this file instead of standard output.",
)
@click.pass_obj
def migrate(
    obj: CliContext,
    paths: tuple[Path, ...],
    target: str | None,
    source_version: str | None,
    dry_run: bool,
    output_format: str,
    report_path: Path | None,
) -> None:
    """Migrate product files (default: the products folder) in place. PATHs may be
    files or folders. Exit 0 when every file is now valid, 1 when something needs a
    human (the report lists each, with file and line). Re-running changes nothing."""
    from catalog_sync.onboarding.files import migrate_files
    from catalog_sync.onboarding.report import build_report
    from catalog_sync.render.registry import render

    config = obj.load_config()
    if report_path is not None and not report_path.absolute().parent.is_dir():
        # Checked first: migrating the files and then failing to report would be worse.
        raise click.BadParameter(
            f"the folder {report_path.parent} does not exist",
            param_hint="--report",
        )
    chosen = target or config.schema
    files, errors = migrate_files(
        config.products_dir,
        root=config.root,
        paths=[Path(os.path.abspath(p)) for p in paths] or None,
        to=chosen,
        source_version=source_version,
        dry_run=dry_run,
        max_file_bytes=config.max_file_bytes,
        max_files=config.max_files,
        extension_prefixes=config.extension_prefixes,
    )
    report = build_report(files, target=chosen, errors=errors)
    text = render("migration", output_format, report)
    if report_path is None:
        click.echo(text, nl=False)
    else:
        try:
            report_path.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise click.FileError(str(report_path), exc.strerror) from None
        click.echo(render("migration", "text", report).splitlines()[-2], err=True)
    if errors or any(not item.is_valid for item in files):
        raise click.exceptions.Exit(EXIT_FAILURE)
