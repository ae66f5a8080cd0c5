"""The executor: run a plan's writes through a ProductsApi in dependency order, at most
`parallelism` at once (the client's FlowControl paces them to what the server allows),
recording each in the journal and reporting it as an event. It never prints and never
rolls back: a failed run converges on the next.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from collections.abc import Collection
from collections.abc import Mapping
from collections.abc import Sequence
from concurrent.futures import Future
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from heapq import heappop
from heapq import heappush
from queue import SimpleQueue

from catalog_sync.apply.api import ProductsApi
from catalog_sync.apply.journal import Journal
from catalog_sync.apply.operations import Operation
from catalog_sync.apply.operations import Readiness
from catalog_sync.apply.operations import order_operations
from catalog_sync.apply.operations import send_write
from catalog_sync.apply.outcomes import ApplyEvent
from catalog_sync.apply.outcomes import ApplyResult
from catalog_sync.apply.outcomes import EventKind
from catalog_sync.apply.outcomes import Outcome
from catalog_sync.apply.outcomes import Status
from catalog_sync.apply.report_order import take_reportable
from catalog_sync.errors import ApiError
from catalog_sync.errors import AuthError
from catalog_sync.errors import CatalogSyncError
from catalog_sync.errors import RateLimitedError
from catalog_sync.errors import RetryBudgetExhausted
from catalog_sync.errors import ScopeError
from catalog_sync.plan.plan import Plan

# Errors that say the whole run is doomed, not one product: stop scheduling.
SYSTEMIC_ERRORS: tuple[type[ApiError], ...] = (
    AuthError,
    ScopeError,
    RetryBudgetExhausted,
    RateLimitedError,
)


@dataclass(slots=True)
class _Run:
    """The mutable bookkeeping of one execution, owned by the scheduling thread."""

    operations: Mapping[str, Operation]
    api: ProductsApi
    journal: Journal | None
    emit: Callable[[ApplyEvent], None]
    status: dict[str, Outcome] = field(default_factory=dict)
    stop: threading.Event = field(default_factory=threading.Event)
    stopped_by: str | None = None
    stopped_after: str | None = None
    in_flight: int = 0
    peak_in_flight: int = 0
    counter: threading.Lock = field(default_factory=threading.Lock)

    def started(self) -> None:
        with self.counter:
            self.in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)

    def ended(self) -> None:
        with self.counter:
            self.in_flight -= 1

    stopper: str | None = None
    """The productId whose systemic failure stopped the run."""

    def finish(self, outcome: Outcome) -> None:
        self.status[outcome.product_id] = outcome
        kinds: dict[Status, EventKind] = {
            "done": "succeeded",
            "failed": "failed",
            "skipped-dependency": "skipped",
            "not-attempted": "skipped",
        }
        self.emit(
            ApplyEvent(
                kinds[outcome.status],
                outcome.product_id,
                outcome.action,
                len(self.status),
                len(self.operations),
                outcome.error,
            )
        )


def apply_plan(
    plan: Plan,
    api: ProductsApi,
    *,
    parallelism: int = 4,
    on_event: Callable[[ApplyEvent], None] | None = None,
    journal: Journal | None = None,
    etags: Mapping[str, str] | None = None,
    already_applied: Collection[str] = (),
) -> ApplyResult:
    """Execute `plan`'s changes (their after-bodies, exactly as reviewed). The safety
    rails are the caller's to check first (`plan.safety`, as `workflow.run_apply`
    does before it reads anything). `etags` (from the stale-plan check) become If-Match; `already_applied` changes are reported done
    without a write. The journal is cleared once every outcome is known: only a run
    that dies leaves one behind.
    """
    operations = order_operations(
        (
            (change.product_id, change.action, change.before, change.after)
            for change in plan.changes
            if change.product_id not in already_applied
        ),
        etags=etags,
    )
    if journal is not None:
        # This run's writes only: changes already live are not outstanding.
        journal.begin(total=len(operations), plan_digest=plan.desired_digest)
    result = execute_operations(
        operations,
        api,
        parallelism=parallelism,
        on_event=on_event,
        journal=journal,
    )
    if journal is not None:
        journal.clear()
    done = {o.product_id: o for o in result.outcomes}
    outcomes = tuple(
        done.get(c.product_id)
        or Outcome(c.product_id, c.action, "done", already_applied=True)
        for c in plan.changes
    )
    return replace(result, outcomes=outcomes)


def execute_operations(
    operations: Sequence[Operation],
    api: ProductsApi,
    *,
    parallelism: int = 4,
    on_event: Callable[[ApplyEvent], None] | None = None,
    journal: Journal | None = None,
) -> ApplyResult:
    """Run `operations` with at most `parallelism` writes in flight."""
    lock = threading.Lock()

    def emit(event: ApplyEvent) -> None:
        if on_event is not None:
            with lock:
                on_event(event)

    run = _Run(
        operations={op.product_id: op for op in operations},
        api=api,
        journal=journal,
        emit=emit,
    )
    pool = ThreadPoolExecutor(max_workers=parallelism)
    try:
        _schedule(run, pool, parallelism)
    except BaseException:
        # Ctrl-C or a crash in a callback: start nothing new, let in-flight writes
        # finish (their journal lines tell the next run), then re-raise.
        run.stopped_by = "interrupted"
        run.stop.set()
        api.interrupt()  # writes waiting to retry give up now
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return ApplyResult(
        outcomes=tuple(run.status[op.product_id] for op in operations),
        stopped_by=run.stopped_by,
        peak_in_flight=run.peak_in_flight,
    )


def _schedule(run: _Run, pool: ThreadPoolExecutor, parallelism: int) -> None:
    """Submit each operation once its predecessors have finished, in productId order,
    keeping at most two per worker queued: a finishing worker takes the next at once,
    and the first write does not wait for a future to be built for every operation.
    Finished writes arrive through a queue, so each costs the same whatever is still
    in flight."""
    readiness = Readiness(run.operations)
    finished: SimpleQueue[Future[Outcome]] = SimpleQueue()
    in_flight: dict[Future[Outcome], Operation] = {}
    waiting = dict(run.operations)
    ready = readiness.ready()  # a sorted list is a heap
    held: list[tuple[Operation, Outcome]] = []  # finished, not yet reported
    while True:
        while ready and len(in_flight) < 2 * parallelism and not run.stop.is_set():
            op = waiting.pop(heappop(ready))
            skipped = _skipped(run, op)
            if skipped is not None:
                run.finish(skipped)
                for pid in readiness.finished(op.product_id):
                    heappush(ready, pid)
                continue
            future = pool.submit(_perform, run, op)
            in_flight[future] = op
            future.add_done_callback(finished.put)
        if not in_flight:
            break
        done = [finished.get()]
        while not finished.empty():
            done.append(finished.get())
        for future in sorted(done, key=lambda f: in_flight[f].product_id):
            held.append((in_flight.pop(future), future.result()))
        for op, outcome in take_reportable(
            held, stopper=run.stopper, reported=run.status
        ):
            run.finish(outcome)
            for pid in readiness.finished(op.product_id):
                heappush(ready, pid)
    for op in waiting.values():
        run.finish(
            Outcome(op.product_id, op.action, "not-attempted", _not_attempted(run))
        )


def _skipped(run: _Run, op: Operation) -> Outcome | None:
    """The outcome of an operation whose required predecessor did not succeed."""
    blocked = sorted(dep for dep in op.requires if run.status[dep].status != "done")
    if not blocked:
        return None
    return Outcome(
        op.product_id,
        op.action,
        "skipped-dependency",
        f"depends on {', '.join(blocked)}, which did not complete",
    )


def _perform(run: _Run, op: Operation) -> Outcome:
    """One write, in a worker thread. Returns its outcome; never raises for API errors."""
    run.started()
    try:
        if run.stop.is_set():
            return Outcome(
                op.product_id, op.action, "not-attempted", _not_attempted(run)
            )
        run.emit(
            ApplyEvent(
                "started",
                op.product_id,
                op.action,
                len(run.status),
                len(run.operations),
            )
        )
        if run.journal:
            run.journal.intent(op.product_id, op.action)
        try:
            send_write(run.api, op)
        except CatalogSyncError as exc:
            return _failed(run, op, exc)
        if run.journal:
            run.journal.done(op.product_id, op.action)
        return Outcome(op.product_id, op.action, "done")
    finally:
        run.ended()


def _not_attempted(run: _Run) -> str:
    """The short reason on each operation that never ran; the report states the
    systemic cause (`stopped_by`) once instead of repeating it on every line. An
    interrupted run needs no reason here: it re-raises, and the outcomes of operations
    it did not start are never reported (the journal tells the next run)."""
    if run.stopped_after is not None:
        return f"the run stopped after {run.stopped_after} failed"
    return "not started"


def _failed(run: _Run, op: Operation, exc: CatalogSyncError) -> Outcome:
    message = str(exc)  # a RateLimitedError's says when to retry, once
    if isinstance(exc, SYSTEMIC_ERRORS) and not run.stop.is_set():
        run.stopped_by = f"stopped after {op.action} {op.product_id}: {message}"
        run.stopped_after = f"{op.action} {op.product_id}"
        run.stopper = op.product_id
        run.stop.set()
    if run.journal:
        run.journal.failed(op.product_id, op.action, message)
    return Outcome(op.product_id, op.action, "failed", message)
