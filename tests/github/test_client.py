from __future__ import annotations

import email.utils

import pytest

from catalog_sync.errors import GitHubError
from catalog_sync.github.client import GitHubClient
from catalog_sync.github.client import client_from_env
from catalog_sync.github.client import next_link
from tests.github.fake_github import REPO
from tests.github.fake_github import TOKEN
from tests.github.fake_github import Fault

COMMENTS = f"/repos/{REPO}/issues/7/comments"


def test_next_link_finds_the_next_relation_among_others():
    header = '<https://x/a?page=1>; rel="prev", <https://x/a?page=3>; rel="next"'
    assert next_link(header) == "https://x/a?page=3"
    assert next_link('<https://x/a?page=1>; rel="first"') is None
    assert next_link(None) is None


def test_iter_pages_follows_link_headers_across_pages(fake_github, client):
    fake_github.add_issue()
    fake_github.add_issue()  # 2
    for index in range(250):
        fake_github.add_comment(2, f"comment {index}")
    bodies = [c["body"] for c in client.iter_pages(f"/repos/{REPO}/issues/2/comments")]
    assert bodies == [f"comment {index}" for index in range(250)]
    assert len(fake_github.requests("GET")) == 3


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (404, {"message": "Not Found"}, "returned 404 Not Found: Not Found"),
        (
            403,
            {"message": "Resource not accessible by integration"},
            "returned 403 Forbidden: Resource not accessible by integration",
        ),
        (
            422,
            {
                "message": "Validation Failed",
                "errors": [{"resource": "Issue", "field": "title", "code": "missing"}],
            },
            "Validation Failed; resource=Issue field=title code=missing",
        ),
    ],
)
def test_error_statuses_become_github_errors_with_a_hint(
    fake_github, client, status, body, expected
):
    fake_github.faults.append(Fault("GET", COMMENTS, status, body=body))
    with pytest.raises(GitHubError) as caught:
        client.get_json(COMMENTS)
    message = str(caught.value)
    assert f"GET {COMMENTS}" in message
    assert expected in message
    assert caught.value.hint
    assert TOKEN not in message
    assert len(fake_github.ledger) == 1  # never retried


def test_403_hint_names_the_missing_permission(fake_github, client):
    fake_github.faults.append(Fault("POST", COMMENTS, 403, body={"message": "no"}))
    with pytest.raises(GitHubError, match="pull-requests: write"):
        client.send_json("POST", COMMENTS, {"body": "x"})


def test_429_with_retry_after_is_waited_out_with_the_fake_clock(
    fake_github, client, clock
):
    fake_github.add_issue(number=7)
    fake_github.faults.append(
        Fault("GET", COMMENTS, 429, headers={"Retry-After": "7"}, times=2)
    )
    assert client.get_json(COMMENTS) == []
    assert clock.sleeps == [7.0, 7.0]
    assert len(fake_github.ledger) == 3


def test_secondary_rate_limit_403_honours_x_ratelimit_reset(fake_github, client, clock):
    fake_github.add_issue()
    reset = str(int(clock.now()) + 42)
    headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": reset}
    fake_github.faults.append(
        Fault("GET", f"/repos/{REPO}/issues", 403, headers=headers)
    )
    assert len(list(client.iter_pages(f"/repos/{REPO}/issues"))) == 1
    assert clock.sleeps == [42.0]


def test_secondary_rate_limit_message_without_headers_waits_a_minute(
    fake_github, client, clock
):
    fake_github.add_issue(number=7)
    body = {"message": "You have exceeded a secondary rate limit."}
    fake_github.faults.append(Fault("POST", COMMENTS, 403, body=body))
    client.send_json("POST", COMMENTS, {"body": "hello"})
    assert clock.sleeps == [60.0]
    assert len(fake_github.requests("POST")) == 2


def test_retry_after_as_http_date_is_relative_to_the_clock(fake_github, client, clock):
    fake_github.add_issue(number=7)
    when = email.utils.formatdate(clock.now() + 5, usegmt=True)
    fake_github.faults.append(
        Fault("GET", COMMENTS, 429, headers={"Retry-After": when})
    )
    client.get_json(COMMENTS)
    assert clock.sleeps == [5.0]


def test_a_wait_above_the_cap_fails_at_once_without_sleeping(
    fake_github, client, clock
):
    fake_github.faults.append(
        Fault("GET", COMMENTS, 429, headers={"Retry-After": "3600"})
    )
    with pytest.raises(GitHubError, match="rate limited for 3600 s"):
        client.get_json(COMMENTS)
    assert clock.sleeps == []


def test_persistent_rate_limit_stops_after_max_attempts(fake_github, client, clock):
    fake_github.faults.append(
        Fault("GET", COMMENTS, 429, headers={"Retry-After": "1"}, times=99)
    )
    with pytest.raises(GitHubError, match="after 4 attempts"):
        client.get_json(COMMENTS)
    assert clock.sleeps == [1.0, 1.0, 1.0]
    assert len(fake_github.ledger) == 4


