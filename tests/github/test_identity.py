"""Only the workflow's own comments and issues are ever edited: a stranger who copies the
marker gets neither the plan under their name nor a failed check (issue 15, item 3)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from catalog_sync.cli import cli
from catalog_sync.errors import GitHubError
from catalog_sync.github.client import client_from_env
from catalog_sync.github.comments import compose_body
from catalog_sync.github.comments import find_comment
from catalog_sync.github.comments import plan_marker
from catalog_sync.github.comments import upsert_comment
from catalog_sync.github.identity import DEFAULT_AUTHOR
from catalog_sync.github.identity import Author
from catalog_sync.github.identity import author_named
from catalog_sync.github.issues import DRIFT_LABEL
from catalog_sync.github.issues import drift_marker
from catalog_sync.github.issues import sync_drift_issue
from tests.github.fake_github import BOT
from tests.github.fake_github import STRANGER

MARKER = plan_marker("production")
APP_BOT = {"login": "bank-catalog[bot]", "type": "Bot"}


def test_the_default_identity_is_the_actions_bot():
    assert Author("github-actions[bot]", "Bot") == DEFAULT_AUTHOR
    assert DEFAULT_AUTHOR.wrote({"user": BOT})
    assert not DEFAULT_AUTHOR.wrote({"user": STRANGER})
    # A user account cannot be named github-actions[bot], but only the pair counts.
    assert not DEFAULT_AUTHOR.wrote({"user": {**BOT, "type": "User"}})
    assert not DEFAULT_AUTHOR.wrote({"user": None})
    assert not DEFAULT_AUTHOR.wrote({})


def test_an_app_bot_or_machine_user_can_be_configured():
    assert author_named("bank-catalog[bot]") == Author("bank-catalog[bot]", "Bot")
    assert author_named("catalog-machine") == Author("catalog-machine", "User")
    client = client_from_env(
        {
            "GITHUB_TOKEN": "t",
            "GITHUB_REPOSITORY": "bank/catalog",
            "CATALOG_SYNC_GITHUB_AUTHOR": "bank-catalog[bot]",
        }
    )
    with client:
        assert client.author == Author("bank-catalog[bot]", "Bot")


@pytest.mark.parametrize("login", ["", "evil user", "a[bot][bot]", "-x", "x" * 40])
def test_a_login_github_cannot_have_is_refused(login):
    with pytest.raises(GitHubError, match="is not a GitHub login"):
        author_named(login)


def test_a_strangers_copy_of_the_marker_is_left_alone(fake_github, client):
    fake_github.add_issue(number=7)
    decoy = fake_github.add_comment(7, compose_body("gotcha", MARKER), user=STRANGER)
    assert find_comment(client, issue_number=7, marker=MARKER) is None

    result = upsert_comment(client, issue_number=7, body="the plan", marker=MARKER)

    assert result.action == "created"
    assert decoy["body"] == f"{MARKER}\ngotcha"
    assert fake_github.requests("PATCH") == []
    ours = fake_github.comments[7][1]
    assert (ours["user"], ours["body"]) == (BOT, f"{MARKER}\nthe plan")
    again = upsert_comment(client, issue_number=7, body="v2", marker=MARKER)
    assert (again.action, again.comment_id) == ("updated", ours["id"])
    assert decoy["body"] == f"{MARKER}\ngotcha"


def test_a_configured_app_bot_finds_only_its_own_comment(fake_github, client):
    fake_github.add_issue(number=8)
    fake_github.add_comment(8, compose_body("actions bot", MARKER))
    app = fake_github.add_comment(8, compose_body("app", MARKER), user=APP_BOT)
    client.author = author_named("bank-catalog[bot]")
    found = find_comment(client, issue_number=8, marker=MARKER)
    assert found is not None
    assert found["id"] == app["id"]


def test_a_strangers_drift_issue_is_neither_edited_nor_closed(fake_github, client):
    body = f"{drift_marker('production')}\nnothing to see"
    decoy = fake_github.add_issue(
        body=body, labels=[{"name": DRIFT_LABEL}], user=STRANGER
    )
    clean = sync_drift_issue(client, environment="production", drifted=False, report="")
    assert clean.action == "none"
    opened = sync_drift_issue(
        client, environment="production", drifted=True, report="drift!"
    )
    assert opened.action == "opened"
    assert opened.number != decoy["number"]
    assert (decoy["state"], decoy["body"]) == ("open", body)


def test_the_comment_step_ignores_a_strangers_marker(fake_github, github_env, tmp_path):
    fake_github.add_issue(number=9)
    decoy = fake_github.add_comment(9, compose_body("x", MARKER), user=STRANGER)
    plan = tmp_path / "plan.md"
    plan.write_text("plan")
    args = ["github", "comment", "--pr", "9", "--env", "production"]
    result = CliRunner().invoke(cli, [*args, "--body-file", str(plan)], env=github_env)
    assert result.exit_code == 0, result.output
    assert "comment created" in result.output
    assert decoy["body"] == f"{MARKER}\nx"
