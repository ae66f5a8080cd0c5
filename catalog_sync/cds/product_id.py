"""What a productId may be, and how one travels in a URL.

The CDS types productId as an ASCIIString and Fiskil allows up to 100 characters, so any
printable ASCII text of 1 to 100 characters is a productId, spaces, `/`, `%` and `..`
included (HSBC publishes `HOME EQUITY P`). In a request path it is always exactly one
percent-encoded segment; how it becomes a file name is `catalog.layout`'s business.
"""

from __future__ import annotations

import string
from typing import Final

MAX_PRODUCT_ID_LENGTH: Final = 100
PRODUCT_ID_RULE: Final = "a productId is 1 to 100 printable ASCII characters"
_UNRESERVED: Final = frozenset(string.ascii_letters + string.digits + "-._~")
"""RFC 3986 unreserved characters: the only ones a path segment carries as they are."""


def product_id_problem(product_id: object) -> str | None:
    """Why `product_id` is not a productId the standard and Fiskil allow, or None."""
    if not isinstance(product_id, str):
        return "productId must be a string"
    if not product_id:
        return "productId is empty"
    for char in product_id:
        if not " " <= char <= "~":
            return f"productId cannot contain {_describe(char)}"
    if len(product_id) > MAX_PRODUCT_ID_LENGTH:
        return (
            f"productId is {len(product_id)} characters long, "
            f"at most {MAX_PRODUCT_ID_LENGTH}"
        )
    return None


def path_segment(product_id: str) -> str:
    """`product_id` as one percent-encoded URL path segment: `HOME EQUITY P` ->
    `HOME%20EQUITY%20P`, `a/b` -> `a%2Fb`; `.` and `..` are encoded too, or a client or
    server would resolve them as "this folder" and "the folder above"."""
    segment = "".join(
        char if char in _UNRESERVED else "".join(f"%{b:02X}" for b in char.encode())
        for char in product_id
    )
    if segment.strip(".") == "":
        return segment.replace(".", "%2E")
    return segment


def _describe(char: str) -> str:
    code = ord(char)
    if code < 0x20 or code == 0x7F:
        return f"the control character U+{code:04X}"
    return f"the non-ASCII character {char!r} (U+{code:04X})"
