"""The fields each detail version added, checked against the generated schemas."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from catalog_sync.verify.versions import FIELDS_ADDED_IN
from catalog_sync.verify.versions import fields_not_served
from catalog_sync.verify.versions import schema_version

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"


def _top_level_fields(name: str) -> set[str]:
    """Every property a product may have at the top level, through $ref and allOf."""
    root = json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))
    definitions = root.get("$defs") or root.get("definitions") or {}
    found: set[str] = set()

    def walk(node: Any, depth: int = 0) -> None:
        if not isinstance(node, dict) or depth > 10:
            return
        if "$ref" in node:
            walk(definitions[node["$ref"].rsplit("/", 1)[1]], depth + 1)
        for key in ("allOf", "anyOf", "oneOf"):
            for sub in node.get(key, []):
                walk(sub, depth + 1)
        for key in ("then", "else"):
            walk(node.get(key), depth + 1)
        found.update(node.get("properties", {}))

    walk(root)
    return found


def test_the_v7_fields_are_exactly_what_the_schemas_add():
    added = _top_level_fields("cds-v7") - _top_level_fields("cds-v6")
    assert added == FIELDS_ADDED_IN[7]
    assert _top_level_fields("cds-v6") <= _top_level_fields("cds-v7")


def test_fields_not_served_and_schema_versions():
    assert fields_not_served(6, 7) == ("brandGroup", "instalments")
    assert fields_not_served(7, 7) == ()
    assert fields_not_served(4, 7) == ("brandGroup", "instalments")
    assert (schema_version("cds-v7"), schema_version("cds-v6")) == (7, 6)
