"""The one interface plan and apply use to read and write live products, whatever the
transport: `fiskil.products.ProductsClient` implements it over HTTP (Fiskil, or the
emulator in-process through an httpx transport)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from catalog_sync.types import JSONObject


class ProductsApi(Protocol):
    """Products by natural key (productId)."""

    def iter_products(self) -> Iterator[JSONObject]:
        """Every live product, full detail, page by page."""
        ...

    def get_product(self, product_id: str) -> JSONObject | None:
        """One product's detail, or None if it does not exist."""
        ...

    def get_product_with_version(
        self, product_id: str
    ) -> tuple[JSONObject, str | None] | None:
        """One product's detail and its ETag (None when the server sends none)."""
        ...

    def create_product(self, product: JSONObject) -> JSONObject:
        """Create; safe to call after an ambiguous failure (reconciles by productId)."""
        ...

    def update_product(
        self,
        product_id: str,
        product: JSONObject,
        *,
        if_match: str | None = None,
        previous: JSONObject | None = None,
    ) -> JSONObject:
        """Full replace (PUT) or merge (PATCH, which nulls what `previous` had and
        `product` lacks), as the api contract says; If-Match when given."""
        ...

    def delete_product(self, product_id: str, *, if_match: str | None = None) -> None:
        """Delete; a product that is already gone counts as deleted."""
        ...

    def interrupt(self) -> None:
        """Ctrl-C: requests waiting to retry give up now instead of sleeping on."""
        ...

    def close(self) -> None: ...
