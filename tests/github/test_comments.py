from __future__ import annotations

import pytest

from catalog_sync.errors import GitHubError
from catalog_sync.github.comments import COMMENT_LIMIT_CHARS
from catalog_sync.github.comments import compose_body
from catalog_sync.github.comments import find_comment
from catalog_sync.github.comments import plan_marker
from catalog_sync.github.comments import pull_requests_for_commit
from catalog_sync.github.comments import upsert_comment
from tests.github.fake_github import REPO
from tests.github.fake_github import Fault

MARKER = plan_marker("production")


def test_plan_marker_is_a_hidden_html_comment_per_environment():
    assert MARKER == "<!-- catalog-sync:plan:production -->"
    assert plan_marker("staging") != MARKER


def test_plan_marker_rejects_names_that_could_break_out_of_the_comment():
    with pytest.raises(GitHubError, match="cannot be used in a comment marker"):
        plan_marker("prod -->")
    with pytest.raises(GitHubError, match="cannot be used in a comment marker"):
        plan_marker("prod\n")


def test_marker_on_page_three_is_found_and_edited_in_place(fake_github, client):
    fake_github.add_issue(number=5)
    for index in range(230):
        fake_github.add_comment(5, f"chatter {index}")
    sticky = fake_github.add_comment(5, compose_body("old plan", MARKER))
    found = find_comment(client, issue_number=5, marker=MARKER)
    assert found is not None
    assert found["id"] == sticky["id"]
    gets_before = len(fake_github.requests("GET"))
    assert gets_before == 3

    result = upsert_comment(client, issue_number=5, body="new plan", marker=MARKER)

    assert result.action == "updated"
    assert result.comment_id == sticky["id"]
    assert sticky["body"] == f"{MARKER}\nnew plan"
    assert fake_github.requests("POST") == []
    assert len(fake_github.comments[5]) == 231


def test_first_push_creates_then_every_push_edits_the_same_comment(fake_github, client):
    fake_github.add_issue(number=3)
    first = upsert_comment(client, issue_number=3, body="plan v1", marker=MARKER)
    second = upsert_comment(client, issue_number=3, body="plan v2", marker=MARKER)
    third = upsert_comment(client, issue_number=3, body="plan v2", marker=MARKER)
    assert [first.action, second.action, third.action] == [
        "created",
        "updated",
        "unchanged",
    ]
    assert first.comment_id == second.comment_id == third.comment_id
    assert len(fake_github.comments[3]) == 1
    assert fake_github.comments[3][0]["body"].endswith("plan v2")


def test_each_environment_has_its_own_sticky_comment(fake_github, client):
    fake_github.add_issue(number=3)
    upsert_comment(client, issue_number=3, body="s", marker=plan_marker("staging"))
    upsert_comment(client, issue_number=3, body="p", marker=MARKER)
    assert len(fake_github.comments[3]) == 2


def test_a_body_cannot_carry_another_comments_marker():
    text = compose_body(f"evil {plan_marker('staging')}", MARKER)
    assert text.startswith(MARKER)
    assert plan_marker("staging") not in text


def test_oversized_body_is_cut_under_githubs_limit_with_a_note():
    text = compose_body("line of plan\n" * 10_000, MARKER)
    assert len(text) <= 65_536
    assert len(text) <= COMMENT_LIMIT_CHARS + len(MARKER) + 1
    assert "Truncated" in text


def test_missing_pull_request_is_a_clear_404(fake_github, client):
    with pytest.raises(GitHubError, match=r"issues/99/comments returned 404"):
        upsert_comment(client, issue_number=99, body="x", marker=MARKER)


def test_pull_requests_for_commit_lists_merged_ones_newest_first(fake_github, client):
    sha = "a" * 40
    fake_github.pulls[4] = {"number": 4, "merged_at": "2026-01-01T00:00:00Z"}
    fake_github.pulls[6] = {"number": 6, "merged_at": "2026-02-01T00:00:00Z"}
    fake_github.pulls[8] = {"number": 8, "merged_at": None}
    fake_github.commit_pulls[sha] = [4, 6, 8]
    assert pull_requests_for_commit(client, sha) == (6, 4)
    assert pull_requests_for_commit(client, "b" * 40) == ()
    with pytest.raises(GitHubError, match="not a full commit SHA"):
        pull_requests_for_commit(client, "main")
    assert f"/repos/{REPO}/commits/{sha}/pulls" in fake_github.requests("GET")


def test_a_created_comment_without_an_id_is_a_github_error(fake_github, client):
    fake_github.add_issue(number=7)
    path = f"/repos/{REPO}/issues/7/comments"
    fake_github.faults.append(Fault("POST", path, 201, body={"body": "x"}))
    with pytest.raises(GitHubError, match="a comment without an id was returned"):
        upsert_comment(client, issue_number=7, body="x", marker=MARKER)
