from __future__ import annotations

import json

from catalog_sync.catalog.cache import ValidationCache
from catalog_sync.catalog.cache import cache_key
from catalog_sync.catalog.rules import ProductFacts
from catalog_sync.problems import Problem

PROBLEM = Problem(
    "old/path.yaml", 3, 5, "name", "too long", "shorten it", "schema.too-long"
)
FACTS = ProductFacts(
    "old/path.yaml", "a", (1, 12), (("b", "bundles[0].productIds[0]", 9, 9),)
)


def open_cache(tmp_path, key="k1") -> ValidationCache:
    return ValidationCache.open(
        tmp_path / ".catalog-sync", schema_name="cds-v7", key=key
    )


def test_validation_cache_round_trips_problems_and_facts_under_the_current_path(
    tmp_path,
):
    cache = open_cache(tmp_path)
    cache.put("d1", [PROBLEM], FACTS)
    cache.put("d2", [], None)
    cache.save(prune=False)
    again = open_cache(tmp_path)
    hit = again.get("d1", "products/new.yaml")
    assert hit is not None
    (problem,) = hit.problems
    assert problem == Problem(
        "products/new.yaml", 3, 5, "name", "too long", "shorten it", "schema.too-long"
    )
    assert hit.facts is not None
    assert hit.facts.display_path == "products/new.yaml"
    assert hit.facts.bundle_refs == FACTS.bundle_refs
    empty = again.get("d2", "x.yaml")
    assert empty is not None
    assert empty.problems == ()
    assert empty.facts is None
    assert again.get("unknown", "x.yaml") is None


def test_validation_cache_with_another_key_starts_empty(tmp_path):
    cache = open_cache(tmp_path, key="old")
    cache.put("d1", [], FACTS)
    cache.save(prune=False)
    assert open_cache(tmp_path, key="new").get("d1", "x.yaml") is None


def test_validation_cache_ignores_a_corrupt_file(tmp_path):
    path = tmp_path / ".catalog-sync" / "validate-cache-cds-v7.json"
    path.parent.mkdir()
    for body in ["{not json", "[]", '{"key": "k1", "entries": []}', "\x00\xff"]:
        path.write_text(body)
        cache = open_cache(tmp_path)
        assert cache.get("d1", "x.yaml") is None
        cache.put("d1", [], None)
        cache.save(prune=False)
        assert open_cache(tmp_path).get("d1", "x.yaml") is not None


def test_validation_cache_treats_a_damaged_entry_as_a_miss(tmp_path):
    path = tmp_path / ".catalog-sync" / "validate-cache-cds-v7.json"
    path.parent.mkdir()
    entries = {
        "d1": {"problems": [[1, 2]], "facts": None},
        "d2": {"problems": [], "facts": {"product_id": []}},
        "d3": "nonsense",
        "d5": {"problems": [[1, 2, 3, "m", None, "c"]], "facts": None},
        "d4": {
            "problems": [],
            "facts": {
                "product_id": [123, 1, 1],
                "bundle_refs": [],
                "effective_from": [None, 1, 1],
                "effective_to": [None, 1, 1],
            },
        },
    }
    path.write_text(json.dumps({"format": 1, "key": "k1", "entries": entries}))
    cache = open_cache(tmp_path)
    digests = ("d1", "d2", "d3", "d4", "d5")
    assert [cache.get(d, "x.yaml") for d in digests] == [None] * 5


def test_validation_cache_prunes_entries_not_used_in_a_full_run(tmp_path):
    cache = open_cache(tmp_path)
    cache.put("gone", [], None)
    cache.put("kept", [], None)
    cache.save(prune=False)
    second = open_cache(tmp_path)
    assert second.get("kept", "x.yaml") is not None
    second.save(prune=True)
    third = open_cache(tmp_path)
    assert third.get("gone", "x.yaml") is None
    assert third.get("kept", "x.yaml") is not None


def test_validation_cache_writes_atomically_and_leaves_no_temporary_files(tmp_path):
    cache = open_cache(tmp_path)
    cache.put("d1", [PROBLEM], FACTS)
    cache.save(prune=False)
    files = sorted(p.name for p in (tmp_path / ".catalog-sync").iterdir())
    assert files == ["validate-cache-cds-v7.json"]


def test_validation_cache_save_survives_an_unwritable_location(tmp_path):
    blocker = tmp_path / ".catalog-sync"
    blocker.write_text("a file where the folder should be")
    cache = open_cache(tmp_path)
    cache.put("d1", [], None)
    cache.save(prune=False)  # no exception: the cache is only an optimisation
    assert blocker.read_text() == "a file where the folder should be"


def test_cache_key_changes_with_schema_and_fingerprint():
    base = cache_key("cds-v7", "f1")
    assert base == cache_key("cds-v7", "f1")
    assert base != cache_key("cds-v6", "f1")
    assert base != cache_key("cds-v7", "f2")


def test_validation_cache_save_that_cannot_replace_leaves_no_temporary_file(tmp_path):
    cache = open_cache(tmp_path)
    cache.path.mkdir(parents=True)  # a folder where the cache file should be
    cache.put("d1", [], None)
    cache.save(prune=False)  # no exception: the cache is only an optimisation
    assert cache.path.is_dir()
    assert [p.name for p in cache.path.parent.iterdir()] == [cache.path.name]
