"""Every command block marked runnable (```` ```sh runnable ````) in the README and
docs/commands.md runs as written, in order, in a copy of this repository's catalog, with
the installed `catalog-sync` first on PATH: the docs stay true to the behaviour."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOCUMENTS = ("README.md", "docs/commands.md")
_BLOCK = re.compile(r"^```sh runnable\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def runnable_blocks(document: str) -> list[str]:
    return _BLOCK.findall((REPO / document).read_text(encoding="utf-8"))


@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_runnable_block_runs(tmp_path, document):
    blocks = runnable_blocks(document)
    assert blocks, f"{document} has no runnable block"
    shutil.copytree(REPO / "products", tmp_path / "products")
    shutil.copy(REPO / "catalog-sync.yaml", tmp_path / "catalog-sync.yaml")
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    for block in blocks:
        done = subprocess.run(
            ["bash", "-e", "-o", "pipefail", "-c", block],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, f"{document}:\n{block}\n{done.stdout}{done.stderr}"
