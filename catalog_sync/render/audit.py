"""`catalog-sync audit show`: an audit record for people (who, where, which plan, every
call with its answer, every operation, what customers saw, the outcome), or the record
as JSON, completed when the apply never finished it. Pure."""

from __future__ import annotations

import json
from typing import Any

from catalog_sync.audit.reading import AuditRecord
from catalog_sync.render.words import printable


def render_audit(record: AuditRecord, output_format: str) -> str:
    """`output_format`: text or json."""
    if output_format == "json":
        document = {**record.to_json(), "complete": record.is_complete}
        return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return "\n".join(_text(record)) + "\n"


def _text(record: AuditRecord) -> list[str]:
    header = record.header
    plan = _dict(header.get("plan"))
    lines = [
        f"Audit record {record.path} (format {record.format_version})",
        f"Apply to {_s(header.get('environment'))} at {_s(header.get('base_url'))}, "
        f"started {_s(header.get('started_at'))}",
        f"Who:    {_who(_dict(header.get('who')))}",
        f"Where:  {_where(_dict(header.get('where')))}",
        f"Plan:   {_s(plan.get('change_set_digest'))}, {_changes(plan)}",
        f"Policy: {_policy(header.get('policy'))}",
    ]
    lines += _calls(record.events)
    lines += _operations(record.events)
    lines += _ending(record)
    return [printable(line) for line in lines]


def _calls(events: tuple[dict[str, Any], ...]) -> list[str]:
    answers = {e.get("call"): e for e in events if e.get("type") == "answer"}
    calls = [e for e in events if e.get("type") == "call"]
    lines = [f"Calls ({len(calls)}):"]
    for call in calls:
        answer = answers.get(call.get("call"))
        lines.append(
            f"  #{_s(call.get('call')):<4} {_s(call.get('phase')):<6} "
            f"{_s(call.get('method')):<6} {_s(call.get('path'))}  {_answer(answer)}"
        )
    return lines


def _answer(answer: dict[str, Any] | None) -> str:
    if answer is None:
        return "no answer recorded (the apply stopped while it was in flight)"
    outcome = _s(answer.get("status")) if answer.get("error") is None else "failed"
    text = f"{outcome} in {_s(answer.get('ms'))} ms"
    if answer.get("error"):
        text += f" ({_s(answer.get('error'))})"
    if answer.get("request_id"):
        text += f", request-id {_s(answer.get('request_id'))}"
    return text


def _operations(events: tuple[dict[str, Any], ...]) -> list[str]:
    last: dict[tuple[str, str], dict[str, Any]] = {}
    for event in events:
        if event.get("type") == "operation":
            last[(_s(event.get("product_id")), _s(event.get("action")))] = event
    lines = [f"Operations ({len(last)}):"]
    for (product_id, action), event in last.items():
        kind = _s(event.get("event"))
        state = "sent, result never recorded" if kind == "started" else kind
        error = f": {_s(event.get('error'))}" if event.get("error") else ""
        lines.append(f"  {action} {product_id}: {state}{error}")
    return lines


def _ending(record: AuditRecord) -> list[str]:
    end = record.end
    if end is None:
        torn = " (its last line was cut mid-write)" if record.torn else ""
        return [
            "Outcome: UNFINISHED: the apply was killed or the machine stopped before "
            f"it closed this record{torn}; every call it made until then is above."
        ]
    lines = [
        f"Outcome: {_s(end.get('outcome'))}, finished {_s(end.get('finished_at'))}"
    ]
    if end.get("error"):
        lines.append(f"Error:  {_s(end.get('error'))}")
    result = _dict(end.get("result"))
    if result:
        counts = _dict(result.get("counts"))
        lines.append(
            "Result: " + ", ".join(f"{n} {status}" for status, n in counts.items())
        )
    verify = _dict(end.get("verify"))
    if verify:
        lines.append(f"Verify: {_verify(verify)}")
    return lines


def _verify(verify: dict[str, Any]) -> str:
    if verify.get("skipped"):
        return f"not run ({_s(verify.get('skipped'))})"
    if verify.get("error"):
        return f"could not verify: {_s(verify.get('error'))}"
    report = _dict(verify.get("report"))
    counts = _dict(report.get("counts"))
    state = "customers see the change" if verify.get("visible") else "NOT visible"
    waited = report.get("waited_seconds")
    return f"{state} ({', '.join(f'{n} {s}' for s, n in counts.items() if n)}; waited {_s(waited)} s)"


def _who(who: dict[str, Any]) -> str:
    return f"{_s(who.get('actor'))} ({_s(who.get('source'))})"


def _where(where: dict[str, Any]) -> str:
    parts = [f"{_s(where.get('repository') or 'local checkout')}"]
    parts.append(f"commit {_s(where.get('commit'))}")
    if where.get("pull_request") is not None:
        parts.append(f"pull request #{_s(where.get('pull_request'))}")
    if where.get("run_url"):
        parts.append(f"run {_s(where.get('run_url'))}")
    return ", ".join(parts)


def _changes(plan: dict[str, Any]) -> str:
    changes = plan.get("changes")
    items = changes if isinstance(changes, list) else []
    listed = ", ".join(
        f"{_s(c.get('action'))} {_s(c.get('product_id'))}"
        for c in items[:20]
        if isinstance(c, dict)
    )
    more = f", … {len(items) - 20} more" if len(items) > 20 else ""
    return f"{len(items)} changes" + (f": {listed}{more}" if listed else "")


def _policy(policy: Any) -> str:
    if policy is None:
        return "none recorded"
    return json.dumps(policy, sort_keys=True, ensure_ascii=False)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _s(value: Any) -> str:
    return "-" if value is None else str(value)
