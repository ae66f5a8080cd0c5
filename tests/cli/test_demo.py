"""`make demo` (scripts/demo.sh) on a copy of the repository: validate, plan, apply, and
a final plan with no changes, from a clean local store, with no network."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_demo_script_shows_the_whole_workflow(tmp_path):
    for name in ("products", "scripts", "schemas"):
        shutil.copytree(REPO / name, tmp_path / name)
    shutil.copy(REPO / "catalog-sync.yaml", tmp_path / "catalog-sync.yaml")
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    (tmp_path / ".venv" / "bin" / "catalog-sync").symlink_to(
        Path(sys.executable).parent / "catalog-sync"
    )
    stale = tmp_path / ".catalog-sync" / "local.db"
    stale.parent.mkdir()
    stale.write_bytes(b"left over from an earlier demo")
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "GITHUB_ACTIONS")}

    done = subprocess.run(
        ["bash", str(tmp_path / "scripts" / "demo.sh")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    out = done.stdout
    steps = [line for line in out.splitlines() if line.startswith("==> ")]
    assert [s.split(".")[0] for s in steps] == ["==> 1", "==> 2", "==> 3", "==> 4"]
    assert "products valid" in out
    assert out.count("to create, 0 to update") == 2
    assert "Apply complete:" in out
    assert "No changes. The live catalog matches products/." in out
