"""Requests and responses for the emulator's WSGI app, and the two error body shapes the
API uses: OAuth-style `{error, error_description}` for auth, CDS `{errors: [...]}` for the rest.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl
from urllib.parse import quote
from urllib.parse import unquote
from urllib.parse import urlencode

StartResponse = Callable[..., Any]
CDS = "urn:au-cds:error:cds-all:"
# No product nests nearly this deep; deeper bodies would exhaust the stack of the
# validator and the ledger's redaction (both recursive) and answer 500.
MAX_JSON_DEPTH = 64
_TOO_DEEP = f"the body nests more than {MAX_JSON_DEPTH} levels deep"
_DEFAULT_PORTS = {"http": "80", "https": "443"}


class BadRequestBody(ValueError):
    """The request body is not the JSON the route needs."""


@dataclass(frozen=True, slots=True)
class Request:
    """One parsed request. Header names are lower-case; `query` keeps the first value."""

    method: str
    path: str
    raw_path: str
    query_string: str
    headers: Mapping[str, str] = field(repr=False)  # Authorization: never in a repr
    body: bytes = field(repr=False)  # may hold a client_secret
    base_url: str = ""

    @classmethod
    def from_environ(cls, environ: Mapping[str, Any]) -> Request:
        headers = {
            key[5:].replace("_", "-").lower(): str(value)
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            if environ.get(key):
                headers[key.replace("_", "-").lower()] = str(environ[key])
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        path = str(environ.get("PATH_INFO") or "/")
        raw_uri = environ.get("RAW_URI")
        raw_path = str(raw_uri).partition("?")[0] if raw_uri else quote(path)
        scheme = str(environ.get("wsgi.url_scheme", "http"))
        return cls(
            method=str(environ["REQUEST_METHOD"]).upper(),
            path=path,
            raw_path=raw_path,
            query_string=str(environ.get("QUERY_STRING") or ""),
            headers=headers,
            body=body,
            base_url=f"{scheme}://{_authority(environ, scheme)}",
        )

    @property
    def query(self) -> dict[str, str]:
        return dict(reversed(parse_qsl(self.query_string, keep_blank_values=True)))

    def json(self) -> Any:
        """The parsed body, or None if there is none (BadRequestBody if not JSON)."""
        if not self.body:
            return None
        try:
            parsed = json.loads(self.body)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise BadRequestBody(f"the body is not valid JSON: {exc}") from exc
        except RecursionError as exc:
            raise BadRequestBody(_TOO_DEEP) from exc
        if not _within_depth(parsed, MAX_JSON_DEPTH):
            raise BadRequestBody(_TOO_DEEP)
        return parsed

    def url(self, names: Mapping[str, object] | None = None, **params: object) -> str:
        """This request's absolute URL with some query parameters replaced: `names` as
        spelled, keyword arguments with `_` written as `-` (`page_size` -> `page-size`)."""
        query = {
            **self.query,
            **{k.replace("_", "-"): str(v) for k, v in params.items()},
            **{k: str(v) for k, v in (names or {}).items()},
        }
        suffix = f"?{urlencode(query)}" if query else ""
        return f"{self.base_url}{self.raw_path}{suffix}"

    def segment_after(self, prefix: str) -> str | None:
        """The one path segment after `prefix`, percent-decoded (`.../products/a%2Fb`
        -> `a/b`), or None when the raw path has not exactly one segment there: routes
        read the raw path, so an encoded `/` stays inside its productId."""
        rest = self.raw_path.removeprefix(prefix + "/")
        if rest == self.raw_path or not rest or "/" in rest:
            return None
        return unquote(rest)


def _authority(environ: Mapping[str, Any], scheme: str) -> str:
    """host[:port] of the server itself, for absolute links: never the request's Host
    header, which the client controls (reflected, it would poison `links`)."""
    host = str(environ["SERVER_NAME"])
    port = str(environ["SERVER_PORT"])
    if ":" in host:
        host = f"[{host}]"
    return host if _DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"


def _within_depth(value: Any, limit: int) -> bool:
    """Whether no array or object in `value` sits more than `limit` levels deep."""
    pending = [(value, 1)]
    while pending:
        node, level = pending.pop()
        if isinstance(node, dict):
            node = list(node.values())
        if isinstance(node, list):
            if level > limit:
                return False
            pending.extend((child, level + 1) for child in node)
    return True


@dataclass(slots=True)
class Response:
    """A response the app will send; `body` is JSON-encoded unless it is bytes."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)

    def encode(self) -> bytes:
        if self.body is None or self.status in (204, 304):
            return b""
        if isinstance(self.body, bytes):
            return self.body
        return json.dumps(self.body, separators=(",", ":")).encode("utf-8")

    def send(self, start_response: StartResponse) -> list[bytes]:
        payload = self.encode()
        headers = dict(self.headers)
        if payload and "Content-Type" not in headers:
            headers["Content-Type"] = "application/json"
        headers["Content-Length"] = str(len(payload))
        try:
            reason = HTTPStatus(self.status).phrase
        except ValueError:  # a fault may inject any status, e.g. 599
            reason = "Unknown"
        start_response(f"{self.status} {reason}", list(headers.items()))
        return [payload]


def cds_error(
    status: int,
    code: str,
    title: str,
    detail: str,
    *,
    meta: Mapping[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """A CDS error body with one error; `code` without a scheme is prefixed with the
    cds-all URN (`Field/Invalid` -> `urn:au-cds:error:cds-all:Field/Invalid`)."""
    urn = code if ":" in code else CDS + code
    error = {"code": urn, "title": title, "detail": detail, "meta": dict(meta or {})}
    return Response(status, {"errors": [error]}, headers or {})


def oauth_error(status: int, error: str, description: str, **extra: str) -> Response:
    """An OAuth-style error body, as the Fiskil token and auth docs show."""
    headers = {}
    if status == 401 and error != "invalid_client":
        headers["WWW-Authenticate"] = f'Bearer error="{error}"'
    return Response(
        status, {"error": error, "error_description": description, **extra}, headers
    )


def not_allowed(allowed: str) -> Response:
    """405 with the `Allow` header listing the methods the route takes."""
    response = cds_error(
        405, "GeneralError/Unexpected", "Method Not Allowed", f"use {allowed}"
    )
    response.headers["Allow"] = allowed
    return response
