"""Decide whether a product on the server is the one we tried to write, after an
interrupted create or update: compare the fields we sent (or the whole product), after
the one normalisation both sides of a plan go through."""

from __future__ import annotations

from catalog_sync.cds.normalize import normalize
from catalog_sync.types import JSONObject


def matches_sent(sent: JSONObject, live: JSONObject) -> bool:
    """True when every field we sent has the same (normalised) value on the server:
    `"0.0500"` equals `"0.05"`, null/[]/{} equal absent, `lastUpdated` is ignored."""
    ours = normalize(sent)
    theirs = normalize(live)
    return all(theirs.get(key) == value for key, value in ours.items())


def same_product(sent: JSONObject, live: JSONObject) -> bool:
    """True when the server holds exactly the product we sent (normalised): what a
    full replace, or a merge patch from the product as read, leaves behind."""
    return normalize(sent) == normalize(live)
