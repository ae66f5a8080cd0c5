"""`catalog-sync audit show FILE`: read the audit record an apply left in
`.catalog-sync/audit/` (finished, failed or killed)."""

from __future__ import annotations

from pathlib import Path

import click


@click.group()
def audit() -> None:
    """Read the audit records apply writes to .catalog-sync/audit/."""


@audit.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(("text", "json")),
    default="text",
    show_default=True,
    help="text for people; json: the record as one document (completed with "
    '"end": null when the apply never finished it).',
)
def show(file: Path, output_format: str) -> None:
    """Show who applied what, where, every call and its answer, every operation, what
    customers saw, and how the apply ended."""
    from catalog_sync.audit.reading import read_record
    from catalog_sync.render.audit import render_audit

    click.echo(render_audit(read_record(file), output_format), nl=False)
