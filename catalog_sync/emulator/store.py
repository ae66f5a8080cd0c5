"""The emulator's state in SQLite: products by productId with versions (ETags), API clients
and their tokens, and idempotency keys. No HTTP here; `app.py` maps this onto routes.

Thread-safe: one connection guarded by a lock. Secrets and tokens are stored hashed.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from catalog_sync.emulator.faults import Faults
from catalog_sync.emulator.faults import TokenBucket
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

_SCHEMA = """
CREATE TABLE IF NOT EXISTS products (
  product_id TEXT PRIMARY KEY, body TEXT NOT NULL, version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS clients (
  client_id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL, scopes TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (
  token_hash TEXT PRIMARY KEY, client_id TEXT NOT NULL, scopes TEXT NOT NULL,
  expires_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS idempotency (
  key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, body TEXT NOT NULL,
  version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""


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
        self.concurrency_limit: int | None = None  # 429 above this many in flight
        self.faults = Faults()
        self.ledger = Ledger()
        self.rate_limiter: TokenBucket | None = None
        if rate_limit is not None:
            self.set_rate_limit(rate_limit, burst)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(
            str(db_path), check_same_thread=False, isolation_level=None, timeout=30
        )
        if str(db_path) != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)
        if local_client:
            self.add_client(
                LOCAL_CLIENT_ID, LOCAL_CLIENT_SECRET, [READ_SCOPE, WRITE_SCOPE]
            )

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def set_rate_limit(self, rate: float | None, burst: float | None = None) -> None:
        """Limit all API requests to `rate` per second (None removes the limit)."""
        self.rate_limiter = (
            None if rate is None else TokenBucket(rate, burst, now=self.now)
        )

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _query(self, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, tuple(params)).fetchall()

    # -- clients and tokens -------------------------------------------------------------

    def add_client(self, client_id: str, secret: str, scopes: Iterable[str]) -> None:
        """Register (or replace) an API client with its scopes."""
        with self._transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO clients VALUES (?, ?, ?)",
                (client_id, digest(secret), json.dumps(sorted(set(scopes)))),
            )

    def issue_token(self, client_id: str, secret: str) -> IssuedToken | None:
        """A new bearer token, or None if the credentials are wrong."""
        rows = self._query(
            "SELECT secret_hash, scopes FROM clients WHERE client_id = ?", (client_id,)
        )
        if not rows or not hmac.compare_digest(rows[0][0], digest(secret)):
            return None
        token = secrets.token_urlsafe(32)
        expires_at = self.now() + self.token_lifetime
        with self._transaction() as db:
            # Expired tokens are useless; a long-lived --db file must not collect them.
            db.execute("DELETE FROM tokens WHERE expires_at <= ?", (self.now(),))
            db.execute(
                "INSERT INTO tokens VALUES (?, ?, ?, ?)",
                (digest(token), client_id, rows[0][1], expires_at),
            )
        scopes = frozenset(json.loads(rows[0][1]))
        return IssuedToken(token, int(self.token_lifetime), scopes)

    def check_token(self, token: str) -> TokenGrant | None:
        """The grant behind a token, or None if it is unknown, revoked or expired."""
        rows = self._query(
            "SELECT client_id, scopes, expires_at FROM tokens WHERE token_hash = ?",
            (digest(token),),
        )
        if not rows or rows[0][2] <= self.now():
            return None
        return TokenGrant(rows[0][0], frozenset(json.loads(rows[0][1])), rows[0][2])

    def revoke_tokens(self, client_id: str | None = None) -> int:
        """Invalidate every token (or one client's); returns how many."""
        with self._transaction() as db:
            if client_id is None:
                return db.execute("DELETE FROM tokens").rowcount
            return db.execute(
                "DELETE FROM tokens WHERE client_id = ?", (client_id,)
            ).rowcount

    # -- products -----------------------------------------------------------------------

    def get_product(self, product_id: str) -> StoredProduct | None:
        rows = self._query(
            "SELECT product_id, body, version FROM products WHERE product_id = ?",
            (product_id,),
        )
        return _product(rows[0]) if rows else None

    def list_products(
        self, *, offset: int = 0, limit: int = -1
    ) -> tuple[list[StoredProduct], int]:
        """A page of products ordered by productId, and the total count."""
        with self._lock:
            total = self._db.execute("SELECT COUNT(*) FROM products").fetchone()[0]
            rows = self._db.execute(
                "SELECT product_id, body, version FROM products ORDER BY product_id "
                "LIMIT ? OFFSET ?",
                (limit, offset),
            ).fetchall()
        return [_product(row) for row in rows], total

    def products(self) -> dict[str, JSONObject]:
        """Every stored body by productId (a snapshot for assertions)."""
        return {p.product_id: p.body for p in self.list_products()[0]}

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
        with self._transaction() as db:
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
        with self._transaction() as db:
            self._current(db, product_id, if_match)
            return self._write(db, product_id, body, check, insert=False)

    def patch_product(
        self,
        product_id: str,
        patch: JSONObject,
        *,
        if_match: str | None = None,
        check: Check | None = None,
    ) -> StoredProduct:
        """Merge-patch an existing product (PATCH); `check` sees the merged result."""
        with self._transaction() as db:
            current = self._current(db, product_id, if_match)
            merged = merge_patch(current.body, patch)
            return self._write(db, product_id, merged, check, insert=False)

    def delete_product(self, product_id: str, *, if_match: str | None = None) -> None:
        with self._transaction() as db:
            self._current(db, product_id, if_match)
            db.execute("DELETE FROM products WHERE product_id = ?", (product_id,))

    def seed(self, products: Iterable[JSONObject]) -> int:
        """Store products as-is (no validation; lastUpdated kept when present),
        replacing any with the same productId. Returns how many."""
        count = 0
        with self._transaction() as db:
            for body in products:
                product_id = str(body["productId"])
                version = self._next_version(db)
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
        with self._transaction() as db:
            for table in ("products", "idempotency", "tokens"):
                db.execute(f"DELETE FROM {table}")
        self.faults.clear()
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
    ) -> StoredProduct:
        stored = {**body, "lastUpdated": rfc3339(self.now())}
        if check is not None:
            check(stored)
        version = self._next_version(db)
        sql = (
            "INSERT INTO products VALUES (?, ?, ?)"
            if insert
            else "UPDATE products SET body = ?2, version = ?3 WHERE product_id = ?1"
        )
        db.execute(sql, (product_id, json.dumps(stored), version))
        return StoredProduct(product_id, stored, version)

    @staticmethod
    def _next_version(db: sqlite3.Connection) -> int:
        # One counter for all products: a deleted and re-created product never reuses
        # an ETag, so a stale If-Match can never match by accident.
        db.execute(
            "INSERT INTO counters VALUES ('version', 1) "
            "ON CONFLICT(name) DO UPDATE SET value = value + 1"
        )
        return int(
            db.execute("SELECT value FROM counters WHERE name = 'version'").fetchone()[
                0
            ]
        )


def _product(row: tuple[Any, ...]) -> StoredProduct:
    return StoredProduct(row[0], json.loads(row[1]), int(row[2]))
