"""The versioned JSON form of a verify result (docs/verify.md): what `verify --format
json` prints and what the audit record of an apply keeps. Pure."""

from __future__ import annotations

from typing import Any

from catalog_sync.verify.compare import ProductCheck
from catalog_sync.verify.waiting import Verification

VERIFY_FORMAT_VERSION = 1


def verify_document(result: Verification) -> dict[str, Any]:
    """The JSON form (docs/verify.md)."""
    return {
        "format_version": VERIFY_FORMAT_VERSION,
        "environment": result.environment,
        "public_base_url": result.public_base_url,
        "detail_version": result.wanted_version,
        "matches": result.all_match,
        "counts": result.counts(),
        "wait_limit_seconds": result.wait_limit,
        "waited_seconds": round(result.elapsed, 3),
        "readings": result.readings,
        "products": [_product(check) for check in result.checks],
    }


def _product(check: ProductCheck) -> dict[str, Any]:
    return {
        "product_id": check.product_id,
        "name": check.name,
        "file": check.file,
        "status": check.status,
        "expected_absent": check.expected_absent,
        "served_version": check.served_version,
        "not_compared": list(check.not_compared),
        "appeared_after_seconds": check.appeared_after,
        "error": check.error,
        "fields": [
            {
                "path": c.path,
                "label": c.label,
                "kind": c.kind,
                "git": c.after,
                "public": c.before,
            }
            for c in check.field_changes
        ],
    }
