"""Values and refusals of the emulator store: stored products, token grants, the errors
each write can end in (the app maps them to statuses), and small pure helpers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from typing import Any

from catalog_sync.types import JSONObject


class StoreError(Exception):
    """A write the store refuses; the app maps each subclass to a status."""


class ProductExistsError(StoreError):
    """409: a create named a productId that already exists."""


class ProductNotFoundError(StoreError):
    """404: no product has that productId."""


class PreconditionFailedError(StoreError):
    """412: If-Match named a version that is no longer current."""


class IdempotencyKeyReusedError(StoreError):
    """422: an Idempotency-Key was reused with a different request body."""


@dataclass(frozen=True, slots=True)
class StoredProduct:
    """A product as stored: its body (with server-set lastUpdated) and version."""

    product_id: str
    body: JSONObject
    version: int

    @property
    def etag(self) -> str:
        return f'"{self.version}"'


@dataclass(frozen=True, slots=True)
class TokenGrant:
    """Who a valid token belongs to, what it may do and until when (store clock)."""

    client_id: str
    scopes: frozenset[str]
    expires_at: float


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A freshly issued token. Never log `token`."""

    token: str
    expires_in: int
    scopes: frozenset[str]

    def __repr__(self) -> str:
        return f"IssuedToken(token=<redacted>, expires_in={self.expires_in})"


def rfc3339(timestamp: float) -> str:
    """`2026-01-31T09:30:00Z` for a POSIX timestamp."""
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 JSON merge patch: objects merge, null removes, anything else replaces."""
    if not isinstance(patch, dict):
        return patch
    merged = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = merge_patch(merged.get(key), value)
    return merged


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def if_match_allows(if_match: str | None, version: int) -> bool:
    if if_match is None or if_match.strip() == "*":
        return True
    tags = (tag.strip().removeprefix("W/") for tag in if_match.split(","))
    return f'"{version}"' in tags


Check = Callable[[JSONObject], None]
