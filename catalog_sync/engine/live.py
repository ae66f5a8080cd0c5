"""Read the live catalog through a ProductsApi into `{productId: product}`, refusing a
server answer that names the same productId twice (planning against it would be a guess)."""

from __future__ import annotations

from catalog_sync.errors import ApiError
from catalog_sync.fiskil.protocol import ProductsApi
from catalog_sync.types import JSONObject


def read_live(api: ProductsApi) -> dict[str, JSONObject]:
    """Every live product by productId, in the order the server listed them."""
    live: dict[str, JSONObject] = {}
    for product in api.iter_products():
        product_id = product.get("productId")
        if not isinstance(product_id, str) or not product_id:
            raise ApiError(
                "the API listed a product without a productId",
                hint="the live catalog cannot be planned against; check the API's data",
            )
        if product_id in live:
            raise ApiError(
                f"the API listed productId {product_id!r} twice",
                hint="the live catalog holds a duplicate; remove it in the console "
                "before planning",
            )
        live[product_id] = product
    return live
