"""One normalisation for both sides of a diff: the desired product from YAML and the live
product from the API become the same canonical JSON object before they are compared.

Rules (docs/plan-format.md, "Normalisation"): `null`, `[]` and `{}` mean absent;
server-managed fields are dropped; rate and amount strings take a canonical decimal form;
a fee's `currency: AUD` (the CDS default) is dropped; arrays are sorted by identity then
content; object keys are sorted. `normalize(normalize(x)) == normalize(x)`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from collections.abc import Mapping
from typing import Any
from typing import Final

from catalog_sync.engine.identity import canonical_json
from catalog_sync.engine.identity import sort_key
from catalog_sync.engine.units import canonical_decimal
from catalog_sync.engine.units import value_unit
from catalog_sync.types import JSONObject

SERVER_MANAGED_FIELDS: Final = frozenset({"lastUpdated"})
"""Top-level fields the server sets; never compared, never sent."""

DEFAULT_CURRENCY: Final = "AUD"


class _Absent:
    """Marks a value that normalises to nothing (null, empty array, empty object)."""


_ABSENT: Final = _Absent()


def normalize(
    product: Mapping[str, Any],
    *,
    server_managed: Collection[str] = SERVER_MANAGED_FIELDS,
) -> JSONObject:
    """The canonical form of a product (a new object; the input is not modified)."""
    kept = {key: value for key, value in product.items() if key not in server_managed}
    return _object(kept, None)


def canonical_hash(product: Mapping[str, Any]) -> str:
    """sha256 hex of the canonical JSON of `normalize(product)`: equal hashes, equal
    products, so the deep diff can be skipped."""
    text = canonical_json(normalize(product))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _object(obj: Mapping[str, Any], array_name: str | None) -> JSONObject:
    out: JSONObject = {}
    for key in sorted(obj, key=str):
        value = _value(obj[key], str(key), obj, array_name)
        if not isinstance(value, _Absent):
            out[str(key)] = value
    if array_name == "fees" and out.get("currency") == DEFAULT_CURRENCY:
        del out["currency"]
    return out


def _value(
    value: Any, field: str, parent: Mapping[str, Any], array_name: str | None
) -> Any:
    if value is None:
        return _ABSENT
    if isinstance(value, Mapping):
        return _object(value, None) or _ABSENT
    if isinstance(value, list | tuple):
        return _array(value, field)
    return canonical_decimal(value, value_unit(field, parent, array_name))


def _array(items: list[Any] | tuple[Any, ...], field: str) -> Any:
    normalized = []
    for item in items:
        if isinstance(item, Mapping):
            element: Any = _object(item, field) or _ABSENT
        elif isinstance(item, list | tuple):
            element = _array(item, field)
        else:
            element = _ABSENT if item is None else item
        if not isinstance(element, _Absent):
            normalized.append(element)
    if not normalized:
        return _ABSENT
    return sorted(normalized, key=lambda element: sort_key(field, element))
