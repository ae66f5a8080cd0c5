from __future__ import annotations

from catalog_sync.github.issues import DRIFT_LABEL
from catalog_sync.github.issues import drift_marker
from catalog_sync.github.issues import sync_drift_issue


def test_drift_opens_one_labelled_issue_then_updates_it(fake_github, client):
    first = sync_drift_issue(
        client, environment="production", drifted=True, report="1 changed"
    )
    again = sync_drift_issue(
        client, environment="production", drifted=True, report="1 changed"
    )
    more = sync_drift_issue(
        client, environment="production", drifted=True, report="2 changed"
    )
    assert [first.action, again.action, more.action] == [
        "opened",
        "unchanged",
        "updated",
    ]
    assert first.number == again.number == more.number
    assert len(fake_github.issues) == 1
    issue = fake_github.issues[first.number]
    assert issue["labels"] == [{"name": DRIFT_LABEL}]
    assert issue["body"].startswith(drift_marker("production"))
    assert issue["body"].endswith("2 changed")
    assert "production" in issue["title"]


def test_clean_closes_the_issue_with_a_comment(fake_github, client):
    opened = sync_drift_issue(client, environment="staging", drifted=True, report="x")
    closed = sync_drift_issue(client, environment="staging", drifted=False, report="ok")
    assert closed.action == "closed"
    assert fake_github.issues[opened.number]["state"] == "closed"
    assert "matches git again" in fake_github.comments[opened.number][0]["body"]
    assert (
        sync_drift_issue(
            client, environment="staging", drifted=False, report="ok"
        ).action
        == "none"
    )


def test_drift_after_closing_opens_a_fresh_issue(fake_github, client):
    sync_drift_issue(client, environment="staging", drifted=True, report="x")
    sync_drift_issue(client, environment="staging", drifted=False, report="ok")
    reopened = sync_drift_issue(client, environment="staging", drifted=True, report="y")
    assert reopened.action == "opened"
    assert len(fake_github.issues) == 2


def test_environments_and_unrelated_issues_are_kept_apart(fake_github, client):
    fake_github.add_issue(title="other", labels=[{"name": DRIFT_LABEL}], body="hi")
    fake_github.add_issue(
        body=drift_marker("production"),
        labels=[{"name": DRIFT_LABEL}],
        pull_request={"url": "x"},
    )
    sync_drift_issue(client, environment="production", drifted=True, report="p")
    sync_drift_issue(client, environment="staging", drifted=True, report="s")
    assert len(fake_github.issues) == 4
    result = sync_drift_issue(client, environment="staging", drifted=False, report="ok")
    assert result.action == "closed"
    open_markers = [
        issue["body"].splitlines()[0]
        for issue in fake_github.issues.values()
        if issue["state"] == "open" and "pull_request" not in issue
    ]
    assert drift_marker("production") in open_markers
    assert drift_marker("staging") not in open_markers
