"""Wire-level faults (reliability checklist items 8-10, 12, 14, 28, 29) over real loopback
HTTP: the emulator served from a thread, or a scripted raw-socket server for truncated
bodies and redirects. Backoff sleeps go to the fake clock."""

from __future__ import annotations

import json
import shutil
import socket
import ssl
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from catalog_sync.config.model import Config
from catalog_sync.config.model import Environment
from catalog_sync.config.model import default_config
from catalog_sync.errors import ConfigError
from catalog_sync.errors import StatusError
from catalog_sync.errors import TransportError
from catalog_sync.fiskil.session import check_base_url
from catalog_sync.fiskil.transport import RETRY_SAFE
from catalog_sync.fiskil.transport import is_idempotent
from catalog_sync.fiskil.transport import is_tls_verification_failure
from catalog_sync.targets import open_products_api
from tests.fiskil.conftest import PRODUCTS
from tests.fiskil.conftest import TOKEN
from tests.fiskil.conftest import Harness
from tests.fiskil.conftest import http_reply
from tests.fiskil.conftest import product

PACKAGE = Path(__file__).resolve().parents[2] / "catalog_sync"
TOKEN_REPLY = http_reply(200, json.dumps({"token": "t-1", "expires_in": 900}).encode())


class RefuseFirst(httpx.BaseTransport):
    """A network that refuses the first `n` connections (the server never sees them)."""

    def __init__(self, n: int) -> None:
        self.left = n
        self.inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and self.left > 0:
            self.left -= 1
            raise httpx.ConnectError("[Errno 111] Connection refused", request=request)
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


def test_refused_connections_on_create_are_retried(harness: Harness, served: str):
    """Item 8: never reached the server, so resending is safe; one create lands."""
    api = harness.client(base_url=served, transport=RefuseFirst(2), need="write")
    api.create_product(product("p1"))
    assert harness.count("POST", PRODUCTS) == 1
    assert list(harness.store.products()) == ["p1"]
    assert len(harness.clock.sleeps) == 2


def test_closed_port_gives_up_after_max_attempts(harness: Harness):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    api = harness.client(
        base_url=f"http://127.0.0.1:{port}", transport=httpx.HTTPTransport()
    )
    with pytest.raises(TransportError, match="could not connect"):
        api.get_product("p1")
    assert len(harness.clock.sleeps) == 4


def test_connection_dropped_after_committed_create_reconciles(harness: Harness, served):
    """Item 9: the server commits the create, the client sees no response."""
    harness.store.faults.drop_after_commit("POST", PRODUCTS)
    api = harness.client(base_url=served, transport=httpx.HTTPTransport(), need="write")
    created = api.create_product(product("p1"))
    assert created["productId"] == "p1"
    posts = harness.store.ledger.entries("POST", PRODUCTS)
    assert len(posts) == 1
    assert posts[0].dropped
    assert harness.count("GET", f"{PRODUCTS}/p1") == 1
    assert list(harness.store.products()) == ["p1"]


def test_connection_dropped_after_committed_put_is_retried(harness: Harness, served):
    harness.store.seed([product("p1")])
    harness.store.faults.drop_after_commit("PUT", f"{PRODUCTS}/p1")
    api = harness.client(base_url=served, transport=httpx.HTTPTransport(), need="write")
    updated = api.update_product("p1", product("p1", name="New name"))
    assert updated["name"] == "New name"
    assert harness.count("PUT", f"{PRODUCTS}/p1") == 2


def test_truncated_get_is_retried_transparently(harness: Harness, scripted):
    """Item 10, GET half."""
    page = json.dumps({"data": {"products": [product("p1")]}, "links": {}}).encode()
    server = scripted(
        [
            TOKEN_REPLY,
            http_reply(200, page[:20], content_length=len(page)),
            http_reply(200, page),
        ]
    )
    api = harness.client(base_url=server.base_url, transport=httpx.HTTPTransport())
    assert [p["productId"] for p in api.iter_products()] == ["p1"]
    assert server.connections == 3


def test_truncated_post_reconciles_instead_of_resending(harness: Harness, scripted):
    """Item 10, POST half: the reply to the create is cut; a GET finds it landed."""
    body = json.dumps({"data": product("p1")}).encode()
    server = scripted(
        [
            TOKEN_REPLY,
            http_reply(201, body[:10], content_length=len(body)),
            http_reply(200, body),
        ]
    )
    api = harness.client(
        base_url=server.base_url, transport=httpx.HTTPTransport(), need="write"
    )
    assert api.create_product(product("p1"))["productId"] == "p1"
    lines = [r.split(b"\r\n", 1)[0] for r in server.requests]
    assert lines == [
        f"POST {TOKEN} HTTP/1.1".encode(),
        f"POST {PRODUCTS} HTTP/1.1".encode(),
        f"GET {PRODUCTS}/p1 HTTP/1.1".encode(),
    ]


def test_sustained_429_lowers_concurrency_and_completes(harness: Harness):
    """Item 12: 200 creates at concurrency 8 against a server that admits 2 at once."""
    harness.store.concurrency_limit = 2
    api = harness.client(need="write", max_attempts=50, max_in_flight=8)
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda n: api.create_product(product(f"p{n:03d}")), range(200)))
    assert len(harness.store.products()) == 200
    throttled = sum(1 for e in harness.store.ledger.entries() if e.status == 429)
    assert 0 < throttled < 2 * 200
    assert harness.store.ledger.max_in_flight <= 8


