"""The plan file: versioned, checksummed, byte-identical for the same inputs."""

from __future__ import annotations

import dataclasses
import json
import os
import random
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import settings

from catalog_sync.config.model import Policy
from catalog_sync.errors import PlanFormatError
from catalog_sync.plan.build import build_plan
from catalog_sync.plan.plan import Plan
from catalog_sync.plan.planfile import plan_from_json
from catalog_sync.plan.planfile import plan_to_json
from catalog_sync.plan.planfile import seal
from tests.cds.product_strategies import catalogs

REPO = Path(__file__).resolve().parents[2]


def make_plan(desired: dict[str, Any], live: dict[str, Any]) -> Plan:
    return build_plan(
        desired,
        live,
        removal="retire",
        environment="staging",
        base_url="https://api.example.test",
        schema="cds-v7",
        now="2026-07-01T00:00:00Z",
    )


def sample_plan() -> Plan:
    desired = {
        "a": {
            "productId": "a",
            "name": "A",
            "brand": "X",
            "fees": [
                {
                    "name": "F",
                    "feeType": "EXIT",
                    "feeMethodUType": "fixedAmount",
                    "fixedAmount": {"amount": "6.00"},
                }
            ],
        },
        "new": {"productId": "new", "name": "New", "brand": "X"},
    }
    live = {
        "a": {
            "productId": "a",
            "name": "A",
            "brand": "X",
            "fees": [
                {
                    "name": "F",
                    "feeType": "EXIT",
                    "feeMethodUType": "fixedAmount",
                    "fixedAmount": {"amount": "5.00"},
                }
            ],
        },
        "old": {"productId": "old", "name": "Old", "brand": "X"},
    }
    return make_plan(desired, live)


def test_plan_json_round_trips():
    plan = sample_plan()
    text = plan_to_json(plan)
    assert plan_from_json(text) == plan
    assert plan_to_json(plan_from_json(text)) == text


def test_plan_json_is_documented_shape():
    document = json.loads(plan_to_json(sample_plan()))
    assert document["format_version"] == 3
    assert document["summary"] == {"create": 1, "update": 1, "retire": 1, "delete": 0}
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", document["checksum"])
    assert [c["action"] for c in document["changes"]] == ["create", "update", "retire"]
    assert document["timezone"] == "Australia/Sydney"
    assert document["targets"] == []
    assert document["impact"]["plan"] == "adverse"
    assert sum(document["impact"]["products"].values()) == 3
    assert [c["impact"] for c in document["changes"]] == [
        "favourable",
        document["changes"][1]["impact"],
        "adverse",
    ]
    for change in document["changes"]:
        assert sum(change["impact_counts"].values()) == len(change["field_changes"])
        assert all(f["impact"] for f in change["field_changes"])
    assert document["policy"]["adverse_changes"] == "warn"
    assert [r["rule"] for r in document["policy"]["rules"]] == [
        "adverse_changes",
        "max_rate_change_bp",
    ]


def test_plan_json_a_format_2_plan_is_refused_with_what_to_do():
    document = json.loads(plan_to_json(sample_plan()))
    document["format_version"] = 2
    with pytest.raises(PlanFormatError, match="format_version 2 is not supported"):
        plan_from_json(seal(document))


def test_plan_json_round_trips_policy_targets_and_timezone():
    plan = dataclasses.replace(
        sample_plan(),
        timezone="Australia/Perth",
        policy=Policy("block", 50, "let-it-through"),
        targets=("a", "b"),
    )
    assert plan_from_json(plan_to_json(plan)) == plan


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("adverse_changes", "maybe", "adverse_changes"),
        ("max_rate_change_bp", "100", "max_rate_change_bp"),
        ("override_label", 7, "override_label"),
    ],
)
def test_plan_json_bad_policy_is_refused(key, value, message):
    document = json.loads(plan_to_json(sample_plan()))
    document["policy"][key] = value
    with pytest.raises(PlanFormatError, match=message):
        plan_from_json(seal(document))


def test_plan_json_policy_that_is_not_an_object_is_refused():
    document = json.loads(plan_to_json(sample_plan()))
    document["policy"] = "block"
    with pytest.raises(PlanFormatError, match="'policy' should be dict"):
        plan_from_json(seal(document))


def test_plan_json_tampered_is_refused():
    text = plan_to_json(sample_plan())
    tampered = text.replace('"6.00"', '"0.00"')
    assert tampered != text
    with pytest.raises(PlanFormatError, match="checksum"):
        plan_from_json(tampered)


@pytest.mark.parametrize(
    "reformat",
    [
        lambda text: json.dumps(json.loads(text)),  # compact: valid JSON, same values
        lambda text: json.dumps(json.loads(text), indent=4),
        lambda text: text.replace('": "', '":  "', 1),  # one space more
        lambda text: text.rstrip("\n"),
    ],
)
def test_plan_json_any_byte_changed_is_refused_even_when_the_values_are_equal(reformat):
    text = plan_to_json(sample_plan())
    assert json.loads(reformat(text)) == json.loads(text)
    with pytest.raises(PlanFormatError, match="checksum"):
        plan_from_json(reformat(text))


