from __future__ import annotations

from catalog_sync.engine.journal import Journal
from catalog_sync.engine.journal import journal_path
from catalog_sync.engine.journal import read_interrupted


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
