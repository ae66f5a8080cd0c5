from __future__ import annotations

import json

from catalog_sync.problems import Problem
from catalog_sync.render.problems import FORMAT_VERSION
from catalog_sync.render.problems import ProblemReport
from catalog_sync.render.problems import render_github
from catalog_sync.render.problems import render_json
from catalog_sync.render.problems import render_text

TYPE = Problem(
    "products/a.yaml",
    3,
    5,
    "fees[0].amount",
    "expected a string",
    "quote this value: '1.10'",
    "schema.type",
)
FILE = Problem(
    "products/b.yaml", 0, 0, "", "symbolic links are not allowed", None, "file.symlink"
)
REPORT = ProblemReport([TYPE, FILE], files_checked=12, schema="cds-v7")


def test_render_text_prints_compiler_style_lines_then_a_count():
    assert render_text(REPORT) == (
        "products/a.yaml:3:5: error: fees[0].amount: expected a string "
        "(quote this value: '1.10')\n"
        "products/b.yaml: error: symbolic links are not allowed\n"
        "2 problems in 2 files\n"
    )


def test_render_text_counts_valid_products_when_clean():
    assert render_text(ProblemReport([], 12, "cds-v7")) == "12 products valid\n"
    assert render_text(ProblemReport([], 1, "cds-v7")) == "1 product valid\n"
    one = ProblemReport([TYPE, TYPE], 3, "cds-v7")
    assert render_text(one).endswith("2 problems in 1 file\n")


def test_render_json_is_versioned_and_complete():
    body = json.loads(render_json(REPORT))
    assert body["format_version"] == FORMAT_VERSION == 1
    assert body["schema"] == "cds-v7"
    assert body["valid"] is False
    assert body["summary"] == {
        "files_checked": 12,
        "files_with_problems": 2,
        "problems": 2,
    }
    assert body["problems"][0] == {
        "file": "products/a.yaml",
        "line": 3,
        "column": 5,
        "path": "fees[0].amount",
        "code": "schema.type",
        "message": "expected a string",
        "hint": "quote this value: '1.10'",
    }
    assert body["problems"][1]["hint"] is None
    assert json.loads(render_json(ProblemReport([], 0, "cds-v6")))["valid"] is True


def test_render_github_prints_workflow_annotations():
    lines = render_github(REPORT).splitlines()
    assert lines[0] == (
        "::error file=products/a.yaml,line=3,col=5,title=catalog-sync validate%3A schema.type"
        "::fees[0].amount: expected a string (quote this value: '1.10')"
    )
    assert lines[1] == (
        "::error file=products/b.yaml,title=catalog-sync validate%3A file.symlink"
        "::symbolic links are not allowed"
    )
    assert lines[2] == "2 problems in 2 files"


def test_render_github_escapes_data_and_properties():
    tricky = Problem("p/a,b:c%.yaml", 1, 2, "", "50% off\r\nnext line", None, "x")
    (annotation, _) = render_github(ProblemReport([tricky], 1, "cds-v7")).splitlines()
    assert annotation.startswith("::error file=p/a%2Cb%3Ac%25.yaml,line=1,col=2,")
    assert annotation.endswith("::50%25 off%0D%0Anext line")
    assert "\r" not in annotation


def test_control_characters_from_the_file_never_break_a_line_or_reach_the_terminal():
    key = "bad\nkey\x1b[31m"
    problem = Problem(
        "products/a\nb.yaml", 2, 1, key, f"unknown field `{key}`", None, "x"
    )
    report = ProblemReport([problem], 1, "cds-v7")
    text = render_text(report)
    assert text.count("\n") == 2
    assert "\x1b" not in text
    assert "bad\\nkey\\x1b[31m: unknown field `bad\\nkey\\x1b[31m`" in text
    github = render_github(report)
    assert github.count("\n") == 2
    assert "\x1b" not in github
    assert json.loads(render_json(report))["problems"][0]["path"] == key
