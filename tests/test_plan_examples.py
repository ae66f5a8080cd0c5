"""docs/examples/ is what the renderers print today: regenerate and compare, so the
examples (and the screenshots made from them) change with the behaviour they show."""

from __future__ import annotations

from pathlib import Path

from scripts.plan_examples import make_examples

DOCS = Path(__file__).resolve().parents[1] / "docs" / "examples"


def test_docs_examples_are_current(tmp_path):
    texts = make_examples(tmp_path)
    assert sorted(texts) == sorted(p.stem for p in DOCS.glob("*.md"))
    for name, text in texts.items():
        assert (DOCS / f"{name}.md").read_text(encoding="utf-8") == text, (
            f"docs/examples/{name}.md is stale: run `make screenshots`"
        )
    one_rate = texts["one-rate-edit"]
    assert (
        "| Bonus rate, balances up to \\$250,000 | 3.50 % | 3.75 % | +25 bp | "
        "🔺 favourable |"
    ) in one_rate
    assert "⛔ **Policy: blocked.**" in texts["policy-block"]
    assert "**Next:**" in texts["drift-report"]
