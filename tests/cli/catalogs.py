"""Helpers for CLI tests: write a small valid catalog, run the real entry point."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from catalog_sync.cli import main
from tests.apply.harness import product


def write_catalog(
    root: Path, products: dict[str, dict[str, Any]], config: str = ""
) -> Path:
    """`root/catalog-sync.yaml` plus one file per product under products/wattle-bank/."""
    folder = root / "products" / "wattle-bank"
    if folder.exists():
        for old in folder.glob("*.yaml"):
            old.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    for pid, body in products.items():
        (folder / f"{pid}.yaml").write_text(yaml.safe_dump(body, sort_keys=False))
    path = root / "catalog-sync.yaml"
    path.write_text(config or "removal: delete\n")
    return path


def catalog_of(*ids: str, **fields: Any) -> dict[str, dict[str, Any]]:
    return {pid: product(pid, **fields) for pid in ids}


def run(
    capsys: pytest.CaptureFixture[str], config: Path, *args: str
) -> tuple[int, str, str]:
    """Run `catalog-sync --config CONFIG ARGS`; returns (exit code, stdout, stderr)."""
    with pytest.raises(SystemExit) as info:
        main(["--config", str(config), *args])
    out = capsys.readouterr()
    code = info.value.code
    return (code if isinstance(code, int) else 1), out.out, out.err
