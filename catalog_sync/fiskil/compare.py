"""Decide whether a product on the server is the one we tried to create, after an
interrupted create: compare only the fields we sent, after a light normalisation."""

from __future__ import annotations

import re
from decimal import Decimal
from decimal import InvalidOperation
from typing import Any

from catalog_sync.types import JSONObject

SERVER_MANAGED = frozenset({"lastUpdated"})
_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")


def _normalised(value: Any) -> Any:
    if isinstance(value, dict):
        cleaned = {
            key: _normalised(item)
            for key, item in value.items()
            if key not in SERVER_MANAGED
        }
        return {k: v for k, v in cleaned.items() if v not in (None, [], {})}
    if isinstance(value, list):
        return [_normalised(item) for item in value]
    if isinstance(value, str) and _DECIMAL.match(value):
        try:
            return str(Decimal(value).normalize())
        except InvalidOperation:
            return value
    return value


def matches_sent(sent: JSONObject, live: JSONObject) -> bool:
    """True when every field we sent has the same (normalised) value on the server:
    `"0.0500"` equals `"0.05"`, null/[]/{} equal absent, `lastUpdated` is ignored."""
    ours = _normalised(sent)
    theirs = _normalised(live)
    return all(theirs.get(key) == value for key, value in ours.items())
