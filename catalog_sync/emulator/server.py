"""A concurrent HTTP/1.1 server (keep-alive, one thread per connection) for the emulator's
WSGI app, on loopback unless told otherwise, and `serve_in_thread` for socket-level tests.
"""

from __future__ import annotations

import contextlib
import io
import logging
import socket
import sys
import threading
from collections.abc import Iterator
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote

from catalog_sync.emulator.app import ConnectionDroppedError
from catalog_sync.emulator.app import ResponseTruncatedError
from catalog_sync.emulator.app import WSGIApp
from catalog_sync.emulator.messages import cds_error

logger = logging.getLogger("catalog_sync.emulator")
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
# A product is at most a few hundred KB; a seed of a whole catalog a few MB.
MAX_BODY_BYTES = 16 * 1024 * 1024
_HTTP_ERROR_CODES = {
    400: "Header/Invalid",
    404: "Resource/NotFound",
    411: "Header/Missing",
    413: "Field/Invalid",
    501: "GeneralError/Unexpected",
}


def _phrase(code: int) -> str:
    """The reason phrase; the HTTP layer only ever sends standard codes."""
    return HTTPStatus(code).phrase


class EmulatorServer(ThreadingHTTPServer):
    """Serves one WSGI app; `close()` also wakes and ends idle keep-alive connections."""

    daemon_threads = True
    block_on_close = False
    request_queue_size = (
        128  # the default 5 drops bursts of new connections (1 s SYN retry)
    )

    def __init__(
        self,
        app: WSGIApp,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        max_body_bytes: int = MAX_BODY_BYTES,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__((host, port), _Handler)

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        host = str(host)
        return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"

    def track(self, connection: socket.socket, *, active: bool) -> None:
        with self._connections_lock:
            (self._connections.add if active else self._connections.discard)(connection)

    def close(self) -> None:
        """Stop serving (if running) and close the listening and every open socket."""
        self.server_close()
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: EmulatorServer
    timeout = 60  # an idle keep-alive connection is closed after this long

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes; without this, Nagle's algorithm and
        # delayed ACKs stall each response by tens of milliseconds.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.track(self.connection, active=True)

    def finish(self) -> None:
        with contextlib.suppress(OSError):
            super().finish()
        self.server.track(self.connection, active=False)

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s " + format, self.address_string(), *args)

    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        except ConnectionError:
            self.close_connection = True

    def send_error(
        self, code: int, message: str | None = None, explain: str | None = None
    ) -> None:
        """Every error the HTTP layer itself answers (a malformed request, an unknown
        method such as TRACE, a body over the cap) as a CDS error body, like the app's,
        never the standard library's HTML page; the connection is then closed."""
        self.log_error("code %d, message %s", code, message)
        response = cds_error(
            code, _HTTP_ERROR_CODES.get(code, "GeneralError/Unexpected"),
            _phrase(code), message or _phrase(code),
        )  # fmt: skip
        payload = response.encode()
        self.send_response(code, _phrase(code))
        self.send_header("Connection", "close")
        self.close_connection = True
        if self.command != "HEAD":
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def _read_body(self) -> bytes | None:
        """The request body, or None after answering why it cannot be read."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.send_error(411, "Content-Length required")
            return None
        raw = self.headers.get("Content-Length") or "0"
        if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
            self.send_error(
                400, f"Content-Length must be a number of bytes, not {raw!r}"
            )
            return None
        length = int(raw)
        if length > self.server.max_body_bytes:
            # Refused unread: the body stays in the socket, so the connection closes.
            self.send_error(
                413, f"the body is {length} bytes, over the "
                f"{self.server.max_body_bytes}-byte limit",
            )  # fmt: skip
            return None
        return self.rfile.read(length) if length > 0 else b""

    def _serve(self) -> None:
        body = self._read_body()
        if body is None:
            return
        captured: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]], *_: Any) -> Any:
            captured["status"], captured["headers"] = status, headers
            return lambda data: None

        try:
            chunks = b"".join(self.server.app(self._environ(body), start_response))
        except ResponseTruncatedError as exc:
            chunks = b"".join(exc.response.send(start_response))[: exc.keep]
            self.close_connection = True
        except ConnectionDroppedError:
            # The write is committed; the client must not learn the outcome.
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        except Exception:
            logger.exception("emulator error on %s %s", self.command, self.path)
            self.close_connection = True
            self.send_error(500)
            return
        code, _, reason = captured["status"].partition(" ")
        # send_response would add a second Date: the app's comes from the store's clock.
        self.log_request(int(code))
        self.send_response_only(int(code), reason)
        self.send_header("Server", self.version_string())
        if not any(name.lower() == "date" for name, _ in captured["headers"]):
            self.send_header("Date", self.date_time_string())
        for name, value in captured["headers"]:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(chunks)
        if (
            self.close_connection
        ):  # the peer sees EOF here (a truncated body ends short)
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)

    # Every method goes to the app, which answers 405 where a route does not allow it.
    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _serve

    def _environ(self, body: bytes) -> dict[str, Any]:
        path, _, query = self.path.partition("?")
        environ: dict[str, Any] = {
            "REQUEST_METHOD": self.command,
            "SCRIPT_NAME": "",
            "PATH_INFO": unquote(path, "iso-8859-1"),
            "QUERY_STRING": query,
            "RAW_URI": self.path,
            "SERVER_NAME": self.server.server_address[0],
            "SERVER_PORT": str(self.server.server_address[1]),
            "SERVER_PROTOCOL": self.request_version,
            "REMOTE_ADDR": self.client_address[0],
            "CONTENT_LENGTH": str(len(body)) if body else "",
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        for name, value in self.headers.items():
            key = "HTTP_" + name.upper().replace("-", "_")
            if key not in ("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"):
                environ[key] = value
        return environ


def check_bind_host(host: str, *, allow_remote: bool) -> None:
    """Refuse a non-loopback interface unless explicitly allowed."""
    if host not in LOOPBACK_HOSTS and not allow_remote:
        raise ValueError(
            f"refusing to listen on {host}: the emulator has no real security; "
            "pass --allow-remote to bind a non-loopback interface"
        )


@contextlib.contextmanager
def serve_in_thread(
    app: WSGIApp,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    max_body_bytes: int = MAX_BODY_BYTES,
) -> Iterator[str]:
    """Serve `app` from a daemon thread; yields the base URL, stops cleanly on exit."""
    server = EmulatorServer(app, host, port, max_body_bytes=max_body_bytes)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield server.base_url
    finally:
        server.shutdown()
        server.close()
        thread.join(timeout=5)
