"""The emulator validates write bodies like `validate`, holder extension fields included:
accepted and stored as sent with `extension_prefixes` (`--extension-prefix`), refused
with a hint naming the option without."""

from __future__ import annotations

import httpx
import pytest

from catalog_sync.cli import main
from catalog_sync.emulator.app import make_app
from catalog_sync.emulator.store import Store
from catalog_sync.emulator.transport import EmulatorTransport
from tests.apply.harness import product
from tests.conftest import EMULATOR_BASE_URL
from tests.conftest import issue_token

PRODUCTS = "/v1/data-provider/cdr/products"
EXTENDED = product(
    "ext",
    **{"WBC-code": "A1"},
    features=[{"featureType": "OTHER", "additionalInfo": "x", "WBC-meta": {"n": 1}}],
)


def _client(store: Store, prefixes: tuple[str, ...] = ()) -> httpx.Client:
    app = make_app(store, extension_prefixes=prefixes)
    headers = {"Authorization": f"Bearer {issue_token(store)}"}
    return httpx.Client(
        transport=EmulatorTransport(app), base_url=EMULATOR_BASE_URL, headers=headers
    )


def test_listed_extension_fields_are_accepted_and_stored_as_sent(emulator_store):
    with _client(emulator_store, ("WBC",)) as api:
        assert api.post(PRODUCTS, json=EXTENDED).status_code == 201
        stored = api.get(f"{PRODUCTS}/ext").json()["data"]
    del stored["lastUpdated"]
    assert stored == EXTENDED


def test_unlisted_extension_fields_are_422_with_a_hint(emulator_store):
    with _client(emulator_store) as api:
        response = api.post(PRODUCTS, json=EXTENDED)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [e["meta"]["path"] for e in errors] == ["WBC-code", "features[0].WBC-meta"]
    assert "`extension_prefixes: [WBC]`" in errors[0]["meta"]["hint"]


@pytest.mark.parametrize(
    ("prefix", "message"),
    [
        ("WBC-", "write 'WBC' without its hyphen"),
        ("W.B", "'W.B' is not a holder identifier"),
    ],
)
def test_the_emulator_refuses_a_bad_extension_prefix(capsys, prefix, message):
    with pytest.raises(SystemExit) as exit_info:
        main(["emulator", "--port", "0", "--extension-prefix", prefix])
    assert exit_info.value.code == 1
    assert f"--extension-prefix: {message}" in capsys.readouterr().err
