"""Problem.format_text: the one-line form every command prints."""

from __future__ import annotations

from catalog_sync.problems import Problem


def test_a_located_problem_reads_like_a_compiler_error() -> None:
    problem = Problem("p.yaml", 3, 5, "fees[0].amount", "bad", "fix it", "schema.x")
    assert problem.format_text() == "p.yaml:3:5: error: fees[0].amount: bad (fix it)"


def test_a_whole_file_problem_has_no_line_and_column() -> None:
    problem = Problem("captures", 0, 0, "", "not a folder", None, "import.x")
    assert problem.format_text() == "captures: error: not a folder"
