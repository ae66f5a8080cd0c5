"""The two Platform API scopes, which one a request needs, and reading the scopes a token
carries, from the token response's `scope` field or the JWT's claim (without verifying
it: the server does that; we only fail early). `auth check` and `doctor` both read them
through `TokenAuth`, which uses `token_scopes`."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any
from typing import Literal

READ_SCOPE = "api:provider.products.read"
WRITE_SCOPE = "api:provider.products.write"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SCOPE_HINT = "generate new credentials with that scope"

Need = Literal["read", "write"]


def scope_for(need: Need) -> str:
    """The scope an operation kind needs: plan and drift read, apply writes."""
    return WRITE_SCOPE if need == "write" else READ_SCOPE


def scope_for_method(method: str) -> str:
    return WRITE_SCOPE if method.upper() in WRITE_METHODS else READ_SCOPE


def jwt_scopes(token: str) -> frozenset[str] | None:
    """Scopes from a JWT's `scope` (space-separated) or `scp` claim; None when the token is
    not a JWT or carries neither claim (then only the server can tell)."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        padded = parts[1] + "=" * (-len(parts[1]) % 4)
        claims = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, binascii.Error, UnicodeError):
        return None
    if not isinstance(claims, dict):
        return None
    for name in ("scope", "scp"):
        value = claims.get(name)
        if isinstance(value, str):
            return frozenset(value.split())
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return frozenset(value)
    return None


SCOPE_FIELD = "the token response's scope field"
SCOPE_CLAIM = "the token's scope claim"


def token_scopes(body: Any, token: str) -> tuple[frozenset[str] | None, str | None]:
    """The scopes a token carries and where that was read: the token response's `scope`
    field (space-separated, RFC 6749 5.1; a list is accepted too) first, else the JWT
    claim; (None, None) when neither says (then only the server can tell, with a 403).
    A blank field says nothing."""
    field = body.get("scope") if isinstance(body, dict) else None
    if isinstance(field, str) and field.strip():
        return frozenset(field.split()), SCOPE_FIELD
    if isinstance(field, list) and field and all(isinstance(i, str) for i in field):
        return frozenset(field), SCOPE_FIELD
    claimed = jwt_scopes(token)
    return (claimed, SCOPE_CLAIM) if claimed is not None else (None, None)
