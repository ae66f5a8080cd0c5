"""The two Platform API scopes, which one a request needs, and reading the scopes a JWT
access token carries (without verifying it: the server does that; we only fail early)."""

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


def token_scopes(body: Any, token: str) -> frozenset[str] | None:
    """Scopes a token response declares: its `scope` field (RFC 6749 5.1, space-separated;
    a list is accepted too), else the token's JWT claim; None when neither says (then
    only the server can tell, with a 403). A blank field says nothing."""
    declared = body.get("scope") if isinstance(body, dict) else None
    if isinstance(declared, str) and declared.strip():
        return frozenset(declared.split())
    if (
        isinstance(declared, list)
        and declared
        and all(isinstance(item, str) for item in declared)
    ):
        return frozenset(declared)
    return jwt_scopes(token)


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
