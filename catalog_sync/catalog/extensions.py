"""Holder extension fields in product data: `<HID>-name` fields of the holder identifiers
in `extension_prefixes`, allowed anywhere in a product (CDS "Extensibility"). They are
set aside before schema validation, so the fast check and jsonschema judge the same
standard fields, and are otherwise left alone: plan compares them and apply sends them
unchanged. An unknown field that only looks like one is told about `extension_prefixes`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from typing import Final

_LOOKS_LIKE: Final = re.compile(r"([A-Za-z0-9]{1,32})-.+", re.DOTALL)


def is_extension(key: str, prefixes: Sequence[str]) -> bool:
    """Whether `key` is a `<HID>-name` field of one of `prefixes` (case as written)."""
    return any(
        key.startswith(prefix) and key[len(prefix) : len(prefix) + 1] == "-"
        and len(key) > len(prefix) + 1
        for prefix in prefixes
    )  # fmt: skip


def without_extensions(data: Any, prefixes: Sequence[str]) -> Any:
    """`data` without the extension fields of `prefixes` at any depth (a new value when
    there are prefixes; an extension object goes whole, its own fields with it)."""
    if not prefixes:
        return data
    if isinstance(data, dict):
        return {
            key: without_extensions(value, prefixes)
            for key, value in data.items()
            if not (isinstance(key, str) and is_extension(key, prefixes))
        }
    if isinstance(data, list):
        return [without_extensions(item, prefixes) for item in data]
    return data


def extension_hint(key: str) -> str | None:
    """The hint for an unknown field named like an extension (`WATTLE-internalCode`)."""
    match = _LOOKS_LIKE.fullmatch(key)
    if match is None:
        return None
    prefix = match[1]
    return (
        f"it looks like a holder extension field: if {prefix} is your holder "
        f"identifier, add `extension_prefixes: [{prefix}]` to catalog-sync.yaml; "
        "otherwise remove it"
    )


def own_field_hint(key: str) -> str:
    """How a holder publishes data of its own under an unknown name like `key`."""
    return (
        f"to publish data of your own, name it <HID>-{key} and add your holder "
        "identifier to extension_prefixes in catalog-sync.yaml"
    )
