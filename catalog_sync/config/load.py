"""Read `catalog-sync.yaml` into a `Config`: every key checked, unknown keys refused with
the known ones listed, missing keys given their defaults."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from dataclasses import replace
from pathlib import Path
from typing import Any
from typing import cast

from catalog_sync.config.file import load_config_mapping
from catalog_sync.config.model import DEFAULT_ENVIRONMENT
from catalog_sync.config.model import REMOVAL_POLICIES
from catalog_sync.config.model import SCHEMAS
from catalog_sync.config.model import ApiContract
from catalog_sync.config.model import Config
from catalog_sync.config.model import Environment
from catalog_sync.config.model import Removal
from catalog_sync.config.model import default_config
from catalog_sync.config.model import local_environment
from catalog_sync.config.paths import API_PATH_KEYS
from catalog_sync.config.paths import check_api_path
from catalog_sync.config.values import boolean
from catalog_sync.config.values import choice
from catalog_sync.config.values import positive_int
from catalog_sync.config.values import reject_unknown
from catalog_sync.config.values import string
from catalog_sync.errors import ConfigError

# The api keys typed as a Literal of strings: their allowed values, the default first.
_API_CHOICES = {
    "update_method": ("PUT", "PATCH"),
    "stale_check": ("auto", "get", "list"),
}


def load_config(path: Path) -> Config:
    """Read `path`; a missing file means the defaults rooted at its folder."""
    root = path.resolve().parent
    if not path.exists():
        return default_config(root)
    raw = load_config_mapping(path)
    return _build_config(raw, root=root, source=path)


def _build_config(raw: Mapping[str, Any], *, root: Path, source: Path) -> Config:
    known = {f.name for f in fields(Config)} - {"root", "source"}
    reject_unknown(raw, known, source, "top level")
    base = default_config(root)
    schema = choice(raw, "schema", SCHEMAS, base.schema, source)
    removal = cast(
        Removal, choice(raw, "removal", REMOVAL_POLICIES, base.removal, source)
    )
    return replace(
        base,
        products_dir=root / string(raw, "products_dir", "products", source),
        schema=schema,
        removal=removal,
        require_filename_match=boolean(raw, "require_filename_match", True, source),
        max_file_bytes=positive_int(raw, "max_file_bytes", base.max_file_bytes, source),
        max_files=positive_int(raw, "max_files", base.max_files, source),
        environments=_environments(raw.get("environments"), root, source),
        api=_api(raw.get("api"), source),
        source=source,
    )


def _environments(raw: Any, root: Path, source: Path) -> dict[str, Environment]:
    result = {DEFAULT_ENVIRONMENT: local_environment(root)}
    if raw is None:
        return result
    if not isinstance(raw, Mapping):
        raise ConfigError(
            f"{source}: environments must be a mapping of name to settings"
        )
    for name, settings in raw.items():
        result[str(name)] = _environment(str(name), settings or {}, root, source)
    return result


def _environment(name: str, raw: Any, root: Path, source: Path) -> Environment:
    where = f"environments.{name}"
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{source}: {where} must be a mapping")
    reject_unknown(
        raw,
        {
            "target",
            "base_url",
            "client_id_env",
            "client_secret_env",
            "public_base_url",
            "db",
        },
        source,
        where,
    )
    target = raw.get("target", "embedded" if "base_url" not in raw else "http")
    if target == "embedded":
        db = raw.get("db")
        db_path = root / str(db) if db else root / ".catalog-sync" / f"{name}.db"
        return Environment(name=name, target="embedded", db_path=db_path)
    if target != "http":
        raise ConfigError(
            f"{source}: {where}.target must be 'embedded' or 'http', not {target!r}"
        )
    for key in ("base_url", "client_id_env", "client_secret_env"):
        if not isinstance(raw.get(key), str) or not raw.get(key):
            raise ConfigError(
                f"{source}: {where}.{key} is required for an http environment",
                hint="client_id_env / client_secret_env name environment variables",
            )
    public = raw.get("public_base_url")
    return Environment(
        name=name,
        target="http",
        base_url=str(raw["base_url"]).rstrip("/"),
        client_id_env=str(raw["client_id_env"]),
        client_secret_env=str(raw["client_secret_env"]),
        public_base_url=str(public).rstrip("/") if public else None,
    )


_TYPE_WORDS = {
    str: "a string",
    int: "a whole number",
    float: "a number",
    bool: "true or false",
}


def _api(raw: Any, source: Path) -> ApiContract:
    if raw is None:
        return ApiContract()
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{source}: api must be a mapping")
    defaults = ApiContract()
    types = {f.name: type(getattr(defaults, f.name)) for f in fields(ApiContract)}
    reject_unknown(raw, set(types), source, "api")
    values: dict[str, Any] = {}
    for key, value in raw.items():
        expected = types[key]
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, expected) or isinstance(value, bool) != (
            expected is bool
        ):
            raise ConfigError(
                f"{source}: api.{key} must be {_TYPE_WORDS[expected]}, not {value!r}"
            )
        values[key] = value
    for key in API_PATH_KEYS:
        if key in values:
            check_api_path(key, values[key], source)
    for key, choices in _API_CHOICES.items():
        if values.get(key, choices[0]) not in choices:
            words = " or ".join(choices)
            raise ConfigError(f"{source}: api.{key} must be {words}")
    return replace(defaults, **values)
