"""The small object every command receives on the click context."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from catalog_sync.config.discover import locate_config
from catalog_sync.config.load import load_config
from catalog_sync.config.model import Config


@dataclass(frozen=True, slots=True)
class CliContext:
    """Global options; the config is read on demand so `--help` never touches disk."""

    config_path: str | None = None
    debug: bool = False

    def load_config(self) -> Config:
        """Read `--config` (which must exist), else the nearest catalog-sync.yaml at or
        above the current folder; a ConfigError suggesting `init` when there is none."""
        return load_config(locate_config(self.config_path, Path.cwd()))
