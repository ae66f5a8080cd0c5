"""The `public` check: the public PRD endpoint (public_base_url) answers without
credentials, which product-detail `x-v` versions it serves, and whether that matches
`schema:` (a V6-only endpoint with `schema: cds-v7` is a ✗)."""

from __future__ import annotations

import httpx

from catalog_sync.config.model import Config
from catalog_sync.config.model import Environment
from catalog_sync.doctor.detail import ABSENT_PREFIX
from catalog_sync.doctor.model import Finding
from catalog_sync.doctor.model import Status
from catalog_sync.doctor.observe import Wrap
from catalog_sync.fiskil.clock import Clock
from catalog_sync.fiskil.connect import ClientOptions
from catalog_sync.fiskil.public import PublicReader
from catalog_sync.fiskil.resource import product_path
from catalog_sync.fiskil.responses import error_for_response
from catalog_sync.fiskil.wire import send
from catalog_sync.targets import open_public_reader

DETAIL_VERSIONS = (7, 6)  # CDS Get Product Detail versions catalog-sync writes
SCHEMA_FOR_VERSION = {7: "cds-v7", 6: "cds-v6"}


def check_public(
    config: Config,
    env: Environment,
    *,
    clock: Clock,
    wrap: Wrap | None,
) -> Finding:
    """`wrap` wraps the network transport (doctor's observations); the embedded
    environment's public endpoint is its in-process emulator."""
    if env.target == "http" and not env.public_base_url:
        return Finding(
            "public", Status.SKIPPED, "public_base_url is not set",
            fix=f"set environments.{env.name}.public_base_url to the Data Provider "
            "domain to check the public endpoint",
        )  # fmt: skip
    transport = wrap(httpx.HTTPTransport()) if wrap is not None else None
    options = ClientOptions(clock=clock, transport=transport)
    with open_public_reader(config, env, options=options) as reader:
        return _check(config, reader)


def _check(config: Config, reader: PublicReader) -> Finding:
    path = reader.api.public_products_path
    listed = send(
        reader.http, "GET", path,
        params={"effective": "ALL", "page-size": 1}, headers={"x-v": "5", "x-min-v": "3"},
    )  # fmt: skip
    if listed.status_code != 200:
        error = error_for_response(listed)
        fix = error.hint or "check public_base_url"
        return Finding(
            "public", Status.FAIL, f"{error.message} without credentials", fix=fix
        )
    served = _served_versions(reader, _some_product_id(listed))
    if not served:
        observed = f"GET {path}/{{productId}} answers none of x-v {', '.join(map(str, DETAIL_VERSIONS))}"
        return Finding("public", Status.FAIL, observed, fix="check public_base_url")
    versions = " and ".join(str(v) for v in sorted(served))
    observed = f"answers without credentials; product detail x-v {versions}"
    wanted = int(config.schema.removeprefix("cds-v"))
    if wanted in served:
        return Finding(
            "public", Status.OK, f"{observed}, matching schema: {config.schema}"
        )
    schema = SCHEMA_FOR_VERSION[max(served)]
    return Finding(
        "public", Status.FAIL,
        f"{observed}, but schema: {config.schema} validates V{wanted} products",
        fix=f"schema: {schema}", suggest={"schema": schema},
        reason=f"the public endpoint serves product detail x-v {versions} only",
    )  # fmt: skip


def _some_product_id(listed: httpx.Response) -> str:
    """A listed productId, or one that cannot exist: CDS negotiates the version first,
    so 404 still means the version is served, 406 that it is not."""
    try:
        body = listed.json()
        products = body["data"]["products"]
        return str(products[0]["productId"])
    except (ValueError, KeyError, IndexError, TypeError):
        return ABSENT_PREFIX + "public"


def _served_versions(reader: PublicReader, product_id: str) -> set[int]:
    path = product_path(reader.api.public_products_path, product_id)
    served = set()
    for version in DETAIL_VERSIONS:
        headers = {"x-v": str(version), "x-min-v": str(version)}
        response = send(reader.http, "GET", path, headers=headers)
        answered = response.headers.get("x-v", str(version))
        if response.status_code in (200, 404) and answered == str(version):
            served.add(version)
    return served
