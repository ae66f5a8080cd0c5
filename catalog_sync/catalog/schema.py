"""Find and read the bundled product schemas (cds-v7, cds-v6) generated into schemas/.

The wheel ships them as catalog_sync/schemas/; a development checkout reads <repo>/schemas.
`load_schema(name, server=True)` is the variant for request bodies the server receives:
fields the server sets (lastUpdated) are accepted there and ignored, but forbidden in files.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import Any

from catalog_sync.errors import ConfigError
from catalog_sync.types import JSONObject

SCHEMA_NAMES = ("cds-v7", "cds-v6")
DEFAULT_SCHEMA = "cds-v7"

_PACKAGE = Path(__file__).resolve().parent.parent


def schema_dir() -> Path:
    """The directory holding the schema files: inside the package, else the checkout's."""
    bundled = _PACKAGE / "schemas"
    if (bundled / f"{DEFAULT_SCHEMA}.json").is_file():
        return bundled
    return _PACKAGE.parent / "schemas"


def schema_path(name: str) -> Path:
    """The file of schema `name`; ConfigError names the choices if it is unknown."""
    if name not in SCHEMA_NAMES:
        raise ConfigError(
            f"unknown schema {name!r}", hint=f"choose one of {', '.join(SCHEMA_NAMES)}"
        )
    path = schema_dir() / f"{name}.json"
    if not path.is_file():
        raise ConfigError(
            f"schema file {path} is missing",
            hint="reinstall catalog-sync, or run `python -m scripts.generate_schemas`",
        )
    return path


@functools.cache
def _schema_bytes(name: str) -> bytes:
    return schema_path(name).read_bytes()


def schema_fingerprint(name: str) -> str:
    """sha256 of the schema file: part of validation cache keys."""
    return hashlib.sha256(_schema_bytes(name)).hexdigest()


def load_schema(name: str, *, server: bool = False) -> JSONObject:
    """A fresh copy of schema `name`; with `server`, the request-body variant."""
    schema: JSONObject = json.loads(_schema_bytes(name))
    if server:
        server_set: dict[str, Any] = schema.get("x-server-set", {})
        schema["properties"].update(server_set)
    return schema
