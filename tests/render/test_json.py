"""render_json: the plan file, documented and versioned."""

from __future__ import annotations

import json

from catalog_sync.plan.planfile import plan_from_json
from catalog_sync.plan.planfile import plan_to_json
from catalog_sync.render.json import render_json
from tests.render.plans import mixed_plan


def test_render_json_is_the_plan_file():
    plan = mixed_plan()
    assert render_json(plan) == plan_to_json(plan)
    assert plan_from_json(render_json(plan)) == plan


def test_render_json_documented_fields():
    document = json.loads(render_json(mixed_plan()))
    assert set(document) == {
        "format_version",
        "tool_version",
        "environment",
        "base_url",
        "schema",
        "products_dir",
        "removal",
        "desired_digest",
        "live_fingerprints",
        "retired_live",
        "summary",
        "changes",
        "checksum",
        "timezone",
        "targets",
        "impact",
        "policy",
        "likely_renames",
    }
    update = next(c for c in document["changes"] if c["action"] == "update")
    assert set(update) == {
        "action",
        "product_id",
        "brand",
        "category",
        "name",
        "file",
        "before",
        "after",
        "live_fingerprint",
        "field_changes",
        "impact",
        "impact_counts",
    }
    assert set(update["field_changes"][0]) == {
        "path",
        "label",
        "subject",
        "field",
        "kind",
        "before",
        "after",
        "unit",
        "impact",
    }