def test_plan_json_a_format_1_plan_is_refused_with_what_to_do():
    document = json.loads(plan_to_json(sample_plan()))
    document["format_version"] = 1
    with pytest.raises(
        PlanFormatError, match="format_version 1 is not supported"
    ) as info:
        plan_from_json(seal(document))
    assert "catalog-sync plan --out" in str(info.value.hint)


def test_plan_json_a_checksum_key_inside_a_product_is_only_data():
    """Only the top-level key (two spaces in) is the checksum; a live product may hold
    anything, a "checksum" field of the same shape included."""
    live = {"a": {"productId": "a", "name": "A", "checksum": "sha256:" + "0" * 64}}
    plan = make_plan({}, live)  # retires "a": the change holds it, before and after
    text = plan_to_json(plan)
    assert text.count('"checksum": "sha256:') == 3
    assert plan_from_json(text) == plan


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "not valid JSON"),
        ("[]", "JSON object"),
        ("{}", "format_version"),
        ('{"format_version": 99}', "reads up to 3"),
        ('{"format_version": 0}', "not supported"),
    ],
)
def test_plan_json_unreadable_files_are_refused(text, message):
    with pytest.raises(PlanFormatError, match=message):
        plan_from_json(text)


def test_plan_json_missing_field_is_refused_even_with_a_fresh_checksum():
    document = json.loads(plan_to_json(sample_plan()))
    del document["environment"]
    with pytest.raises(PlanFormatError, match="environment"):
        plan_from_json(seal(document))


def test_plan_json_summary_must_match_its_changes_even_with_a_fresh_checksum():
    document = json.loads(plan_to_json(sample_plan()))
    document["summary"]["update"] += 1
    with pytest.raises(PlanFormatError, match="summary does not match the changes"):
        plan_from_json(seal(document))


@settings(max_examples=30, deadline=None)
@given(catalogs(), catalogs())
def test_plan_json_does_not_depend_on_input_order(desired, live):
    rng = random.Random(len(desired) * 31 + len(live))
    shuffled_desired = dict(rng.sample(list(desired.items()), len(desired)))
    shuffled_live = {
        pid: dict(rng.sample(list(body.items()), len(body)))
        for pid, body in rng.sample(list(live.items()), len(live))
    }
    # Neither the order of the products nor the order of their keys counts.
    assert plan_to_json(make_plan(desired, live)) == plan_to_json(
        make_plan(shuffled_desired, shuffled_live)
    )


_SCRIPT = """
import json, sys
from catalog_sync.plan.build import build_plan
from catalog_sync.plan.planfile import plan_to_json
from catalog_sync.plan.planfile import seal
desired, live = json.load(sys.stdin)
plan = build_plan(desired, live, removal="delete", environment="e", base_url="b",
                  schema="cds-v7", now="2026-07-01T00:00:00Z")
sys.stdout.write(plan_to_json(plan))
"""


def test_plan_json_is_byte_identical_across_hash_seeds():
    desired = {
        f"p{i}": {
            "productId": f"p{i}",
            "name": f"P {i}",
            "features": [{"featureType": t} for t in ("OFFSET", "REDRAW", "OTHER")],
        }
        for i in range(20)
    }
    live = {f"p{i}": {"productId": f"p{i}", "name": f"Q {i}"} for i in range(5, 30)}
    stdin = json.dumps([desired, live])
    outputs = set()
    for seed in ("0", "1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(
            [sys.executable, "-c", _SCRIPT],
            input=stdin,
            capture_output=True,
            text=True,
            env=env,
            cwd=REPO,
            check=True,
            timeout=60,
        )
        outputs.add(result.stdout)
    assert len(outputs) == 1
    assert json.loads(outputs.pop())["summary"]["update"] == 15


def _set_change(index: int, value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(document: dict[str, Any]) -> None:
        document["changes"][index] = value

    return edit


def _set_field_change(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(document: dict[str, Any]) -> None:
        (update,) = [c for c in document["changes"] if c["action"] == "update"]
        if key:
            update["field_changes"][0][key] = value
        else:
            update["field_changes"][0] = value

    return edit


def _set_top(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(document: dict[str, Any]) -> None:
        document[key] = value

    return edit


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (_set_change(0, "create"), "a change is not an object"),
        (_set_field_change("", ["fixedAmount"]), "a field change is not an object"),
        (_set_field_change("unit", "percent"), "unknown unit 'percent'"),
        (
            _set_field_change("kind", "moved"),
            "'kind' is 'moved', expected one of added, removed, changed",
        ),
        (_set_top("environment", 7), "'environment' should be str, not int"),
        (
            _set_top("removal", "archive"),
            "'removal' is 'archive', expected one of retire, delete, keep",
        ),
    ],
)
def test_plan_json_wrong_shapes_are_refused_even_with_a_fresh_checksum(edit, message):
    """A plan written by something else (or edited and re-checksummed) is refused
    with what is wrong, not a traceback."""
    document = json.loads(plan_to_json(sample_plan()))
    edit(document)
    with pytest.raises(PlanFormatError) as info:
        plan_from_json(seal(document))
    assert info.value.message == f"the plan file is malformed: {message}"
    assert info.value.hint == "save a new plan with `catalog-sync plan --out FILE`"
