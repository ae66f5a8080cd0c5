from __future__ import annotations

import json

from catalog_sync.apply.outcomes import ApplyResult
from catalog_sync.apply.outcomes import Outcome
from catalog_sync.fiskil.waits import RateLimitWaits
from catalog_sync.plan.plan import Action
from catalog_sync.render.registry import render

RESULT = ApplyResult(
    outcomes=(
        Outcome("a", Action.CREATE, "done"),
        Outcome(
            "b", Action.UPDATE, "failed", "PUT /products/b: 412 changed underneath us"
        ),
        Outcome("c", Action.CREATE, "skipped-dependency", "depends on b"),
        Outcome("d", Action.DELETE, "not-attempted", "stopped"),
    ),
    stopped_by="stopped after update b: scope",
)


def test_render_report_text_puts_counts_first():
    text = render("apply", "text", RESULT)
    assert text.splitlines()[0] == (
        "Apply incomplete: 1 done, 1 failed, 1 skipped (dependency failed), "
        "1 not attempted."
    )
    assert "  update b: PUT /products/b: 412 changed underneath us" in text
    assert "Not attempted:\n  delete d: stopped" in text
    assert "Nothing was rolled back" in text


def test_render_report_text_success():
    ok = ApplyResult(outcomes=(Outcome("a", Action.CREATE, "done"),))
    assert render("apply", "text", ok) == (
        "Apply complete: 1 done, 0 failed, 0 skipped (dependency failed), "
        "0 not attempted.\n"
    )


def test_render_report_json_and_markdown():
    document = json.loads(render("apply", "json", RESULT))
    assert document["format_version"] == 1
    assert document["ok"] is False
    assert document["counts"]["failed"] == 1
    assert document["operations"][0] == {
        "productId": "a",
        "action": "create",
        "status": "done",
        "already_applied": False,
        "error": None,
    }
    markdown = render("apply", "markdown", RESULT)
    assert markdown.startswith("### Apply incomplete")
    assert "| failed | 1 |" in markdown
    assert "- **failed** update `b`: PUT /products/b" in markdown


def test_render_report_markdown_shows_ids_and_errors_literally():
    """Errors carry the server's own text and live productIds are not validated by us:
    in a job summary or comment they must not become HTML, links or break code spans."""
    result = ApplyResult(
        outcomes=(
            Outcome(
                "a`b", Action.DELETE, "failed", "HTTP 422: <img src=x> [x](https://e.x)"
            ),
        ),
        stopped_by=None,
    )
    markdown = render("apply", "markdown", result)
    assert (
        "- **failed** delete `` a`b ``: HTTP 422: \\<img src=x\\> \\[x\\](https://e.x)"
        in markdown
    )
    text = render(
        "apply",
        "text",
        ApplyResult(
            outcomes=(Outcome("x\x1by", Action.DELETE, "failed", "e"),), stopped_by=None
        ),
    )
    assert "\x1b" not in text


def test_render_report_names_a_policy_override_in_every_format():
    reason = "label policy-override by alice on #9"
    text = render("apply", "text", RESULT, policy_override=reason)
    assert f"Policy overridden: {reason}" in text
    markdown = render("apply", "markdown", RESULT, policy_override=reason)
    assert f"**Policy overridden:** {reason}" in markdown
    document = json.loads(render("apply", "json", RESULT, policy_override=reason))
    assert document["policy_override"] == reason
    assert json.loads(render("apply", "json", RESULT))["policy_override"] is None


def test_the_report_says_how_long_the_run_waited_on_the_rate_limit():
    """Issue 15, item 1: 429s are not failures, and the report says what they cost."""
    waited = ApplyResult(
        outcomes=(Outcome("a", Action.CREATE, "done"),),
        rate_limit=RateLimitWaits(refused=1, waited_seconds=12.34, pace=9.46),
    )
    line = (
        "Rate limit: 1 request answered 429 and sent again (not failures); "
        "requests waited on the limit for 12.3 s; paced at 9.5 requests/s."
    )
    assert line in render("apply", "text", waited).splitlines()
    assert line in render("apply", "markdown", waited).splitlines()
    assert json.loads(render("apply", "json", waited))["rate_limit"] == {
        "refused": 1,
        "waited_seconds": 12.34,
        "pace": 9.46,
    }
    unpaced = ApplyResult(
        outcomes=(), rate_limit=RateLimitWaits(refused=2, waited_seconds=1.0)
    )
    assert (
        "answered 429 and sent again (not failures); requests waited on the "
        "limit for 1.0 s.\n" in render("apply", "text", unpaced)
    )


def test_a_run_that_never_waited_says_nothing_about_rate_limits():
    ok = ApplyResult(outcomes=(Outcome("a", Action.CREATE, "done"),))
    assert "Rate limit" not in render("apply", "text", ok)
    assert "Rate limit" not in render("apply", "markdown", ok)
    assert json.loads(render("apply", "json", ok))["rate_limit"] == {
        "refused": 0,
        "waited_seconds": 0.0,
        "pace": None,
    }
