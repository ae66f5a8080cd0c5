from __future__ import annotations

import json

from catalog_sync.apply.outcomes import ApplyResult
from catalog_sync.apply.outcomes import Outcome
from catalog_sync.fiskil.waits import RateLimitWaits
from catalog_sync.render.report import render_report

RESULT = ApplyResult(
    outcomes=(
        Outcome("a", "create", "done"),
        Outcome("b", "update", "failed", "PUT /products/b: 412 changed underneath us"),
        Outcome("c", "create", "skipped-dependency", "depends on b"),
        Outcome("d", "delete", "not-attempted", "stopped"),
    ),
    stopped_by="stopped after update b: scope",
)


def test_render_report_text_puts_counts_first():
    text = render_report(RESULT, "text")
    assert text.splitlines()[0] == (
        "Apply incomplete: 1 done, 1 failed, 1 skipped (dependency failed), "
        "1 not attempted."
    )
    assert "  update b: PUT /products/b: 412 changed underneath us" in text
    assert "Not attempted:\n  delete d: stopped" in text
    assert "Nothing was rolled back" in text


def test_render_report_text_success():
    ok = ApplyResult(outcomes=(Outcome("a", "create", "done"),))
    assert render_report(ok, "text") == (
        "Apply complete: 1 done, 0 failed, 0 skipped (dependency failed), "
        "0 not attempted.\n"
    )


def test_render_report_json_and_markdown():
    document = json.loads(render_report(RESULT, "json"))
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
    markdown = render_report(RESULT, "markdown")
    assert markdown.startswith("### Apply incomplete")
    assert "| failed | 1 |" in markdown
    assert "- **failed** update `b`: PUT /products/b" in markdown


def test_render_report_markdown_shows_ids_and_errors_literally():
    """Errors carry the server's own text and live productIds are not validated by us:
    in a job summary or comment they must not become HTML, links or break code spans."""
    result = ApplyResult(
        outcomes=(
            Outcome(
                "a`b", "delete", "failed", "HTTP 422: <img src=x> [x](https://e.x)"
            ),
        ),
        stopped_by=None,
    )
    markdown = render_report(result, "markdown")
    assert (
        "- **failed** delete `` a`b ``: HTTP 422: \\<img src=x\\> \\[x\\](https://e.x)"
        in markdown
    )
    text = render_report(
        ApplyResult(
            outcomes=(Outcome("x\x1by", "delete", "failed", "e"),), stopped_by=None
        ),
        "text",
    )
    assert "\x1b" not in text


def test_the_report_says_how_long_the_run_waited_on_the_rate_limit():
    """Issue 15, item 1: 429s are not failures, and the report says what they cost."""
    waited = ApplyResult(
        outcomes=(Outcome("a", "create", "done"),),
        rate_limit=RateLimitWaits(refused=1, waited_seconds=12.34, pace=9.46),
    )
    line = (
        "Rate limit: 1 request answered 429 and sent again (not failures); "
        "requests waited on the limit for 12.3 s; paced at 9.5 requests/s."
    )
    assert line in render_report(waited, "text").splitlines()
    assert line in render_report(waited, "markdown").splitlines()
    assert json.loads(render_report(waited, "json"))["rate_limit"] == {
        "refused": 1,
        "waited_seconds": 12.34,
        "pace": 9.46,
    }
    unpaced = ApplyResult(
        outcomes=(), rate_limit=RateLimitWaits(refused=2, waited_seconds=1.0)
    )
    assert (
        "answered 429 and sent again (not failures); requests waited on the "
        "limit for 1.0 s.\n" in render_report(unpaced, "text")
    )


def test_a_run_that_never_waited_says_nothing_about_rate_limits():
    ok = ApplyResult(outcomes=(Outcome("a", "create", "done"),))
    assert "Rate limit" not in render_report(ok, "text")
    assert "Rate limit" not in render_report(ok, "markdown")
    assert json.loads(render_report(ok, "json"))["rate_limit"] == {
        "refused": 0,
        "waited_seconds": 0.0,
        "pace": None,
    }
