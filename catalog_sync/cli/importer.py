"""`catalog-sync import`: bring an existing catalog into the repository as product files,
from saved detail responses (`--from-dir`) or a holder's public PRD endpoint."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from catalog_sync.cli.context import CliContext
from catalog_sync.errors import EXIT_FAILURE

if TYPE_CHECKING:
    from catalog_sync.onboarding.importer import ImportResult


@click.command("import")
@click.option(
    "--from-dir",
    "from_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of saved product-detail responses (JSON or YAML, with or without "
    "the {data: ...} envelope).",
)
@click.option(
    "--from-public",
    "from_public",
    metavar="BASE_URL",
    default=None,
    help="A holder's public PRD base URL (https); reads "
    "/cds-au/v1/banking/products and every product's detail.",
)
@click.option("--brand", default=None, help="Import only products of this brand.")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to write into (default: products_dir from catalog-sync.yaml).",
)
@click.option(
    "--overwrite",
    is_flag=True,
    help="Replace files that already exist (default: keep them, so a re-run resumes).",
)
@click.pass_obj
def import_(
    obj: CliContext,
    from_dir: Path | None,
    from_public: str | None,
    brand: str | None,
    out_dir: Path | None,
    overwrite: bool,
) -> None:
    """Import an existing catalog as product files, one per product, as served:
    OUT/<brand>/<productId>.yaml. Then run `catalog-sync migrate`. Exit 1 when a file
    or a product could not be read or written (everything else is still written)."""
    from catalog_sync.catalog.formatting import SCHEMAS_FOLDER
    from catalog_sync.onboarding.importer import import_from_dir
    from catalog_sync.onboarding.public import import_from_public
    from catalog_sync.onboarding.public import open_public_source

    if (from_dir is None) == (from_public is None):
        raise click.UsageError(
            "say where to import from: --from-dir DIR or --from-public BASE_URL"
        )
    config = obj.load_config()
    target = out_dir or config.products_dir
    schema_file = config.root / SCHEMAS_FOLDER / f"{config.schema}.json"
    if from_public is not None:
        with open_public_source(config, from_public) as reader:
            result = import_from_public(
                reader,
                target,
                brand=brand,
                overwrite=overwrite,
                concurrency=config.api.detail_concurrency,
                schema_file=schema_file,
            )
    else:
        assert from_dir is not None
        result = import_from_dir(
            from_dir,
            target,
            brand=brand,
            overwrite=overwrite,
            max_file_bytes=4 * config.max_file_bytes,
            schema_file=schema_file,
        )
    _echo_summary(result, target)
    if result.problems or not all(item.chosen for item in result.skipped):
        raise click.exceptions.Exit(EXIT_FAILURE)


def _echo_summary(result: ImportResult, target: Path) -> None:
    """Every skipped product and unreadable file on stderr, then one summary line."""
    for skipped in result.skipped:
        click.echo(
            f"skipped {skipped.source} ({skipped.product_id}): {skipped.reason}",
            err=True,
        )
    for problem in result.problems:
        click.echo(problem.format_text(), err=True)
    written = sum(1 for item in result.imported if item.written)
    kept = len(result.imported) - written
    click.echo(
        f"Imported {written} product(s) into {target}"
        + (f", kept {kept} existing file(s)" if kept else "")
        + (f", skipped {len(result.skipped)}" if result.skipped else "")
        + (f", {len(result.problems)} unreadable" if result.problems else "")
        + (
            ". Next: catalog-sync migrate"
            if result.imported
            else ". Nothing to migrate: see the messages above."
        )
    )
