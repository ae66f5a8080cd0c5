"""Interim YAML reading for catalog-sync.yaml; the hardened loader replaces this module's
internals (duplicate keys, anchors, size caps) with the same function signature."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from catalog_sync.errors import ConfigError


def load_config_mapping(path: Path) -> dict[str, Any]:
    """Parse a small YAML config file that must hold one mapping."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the top level must be a mapping")
    return data
