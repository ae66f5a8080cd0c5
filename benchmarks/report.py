"""The Markdown `make bench` writes into docs/benchmarks.md: a "How to reproduce" section
near the top and the "plan and apply" figures; other sections are left as they are."""

from __future__ import annotations

from pathlib import Path
from typing import Any

REPRODUCE = "## How to reproduce"
FIGURES = "## plan and apply (`make bench`)"

HOW_TO = f"""{REPRODUCE}

On a fresh clone: `make bench` (builds `.venv` if needed, then runs
`.venv/bin/python -m benchmarks.run`, about 8-10 minutes on 2 cores). It generates seeded
catalogs (`benchmarks/catalog_gen.py`: the example catalog's V7-valid products padded to
sizes drawn from the real captures in `../shared/cdr/products`, about 10 KB of YAML each),
starts `catalog-sync emulator` as a separate process on 127.0.0.1 for each scenario
(seeded with `--seed DIR`, not with POSTs), runs the real `.venv/bin/catalog-sync` as a
subprocess against it (credentials in environment variables), prints the table and
rewrites the "{FIGURES.removeprefix("## ")}" section below. `--quick` (or `--scale 0.1`)
runs everything at a tenth of the size in about a minute; `--no-record` leaves this file
alone. Plan stage durations come from the CLI itself: `CATALOG_SYNC_TIMINGS=1
catalog-sync plan` prints `{{"timings": {{"validate": s, "fetch": s, "diff": s}}}}` on
stderr. The other sections name their own scripts.
"""


def section(
    rows: str,
    machine: str,
    plan: dict[str, Any],
    *,
    scale: float,
    elapsed: float,
    full: bool,
) -> str:
    scale_note = (
        "" if full else f" **Scaled run (--scale {scale:g}): not the targets' sizes.**"
    )
    return f"""{FIGURES}

Recorded by `make bench` ({elapsed / 60:.1f} min).{scale_note} Machine: {machine}.

Generated catalogs: {plan["products"]:,} products of {plan["average_kb"]:.1f} KB YAML
on average for plan; the apply scenarios use the first products of the same generator.
Each plan is cold (no `.catalog-sync/` state) and run twice, the faster run counting
(stages included) and the higher peak memory; the emulator lists full details, page
size 500 (`api: page_size: 500`). Times are whole CLI processes (interpreter start-up
included) unless a stage is named; stage times are from `CATALOG_SYNC_TIMINGS=1`
(fetch is the time spent waiting for and decoding list pages, diff the rest of the
comparison, which runs as the pages arrive). Peak memory is the CLI child's own
maximum RSS (`wait4`). The naive script is
`benchmarks/naive.py`: PyYAML `safe_load` per file, one GET per product, then PUT or
POST, sequential, sleeping on 429 as told.

{rows}
"""


def record(path: Path, figures: str) -> None:
    """Put HOW_TO after the document's introduction and `figures` in place of the
    previous figures section (or at the end); every other section stays as it was."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    text = _drop(text, REPRODUCE)
    text, at = _drop_at(text, FIGURES)
    if at is None:
        text = text.rstrip("\n") + "\n\n" + figures
    else:
        text = text[:at] + figures + "\n" + text[at:]
    first = text.find("\n## ")
    if first == -1:
        text = text.rstrip("\n") + "\n\n" + HOW_TO
    else:
        text = text[: first + 1] + HOW_TO + "\n" + text[first + 1 :]
    path.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def _drop(text: str, heading: str) -> str:
    return _drop_at(text, heading)[0]


def _drop_at(text: str, heading: str) -> tuple[str, int | None]:
    """`text` without the section under `heading`, and where it was."""
    start = text.find(heading + "\n")
    if start == -1:
        return text, None
    end = text.find("\n## ", start + 1)
    rest = text[end + 1 :] if end != -1 else ""
    return text[:start] + rest, start
