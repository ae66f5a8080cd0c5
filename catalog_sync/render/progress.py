"""Apply progress for people: a rich progress bar on a terminal, one line per finished
operation otherwise (CI logs, pipes). Both are `on_event` callbacks for `apply_plan`."""

from __future__ import annotations

from types import TracebackType
from typing import IO
from typing import Protocol
from typing import assert_never

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn
from rich.progress import MofNCompleteColumn
from rich.progress import Progress
from rich.progress import TaskID
from rich.progress import TextColumn
from rich.progress import TimeElapsedColumn

from catalog_sync.apply.outcomes import ApplyEvent
from catalog_sync.render.words import printable

_PAST = {
    "create": "created",
    "update": "updated",
    "retire": "retired",
    "delete": "deleted",
}


class ProgressReporter(Protocol):
    def __call__(self, event: ApplyEvent) -> None: ...

    def __enter__(self) -> ProgressReporter: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


def describe_event(event: ApplyEvent) -> str | None:
    """The line for a finished operation; None for `started` (too chatty in logs)."""
    where = f"[{event.finished}/{event.total}]"
    pid = printable(event.product_id)  # a live productId is not validated by us
    match event.kind:
        case "started":
            return None
        case "succeeded":
            return f"{where} {_PAST.get(event.action, event.action)} {pid}"
        case "failed":
            return f"{where} FAILED {event.action} {pid}: {event.error}"
        case "skipped":
            return f"{where} skipped {event.action} {pid}: {event.error}"
        case _:
            assert_never(event.kind)


class LineProgress:
    """One line per finished operation through click.echo."""

    def __init__(self, *, err: bool = False) -> None:
        self._err = err

    def __call__(self, event: ApplyEvent) -> None:
        line = describe_event(event)
        if line is not None:
            click.echo(line, err=self._err)

    def __enter__(self) -> LineProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


class BarProgress:
    """A rich progress bar; failures are printed above it as they happen."""

    def __init__(self, total: int, *, file: IO[str] | None = None) -> None:
        self._console = Console(file=file, force_terminal=file is not None or None)
        self._progress = Progress(
            TextColumn("[bold]Applying"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=self._console,
        )
        self._task: TaskID = self._progress.add_task("", total=total)

    def __call__(self, event: ApplyEvent) -> None:
        if event.kind == "started":
            # The description is rich markup: `[` and `]` are valid in a productId.
            shown = escape(printable(f"{event.action} {event.product_id}"))
            self._progress.update(self._task, description=shown, total=event.total)
            return
        if event.kind in ("failed", "skipped"):
            line = describe_event(event)
            self._progress.console.print(
                line, style="red", markup=False, highlight=False
            )
        self._progress.update(self._task, completed=event.finished, total=event.total)

    def __enter__(self) -> BarProgress:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.update(self._task, description="done")
        self._progress.stop()


def progress_for(total: int, *, interactive: bool) -> LineProgress | BarProgress:
    """The bar on a terminal, lines otherwise."""
    return BarProgress(total) if interactive else LineProgress()
