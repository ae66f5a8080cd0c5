"""Issue 15, item 5 (checklist 58): a request carrying credentials goes only to the
environment's origin. A token path that turns the host into user info, or an absolute
URL to another host, is refused before anything is sent."""

from __future__ import annotations

from dataclasses import replace

import httpx
import pytest

from catalog_sync.config.model import ApiContract
from catalog_sync.errors import ConfigError
from catalog_sync.fiskil.connect import ClientOptions
from catalog_sync.fiskil.connect import Credentials
from catalog_sync.fiskil.connect import connect_products
from catalog_sync.fiskil.redact import Secret

SECRET = "origin-test-secret-8d2"


def _recording() -> tuple[httpx.MockTransport, list[httpx.Request]]:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        if request.url.path.endswith("/token"):
            return httpx.Response(200, json={"token": "t0k3n", "expires_in": 900})
        return httpx.Response(200, json={"data": {"products": []}, "links": {}})

    return httpx.MockTransport(handler), sent


def _connect(api: ApiContract, transport: httpx.BaseTransport):
    return connect_products(
        "http://localhost",
        Credentials("id", Secret(SECRET)),
        api=api,
        options=ClientOptions(transport=transport),
    )


def test_a_token_path_that_moves_the_host_never_gets_the_secret():
    """The review's case: `@evil.example:80/v1/token` on http://localhost posted the
    secret to http://localhost@evil.example/v1/token (api settings built in code do
    not pass the config file's path check; the origin check still holds)."""
    transport, sent = _recording()
    api = replace(ApiContract(), token_path="@evil.example:80/v1/token")
    with pytest.raises(ConfigError) as info:
        _connect(api, transport)
    assert "refusing to send credentials to http://evil.example" in str(info.value)
    assert "origin http://localhost" in str(info.value)
    assert SECRET not in str(info.value)
    assert sent == []


def test_a_bearer_token_is_never_sent_to_another_origin():
    transport, sent = _recording()
    with _connect(ApiContract(), transport) as api:
        api.list_page(1)
        with pytest.raises(ConfigError, match="not the environment's origin"):
            api.http.get("https://localhost/v1/data-provider/cdr/products")
        with pytest.raises(ConfigError, match="not the environment's origin"):
            api.http.get("http://localhost:8443/v1/data-provider/cdr/products")
    assert [str(r.url.copy_with(query=None)) for r in sent] == [
        "http://localhost/v1/token",
        "http://localhost/v1/data-provider/cdr/products",
    ]
