"""`catalog-sync init [DIR]`: scaffold a catalog repository that works on `local` at once
and whose workflows install exactly this version of catalog-sync."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument(
    "directory",
    required=False,
    default=".",
    type=click.Path(file_okay=False, path_type=Path),
)
@click.option(
    "--example", is_flag=True, help="Add the example catalog (16 products, 2 brands)."
)
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
@click.option(
    "--action",
    metavar="OWNER/REPO@SHA",
    default=None,
    help="Install through the catalog-sync GitHub Action at this commit instead of "
    "pip install catalog-sync==<this version>.",
)
def init(directory: Path, example: bool, force: bool, action: str | None) -> None:
    """Create a catalog repository in DIRECTORY (default: here): catalog-sync.yaml,
    products/, the pull-request, apply and drift workflows, pre-commit hooks, editor
    schema association and a README for the people who edit products. Existing files
    are never overwritten without --force."""
    from catalog_sync import __version__
    from catalog_sync.scaffold.init import plan_scaffold
    from catalog_sync.scaffold.init import write_scaffold
    from catalog_sync.scaffold.install import Install
    from catalog_sync.scaffold.install import parse_action

    install = Install(__version__, parse_action(action) if action is not None else None)
    written = write_scaffold(
        plan_scaffold(install, example=example), directory, force=force
    )
    click.echo(f"Created a catalog in {directory} ({len(written)} files).")
    where = "" if directory == Path(".") else f"cd {directory} && "
    click.echo(f"Next: {where}catalog-sync validate && catalog-sync plan")
