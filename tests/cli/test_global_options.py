"""The conventions every command shares: global options before or after the command,
configuration found like git, state at the catalog root, help examples, completion."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from catalog_sync.cli import COMMANDS
from catalog_sync.cli import cli
from catalog_sync.cli import main
from catalog_sync.cli.examples import EXAMPLES
from catalog_sync.cli.examples import example_epilog
from tests.cli.catalogs import catalog_of
from tests.cli.catalogs import write_catalog

REPO = Path(__file__).resolve().parents[2]


def _main(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(list(args))
    out = capsys.readouterr()
    code = info.value.code
    return (code if isinstance(code, int) else 1), out.out, out.err


@pytest.fixture
def catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_catalog(tmp_path, catalog_of("p01", "p02"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_debug_and_config_work_after_the_command(catalog, capsys):
    other = catalog / "elsewhere.yaml"
    other.write_text("products_dir: missing\n")
    # `catalog-sync plan --debug` (issue 14): the option is accepted and logs.
    debug = subprocess.run(
        [sys.executable, "-m", "catalog_sync", "plan", "--debug"],
        cwd=catalog,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert debug.returncode == 0, debug.stderr
    assert "DEBUG catalog_sync" in debug.stderr
    code, out, _ = _main(capsys, "validate", "--debug")
    assert (code, out) == (0, "2 products valid\n")
    # After the command, --config wins over the catalog-sync.yaml found from here.
    code, out, _ = _main(capsys, "validate", "--config", str(other))
    assert code == 1
    assert out.startswith("missing: error: no such file or directory")
    code, out, _ = _main(
        capsys, "--config", str(other), "validate", "--config", "catalog-sync.yaml"
    )
    assert (code, out) == (0, "2 products valid\n")


def test_global_options_reach_the_commands_of_a_group(catalog, capsys):
    code, out, _ = _main(
        capsys, "auth", "check", "--debug", "--config", "catalog-sync.yaml"
    )
    assert code == 0
    assert "environment: local" in out


def test_a_missing_config_file_is_an_error_not_the_defaults(catalog, capsys):
    for args in (["--config", "nope.yaml", "plan"], ["plan", "--config", "nope.yaml"]):
        code, out, err = _main(capsys, *args)
        assert (code, out) == (1, "")
        assert err == (
            "Error: the configuration file nope.yaml does not exist (check the "
            "--config path, or run `catalog-sync init` to create one)\n"
        )


def test_without_a_config_anywhere_the_error_suggests_init(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    code, _, err = _main(capsys, "plan")
    assert code == 1
    assert f"no catalog-sync.yaml in {tmp_path}" in err
    assert "run `catalog-sync init`" in err
    assert not (tmp_path / ".catalog-sync").exists()


def test_state_lives_at_the_catalog_root_from_any_subfolder(
    catalog, monkeypatch, capsys
):
    monkeypatch.chdir(catalog / "products" / "wattle-bank")
    code, out, _ = _main(capsys, "apply", "--auto-approve")
    assert code == 0, out
    assert (catalog / ".catalog-sync" / "local.db").is_file()
    assert not (catalog / "products" / "wattle-bank" / ".catalog-sync").exists()
    # The emulator can still be seeded from the products folder: no state inside it.
    assert sorted(p.name for p in (catalog / "products").rglob("*")) == [
        "p01.yaml",
        "p02.yaml",
        "wattle-bank",
    ]
    monkeypatch.chdir(catalog / "products")
    assert _main(capsys, "plan", "--detailed-exitcode")[0] == 0


def _every_command() -> list[list[str]]:
    names: list[list[str]] = []
    for name in sorted(COMMANDS):
        command = cli.get_command(click.Context(cli), name)
        names.append([name])
        if isinstance(command, click.Group):
            names.extend([name, sub] for sub in sorted(command.commands))
    return names


@pytest.mark.parametrize("words", _every_command(), ids=" ".join)
def test_every_command_help_ends_with_an_example(words):
    assert " ".join(words) in EXAMPLES
    result = CliRunner().invoke(cli, [*words, "--help"])
    assert result.exit_code == 0
    assert f"Examples:\n    catalog-sync {' '.join(words)}" in result.output
    assert "--config PATH" in result.output
    assert "--debug" in result.output


def _complete(cwd: Path, words: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What bash completion offers for `words` (in-process, as click's script asks)."""
    monkeypatch.chdir(cwd)
    env = {
        "_CATALOG_SYNC_COMPLETE": "bash_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
    }
    result = CliRunner().invoke(cli, [], env=env, prog_name="catalog-sync")
    assert result.exit_code == 0, result.output
    return [line.split(",", 1)[1] for line in result.output.splitlines() if line]


def test_shell_completion_offers_the_catalogs_environments(catalog, monkeypatch):
    (catalog / "catalog-sync.yaml").write_text(
        "environments:\n  staging:\n    target: embedded\n  sandbox:\n    target: embedded\n"
    )
    assert _complete(
        catalog / "products", "catalog-sync plan --env s", monkeypatch
    ) == [
        "sandbox",
        "staging",
    ]
    words = "catalog-sync plan --config catalog-sync.yaml --debug --env "
    assert _complete(catalog, words, monkeypatch) == [
        "local",
        "sandbox",
        "staging",
    ]
    assert "validate" in _complete(catalog, "catalog-sync val", monkeypatch)


def test_shell_completion_of_env_without_a_catalog_is_empty(tmp_path, monkeypatch):
    assert _complete(tmp_path, "catalog-sync plan --env ", monkeypatch) == []


def test_a_command_without_examples_still_loads_with_a_help_pointer():
    assert example_epilog("new-command") == (
        "\b\nExamples:\n  catalog-sync new-command --help"
    )
