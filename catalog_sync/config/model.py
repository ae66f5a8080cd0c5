"""The settings model: a frozen `Config` with its environments and the assumed Fiskil API
contract (`api:`), each field with its documented default.

Secrets never live here: an environment names the *variables* that hold its credentials.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Literal

from catalog_sync.errors import ConfigError

CONFIG_FILE_NAME = "catalog-sync.yaml"
SCHEMAS = ("cds-v7", "cds-v6")
REMOVAL_POLICIES = ("retire", "delete", "keep")
DEFAULT_ENVIRONMENT = "local"
DEFAULT_TIMEZONE = "Australia/Sydney"
ADVERSE_CHANGES = ("allow", "warn", "block")

Removal = Literal["retire", "delete", "keep"]
AdverseChanges = Literal["allow", "warn", "block"]


@dataclass(frozen=True, slots=True)
class Policy:
    """The gates a plan must pass before apply writes it (`policy:` in the config).

    `adverse_changes`: what a change that is worse for customers (or unclassified,
    `review`) does to a plan: nothing, a warning, or a block. `max_rate_change_bp`:
    a rate moving by more than this many basis points blocks the plan (None: no limit).
    `override_label`: the pull-request label by which someone with write access lets
    a blocked plan through on merge.
    """

    adverse_changes: AdverseChanges = "warn"
    max_rate_change_bp: int | None = None
    override_label: str = "policy-override"


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
    paging: Literal["page", "next-link"] = "page"


@dataclass(frozen=True, slots=True)
class Environment:
    """Where a catalog is published: the embedded emulator store, or a Fiskil base URL.
    `allow_unreviewed`: the apply workflow may apply changes no reviewed plan showed."""

    name: str
    target: Literal["embedded", "http"]
    base_url: str | None = None
    client_id_env: str | None = None
    client_secret_env: str | None = None
    public_base_url: str | None = None
    db_path: Path | None = None
    api: ApiContract | None = None  # `environments.<name>.api` merged over `api:`
    allow_unreviewed: bool = False


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
    extension_prefixes: tuple[str, ...] = ()
    """Holder identifiers whose `<HID>-` extension fields products may carry."""
    environments: Mapping[str, Environment] = field(default_factory=dict)
    api: ApiContract = field(default_factory=ApiContract)
    timezone: str = DEFAULT_TIMEZONE
    policy: Policy = field(default_factory=Policy)
    source: Path | None = None

    @property
    def state_dir(self) -> Path:
        """`.catalog-sync/` beside the config: caches, journals and the local store."""
        return self.root / ".catalog-sync"

    def api_for(self, env: Environment) -> ApiContract:
        """The API contract of `env`: its own `api:` merged over the global one."""
        return env.api if env.api is not None else self.api

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


def local_environment(root: Path) -> Environment:
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
        environments={DEFAULT_ENVIRONMENT: local_environment(root)},
    )
