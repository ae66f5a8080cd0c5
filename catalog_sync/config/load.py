"""Read `catalog-sync.yaml` into a `Config`: every key checked, unknown keys refused with
the known ones listed, missing keys given their defaults."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from dataclasses import replace
from pathlib import Path
from typing import Any
from typing import cast

from catalog_sync.config.extensions import parse_extension_prefixes
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
from catalog_sync.config.policy import policy
from catalog_sync.config.policy import timezone
from catalog_sync.config.ranges import check_api_ranges
from catalog_sync.config.ranges import check_environment_name
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
    "paging": ("page", "next-link"),
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
    api = _api(raw.get("api"), source, base=ApiContract(), where="api")
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
        extension_prefixes=parse_extension_prefixes(
            raw.get("extension_prefixes"), source
        ),
        environments=_environments(raw.get("environments"), root, source, api),
        api=api,
        timezone=timezone(raw, source),
        policy=policy(raw.get("policy"), source),
        source=source,
    )


def _environments(
    raw: Any, root: Path, source: Path, api: ApiContract
) -> dict[str, Environment]:
    result = {DEFAULT_ENVIRONMENT: local_environment(root)}
    if raw is None:
        return result
    if not isinstance(raw, Mapping):
        raise ConfigError(
            f"{source}: environments must be a mapping of name to settings"
        )
    for key, settings in raw.items():
        name = check_environment_name(key, source)
        result[name] = _environment(name, settings or {}, root, source, api)
    return result


def _environment(
    name: str, raw: Any, root: Path, source: Path, api: ApiContract
) -> Environment:
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
            "api",
            "allow_unreviewed",
        },
        source,
        where,
    )
    own_api = (
        _api(raw["api"], source, base=api, where=f"{where}.api")
        if raw.get("api") is not None
        else None
    )
    allow_unreviewed = raw.get("allow_unreviewed", False)
    if not isinstance(allow_unreviewed, bool):
        raise ConfigError(
            f"{source}: {where}.allow_unreviewed must be true or false, "
            f"not {allow_unreviewed!r}",
            hint="true lets the apply workflow apply changes no reviewed plan showed",
        )
    target = raw["target"] if "target" in raw else _implicit_target(name, raw, source)
    if target == "embedded":
        _reject_keys(raw, _HTTP_ONLY, where, source, "target: embedded")
        db = raw.get("db")
        db_path = root / str(db) if db else root / ".catalog-sync" / f"{name}.db"
        return Environment(
            name=name,
            target="embedded",
            db_path=db_path,
            api=own_api,
            allow_unreviewed=allow_unreviewed,
        )
    if target != "http":
        raise ConfigError(
            f"{source}: {where}.target must be 'embedded' or 'http', not {target!r}"
        )
    _reject_keys(raw, ("db",), where, source, "an http environment")
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
        api=own_api,
        allow_unreviewed=allow_unreviewed,
    )


_HTTP_ONLY = ("base_url", "client_id_env", "client_secret_env")


def _implicit_target(name: str, raw: Mapping[str, Any], source: Path) -> str:
    """`http` when `base_url` is set; a local store only for `local` with no settings.

    Anything else would publish to a SQLite file while the user believes the catalog went
    to Fiskil (and `github environments` would leave the environment out)."""
    if "base_url" in raw:
        return "http"
    if name == DEFAULT_ENVIRONMENT and not raw:
        return "embedded"
    raise ConfigError(
        f"{source}: environments.{name}.base_url is required",
        hint="set base_url to the Fiskil API, or `target: embedded` for a local store",
    )


def _reject_keys(
    raw: Mapping[str, Any], keys: tuple[str, ...], where: str, source: Path, kind: str
) -> None:
    for key in keys:
        if key in raw:
            raise ConfigError(
                f"{source}: {where}.{key} has no effect in {kind}; remove it",
                hint="an environment is either `target: embedded` (a local store, "
                "`db:`) or a Fiskil API (`base_url` and credentials)",
            )


_TYPE_WORDS = {
    str: "a string",
    int: "a whole number",
    float: "a number",
    bool: "true or false",
}


def _api(raw: Any, source: Path, *, base: ApiContract, where: str) -> ApiContract:
    """`raw` (an `api:` mapping) checked and merged over `base`."""
    if raw is None:
        return base
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{source}: {where} must be a mapping")
    types = {f.name: type(getattr(base, f.name)) for f in fields(ApiContract)}
    reject_unknown(raw, set(types), source, where)
    values: dict[str, Any] = {}
    for key, value in raw.items():
        expected = types[key]
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, expected) or isinstance(value, bool) != (
            expected is bool
        ):
            raise ConfigError(
                f"{source}: {where}.{key} must be {_TYPE_WORDS[expected]}, "
                f"not {value!r}"
            )
        values[key] = value
    for key in API_PATH_KEYS:
        if key in values:
            check_api_path(key, values[key], source)
    for key, choices in _API_CHOICES.items():
        if values.get(key, choices[0]) not in choices:
            words = " or ".join(choices)
            raise ConfigError(f"{source}: {where}.{key} must be {words}")
    check_api_ranges(values, source, where=where)
    return replace(base, **values)
