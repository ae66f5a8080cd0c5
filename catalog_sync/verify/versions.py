"""Which detail version verify asks for, and which fields an older served version cannot
carry: when the public endpoint serves only an older version than `schema:`, verify
compares the fields both versions share. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from catalog_sync.types import JSONObject

FIELDS_ADDED_IN: Mapping[int, frozenset[str]] = {
    7: frozenset({"brandGroup", "instalments"}),
}
"""Product fields each Get Product Detail version added (from the generated schemas:
tests/verify/test_versions.py derives the V6 to V7 difference from schemas/ again)."""


def schema_version(schema: str) -> int:
    """The detail version a `schema:` setting names: `cds-v7` is 7."""
    return int(schema.rsplit("v", 1)[1])


def fields_not_served(served: int, wanted: int) -> tuple[str, ...]:
    """The fields of version `wanted` that version `served` does not have, sorted."""
    missing: set[str] = set()
    for version in range(served + 1, wanted + 1):
        missing |= FIELDS_ADDED_IN.get(version, frozenset())
    return tuple(sorted(missing))


def without(product: Mapping[str, Any], fields: tuple[str, ...]) -> JSONObject:
    """`product` without the top-level `fields` (a new object)."""
    return {key: value for key, value in product.items() if key not in fields}
