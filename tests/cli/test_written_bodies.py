"""apply publishes each product as written in its file (array order and decimal spelling
kept), and the next plan recognises that as unchanged: the real CLI against the emulator
over loopback HTTP."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from catalog_sync.cds.normalize import normalize
from catalog_sync.cli import cli
from catalog_sync.emulator.store import LOCAL_CLIENT_ID
from catalog_sync.emulator.store import LOCAL_CLIENT_SECRET

REPO_ROOT = Path(__file__).resolve().parents[2]
EVERYDAY = "products/wattle-bank/wattle-everyday.yaml"
ENV = {"STAGING_ID": LOCAL_CLIENT_ID, "STAGING_SECRET": LOCAL_CLIENT_SECRET}


@pytest.fixture
def catalog(tmp_path, emulator_server, monkeypatch):
    if not (REPO_ROOT / EVERYDAY).exists():
        pytest.skip("the example catalog is not in this checkout")
    shutil.copytree(REPO_ROOT / "products", tmp_path / "products")
    (tmp_path / "catalog-sync.yaml").write_text(
        "products_dir: products\n"
        "environments:\n"
        "  staging:\n"
        f"    base_url: {emulator_server.base_url}\n"
        "    client_id_env: STAGING_ID\n"
        "    client_secret_env: STAGING_SECRET\n"
    )
    return tmp_path


def _run(
    catalog: Path, *args: str, env: dict[str, str] | None = None
) -> tuple[int, str, str]:
    config = str(catalog / "catalog-sync.yaml")
    result = CliRunner().invoke(
        cli, ["--config", config, *args], env={**ENV, **(env or {})}
    )
    return result.exit_code, result.stdout, result.stderr


def test_apply_publishes_the_file_as_written_and_the_next_plan_is_empty(
    catalog, emulator_server
):
    written = yaml.safe_load((catalog / EVERYDAY).read_text())
    # The example is written in the order a bank would publish, not sorted by identity.
    assert normalize(written)["fees"] != written["fees"]

    assert _run(catalog, "apply", "--env", "staging", "--auto-approve")[0] == 0

    stored = emulator_server.store.products()["wattle-everyday"]
    del stored["lastUpdated"]
    assert stored == written
    code, out, err = _run(
        catalog,
        "plan",
        "--env",
        "staging",
        "--detailed-exitcode",
        env={"CATALOG_SYNC_TIMINGS": "1"},
    )
    assert (code, out.startswith("No changes.")) == (0, True)
    [timings] = [json.loads(line) for line in err.splitlines() if "timings" in line]
    assert set(timings["timings"]) == {"validate", "fetch", "diff"}


def test_live_in_normalised_form_is_unchanged_and_not_rewritten(
    catalog, emulator_server
):
    """What an earlier build sent (normalised bodies) still plans as no change."""
    assert _run(catalog, "apply", "--env", "staging", "--auto-approve")[0] == 0
    store = emulator_server.store
    normalised = normalize(store.products()["wattle-everyday"])
    store.replace_product("wattle-everyday", normalised)
    assert store.products()["wattle-everyday"]["fees"] == normalised["fees"]

    code, out, _ = _run(catalog, "plan", "--env", "staging", "--detailed-exitcode")
    assert (code, out.startswith("No changes.")) == (0, True)


def test_a_changed_product_is_sent_as_written(catalog, emulator_server):
    assert _run(catalog, "apply", "--env", "staging", "--auto-approve")[0] == 0
    path = catalog / EVERYDAY
    path.write_text(path.read_text().replace('amount: "9.00"', 'amount: "9.50"', 1))

    code, out, _ = _run(catalog, "plan", "--env", "staging", "--detailed-exitcode")
    assert code == 2
    assert "1 to update" in out
    assert _run(catalog, "apply", "--env", "staging", "--auto-approve")[0] == 0

    stored = emulator_server.store.products()["wattle-everyday"]
    del stored["lastUpdated"]
    assert stored == yaml.safe_load(path.read_text())
