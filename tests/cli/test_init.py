from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from catalog_sync import __version__
from catalog_sync.cli import COMMANDS
from catalog_sync.cli import cli
from catalog_sync.errors import ConfigError
from catalog_sync.errors import ValidationFailed
from catalog_sync.errors import exit_code_for

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "catalog_sync", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_cli_version_prints_the_package_version():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_cli_every_command_loads_and_has_help(name):
    command = cli.get_command(click.Context(cli), name)
    assert command is not None
    assert command.help or command.short_help
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_cli_every_command_is_documented(name):
    documented = (ROOT / "README.md").read_text(encoding="utf-8") + "".join(
        p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md"))
    )
    assert f"catalog-sync {name}" in documented or f"`{name} " in documented


def test_main_usage_error_exits_1_never_2(tmp_path):
    # 2 means "changes" for plan and drift; a typo must never look like that.
    result = _run("plan", "--no-such-option", cwd=tmp_path)
    assert result.returncode == 1
    assert "No such option" in result.stderr


def test_main_unknown_command_exits_1(tmp_path):
    result = _run("plna", cwd=tmp_path)
    assert result.returncode == 1


def test_main_user_error_is_one_line_without_traceback(tmp_path):
    (tmp_path / "catalog-sync.yaml").write_text("schema: cds-v9\n", encoding="utf-8")
    result = _run("validate", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("Error: ")
    assert "schema must be one of" in result.stderr
    assert "Traceback" not in result.stderr


def test_main_unreadable_plan_file_is_reported_without_traceback(tmp_path):
    (tmp_path / "plan.json").mkdir()
    result = _run("show", "plan.json", cwd=tmp_path)
    assert result.returncode == 1
    assert "plan.json" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (RuntimeError("bug"), 3),
        (KeyboardInterrupt(), 130),
        (ConfigError("bad"), 1),
        (ValidationFailed([]), 1),
    ],
)
def test_exit_code_for_maps_each_branch_of_the_error_tree(error, code):
    assert exit_code_for(error) == code
