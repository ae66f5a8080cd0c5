"""`doctor --suggest`: the `schema:` and `api:` settings that match what was observed,
as YAML ready to paste, with a comment on each changed key. Suggestions go under
`environments.<name>.api` when the environment already has its own `api:` or other
real environments share the global one (staging and production may differ); otherwise
under the global `api:`. Pure: builds values and text."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from dataclasses import fields
from typing import Any

from catalog_sync.config.model import ApiContract
from catalog_sync.config.model import Config
from catalog_sync.config.model import Environment
from catalog_sync.doctor.model import Report

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_./-]*")
_YAML_WORDS = frozenset({"true", "false", "yes", "no", "on", "off", "null", "y", "n"})


@dataclass(frozen=True, slots=True)
class Setting:
    """One key of the block; `was` and `reason` are set when doctor changes it."""

    key: str
    value: Any
    was: Any = None
    reason: str | None = None

    @property
    def changed(self) -> bool:
        return self.reason is not None


@dataclass(frozen=True, slots=True)
class Suggestion:
    """`level` is `api` (global) or `environments.<name>.api`."""

    environment: str
    level: str
    schema: Setting
    api: tuple[Setting, ...]

    @property
    def changes(self) -> int:
        return sum(s.changed for s in (self.schema, *self.api))

    def to_json(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "schema": self.schema.value,
            "api": {s.key: s.value for s in self.api},
            "changed": sorted(
                ("schema" if s is self.schema else f"{self.level}.{s.key}")
                for s in (self.schema, *self.api)
                if s.changed
            ),
        }


def suggest(config: Config, env: Environment, report: Report) -> Suggestion:
    found = report.suggestions
    own = env.api is not None or any(
        other.target == "http" and other.name != env.name
        for other in config.environments.values()
    )
    base, current = (
        (config.api, env.api or config.api) if own else (ApiContract(), config.api)
    )
    settings = []
    for item in fields(ApiContract):
        now, under = getattr(current, item.name), getattr(base, item.name)
        if f"api.{item.name}" in found:
            value, reason = found[f"api.{item.name}"]
            settings.append(Setting(item.name, value, was=now, reason=reason))
        elif now != under:
            settings.append(Setting(item.name, now))
    schema = Setting("schema", config.schema)
    if "schema" in found:
        value, reason = found["schema"]
        schema = Setting("schema", value, was=config.schema, reason=reason)
    level = f"environments.{env.name}.api" if own else "api"
    return Suggestion(env.name, level, schema, tuple(settings))


def render_suggestion(suggestion: Suggestion) -> str:
    """The YAML block, commented."""
    lines = [
        f"# catalog-sync doctor --suggest for {suggestion.environment}: "
        + (
            f"{suggestion.changes} setting(s) to change"
            if suggestion.changes
            else "the configuration matches what was observed"
        )
    ]
    lines.append(_line("", suggestion.schema))
    if suggestion.level == "api":
        indent = "  "
        lines.append("api:" if suggestion.api else "api: {}")
    else:
        indent = "      "
        lines += [
            "environments:",
            f"  {suggestion.environment}:  # keep its other keys (base_url, ...)",
            "    api:  # merged over the global api:"
            if suggestion.api
            else "    api: {}",
        ]
    lines += [_line(indent, setting) for setting in suggestion.api]
    return "\n".join(lines) + "\n"


def _line(indent: str, setting: Setting) -> str:
    text = f"{indent}{setting.key}: {yaml_scalar(setting.value)}"
    if not setting.changed:
        return text
    return f"{text}  # was {yaml_scalar(setting.was)}: {setting.reason}"


def yaml_scalar(value: Any) -> str:
    """A YAML scalar that reads back as `value` (strings quoted when plain would not)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    if _PLAIN.fullmatch(text) and text.lower() not in _YAML_WORDS:
        return text
    return json.dumps(text)
