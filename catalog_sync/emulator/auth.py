"""Authentication for the emulator: the client-credentials token endpoint and the bearer
token and scope check every management route runs, with OAuth-style error bodies.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from catalog_sync.emulator.messages import BadRequestBody
from catalog_sync.emulator.messages import Request
from catalog_sync.emulator.messages import Response
from catalog_sync.emulator.messages import oauth_error
from catalog_sync.emulator.store import Store


def authorize(store: Store, request: Request, scope: str) -> Response | None:
    """None if the request's bearer token is valid and holds `scope`, else the 401/403."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return oauth_error(401, "invalid_token", "A bearer token is required")
    grant = store.check_token(token.strip())
    if grant is None:
        return oauth_error(
            401, "invalid_token", "The access token is invalid or expired"
        )
    if scope not in grant.scopes:
        return oauth_error(
            403, "insufficient_scope",
            "The access token does not have the required scope", scope=scope,
        )  # fmt: skip
    return None


def issue_token(store: Store, request: Request) -> Response:
    """POST /v1/token: client credentials as JSON (or a form) for a bearer token."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/x-www-form-urlencoded"):
        form: Any = dict(parse_qsl(request.body.decode("utf-8", "replace")))
    else:
        try:
            form = request.json()
        except BadRequestBody:
            form = None
    client_id = form.get("client_id") if isinstance(form, dict) else None
    secret = form.get("client_secret") if isinstance(form, dict) else None
    if not isinstance(client_id, str) or not isinstance(secret, str):
        return oauth_error(
            400, "invalid_request", "client_id and client_secret are required"
        )
    issued = store.issue_token(client_id, secret)
    if issued is None:
        return oauth_error(401, "invalid_client", "The client credentials are invalid")
    body: dict[str, Any] = {
        "token": issued.token,
        "expires_in": issued.expires_in,
        "token_type": "Bearer",
    }
    if store.token_scope:
        body["scope"] = " ".join(sorted(issued.scopes))
    return Response(200, body, {"Cache-Control": "no-store"})
