"""Values in the words a product or compliance reviewer uses: rates as percentages with
changes in basis points, amounts as dollars, ISO-8601 durations in words."""

from __future__ import annotations

import re
from decimal import Decimal
from decimal import InvalidOperation
from typing import Any

from catalog_sync.cds.units import Unit
from catalog_sync.english import plural

_DURATION = re.compile(
    r"^P(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+)S)?)?$"
)
_DURATION_UNITS = ("year", "month", "week", "day", "hour", "minute", "second")


def _decimal(value: Any) -> Decimal | None:
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _plain(number: Decimal, *, min_places: int) -> str:
    text = format(number.normalize(), "f")
    whole, _, fraction = text.partition(".")
    fraction = fraction.ljust(min_places, "0")
    return f"{whole}.{fraction}" if fraction else whole


def format_percent(value: Any) -> str:
    """`"0.0524"` -> `5.24 %` (a RateString is a fraction: 1.0 is 100 %)."""
    number = _decimal(value)
    if number is None:
        return str(value)
    return f"{_plain(number * 100, min_places=2)} %"


def format_bp_change(before: Any, after: Any) -> str | None:
    """The change between two rates in basis points: `+25 bp`, `-10 bp`, `+2.5 bp`."""
    low, high = _decimal(before), _decimal(after)
    if low is None or high is None:
        return None
    delta = (high - low) * 10_000
    sign = "+" if delta > 0 else "-" if delta < 0 else "±"
    return f"{sign}{_plain(abs(delta), min_places=0)} bp"


def format_dollars(value: Any) -> str:
    """`"1234.5"` -> `$1,234.50`; `"-5.00"` -> `-$5.00`."""
    number = _decimal(value)
    if number is None:
        return str(value)
    sign = "-" if number < 0 else ""
    whole, _, fraction = _plain(abs(number), min_places=2).partition(".")
    return f"{sign}${int(whole):,}.{fraction}"


def format_duration(value: Any) -> str:
    """`P1M` -> `1 month`, `P12M` -> `12 months`, `P1Y6M` -> `1 year 6 months`;
    anything that is not an ISO-8601 duration is returned unchanged."""
    match = _DURATION.match(value) if isinstance(value, str) else None
    if match is None or value in ("P", "PT"):
        return str(value)
    parts = [
        f"{int(count)} {plural(int(count), unit)}"
        for count, unit in zip(match.groups(), _DURATION_UNITS, strict=True)
        if count is not None
    ]
    return " ".join(parts) if parts else str(value)


def format_value(value: Any, unit: Unit | None) -> str:
    """A value in words for its unit; plain text for anything else."""
    if value is None:
        return "(none)"
    if unit == "rate":
        return format_percent(value)
    if unit == "amount":
        return format_dollars(value)
    if unit == "duration":
        return format_duration(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def format_transition(before: Any, after: Any, unit: Unit | None) -> str:
    """`5.24 % → 5.49 % (+25 bp)`, `$5.00 → $6.00`, `1 month → 3 months`."""
    text = f"{format_value(before, unit)} → {format_value(after, unit)}"
    if unit == "rate":
        change = format_bp_change(before, after)
        if change is not None:
            text += f" ({change})"
    return text
