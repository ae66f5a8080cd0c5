"""The emulator's state: products by productId with versions (ETags), idempotency keys,
and (through `credentials`) API clients and their tokens, plus the faults, rate limit and
ledger the app applies. No HTTP here; `app.py` maps this onto routes.

Thread-safe: every read and write goes through `Database`'s one locked connection.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from catalog_sync.emulator import credentials
from catalog_sync.emulator.database import Database
from catalog_sync.emulator.database import next_version
from catalog_sync.emulator.faults import Faults
from catalog_sync.emulator.faults import TokenBucket
from catalog_sync.emulator.faults import World
from catalog_sync.emulator.lag import PublicLag
from catalog_sync.emulator.lag import public_view
from catalog_sync.emulator.ledger import Ledger
from catalog_sync.emulator.records import Check
from catalog_sync.emulator.records import IdempotencyKeyReusedError
from catalog_sync.emulator.records import IssuedToken
from catalog_sync.emulator.records import PreconditionFailedError
from catalog_sync.emulator.records import ProductExistsError
from catalog_sync.emulator.records import ProductNotFoundError
from catalog_sync.emulator.records import StoredProduct
from catalog_sync.emulator.records import TokenGrant
from catalog_sync.emulator.records import digest
from catalog_sync.emulator.records import if_match_allows
from catalog_sync.emulator.records import merge_patch
from catalog_sync.emulator.records import rfc3339
from catalog_sync.types import JSONObject

READ_SCOPE = "api:provider.products.read"
WRITE_SCOPE = "api:provider.products.write"
LOCAL_CLIENT_ID = "local"
LOCAL_CLIENT_SECRET = "local-secret"  # a well-known local development secret
DEFAULT_TOKEN_LIFETIME = 900.0


class Store:
    """All emulator state. `now` is the clock for token expiry, lastUpdated, the rate
    limit and effective-date filtering; tests inject a fake one."""

    def __init__(
        self,
        db_path: str | Path = ":memory:",
        *,
        now: Callable[[], float] = time.time,
        token_lifetime: float = DEFAULT_TOKEN_LIFETIME,
        summaries: bool = False,
        local_client: bool = True,
        rate_limit: float | None = None,
        burst: float | None = None,
    ) -> None:
        self.now = now
        self.token_lifetime = token_lifetime
        self.summaries = summaries  # the management list returns summaries only
        self.world = World()  # how the API differs from the assumed contract
        self.concurrency_limit: int | None = None  # 429 above this many in flight
        self.token_scope = False  # token responses carry `scope` (RFC 6749 5.1)
        self.faults = Faults()
        self.ledger = Ledger()
        self.public_lag = PublicLag()  # the stale-public fault
        self.rate_limiter: TokenBucket | None = None
        if rate_limit is not None:
            self.set_rate_limit(rate_limit, burst)
        self._db = Database(db_path)
        if local_client:
            self.add_client(
                LOCAL_CLIENT_ID, LOCAL_CLIENT_SECRET, [READ_SCOPE, WRITE_SCOPE]
            )

    def close(self) -> None:
        self._db.close()

    def set_rate_limit(self, rate: float | None, burst: float | None = None) -> None:
        """Limit all API requests to `rate` per second (None removes the limit)."""
        self.rate_limiter = (
            None if rate is None else TokenBucket(rate, burst, now=self.now)
        )

    # -- clients and tokens -------------------------------------------------------------

    def add_client(self, client_id: str, secret: str, scopes: Iterable[str]) -> None:
        """Register (or replace) an API client with its scopes."""
        credentials.add_client(self._db, client_id, secret, scopes)

    def issue_token(self, client_id: str, secret: str) -> IssuedToken | None:
        """A new bearer token, or None if the credentials are wrong."""
        return credentials.issue_token(
            self._db, client_id, secret, now=self.now(), lifetime=self.token_lifetime
        )

    def check_token(self, token: str) -> TokenGrant | None:
        """The grant behind a token, or None if it is unknown, revoked or expired."""
        return credentials.check_token(self._db, token, now=self.now())

    def revoke_tokens(self, client_id: str | None = None) -> int:
        """Invalidate every token (or one client's); returns how many."""
        return credentials.revoke_tokens(self._db, client_id)

    # -- products -----------------------------------------------------------------------

    def get_product(self, product_id: str) -> StoredProduct | None:
        rows = self._db.query(
            "SELECT product_id, body, version FROM products WHERE product_id = ?",
            (product_id,),
        )
        return _product(rows[0]) if rows else None

    def list_products(
        self, *, offset: int = 0, limit: int = -1
    ) -> tuple[list[StoredProduct], int]:
        """A page of products ordered by productId, and the total count."""
        with self._db.locked() as db:
            total = db.execute("SELECT COUNT(*) FROM products").fetchone()[0]
            rows = db.execute(
                "SELECT product_id, body, version FROM products ORDER BY product_id "
                "LIMIT ? OFFSET ?",
                (limit, offset),
            ).fetchall()
        return [_product(row) for row in rows], total

    def products(self) -> dict[str, JSONObject]:
        """Every stored body by productId (a snapshot for assertions)."""
        return {p.product_id: p.body for p in self.list_products()[0]}

    def public_products(self) -> dict[str, JSONObject]:
        """What the public endpoints serve now, by productId: the stored bodies, or
        older ones while the stale-public fault holds a write back."""
        return public_view(self.public_lag, self.products(), self.now)

    def public_product(self, product_id: str) -> JSONObject | None:
        stored = self.get_product(product_id)
        current = stored.body if stored is not None else None
        return self.public_lag.view(product_id, current, self.now())

    def create_product(
        self,
        body: JSONObject,
        *,
        idempotency_key: str | None = None,
        check: Check | None = None,
    ) -> tuple[StoredProduct, bool]:
        """Create; returns the product and whether this was an idempotent replay (the
        key was seen before: nothing is written and the original result comes back)."""
        fingerprint = digest(json.dumps(body, sort_keys=True))
        with self._db.transaction() as db:
            if idempotency_key is not None:
                seen = db.execute(
                    "SELECT fingerprint, body, version FROM idempotency WHERE key = ?",
                    (idempotency_key,),
                ).fetchone()
                if seen is not None:
                    if seen[0] != fingerprint:
                        raise IdempotencyKeyReusedError(idempotency_key)
                    stored = json.loads(seen[1])
                    return StoredProduct(stored["productId"], stored, seen[2]), True
            product_id = str(body.get("productId"))
            if db.execute(
                "SELECT 1 FROM products WHERE product_id = ?", (product_id,)
            ).fetchone():
                raise ProductExistsError(product_id)
            product = self._write(db, product_id, body, check, insert=True)
            if idempotency_key is not None:
                db.execute(
                    "INSERT INTO idempotency VALUES (?, ?, ?, ?)",
                    (
                        idempotency_key,
                        fingerprint,
                        json.dumps(product.body),
                        product.version,
                    ),
                )
            return product, False

    def replace_product(
        self,
        product_id: str,
        body: JSONObject,
        *,
        if_match: str | None = None,
        check: Check | None = None,
    ) -> StoredProduct:
        """Full replace of an existing product (PUT)."""
        with self._db.transaction() as db:
            current = self._current(db, product_id, if_match)
            return self._write(
                db, product_id, body, check, insert=False, before=current.body
            )

    def patch_product(
        self,
        product_id: str,
        patch: JSONObject,
        *,
        if_match: str | None = None,
        check: Check | None = None,
    ) -> StoredProduct:
        """Merge-patch an existing product (PATCH); `check` sees the merged result."""
        with self._db.transaction() as db:
            current = self._current(db, product_id, if_match)
            merged = merge_patch(current.body, patch)
            return self._write(
                db, product_id, merged, check, insert=False, before=current.body
            )

    def delete_product(self, product_id: str, *, if_match: str | None = None) -> None:
        with self._db.transaction() as db:
            current = self._current(db, product_id, if_match)
            db.execute("DELETE FROM products WHERE product_id = ?", (product_id,))
        self.public_lag.wrote(product_id, current.body, None, self.now())

    def seed(self, products: Iterable[JSONObject]) -> int:
        """Store products as-is (no validation; lastUpdated kept when present),
        replacing any with the same productId. Returns how many."""
        count = 0
        with self._db.transaction() as db:
            for body in products:
                product_id = str(body["productId"])
                version = next_version(db)
                stored = {**body}
                stored.setdefault("lastUpdated", rfc3339(self.now()))
                db.execute(
                    "INSERT OR REPLACE INTO products VALUES (?, ?, ?)",
                    (product_id, json.dumps(stored), version),
                )
                count += 1
        return count

    def reset(self) -> None:
        """Forget products, idempotency keys, tokens, faults and the ledger (clients stay)."""
        with self._db.transaction() as db:
            for table in ("products", "idempotency", "tokens"):
                db.execute(f"DELETE FROM {table}")
        self.faults.clear()
        self.public_lag.set(0)
        self.ledger.clear()

    def _current(
        self, db: sqlite3.Connection, product_id: str, if_match: str | None
    ) -> StoredProduct:
        row = db.execute(
            "SELECT product_id, body, version FROM products WHERE product_id = ?",
            (product_id,),
        ).fetchone()
        if row is None:
            raise ProductNotFoundError(product_id)
        current = _product(row)
        if not if_match_allows(if_match, current.version):
            raise PreconditionFailedError(product_id)
        return current

    def _write(
        self,
        db: sqlite3.Connection,
        product_id: str,
        body: JSONObject,
        check: Check | None,
        *,
        insert: bool,
        before: JSONObject | None = None,
    ) -> StoredProduct:
        stored = {**body, "lastUpdated": rfc3339(self.now())}
        if check is not None:
            check(stored)
        version = next_version(db)
        sql = (
            "INSERT INTO products VALUES (?, ?, ?)"
            if insert
            else "UPDATE products SET body = ?2, version = ?3 WHERE product_id = ?1"
        )
        db.execute(sql, (product_id, json.dumps(stored), version))
        self.public_lag.wrote(product_id, before, stored, self.now())
        return StoredProduct(product_id, stored, version)


def _product(row: tuple[Any, ...]) -> StoredProduct:
    return StoredProduct(row[0], json.loads(row[1]), int(row[2]))
