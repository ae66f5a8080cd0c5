"""Values in the words a product or compliance reviewer uses: rates as percentages with
changes in basis points, amounts as dollars, ISO-8601 durations in words."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from catalog_sync.cds.durations import duration_words
from catalog_sync.cds.labels import enum_words
from catalog_sync.cds.units import Unit
from catalog_sync.cds.units import number_of
from catalog_sync.config.model import DEFAULT_TIMEZONE
from catalog_sync.plan.retirement import time_or_none


def _plain(number: Decimal, *, min_places: int) -> str:
    text = format(number.normalize(), "f")
    whole, _, fraction = text.partition(".")
    fraction = fraction.ljust(min_places, "0")
    return f"{whole}.{fraction}" if fraction else whole


def format_percent(value: Any) -> str:
    """`"0.0524"` -> `5.24 %` (a RateString is a fraction: 1.0 is 100 %)."""
    number = number_of(value)
    if number is None:
        return str(value)
    return f"{_plain(number * 100, min_places=2)} %"


def format_bp_change(before: Any, after: Any) -> str | None:
    """The change between two rates in basis points: `+25 bp`, `-10 bp`, `+2.5 bp`."""
    low, high = number_of(before), number_of(after)
    if low is None or high is None:
        return None
    delta = (high - low) * 10_000
    sign = "+" if delta > 0 else "-" if delta < 0 else "±"
    return f"{sign}{_plain(abs(delta), min_places=0)} bp"


def format_dollars(value: Any) -> str:
    """`"1234.5"` -> `$1,234.50`; `"-5.00"` -> `-$5.00`."""
    number = number_of(value)
    if number is None:
        return str(value)
    sign = "-" if number < 0 else ""
    whole, _, fraction = _plain(abs(number), min_places=2).partition(".")
    return f"{sign}${int(whole):,}.{fraction}"


def format_duration(value: Any) -> str:
    """`P1M` -> `1 month`, `P12M` -> `12 months`, `P1Y6M` -> `1 year 6 months`;
    anything that is not an ISO-8601 duration is returned unchanged."""
    return duration_words(value)


def format_date(value: Any, timezone: str = DEFAULT_TIMEZONE) -> str:
    """An RFC 3339 date-time as the calendar date in `timezone`: the CDS sends
    `2026-12-05T10:08:30Z`, a Sydney reviewer reads `5 December 2026` (21:08 there);
    anything else unchanged."""
    moment = time_or_none(value)
    if moment is None:
        return str(value)
    local = moment.astimezone(ZoneInfo(timezone))
    return f"{local.day} {local:%B %Y}"


def format_value(
    value: Any, unit: Unit | None, timezone: str = DEFAULT_TIMEZONE
) -> str:
    """A value in words for its unit; booleans as yes/no and CDS enums in words."""
    if value is None:
        return "(none)"
    if unit == "rate":
        return format_percent(value)
    if unit == "amount":
        return format_dollars(value)
    if unit == "duration":
        return format_duration(value)
    if unit == "date":
        return format_date(value, timezone)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return enum_words(value) if isinstance(value, str) else str(value)


def format_transition(before: Any, after: Any, unit: Unit | None) -> str:
    """`5.24 % → 5.49 % (+25 bp)`, `$5.00 → $6.00`, `1 month → 3 months`."""
    text = f"{format_value(before, unit)} → {format_value(after, unit)}"
    change = format_change(before, after, unit)
    return f"{text} ({change})" if change else text


def format_change(before: Any, after: Any, unit: Unit | None) -> str:
    """The size of a change where it has one: `+25 bp`, `-$1.50`; else empty."""
    if unit == "rate":
        return format_bp_change(before, after) or ""
    if unit == "amount":
        low, high = number_of(before), number_of(after)
        if low is not None and high is not None and low != high:
            sign = "+" if high > low else "-"
            return sign + format_dollars(str(abs(high - low)))
    return ""
