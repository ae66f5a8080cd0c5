"""Files that `init` copies, found inside the installed package (the wheel ships them,
see pyproject's force-include) or, in a development checkout, where they live in the
repository: this repository's own workflows and example catalog are the templates."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent

WORKFLOWS = ("plan.yml", "plan-comment.yml", "apply.yml", "drift.yml")
"""The catalog workflows `init` writes (ci.yml tests this tool and is not one of them)."""


def bundled_dir(packaged: str, checkout: str) -> Path:
    """`catalog_sync/<packaged>` in an installed wheel, else `<repo>/<checkout>`."""
    inside = _PACKAGE / packaged
    if inside.is_dir():
        return inside
    return _PACKAGE.parent / checkout


def workflow_templates() -> dict[str, str]:
    """The text of each catalog workflow, as this repository runs it (`uses: ./`)."""
    folder = bundled_dir("workflow_templates", ".github/workflows")
    return {name: (folder / name).read_text(encoding="utf-8") for name in WORKFLOWS}


def example_products() -> Path:
    """The example catalog's products folder."""
    return bundled_dir("example_products", "products")
