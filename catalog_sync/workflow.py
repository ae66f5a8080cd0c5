"""The use cases the CLI calls: make a plan (drift is a plan read by kind), apply one
(saved or fresh), export the live catalog. Each wires the config, the products API
(`targets`), plan, apply and the journal together and returns a value; none prints."""

from __future__ import annotations

import time
from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import replace
from datetime import UTC
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from typing import TypeVar

from catalog_sync.apply.bodies import check_bodies
from catalog_sync.apply.executor import apply_plan
from catalog_sync.apply.freshness import check_freshness
from catalog_sync.apply.journal import InterruptedApply
from catalog_sync.apply.journal import Journal
from catalog_sync.apply.journal import journal_path
from catalog_sync.apply.journal import read_interrupted
from catalog_sync.apply.live import iter_live
from catalog_sync.apply.live import read_live
from catalog_sync.apply.outcomes import ApplyEvent
from catalog_sync.apply.outcomes import ApplyResult
from catalog_sync.apply.saved_plan import read_plan_file
from catalog_sync.apply.stale_check import choose_stale_check
from catalog_sync.apply.summaries import refuse_summaries
from catalog_sync.cds.desired import DesiredProduct
from catalog_sync.config.model import Config
from catalog_sync.config.model import Environment
from catalog_sync.config.model import Policy
from catalog_sync.errors import PlanError
from catalog_sync.fiskil.connect import ClientOptions
from catalog_sync.fiskil.observe import CallObserver
from catalog_sync.fiskil.products import ProductsClient
from catalog_sync.fiskil.scopes import Need
from catalog_sync.plan.build import build_plan
from catalog_sync.plan.plan import Plan
from catalog_sync.plan.planfile import plan_to_json
from catalog_sync.plan.policy import check_policy
from catalog_sync.plan.safety import check_plan_safety
from catalog_sync.targets import EMBEDDED_BASE_URL
from catalog_sync.targets import open_products_api
from catalog_sync.timing import StageTimer
from catalog_sync.timing import TimedIterator
from catalog_sync.timing import stage_clock
from catalog_sync.types import JSONObject

if TYPE_CHECKING:
    from catalog_sync.catalog.export import ExportedFile

Connector = Callable[[Environment, Need, int | None], ProductsClient]
"""Opens the products API of an environment for a need, with at most N writes in flight
(None: no limit). Tests pass one that wires the emulator in-process."""

Desired = Mapping[str, DesiredProduct | JSONObject]


_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class ApplySettings:
    """The apply flags, from the command line."""

    allow_delete: bool = False
    force: bool = False
    parallelism: int = 4
    override_policy: str | None = None


def default_connector(
    config: Config, *, observer: CallObserver | None = None
) -> Connector:
    """Opens the environment's products API; `observer` hears every call."""

    def connect(
        env: Environment, need: Need, max_in_flight: int | None
    ) -> ProductsClient:
        options = ClientOptions(max_in_flight=max_in_flight, observer=observer)
        return open_products_api(config, env, need=need, options=options)

    return connect


