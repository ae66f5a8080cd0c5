"""Holder extension fields end to end (issue 12): with `extension_prefixes: [WBC]`,
validate accepts `WBC-...` fields anywhere, apply publishes them unchanged (to the
embedded `local` environment and to an emulator over loopback HTTP started with
`--extension-prefix`'s equivalent), and the next plan shows no changes."""

from __future__ import annotations

import sqlite3

import pytest
import yaml
from click.testing import CliRunner

from catalog_sync.cli import cli
from catalog_sync.emulator.app import make_app
from catalog_sync.emulator.server import serve_in_thread
from catalog_sync.emulator.store import LOCAL_CLIENT_ID
from catalog_sync.emulator.store import LOCAL_CLIENT_SECRET
from catalog_sync.emulator.store import Store
from tests.apply.harness import product

ENV = {"STAGING_ID": LOCAL_CLIENT_ID, "STAGING_SECRET": LOCAL_CLIENT_SECRET}
EXTENDED = product(
    "home-loan",
    **{"WBC-internalCode": "HL-7"},
    features=[
        {
            "featureType": "OTHER",
            "additionalInfo": "Offset",
            "WBC-meta": {"owner": "lending", "rate": "0.0500"},
        }
    ],
)


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), env=ENV)
    return result.exit_code, result.output


@pytest.fixture
def catalog(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "products" / "wattle-bank"
    folder.mkdir(parents=True)
    (folder / "home-loan.yaml").write_text(yaml.safe_dump(EXTENDED, sort_keys=False))
    return tmp_path


def test_without_the_prefix_validate_names_the_key(catalog):
    (catalog / "catalog-sync.yaml").write_text("products_dir: products\n")
    code, out = _run("validate")
    assert code == 1
    assert "unknown field `WBC-internalCode`" in out
    assert "add `extension_prefixes: [WBC]` to catalog-sync.yaml" in out


def test_extension_fields_reach_the_embedded_environment_unchanged(catalog):
    (catalog / "catalog-sync.yaml").write_text(
        "products_dir: products\nextension_prefixes: [WBC]\n"
    )
    assert _run("validate") == (0, "1 product valid\n")
    assert _run("apply", "--auto-approve")[0] == 0
    with sqlite3.connect(catalog / ".catalog-sync" / "local.db") as db:
        [(body,)] = db.execute("SELECT body FROM products").fetchall()
    stored = yaml.safe_load(body)
    del stored["lastUpdated"]
    assert stored == EXTENDED
    assert _run("plan", "--detailed-exitcode")[0] == 0


def test_extension_fields_cross_the_wire_unchanged_and_plan_clean(catalog):
    store = Store()
    app = make_app(store, extension_prefixes=["WBC"])
    with serve_in_thread(app) as base_url:
        (catalog / "catalog-sync.yaml").write_text(
            "products_dir: products\n"
            "extension_prefixes: [WBC]\n"
            "environments:\n"
            "  staging:\n"
            f"    base_url: {base_url}\n"
            "    client_id_env: STAGING_ID\n"
            "    client_secret_env: STAGING_SECRET\n"
        )
        code, out = _run("apply", "--env", "staging", "--auto-approve")
        assert code == 0, out
        [post] = store.ledger.entries("POST", "/v1/data-provider/cdr/products")
        assert post.body == EXTENDED
        assert _run("plan", "--env", "staging", "--detailed-exitcode")[0] == 0
        code, out = _run("drift", "--env", "staging")
        assert code == 0, out
    store.close()
