"""The allowed ranges of numeric settings and the rule for environment names, so that
`max_attempts: 0` or an environment named `../../outside` is refused when the config is
read, with the key and the allowed range in the message."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from catalog_sync.errors import ConfigError

ENVIRONMENT_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")


@dataclass(frozen=True, slots=True)
class Range:
    """Finite numbers from `low` up: `low` itself is allowed unless `above` is set."""

    low: float
    above: bool = False

    def holds(self, value: float) -> bool:
        if not math.isfinite(value):
            return False
        return value > self.low if self.above else value >= self.low

    def words(self) -> str:
        return f"greater than {self.low:g}" if self.above else f"{self.low:g} or more"


AT_LEAST_ONE = Range(1)
NOT_NEGATIVE = Range(0)
POSITIVE = Range(0, above=True)

# Every numeric field of ApiContract; tests/config/test_ranges.py checks none is missing.
API_RANGES: Mapping[str, Range] = {
    "page_size": AT_LEAST_ONE,
    "max_pages": AT_LEAST_ONE,
    "detail_concurrency": AT_LEAST_ONE,
    "public_version": AT_LEAST_ONE,
    "public_min_version": AT_LEAST_ONE,
    "timeout_seconds": POSITIVE,
    "max_attempts": AT_LEAST_ONE,
    "backoff_base_seconds": NOT_NEGATIVE,
    "backoff_cap_seconds": NOT_NEGATIVE,
    "retry_after_cap_seconds": NOT_NEGATIVE,
    "retry_budget": NOT_NEGATIVE,
    "token_refresh_skew_seconds": NOT_NEGATIVE,
    "default_token_lifetime_seconds": POSITIVE,
}


def check_api_ranges(
    values: Mapping[str, object], source: Path, *, where: str = "api"
) -> None:
    """Raise a ConfigError naming the first `<where>.<key>` (`api.<key>`, or an
    environment's own `environments.<name>.api.<key>`) whose number is out of range."""
    for key, allowed in API_RANGES.items():
        value = values.get(key)
        if isinstance(value, int | float) and not allowed.holds(value):
            raise ConfigError(
                f"{source}: {where}.{key} must be {allowed.words()}, not {value!r}"
            )


def check_environment_name(name: object, source: Path) -> str:
    """`name` if it can name an environment: it becomes a file name, a marker in
    GitHub comments and a workflow matrix value, so only lower-case words qualify."""
    if not isinstance(name, str) or not ENVIRONMENT_NAME.fullmatch(name):
        raise ConfigError(
            f"{source}: environment name {name!r} is not allowed",
            hint="environment names start with a lower-case letter and hold at most 32 "
            "lower-case letters, digits, '_' or '-' (like staging or prod-eu)",
        )
    return name
