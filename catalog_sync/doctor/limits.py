"""The `rate-limits` check: rate-limit headers seen on any response, and the Retry-After
format of any 429 met during the checks (which stay far below any limit)."""

from __future__ import annotations

from collections.abc import Sequence

from catalog_sync.doctor.model import Finding
from catalog_sync.doctor.model import Status
from catalog_sync.doctor.observe import Seen
from catalog_sync.doctor.observe import is_rate_limit_header
from catalog_sync.fiskil.retry import parse_retry_after


def check_rate_limits(seen: Sequence[Seen]) -> Finding:
    names = sorted(
        {name for s in seen for name in s.headers if is_rate_limit_header(name)}
    )
    headers = (
        f"rate-limit headers {', '.join(names)} (not read: pacing learns from 429s)"
        if names
        else "no rate-limit headers"
    )
    limited = [s for s in seen if s.status == 429]
    if not limited:
        return Finding(
            "rate-limits", Status.OK, f"{headers}; no 429 in {len(seen)} requests"
        )
    formats = sorted({_retry_after_format(s) for s in limited})
    observed = f"{headers}; {len(limited)} responses 429 with Retry-After {' and '.join(formats)}"
    if "unparseable" in formats:
        fix = (
            "nothing to set: the client backs off exponentially when it cannot read it"
        )
        return Finding("rate-limits", Status.UNKNOWN, observed, fix=fix)
    return Finding("rate-limits", Status.OK, observed)


def _retry_after_format(seen: Seen) -> str:
    value = seen.headers.get("retry-after")
    if value is None:
        return "missing"
    text = value.strip()
    parsed = parse_retry_after(
        text, response_date=seen.headers.get("date"), now=seen.at
    )
    if parsed is None:
        return "unparseable"
    return "in seconds" if text.replace(".", "", 1).isdigit() else "as an HTTP date"
