"""`PublicProducts` is a whole read-only ProductsApi: plan's summaries check can read a
published product's detail through it (issue 15, item 11)."""

from __future__ import annotations

from pathlib import Path

from catalog_sync.config.model import default_config
from catalog_sync.emulator.store import Store
from catalog_sync.github.public_plan import PublicProducts
from catalog_sync.targets import open_public_reader
from tests.apply.harness import product


def test_a_published_products_detail_is_read_by_id(tmp_path: Path):
    config = default_config(tmp_path)
    env = config.environment(None)
    assert env.db_path is not None
    env.db_path.parent.mkdir(parents=True)
    seeded = Store(env.db_path)
    seeded.seed([product("p1", features=[{"featureType": "CARD_ACCESS"}])])
    seeded.close()
    products = PublicProducts(open_public_reader(config, env))
    try:
        found = products.get_product("p1")
        assert found is not None
        assert found["features"] == [{"featureType": "CARD_ACCESS"}]
        assert products.get_product("absent") is None
    finally:
        products.close()
