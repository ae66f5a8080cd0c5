"""An apply as users run it: the audit record opened first, the apply (every call and
outcome recorded as it happens), then, when the environment has a public endpoint, the
verify of what customers now see, and the record closed with the result. Returns a
value; prints nothing."""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from catalog_sync import __version__
from catalog_sync.apply.outcomes import ApplyEvent
from catalog_sync.apply.outcomes import ApplyResult
from catalog_sync.audit.context import where
from catalog_sync.audit.context import who
from catalog_sync.audit.record import AuditLog
from catalog_sync.audit.record import now_rfc3339
from catalog_sync.config.model import Config
from catalog_sync.errors import CatalogSyncError
from catalog_sync.fiskil.clock import Clock
from catalog_sync.plan.digest import change_set_digest
from catalog_sync.plan.plan import Plan
from catalog_sync.verify.document import verify_document
from catalog_sync.verify.service import verify_applied
from catalog_sync.verify.waiting import Verification
from catalog_sync.workflow import ApplySettings
from catalog_sync.workflow import Connector
from catalog_sync.workflow import default_connector
from catalog_sync.workflow import run_apply

DEFAULT_VERIFY_WAIT = 120.0


@dataclass(frozen=True, slots=True)
class VerifySettings:
    """`--no-verify`, `--verify-wait`, `--require-visible`."""

    enabled: bool = True
    wait: float = DEFAULT_VERIFY_WAIT
    require_visible: bool = False


@dataclass(frozen=True, slots=True)
class AppliedRun:
    """The apply's result; what verify found (None when it did not run, with
    `verify_skipped` saying why, or `verify_error` when it failed); the audit record."""

    result: ApplyResult
    verification: Verification | None
    audit_path: Path
    verify_skipped: str | None = None
    verify_error: str | None = None

    @property
    def is_visible(self) -> bool:
        return self.verification is not None and self.verification.all_match


def audit_dir(config: Config) -> Path:
    return config.state_dir / "audit"


def apply_audited(
    config: Config,
    plan: Plan,
    *,
    settings: ApplySettings,
    verify: VerifySettings,
    on_event: Callable[[ApplyEvent], None] | None = None,
    plan_file: Path | None = None,
    environ: Mapping[str, str] | None = None,
    connect: Connector | None = None,
    clock: Clock | None = None,
    public_transport: httpx.BaseTransport | None = None,
) -> AppliedRun:
    """Apply `plan` (workflow.run_apply) with its audit record; errors propagate after
    the record is closed with them."""
    variables = os.environ if environ is None else environ
    log = AuditLog(_record_path(config, plan))
    log.begin(_header(config, plan, variables, plan_file))
    try:
        result = run_apply(
            config,
            plan,
            settings=settings,
            on_event=_recording(log, on_event),
            connect=connect
            or default_connector(config, observer=log.observer("apply")),
        )
        run = _verified(config, plan, result, verify, log, clock, public_transport)
    except KeyboardInterrupt:
        log.end({"outcome": "interrupted", "finished_at": _now(), "error": None})
        raise
    except CatalogSyncError as exc:
        log.end({"outcome": "refused", "finished_at": _now(), "error": str(exc)})
        raise
    except BaseException as exc:
        log.end(
            {"outcome": "error", "finished_at": _now(), "error": type(exc).__name__}
        )
        raise
    log.end(_end(run))
    return run


def _verified(
    config: Config,
    plan: Plan,
    result: ApplyResult,
    verify: VerifySettings,
    log: AuditLog,
    clock: Clock | None,
    transport: httpx.BaseTransport | None,
) -> AppliedRun:
    skipped = _why_not_verify(config, plan, result, verify)
    if skipped is not None:
        return AppliedRun(result, None, log.path, verify_skipped=skipped)
    try:
        verification = verify_applied(
            config,
            plan,
            wait=verify.wait,
            clock=clock,
            transport=transport,
            observer=log.observer("verify"),
        )
    except CatalogSyncError as exc:
        return AppliedRun(result, None, log.path, verify_error=str(exc))
    return AppliedRun(result, verification, log.path)


def _why_not_verify(
    config: Config, plan: Plan, result: ApplyResult, verify: VerifySettings
) -> str | None:
    if not verify.enabled:
        return "--no-verify"
    if not config.environment(plan.environment).public_base_url:
        return f"environment {plan.environment!r} has no public_base_url"
    if not plan.has_changes:
        return "nothing was changed"
    if not result.is_success:
        return "the apply did not complete"
    return None


def _recording(
    log: AuditLog, on_event: Callable[[ApplyEvent], None] | None
) -> Callable[[ApplyEvent], None]:
    def record(event: ApplyEvent) -> None:
        log.event(
            "operation",
            product_id=event.product_id,
            action=event.action,
            event=event.kind,
            error=event.error,
        )
        if on_event is not None:
            on_event(event)

    return record


def _header(
    config: Config, plan: Plan, environ: Mapping[str, str], plan_file: Path | None
) -> dict[str, Any]:
    env = config.environment(plan.environment)
    return {
        "tool": {"name": "catalog-sync", "version": __version__},
        "started_at": _now(),
        "who": who(environ),
        "where": where(environ, config.root),
        "environment": plan.environment,
        "base_url": plan.base_url,
        "public_base_url": env.public_base_url,
        "plan": {
            "change_set_digest": change_set_digest(plan),
            "desired_digest": plan.desired_digest,
            "file": str(plan_file) if plan_file is not None else None,
            "schema": plan.schema,
            "removal": plan.removal,
            "changes": [
                {"product_id": c.product_id, "action": c.action.value}
                for c in plan.changes
            ],
        },
        # Reserved for policy gates (another branch adds them to plans): {"results":
        # [...], "override_reason": str | None}; None until plans carry policy results.
        "policy": None,
    }


def _end(run: AppliedRun) -> dict[str, Any]:
    result = run.result
    return {
        "outcome": "applied" if result.is_success else "incomplete",
        "finished_at": _now(),
        "error": None,
        "result": {
            "ok": result.is_success,
            "counts": result.counts(),
            "stopped_by": result.stopped_by,
            "operations": [
                {
                    "product_id": o.product_id,
                    "action": o.action,
                    "status": o.status,
                    "error": o.error,
                }
                for o in result.outcomes
            ],
        },
        "verify": {
            "ran": run.verification is not None,
            "skipped": run.verify_skipped,
            "error": run.verify_error,
            "visible": run.is_visible,
            "report": (
                verify_document(run.verification)
                if run.verification is not None
                else None
            ),
        },
    }


def _record_path(config: Config, plan: Plan) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", plan.environment)
    return audit_dir(config) / f"{stamp}-{name}-{secrets.token_hex(3)}.json"


def _now() -> str:
    return now_rfc3339()
