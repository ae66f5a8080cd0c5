"""Read catalog-sync.yaml through the same hardened loader as product files: no
duplicate keys, anchors, tags or YAML 1.1 surprises, and a size cap."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from catalog_sync.errors import ConfigError
from catalog_sync.yaml.document import Document
from catalog_sync.yaml.loader import load_yaml_bytes

MAX_CONFIG_BYTES = 1_048_576


def load_config_mapping(path: Path) -> dict[str, Any]:
    """Parse a small YAML config file that must hold one mapping (empty means `{}`)."""
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_CONFIG_BYTES:
                raise ConfigError(
                    f"{path}: {size} bytes is too large for a configuration file"
                )
            data = handle.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    loaded = load_yaml_bytes(data, str(path), path=path)
    if isinstance(loaded, Document):
        return loaded.data
    if all(problem.code == "yaml.empty" for problem in loaded):
        return {}
    raise ConfigError("\n".join(problem.format_text() for problem in loaded))
