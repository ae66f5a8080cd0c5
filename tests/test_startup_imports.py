"""What a command loads before its first request counts on every CI apply: the apply of a
saved plan, and a plan with nothing changed, never diff, so they never import deepdiff
(about 0.1 s with asyncio), and only export loads the YAML writer."""

from __future__ import annotations

import json
import subprocess
import sys


def _loaded_after(statement: str, *modules: str) -> list[str]:
    check = (
        f"import json, sys; {statement}; "
        f"print(json.dumps([m for m in {modules!r} if m in sys.modules]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, check=True
    )
    loaded: list[str] = json.loads(result.stdout)
    return loaded


def test_the_apply_path_loads_neither_deepdiff_nor_the_export_writer():
    statement = "import catalog_sync.cli.apply, catalog_sync.workflow"
    assert _loaded_after(statement, "deepdiff", "catalog_sync.catalog.export") == []


def test_diffing_still_loads_deepdiff_on_first_use():
    statement = (
        "from catalog_sync.plan.diff import diff_products; "
        "diff_products({'name': 'a'}, {'name': 'b'})"
    )
    assert _loaded_after(statement, "deepdiff") == ["deepdiff"]
