"""Find the catalog's `catalog-sync.yaml` the way git finds its repository: an explicit
`--config` must exist; otherwise the nearest one at or above the current folder. Its folder
is the catalog root, where `products/` and `.catalog-sync/` live."""

from __future__ import annotations

from pathlib import Path

from catalog_sync.config.model import CONFIG_FILE_NAME
from catalog_sync.errors import ConfigError


def locate_config(explicit: str | None, cwd: Path) -> Path:
    """The configuration file to read, or a ConfigError saying how to get one."""
    if explicit is not None:
        path = cwd / explicit
        if not path.is_file():
            raise ConfigError(
                f"the configuration file {explicit} does not exist",
                hint="check the --config path, or run `catalog-sync init` to create one",
            )
        return path
    found = find_config(cwd)
    if found is None:
        raise ConfigError(
            f"no {CONFIG_FILE_NAME} in {cwd} or any folder above it",
            hint="run `catalog-sync init` to start a catalog here, "
            "or pass --config PATH",
        )
    return found


def find_config(start: Path) -> Path | None:
    """The nearest `catalog-sync.yaml` at or above `start`, like git's `.git` search."""
    folder = start.resolve()
    for candidate in (folder, *folder.parents):
        path = candidate / CONFIG_FILE_NAME
        if path.is_file():
            return path
    return None
