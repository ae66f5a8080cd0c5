"""Escaping product data for Markdown, HTML and code spans."""

from __future__ import annotations

import pytest

from catalog_sync.render.words import code
from catalog_sync.render.words import escape_html
from catalog_sync.render.words import escape_md


@pytest.mark.parametrize(
    ("text", "span"),
    [("plain", "`plain`"), ("a`b", "`` a`b ``"), ("a``b", "``` a``b ```")],
)
def test_code_span_delimiter_is_longer_than_any_backtick_run(text, span):
    assert code(text) == span


def test_escape_md_defuses_links_html_and_github_math():
    assert escape_md("$5.00 to $6.00") == "\\$5.00 to \\$6.00"
    assert escape_md("[x](y) <b> a|b snake_case") == (
        "\\[x\\](y) \\<b\\> a\\|b snake\\_case"
    )


def test_escape_html_keeps_text_on_one_line():
    assert escape_html("<b>\nx") == "&lt;b&gt;\\nx"
