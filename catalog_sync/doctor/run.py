"""Run every check against one environment, in order, read-only unless asked to probe
write access: configuration, token, clock, list, page size, paging, list details,
detail, ETag, write (with `check_write`), public endpoint, rate limits."""

from __future__ import annotations

import os
from collections.abc import Callable
from collections.abc import Mapping

from catalog_sync.config.model import Config
from catalog_sync.doctor.detail import check_detail
from catalog_sync.doctor.detail import check_etag
from catalog_sync.doctor.detail import check_list_details
from catalog_sync.doctor.detail import read_details
from catalog_sync.doctor.environment import check_environment
from catalog_sync.doctor.limits import check_rate_limits
from catalog_sync.doctor.listing import check_list
from catalog_sync.doctor.listing import check_page_size
from catalog_sync.doctor.model import Finding
from catalog_sync.doctor.model import Report
from catalog_sync.doctor.model import Status
from catalog_sync.doctor.observe import Observations
from catalog_sync.doctor.paging import check_paging
from catalog_sync.doctor.public import check_public
from catalog_sync.doctor.token import check_clock
from catalog_sync.doctor.token import check_token
from catalog_sync.errors import ApiError
from catalog_sync.fiskil.clock import Clock
from catalog_sync.fiskil.clock import SystemClock
from catalog_sync.fiskil.connect import ClientOptions
from catalog_sync.fiskil.probe import probe_capabilities
from catalog_sync.fiskil.products import ProductsClient
from catalog_sync.fiskil.scopes import SCOPE_HINT
from catalog_sync.targets import open_products_api


def run_doctor(
    config: Config,
    env_name: str | None,
    *,
    check_write: bool = False,
    environ: Mapping[str, str] | None = None,
    clock: Clock | None = None,
) -> Report:
    """The report for `env_name`; nothing is written unless `check_write` (and then only
    the write probe of `auth check`: a DELETE of a productId that cannot exist)."""
    variables = os.environ if environ is None else environ
    clock = clock or SystemClock()
    finding, env = check_environment(config, env_name, variables)
    if env is None:
        return Report(env_name or "local", "", (finding,))
    findings = [finding]
    observations = Observations(clock)
    options = ClientOptions(clock=clock, wrap=observations.wrap)
    with open_products_api(
        config, env, need="read", options=options, environ=variables
    ) as api:
        token = check_token(api)
        findings.append(token)
        if token.status is not Status.FAIL:
            findings += _api_checks(api, observations, check_write=check_write)
    if token.status is not Status.FAIL:
        wrap = observations.wrap if env.target == "http" else None
        findings.append(
            guarded("public", lambda: check_public(config, env, clock=clock, wrap=wrap))
        )
        findings.append(check_rate_limits(observations.seen))
    where = env.base_url or "the embedded emulator"
    return Report(env.name, where, tuple(findings))


def _api_checks(
    api: ProductsClient, observations: Observations, *, check_write: bool
) -> list[Finding]:
    findings = [check_clock(observations.seen)]
    listed, first = check_list(api)
    findings.append(listed)
    if first is not None:
        size, size_param = check_page_size(api, first)
        findings.append(size)
        findings.append(guarded("paging", lambda: check_paging(api, size_param)))
        reads = read_details(api, first.products or [])
        findings += [
            check_list_details(api, reads),
            guarded("detail", lambda: check_detail(api, reads)),
            check_etag(api, reads),
        ]
    if check_write:
        findings.append(guarded("write", lambda: check_write_access(api)))
    return findings


def check_write_access(api: ProductsClient) -> Finding:
    """The write probe `auth check` uses (scopes the token carries, else a DELETE of a
    productId that cannot exist)."""
    found = probe_capabilities(api)
    if found.write:
        return Finding(
            "write", Status.OK, f"apply may write (decided by {found.write_basis})"
        )
    if found.write is False:
        observed = f"these credentials cannot write (decided by {found.write_basis})"
        return Finding(
            "write",
            Status.FAIL,
            observed,
            fix=f"apply needs the write scope; {SCOPE_HINT}",
        )
    return Finding(
        "write", Status.UNKNOWN, f"could not tell: {found.write_basis}",
        fix="ask Fiskil what a write without the write scope answers",
    )  # fmt: skip


def guarded(check: str, run: Callable[[], Finding]) -> Finding:
    """`run()`, with an API error (network, status, shape) as this check's ✗."""
    try:
        return run()
    except ApiError as exc:
        fix = exc.hint or "see the message; run again with --debug for the requests"
        return Finding(check, Status.FAIL, exc.message, fix=fix)
