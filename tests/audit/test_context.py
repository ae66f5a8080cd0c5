"""Who applied and from where: GitHub Actions variables, else the local user and commit."""

from __future__ import annotations

import getpass
import json
import subprocess

from catalog_sync.audit.context import pull_request_number
from catalog_sync.audit.context import where
from catalog_sync.audit.context import who


def test_who_is_the_github_actor_else_the_local_user(monkeypatch):
    assert who({"GITHUB_ACTOR": "alice"}) == {
        "actor": "alice",
        "source": "GITHUB_ACTOR",
    }
    monkeypatch.setattr(getpass, "getuser", lambda: "bob")
    assert who({}) == {"actor": "bob", "source": "local user"}

    def nobody() -> str:
        raise OSError("no user")

    monkeypatch.setattr(getpass, "getuser", nobody)
    assert who({})["actor"] == "unknown"


def test_where_outside_github_is_the_local_checkout(tmp_path):
    assert where({}, tmp_path)["commit"] is None  # not a git checkout
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(
        ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@t",
         "commit", "-q", "--allow-empty", "-m", "x"],
        check=True,
    )  # fmt: skip
    head = subprocess.run(
        ["git", "-C", str(tmp_path), "rev-parse", "HEAD"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    assert where({}, tmp_path) == {
        "repository": None,
        "commit": head,
        "ref": None,
        "pull_request": None,
        "run_url": None,
        "workflow": None,
    }


def test_where_without_git_on_the_path(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert where({}, tmp_path)["commit"] is None


def test_a_first_run_attempt_is_the_plain_run_url(tmp_path):
    environ = {
        "GITHUB_REPOSITORY": "b/c",
        "GITHUB_RUN_ID": "5",
        "GITHUB_RUN_ATTEMPT": "1",
    }
    assert (
        where(environ, tmp_path)["run_url"] == "https://github.com/b/c/actions/runs/5"
    )


def test_pull_request_number_from_each_source(tmp_path):
    assert pull_request_number({"CATALOG_SYNC_PULL_REQUEST": "7"}) == 7
    assert pull_request_number({"GITHUB_REF": "refs/pull/42/merge"}) == 42
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"number": 9}}))
    assert pull_request_number({"GITHUB_EVENT_PATH": str(event)}) == 9
    event.write_text(json.dumps({"pull_request": {"number": True}}))
    assert pull_request_number({"GITHUB_EVENT_PATH": str(event)}) is None
    event.write_text(json.dumps({"push": {}}))
    assert pull_request_number({"GITHUB_EVENT_PATH": str(event)}) is None
    event.write_text("not json")
    assert pull_request_number({"GITHUB_EVENT_PATH": str(event)}) is None
    assert pull_request_number({"CATALOG_SYNC_PULL_REQUEST": "x"}) is None
