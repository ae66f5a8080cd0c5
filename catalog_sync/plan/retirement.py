"""When a live product counts as retired, and what retiring it writes: the time logic
behind `removal: retire`, kept apart from plan building. Pure; the time is passed in."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any

from catalog_sync.errors import PlanError
from catalog_sync.types import JSONObject


def is_retired(live: Mapping[str, Any], now: str) -> bool:
    """Ended by `now`, and not still waiting to start (that is listed as FUTURE)."""
    end = time_or_none(live.get("effectiveTo"))
    if end is None or end > parse_time(now):
        return False
    start = time_or_none(live.get("effectiveFrom"))
    return start is None or start <= parse_time(now)


def retirement_fields(live: Mapping[str, Any], now: str) -> JSONObject:
    """`effectiveTo: now`; a product that has not started yet also gets effectiveFrom
    one second earlier, so it is never effective (not even FUTURE) and effectiveTo
    stays after effectiveFrom, as the catalog rules require."""
    moment = parse_time(now)
    start = time_or_none(live.get("effectiveFrom"))
    if start is None or start < moment:
        return {"effectiveTo": now}
    earlier = (moment - timedelta(seconds=1)).astimezone(UTC)
    return {"effectiveFrom": earlier.strftime("%Y-%m-%dT%H:%M:%SZ"), "effectiveTo": now}


def time_or_none(value: Any) -> datetime | None:
    """An RFC 3339 date-time, or None for anything else."""
    if not isinstance(value, str):
        return None
    try:
        return parse_time(value)
    except PlanError:
        return None


def parse_time(text: str) -> datetime:
    """An RFC 3339 date-time; PlanError if it is not one (naive times are ambiguous)."""
    try:
        moment = datetime.fromisoformat(
            text.replace("Z", "+00:00").replace("z", "+00:00")
        )
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise PlanError(
            f"{text!r} is not an RFC 3339 date-time with an offset",
            hint="write it like 2026-07-01T00:00:00Z",
        )
    return moment
