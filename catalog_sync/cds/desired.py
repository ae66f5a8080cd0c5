"""The desired side of a plan: each product as the catalog files want it, keyed by
productId, with the file it came from for display."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from catalog_sync.types import JSONObject
from catalog_sync.yaml.document import Document


@dataclass(frozen=True, slots=True)
class DesiredProduct:
    """A product as the catalog files want it; `file` is its display path, if any."""

    data: JSONObject
    file: str | None = None


def desired_from_documents(documents: Iterable[Document]) -> dict[str, DesiredProduct]:
    """Loaded product files keyed by productId (validation has ensured it is unique)."""
    return {
        str(doc.data.get("productId")): DesiredProduct(doc.data, doc.display_path)
        for doc in documents
    }
