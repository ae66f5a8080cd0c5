"""The emulator's API clients and their bearer tokens: registering clients, the
client-credentials exchange, checking and revoking tokens. Secrets and tokens are stored
hashed. `Store` exposes these with its clock and token lifetime.
"""

from __future__ import annotations

import hmac
import json
import secrets
from collections.abc import Iterable

from catalog_sync.emulator.database import Database
from catalog_sync.emulator.records import IssuedToken
from catalog_sync.emulator.records import TokenGrant
from catalog_sync.emulator.records import digest


def add_client(
    db: Database, client_id: str, secret: str, scopes: Iterable[str]
) -> None:
    """Register (or replace) an API client with its scopes."""
    with db.transaction() as conn:
        conn.execute(
            "INSERT OR REPLACE INTO clients VALUES (?, ?, ?)",
            (client_id, digest(secret), json.dumps(sorted(set(scopes)))),
        )


def issue_token(
    db: Database, client_id: str, secret: str, *, now: float, lifetime: float
) -> IssuedToken | None:
    """A new bearer token, or None if the credentials are wrong."""
    rows = db.query(
        "SELECT secret_hash, scopes FROM clients WHERE client_id = ?", (client_id,)
    )
    if not rows or not hmac.compare_digest(rows[0][0], digest(secret)):
        return None
    token = secrets.token_urlsafe(32)
    with db.transaction() as conn:
        # Expired tokens are useless; a long-lived --db file must not collect them.
        conn.execute("DELETE FROM tokens WHERE expires_at <= ?", (now,))
        conn.execute(
            "INSERT INTO tokens VALUES (?, ?, ?, ?)",
            (digest(token), client_id, rows[0][1], now + lifetime),
        )
    scopes = frozenset(json.loads(rows[0][1]))
    return IssuedToken(token, int(lifetime), scopes)


def check_token(db: Database, token: str, *, now: float) -> TokenGrant | None:
    """The grant behind a token, or None if it is unknown, revoked or expired."""
    rows = db.query(
        "SELECT client_id, scopes, expires_at FROM tokens WHERE token_hash = ?",
        (digest(token),),
    )
    if not rows or rows[0][2] <= now:
        return None
    return TokenGrant(rows[0][0], frozenset(json.loads(rows[0][1])), rows[0][2])


def revoke_tokens(db: Database, client_id: str | None = None) -> int:
    """Invalidate every token (or one client's); returns how many."""
    with db.transaction() as conn:
        if client_id is None:
            return conn.execute("DELETE FROM tokens").rowcount
        return conn.execute(
            "DELETE FROM tokens WHERE client_id = ?", (client_id,)
        ).rowcount
