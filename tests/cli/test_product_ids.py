"""Any productId the CDS and Fiskil allow (printable ASCII, at most 100 characters) works
end to end (issue 12): import, validate, plan, the plan file and its Markdown (the PR
comment's body), apply, export, and import from a public endpoint: the real CLI against
the emulator over loopback HTTP, each id one percent-encoded path segment on the wire."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from catalog_sync.cli import cli
from catalog_sync.emulator.store import LOCAL_CLIENT_ID
from catalog_sync.emulator.store import LOCAL_CLIENT_SECRET
from tests.apply.harness import product

ENV = {"STAGING_ID": LOCAL_CLIENT_ID, "STAGING_SECRET": LOCAL_CLIENT_SECRET}
PRODUCTS = "/v1/data-provider/cdr/products"
# productId -> its file name and its path segment
IDS = {
    "HOME EQUITY P": ("HOME EQUITY P.yaml", "HOME%20EQUITY%20P"),
    "../admin": ("%2E.%2Fadmin.yaml", "..%2Fadmin"),
    "50% <off>|now?": ("50%25 %3Coff%3E%7Cnow%3F.yaml", "50%25%20%3Coff%3E%7Cnow%3F"),
}


@pytest.fixture
def catalog(tmp_path, emulator_server, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "catalog-sync.yaml").write_text(
        "products_dir: products\n"
        "removal: delete\n"
        "environments:\n"
        "  staging:\n"
        f"    base_url: {emulator_server.base_url}\n"
        "    client_id_env: STAGING_ID\n"
        "    client_secret_env: STAGING_SECRET\n"
    )
    captures = tmp_path / "captures"
    captures.mkdir()
    for n, pid in enumerate(IDS):
        bundle = {"name": "Pack", "description": "All three", "productIds": list(IDS)}
        body = product(pid, bundles=[bundle])
        (captures / f"{n}.json").write_text(json.dumps({"data": body}))
    return tmp_path


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), env=ENV)
    return result.exit_code, result.output


def test_home_equity_p_imports_validates_plans_applies_and_exports(
    catalog, emulator_server
):
    code, out = _run("import", "--from-dir", "captures")
    assert code == 0, out
    folder = catalog / "products" / "wattle-bank"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        name for name, _ in IDS.values()
    )
    assert _run("validate") == (0, "3 products valid\n")

    code, out = _run("plan", "--env", "staging", "--out", "plan.json")
    assert code == 0, out
    assert "+ create HOME EQUITY P" in out
    saved = json.loads((catalog / "plan.json").read_text())
    assert sorted(c["product_id"] for c in saved["changes"]) == sorted(IDS)
    code, markdown = _run("show", "plan.json", "--format", "markdown")
    assert "<code>HOME EQUITY P</code>" in markdown
    assert "<code>50% &lt;off&gt;|now?</code>" in markdown

    code, out = _run("apply", "plan.json", "--env", "staging")
    assert code == 0, out
    assert sorted(emulator_server.store.products()) == sorted(IDS)

    home = folder / "HOME EQUITY P.yaml"
    home.write_text(home.read_text().replace("The HOME", "Our HOME"))
    code, out = _run("apply", "--env", "staging", "--auto-approve")
    assert code == 0, out
    [put] = emulator_server.store.ledger.entries("PUT")
    assert put.raw_path == f"{PRODUCTS}/HOME%20EQUITY%20P"
    assert put.path == f"{PRODUCTS}/HOME EQUITY P"
    assert _run("plan", "--env", "staging", "--detailed-exitcode")[0] == 0

    code, out = _run("export", "--env", "staging", "--out", "exported")
    assert code == 0, out
    for pid, (name, _) in IDS.items():
        exported = catalog / "exported" / "wattle-bank" / name
        assert yaml.safe_load(exported.read_text())["productId"] == pid


def test_each_id_is_read_as_one_encoded_segment_from_a_public_endpoint(
    catalog, emulator_server
):
    emulator_server.store.seed(product(pid) for pid in IDS)
    code, out = _run(
        "import", "--from-public", emulator_server.base_url, "--out", "public"
    )
    assert code == 0, out
    details = [
        entry.raw_path
        for entry in emulator_server.store.ledger.entries("GET")
        if entry.raw_path.startswith("/cds-au/v1/banking/products/")
    ]
    assert sorted(details) == sorted(
        f"/cds-au/v1/banking/products/{segment}" for _, segment in IDS.values()
    )
    written = sorted(p.name for p in Path(catalog / "public" / "wattle-bank").iterdir())
    assert written == sorted(name for name, _ in IDS.values())


def test_ids_that_differ_only_in_case_stay_refused(catalog):
    folder = catalog / "products" / "wattle-bank"
    folder.mkdir(parents=True)
    for pid in ("Home Loan", "HOME loan"):
        (folder / f"{pid}.yaml").write_text(yaml.safe_dump(product(pid)))
    code, out = _run("validate")
    assert code == 1
    assert "differs only in case from 'HOME loan'" in out
    assert "case-insensitive file system" in out
