"""Checks for single configuration values: each returns the value or raises a
`ConfigError` that names the file and the key."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from catalog_sync.errors import ConfigError


def reject_unknown(
    raw: Mapping[str, Any], known: set[str], source: Path, where: str
) -> None:
    unknown = sorted(set(map(str, raw)) - known)
    if unknown:
        raise ConfigError(
            f"{source}: unknown key {unknown[0]!r} in {where}",
            hint=f"known keys: {', '.join(sorted(known))}",
        )


def choice(
    raw: Mapping[str, Any],
    key: str,
    choices: tuple[str, ...],
    default: str,
    source: Path,
) -> str:
    value = raw.get(key, default)
    if value not in choices:
        raise ConfigError(
            f"{source}: {key} must be one of {', '.join(choices)}, not {value!r}"
        )
    return str(value)


def string(raw: Mapping[str, Any], key: str, default: str, source: Path) -> str:
    value = raw.get(key, default)
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{source}: {key} must be a non-empty string")
    return value


def boolean(raw: Mapping[str, Any], key: str, default: bool, source: Path) -> bool:
    value = raw.get(key, default)
    if not isinstance(value, bool):
        raise ConfigError(f"{source}: {key} must be true or false")
    return value


def positive_int(raw: Mapping[str, Any], key: str, default: int, source: Path) -> int:
    value = raw.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ConfigError(
            f"{source}: {key} must be a positive whole number (1 or more), not {value!r}"
        )
    return value
