"""Read the public endpoint for verify: the list of every product (`effective=ALL`), then
each product's detail, at most `concurrency` at a time, through the reader's retries
(which honour 429 `Retry-After`). A detail that cannot be read is reported for that
product; a list that cannot be read fails the whole reading."""

from __future__ import annotations

from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor

from catalog_sync.errors import ApiError
from catalog_sync.fiskil.public import PublicReader
from catalog_sync.verify.compare import Reading
from catalog_sync.verify.compare import Served


def read_public(
    reader: PublicReader,
    product_ids: Collection[str] | None = None,
    *,
    concurrency: int = 4,
) -> Reading:
    """The details of `product_ids`, or of every listed product when None (a product
    that is not listed is then simply absent from the reading)."""
    if product_ids is None:
        listed = (summary.get("productId") for summary in reader.iter_products())
        ids = sorted({pid for pid in listed if isinstance(pid, str)})
    else:
        ids = sorted(set(product_ids))
    if not ids:
        return {}
    with ThreadPoolExecutor(max_workers=max(1, min(concurrency, len(ids)))) as pool:
        details = list(pool.map(lambda pid: _detail(reader, pid), ids))
    return dict(zip(ids, details, strict=True))


def _detail(reader: PublicReader, product_id: str) -> Served | str | None:
    try:
        found = reader.get_product_versioned(product_id)
    except ApiError as exc:
        return f"the detail could not be read: {exc}"
    if found is None:
        return None
    product, version = found
    return Served(product, version)
