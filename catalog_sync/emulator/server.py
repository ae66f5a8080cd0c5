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
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote

from catalog_sync.emulator.app import ConnectionDroppedError
from catalog_sync.emulator.app import ResponseTruncatedError
from catalog_sync.emulator.app import WSGIApp

logger = logging.getLogger("catalog_sync.emulator")
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class EmulatorServer(ThreadingHTTPServer):
    """Serves one WSGI app; `close()` also wakes and ends idle keep-alive connections."""

    daemon_threads = True
    block_on_close = False
    request_queue_size = (
        128  # the default 5 drops bursts of new connections (1 s SYN retry)
    )

    def __init__(self, app: WSGIApp, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app
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

    def _serve(self) -> None:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.send_error(411, "Content-Length required")
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
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
    app: WSGIApp, host: str = "127.0.0.1", port: int = 0
) -> Iterator[str]:
    """Serve `app` from a daemon thread; yields the base URL, stops cleanly on exit."""
    server = EmulatorServer(app, host, port)
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