def test_slow_server_times_out_without_hanging(harness: Harness, served: str):
    """Item 14 (scaled down): 0.6 s latency, 0.15 s timeout, 3 attempts."""
    harness.store.faults.add_latency(0.6, "GET", f"{PRODUCTS}/*")
    api = harness.client(
        base_url=served,
        transport=httpx.HTTPTransport(),
        timeout_seconds=0.15,
        max_attempts=3,
    )
    with pytest.raises(TransportError, match="timed out"):
        api.get_product("p1")
    assert len(harness.clock.sleeps) == 2  # three attempts, each abandoned at 0.15 s
    # Let the server finish the abandoned requests before the store is closed.
    deadline = time.monotonic() + 5
    while harness.store.ledger.in_flight and time.monotonic() < deadline:
        time.sleep(0.02)


def test_redirect_to_another_host_is_not_followed(harness: Harness, served, scripted):
    """Item 28: the other host sees nothing, certainly no Authorization header."""
    elsewhere = f"{served}{PRODUCTS}/p1"
    server = scripted([TOKEN_REPLY, http_reply(302, b"", {"Location": elsewhere})])
    api = harness.client(base_url=server.base_url, transport=httpx.HTTPTransport())
    with pytest.raises(StatusError, match=r"redirect to 127\.0\.0\.1 not followed"):
        api.get_product("p1")
    assert harness.store.ledger.entries() == []


@pytest.mark.parametrize(
    "url",
    ["http://api.fiskil.com", "http://10.0.0.5:8787", "ftp://x", "api.fiskil.com"],
)
def test_plain_http_to_a_remote_host_is_refused(url: str):
    """Item 29."""
    with pytest.raises(ConfigError):
        check_base_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://api.fiskil.com",
        "http://127.0.0.1:8787",
        "http://localhost",
        "http://[::1]:1",
    ],
)
def test_https_and_loopback_http_are_accepted(url: str):
    check_base_url(url)


def test_http_environment_with_plain_http_is_refused(tmp_path: Path):
    env = Environment(
        name="staging", target="http", base_url="http://api.fiskil.com",
        client_id_env="ID", client_secret_env="SECRET",
    )  # fmt: skip
    config: Config = default_config(tmp_path)
    with pytest.raises(ConfigError, match="plain http"):
        open_products_api(config, env, need="read", environ={"ID": "i", "SECRET": "s"})


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl CLI")
def test_bad_tls_certificate_is_refused_without_retries(harness: Harness, tmp_path):
    """Item 29: a self-signed certificate fails verification; no retry, clear error."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    listener.settimeout(5)
    handshakes: list[str] = []

    def serve() -> None:
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        with conn:
            try:
                context.wrap_socket(conn, server_side=True).close()
                handshakes.append("ok")
            except (ssl.SSLError, OSError):
                handshakes.append("refused")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    port = listener.getsockname()[1]
    try:
        api = harness.client(
            base_url=f"https://127.0.0.1:{port}", transport=httpx.HTTPTransport()
        )
        with pytest.raises(TransportError, match="TLS certificate verification failed"):
            api.get_product("p1")
    finally:
        thread.join(timeout=5)
        listener.close()
    assert handshakes == ["refused"]
    assert harness.clock.sleeps == []


def test_no_code_path_disables_tls_verification():
    """Item 29: nothing in the package can turn verification off."""
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text()
        for forbidden in ("verify=False", "CERT_NONE", "check_hostname = False"):
            assert forbidden not in text, f"{path}: {forbidden}"


def test_dropped_put_with_if_match_that_landed_is_not_a_conflict(
    harness: Harness, served
):
    """The retried PUT carries the If-Match of the version it just replaced, so the
    server answers 412. The product already is what we sent: our own write landed,
    which is success, not "changed underneath us"."""
    harness.store.seed([product("p1")])
    harness.store.faults.drop_after_commit("PUT", f"{PRODUCTS}/p1")
    api = harness.client(base_url=served, transport=httpx.HTTPTransport(), need="write")
    found = api.get_product_with_version("p1")
    assert found is not None
    updated = api.update_product("p1", product("p1", name="New"), if_match=found[1])
    assert updated["name"] == "New"
    statuses = [e.status for e in harness.store.ledger.entries("PUT", f"{PRODUCTS}/p1")]
    assert statuses[-1] == 412
    assert len(statuses) == 2


def test_412_for_a_real_out_of_band_change_is_still_a_conflict(harness: Harness):
    harness.store.seed([product("p1")])
    api = harness.client(need="write")
    found = api.get_product_with_version("p1")
    assert found is not None
    api.update_product("p1", product("p1", name="Someone else"))
    with pytest.raises(StatusError, match="412 changed underneath us"):
        api.update_product("p1", product("p1", name="Ours"), if_match=found[1])


def test_an_unparseable_base_url_is_a_config_error():
    with pytest.raises(
        ConfigError, match=r"base_url 'https://host:abc' is not a valid URL"
    ):
        check_base_url("https://host:abc")


def test_a_post_marked_retry_safe_is_resent_after_an_ambiguous_failure():
    """The token exchange is a POST that creates nothing: it may be resent."""
    url = "https://api.example.test/v1/token"
    assert not is_idempotent(httpx.Request("POST", url))
    assert is_idempotent(httpx.Request("POST", url, extensions={RETRY_SAFE: True}))


def test_a_certificate_error_is_recognised_by_type_anywhere_in_the_chain():
    outer = httpx.ConnectError("connect failed")
    middle = ssl.SSLError("handshake failed")
    outer.__cause__ = middle
    middle.__context__ = ssl.SSLCertVerificationError(1, "self-signed certificate")
    assert is_tls_verification_failure(outer)


def test_a_cyclic_exception_chain_is_not_a_certificate_error():
    """The walk is bounded: an exception that is its own context ends it, not a hang."""
    exc = httpx.ConnectError("connection refused")
    exc.__context__ = exc
    assert not is_tls_verification_failure(exc)
