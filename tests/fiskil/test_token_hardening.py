"""Issue 15 item 13: token-endpoint failures named after the token request, a token with
a line break refused and never written raw after `::add-mask::`, and scopes the token
response declares checked before the first write."""

from __future__ import annotations

import random
import socket

import httpx
import pytest

from catalog_sync.config.model import ApiContract
from catalog_sync.errors import AuthError
from catalog_sync.errors import ScopeError
from catalog_sync.errors import TransportError
from catalog_sync.fiskil.connect import ClientOptions
from catalog_sync.fiskil.connect import Credentials
from catalog_sync.fiskil.connect import connect_products
from catalog_sync.fiskil.redact import Secret
from catalog_sync.fiskil.scopes import token_scopes
from catalog_sync.targets import mask_in_github_actions
from tests.conftest import FakeClock
from tests.fiskil.conftest import PRODUCTS
from tests.fiskil.conftest import READONLY_ID
from tests.fiskil.conftest import READONLY_SECRET
from tests.fiskil.conftest import TOKEN
from tests.fiskil.conftest import Harness
from tests.fiskil.conftest import product

WRITE = "api:provider.products.write"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _unreachable(clock: FakeClock):
    port = _closed_port()
    api = connect_products(
        f"http://127.0.0.1:{port}",
        Credentials("cid", Secret("unreachable-secret")),
        api=ApiContract(max_attempts=1),
        options=ClientOptions(clock=clock, rng=random.Random(1)),
    )
    return api, port


def test_ensure_token_against_an_unreachable_host_is_a_transport_error(clock):
    api, port = _unreachable(clock)
    assert api.auth is not None
    with api, pytest.raises(TransportError) as info:
        api.auth.ensure_token(api.http)
    assert str(info.value).startswith(
        f"POST {TOKEN}: could not connect to http://127.0.0.1:{port}"
    )
    assert "base_url" in str(info.value)


def test_a_token_failure_inside_a_call_is_named_after_the_token_request(clock):
    api, port = _unreachable(clock)
    with api, pytest.raises(TransportError) as info:
        api.get_product("p1")
    assert str(info.value).startswith(
        f"POST {TOKEN}: could not connect to http://127.0.0.1:{port}"
    )
    assert PRODUCTS not in str(info.value)


@pytest.mark.parametrize("token", ["abc\ndef-ghi", "abc\r\n::warning::x", "a b"])
def test_a_token_with_a_line_break_is_refused_and_never_masked(clock, token):
    heard: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == TOKEN:
            return httpx.Response(200, json={"token": token, "expires_in": 900})
        return httpx.Response(200, json={"data": {"products": []}, "links": {}})

    api = connect_products(
        "https://api.example.test",
        Credentials("cid", Secret("mock-secret")),
        api=ApiContract(),
        options=ClientOptions(
            clock=clock,
            rng=random.Random(1),
            transport=httpx.MockTransport(handler),
            on_token=heard.append,
        ),
    )
    with api, pytest.raises(AuthError, match="whitespace or control") as info:
        list(api.iter_products())
    assert heard == []
    assert token not in str(info.value)
    assert "abc" not in str(info.value)


def test_masking_writes_each_line_of_a_token_never_the_whole(capsys):
    mask_in_github_actions("first\r\nsecond\n\nthird")
    assert capsys.readouterr().out == (
        "::add-mask::first\n::add-mask::second\n::add-mask::third\n"
    )


@pytest.mark.parametrize(
    ("body", "token", "expected"),
    [
        ({"scope": "a b"}, "opaque", frozenset({"a", "b"})),
        ({"scope": ["a"]}, "opaque", frozenset({"a"})),
        ({"scope": "  "}, "opaque", None),
        ({"scope": []}, "opaque", None),
        ({"scope": [1]}, "opaque", None),
        (None, "opaque", None),
    ],
)
def test_token_scopes_reads_the_response_field_first(body, token, expected):
    assert token_scopes(body, token)[0] == expected


def test_read_only_credentials_send_no_write_when_the_response_says_so(
    harness: Harness,
):
    harness.store.token_scope = True
    api = harness.client(client_id=READONLY_ID, secret=READONLY_SECRET, need="write")
    with pytest.raises(ScopeError, match=WRITE) as info:
        api.create_product(product("p1"))
    assert "the token response's scope field lists: api:provider.products.read" in str(
        info.value
    )
    assert harness.count("POST", PRODUCTS) == 0
    assert harness.count("POST", TOKEN) == 1


def test_a_failure_without_its_request_keeps_the_callers_name():
    from catalog_sync.fiskil.wire import transport_error

    error = transport_error(httpx.ConnectError("refused"), what="GET /v1/x")
    assert str(error).startswith("GET /v1/x: could not connect (refused)")
