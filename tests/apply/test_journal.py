from __future__ import annotations

import errno
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from catalog_sync.apply.journal import Journal
from catalog_sync.apply.journal import journal_path
from catalog_sync.apply.journal import read_interrupted


def test_journal_path_is_per_environment(tmp_path):
    assert journal_path(tmp_path, "staging") == tmp_path / "journal-staging.jsonl"


def test_read_interrupted_is_none_without_a_journal(tmp_path):
    assert read_interrupted(tmp_path / "journal-local.jsonl") is None


def test_journal_records_intents_and_outcomes_for_the_next_run(tmp_path):
    journal = Journal(tmp_path / "state" / "journal-local.jsonl")
    journal.begin(total=4, plan_digest="sha256:abc")
    for pid in ("A", "B", "C"):
        journal.intent(pid, "create")
    journal.done("A", "create")
    journal.failed("B", "create", "503 from POST /products")

    leftover = read_interrupted(journal.path)

    assert leftover is not None
    assert leftover.total == 4
    assert leftover.plan_digest == "sha256:abc"
    assert [e.product_id for e in leftover.completed] == ["A"]
    assert [e.product_id for e in leftover.failed] == ["B"]
    assert [e.product_id for e in leftover.in_doubt] == ["C"]
    text = leftover.describe()
    assert text.startswith(
        "the previous apply was interrupted: 1 of 4 operations completed:"
    )
    assert "done     create A" in text
    assert "failed   create B: 503 from POST /products" in text
    assert "unknown  create C" in text


def test_journal_ignores_a_torn_last_line(tmp_path):
    journal = Journal(tmp_path / "journal-local.jsonl")
    journal.begin(total=2, plan_digest=None)
    journal.intent("A", "update")
    journal.done("A", "update")
    with journal.path.open("a", encoding="utf-8") as handle:
        handle.write('{"event": "intent", "produ')

    leftover = read_interrupted(journal.path)

    assert leftover is not None
    assert [e.product_id for e in leftover.completed] == ["A"]
    assert leftover.in_doubt == ()


@pytest.mark.parametrize("text", ["", "\n", '{"event": "beg'])
def test_a_journal_with_no_whole_record_is_no_interrupted_run(tmp_path, text):
    """A run killed before its first line reached the disk left nothing to report."""
    path = tmp_path / "journal-local.jsonl"
    path.write_text(text, encoding="utf-8")
    assert read_interrupted(path) is None


def test_journal_skips_lines_that_are_json_but_not_records(tmp_path):
    journal = Journal(tmp_path / "journal-local.jsonl")
    journal.begin(total=2, plan_digest=None)
    journal.intent("A", "update")
    with journal.path.open("a", encoding="utf-8") as handle:
        handle.write('[1, 2]\n"intent"\nnull\n')
    journal.done("A", "update")

    leftover = read_interrupted(journal.path)

    assert leftover is not None
    assert leftover.total == 2
    assert [e.product_id for e in leftover.completed] == ["A"]
    assert leftover.failed == ()
    assert leftover.in_doubt == ()


def test_journal_clear_removes_the_file_and_begin_starts_over(tmp_path):
    journal = Journal(tmp_path / "journal-local.jsonl")
    journal.begin(total=1, plan_digest=None)
    journal.intent("A", "delete")
    journal.begin(total=1, plan_digest=None)
    leftover = read_interrupted(journal.path)
    assert leftover is not None
    assert leftover.entries == ()
    journal.clear()
    assert not journal.path.exists()
    assert read_interrupted(journal.path) is None


def test_journal_concurrent_appends_share_fsyncs_each_waits_for_its_line(tmp_path):
    path = tmp_path / "journal-local.jsonl"
    synced: list[str] = []  # what the file held when each finished fsync began
    lock = threading.Lock()

    def slow_fsync(fd: int) -> None:
        text = path.read_text(encoding="utf-8")
        time.sleep(0.05)
        os.fsync(fd)
        with lock:
            synced.append(text)

    journal = Journal(path, fsync=slow_fsync)
    journal.begin(total=16, plan_digest=None)
    synced.clear()

    def append(pid: str) -> bool:
        journal.intent(pid, "create")
        with lock:  # on return, a finished fsync must have covered this line
            return any(f'"product_id": "{pid}"' in text for text in synced)

    with ThreadPoolExecutor(max_workers=8) as pool:
        covered = list(pool.map(append, [f"P{i:02d}" for i in range(16)]))

    assert all(covered)
    # One fsync at a time, each for every line written so far: 16 appends from 8
    # threads need a handful, not 16 in a row.
    assert len(synced) <= 8


def test_journal_fsync_failure_reaches_its_writer_and_the_next_append_syncs(tmp_path):
    calls: list[int] = []

    def failing_once(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 1:
            raise OSError(errno.EIO, "I/O error")
        os.fsync(fd)

    journal = Journal(tmp_path / "journal-local.jsonl", fsync=failing_once)
    with pytest.raises(OSError, match="I/O error"):
        journal.begin(total=1, plan_digest=None)
    journal.intent("A", "create")

    assert len(calls) == 2
    leftover = read_interrupted(journal.path)
    assert leftover is not None
    assert leftover.total == 1
    assert [e.product_id for e in leftover.in_doubt] == ["A"]
