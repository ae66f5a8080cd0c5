"""The one renderer registry: every (what, format) pair renders, and an unknown format
is a ConfigError naming the ones that exist."""

from __future__ import annotations

import pytest

from catalog_sync.apply.outcomes import ApplyResult
from catalog_sync.errors import ConfigError
from catalog_sync.render.problems import ProblemReport
from catalog_sync.render.registry import RENDERERS
from catalog_sync.render.registry import RenderOptions
from catalog_sync.render.registry import formats
from catalog_sync.render.registry import render
from tests.render.plans import mixed_plan


def test_every_what_has_its_formats():
    assert formats("plan") == ("text", "markdown", "json")
    assert formats("drift") == ("text", "markdown", "json")
    assert formats("apply") == ("text", "markdown", "json")
    assert formats("problems") == ("text", "json", "github")
    assert formats("migration") == ("text", "markdown", "json")


def test_every_renderer_renders_its_value():
    plan = mixed_plan()
    values = {
        "plan": plan,
        "drift": plan,
        "apply": ApplyResult(outcomes=()),
        "problems": ProblemReport([], 3, "cds-v7"),
        "migration": {
            "target": "cds-v7",
            "totals": {"files": 0, "changed": 0, "valid": 0, "need_a_human": 0,
                       "converted": 0, "derived": 0, "open_items": 0,
                       "problems": 0, "by_source_version": {}, "unreadable": 0},
            "files": [],
            "errors": [],
        },
    }  # fmt: skip
    for (what, output_format), renderer in RENDERERS.items():
        assert renderer(values[what], RenderOptions()), (what, output_format)


def test_the_plan_text_is_coloured_on_request():
    plan = mixed_plan()
    assert "\x1b[" in render("plan", "text", plan, color=True)
    assert "\x1b[" not in render("plan", "text", plan)


def test_an_unknown_format_names_the_known_ones():
    with pytest.raises(ConfigError, match="unknown drift format 'yaml'") as info:
        render("drift", "yaml", mixed_plan())
    assert info.value.hint == "use text, markdown, json"
