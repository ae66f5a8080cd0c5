from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

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
