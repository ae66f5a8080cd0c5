"""Where credentials may go: only to the environment's own origin (scheme, host, port)."""

from __future__ import annotations

import httpx

from catalog_sync.errors import ConfigError


def origin_of(url: httpx.URL) -> tuple[str, str, int | None]:
    return (url.scheme, url.host, url.port)


def check_origin(url: httpx.URL, origin: tuple[str, str, int | None]) -> None:
    """Credentials go only to the environment's own origin (scheme, host, port): a
    configured path or a redirect must never carry them elsewhere."""
    if origin_of(url) != origin or url.userinfo:
        scheme, host, port = origin
        where = f"{scheme}://{host}" + (f":{port}" if port else "")
        raise ConfigError(
            f"refusing to send credentials to {url.scheme}://{url.host}"
            f"{url.raw_path.decode('ascii', 'replace')}: not the environment's "
            f"origin {where}",
            hint="check base_url and the api paths in catalog-sync.yaml",
        )
