"""The use cases the CLI calls: make a plan, apply one (saved or fresh), report drift,
export the live catalog. Each wires config, the products API, the engine and the journal
together and returns a value; none prints (the CLI renders)."""

from __future__ import annotations

import time
from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from typing import TypeVar

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
from catalog_sync.apply.stale_check import choose_stale_check
from catalog_sync.config.model import Config
from catalog_sync.config.model import Environment
from catalog_sync.errors import PlanError
from catalog_sync.errors import PlanFormatError
from catalog_sync.fiskil.observe import CallObserver
from catalog_sync.fiskil.products import ProductsClient
from catalog_sync.fiskil.scopes import Need
from catalog_sync.plan.plan import DesiredProduct
from catalog_sync.plan.plan import Plan
from catalog_sync.plan.plan import build_plan
from catalog_sync.plan.planfile import plan_from_json
from catalog_sync.plan.planfile import plan_to_json
from catalog_sync.plan.safety import check_plan_safety
from catalog_sync.targets import EMBEDDED_BASE_URL
from catalog_sync.targets import open_products_api
from catalog_sync.types import JSONObject

if TYPE_CHECKING:
    from catalog_sync.catalog.export import ExportedFile

Connector = Callable[[Environment, Need, int | None], ProductsClient]
"""Opens the products API of an environment for a need, with at most N writes in flight
(None: no limit). Tests pass one that wires the emulator in-process."""

Desired = Mapping[str, DesiredProduct | JSONObject]

StageTimer = Callable[[str, float], None]
"""Hears a plan stage's name and how long it took (seconds), e.g. for `--timings`."""

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class ApplySettings:
    """The apply flags, from the command line."""

    allow_delete: bool = False
    force: bool = False
    parallelism: int = 4


def default_connector(
    config: Config, *, observer: CallObserver | None = None
) -> Connector:
    """Opens the environment's products API; `observer` hears every call."""

    def connect(
        env: Environment, need: Need, max_in_flight: int | None
    ) -> ProductsClient:
        return open_products_api(
            config, env, need=need, max_in_flight=max_in_flight, observer=observer
        )

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
) -> Plan:
    """Validate (unless `desired` is given), read live, build the plan (recording
    `base_url`, by default the environment's). The live pages
    are compared as they arrive, so only one page is held at a time. `on_stage` hears
    each stage's name ("validate", "fetch", "diff") and duration in seconds; fetch is
    the time spent waiting for and decoding pages, diff the rest of the comparison."""
    timed = _stage_clock(on_stage)
    env = config.environment(env_name)
    wanted = timed(
        "validate", lambda: load_desired(config) if desired is None else desired
    )
    with _api(config, env, "read", None, connect) as api:
        fetch = _TimedIterator(iter_live(api))
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
    """Check the rails, re-read every affected product (refuse a stale plan before any
    write), then execute the plan's after-bodies, with If-Match on what was read when
    the re-read was per product (`api.stale_check`)."""
    env = config.environment(plan.environment)
    if plan.base_url != base_url_of(env):
        raise PlanError(
            f"the plan was made against {plan.base_url}, but environment "
            f"{env.name!r} is {base_url_of(env)}; nothing was written",
            hint="make a new plan for this environment",
        )
    check_plan_safety(plan, allow_delete=settings.allow_delete, force=settings.force)
    with _api(config, env, "write", settings.parallelism, connect) as api:
        fresh = check_freshness(
            plan,
            api,
            parallelism=settings.parallelism,
            mode=choose_stale_check(plan, config.api),
        )
        return apply_plan(
            plan,
            api,
            parallelism=settings.parallelism,
            allow_delete=settings.allow_delete,
            force=settings.force,
            on_event=on_event,
            journal=Journal(journal_path(config.state_dir, env.name)),
            etags=fresh.etags,
            already_applied=fresh.already_applied,
        )


def select_environment(plan: Plan, env_name: str | None) -> None:
    """A saved plan applies to the environment it was made for; `--env` may only
    confirm it."""
    if env_name is not None and env_name != plan.environment:
        raise PlanError(
            f"the plan was made for environment {plan.environment!r}, not {env_name!r}; "
            "nothing was written",
            hint=f"run plan --env {env_name} --out FILE to make one for it",
        )


def make_drift(
    config: Config,
    env_name: str | None = None,
    *,
    desired: Desired | None = None,
    connect: Connector | None = None,
    now: str | None = None,
) -> Plan:
    """Read-only: the plan that `render.drift` reads as drift. It keeps the configured
    removal policy, so drift agrees with `plan --detailed-exitcode`: with `keep`,
    live-only products are deliberately unmanaged; with `retire`, a product already
    retired live is no longer drift."""
    return make_plan(config, env_name, desired=desired, connect=connect, now=now)


def export_live(
    config: Config,
    env_name: str | None,
    out_dir: Path,
    *,
    connect: Connector | None = None,
) -> list[ExportedFile]:
    from catalog_sync.catalog.export import (
        export_catalog,  # the YAML writer: export only
    )

    env = config.environment(env_name)
    with _api(config, env, "read", None, connect) as api:
        live = read_live(api)
    return export_catalog(live, out_dir)


def save_plan(plan: Plan, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(plan_to_json(plan), encoding="utf-8")


def load_plan(path: Path) -> Plan:
    """Read a saved plan; PlanFormatError names the file when it cannot be used."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanFormatError(f"{path}: cannot read the plan file: {exc}") from exc
    try:
        return plan_from_json(text)
    except PlanFormatError as exc:
        raise PlanFormatError(f"{path}: {exc.message}", hint=exc.hint) from exc


def _stage_clock(
    on_stage: StageTimer | None,
) -> Callable[[str, Callable[[], _T]], _T]:
    """Runs a stage; reports its duration to `on_stage` (if any) when it returns."""

    def timed(name: str, stage: Callable[[], _T]) -> _T:
        started = time.perf_counter()
        result = stage()
        if on_stage is not None:
            on_stage(name, time.perf_counter() - started)
        return result

    return timed


class _TimedIterator(Iterator[_T]):
    """Passes items through, adding up the seconds spent producing them."""

    def __init__(self, items: Iterator[_T]) -> None:
        self._items = items
        self.seconds = 0.0

    def __next__(self) -> _T:
        started = time.perf_counter()
        try:
            return next(self._items)
        finally:
            self.seconds += time.perf_counter() - started


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
