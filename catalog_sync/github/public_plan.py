"""A plan for a fork's pull request, read from the public PRD endpoint with no
credentials: every published product's detail stands in for the live catalog. It is a
preview only (unpublished products are invisible there) and is never applied."""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

from catalog_sync.config.model import Config
from catalog_sync.config.model import Environment
from catalog_sync.config.model import Policy
from catalog_sync.fiskil.public import PublicReader
from catalog_sync.plan.plan import Plan
from catalog_sync.targets import open_public_reader
from catalog_sync.types import JSONObject
from catalog_sync.workflow import Connector
from catalog_sync.workflow import make_plan

PUBLIC_NOTE = (
    "> **Preview from the public PRD endpoint** (this pull request comes from a fork, "
    "so it runs without credentials): only published products are visible, so the "
    "plan made when the change is applied is the authoritative one.\n\n"
)


class PublicProducts:
    """Read-only products API over the public endpoints: list, then each detail."""

    def __init__(self, reader: PublicReader) -> None:
        self._reader = reader

    def iter_products(self) -> Iterator[JSONObject]:
        for summary in self._reader.iter_products():
            product_id = summary.get("productId")
            detail = (
                self._reader.get_product(product_id)
                if isinstance(product_id, str)
                else None
            )
            yield detail if detail is not None else summary

    def get_product(self, product_id: str) -> JSONObject | None:
        """A published product's detail, or None (what the summaries check reads)."""
        return self._reader.get_product(product_id)

    def close(self) -> None:
        self._reader.close()


def make_public_plan(
    config: Config, env_name: str, *, policy: Policy | None = None
) -> Plan:
    """The plan of `env_name` against its `public_base_url` (ConfigError if unset),
    judged by `policy` (default: the config's). The plan records the public base URL,
    so it can never pass as a plan of the management API (`apply` and `apply
    --reviewed` refuse another base URL)."""

    def connect(env: Environment, need: object, max_in_flight: int | None) -> object:
        return PublicProducts(open_public_reader(config, env))

    public = config.environment(env_name).public_base_url
    return make_plan(
        config,
        env_name,
        connect=cast(Connector, connect),
        base_url=public,
        policy=policy,
    )
