from __future__ import annotations

import io
import logging
import runpy
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from catalog_sync import __version__
from catalog_sync.cli import COMMANDS
from catalog_sync.cli import cli
from catalog_sync.cli import main
from tests.cli.catalogs import catalog_of
from tests.cli.catalogs import write_catalog

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


def _main(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(list(args))
    out = capsys.readouterr()
    assert isinstance(info.value.code, int)
    return info.value.code, out.out, out.err


def test_main_help_lists_every_command_and_exits_0(capsys):
    code, out, _ = _main(capsys, "--help")
    assert code == 0
    listed = [line.split()[0] for line in out.split("Commands:")[1].splitlines()[1:]]
    assert [name for name in listed if name in COMMANDS] == sorted(COMMANDS)


def test_main_unknown_command_in_process_exits_1_with_click_message(capsys):
    code, _, err = _main(capsys, "plna")
    assert code == 1
    assert "No such command 'plna'" in err


def test_main_end_of_input_at_the_apply_prompt_is_aborted_with_130(
    tmp_path, capsys, monkeypatch
):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    config = write_catalog(tmp_path, catalog_of("a"))
    monkeypatch.setattr(sys, "stdin", Terminal(""))  # a terminal, then Ctrl-D
    code, out, err = _main(capsys, "--config", str(config), "apply")
    assert code == 130
    assert "Apply these changes?" in out
    assert err.rstrip().endswith("Aborted.")


def _full_disk() -> io.TextIOWrapper:
    # Unbuffered, so that nothing is left to fail again when the file is closed.
    return io.TextIOWrapper(open("/dev/full", "wb", buffering=0), write_through=True)


def test_main_internal_error_is_one_line_pointing_to_debug_and_exits_3(
    tmp_path, capsys, monkeypatch
):
    config = write_catalog(tmp_path, catalog_of("a"))
    with _full_disk() as full, monkeypatch.context() as patch:
        patch.setattr(sys, "stdout", full)  # on a full disk: every write fails (ENOSPC)
        code, _, err = _main(capsys, "--config", str(config), "validate")
    assert code == 3
    assert err == "Internal error: OSError. Re-run with --debug for details.\n"


def test_main_with_debug_logs_and_lets_an_internal_error_through(
    tmp_path, capsys, monkeypatch
):
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [])  # restored after: basicConfig adds one
    monkeypatch.setattr(root, "level", root.level)
    config = write_catalog(tmp_path, catalog_of("a"))
    with _full_disk() as full, monkeypatch.context() as patch:
        patch.setattr(sys, "stdout", full)
        with pytest.raises(OSError, match="No space left on device"):
            main(["--debug", "--config", str(config), "validate"])
    assert root.level == logging.DEBUG
    logging.getLogger("catalog_sync.fiskil").debug("GET /v1/products")
    assert capsys.readouterr().err == "DEBUG catalog_sync.fiskil: GET /v1/products\n"


def test_python_dash_m_catalog_sync_runs_the_cli(capsys, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["catalog-sync", "--version"])
    with pytest.raises(SystemExit) as info:
        runpy.run_module("catalog_sync", run_name="__main__")
    assert info.value.code == 0
    assert capsys.readouterr().out == f"catalog-sync, version {__version__}\n"
