"""Keep credentials out of text: `Secret` hides a value from repr/str, `redact` scrubs bearer
values and known secrets from a string, and `RedactingFilter` does the same to log records."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from collections.abc import Iterable

REDACTED = "<redacted>"
_BEARER = re.compile(r"(?i)\bbearer\s+[^\s\"',;]+")
_SECRET_FIELD = re.compile(
    r"""(?i)(["']?(?:client_secret|access_token|token|authorization)["']?\s*[:=]\s*)"""
    r"""(["']?)[^\s"',}]+"""
)


class Secret:
    """A credential that never shows itself in repr(), str() or f-strings."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The real value: only for the one place that sends it."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('<redacted>')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with bearer values, secret-looking fields and each of `secrets` replaced."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    text = _BEARER.sub(f"Bearer {REDACTED}", text)
    return _SECRET_FIELD.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", text)


class RedactingFilter(logging.Filter):
    """A logging filter (for handlers) that scrubs every record; `add` registers new secrets
    such as a freshly issued token."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._secrets: set[str] = {s for s in secrets if s}

    def add(self, secret: str) -> None:
        with self._lock:
            if secret:
                self._secrets.add(secret)

    def filter(self, record: logging.LogRecord) -> bool:
        with self._lock:
            secrets = tuple(self._secrets)
        message = record.getMessage()
        cleaned = redact(message, secrets)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        return True

    def __repr__(self) -> str:
        return f"RedactingFilter({len(self._secrets)} secrets)"


def install_redaction(log_filter: RedactingFilter) -> Callable[[], None]:
    """Attach `log_filter` to every handler of the root logger, so records from
    catalog_sync, httpx and httpcore are scrubbed before they are written; returns the
    function that detaches it again."""
    handlers = [h for h in logging.getLogger().handlers if log_filter not in h.filters]
    for handler in handlers:
        handler.addFilter(log_filter)

    def uninstall() -> None:
        for handler in handlers:
            handler.removeFilter(log_filter)

    return uninstall
