from __future__ import annotations

import io
import re

from catalog_sync.apply.outcomes import ApplyEvent
from catalog_sync.plan.plan import Action
from catalog_sync.render.progress import BarProgress
from catalog_sync.render.progress import LineProgress
from catalog_sync.render.progress import describe_event
from catalog_sync.render.progress import progress_for

EVENTS = [
    ApplyEvent("started", "a", Action.CREATE, 0, 3),
    ApplyEvent("succeeded", "a", Action.CREATE, 1, 3),
    ApplyEvent("failed", "b", Action.UPDATE, 2, 3, "412 changed underneath us"),
    ApplyEvent("skipped", "c", Action.CREATE, 3, 3, "depends on b"),
]


def test_describe_event_lines():
    assert [describe_event(e) for e in EVENTS] == [
        None,
        "[1/3] created a",
        "[2/3] FAILED update b: 412 changed underneath us",
        "[3/3] skipped create c: depends on b",
    ]


def test_line_progress_prints_one_line_per_finished_operation(capsys):
    with progress_for(3, interactive=False) as progress:
        assert isinstance(progress, LineProgress)
        for event in EVENTS:
            progress(event)
    assert capsys.readouterr().out.splitlines() == [
        "[1/3] created a",
        "[2/3] FAILED update b: 412 changed underneath us",
        "[3/3] skipped create c: depends on b",
    ]


def test_bar_progress_draws_a_bar_and_prints_failures_above_it():
    stream = io.StringIO()
    with BarProgress(3, file=stream) as progress:
        for event in EVENTS:
            progress(event)
    output = re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", stream.getvalue())
    assert "Applying" in output
    assert "3/3" in output
    assert "FAILED update b: 412 changed underneath us" in output


def test_bar_shows_a_product_id_with_brackets_literally():
    """`[` and `]` are valid in a productId; as rich markup, `x[/]y` crashed the bar's
    refresh thread with a traceback on the terminal, and `[link=…]` made a link."""
    import time

    stream = io.StringIO()
    pid = "x[/]y[link=https://evil.example]z"
    with BarProgress(4, file=stream) as progress:
        progress(ApplyEvent("started", pid, Action.CREATE, 0, 2))
        time.sleep(0.3)  # the bar redraws in its own thread, about 10 times a second
        progress(ApplyEvent("succeeded", pid, Action.CREATE, 1, 2))
        time.sleep(0.3)
    text = re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", stream.getvalue())
    assert "Traceback" not in text
    assert f"create {pid}" in text
    assert "1/2 done" in text  # the run's own total (2), not the one given (4)
