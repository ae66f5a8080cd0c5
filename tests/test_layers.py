"""The package is in layers, each importing only from the layers below it, with no import
cycle anywhere (docs/architecture.md). Every import counts, including the ones inside a
function or under TYPE_CHECKING: a lazy import is still a dependency."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "catalog_sync"

# Bottom first. A module's layer is its top-level module or folder under catalog_sync.
LAYERS: tuple[frozenset[str], ...] = tuple(
    frozenset(names.split())
    for names in (
        "__init__ errors types problems english timing",
        "yaml",
        "config",
        "cds",
        "catalog",
        "fiskil",
        "emulator",
        "plan",
        "apply",
        "targets workflow verify audit audited",
        "render github onboarding doctor scaffold",
        "cli __main__",
    )
)


def layer_of(module: str) -> int:
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else "__init__"
    for index, names in enumerate(LAYERS):
        if top in names:
            return index
    raise AssertionError(f"{module} is in no layer: add it to LAYERS")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


def imported_modules(path: Path, known: set[str]) -> Iterator[str]:
    """Every catalog_sync module `path` imports, resolved to a module (not a name in it)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            targets = [f"{node.module}.{alias.name}" for alias in node.names]
            targets = [t if t in known else node.module for t in targets]
        else:
            continue
        yield from (t for t in targets if t.split(".")[0] == "catalog_sync")


def import_graph() -> dict[str, set[str]]:
    paths = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    known = set(paths)
    return {
        name: set(imported_modules(path, known)) - {name}
        for name, path in paths.items()
    }


def test_every_module_is_in_a_layer():
    for module in import_graph():
        layer_of(module)


def test_no_module_imports_from_a_layer_above_its_own():
    upward = sorted(
        f"{module} -> {target}"
        for module, targets in import_graph().items()
        for target in targets
        if layer_of(target) > layer_of(module)
    )
    assert upward == []


def test_there_is_no_import_cycle():
    graph = import_graph()
    cycles = [sorted(group) for group in strongly_connected(graph) if len(group) > 1]
    assert cycles == []


def strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm, iterative: the groups of modules that import each other."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    group: set[str] = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.add(member)
                        if member == node:
                            break
                    groups.append(group)
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph.get(child, ())))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return groups


def test_only_targets_and_the_emulator_command_import_the_emulator():
    importers = {
        module
        for module, targets in import_graph().items()
        if not module.startswith("catalog_sync.emulator")
        and any(t.startswith("catalog_sync.emulator") for t in targets)
    }
    assert importers == {"catalog_sync.targets", "catalog_sync.cli.emulator"}


def test_no_module_is_over_300_lines():
    """style.md: split a module once it passes about 300 lines (the emulator's growth is
    frozen instead)."""
    long = {
        str(path.relative_to(PACKAGE)): lines
        for path in PACKAGE.rglob("*.py")
        if "emulator" not in path.parts
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > 300
    }
    assert long == {}


def test_the_architecture_page_names_every_folder_and_top_level_module():
    page = (PACKAGE.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    names = [
        f"{path.name}/" if path.is_dir() else path.name
        for path in PACKAGE.iterdir()
        if (path.is_dir() and (path / "__init__.py").exists())
        or (path.suffix == ".py" and not path.name.startswith("__"))
    ]
    assert [name for name in names if f"`{name}`" not in page] == []


def test_the_checker_sees_an_upward_import_and_a_cycle():
    # The checks above pass vacuously if the graph is empty or the algorithm is wrong.
    graph = import_graph()
    assert "catalog_sync.plan.diff" in graph["catalog_sync.plan.plan"]
    loop = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert [sorted(g) for g in strongly_connected(loop) if len(g) > 1] == [
        ["a", "b", "c"]
    ]
    assert layer_of("catalog_sync.cli.plan") > layer_of("catalog_sync.plan.plan")
