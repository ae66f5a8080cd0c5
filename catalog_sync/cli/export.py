"""`catalog-sync export`: write the live catalog as product files."""

from __future__ import annotations

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
@click.pass_obj
def export(
    obj: CliContext,
    env_name: str | None,
    out_dir: Path | None,
    products: tuple[str, ...],
) -> None:
    """Write every live product (or only `--product ID`) to OUT/<brand>/<productId>.yaml."""
    from catalog_sync.workflow import export_live

    config = obj.load_config()
    target = out_dir or config.products_dir
    written = export_live(config, env_name, target, products=products)
    click.echo(f"Exported {len(written)} product(s) to {target}.")
