"""The emulator as a server facing hostile requests over real sockets: every one is
answered with a 4xx (or 501) and a CDS error body, never a 500, an HTML page or a dropped
connection; bodies are capped; the Host header never reaches `links` (issue 15, item 12)."""

from __future__ import annotations

import io
import json
import socket
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from catalog_sync.emulator.app import make_app
from catalog_sync.emulator.messages import MAX_JSON_DEPTH
from catalog_sync.emulator.messages import Request
from catalog_sync.emulator.server import serve_in_thread
from catalog_sync.emulator.store import Store
from tests.conftest import issue_token
from tests.emulator.test_app import PRODUCTS
from tests.emulator.test_app import product

DEEP = b"[" * 200_000 + b"]" * 200_000


@pytest.fixture
def served(emulator_store: Store) -> Iterator[str]:
    app = make_app(emulator_store, control=True)
    with serve_in_thread(app, max_body_bytes=1024 * 1024) as base_url:
        yield base_url


@pytest.fixture
def api(served: str, emulator_store: Store) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {issue_token(emulator_store)}"}
    with httpx.Client(base_url=served, headers=headers) as client:
        yield client


def _raw(base_url: str, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send `request` as it is; (status, headers, body) of the answer."""
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        sock.shutdown(socket.SHUT_WR)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (x.partition(":") for x in lines)}
    return int(status_line.split()[1]), headers, body


def _cds_error(body: bytes) -> dict[str, Any]:
    (error,) = json.loads(body)["errors"]
    assert error["code"].startswith("urn:au-cds:error:")
    return dict(error)


def _assert_cds_4xx(response: httpx.Response) -> None:
    assert 400 <= response.status_code < 500, response.text
    _cds_error(response.content)


@pytest.mark.parametrize("depth", [200_000, MAX_JSON_DEPTH + 1, 900])
def test_deeply_nested_json_is_a_400_everywhere(api, depth):
    body = b"[" * depth + b"]" * depth
    wrapped = b'{"productId": "p-1", "features": ' + body + b"}"
    headers = {"Content-Type": "application/json"}
    token = api.post("/v1/token", content=body, headers=headers)
    assert token.status_code == 400
    assert token.json()["error"] == "invalid_request"  # the token endpoint's shape
    for path in (PRODUCTS, "/_emulator/seed"):
        for content in (body, wrapped):
            _assert_cds_4xx(api.post(path, content=content, headers=headers))
    _assert_cds_4xx(api.put(f"{PRODUCTS}/p-1", content=wrapped, headers=headers))


def test_nesting_up_to_the_limit_is_still_read(api):
    nested: object = "x"
    for _ in range(MAX_JSON_DEPTH - 1):
        nested = [nested]
    response = api.post(PRODUCTS, json=product(features=nested))
    assert response.status_code == 422  # parsed, then refused by the schema
    assert "features" in response.text


@pytest.mark.parametrize("page", ["9" * 5000, "9" * 11, "99999999999999999999"])
def test_huge_page_numbers_are_a_400(api, page):
    for path in (PRODUCTS, "/cds-au/v1/banking/products"):
        response = api.get(path, params={"page": page}, headers={"x-v": "4"})
        assert response.status_code == 400
        assert (
            "page must be a positive integer" in _cds_error(response.content)["detail"]
        )


@pytest.mark.parametrize(
    "body",
    [{"fail": 5}, {"fail": [5]}, {"latency": "0"}, {"drop": {"x": 1}}],
)
def test_fault_specs_of_the_wrong_type_are_a_400(api, emulator_store, body):
    response = api.post("/_emulator/faults", json=body)
    assert response.status_code == 400
    assert "lists of strings" in _cds_error(response.content)["detail"]


def test_an_unknown_control_route_is_a_cds_404(api):
    response = api.get("/_emulator/nothing")
    assert response.status_code == 404
    assert _cds_error(response.content)["title"] == "Resource Not Found"


@pytest.mark.parametrize("value", ["abc", "-1", "1e3", "9" * 40])
def test_an_unreadable_content_length_is_a_400_not_a_dropped_connection(served, value):
    request = (
        f"POST /v1/token HTTP/1.1\r\nHost: x\r\nContent-Length: {value}\r\n\r\n{{}}"
    ).encode()
    status, headers, body = _raw(served, request)
    assert status == 400
    assert headers["content-type"] == "application/json"
    assert "Content-Length must be a number of bytes" in _cds_error(body)["detail"]


def test_a_body_over_the_cap_is_refused_unread(served, emulator_store):
    request = (
        b"POST /v1/data-provider/cdr/products HTTP/1.1\r\nHost: x\r\n"
        b"Content-Length: 10000000\r\n\r\n" + b"{" * 1000
    )
    status, headers, body = _raw(served, request)
    assert status == 413
    assert headers["connection"] == "close"
    assert "over the 1048576-byte limit" in _cds_error(body)["detail"]
    assert emulator_store.ledger.entries() == []  # never reached the app


@pytest.mark.parametrize("method", ["TRACE", "CONNECT", "FOO"])
def test_unknown_methods_answer_with_a_cds_body_not_html(served, method):
    status, headers, body = _raw(
        served, f"{method} /v1/token HTTP/1.1\r\nHost: x\r\n\r\n".encode()
    )
    assert status in (405, 501)
    assert headers["content-type"] == "application/json"
    assert b"<html" not in body.lower()
    _cds_error(body)


def test_a_head_request_error_has_no_body(served):
    status, headers, body = _raw(
        served, b"HEAD / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    assert status == 411
    assert body == b""
    assert "content-length" not in headers


def test_the_host_header_is_not_reflected_into_links(api, served, emulator_store):
    emulator_store.seed([product(productId=f"p-{i}") for i in range(3)])
    evil = {"Host": "evil.example", "x-v": "4"}
    for path in (PRODUCTS, "/cds-au/v1/banking/products"):
        response = api.get(path, params={"page-size": 1}, headers=evil)
        assert response.status_code == 200
        links = response.json()["links"]
        assert links["next"].startswith(f"{served}{path}?")
        assert all("evil" not in link for link in links.values())
    created = api.post(PRODUCTS, json=product(productId="p-9"), headers=evil)
    assert "evil" not in created.headers.get("location", "")


def test_links_name_an_ipv6_server_in_brackets():
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/",
        "SERVER_NAME": "::1",
        "SERVER_PORT": "8787",
        "HTTP_HOST": "evil.example",
        "wsgi.input": io.BytesIO(b""),
    }
    assert Request.from_environ(environ).base_url == "http://[::1]:8787"
    environ.update(SERVER_NAME="emulator.test", SERVER_PORT="80")
    assert Request.from_environ(environ).base_url == "http://emulator.test"
