"""apply's verify step through the real entry point over loopback HTTP: the report says
whether customers see the change (and how long it took), `--no-verify`,
`--require-visible`, a public endpoint that cannot be used; and on a fake clock, the
stale-public fault and the wait."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from catalog_sync.audit.reading import read_record
from catalog_sync.audited import VerifySettings
from catalog_sync.audited import apply_audited
from catalog_sync.config.model import Environment
from catalog_sync.config.model import default_config
from catalog_sync.emulator.app import make_app
from catalog_sync.emulator.server import serve_in_thread
from catalog_sync.emulator.store import Store
from catalog_sync.emulator.transport import EmulatorTransport
from catalog_sync.fiskil.connect import ClientOptions
from catalog_sync.targets import open_products_api
from catalog_sync.workflow import ApplySettings
from catalog_sync.workflow import make_plan
from tests.apply.harness import product
from tests.cli.catalogs import catalog_of
from tests.cli.catalogs import run
from tests.cli.catalogs import write_catalog
from tests.conftest import FakeClock

PUBLIC = "/cds-au/v1/banking/products"


@pytest.fixture
def served(monkeypatch) -> Iterator[tuple[Store, str]]:
    monkeypatch.setenv("CS_TEST_ID", "local")
    monkeypatch.setenv("CS_TEST_SECRET", "local-secret")
    store = Store()
    with serve_in_thread(make_app(store)) as base_url:
        yield store, base_url
    store.close()


def _config(base_url: str, public: str | None = None) -> str:
    return (
        f"removal: delete\nenvironments:\n  staging:\n    base_url: {base_url}\n"
        "    client_id_env: CS_TEST_ID\n    client_secret_env: CS_TEST_SECRET\n"
        f"    public_base_url: {public or base_url}\n"
    )


def _apply(capsys, config: Path, *args: str) -> tuple[int, str, str]:
    return run(capsys, config, "apply", "--env", "staging", "--auto-approve", *args)


def test_apply_reports_that_customers_see_the_change(tmp_path, capsys, served):
    store, base_url = served
    config = write_catalog(tmp_path, catalog_of("a", "b"), _config(base_url))
    report = tmp_path / "report.json"
    code, out, _ = _apply(capsys, config, "--report", str(report))
    assert code == 0
    assert (
        f"Visible to customers: the public endpoint of staging ({base_url}) serves "
        "all 2 changed products as applied, at once." in out
    )
    document = json.loads(report.read_text())
    assert document["verify"]["visible"] is True
    assert document["verify"]["report"]["counts"]["matches"] == 2
    assert Path(document["audit_record"]).exists()
    public = [e for e in store.ledger.entries() if e.path.startswith(PUBLIC)]
    assert sorted(e.path for e in public) == [f"{PUBLIC}/a", f"{PUBLIC}/b"]
    assert all("authorization" not in e.headers for e in public)

    markdown = tmp_path / "report.md"
    write_catalog(tmp_path, catalog_of("a", "b", name="Renamed"), _config(base_url))
    code, _, _ = _apply(capsys, config, "--report", str(markdown))
    text = markdown.read_text()
    assert code == 0
    assert "#### ✅ Customers: Visible to customers" in text
    assert "Audit record: `" in text


def test_a_change_not_yet_visible_is_reported_not_a_failure(tmp_path, capsys, served):
    store, base_url = served
    store.public_lag.set(600)
    config = write_catalog(tmp_path, catalog_of("a"), _config(base_url))
    code, out, _ = _apply(capsys, config, "--verify-wait", "0")
    assert code == 0
    assert "Apply complete: 1 done" in out
    assert "Not visible to customers yet: 1 of 1 changed products" in out
    assert "  missing     a  Product a: not served" in out
    assert "Fiskil may hold a change for approval" in out

    write_catalog(tmp_path, catalog_of("a", name="Renamed"), _config(base_url))
    code, out, err = _apply(capsys, config, "--verify-wait", "0s", "--require-visible")
    assert code == 1
    assert "Apply complete: 1 done" in out
    assert "customers do not see it yet (--require-visible)" in err


def test_no_verify_reads_nothing_public(tmp_path, capsys, served):
    store, base_url = served
    config = write_catalog(tmp_path, catalog_of("a"), _config(base_url))
    code, _, err = _apply(capsys, config, "--no-verify", "--require-visible")
    assert code == 1
    assert "--require-visible needs the verify step: drop --no-verify" in err
    code, out, _ = _apply(capsys, config, "--no-verify")
    assert code == 0
    assert "Customers: not checked (--no-verify)." in out
    assert not [e for e in store.ledger.entries() if e.path.startswith(PUBLIC)]


def test_an_unusable_public_endpoint_is_reported_and_the_apply_stands(
    tmp_path, capsys, served
):
    _, base_url = served
    config = write_catalog(
        tmp_path, catalog_of("a"), _config(base_url, "http://public.example.com")
    )
    code, out, _ = _apply(capsys, config)
    assert code == 0
    assert "Customers: could not verify what the public endpoint serves:" in out
    assert "plain http" in out
    code, _, _err = _apply(capsys, config, "--require-visible")  # nothing changed
    assert code == 0


def test_require_visible_needs_a_public_endpoint(tmp_path, capsys, served):
    store, base_url = served
    text = _config(base_url).replace(f"    public_base_url: {base_url}\n", "")
    config = write_catalog(tmp_path, catalog_of("a"), text)
    code, _, err = _apply(capsys, config, "--require-visible")
    assert code == 1
    assert "environment 'staging' has no public_base_url" in err
    assert store.products() == {}


def test_a_failed_apply_is_not_verified(tmp_path, capsys, served):
    store, base_url = served
    store.faults.fail_next("POST", "/v1/data-provider/cdr/products", status=400)
    config = write_catalog(tmp_path, catalog_of("a"), _config(base_url))
    code, out, _ = _apply(capsys, config)
    assert code == 1
    assert "Customers: not checked (the apply did not complete)." in out


def test_apply_waits_for_stale_public_data_and_says_how_long_it_took(tmp_path):
    """On a fake clock shared with the emulator: the public endpoint lags 20 s."""
    clock = FakeClock()
    store = Store(now=clock.now)
    store.public_lag.set(20)
    env = Environment(
        "staging",
        "http",
        base_url="https://api.example",
        client_id_env="I",
        client_secret_env="S",
        public_base_url="https://public.example",
    )
    config = replace(default_config(tmp_path), environments={"staging": env})

    def connect(environment, need, max_in_flight):
        return open_products_api(
            config,
            environment,
            need=need,
            options=ClientOptions(
                transport=EmulatorTransport(make_app(store)),
                clock=clock,
                max_in_flight=max_in_flight,
            ),
            environ={"I": "local", "S": "local-secret"},
        )

    plan = make_plan(config, "staging", desired={"a": product("a")}, connect=connect)
    run = apply_audited(
        config,
        plan,
        settings=ApplySettings(),
        verify=VerifySettings(wait=120),
        environ={},
        connect=connect,
        clock=clock,
        public_transport=EmulatorTransport(make_app(store)),
    )
    store.close()
    assert run.is_visible
    assert run.verification is not None
    assert [c.appeared_after for c in run.verification.checks] == [29.0]
    record = read_record(run.audit_path)
    assert record.end is not None
    assert record.end["verify"]["report"]["products"][0]["appeared_after_seconds"] == 29
    phases = [e["phase"] for e in record.events if e["type"] == "call"]
    assert phases.count("verify") == 5  # readings at 0, 2, 6, 14 and 29 s


def _local_with_public(tmp_path: Path):
    env = Environment(
        "local",
        "embedded",
        db_path=tmp_path / "local.db",
        public_base_url="https://public.example",
    )
    return replace(default_config(tmp_path), environments={"local": env})


@pytest.mark.parametrize(
    ("raised", "outcome", "error"),
    [
        (KeyboardInterrupt(), "interrupted", None),
        (RuntimeError("x"), "error", "RuntimeError"),
    ],
)
def test_an_apply_stopped_by_an_exception_closes_its_record(
    tmp_path, raised, outcome, error
):
    config = _local_with_public(tmp_path)
    plan = make_plan(config, None, desired={"a": product("a")})

    def connect(environment, need, max_in_flight):
        raise raised

    with pytest.raises(type(raised)):
        apply_audited(
            config,
            plan,
            settings=ApplySettings(),
            verify=VerifySettings(),
            environ={},
            connect=connect,
        )
    [path] = (tmp_path / ".catalog-sync" / "audit").glob("*.json")
    end = read_record(path).end
    assert end is not None
    assert (end["outcome"], end["error"]) == (outcome, error)


def test_nothing_changed_is_not_verified(tmp_path):
    config = _local_with_public(tmp_path)
    plan = make_plan(config, None, desired={})
    run = apply_audited(
        config, plan, settings=ApplySettings(), verify=VerifySettings(), environ={}
    )
    assert (run.verify_skipped, run.verification) == ("nothing was changed", None)
