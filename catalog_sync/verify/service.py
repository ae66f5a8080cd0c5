"""The verify use cases: the whole catalog in git against an environment's public PRD
endpoint (`catalog-sync verify`, `drift --public`), or the products an apply just changed
against what it wrote (`apply`'s verify step). No credentials are ever read."""

from __future__ import annotations

from collections.abc import Collection
from collections.abc import Mapping
from dataclasses import replace
from functools import partial

import httpx

from catalog_sync.cds.desired import DesiredProduct
from catalog_sync.config.model import Config
from catalog_sync.config.model import Environment
from catalog_sync.fiskil.clock import Clock
from catalog_sync.fiskil.clock import SystemClock
from catalog_sync.fiskil.connect import ClientOptions
from catalog_sync.fiskil.observe import CallObserver
from catalog_sync.plan.plan import Action
from catalog_sync.plan.plan import Plan
from catalog_sync.targets import open_public_reader
from catalog_sync.types import JSONObject
from catalog_sync.verify.compare import Comparison
from catalog_sync.verify.compare import Expectation
from catalog_sync.verify.compare import Reading
from catalog_sync.verify.compare import compare
from catalog_sync.verify.reading import read_public
from catalog_sync.verify.versions import schema_version
from catalog_sync.verify.waiting import Verification
from catalog_sync.verify.waiting import read_until_matching


def verify_environment(
    config: Config,
    env_name: str | None,
    *,
    wait: float = 0.0,
    desired: Mapping[str, DesiredProduct | JSONObject] | None = None,
    clock: Clock | None = None,
    transport: httpx.BaseTransport | None = None,
) -> Verification:
    """Every product in git (validated first, unless `desired` is given) against the
    public endpoint, with `removal:` deciding what a served product without a file
    should look like."""
    if desired is None:
        from catalog_sync.catalog.pipeline import load_desired_products

        desired = load_desired_products(config)
    expected = Expectation(
        products=desired,
        removal=config.removal,
        wanted_version=schema_version(config.schema),
    )
    env = config.environment(env_name)
    return _verify(config, env, expected, wait=wait, clock=clock, transport=transport)


def verify_applied(
    config: Config,
    plan: Plan,
    *,
    wait: float,
    clock: Clock | None = None,
    transport: httpx.BaseTransport | None = None,
    observer: CallObserver | None = None,
) -> Verification:
    """The products `plan` changed, against the bodies it sent: a created or updated
    product must be served as written, a retired one with its `effectiveTo`, a deleted
    one not at all."""
    expected = Expectation(
        products={
            change.product_id: change.after
            for change in plan.changes
            if change.after is not None and change.action is not Action.DELETE
        },
        removal=plan.removal,
        wanted_version=schema_version(plan.schema),
        scope=[change.product_id for change in plan.changes],
    )
    env = config.environment(plan.environment)
    return _verify(
        config,
        env,
        expected,
        wait=wait,
        clock=clock,
        transport=transport,
        observer=observer,
    )


def _verify(
    config: Config,
    env: Environment,
    expected: Expectation,
    *,
    wait: float,
    clock: Clock | None,
    transport: httpx.BaseTransport | None,
    observer: CallObserver | None = None,
) -> Verification:
    clock = clock or SystemClock()
    wanted = expected.wanted_version
    api = replace(
        config.api,
        public_version=wanted,
        public_min_version=min(config.api.public_min_version, wanted),
    )
    options = ClientOptions(clock=clock, transport=transport, observer=observer)
    reader = open_public_reader(config, env, options=options, api=api)
    with reader:
        base_url = str(reader.http.base_url).rstrip("/")

        def read(ids: Collection[str] | None) -> Reading:
            return read_public(reader, ids, concurrency=config.api.detail_concurrency)

        schema = f"cds-v{wanted}"
        judge = partial(_judge, environment=env.name, base_url=base_url, schema=schema)
        comparison, elapsed, readings = read_until_matching(
            expected, read, judge, wait=wait, clock=clock
        )
    return Verification(
        environment=env.name,
        public_base_url=base_url,
        schema=f"cds-v{wanted}",
        wanted_version=wanted,
        checks=comparison.checks,
        differences=comparison.differences,
        wait_limit=wait,
        elapsed=elapsed,
        readings=readings,
    )


def _judge(
    expected: Expectation,
    reading: Reading,
    now: str,
    *,
    environment: str,
    base_url: str,
    schema: str,
) -> Comparison:
    return compare(
        expected,
        reading,
        now=now,
        environment=environment,
        base_url=base_url,
        schema=schema,
    )
