"""Resolve plain YAML scalars the YAML 1.2 core way, so YAML 1.1 surprises never happen.

Only `true`/`false` are booleans (`yes`, `no`, `on`, `off`, `y`, `n` stay strings), integers
are plain decimal without leading zeros (`0123` stays a string), there are no timestamps and
no sexagesimal numbers (`2024-01-01` and `12:30` stay strings), and floats are decimals
with a point (`1.10`, `-0.5`, `1.0e+3`).
"""

from __future__ import annotations

import math
import re

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
# A decimal point is required and an exponent needs its sign: the floats YAML 1.1 and 1.2
# agree on, so `1e3` or `0E0` (a product code?) is never silently a number.
_FLOAT = re.compile(r"[-+]?(?:(?:0|[1-9][0-9]*)\.[0-9]*|\.[0-9]+)(?:[eE][-+][0-9]+)?")
# Characters a non-string plain scalar can start with; anything else is a string at once.
_MAYBE_NOT_STRING = frozenset("-+.0123456789~nNtTfF")
# Longer digit runs stay strings: int() of huge strings is slow or refused by CPython.
_MAX_NUMBER_CHARS = 64

Scalar = str | int | float | bool | None


def resolve_plain(text: str) -> Scalar:
    """The value of an unquoted, untagged scalar whose source text is `text`."""
    if not text:
        return None
    if text[0] not in _MAYBE_NOT_STRING:
        return text
    if text in _NULLS:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if len(text) > _MAX_NUMBER_CHARS:
        return text
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text):
        number = float(text)
        # JSON has no infinity: `1e999` stays the text the user wrote.
        return number if math.isfinite(number) else text
    return text
