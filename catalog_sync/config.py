"""Read `catalog-sync.yaml` into a frozen `Config`: paths, schema, removal policy,
environments and the assumed Fiskil API contract (`api:`), each with a documented default.

Secrets never live here: an environment names the *variables* that hold its credentials.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from dataclasses import fields
from dataclasses import replace
from pathlib import Path
from typing import Any
from typing import Literal
from typing import cast

from catalog_sync.errors import ConfigError

CONFIG_FILE_NAME = "catalog-sync.yaml"
SCHEMAS = ("cds-v7", "cds-v6")
REMOVAL_POLICIES = ("retire", "delete", "keep")
# The api keys typed as a Literal of strings: their allowed values, the default first.
_API_CHOICES = {
    "update_method": ("PUT", "PATCH"),
    "stale_check": ("auto", "get", "list"),
}
DEFAULT_ENVIRONMENT = "local"

Removal = Literal["retire", "delete", "keep"]


@dataclass(frozen=True, slots=True)
class ApiContract:
    """Every path, parameter name and choice of the assumed Fiskil management API.

    The defaults are the contract in docs/api-contract.md; each can be overridden in the
    `api:` section once the real service is known to differ.
    """

    token_path: str = "/v1/token"
    products_path: str = "/v1/data-provider/cdr/products"
    page_param: str = "page"
    page_size_param: str = "page-size"
    page_size: int = 100
    max_pages: int = 10_000
    update_method: Literal["PUT", "PATCH"] = "PUT"
    list_returns_details: bool = True
    detail_concurrency: int = 4
    idempotency_header: str = "Idempotency-Key"
    public_products_path: str = "/cds-au/v1/banking/products"
    public_version: int = 7
    public_min_version: int = 6
    timeout_seconds: float = 30.0
    max_attempts: int = 5
    backoff_base_seconds: float = 0.5
    backoff_cap_seconds: float = 30.0
    retry_after_cap_seconds: float = 120.0
    retry_budget: int = 50
    token_refresh_skew_seconds: float = 120.0
    default_token_lifetime_seconds: float = 300.0
    stale_check: Literal["auto", "get", "list"] = "get"


@dataclass(frozen=True, slots=True)
class Environment:
    """Where a catalog is published: the embedded emulator store, or a Fiskil base URL."""

    name: str
    target: Literal["embedded", "http"]
    base_url: str | None = None
    client_id_env: str | None = None
    client_secret_env: str | None = None
    public_base_url: str | None = None
    db_path: Path | None = None


@dataclass(frozen=True, slots=True)
class Config:
    """The whole configuration of one catalog repository."""

    root: Path
    products_dir: Path
    schema: str = "cds-v7"
    removal: Removal = "retire"
    require_filename_match: bool = True
    max_file_bytes: int = 1_048_576
    max_files: int = 20_000
    environments: Mapping[str, Environment] = field(default_factory=dict)
    api: ApiContract = field(default_factory=ApiContract)
    source: Path | None = None

    @property
    def state_dir(self) -> Path:
        """`.catalog-sync/` beside the config: caches, journals and the local store."""
        return self.root / ".catalog-sync"

    def environment(self, name: str | None) -> Environment:
        """The named environment (the default `local` when None), or a ConfigError."""
        chosen = name or DEFAULT_ENVIRONMENT
        try:
            return self.environments[chosen]
        except KeyError:
            known = ", ".join(sorted(self.environments)) or "none"
            raise ConfigError(
                f"unknown environment {chosen!r}",
                hint=f"configured environments: {known}",
            ) from None


def _local_environment(root: Path) -> Environment:
    return Environment(
        name=DEFAULT_ENVIRONMENT,
        target="embedded",
        db_path=root / ".catalog-sync" / "local.db",
    )


def default_config(root: Path) -> Config:
    """The configuration used when no catalog-sync.yaml exists."""
    return Config(
        root=root,
        products_dir=root / "products",
        environments={DEFAULT_ENVIRONMENT: _local_environment(root)},
    )


def load_config(path: Path) -> Config:
    """Read `path`; a missing file means the defaults rooted at its folder."""
    root = path.resolve().parent
    if not path.exists():
        return default_config(root)
    from catalog_sync.catalog.yamlio import load_config_mapping

    raw = load_config_mapping(path)
    return _build_config(raw, root=root, source=path)


def _build_config(raw: Mapping[str, Any], *, root: Path, source: Path) -> Config:
    known = {f.name for f in fields(Config)} - {"root", "source"}
    _reject_unknown(raw, known, source, "top level")
    base = default_config(root)
    schema = _choice(raw, "schema", SCHEMAS, base.schema, source)
    removal = cast(
        Removal, _choice(raw, "removal", REMOVAL_POLICIES, base.removal, source)
    )
    return replace(
        base,
        products_dir=root / _string(raw, "products_dir", "products", source),
        schema=schema,
        removal=removal,
        require_filename_match=_boolean(raw, "require_filename_match", True, source),
        max_file_bytes=_positive_int(
            raw, "max_file_bytes", base.max_file_bytes, source
        ),
        max_files=_positive_int(raw, "max_files", base.max_files, source),
        environments=_environments(raw.get("environments"), root, source),
        api=_api(raw.get("api"), source),
        source=source,
    )


def _environments(raw: Any, root: Path, source: Path) -> dict[str, Environment]:
    result = {DEFAULT_ENVIRONMENT: _local_environment(root)}
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
    _reject_unknown(
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
    _reject_unknown(raw, set(types), source, "api")
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
    for key, choices in _API_CHOICES.items():
        if values.get(key, choices[0]) not in choices:
            words = " or ".join(choices)
            raise ConfigError(f"{source}: api.{key} must be {words}")
    return replace(defaults, **values)


def _reject_unknown(
    raw: Mapping[str, Any], known: set[str], source: Path, where: str
) -> None:
    unknown = sorted(set(map(str, raw)) - known)
    if unknown:
        raise ConfigError(
            f"{source}: unknown key {unknown[0]!r} in {where}",
            hint=f"known keys: {', '.join(sorted(known))}",
        )


def _choice(
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


def _string(raw: Mapping[str, Any], key: str, default: str, source: Path) -> str:
    value = raw.get(key, default)
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{source}: {key} must be a non-empty string")
    return value


def _boolean(raw: Mapping[str, Any], key: str, default: bool, source: Path) -> bool:
    value = raw.get(key, default)
    if not isinstance(value, bool):
        raise ConfigError(f"{source}: {key} must be true or false")
    return value


def _positive_int(raw: Mapping[str, Any], key: str, default: int, source: Path) -> int:
    value = raw.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ConfigError(f"{source}: {key} must be a positive whole number")
    return value
