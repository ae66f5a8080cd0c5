"""The `token` check (obtained, its lifetime, the scopes it carries when the server says)
and the `clock` check (the server's `Date` against this machine's clock)."""

from __future__ import annotations

from collections.abc import Sequence
from email.utils import parsedate_to_datetime

from catalog_sync.doctor.model import Finding
from catalog_sync.doctor.model import Status
from catalog_sync.doctor.observe import Seen
from catalog_sync.errors import CatalogSyncError
from catalog_sync.fiskil.products import ProductsClient
from catalog_sync.fiskil.scopes import READ_SCOPE
from catalog_sync.fiskil.scopes import WRITE_SCOPE

MAX_SKEW_SECONDS = 60.0


def check_token(api: ProductsClient) -> Finding:
    """A token from the token endpoint; credential and scope errors become the ✗."""
    auth = api.auth
    assert auth is not None, "doctor needs an authenticated client"
    try:
        auth.ensure_token(api.http)
    except CatalogSyncError as exc:
        fix = exc.hint or "check the credentials and base_url"
        return Finding("token", Status.FAIL, exc.message, fix=fix)
    observed = f"obtained, valid for {auth.seconds_left():.0f} s; "
    if auth.scopes is None:
        observed += (
            "the server does not say which scopes it carries (no scope field, "
            "not a JWT); --check-write finds out whether apply may write"
        )
    else:
        held = [scope for scope in (READ_SCOPE, WRITE_SCOPE) if scope in auth.scopes]
        lacking = "" if WRITE_SCOPE in auth.scopes else " (no write: plan only)"
        observed += f"carries {', '.join(held)}{lacking}, per {auth.scopes_source}"
    return Finding("token", Status.OK, observed)


def check_clock(seen: Sequence[Seen]) -> Finding:
    """The skew between the first `Date` header and this machine's clock at arrival."""
    for response in seen:
        raw = response.headers.get("date")
        if raw is None:
            continue
        try:
            server = parsedate_to_datetime(raw).timestamp()
        except (TypeError, ValueError, IndexError):
            observed = f"the server's Date header {raw!r} is not an HTTP date"
            return Finding("clock", Status.UNKNOWN, observed, fix="nothing to set")
        return _skew_finding(server - response.at)
    return Finding(
        "clock",
        Status.UNKNOWN,
        "no response carried a Date header, so the clocks could not be compared",
        fix="make sure this machine's clock is set by NTP",
    )


def _skew_finding(skew: float) -> Finding:
    # A Date has whole seconds: up to a second behind the moment it was sent.
    if abs(skew) <= MAX_SKEW_SECONDS:
        observed = f"the server's Date is within {MAX_SKEW_SECONDS:.0f} s of this clock"
        return Finding("clock", Status.OK, f"{observed} ({skew:+.0f} s)")
    direction = "ahead of" if skew > 0 else "behind"
    observed = (
        f"the server's Date is {abs(skew):.0f} s {direction} this machine's clock"
    )
    fix = (
        "set this machine's clock (NTP); if it is right, the server's clock is off: "
        "retirement dates (effectiveTo), and which live products count as retired, "
        "come from this clock"
    )
    return Finding("clock", Status.FAIL, observed, fix=fix)
