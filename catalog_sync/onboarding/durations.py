"""ISO 8601 durations (`P1M`, `P90D`, `P1Y6M`, `P0.5M`, `PT1H`) as migrate compares them:
months (years and months) and days (weeks, days and the time part) kept apart, because a
calendar month is 28 to 31 days."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

_NUMBER = r"(\d+(?:[.,]\d+)?)"
_DURATION = re.compile(
    rf"P(?:{_NUMBER}Y)?(?:{_NUMBER}M)?(?:{_NUMBER}W)?(?:{_NUMBER}D)?"
    rf"(?:T(?:{_NUMBER}H)?(?:{_NUMBER}M)?(?:{_NUMBER}S)?)?"
)
_DAY_PARTS = (Decimal(7), Decimal(1), 1 / Decimal(24), 1 / Decimal(1440))


@dataclass(frozen=True, slots=True)
class Duration:
    """A duration as whole calendar months plus days."""

    months: Decimal
    days: Decimal

    @property
    def is_zero(self) -> bool:
        return self.months == 0 and self.days == 0


def parse_duration(text: object) -> Duration | None:
    """`text` as a Duration, or None when it is not an ISO 8601 duration."""
    if not isinstance(text, str) or text in ("P", "PT") or text.endswith("T"):
        return None
    match = _DURATION.fullmatch(text)
    if match is None:
        return None
    years, months, weeks, days, hours, minutes, seconds = (
        Decimal(part.replace(",", ".")) if part else Decimal(0)
        for part in match.groups()
    )
    day_parts = (weeks, days, hours, minutes + seconds / 60)
    return Duration(
        months=years * 12 + months,
        days=sum(
            (n * unit for n, unit in zip(day_parts, _DAY_PARTS, strict=True)),
            Decimal(0),
        ),
    )


def is_shorter(first: Duration, second: Duration) -> bool | None:
    """Whether `first` is shorter than `second`; None when the length of a calendar
    month decides it (`P1M` against `P30D`)."""
    if first.days == 0 and second.days == 0:
        return first.months < second.months
    if first.months == 0 and second.months == 0:
        return first.days < second.days
    if first.months * 31 + first.days < second.months * 28 + second.days:
        return True
    if first.months * 28 + first.days >= second.months * 31 + second.days:
        return False
    return None
