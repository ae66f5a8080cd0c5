"""Fixtures for doctor tests: the example catalog seeded into an emulator store, served
over loopback HTTP behind a `catalog-sync.yaml` whose `staging` environment points at it,
and `run(...)` driving the real CLI entry point."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from catalog_sync.cli import main
from catalog_sync.config.model import ApiContract
from catalog_sync.emulator.app import make_app
from catalog_sync.emulator.seed import load_seed_dir
from catalog_sync.emulator.server import serve_in_thread
from catalog_sync.emulator.store import LOCAL_CLIENT_ID
from catalog_sync.emulator.store import LOCAL_CLIENT_SECRET
from catalog_sync.emulator.store import Store
from catalog_sync.emulator.transport import EmulatorTransport
from catalog_sync.fiskil.connect import ClientOptions
from catalog_sync.fiskil.connect import Credentials
from catalog_sync.fiskil.connect import connect_products
from catalog_sync.fiskil.products import ProductsClient
from catalog_sync.fiskil.redact import Secret
from tests.conftest import FakeClock

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = load_seed_dir(ROOT / "products")
ID_VAR, SECRET_VAR = "CS_DOCTOR_ID", "CS_DOCTOR_SECRET"
PRODUCT_WRITES = ("POST", "PUT", "PATCH", "DELETE")


@dataclass
class Doctor:
    """The served store and a config file; `run` returns (exit code, stdout)."""

    store: Store
    base_url: str
    root: Path
    capsys: pytest.CaptureFixture[str]

    def configure(
        self, extra: str = "", *, public: bool = True, env_extra: str = ""
    ) -> Path:
        public_line = f"    public_base_url: {self.base_url}\n" if public else ""
        path = self.root / "catalog-sync.yaml"
        path.write_text(
            f"{extra}environments:\n  staging:\n    base_url: {self.base_url}\n"
            f"{public_line}    client_id_env: {ID_VAR}\n"
            f"    client_secret_env: {SECRET_VAR}\n{env_extra}",
            encoding="utf-8",
        )
        return path

    def run(self, *args: str, config: Path | None = None) -> tuple[int, str]:
        path = config or self.root / "catalog-sync.yaml"
        if not path.exists():
            self.configure()
        with pytest.raises(SystemExit) as info:
            main(["--config", str(path), "doctor", "--env", "staging", *args])
        out = self.capsys.readouterr()
        assert LOCAL_CLIENT_SECRET not in out.out + out.err
        assert isinstance(info.value.code, int)
        return info.value.code, out.out

    def product_writes(self) -> list[str]:
        return [
            f"{e.method} {e.path}"
            for e in self.store.ledger.entries(path="/v1/data-provider/cdr/products*")
            if e.method in PRODUCT_WRITES
        ]


@pytest.fixture
def doctor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[Doctor]:
    monkeypatch.setenv(ID_VAR, LOCAL_CLIENT_ID)
    monkeypatch.setenv(SECRET_VAR, LOCAL_CLIENT_SECRET)
    store = Store()
    store.seed(EXAMPLES)
    with serve_in_thread(make_app(store)) as base_url:
        yield Doctor(store, base_url, tmp_path, capsys)
    store.close()


def line(out: str, check: str) -> str:
    """The output line of one check."""
    found = [
        text
        for text in out.splitlines()
        if text[:1] in "✓✗?!-" and text[2:].startswith(f"{check}: ")
    ]
    assert len(found) == 1, out
    return found[0]


BASE_URL = "http://emulator.localhost"
PRODUCTS = "/v1/data-provider/cdr/products"


@pytest.fixture
def store() -> Iterator[Store]:
    """The example catalog in an in-process store (for checks called directly)."""
    store = Store()
    store.seed(EXAMPLES)
    yield store
    store.close()


def connect(
    store: Store, transport: httpx.BaseTransport | None = None, **api: Any
) -> ProductsClient:
    """A client for `store` in-process (or through `transport`), with api overrides."""
    return connect_products(
        BASE_URL,
        Credentials(LOCAL_CLIENT_ID, Secret(LOCAL_CLIENT_SECRET)),
        api=replace(ApiContract(), **api),
        options=ClientOptions(
            clock=FakeClock(),
            transport=transport or EmulatorTransport(make_app(store)),
        ),
    )
