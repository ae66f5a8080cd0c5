"""The interface the engine uses to read and write live products, whatever the transport."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from catalog_sync.types import JSONObject


class ProductsApi(Protocol):
    """Products CRUD by natural key (productId). Implemented by `fiskil.products.ProductsClient`
    over HTTP (Fiskil, or the emulator in-process through `httpx.WSGITransport`)."""

    def iter_products(self) -> Iterator[JSONObject]:
        """Every live product, full detail, page by page."""
        ...

    def get_product(self, product_id: str) -> JSONObject | None:
        """One product's detail, or None if it does not exist."""
        ...

    def create_product(self, product: JSONObject) -> JSONObject:
        """Create; safe to call after an ambiguous failure (reconciles by productId)."""
        ...

    def update_product(self, product_id: str, product: JSONObject) -> JSONObject:
        """Full replace (PUT) or merge (PATCH), as the api contract says."""
        ...

    def delete_product(self, product_id: str) -> None:
        """Delete; a product that is already gone counts as deleted."""
        ...


class WritableProductsApi(ProductsApi, Protocol):
    """ProductsApi whose updates and deletes can carry If-Match (ProductsClient)."""

    def update_product(
        self,
        product_id: str,
        product: JSONObject,
        *,
        if_match: str | None = None,
        previous: JSONObject | None = None,
    ) -> JSONObject: ...

    def delete_product(
        self, product_id: str, *, if_match: str | None = None
    ) -> None: ...
