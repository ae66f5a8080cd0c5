"""One product as a resource of the API: its path, the body a PATCH sends, and the
product a response body carries."""

from __future__ import annotations

import httpx

from catalog_sync.cds.product_id import path_segment
from catalog_sync.types import JSONObject


def product_path(base: str, product_id: str) -> str:
    """`base/{productId}` with the id percent-encoded as exactly one path segment."""
    return f"{base.rstrip('/')}/{path_segment(product_id)}"


def merge_patch(previous: JSONObject, desired: JSONObject) -> JSONObject:
    """The JSON merge patch (RFC 7386) turning `previous` into `desired`: desired's
    fields, objects merged recursively, and null for every field desired lacks."""
    patch: JSONObject = {key: None for key in previous if key not in desired}
    for key, value in desired.items():
        old = previous.get(key)
        if isinstance(value, dict) and isinstance(old, dict):
            patch[key] = merge_patch(old, value)
        else:
            patch[key] = value
    return patch


def response_data(response: httpx.Response) -> JSONObject | None:
    """The product a response carries (`{data: {...}}`, or the object itself), or None
    when the body is empty, not JSON or not an object."""
    if not response.content:
        return None
    try:
        body = response.json()
    except ValueError:
        return None
    if isinstance(body, dict):
        data = body.get("data", body)
        return data if isinstance(data, dict) else None
    return None
