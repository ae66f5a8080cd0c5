"""The `api:` settings that are URL paths must be paths and nothing more: joined to
`base_url` by string concatenation, `@evil.example/v1/token` turns the base URL's host
into user info and sends the client secret elsewhere (issue 15, item 5)."""

from __future__ import annotations

from pathlib import Path

from catalog_sync.errors import ConfigError

API_PATH_KEYS = ("token_path", "products_path", "public_products_path")
"""The api keys holding a path appended to base_url (or public_base_url)."""


def path_problem(value: str) -> str | None:
    """Why `value` is not a plain absolute URL path, or None when it is one."""
    if not value.startswith("/"):
        return "must start with /"
    if value.startswith("//") or "://" in value:
        return "must not name a scheme or a host"
    if "@" in value:
        return "must not contain @ (it would turn the base URL's host into user info)"
    if any(c in value for c in "\\?# ") or not value.isprintable():
        return "must not contain \\, ?, #, spaces or control characters"
    segments = value.split("/")
    if any(
        s in ("..", ".") or s.lower() in ("%2e%2e", "%2e", ".%2e", "%2e.")
        for s in segments
    ):
        return "must not contain . or .. segments"
    return None


def check_api_path(key: str, value: str, source: Path) -> None:
    """ConfigError naming the file and key when `value` is not a plain path."""
    problem = path_problem(value)
    if problem is not None:
        raise ConfigError(
            f"{source}: api.{key} {value!r} {problem}",
            hint=f"api.{key} is a path on base_url, e.g. {_EXAMPLES[key]}",
        )


_EXAMPLES = {
    "token_path": "/v1/token",
    "products_path": "/v1/data-provider/cdr/products",
    "public_products_path": "/cds-au/v1/banking/products",
}
