"""Audit records written by AuditLog and read back: finished, killed (no end), torn
mid-line, and files that are not records."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from catalog_sync.audit.reading import read_record
from catalog_sync.audit.record import SYNC_EVERY
from catalog_sync.audit.record import AuditLog
from catalog_sync.errors import ConfigError
from catalog_sync.fiskil.observe import CallAnswered
from catalog_sync.fiskil.observe import CallSent
from catalog_sync.render.audit import render_audit


def _log(path: Path, syncs: list[int]) -> AuditLog:
    log = AuditLog(path, fsync=syncs.append)
    log.begin(
        {"environment": "staging", "policy": {"results": [], "override_reason": "x"}}
    )
    return log


def test_a_finished_record_is_one_json_document_synced_in_groups(tmp_path):
    syncs: list[int] = []
    path = tmp_path / "audit" / "r.json"
    log = _log(path, syncs)
    observe = log.observer("apply")
    for number in range(1, 101):
        observe(CallSent(number, "GET", f"/p/{number}"))
        observe(CallAnswered(number, 200, 0.01, request_id="r"))
    log.end({"outcome": "applied"})
    log.end({"outcome": "twice"})  # a second end writes nothing
    log.event("late")  # nor does an event after the end
    assert len(syncs) == 1 + 200 // SYNC_EVERY + 1  # begin, every 64 lines, end
    document = json.loads(path.read_text())
    assert document["end"] == {"outcome": "applied"}
    assert [e["call"] for e in document["events"][:4]] == [1, 1, 2, 2]
    record = read_record(path)
    assert record.is_complete
    assert not record.torn
    assert record.to_json()["events"] == document["events"]
    text = render_audit(record, "text")
    assert 'Policy: {"override_reason": "x", "results": []}' in text
    assert "#100  apply  GET    /p/100  200 in 10.0 ms, request-id r" in text
    assert json.loads(render_audit(record, "json"))["complete"] is True
    with pytest.raises(FileExistsError):
        AuditLog(path).begin({})  # never overwrites a record


def test_a_killed_record_keeps_every_whole_line(tmp_path):
    path = tmp_path / "r.json"
    log = _log(path, [])
    observe = log.observer("verify")
    observe(CallSent(7, "PUT", "/p/a"))
    observe(CallAnswered(7, None, 0.5, error="ReadTimeout"))
    observe(CallSent(8, "PUT", "/p/b"))
    log.event("operation", product_id="a", action="update", event="started", error=None)
    log.event("operation", product_id="b", action="update", event="failed", error="no")
    text = path.read_text() + "\n"  # an empty line is skipped
    path.write_text(text + ',{"type": "answer", "ca')  # torn mid-write
    record = read_record(path)
    assert (record.is_complete, record.torn, len(record.events)) == (False, True, 5)
    shown = render_audit(record, "text")
    assert "#1    verify PUT    /p/a  failed in 500.0 ms (ReadTimeout)" in shown
    assert "#2    verify PUT    /p/b  no answer recorded" in shown
    assert "  update a: sent, result never recorded" in shown
    assert "  update b: failed: no" in shown
    assert "(its last line was cut mid-write)" in shown
    assert json.loads(render_audit(record, "json"))["end"] is None


def test_a_torn_end_line_is_an_unfinished_record(tmp_path):
    path = tmp_path / "r.json"
    log = _log(path, [])
    log.end({"outcome": "applied", "verify": {"skipped": "--no-verify"}})
    text = path.read_text()
    path.write_text(text[: text.rindex("applied")])
    record = read_record(path)
    assert not record.is_complete
    assert record.torn


def test_a_damaged_middle_line_keeps_the_events_before_it_and_the_end(tmp_path):
    path = tmp_path / "r.json"
    log = _log(path, [])
    for number in range(3):
        log.event("operation", product_id=f"p{number}")
    log.end({"outcome": "applied"})
    lines = path.read_text().split("\n")
    lines[2] = ",{damaged"
    path.write_text("\n".join(lines))
    record = read_record(path)
    assert (record.torn, record.end) == (True, {"outcome": "applied"})
    assert [e["product_id"] for e in record.events] == ["p0"]


def test_rendered_endings():
    from catalog_sync.audit.reading import AuditRecord

    def shown(end: dict[str, Any] | None) -> str:
        record = AuditRecord(Path("r.json"), 1, {"policy": None}, (), end)
        return render_audit(record, "text")

    assert "Error:  stale plan" in shown({"outcome": "refused", "error": "stale plan"})
    assert "Verify: not run (--no-verify)" in shown(
        {"verify": {"skipped": "--no-verify"}}
    )
    assert "Verify: could not verify: boom" in shown({"verify": {"error": "boom"}})
    visible = {
        "visible": False,
        "report": {"counts": {"matches": 1, "missing": 2}, "waited_seconds": 120},
    }
    assert "Verify: NOT visible (1 matches, 2 missing; waited 120 s)" in shown(
        {"verify": visible}
    )
    many = AuditRecord(
        Path("r.json"),
        1,
        {
            "plan": {
                "changes": [
                    {"action": "create", "product_id": f"p{i}"} for i in range(25)
                ]
            },
            "where": {"repository": "bank/catalog", "run_url": "https://run"},
        },
        (),
        None,
    )
    text = render_audit(many, "text")
    assert "25 changes: create p0," in text
    assert ", … 5 more" in text
    assert "Where:  bank/catalog, commit -, run https://run" in text
    assert "Policy: none recorded" in text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("hello\n", "its first line is not an audit record's opening"),
        ('{"format": x, "events": [\n', "its first line is not JSON"),
        (
            '{"format": "other", "format_version": 1, "header": {}, "events": []}',
            'no "format"',
        ),
        (
            '{"format": "catalog-sync-audit", "format_version": 1, "events": []}',
            "no header",
        ),
        ("[1, 2]", 'no "format"'),
    ],
)
def test_a_file_that_is_not_a_record_is_refused_naming_it(tmp_path, content, message):
    path = tmp_path / "r.json"
    path.write_text(content)
    with pytest.raises(ConfigError) as info:
        read_record(path)
    assert str(path) in str(info.value)
    assert message in str(info.value)


def test_a_newer_format_or_an_unreadable_file_is_refused(tmp_path):
    path = tmp_path / "r.json"
    path.write_text(
        '{"format": "catalog-sync-audit", "format_version": 99, "header": {}, "events": []}'
    )
    with pytest.raises(ConfigError, match="format_version 99 is not one this"):
        read_record(path)
    with pytest.raises(ConfigError, match="cannot read the audit record"):
        read_record(tmp_path / "missing.json")
