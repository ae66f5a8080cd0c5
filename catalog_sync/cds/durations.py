"""ISO-8601 durations (`P1M`, `P1Y6M`, `P90D`) as CDS uses them for terms, periods and
frequencies: in words for people, and as an approximate length in days so two can be
compared ("shorter", "longer")."""

from __future__ import annotations

import re
from typing import Any

from catalog_sync.english import plural

_DURATION = re.compile(
    r"^P(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+)S)?)?$"
)
_UNITS = ("year", "month", "week", "day", "hour", "minute", "second")
# Approximate days per unit: enough to tell which of two durations is longer.
_DAYS = (365.0, 30.0, 7.0, 1.0, 1 / 24, 1 / 1440, 1 / 86400)


def _parts(value: Any) -> tuple[int | None, ...] | None:
    match = _DURATION.match(value) if isinstance(value, str) else None
    if match is None or value in ("P", "PT") or value.endswith("T"):
        return None
    return tuple(None if g is None else int(g) for g in match.groups())


def duration_words(value: Any) -> str:
    """`P1M` -> `1 month`, `P1Y6M` -> `1 year 6 months`; anything else unchanged."""
    parts = _parts(value)
    if parts is None:
        return str(value)
    return " ".join(
        f"{count} {plural(count, unit)}"
        for count, unit in zip(parts, _UNITS, strict=True)
        if count is not None
    )


def duration_days(value: Any) -> float | None:
    """The approximate length in days (a month is 30, a year 365); None if `value`
    is not an ISO-8601 duration."""
    parts = _parts(value)
    if parts is None:
        return None
    return sum(count * days for count, days in zip(parts, _DAYS, strict=True) if count)


def frequency_words(value: Any) -> str:
    """`P1M` -> `every month`, `P3M` -> `every 3 months`; anything else unchanged."""
    words = duration_words(value)
    if words == str(value):
        return words
    if words.startswith("1 ") and " " not in words[2:]:
        return f"every {words[2:]}"
    return f"every {words}"
