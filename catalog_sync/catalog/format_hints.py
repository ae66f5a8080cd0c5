"""What validate says about the three CDS formats that have their own problem code: a
DateTimeString that is not a real calendar date and time (`schema.datetime`), a currency
that is not an ISO 4217 code (`schema.currency`) and a malformed ISO 8601 duration
(`schema.duration`). The schema's patterns decide validity; this module only explains.
"""

from __future__ import annotations

import calendar
import re

from catalog_sync.catalog.iso4217 import CODES as CURRENCY_CODES
from catalog_sync.catalog.patterns import ecma_pattern

CODES = {
    "DateTimeString": "schema.datetime",
    "CurrencyString": "schema.currency",
    "ExternalRef": "schema.duration",
}
"""x-cds-type -> problem code; every other format's problem is `schema.format`."""

_DATE = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])-([0-9]{2})")
_WORDS = {
    "day": "P1D",
    "daily": "P1D",
    "week": "P1W",
    "weekly": "P1W",
    "fortnight": "P2W",
    "fortnightly": "P2W",
    "month": "P1M",
    "monthly": "P1M",
    "quarter": "P3M",
    "quarterly": "P3M",
    "year": "P1Y",
    "yearly": "P1Y",
    "annual": "P1Y",
    "annually": "P1Y",
}
"""Words for a period that real data uses instead of a duration."""


def problem_code(cds_type: str) -> str:
    """The code of a problem with a value of format `cds_type`."""
    return CODES.get(cds_type, "schema.format")


def not_a_date(text: str) -> str | None:
    """'February 2026 has 28 days' when `text` starts with a date that does not exist
    (2026-02-30, 2027-02-29, 2026-04-31), else None."""
    found = _DATE.match(text)
    if found is None:
        return None
    year, month, day = (int(part) for part in found.groups())
    days = calendar.monthrange(year, month)[1]
    if day == 0 or day <= days:
        return (
            None  # a real day, or no day at all (the shape's problem, not the month's)
        )
    return f"{calendar.month_name[month]} {year:04d} has {days} days"


def currency_fix(text: str) -> str | None:
    """A corrected code for a currency slip: `write "AUD"` for aud; for a code ISO 4217
    does not have, the codes of the same country (their first two letters: AUS -> AUD);
    None when there are none."""
    code = text.upper()
    if code in CURRENCY_CODES:
        return f'write "{code}"'
    same = sorted(c for c in CURRENCY_CODES if c[:2] == code[:2] and len(code) == 3)
    if len(same) == 1:
        return f'did you mean "{same[0]}"?'
    if same:
        return f"codes starting with {code[:2]}: " + ", ".join(same)
    return None


def is_unknown_currency(text: str) -> bool:
    """True for three capital letters that are no ISO 4217 code (ABC, AUS, XYZ)."""
    return re.fullmatch(r"[A-Z]{3}", text) is not None and text not in CURRENCY_CODES


def duration_fix(text: str, pattern: str) -> str | None:
    """A corrected duration for a common slip (`month`, `p1m`, `1M`), or None."""
    word = _WORDS.get(text.strip().lower())
    if word:
        return f'write "{word}"'
    matches = ecma_pattern(pattern).search
    for guess in (text.upper(), "P" + text.upper()):
        if matches(guess):
            return f'write "{guess}"'
    return None
