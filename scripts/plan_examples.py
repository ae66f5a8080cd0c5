"""Make the six example plans of docs/examples/ from the example catalog, and screenshot
them as GitHub renders them (GFM through cmarkgfm, GitHub's own cmark fork, then
headless Chromium) into docs/screenshots/.

    .venv/bin/pip install '.[docs]'      # cmarkgfm, pillow
    apt-get install -y chromium fonts-noto-color-emoji
    .venv/bin/python scripts/plan_examples.py [--no-screenshots]

Each case starts from `products/` applied to a fresh embedded store; the planning time
and commit are fixed so the Markdown is the same on every run.
"""

from __future__ import annotations

import argparse
import copy
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from catalog_sync.cds.desired import DesiredProduct  # noqa: E402
from catalog_sync.config.load import load_config  # noqa: E402
from catalog_sync.config.model import Config  # noqa: E402
from catalog_sync.render.context import RenderContext  # noqa: E402
from catalog_sync.render.drift import render_drift_markdown  # noqa: E402
from catalog_sync.render.markdown import render_markdown  # noqa: E402
from catalog_sync.workflow import ApplySettings  # noqa: E402
from catalog_sync.workflow import load_desired  # noqa: E402
from catalog_sync.workflow import make_plan  # noqa: E402
from catalog_sync.workflow import run_apply  # noqa: E402

NOW = "2026-12-05T10:08:30Z"
ENV = "production"
SHA = "3f1c2a9b7d4e5f60718293a4b5c6d7e8f9012345"
CONFIG = """products_dir: products
removal: retire
environments:
  production:                 # the embedded store stands in for Fiskil
    target: embedded
timezone: Australia/Sydney
policy:
  adverse_changes: warn
  max_rate_change_bp: 100
"""
Desired = dict[str, DesiredProduct]
_CSS = """
body { font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans",
  Helvetica, Arial, sans-serif; font-size: 14px; line-height: 1.5; color: #1f2328;
  background: #fff; margin: 0; padding: 16px; }
.comment { max-width: 880px; border: 1px solid #d1d9e0; border-radius: 6px; }
.comment-header { background: #f6f8fa; border-bottom: 1px solid #d1d9e0;
  padding: 8px 16px; color: #59636e; }
.markdown-body { padding: 16px; }
h3 { font-size: 1.25em; margin: 0 0 16px; } h4 { font-size: 1em; margin: 24px 0 8px; }
table { border-collapse: collapse; margin: 8px 0 16px; display: block; overflow: auto; }
th, td { border: 1px solid #d1d9e0; padding: 6px 13px; }
tr:nth-child(2n) { background: #f6f8fa; } th { font-weight: 600; }
code { background: rgba(129,139,152,.12); border-radius: 6px; padding: .2em .4em;
  font-size: 85%; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
pre { background: #f6f8fa; padding: 16px; border-radius: 6px; overflow: auto; }
pre code { background: none; padding: 0; }
blockquote { margin: 0 0 16px; padding: 0 1em; border-left: .25em solid #d1d9e0;
  color: #59636e; }
.alert { margin: 0 0 16px; padding: 8px 16px; border-left: .25em solid; }
.alert p { margin: 4px 0; } .alert ul { margin: 4px 0; padding-left: 2em; }
.alert-title { font-weight: 500; }
.alert-warning { border-color: #9a6700; } .alert-warning .alert-title { color: #9a6700; }
.alert-note { border-color: #0969da; } .alert-note .alert-title { color: #0969da; }
.alert-caution { border-color: #d1242f; } .alert-caution .alert-title { color: #d1242f; }
details summary { cursor: pointer; margin: 8px 0; }
"""


def _set(pid: str, edit: Callable[[dict[str, Any]], None]) -> Callable[[Desired], None]:
    def change(desired: Desired) -> None:
        data = copy.deepcopy(desired[pid].data)
        edit(data)
        desired[pid] = DesiredProduct(data, desired[pid].file)

    return change


def _bonus_rate(value: str) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        bonus = next(r for r in data["depositRates"] if r["depositRateType"] == "BONUS")
        bonus["rate"] = value

    return edit


def _fees(data: dict[str, Any]) -> None:
    data["fees"] = [f for f in data["fees"] if f["name"] != "Monthly account fee"]
    data["fees"].append(
        {
            "name": "Paper statement fee",
            "feeType": "EVENT",
            "feeMethodUType": "fixedAmount",
            "fixedAmount": {"amount": "2.50"},
            "additionalInfo": "Per paper statement mailed; e-statements are free.",
        }
    )


