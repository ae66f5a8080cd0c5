"""The pure core (the whole of cds/ and plan/, and the renderers) imports nothing that\ndoes I/O and never prints (style guide §13.3-4)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "catalog_sync"
PURE_FOLDERS = ("cds", "plan")
PURE_MODULES = [
    *(
        str(path.relative_to(PACKAGE))
        for folder in PURE_FOLDERS
        for path in sorted((PACKAGE / folder).glob("*.py"))
    ),
    "render/__init__.py",
    "render/units.py",
    "render/words.py",
    "render/text.py",
    "render/markdown.py",
    "render/json.py",
    "render/drift.py",
    "render/rows.py",
    "render/items.py",
    "render/markdown_parts.py",
    "render/context.py",
    "cds/labels.py",
    "cds/impact.py",
    "cds/durations.py",
    "plan/impact.py",
    "plan/policy.py",
    "plan/renames.py",
    "plan/build.py",
    "plan/planfile_parts.py",
    "render/verify.py",
    "render/audit.py",
    "render/applied.py",
    "verify/compare.py",
    "verify/versions.py",
    "verify/document.py",
    "verify/waiting.py",
]
IO_MODULES = {
    "os",
    "io",
    "socket",
    "subprocess",
    "shutil",
    "sqlite3",
    "httpx",
    "click",
    "rich",
    "urllib",
    "tempfile",
    "time",
    "random",
    "logging",
}
IO_CALLS = {"open", "print", "input"}


@pytest.mark.parametrize("module", PURE_MODULES)
def test_pure_core_module_does_no_io(module):
    tree = ast.parse((PACKAGE / module).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id not in IO_CALLS, f"{module}: {node.func.id}()"
    assert not imported & IO_MODULES, f"{module} imports {imported & IO_MODULES}"


def imports_of(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_only_diff_imports_deepdiff():
    importers = {
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if "deepdiff" in imports_of(path)
    }
    assert importers == {"plan/diff.py"}
