"""In-process access to the emulator for httpx clients: `httpx.WSGITransport` plus the
one thing it cannot express, a connection dropped after a committed write."""

from __future__ import annotations

import httpx

from catalog_sync.emulator.app import ConnectionDroppedError
from catalog_sync.emulator.app import ResponseTruncatedError
from catalog_sync.emulator.app import WSGIApp


class EmulatorTransport(httpx.WSGITransport):
    """Like WSGITransport; a drop-after-commit fault raises `httpx.RemoteProtocolError`
    ("Server disconnected without sending a response."), exactly what httpx raises when
    the socket server drops the connection, so clients see the same error either way.
    A truncated response raises the error httpx raises for a short body over a socket."""

    def __init__(self, app: WSGIApp) -> None:
        super().__init__(app=app)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return super().handle_request(request)
        except ResponseTruncatedError as exc:
            raise httpx.RemoteProtocolError(
                "peer closed connection without sending complete message body",
                request=request,
            ) from exc
        except ConnectionDroppedError as exc:
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            ) from exc
