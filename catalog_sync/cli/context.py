"""The small object every command receives on the click context."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from catalog_sync.config.load import load_config
from catalog_sync.config.model import Config


@dataclass(frozen=True, slots=True)
class CliContext:
    """Global options; the config is read on demand so `--help` never touches disk."""

    config_path: str
    debug: bool = False

    def load_config(self) -> Config:
        """Read catalog-sync.yaml (or the defaults if it does not exist)."""
        return load_config(Path(self.config_path))