def _new_product(desired: Desired) -> None:
    data = copy.deepcopy(desired["wattle-bonus-saver"].data)
    data.update(
        productId="wattle-kids-saver",
        name="Wattle Kids Saver",
        description="A savings account for under-18s with a bonus rate every month "
        "the balance grows.",
    )
    data["eligibility"] = [{"eligibilityType": "MAX_AGE", "additionalValue": "17"}]
    path = "products/wattle-bank/wattle-kids-saver.yaml"
    desired["wattle-kids-saver"] = DesiredProduct(data, path)


def _retire(desired: Desired) -> None:
    del desired["wattle-travel-card"]


CASES: dict[str, Callable[[Desired], None]] = {
    "one-rate-edit": _set("wattle-bonus-saver", _bonus_rate("0.0375")),
    "new-product": _new_product,
    "fee-added-and-removed": _set("wattle-everyday", _fees),
    "retirement": _retire,
    "policy-block": _set("wattle-bonus-saver", _bonus_rate("0.0200")),
}


def make_examples(out_dir: Path) -> dict[str, str]:
    """Every case's Markdown (plan comments, then the drift issue body)."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(ROOT / "products", root / "products")
        (root / "catalog-sync.yaml").write_text(CONFIG, encoding="utf-8")
        config = load_config(root / "catalog-sync.yaml")
        baseline = make_plan(config, ENV, now=NOW)
        run_apply(config, baseline, settings=ApplySettings())
        texts = {name: _plan_text(config, edit) for name, edit in CASES.items()}
        texts["drift-report"] = _drift_text(config)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (out_dir / f"{name}.md").write_text(text, encoding="utf-8")
    return texts


def _plan_text(config: Config, edit: Callable[[Desired], None]) -> str:
    desired = dict(load_desired(config))
    edit(desired)
    plan = make_plan(config, ENV, desired=desired, now=NOW)
    return render_markdown(plan, context=RenderContext(commit=SHA, planned_at=NOW))


def _drift_text(config: Config) -> str:
    """git raises the bonus rate and the dishonour fee differs: drift both ways."""
    desired = dict(load_desired(config))
    _set("wattle-bonus-saver", _bonus_rate("0.0375"))(desired)

    def dishonour(data: dict[str, Any]) -> None:
        fee = next(f for f in data["fees"] if f["name"] == "Dishonour fee")
        fee["fixedAmount"]["amount"] = "15.00"

    _set("wattle-everyday", dishonour)(desired)
    plan = make_plan(config, ENV, desired=desired, now=NOW)
    return render_drift_markdown(plan)


def screenshot(name: str, markdown: str, out_dir: Path, browser: str) -> Path:
    """The Markdown rendered as GFM inside a GitHub-like comment frame, as a PNG."""
    import cmarkgfm
    from cmarkgfm.cmark import Options

    body = _alerts(
        cmarkgfm.github_flavored_markdown_to_html(
            markdown, options=Options.CMARK_OPT_UNSAFE
        )
    )
    html = (
        f"<!doctype html><meta charset=utf-8><style>{_CSS}</style>"
        "<div class=comment><div class=comment-header><b>github-actions</b> "
        f"commented</div><div class=markdown-body>{body}</div></div>"
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / f"{name}.html"
        page.write_text(html, encoding="utf-8")
        target = out_dir / f"{name}.png"
        subprocess.run(
            [
                browser, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--hide-scrollbars",
                "--window-size=920,4000", f"--screenshot={target}", page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )  # fmt: skip
    _trim(target)
    return target


_ALERT = re.compile(r"<blockquote>\n<p>\[!(NOTE|WARNING|CAUTION)\]\n?")


def _alerts(html: str) -> str:
    """GitHub's alert blocks (`> [!WARNING]`), which cmark leaves as quotes."""

    def alert(match: re.Match[str]) -> str:
        kind = match.group(1)
        return (
            f'<blockquote class="alert alert-{kind.lower()}">'
            f'<p class="alert-title">{kind.capitalize()}</p>\n<p>'
        )

    return _ALERT.sub(alert, html)


def _trim(path: Path) -> None:
    """Cut the empty page below the comment (the window is taller than any case)."""
    from PIL import Image
    from PIL import ImageChops

    with Image.open(path) as image:
        rgb = image.convert("RGB")
    background = Image.new("RGB", rgb.size, (255, 255, 255))
    box = ImageChops.difference(rgb, background).getbbox()
    if box is not None:
        rgb.crop((0, 0, rgb.width, min(rgb.height, box[3] + 16))).save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-screenshots", action="store_true")
    parser.add_argument("--browser", default="chromium")
    args = parser.parse_args()
    texts = make_examples(ROOT / "docs" / "examples")
    if args.no_screenshots:
        return
    for name, text in texts.items():
        path = screenshot(name, text, ROOT / "docs" / "screenshots", args.browser)
        sys.stdout.write(f"{path.relative_to(ROOT)}\n")


if __name__ == "__main__":
    main()