def utc_now() -> str:
    """Now in RFC 3339 (the retirement time of a plan made now)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def base_url_of(env: Environment) -> str:
    return env.base_url if env.target == "http" and env.base_url else EMBEDDED_BASE_URL


def load_desired(config: Config) -> dict[str, DesiredProduct]:
    """Validate the product files; ValidationFailed (carrying every problem) if any."""
    from catalog_sync.catalog.pipeline import load_desired_products

    return load_desired_products(config)


def make_plan(
    config: Config,
    env_name: str | None = None,
    *,
    desired: Desired | None = None,
    connect: Connector | None = None,
    now: str | None = None,
    on_stage: StageTimer | None = None,
    base_url: str | None = None,
    targets: Sequence[str] = (),
    policy: Policy | None = None,
) -> Plan:
    """Validate (unless `desired` is given), read live, build the plan (recording
    `base_url`, by default the environment's). The live pages
    are compared as they arrive, so only one page is held at a time. `on_stage` hears
    each stage's name ("validate", "fetch", "diff") and duration in seconds; fetch is
    the time spent waiting for and decoding pages, diff the rest of the comparison.
    `targets` limits the plan to those productIds; `policy` replaces the config's
    (in GitHub: the base branch's)."""
    timed = stage_clock(on_stage)
    env = config.environment(env_name)
    wanted = timed(
        "validate", lambda: load_desired(config) if desired is None else desired
    )
    with _api(config, env, "read", None, connect) as api:
        live = iter_live(api)
        if config.api.list_returns_details:
            live = refuse_summaries(live, wanted, api.get_product)
        fetch = TimedIterator(live)
        started = time.perf_counter()
        plan = build_plan(
            wanted,
            fetch,
            removal=config.removal,
            environment=env.name,
            base_url=base_url or base_url_of(env),
            schema=config.schema,
            now=now or utc_now(),
            products_dir=_relative(config.products_dir, config.root),
            timezone=config.timezone,
            policy=policy or config.policy,
            targets=targets,
        )
        elapsed = time.perf_counter() - started
    if on_stage is not None:
        on_stage("fetch", fetch.seconds)
        on_stage("diff", elapsed - fetch.seconds)
    return plan


def interrupted_apply(config: Config, env_name: str | None) -> InterruptedApply | None:
    """What a crashed apply to this environment left in its journal, if anything."""
    env = config.environment(env_name)
    return read_interrupted(journal_path(config.state_dir, env.name))


def run_apply(
    config: Config,
    plan: Plan,
    *,
    settings: ApplySettings,
    on_event: Callable[[ApplyEvent], None] | None = None,
    connect: Connector | None = None,
) -> ApplyResult:
    """Check the policy (the config's, not the one recorded in the plan: a plan file
    cannot loosen it) and the rails, re-read every affected product (refuse a stale
    plan before any write), then execute the plan's after-bodies, with If-Match on what
    was read when the re-read was per product (`api.stale_check`)."""
    env = config.environment(plan.environment)
    if plan.base_url != base_url_of(env):
        raise PlanError(
            f"the plan was made against {plan.base_url}, but environment "
            f"{env.name!r} is {base_url_of(env)}; nothing was written",
            hint=f"make a new plan for it: `catalog-sync plan --env {env.name} --out FILE`",
        )
    check_policy(plan, config.policy, override=settings.override_policy)
    check_plan_safety(plan, allow_delete=settings.allow_delete, force=settings.force)
    check_bodies(
        plan.changes, plan.schema, extension_prefixes=config.extension_prefixes
    )
    with _api(config, env, "write", settings.parallelism, connect) as api:
        fresh = check_freshness(
            plan,
            api,
            parallelism=settings.parallelism,
            mode=choose_stale_check(plan, config.api_for(env)),
        )
        result = apply_plan(
            plan,
            api,
            parallelism=settings.parallelism,
            on_event=on_event,
            journal=Journal(journal_path(config.state_dir, env.name)),
            etags=fresh.etags,
            already_applied=fresh.already_applied,
        )
        return replace(result, rate_limit=api.rate_limit_waits())


def select_environment(plan: Plan, env_name: str | None) -> None:
    """A saved plan applies to the environment it was made for; `--env` may only
    confirm it."""
    if env_name is not None and env_name != plan.environment:
        raise PlanError(
            f"the plan was made for environment {plan.environment!r}, not {env_name!r}; "
            "nothing was written",
            hint=f"run plan --env {env_name} --out FILE to make one for it",
        )


def export_live(
    config: Config,
    env_name: str | None,
    out_dir: Path,
    *,
    products: Sequence[str] = (),
    force: bool = False,
    connect: Connector | None = None,
) -> list[ExportedFile]:
    """Write the live catalog (or only `products` of it) under `out_dir`; files that
    exist are updated in place, keeping their comments (catalog.export)."""
    from catalog_sync.catalog.export import (
        export_catalog,  # the YAML writer: export only
    )

    env = config.environment(env_name)
    with _api(config, env, "read", None, connect) as api:
        live = read_live(api)
    if products:
        missing = sorted(set(products) - set(live))
        if missing:
            raise PlanError(
                f"--product {', '.join(missing)}: not in the live catalog of {env.name}",
                hint=f"`catalog-sync plan --env {env.name}` lists what is live",
            )
        live = {pid: body for pid, body in live.items() if pid in products}
    return export_catalog(live, out_dir, config=config, force=force)


def save_plan(plan: Plan, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(plan_to_json(plan), encoding="utf-8")


def load_plan(path: Path) -> Plan:
    """Read a saved plan; PlanFormatError names the file when it cannot be used."""
    return read_plan_file(path)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


@contextmanager
def _api(
    config: Config,
    env: Environment,
    need: Need,
    max_in_flight: int | None,
    connect: Connector | None,
) -> Iterator[ProductsClient]:
    client = (connect or default_connector(config))(env, need, max_in_flight)
    try:
        yield client
    finally:
        client.close()
