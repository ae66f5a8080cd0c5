"""Whether a write the server refused or lost is done anyway: a create whose earlier
attempt landed, or a 409/412 because live already equals what was sent (our own retry,
or a concurrent apply that made live so). `found` is the product as read back."""

from __future__ import annotations

import logging
from collections.abc import Callable

import httpx

from catalog_sync.errors import ConflictError
from catalog_sync.fiskil.compare import matches_sent
from catalog_sync.fiskil.responses import error_for_response
from catalog_sync.fiskil.transport import describe_request
from catalog_sync.types import JSONObject

logger = logging.getLogger("catalog_sync.fiskil.products")


def landed_create(
    product: JSONObject, found: JSONObject | None, *, what: str, path: str
) -> JSONObject | None:
    """After an interrupted create: the product if an earlier attempt landed as sent,
    None if nothing landed, ConflictError if something else has its productId."""
    if found is None:
        return None
    if matches_sent(product, found):
        logger.info("%s: an earlier attempt landed; counted as created", what)
        return found
    raise ConflictError(
        f"{what}: productId {product.get('productId')!r} exists with different content "
        "after an interrupted create; changed underneath us, re-plan",
        status=409,
        method="POST",
        url=path,
        hint="run plan again to see the current difference",
    )


def already_live(
    product: JSONObject,
    found: JSONObject | None,
    response: httpx.Response,
    equal: Callable[[JSONObject, JSONObject], bool],
) -> JSONObject:
    """A write refused with 409/412 is done when live already equals what was sent
    (someone made it so); otherwise it is the conflict the server said."""
    if found is not None and equal(product, found):
        logger.info(
            "%s: %d, but live already equals what was sent; counted as done",
            describe_request(response.request),
            response.status_code,
        )
        return found
    raise error_for_response(response)
