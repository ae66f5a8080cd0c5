"""Read the live catalog through a ProductsApi, refusing a server answer that names the
same productId twice or lists a product without one (planning against it would be a
guess)."""

from __future__ import annotations

from collections.abc import Iterator

from catalog_sync.apply.api import ProductsApi
from catalog_sync.errors import ApiError
from catalog_sync.types import JSONObject


def iter_live(api: ProductsApi) -> Iterator[tuple[str, JSONObject]]:
    """(productId, product) for every live product, page by page as the server lists
    them; only the productIds seen so far are kept."""
    seen: set[str] = set()
    for product in api.iter_products():
        product_id = product.get("productId")
        if not isinstance(product_id, str) or not product_id:
            raise ApiError(
                "the API listed a product without a productId",
                hint="the live catalog cannot be planned against; check the API's data",
            )
        if product_id in seen:
            raise ApiError(
                f"the API listed productId {product_id!r} twice",
                hint="the live catalog holds a duplicate; remove it in the console "
                "before planning",
            )
        seen.add(product_id)
        yield product_id, product


def read_live(api: ProductsApi) -> dict[str, JSONObject]:
    """Every live product by productId, in the order the server listed them."""
    return dict(iter_live(api))
