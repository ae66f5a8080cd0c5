"""Lay out a new catalog repository: every file decided first, nothing written when any
of them exists (unless `force`), then written. Pure apart from that: the CLI prints."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from catalog_sync.catalog.formatting import SCHEMAS_FOLDER
from catalog_sync.catalog.schema import SCHEMA_NAMES
from catalog_sync.catalog.schema import schema_path
from catalog_sync.config.model import CONFIG_FILE_NAME
from catalog_sync.errors import ConfigError
from catalog_sync.scaffold.bundled import example_products
from catalog_sync.scaffold.bundled import workflow_templates
from catalog_sync.scaffold.install import Install
from catalog_sync.scaffold.install import pin_install
from catalog_sync.scaffold.texts import CONFIG
from catalog_sync.scaffold.texts import GITIGNORE
from catalog_sync.scaffold.texts import pre_commit_config
from catalog_sync.scaffold.texts import readme
from catalog_sync.scaffold.texts import vscode_settings

DEFAULT_SCHEMA = "cds-v7"


@dataclass(frozen=True, slots=True)
class Scaffold:
    """The files of a new catalog: text by path relative to its root."""

    files: Mapping[str, str]


def plan_scaffold(install: Install, *, example: bool) -> Scaffold:
    """Every file `init` writes, with its content."""
    files = {
        CONFIG_FILE_NAME: CONFIG,
        ".gitignore": GITIGNORE,
        ".pre-commit-config.yaml": pre_commit_config(install),
        ".vscode/settings.json": vscode_settings(DEFAULT_SCHEMA),
        "README.md": readme(DEFAULT_SCHEMA),
        "products/.gitkeep": "",
    }
    for name in SCHEMA_NAMES:
        text = schema_path(name).read_text(encoding="utf-8")
        files[f"{SCHEMAS_FOLDER}/{name}.json"] = text
    for name, text in workflow_templates().items():
        files[f".github/workflows/{name}"] = pin_install(text, install)
    if example:
        source = example_products()
        for path in sorted(source.rglob("*.yaml")):
            relative = path.relative_to(source).as_posix()
            files[f"products/{relative}"] = path.read_text(encoding="utf-8")
    return Scaffold(files)


def write_scaffold(scaffold: Scaffold, root: Path, *, force: bool) -> list[Path]:
    """Write every file under `root`; refuse (writing nothing) if any exists, unless
    `force`. Returns the paths written."""
    targets = [root / relative for relative in sorted(scaffold.files)]
    existing = [path for path in targets if path.exists() or path.is_symlink()]
    if existing and not force:
        shown = ", ".join(str(path.relative_to(root)) for path in existing[:5])
        more = f" and {len(existing) - 5} more" if len(existing) > 5 else ""
        raise ConfigError(
            f"refusing to overwrite {len(existing)} existing file(s) in {root}: "
            f"{shown}{more}; nothing was written",
            hint="pass --force to overwrite them, or run init in an empty folder",
        )
    for path, relative in zip(targets, sorted(scaffold.files), strict=True):
        if path.is_symlink() or path.is_dir():
            _remove(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(scaffold.files[relative], encoding="utf-8")
    return targets


def _remove(path: Path) -> None:
    # --force replaces what is there; a link is removed, never written through.
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()
