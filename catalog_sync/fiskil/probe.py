"""What a set of credentials can do, found without changing anything: a token, a read of
list page 1, and write capability from the JWT scope claim when there is one, otherwise
from a DELETE of a productId that cannot exist (403: no write scope; 404: allowed)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from catalog_sync.errors import ScopeError
from catalog_sync.fiskil.products import ProductsClient
from catalog_sync.fiskil.products import product_path
from catalog_sync.fiskil.scopes import WRITE_SCOPE
from catalog_sync.fiskil.wire import send

PROBE_PREFIX = "catalog-sync-auth-probe-"


@dataclass(frozen=True, slots=True)
class Capabilities:
    """`write` is None when the probe could not tell; `write_basis` says how it was
    decided; `read_problem` is the error text when reading failed."""

    read: bool
    write: bool | None
    write_basis: str
    token_seconds_left: float
    read_problem: str | None = None


def probe_capabilities(api: ProductsClient) -> Capabilities:
    """Token first (credential errors propagate), then read, then write."""
    auth = api.auth
    assert auth is not None, "probing needs an authenticated client"
    auth.ensure_token(api.http)
    read_problem = None
    try:
        api.list_page(1)
        read = True
    except ScopeError as exc:
        read, read_problem = False, str(exc)
    if auth.scopes is not None:
        return Capabilities(
            read=read,
            write=WRITE_SCOPE in auth.scopes,
            write_basis="the scopes the token declares",
            token_seconds_left=auth.seconds_left(),
            read_problem=read_problem,
        )
    probe_id = PROBE_PREFIX + uuid.uuid4().hex
    response = send(api.http, "DELETE", product_path(api.api.products_path, probe_id))
    status = response.status_code
    write = True if status in (404, 200, 204) else False if status == 403 else None
    return Capabilities(
        read=read,
        write=write,
        write_basis=f"DELETE of a productId that cannot exist answered {status}",
        token_seconds_left=auth.seconds_left(),
        read_problem=read_problem,
    )
