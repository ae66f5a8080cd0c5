from __future__ import annotations

import os
import re
import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from pathlib import Path

import pytest

from tests.scaffold.test_init import security_findings

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_ships_the_generated_schemas(tmp_path):
    # The project never needs the repository at run time: `pip install .` elsewhere
    # must still validate, so the schemas travel inside the package.
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "--wheel-dir",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("catalog_sync-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for schema in ("cds-v7.json", "cds-v6.json"):
        assert f"catalog_sync/schemas/{schema}" in names
        packaged = zipfile.ZipFile(wheel).read(f"catalog_sync/schemas/{schema}")
        assert packaged == (ROOT / "schemas" / schema).read_bytes()
    assert not any(name.startswith(("tests/", "benchmarks/")) for name in names)


def _build_wheel(folder: Path) -> Path:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "--wheel-dir",
            str(folder),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = folder.glob("catalog_sync-*.whl")
    return wheel


def _venv_seeing_the_test_packages(folder: Path) -> Path:
    """A fresh venv whose own site-packages comes first and that also sees this test
    environment's packages (no network: catalog-sync is installed --no-deps). The
    development install's .pth is not processed there, so only the wheel provides
    catalog_sync."""
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(folder)],
        check=True,
        timeout=120,
    )
    (site,) = folder.glob("lib/python*/site-packages")
    test_site = sysconfig.get_paths()["purelib"]
    (site / "zz_test_environment.pth").write_text(test_site + "\n")
    return folder / "bin"


@pytest.mark.slow
def test_a_new_user_gets_a_working_catalog_from_the_wheel_alone(tmp_path):
    wheel = _build_wheel(tmp_path / "dist")
    bin_dir = _venv_seeing_the_test_packages(tmp_path / "venv")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(bin_dir / "python"),
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(home),
        "LANG": "C.UTF-8",
    }

    def sh(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            args, cwd=cwd, env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, f"{args}:\n{done.stdout}{done.stderr}"
        return done

    where = sh(
        "python", "-c", "import catalog_sync; print(catalog_sync.__file__)", cwd=home
    )
    assert where.stdout.startswith(str(tmp_path / "venv"))

    sh("catalog-sync", "init", "bank", cwd=home)
    bank = home / "bank"
    # Add a product using only what the catalog's README tells its editors.
    readme = (bank / "README.md").read_text()
    example = re.search(r"```yaml\n(.*?)```", readme, re.DOTALL)
    saved_as = re.search(r"saved as `(products/[^`]+)`", readme)
    assert example
    assert saved_as
    product = bank / saved_as[1]
    product.parent.mkdir(parents=True)
    product.write_text(textwrap.dedent(example[1]))
    for command in ("fmt", "fmt --check", "validate", "plan", "apply --auto-approve"):
        sh("catalog-sync", *command.split(), cwd=bank)
    assert product.read_text().startswith(
        "# yaml-language-server: $schema=../../schemas/cds-v7.json\n"
    )
    final = sh("catalog-sync", "plan", "--detailed-exitcode", cwd=bank / "products")
    assert final.stdout.startswith("No changes.")
    assert (bank / ".catalog-sync" / "local.db").is_file()
    assert security_findings(bank) == []
