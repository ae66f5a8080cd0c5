"""Import from a holder's public PRD endpoint: list every product (`effective=ALL`), then
read each detail (newest `x-v` the holder serves first) with bounded concurrency, through
the retrying client that honours 429 `Retry-After`. Resumable: a product whose file exists
is not fetched again. Products that cannot be read are reported, never fatal."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import as_completed
from dataclasses import replace
from pathlib import Path

import httpx

from catalog_sync.catalog.layout import product_file
from catalog_sync.cds.product_id import path_segment
from catalog_sync.config.model import Config
from catalog_sync.errors import ApiError
from catalog_sync.fiskil.clock import Clock
from catalog_sync.fiskil.public import PublicReader
from catalog_sync.fiskil.retry import Retrier
from catalog_sync.fiskil.session import build_http_client
from catalog_sync.onboarding.importer import Imported
from catalog_sync.onboarding.importer import ImportResult
from catalog_sync.onboarding.importer import Skipped
from catalog_sync.onboarding.importer import write_products
from catalog_sync.onboarding.saved import SavedProduct
from catalog_sync.types import JSONObject

OLDEST_DETAIL_VERSION = 3
"""Onboarding reads any detail version down to V3: old shapes are what migrate is for."""


def open_public_source(
    config: Config,
    base_url: str,
    *,
    transport: httpx.BaseTransport | None = None,
    clock: Clock | None = None,
) -> PublicReader:
    """A reader for the public endpoints under `base_url` (https, or http to loopback)
    that accepts every detail version from `api.public_version` down to V3."""
    api = replace(
        config.api,
        public_min_version=min(config.api.public_min_version, OLDEST_DETAIL_VERSION),
    )
    retrier = Retrier.from_contract(api, clock=clock)
    http = build_http_client(
        base_url.rstrip("/"), api=api, retrier=retrier, transport=transport
    )
    return PublicReader(http, api=api)


def import_from_public(
    reader: PublicReader,
    out_dir: Path,
    *,
    brand: str | None = None,
    overwrite: bool = False,
    concurrency: int = 4,
    schema_file: Path | None = None,
) -> ImportResult:
    """Import every product the public list shows into `out_dir` (see module doc).

    A failure to read the list itself raises (nothing could be imported); a product
    whose detail cannot be read is reported in `skipped` with the reason.
    """
    filters = {"brand": brand} if brand else {}
    summaries = list(reader.iter_products(effective="ALL", **filters))
    base = str(reader.http.base_url).rstrip("/") + reader.api.public_products_path
    imported, skipped, to_fetch = _plan(summaries, out_dir, base, overwrite=overwrite)
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        futures = {pool.submit(_fetch, reader, pid): pid for pid in to_fetch}
        for future in as_completed(futures):
            pid = futures[future]
            outcome = future.result()
            if isinstance(outcome, str):
                skipped.append(Skipped(_url(base, pid), pid, outcome))
                continue
            data, version = outcome
            source = f"{_url(base, pid)} (x-v {version})"
            written = write_products(
                [SavedProduct(source, data)],
                out_dir,
                brand=brand,
                overwrite=overwrite,
                schema_file=schema_file,
            )
            imported.extend(written.imported)
            skipped.extend(written.skipped)
    imported.sort(key=lambda item: item.product_id)
    skipped.sort(key=lambda item: item.product_id)
    return ImportResult(tuple(imported), tuple(skipped), ())


def _plan(
    summaries: list[JSONObject], out_dir: Path, base: str, *, overwrite: bool
) -> tuple[list[Imported], list[Skipped], list[str]]:
    """(kept because the file exists, refused ids, ids to fetch): what makes a re-run
    resume instead of reading every detail again."""
    imported: list[Imported] = []
    skipped: list[Skipped] = []
    to_fetch: list[str] = []
    for summary in summaries:
        pid = str(summary.get("productId"))
        path = product_file(summary, out_dir)
        if isinstance(path, str):
            skipped.append(Skipped(_url(base, pid), pid, path))
        elif path.exists() and not overwrite:
            imported.append(Imported(pid, path, _url(base, pid), written=False))
        else:  # each pid once: the reader's PageGuard refuses a productId listed twice
            to_fetch.append(pid)
    return imported, skipped, to_fetch


def _fetch(reader: PublicReader, product_id: str) -> tuple[JSONObject, int] | str:
    """The detail and its version, or why it could not be read."""
    try:
        found = reader.get_product_versioned(product_id)
    except ApiError as exc:
        return f"could not read the detail: {exc}"
    if found is None:
        return "listed, but its detail answers 404"
    return found


def _url(base: str, product_id: str) -> str:
    """The detail URL of `product_id`: how a source is named in messages and headers."""
    return f"{base}/{path_segment(product_id)}"
