"""How long each stage of a command took, for `plan --timings`: a stage clock that
reports to a callback, and an iterator that adds up the time spent producing its items."""

from __future__ import annotations

import time
from collections.abc import Callable
from collections.abc import Iterator
from typing import TypeVar

StageTimer = Callable[[str, float], None]
"""Hears a plan stage's name and how long it took (seconds), e.g. for `--timings`."""

_T = TypeVar("_T")


def stage_clock(
    on_stage: StageTimer | None,
) -> Callable[[str, Callable[[], _T]], _T]:
    """Runs a stage; reports its duration to `on_stage` (if any) when it returns."""

    def timed(name: str, stage: Callable[[], _T]) -> _T:
        started = time.perf_counter()
        result = stage()
        if on_stage is not None:
            on_stage(name, time.perf_counter() - started)
        return result

    return timed


class TimedIterator(Iterator[_T]):
    """Passes items through, adding up the seconds spent producing them."""

    def __init__(self, items: Iterator[_T]) -> None:
        self._items = items
        self.seconds = 0.0

    def __next__(self) -> _T:
        started = time.perf_counter()
        try:
            return next(self._items)
        finally:
            self.seconds += time.perf_counter() - started
