"""Render validation problems as compiler-style text, versioned JSON, or GitHub workflow
annotations. Pure functions: they return strings and never print.

The JSON form (`format_version` 1) is documented in docs/validate.md; the text and GitHub
forms carry exactly the same information.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from catalog_sync import __version__
from catalog_sync.english import plural
from catalog_sync.problems import Problem

FORMAT_VERSION = 1
# Keys, values and file names come from the user's files: a newline or an escape sequence
# in them must not split a problem's line or drive the terminal (json escapes its own).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True, slots=True)
class ProblemReport:
    """What a renderer needs: the sorted problems and how much was checked."""

    problems: Sequence[Problem]
    files_checked: int
    schema: str

    @property
    def files_with_problems(self) -> int:
        return len({problem.file for problem in self.problems})


def render_text(report: ProblemReport) -> str:
    """One `file:line:col: error: path: message (hint)` line per problem, then a count."""
    lines = [_printable(problem.format_text()) for problem in report.problems]
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def render_json(report: ProblemReport) -> str:
    """The versioned machine-readable form (see docs/validate.md)."""
    body = {
        "format_version": FORMAT_VERSION,
        "tool": {"name": "catalog-sync", "version": __version__},
        "schema": report.schema,
        "valid": not report.problems,
        "summary": {
            "files_checked": report.files_checked,
            "files_with_problems": report.files_with_problems,
            "problems": len(report.problems),
        },
        "problems": [_json_problem(problem) for problem in report.problems],
    }
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def render_github(report: ProblemReport) -> str:
    """`::error file=…,line=…,col=…,title=…::message` per problem, then the count line."""
    lines = [_printable(_annotation(problem)) for problem in report.problems]
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def summary_line(report: ProblemReport) -> str:
    """`2 problems in 1 file`, or `12 products valid` when there are none."""
    if report.problems:
        problems, files = len(report.problems), report.files_with_problems
        return f"{problems} {plural(problems, 'problem')} in {files} {plural(files, 'file')}"
    checked = report.files_checked
    return f"{checked} {plural(checked, 'product')} valid"


def _json_problem(problem: Problem) -> dict[str, object]:
    return {
        "file": problem.file,
        "line": problem.line,
        "column": problem.col,
        "path": problem.path,
        "code": problem.code,
        "message": problem.message,
        "hint": problem.hint,
    }


def _annotation(problem: Problem) -> str:
    properties = [f"file={_escape_property(problem.file)}"]
    if problem.line > 0:
        properties.append(f"line={problem.line}")
        properties.append(f"col={problem.col}")
    properties.append(f"title={_escape_property(_title(problem))}")
    message = f"{problem.path}: {problem.message}" if problem.path else problem.message
    if problem.hint:
        message += f" ({problem.hint})"
    return f"::error {','.join(properties)}::{_escape_data(message)}"


def _title(problem: Problem) -> str:
    return f"catalog-sync validate: {problem.code}"


# GitHub's workflow-command escaping (actions/toolkit, command.ts): data escapes % CR LF;
# property values additionally escape : and , which would end the value.
def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _printable(text: str) -> str:
    return _CONTROL.sub(lambda match: repr(match.group())[1:-1], text)
