"""One normalisation for both sides of a diff: the desired product from YAML and the live
product from the API become the same canonical JSON object before they are compared.

Rules (docs/plan-format.md, "Normalisation"): `null`, `[]` and `{}` mean absent;
server-managed fields are dropped; rate and amount strings take a canonical decimal form;
a fee's `currency: AUD` (the CDS default) is dropped; arrays are sorted by identity then
content; object keys are sorted. `normalize(normalize(x)) == normalize(x)`.
"""

from __future__ import annotations

from collections.abc import Collection
from collections.abc import Mapping
from typing import Any
from typing import Final

from catalog_sync.cds.identity import canonical_json
from catalog_sync.cds.identity import element_key
from catalog_sync.cds.units import AMOUNT_FIELDS
from catalog_sync.cds.units import RATE_FIELDS
from catalog_sync.cds.units import TIER_BOUND_FIELDS
from catalog_sync.cds.units import canonical_decimal
from catalog_sync.cds.units import value_unit
from catalog_sync.types import JSONObject

SERVER_MANAGED_FIELDS: Final = frozenset({"lastUpdated"})
"""Top-level fields the server sets; never compared, never sent."""

DEFAULT_CURRENCY: Final = "AUD"


class _Absent:
    """Marks a value that normalises to nothing (null, empty array, empty object)."""


_ABSENT: Final = _Absent()

# The only fields whose string value canonical_decimal can change (rates and amounts;
# tier bounds and additionalValue depend on their siblings): value_unit is asked only
# about these.
_UNIT_CANDIDATES: Final = (
    RATE_FIELDS | AMOUNT_FIELDS | TIER_BOUND_FIELDS | {"additionalValue"}
)


def normalize(
    product: Mapping[str, Any],
    *,
    server_managed: Collection[str] = SERVER_MANAGED_FIELDS,
) -> JSONObject:
    """The canonical form of a product (a new object; the input is not modified)."""
    kept = {key: value for key, value in product.items() if key not in server_managed}
    return _object(kept, None)


def _object(obj: Mapping[str, Any], array_name: str | None) -> JSONObject:
    out: JSONObject = {}
    for key in sorted(obj, key=str):
        value = obj[key]
        # Exact-type fast paths for what JSON and YAML produce; _value handles the rest.
        kind = type(value)
        if kind is str:
            if key in _UNIT_CANDIDATES:
                value = canonical_decimal(value, value_unit(key, obj, array_name))
        elif kind is dict:
            value = _object(value, None) or _ABSENT
        elif kind is list:
            value = _array(value, key)
        elif kind is not bool and kind is not int and kind is not float:
            value = _value(value, str(key), obj, array_name)
        if value is not _ABSENT:
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
        if type(item) is dict or isinstance(item, Mapping):
            element: Any = _object(item, field) or _ABSENT
        elif isinstance(item, list | tuple):
            element = _array(item, field)
        else:
            element = _ABSENT if item is None else item
        if element is not _ABSENT:
            normalized.append(element)
    if not normalized:
        return _ABSENT
    if len(normalized) == 1:
        return normalized
    return _sorted_by_identity(normalized, field)


def _sorted_by_identity(elements: list[Any], field: str) -> list[Any]:
    """`sorted(elements, key=sort_key(field, .))`, encoding an element's whole content
    only when another element shares its identity key: with a unique identity the
    content part of the key is never compared, so it can be left empty."""
    identities = [element_key(field, element) for element in elements]
    if len(set(identities)) == len(identities):
        order = sorted(range(len(elements)), key=identities.__getitem__)
        return [elements[i] for i in order]
    shared = {key for key in identities if identities.count(key) > 1}
    keys = [
        (key, canonical_json(element) if key in shared else "")
        for key, element in zip(identities, elements, strict=True)
    ]
    order = sorted(range(len(elements)), key=keys.__getitem__)
    return [elements[i] for i in order]
