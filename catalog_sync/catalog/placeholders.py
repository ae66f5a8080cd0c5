"""The placeholder `migrate` writes where the standard needs a fact the source does not
carry, and the one located problem `validate` reports for each that is still in a file,
free-text fields included (the schema alone would accept `description: TODO(migrate)`).
"""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Sequence
from typing import Any

from catalog_sync.problems import Problem
from catalog_sync.yaml.document import Document
from catalog_sync.yaml.document import PathKey
from catalog_sync.yaml.document import format_path

PLACEHOLDER = "TODO(migrate)"
"""Never a meaningful CDS value: `validate` reports it, located, until a human replaces it."""

_SEE_COMMENT = "see the `# migrate (needs-human)` comment above it"


def find_placeholders(value: Any, path: PathKey = ()) -> Iterator[PathKey]:
    """Every path whose value is still the migration placeholder."""
    if value == PLACEHOLDER:
        yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from find_placeholders(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from find_placeholders(item, (*path, index))


def with_placeholder_problems(
    doc: Document, problems: Sequence[Problem]
) -> list[Problem]:
    """`problems` with each placeholder's schema problem (if any) replaced by one that
    says it is a placeholder, keeping that problem's hint (the allowed values)."""
    found = {format_path(path): path for path in find_placeholders(doc.data)}
    if not found:
        return list(problems)
    kept: list[Problem] = []
    hints: dict[str, str] = {}
    for problem in problems:
        if problem.path in found:
            if problem.hint and problem.path not in hints:
                hints[problem.path] = problem.hint
        else:
            kept.append(problem)
    for shown, path in found.items():
        line, col = doc.position_of(path)
        hint = f"{hints.get(shown, 'write the real value')}; {_SEE_COMMENT}"
        kept.append(
            Problem(
                doc.display_path,
                line,
                col,
                shown,
                f"still the {PLACEHOLDER} placeholder: the source did not say this",
                hint,
                "schema.placeholder",
            )
        )
    return kept
