"""Holder extension prefixes (`extension_prefixes: [WBC]`): the holder identifiers whose
`<HID>-` fields a product may carry (CDS "Extensibility": extension fields are named
`<HID>-name`; inside an extension object, fields are named normally)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from typing import Final

from catalog_sync.errors import ConfigError

_PREFIX: Final = re.compile(r"[A-Za-z0-9]{1,32}")
"""A holder identifier: by preference its ASX symbol (`WBC`, `CBA`, `ANZ`, `NAB`)."""


def extension_prefix_problem(prefix: str) -> str | None:
    """Why `prefix` cannot be a holder identifier, or None."""
    if prefix.endswith("-") and _PREFIX.fullmatch(prefix[:-1]):
        return (
            f"write {prefix[:-1]!r} without its hyphen: fields are named {prefix}name"
        )
    if not _PREFIX.fullmatch(prefix):
        return (
            f"{prefix!r} is not a holder identifier: 1 to 32 ASCII letters and digits, "
            "by preference the holder's ASX symbol, such as WBC"
        )
    return None


def parse_extension_prefixes(raw: Any, source: Path) -> tuple[str, ...]:
    """`extension_prefixes` from catalog-sync.yaml: a list of holder identifiers."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(p, str) for p in raw):
        raise ConfigError(
            f"{source}: extension_prefixes must be a list of holder identifiers",
            hint="for example: extension_prefixes: [WBC]",
        )
    return checked_prefixes(raw, where=f"{source}: extension_prefixes")


def checked_prefixes(prefixes: Iterable[str], *, where: str) -> tuple[str, ...]:
    """The prefixes, sorted and without repeats, or a ConfigError naming `where`."""
    for prefix in prefixes:
        problem = extension_prefix_problem(prefix)
        if problem is not None:
            raise ConfigError(
                f"{where}: {problem}",
                hint="for example WBC (Westpac's ASX symbol), without the hyphen",
            )
    return tuple(sorted(set(prefixes)))
