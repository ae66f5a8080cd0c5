"""`catalog-sync verify` and `drift --public` through the real entry point against the
emulator over loopback HTTP, with no credentials in the environment."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from catalog_sync.emulator.app import make_app
from catalog_sync.emulator.server import serve_in_thread
from catalog_sync.emulator.store import Store
from tests.apply.harness import product
from tests.cli.catalogs import catalog_of
from tests.cli.catalogs import run
from tests.cli.catalogs import write_catalog

PUBLIC = "/cds-au/v1/banking/products"


@pytest.fixture
def served(monkeypatch) -> Iterator[tuple[Store, str]]:
    for name in ("CS_TEST_ID", "CS_TEST_SECRET"):
        monkeypatch.delenv(name, raising=False)  # no credentials configured
    store = Store()
    with serve_in_thread(make_app(store)) as base_url:
        yield store, base_url
    store.close()


def _config(base_url: str, *, public: bool = True) -> str:
    text = (
        "removal: retire\nenvironments:\n  production:\n"
        "    base_url: https://api.fiskil.example\n"
        "    client_id_env: CS_TEST_ID\n    client_secret_env: CS_TEST_SECRET\n"
    )
    return text + (f"    public_base_url: {base_url}\n" if public else "")


def test_verify_exits_0_when_customers_see_git(tmp_path, capsys, served):
    store, base_url = served
    store.seed(catalog_of("a", "b").values())
    config = write_catalog(tmp_path, catalog_of("a", "b"), _config(base_url))
    code, out, err = run(capsys, config, "verify", "--env", "production")
    assert (code, err) == (0, "")
    assert f"The public endpoint of production ({base_url}) serves all 2" in out
    assert all(e.path.startswith(PUBLIC) for e in store.ledger.entries())


def test_verify_exits_2_and_names_each_difference(tmp_path, capsys, served):
    store, base_url = served
    store.seed([*catalog_of("a", name="Public name").values()])
    config = write_catalog(
        tmp_path, catalog_of("a", "b", name="Git name"), _config(base_url)
    )
    code, out, _ = run(capsys, config, "verify", "--env", "production")
    assert code == 2
    assert "differs from git: 2 of 2 products" in out
    assert "  changed     a  Git name: served differently" in out
    assert "      name: public 'Public name', git 'Git name'" in out
    assert "  missing     b  Git name: not served" in out

    code, out, _ = run(
        capsys, config, "verify", "--env", "production", "--format", "json"
    )
    document = json.loads(out)
    assert (code, document["format_version"], document["matches"]) == (2, 1, False)
    assert document["counts"]["changed"] == document["counts"]["missing"] == 1
    field = document["products"][0]["fields"][0]
    assert (field["public"], field["git"]) == ("Public name", "Git name")

    code, out, _ = run(
        capsys, config, "verify", "--env", "production", "--format", "markdown"
    )
    assert code == 2
    assert "| `b` | missing | not served |" in out


def test_verify_exits_1_when_a_product_cannot_be_read(tmp_path, capsys, served):
    store, base_url = served
    store.seed(catalog_of("a").values())
    store.faults.fail_next("GET", f"{PUBLIC}/a", status=404, times=None)
    store.faults.fail_next("GET", PUBLIC, status=400, times=None)
    config = write_catalog(tmp_path, catalog_of("a"), _config(base_url))
    code, _, err = run(capsys, config, "verify", "--env", "production")
    assert code == 1
    assert "Error: GET /cds-au/v1/banking/products" in err


def test_verify_unreadable_detail_exits_1_after_the_report(tmp_path, capsys, served):
    store, base_url = served
    store.seed(catalog_of("a").values())
    store.faults.fail_next("GET", f"{PUBLIC}/a", status=400, times=None)
    config = write_catalog(tmp_path, catalog_of("a"), _config(base_url))
    code, out, err = run(capsys, config, "verify", "--env", "production")
    assert code == 1
    assert "  unreadable  a" in out
    assert "could not be read from the public endpoint" in err


def test_verify_wait_needs_a_duration(tmp_path, capsys, served):
    _, base_url = served
    config = write_catalog(tmp_path, catalog_of("a"), _config(base_url))
    code, _, err = run(capsys, config, "verify", "--wait", "soon")
    assert code == 1
    assert "'soon' is not a duration; write it like 90s, 2m, 1m30s or 1h" in err


def test_verify_without_a_public_endpoint_says_how_to_configure_it(
    tmp_path, capsys, served
):
    _, base_url = served
    config = write_catalog(tmp_path, catalog_of("a"), _config(base_url, public=False))
    code, _, err = run(capsys, config, "verify", "--env", "production")
    assert code == 1
    assert "environment 'production' has no public_base_url" in err


def test_drift_public_needs_no_credentials(tmp_path, capsys, served):
    store, base_url = served
    store.seed([*catalog_of("a", name="Public").values(), *catalog_of("z").values()])
    config = write_catalog(tmp_path, catalog_of("a", "b"), _config(base_url))
    code, out, err = run(capsys, config, "drift", "--env", "production", "--public")
    assert (code, err) == (2, "")
    assert "Drift in production: 1 only-in-git, 1 only-live, 1 changed." in out
    assert "Name: live Public, git Product a" in out
    code, out, _ = run(
        capsys, config, "drift", "--env", "production", "--public", "--format", "json"
    )
    assert json.loads(out)["base_url"] == base_url
    assert not any("token" in e.path for e in store.ledger.entries())

    store.reset()
    store.seed(catalog_of("a", "b").values())
    code, out, _ = run(capsys, config, "drift", "--env", "production", "--public")
    assert (code, out) == (0, "No drift: production matches git.\n")

    # Without --public, drift needs the credentials that are not configured.
    code, _, err = run(capsys, config, "drift", "--env", "production")
    assert code == 1
    assert "the variable CS_TEST_ID is not set" in err


def test_drift_public_fails_on_an_unreadable_product(tmp_path, capsys, served):
    store, base_url = served
    store.seed(catalog_of("a").values())
    store.faults.fail_next("GET", f"{PUBLIC}/a", status=400, times=None)
    config = write_catalog(tmp_path, catalog_of("a"), _config(base_url))
    code, out, err = run(capsys, config, "drift", "--env", "production", "--public")
    assert (code, out) == (1, "")
    assert "1 products could not be read from the public endpoint: a" in err


def test_drift_public_notes_an_older_served_version(tmp_path, capsys, monkeypatch):
    """A holder whose endpoint serves product detail only as x-v 6."""
    for name in ("CS_TEST_ID", "CS_TEST_SECRET"):
        monkeypatch.delenv(name, raising=False)
    store = Store()
    store.seed([product("a")])
    app = make_app(store)

    def only_v6(environ, start_response):
        if environ["PATH_INFO"].startswith(PUBLIC + "/"):
            environ["HTTP_X_V"] = environ["HTTP_X_MIN_V"] = "6"
        return app(environ, start_response)

    with serve_in_thread(only_v6) as base_url:
        config = write_catalog(
            tmp_path, {"a": product("a", brandGroup="Group")}, _config(base_url)
        )
        code, out, err = run(capsys, config, "drift", "--env", "production", "--public")
        verify_code, verify_out, _ = run(
            capsys, config, "verify", "--env", "production"
        )
    store.close()
    assert (code, out) == (0, "No drift: production matches git.\n")
    assert "Note: the endpoint serves only x-v 6 (older than the x-v 7" in err
    assert "brandGroup, instalments not compared." in err
    assert verify_code == 0
    assert "Note: the endpoint serves only x-v 6" in verify_out
