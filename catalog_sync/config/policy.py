"""The `timezone:` and `policy:` settings of catalog-sync.yaml, each checked with an
error that names the file, the key and the allowed values."""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from typing import cast

from catalog_sync.config.model import ADVERSE_CHANGES
from catalog_sync.config.model import DEFAULT_TIMEZONE
from catalog_sync.config.model import AdverseChanges
from catalog_sync.config.model import Policy
from catalog_sync.config.values import reject_unknown
from catalog_sync.errors import ConfigError

_LABEL = re.compile(r"^[^\s,][^,]{0,49}$")


def timezone(raw: Mapping[str, Any], source: Path) -> str:
    """The bank's IANA time zone (dates in plans are shown in it); checked to exist."""
    name = raw.get("timezone", DEFAULT_TIMEZONE)
    if not isinstance(name, str) or not name:
        raise ConfigError(
            f"{source}: timezone must be an IANA zone like {DEFAULT_TIMEZONE}"
        )
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(
            f"{source}: timezone {name!r} is not a known time zone",
            hint=f"use an IANA name like {DEFAULT_TIMEZONE}; if that one fails too, "
            "this machine has no time-zone database: install the tzdata package",
        ) from exc
    return name


def policy(raw: Any, source: Path) -> Policy:
    """The `policy:` section; absent means the defaults (adverse changes warn)."""
    if raw is None:
        return Policy()
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{source}: policy must be a mapping")
    reject_unknown(
        raw,
        {"adverse_changes", "max_rate_change_bp", "override_label"},
        source,
        "policy",
    )
    adverse = raw.get("adverse_changes", Policy().adverse_changes)
    if adverse not in ADVERSE_CHANGES:
        raise ConfigError(
            f"{source}: policy.adverse_changes must be allow, warn or block, "
            f"not {adverse!r}"
        )
    limit = raw.get("max_rate_change_bp")
    if limit is not None and (
        not isinstance(limit, int) or isinstance(limit, bool) or limit < 0
    ):
        raise ConfigError(
            f"{source}: policy.max_rate_change_bp must be a whole number of basis "
            f"points (0 or more), not {limit!r}",
            hint="for example 100 (1 percentage point); leave it out for no limit",
        )
    label = raw.get("override_label", Policy().override_label)
    if not isinstance(label, str) or not _LABEL.fullmatch(label):
        raise ConfigError(
            f"{source}: policy.override_label must be a GitHub label name "
            "(1 to 50 characters, no comma)"
        )
    return Policy(
        adverse_changes=cast(AdverseChanges, adverse),
        max_rate_change_bp=limit,
        override_label=label,
    )
