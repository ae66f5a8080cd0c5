"""Content hashes of products: a live product's fingerprint (what apply checks before it
writes over a product a saved plan read) and the digest of a desired catalog (what a
journal names the plan by). Both hash canonical JSON, never a normalised form, so
hashing 10,000 unchanged products normalises none of them."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from catalog_sync.cds.identity import canonical_json
from catalog_sync.cds.normalize import SERVER_MANAGED_FIELDS
from catalog_sync.types import JSONObject


def sendable(product: Mapping[str, Any]) -> JSONObject:
    """The product without server-managed fields: what is compared, hashed and sent."""
    return {k: v for k, v in product.items() if k not in SERVER_MANAGED_FIELDS}


def written_text(product: Mapping[str, Any]) -> str:
    """Canonical JSON of a product as written or stored, server-managed fields left out."""
    return canonical_json(sendable(product))


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fingerprint(product: Mapping[str, Any]) -> str:
    """The fingerprint of a live product: sha256 of its canonical JSON as the server
    returned it, lastUpdated left out. Any change to the stored product changes it, a
    reordering included."""
    return text_hash(written_text(product))


def catalog_digest(prints: Mapping[str, str]) -> str:
    """sha256 over the sorted lines `productId<TAB>hash`."""
    return text_hash("".join(f"{pid}\t{prints[pid]}\n" for pid in sorted(prints)))
