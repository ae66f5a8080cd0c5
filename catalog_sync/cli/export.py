"""`catalog-sync export`: write the live catalog as product files, never destroying work:
files that exist are updated in place with their comments and layout kept."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from catalog_sync.cli.context import CliContext
from catalog_sync.cli.options import env_option
from catalog_sync.cli.options import product_option


@click.command()
@env_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to write into (default: products_dir from catalog-sync.yaml).",
)
@product_option
@click.option(
    "--force",
    is_flag=True,
    help="Write even when a file in the folder cannot be read, or a new product's "
    "file name is taken (those files are overwritten).",
)
@click.pass_obj
def export(
    obj: CliContext,
    env_name: str | None,
    out_dir: Path | None,
    products: tuple[str, ...],
    force: bool,
) -> None:
    """Write live products (or only `--product ID`) to OUT/<brand>/<productId>.yaml.
    A product that a file already holds is updated in that file: only the values that
    differ change, and its comments and layout stay."""
    from catalog_sync.workflow import export_live

    config = obj.load_config()
    target = out_dir or config.products_dir
    written = export_live(config, env_name, target, products=products, force=force)
    for exported in written:
        if exported.status != "unchanged":
            click.echo(f"{exported.status} {exported.path}")
    counts = Counter(exported.status for exported in written)
    click.echo(
        f"Exported {len(written)} product(s) to {target}: {counts['created']} "
        f"created, {counts['updated']} updated, {counts['unchanged']} unchanged."
    )
