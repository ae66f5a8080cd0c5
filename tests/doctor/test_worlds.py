"""`catalog-sync doctor` over loopback HTTP against the emulator playing each world the
checks must detect: the exact ✗ (or !), the key named, the exit code, what --suggest
prints, and from the emulator's ledger that nothing was written without --check-write."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest
import yaml

from catalog_sync.cli import main
from catalog_sync.config.load import load_config
from catalog_sync.emulator.faults import World
from tests.doctor.conftest import Doctor
from tests.doctor.conftest import line


def test_doctor_against_the_default_emulator_passes_and_writes_nothing(doctor: Doctor):
    code, out = doctor.run()
    assert code == 0, out
    assert out.startswith(f"doctor: staging ({doctor.base_url})\n")
    assert "11 ok; exit 0\n" in out
    assert all(text.startswith("✓ ") for text in out.splitlines()[1:-1])
    assert doctor.product_writes() == []
    assert doctor.store.ledger.count("GET", "/cds-au/*") >= 2  # the public checks ran


def test_doctor_check_write_sends_only_the_auth_check_probe(doctor: Doctor):
    code, out = doctor.run("--check-write")
    assert code == 0, out
    writes = doctor.product_writes()
    assert len(writes) == 1
    assert writes[0].startswith(
        "DELETE /v1/data-provider/cdr/products/catalog-sync-auth-probe-"
    )
    assert (
        "✓ write: apply may write (decided by DELETE of a productId that cannot " in out
    )


def test_doctor_summaries_fail_naming_list_returns_details(doctor: Doctor):
    doctor.store.summaries = True
    code, out = doctor.run("--suggest")
    assert code == 1
    assert line(out, "list-details").startswith(
        "✗ list-details: the list returns summaries"
    )
    assert "→ fix: api.list_returns_details: false" in line(out, "list-details")
    assert (
        "\napi:\n  list_returns_details: false  # was true: the list returns summaries; "
        "details are fetched one by one\n"
    ) in out
    assert doctor.product_writes() == []


def test_doctor_after_the_suggestion_is_pasted_passes(doctor: Doctor):
    doctor.store.summaries = True
    _, out = doctor.run("--suggest")
    block = out.split("\n\n", 1)[1]
    config = doctor.configure(block.split("\n", 1)[1])  # without the heading comment
    assert load_config(config).api.list_returns_details is False
    code, out = doctor.run(config=config)
    assert code == 0, out
    assert "✓ list-details: the list returns summaries" in out


def test_doctor_other_paging_names_name_both_keys(doctor: Doctor):
    doctor.store.world = World(page_param="pageNumber", page_size_param="pageSize")
    code, out = doctor.run("--suggest")
    assert code == 1
    assert line(out, "page-size") == (
        "! page-size: asked for 3 products per page with page-size=3 and got 16: the "
        "server ignores page-size → fix: api.page_size_param: pageSize"
    )
    assert line(out, "paging") == (
        "✗ paging: page=2 lists the same products as page=1: the server ignores page "
        "→ fix: api.page_param: pageNumber"
    )
    assert "  page_param: pageNumber  # was page: " in out
    assert "  page_size_param: pageSize  # was page-size: " in out
    config = doctor.configure(
        "api:\n  page_param: pageNumber\n  page_size_param: pageSize\n"
    )
    assert doctor.run(config=config)[0] == 0


def test_doctor_cursor_paging_needs_paging_next_link(doctor: Doctor, tmp_path):
    doctor.store.world = World(cursor=True)
    code, out = doctor.run("--suggest")
    assert code == 1
    assert line(out, "paging") == (
        "✗ paging: page=2 lists the same products as page=1; links.next carries a "
        "cursor (cursor), not a page number → fix: api.paging: next-link (follow "
        "links.next)"
    )
    assert "  paging: next-link  # was page: the server pages by a cursor" in out
    config = doctor.configure("api:\n  paging: next-link\n  page_size: 5\n")
    code, out = doctor.run(config=config)
    assert code == 0, out
    assert "✓ paging: links.next leads to other products" in out


def test_doctor_no_etag_exits_2_suggesting_stale_check(doctor: Doctor):
    doctor.store.world = World(etag=False)
    code, out = doctor.run("--suggest")
    assert code == 2
    assert line(out, "etag").startswith("! etag: products come without an ETag")
    assert "→ fix: api.stale_check: auto" in out
    assert "  stale_check: auto  # was get: no ETag" in out
    assert "1 work but differ from the configuration; exit 2" in out


def test_doctor_v6_only_public_endpoint_fails_naming_schema(doctor: Doctor):
    doctor.store.world = World(public_versions=frozenset({6}))
    code, out = doctor.run("--suggest")
    assert code == 1
    assert line(out, "public") == (
        "✗ public: answers without credentials; product detail x-v 6, but schema: "
        "cds-v7 validates V7 products → fix: schema: cds-v6"
    )
    assert (
        "\nschema: cds-v6  # was cds-v7: the public endpoint serves product detail "
        in out
    )
    config = doctor.configure("schema: cds-v6\n")
    assert doctor.run(config=config)[0] == 0


def test_doctor_v7_only_public_endpoint_fails_a_v6_catalog(doctor: Doctor):
    doctor.store.world = World(public_versions=frozenset({7}))
    code, out = doctor.run(config=doctor.configure("schema: cds-v6\n"))
    assert code == 1
    assert "→ fix: schema: cds-v7" in line(out, "public")


def test_doctor_skewed_date_fails_the_clock_check(doctor: Doctor):
    doctor.store.world = World(date_skew=-3600)
    code, out = doctor.run()
    assert code == 1
    # A Date has whole seconds, and the response takes a moment to arrive.
    assert re.fullmatch(
        r"✗ clock: the server's Date is 36\d\d s behind this machine's clock → fix: "
        r"set this machine's clock \(NTP\); .*",
        line(out, "clock"),
    )


def test_doctor_json_is_versioned_and_carries_the_suggestion(doctor: Doctor):
    doctor.store.summaries = True
    code, out = doctor.run("--format", "json", "--suggest")
    document = json.loads(out)
    assert code == document["exit_code"] == 1
    assert document["format_version"] == 1
    statuses = {c["check"]: c["status"] for c in document["checks"]}
    assert statuses["list-details"] == "fail"
    assert statuses["token"] == "ok"
    assert document["suggestion"]["changed"] == ["api.list_returns_details"]
    assert document["suggestion"]["api"] == {"list_returns_details": False}


def test_doctor_suggests_at_the_environment_level_when_others_share_api(doctor: Doctor):
    doctor.store.summaries = True
    production = (
        "  production:\n    base_url: https://api.fiskil.com\n"
        "    client_id_env: P_ID\n    client_secret_env: P_SECRET\n"
    )
    config = doctor.configure("api:\n  retry_budget: 20\n", env_extra=production)
    _, out = doctor.run("--suggest", config=config)
    block = out.split("\n\n", 1)[1]
    assert (
        "environments:\n  staging:  # keep its other keys (base_url, ...)\n"
        "    api:  # merged over the global api:\n"
        "      list_returns_details: false  # was true:"
    ) in block
    pasted = yaml.safe_load(block)["environments"]["staging"]["api"]
    merged = doctor.configure(
        "api:\n  retry_budget: 20\n",
        env_extra=f"    api: {json.dumps(pasted)}\n{production}",
    )
    loaded = load_config(merged)
    staging = loaded.api_for(loaded.environments["staging"])
    assert staging == replace(loaded.api, list_returns_details=False)
    assert loaded.api_for(loaded.environments["production"]).list_returns_details
    assert staging.retry_budget == 20
    code, out = doctor.run("--suggest", config=merged)
    assert code == 0, out
    assert "list_returns_details: false\n" in out  # kept, no longer a change


def test_doctor_strict_fails_what_could_not_be_told(doctor: Doctor):
    doctor.store.reset()  # an empty catalog: nothing to page or compare
    code, out = doctor.run()
    assert code == 0, out
    assert line(out, "list-details").startswith("? list-details: no listed product")
    assert doctor.run("--strict")[0] == 1


def test_doctor_without_public_base_url_skips_the_public_check(doctor: Doctor):
    code, out = doctor.run(config=doctor.configure(public=False))
    assert code == 0
    assert line(out, "public") == (
        "- public: public_base_url is not set → fix: set "
        "environments.staging.public_base_url to the Data Provider domain to check "
        "the public endpoint"
    )


def test_doctor_wrong_secret_fails_the_token_check_without_echoing(
    doctor: Doctor, monkeypatch
):
    monkeypatch.setenv("CS_DOCTOR_SECRET", "not-the-secret-42")
    code, out = doctor.run()
    assert code == 1
    assert "not-the-secret-42" not in out
    assert line(out, "token").startswith(
        "✗ token: POST /v1/token: 401 credentials rejected"
    )
    assert "list" not in out.split("✗ token")[1]  # nothing after the token is checked


def test_doctor_unset_variables_are_named(doctor: Doctor, monkeypatch):
    monkeypatch.delenv("CS_DOCTOR_SECRET")
    code, out = doctor.run()
    assert code == 1
    assert line(out, "configuration").startswith(
        "✗ configuration: CS_DOCTOR_SECRET not set → fix: export CS_DOCTOR_ID and "
        "CS_DOCTOR_SECRET with the staging API key"
    )


def test_doctor_unknown_environment(doctor: Doctor, capsys):
    config = doctor.configure()
    with pytest.raises(SystemExit) as info:
        main(["--config", str(config), "doctor", "--env", "nope", "--suggest"])
    assert info.value.code == 1
    out = capsys.readouterr().out
    assert out.startswith(
        "doctor: nope ()\n✗ configuration: unknown environment 'nope'"
    )


def test_doctor_refuses_plain_http_to_another_host(doctor: Doctor):
    config = doctor.configure()
    config.write_text(
        config.read_text().replace(doctor.base_url, "http://example.com", 1)
    )
    code, out = doctor.run(config=config)
    assert code == 1
    assert (
        "✗ configuration: environments.staging.base_url 'http://example.com' uses plain"
        in out
    )


def test_doctor_on_the_embedded_local_environment(tmp_path, capsys):
    with_config = tmp_path / "catalog-sync.yaml"
    with_config.write_text("environments:\n  local:\n    target: embedded\n")
    with pytest.raises(SystemExit) as info:
        main(["--config", str(with_config), "doctor"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "✓ configuration: local is the embedded emulator (" in out
    assert "✓ public: answers without credentials; product detail x-v 6 and 7" in out


def test_doctor_stops_the_list_checks_when_the_list_fails(doctor: Doctor):
    doctor.store.faults.fail_next(
        "GET", "/v1/data-provider/cdr/products", status=404, times=None
    )
    code, out = doctor.run()
    assert code == 1
    assert line(out, "list").endswith(
        "→ fix: check api.products_path (now /v1/data-provider/cdr/products)"
    )
    assert "page-size:" not in out
    assert line(out, "public").startswith("✓ public")
