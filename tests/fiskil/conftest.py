"""Fixtures for the API client tests: one fake clock shared by the client and the emulator
store (so token expiry is consistent on both sides), the emulator in-process or over
loopback HTTP, a transport that records what the client put on the wire, and a scripted
raw-socket server for faults the emulator cannot produce (truncated bodies, redirects)."""

from __future__ import annotations

import random
import socket
import threading
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from typing import Any

import httpx
import pytest

from catalog_sync.config.model import ApiContract
from catalog_sync.emulator.app import make_app
from catalog_sync.emulator.server import serve_in_thread
from catalog_sync.emulator.store import LOCAL_CLIENT_ID
from catalog_sync.emulator.store import LOCAL_CLIENT_SECRET
from catalog_sync.emulator.store import READ_SCOPE
from catalog_sync.emulator.store import Store
from catalog_sync.emulator.transport import EmulatorTransport
from catalog_sync.fiskil.connect import ClientOptions
from catalog_sync.fiskil.connect import Credentials
from catalog_sync.fiskil.connect import connect_products
from catalog_sync.fiskil.products import ProductsClient
from catalog_sync.fiskil.redact import Secret
from tests.conftest import FakeClock

BASE_URL = "http://emulator.localhost"
PRODUCTS = "/v1/data-provider/cdr/products"
TOKEN = "/v1/token"
READONLY_ID = "reader"
READONLY_SECRET = "reader-secret-5f1c0e"
SEED = 20261127


def product(product_id: str = "wattle-everyday", **extra: Any) -> dict[str, Any]:
    """A minimal valid CDS product."""
    body: dict[str, Any] = {
        "productId": product_id,
        "productCategory": "TRANS_AND_SAVINGS_ACCOUNTS",
        "name": "Everyday account",
        "description": "An everyday transaction account",
        "brand": "Wattle",
        "isTailored": False,
    }
    body.update(extra)
    return body


class RecordingTransport(httpx.BaseTransport):
    """Passes requests on and remembers (method, path, Authorization) as sent."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.sent: list[tuple[str, str, str | None]] = []
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.sent.append(
                (request.method, request.url.path, request.headers.get("authorization"))
            )
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()

    def auth_of(self, method: str, path: str) -> list[str | None]:
        return [a for m, p, a in self.sent if m == method and p == path]


@dataclass
class Harness:
    """The emulator store and a way to make clients for it on the shared fake clock."""

    clock: FakeClock
    store: Store
    clients: list[ProductsClient] = field(default_factory=list)
    recorders: list[RecordingTransport] = field(default_factory=list)

    def client(
        self,
        *,
        client_id: str = LOCAL_CLIENT_ID,
        secret: str = LOCAL_CLIENT_SECRET,
        base_url: str = BASE_URL,
        transport: httpx.BaseTransport | None = None,
        need: str = "read",
        max_in_flight: int | None = None,
        **api_overrides: Any,
    ) -> ProductsClient:
        inner = transport or EmulatorTransport(make_app(self.store))
        recorder = RecordingTransport(inner)
        self.recorders.append(recorder)
        api = replace(ApiContract(), **api_overrides)
        client = connect_products(
            base_url,
            Credentials(client_id, Secret(secret)),
            api=api,
            need=need,  # type: ignore[arg-type]
            options=ClientOptions(
                clock=self.clock,
                rng=random.Random(SEED),
                transport=recorder,
                max_in_flight=max_in_flight,
            ),
        )
        self.clients.append(client)
        return client

    @property
    def recorder(self) -> RecordingTransport:
        return self.recorders[-1]

    def count(self, method: str, path: str) -> int:
        return self.store.ledger.count(method, path)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def harness(clock: FakeClock) -> Iterator[Harness]:
    store = Store(now=clock.now)
    store.add_client(READONLY_ID, READONLY_SECRET, [READ_SCOPE])
    h = Harness(clock, store)
    yield h
    for client in h.clients:
        client.close()
    store.close()


@pytest.fixture
def served(harness: Harness) -> Iterator[str]:
    """The harness's store served over real HTTP on 127.0.0.1."""
    with serve_in_thread(make_app(harness.store)) as base_url:
        yield base_url


Script = Callable[[bytes], bytes | None]


class ScriptedServer:
    """A raw TCP server on loopback: for each connection it reads one request and writes
    the next scripted reply verbatim, then closes. Records request heads."""

    def __init__(self, replies: list[bytes]) -> None:
        self.replies = list(replies)
        self.requests: list[bytes] = []
        self.connections = 0
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.1)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._sock.getsockname()[1]}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                continue
            with conn:
                self.connections += 1
                conn.settimeout(2)
                self.requests.append(_read_request(conn))
                if self.replies:
                    reply = self.replies.pop(0)
                    conn.sendall(reply)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._sock.close()


def _read_request(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


def http_reply(
    status: int, body: bytes = b"", headers: dict[str, str] | None = None,
    *, content_length: int | None = None,
) -> bytes:  # fmt: skip
    """A raw HTTP/1.1 response; `content_length` larger than the body truncates it."""
    lines = [f"HTTP/1.1 {status} X"]
    all_headers = {"Content-Type": "application/json", "Connection": "close"}
    all_headers.update(headers or {})
    all_headers["Content-Length"] = str(
        len(body) if content_length is None else content_length
    )
    lines += [f"{k}: {v}" for k, v in all_headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


@pytest.fixture
def scripted() -> Iterator[Callable[[list[bytes]], ScriptedServer]]:
    servers: list[ScriptedServer] = []

    def start(replies: list[bytes]) -> ScriptedServer:
        server = ScriptedServer(replies)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()
