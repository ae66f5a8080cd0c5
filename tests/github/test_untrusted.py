"""`neutralise` and `neutralise_plan`: every string of a fork's plan made harmless for a
GitHub comment (issue 15, item 9)."""

from __future__ import annotations

import pytest

from catalog_sync.errors import GitHubError
from catalog_sync.github.untrusted import JOINER
from catalog_sync.github.untrusted import MAX_DEPTH
from catalog_sync.github.untrusted import neutralise
from catalog_sync.github.untrusted import neutralise_plan
from catalog_sync.plan.diff import FieldChange
from catalog_sync.plan.plan import Action
from catalog_sync.plan.plan import Change
from catalog_sync.plan.plan import Plan
from tests.github.hostile import HOSTILE
from tests.github.hostile import MORE_HOSTILE
from tests.github.hostile import assert_harmless


def test_the_issue_body_is_neutralised_and_still_readable():
    text = neutralise(HOSTILE)
    assert_harmless(text)
    assert text.replace(JOINER, "") == (
        '@org/team @someone #1 \uff1cimg src="https://evil.example/t.png"\uff1e '
        "::add-mask::x"
    )


def test_line_breaks_and_hidden_characters_are_shown_as_escapes():
    text = neutralise(MORE_HOSTILE)
    assert_harmless(text)
    assert "\n" not in text
    assert text.startswith("\\n:")
    assert "\\u202egnp.exe" in text
    assert neutralise(f"a{JOINER}@b").startswith("a\\u2060@")


@pytest.mark.parametrize(
    "ordinary",
    [
        "Wattle Everyday Account",
        "0.0594",
        "https://www.wattlebank.com.au/personal/home-loans#fees",
        "Fees: $5.00 (waived); 100% offset",
        "P1Y6M",
        "2026-07-13T00:00:00+10:00",
    ],
)
def test_ordinary_product_text_is_unchanged(ordinary):
    assert neutralise(ordinary) == ordinary


def _plan(value: object) -> Plan:
    field = FieldChange(
        path=HOSTILE, label=HOSTILE, subject=HOSTILE, field=HOSTILE,
        kind="changed", before=value, after=[HOSTILE, 1, None], unit=None,
    )  # fmt: skip
    change = Change(
        action=Action.UPDATE, product_id=HOSTILE, brand=HOSTILE, category=None,
        name=HOSTILE, file=HOSTILE, before={HOSTILE: value}, after=None,
        field_changes=(field,), live_fingerprint=HOSTILE,
    )  # fmt: skip
    return Plan(
        environment=HOSTILE, base_url=HOSTILE, schema=HOSTILE, removal="retire",
        desired_digest=HOSTILE, live_fingerprints={HOSTILE: HOSTILE},
        changes=(change,), tool_version=HOSTILE, products_dir=HOSTILE,
        retired_live=(HOSTILE,),
    )  # fmt: skip


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list | tuple):
        return [s for item in value for s in _strings(item)]
    return []


def test_every_string_of_a_plan_is_neutralised():
    from catalog_sync.plan.planfile import plan_to_document

    document = plan_to_document(neutralise_plan(_plan({"deep": [HOSTILE, True]})))
    strings = _strings(document)
    # every field the hostile text was put in, the field-change labels (format 3) too
    assert len([s for s in strings if "someone" in s]) == 23
    for text in strings:
        assert_harmless(text)
    assert document["removal"] == "retire"


def test_a_plan_nesting_deeper_than_any_product_is_refused():
    nested: object = HOSTILE
    for _ in range(MAX_DEPTH + 1):
        nested = [nested]
    with pytest.raises(GitHubError, match=f"deeper than {MAX_DEPTH} levels"):
        neutralise_plan(_plan(nested))


def test_targets_the_override_label_and_the_time_zone_are_made_harmless_too():
    from dataclasses import replace

    from catalog_sync.config.model import Policy

    plan = replace(
        _plan(1),
        targets=(HOSTILE,),
        policy=Policy(override_label=HOSTILE),
        timezone="../../etc/passwd",
    )
    safe = neutralise_plan(plan)
    assert_harmless(safe.targets[0])
    assert_harmless(safe.policy.override_label)
    assert safe.timezone == "Australia/Sydney"
    assert neutralise_plan(replace(plan, timezone="Australia/Perth")).timezone == (
        "Australia/Perth"
    )
