"""In-process access to the emulator for httpx clients: `httpx.WSGITransport` plus what it
cannot express: the raw (still percent-encoded) request path, and connections that are
dropped or cut short."""

from __future__ import annotations

from typing import Any

import httpx

from catalog_sync.emulator.app import ConnectionDroppedError
from catalog_sync.emulator.app import ResponseTruncatedError
from catalog_sync.emulator.app import WSGIApp
from catalog_sync.emulator.messages import StartResponse


class EmulatorTransport(httpx.WSGITransport):
    """Like WSGITransport; a drop-after-commit fault raises `httpx.RemoteProtocolError`
    ("Server disconnected without sending a response."), exactly what httpx raises when
    the socket server drops the connection, so clients see the same error either way.
    A truncated response raises the error httpx raises for a short body over a socket."""

    def __init__(self, app: WSGIApp) -> None:
        super().__init__(app=app)
        self.emulator_app = app

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        raw_uri = request.url.raw_path.decode("ascii")

        def with_raw_uri(environ: dict[str, Any], start_response: StartResponse) -> Any:
            environ["RAW_URI"] = raw_uri  # as the socket server sets it
            return self.emulator_app(environ, start_response)

        try:
            return httpx.WSGITransport(app=with_raw_uri).handle_request(request)
        except ResponseTruncatedError as exc:
            raise httpx.RemoteProtocolError(
                "peer closed connection without sending complete message body",
                request=request,
            ) from exc
        except ConnectionDroppedError as exc:
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            ) from exc