def test_bad_token_is_401_with_hint_and_no_token_in_text(fake_github, clock):
    with GitHubClient(
        token="wrong-token-value", repository=REPO, api_url=fake_github.base_url
    ) as github:
        with pytest.raises(GitHubError) as caught:
            github.get_json(COMMENTS)
        assert "wrong-token-value" not in repr(github)
    assert "401" in str(caught.value)
    assert "wrong-token-value" not in str(caught.value)


def test_connection_refused_is_a_github_error(clock):
    gh = GitHubClient(token=TOKEN, repository=REPO, api_url="http://127.0.0.1:9")
    with gh, pytest.raises(GitHubError, match="failed: ConnectError"):
        gh.get_json("/x")


def test_client_from_env_requires_token_and_repository():
    with pytest.raises(GitHubError, match="GITHUB_TOKEN is not set"):
        client_from_env({"GITHUB_REPOSITORY": REPO})
    with pytest.raises(GitHubError, match="not owner/name"):
        client_from_env({"GITHUB_TOKEN": TOKEN, "GITHUB_REPOSITORY": "nope"})
    with pytest.raises(GitHubError, match="not owner/name"):
        client_from_env({"GITHUB_TOKEN": TOKEN, "GITHUB_REPOSITORY": f"{REPO}\n"})


def test_403_with_retry_after_is_a_secondary_limit_and_waited_out(
    fake_github, client, clock
):
    fake_github.add_issue(number=7)
    fake_github.faults.append(
        Fault(
            "POST", COMMENTS, 403, headers={"Retry-After": "30"}, body={"message": "x"}
        )
    )
    client.send_json("POST", COMMENTS, {"body": "hello"})
    assert clock.sleeps == [30.0]
    assert len(fake_github.comments[7]) == 1


def test_transient_502_on_get_is_retried_with_backoff(fake_github, client, clock):
    fake_github.add_issue(number=7)
    fake_github.faults.append(Fault("GET", COMMENTS, 502, times=2))
    assert client.get_json(COMMENTS) == []
    assert clock.sleeps == [1.0, 2.0]


def test_502_on_post_is_not_retried(fake_github, client, clock):
    fake_github.add_issue(number=7)
    fake_github.faults.append(Fault("POST", COMMENTS, 502))
    with pytest.raises(GitHubError, match="returned 502"):
        client.send_json("POST", COMMENTS, {"body": "hello"})
    assert clock.sleeps == []
    assert fake_github.comments.get(7, []) == []


def test_send_json_refuses_an_answer_that_is_not_an_object(fake_github, client):
    fake_github.faults.append(Fault("POST", COMMENTS, 201, body=[{"id": 1}]))
    with pytest.raises(GitHubError, match=f"POST {COMMENTS} answered a non-object"):
        client.send_json("POST", COMMENTS, {"body": "x"})


def test_invalid_json_answer_is_a_github_error(fake_github, client):
    fake_github.faults.append(Fault("GET", COMMENTS, 200, body=b"<html>oops</html>"))
    with pytest.raises(GitHubError, match=f"GET {COMMENTS} answered invalid JSON"):
        client.get_json(COMMENTS)


def test_an_empty_answer_decodes_to_none(fake_github, client):
    fake_github.faults.append(Fault("GET", COMMENTS, 204))
    assert client.get_json(COMMENTS) is None


def test_iter_pages_refuses_an_answer_that_is_not_a_list(fake_github, client):
    fake_github.faults.append(Fault("GET", COMMENTS, 200, body={"message": "x"}))
    with pytest.raises(GitHubError, match=f"GET {COMMENTS} did not answer a list"):
        list(client.iter_pages(COMMENTS))


def test_iter_pages_stops_when_a_next_link_repeats_a_page(fake_github, client):
    loop = f"{fake_github.base_url}{COMMENTS}?page=2"
    headers = {"Link": f'<{loop}>; rel="next"'}
    fake_github.faults.append(
        Fault("GET", COMMENTS, 200, headers=headers, body=[], times=3)
    )
    with pytest.raises(GitHubError, match=f"pagination of {COMMENTS} does not end"):
        list(client.iter_pages(COMMENTS))
    assert len(fake_github.requests("GET")) == 2  # the first page and page 2, once


@pytest.mark.parametrize(
    "headers",
    [
        {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "soon"},
        {"Retry-After": "in a while"},
    ],
)
def test_an_unreadable_rate_limit_header_waits_a_minute(
    fake_github, client, clock, headers
):
    fake_github.add_issue(number=7)
    fake_github.faults.append(Fault("GET", COMMENTS, 403, headers=headers))
    assert client.get_json(COMMENTS) == []
    assert clock.sleeps == [60.0]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (["unexpected"], ""),  # no message GitHub's error shape would carry
        (
            {"message": "Validation Failed", "errors": ["title is too long"]},
            ": Validation Failed; title is too long",
        ),
    ],
)
def test_error_detail_from_odd_bodies(fake_github, client, body, expected):
    fake_github.faults.append(Fault("GET", COMMENTS, 410, body=body))
    with pytest.raises(GitHubError) as caught:
        client.get_json(COMMENTS)
    assert (
        caught.value.message
        == f"GitHub API: GET {COMMENTS} returned 410 Gone{expected}"
    )
    assert caught.value.hint == (
        "the issue or pull request is gone or issues are disabled on the repository"
    )
