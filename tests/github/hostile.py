"""The hostile strings of issue 15 (item 9), and what a comment built from them may
contain: a fork's artifact must not mention, reference, embed, inject HTML or carry a
workflow command through the comment the trusted side posts."""

from __future__ import annotations

import re

HOSTILE = '@org/team @someone #1 <img src="https://evil.example/t.png"> ::add-mask::x'
MORE_HOSTILE = (
    "\n::set-output name=x::y\n![i](https://evil.example/t.png) [x](https://evil.example)"
    " &#64;someone <script>alert(1)</script> \u202egnp.exe owner/repo#7 GH-3 `code`"
    " <!-- catalog-sync:plan:production -->"
)
# The Markdown plan renderer's own markup; nothing else may appear as a tag.
RENDERER_TAGS = {"details", "summary", "b", "code"}


def assert_harmless(body: str) -> None:
    assert not re.search(r"@[\w/-]", body), "a mention"
    assert not re.search(r"#\d", body), "an issue reference"
    assert not re.search(r"(?i)\bgh-\d", body), "an issue reference"
    assert "<img" not in body.lower()
    tags = {t.lower() for t in re.findall(r"<\s*/?\s*([A-Za-z][\w-]*)", body)}
    assert tags <= RENDERER_TAGS, f"raw HTML: {tags - RENDERER_TAGS}"
    assert not re.search(r"&#?\w+;", body.replace("&amp;", "")), "a character reference"
    assert not re.search(r"^\s*::", body, re.MULTILINE), "a workflow command"
    assert "::" not in body
    assert "](" not in body
    assert "![" not in body
    assert "\u202e" not in body
    assert body.count("<!-- catalog-sync:") <= 1  # the comment's own marker only
