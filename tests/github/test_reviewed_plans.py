"""The apply workflow's GitHub reads against the fake GitHub API on loopback: the last
applied commit, the pull requests merged since, and each one's reviewed plan artifact."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog_sync.errors import GitHubError
from catalog_sync.github import merged as merged_module
from catalog_sync.github import plan_artifacts
from catalog_sync.github.client import GitHubClient
from catalog_sync.github.deployments import branch_head
from catalog_sync.github.deployments import last_applied_commit
from catalog_sync.github.deployments import record_applied
from catalog_sync.github.merged import MergedPull
from catalog_sync.github.merged import merged_since
from catalog_sync.github.plan_artifacts import ReviewedPlanFile
from catalog_sync.github.plan_artifacts import fetch_reviewed_plan
from catalog_sync.github.plan_artifacts import fetch_url
from catalog_sync.plan.digest import change_set_digest
from catalog_sync.plan.planfile import plan_to_json
from tests.github.merges import add_plan_artifact
from tests.github.merges import merge_pull
from tests.github.merges import push
from tests.github.merges import sha
from tests.github.merges import zipped
from tests.render.plans import make_plan
from tests.render.plans import product

BASE_URL = "https://api.example.test"
PLAN = make_plan({"a": product("a", name="New")}, {"a": product("a")})
PLAN_TEXT = plan_to_json(PLAN)


def test_the_last_applied_commit_is_the_newest_successful_record(fake_github, client):
    assert last_applied_commit(client, "staging") is None
    first = record_applied(
        client, environment="staging", sha=sha(1), digest="sha256:x", run_url="u"
    )
    assert last_applied_commit(client, "staging") == sha(1)
    assert last_applied_commit(client, "production") is None
    # A newer deployment whose latest status is not success does not count.
    fake_github.deployments.insert(
        0,
        {
            "id": 77,
            "sha": sha(2),
            "task": "catalog-sync-apply",
            "environment": "staging",
        },
    )
    fake_github.statuses[77] = [{"state": "failure"}]
    assert last_applied_commit(client, "staging") == sha(1)
    assert fake_github.statuses[first][0]["log_url"] == "u"
    assert fake_github.deployments[-1]["payload"] == {"change_set_digest": "sha256:x"}


def test_branch_head_and_sha_checks(fake_github, client):
    push(fake_github, sha(5))
    assert branch_head(client, "main") == sha(5)
    fake_github.branches["odd"] = "not-a-sha"
    with pytest.raises(GitHubError, match="is not a full commit SHA"):
        branch_head(client, "odd")
    with pytest.raises(GitHubError, match="404"):
        branch_head(client, "gone")


def test_merged_since_pages_through_compare_and_names_direct_pushes(
    fake_github, client, monkeypatch
):
    monkeypatch.setattr(merged_module, "_PAGE", 2)
    push(fake_github, sha(1))
    merge_pull(fake_github, 11, head=sha(101), merge=sha(2))
    push(fake_github, sha(3))  # no pull request
    merge_pull(fake_github, 12, head=sha(102), merge=sha(4))
    fake_github.commit_pulls[sha(5)] = [12]  # a second commit of the same pull
    push(fake_github, sha(5))
    since = merged_since(client, base=sha(1), head=sha(5), branch="main")
    assert [p.number for p in since.pulls] == [11, 12]
    assert since.pulls[0] == MergedPull(11, sha(101), "bank/catalog")
    assert since.direct_commits == (sha(3),)
    first = merged_since(client, base=None, head=sha(4), branch="main")
    assert ([p.number for p in first.pulls], first.base) == ([12], None)


def test_merged_since_ignores_other_bases_and_caps_the_range(
    fake_github, client, monkeypatch
):
    push(fake_github, sha(1))
    merge_pull(fake_github, 11, head=sha(101), merge=sha(2))
    fake_github.pulls[11]["base"] = {"ref": "release"}
    assert merged_since(client, base=sha(1), head=sha(2), branch="main").pulls == ()
    monkeypatch.setattr(merged_module, "MAX_COMMITS", 0)
    with pytest.raises(GitHubError, match="more than 0 commits since the last apply"):
        merged_since(client, base=sha(1), head=sha(2), branch="main")
    monkeypatch.setattr(merged_module, "MAX_COMMITS", 10)
    monkeypatch.setattr(merged_module, "MAX_PULLS", 0)
    fake_github.pulls[11]["base"] = {"ref": "main"}
    with pytest.raises(GitHubError, match="more than 0 pull requests"):
        merged_since(client, base=sha(1), head=sha(2), branch="main")


def test_merged_since_refuses_malformed_answers(fake_github, client):
    push(fake_github, sha(1))
    merge_pull(fake_github, 11, head=sha(101), merge=sha(2))
    fake_github.pulls[11]["head"] = {}
    with pytest.raises(GitHubError, match="without number or head"):
        merged_since(client, base=sha(1), head=sha(2), branch="main")
    with pytest.raises(GitHubError, match="404"):
        merged_since(client, base=sha(9), head=sha(2), branch="main")


def _fetch(
    client: GitHubClient,
    tmp_path: Path,
    pull: MergedPull | None = None,
    environment: str = "staging",
    base_url: str = BASE_URL,
) -> ReviewedPlanFile:
    return fetch_reviewed_plan(
        client,
        pull or MergedPull(11, sha(101), "bank/catalog"),
        environment=environment,
        base_url=base_url,
        out_dir=tmp_path / "reviewed",
        fetch=fetch_url,
    )


def test_the_pull_requests_plan_is_found_downloaded_and_validated(
    fake_github, client, tmp_path
):
    add_plan_artifact(
        fake_github,
        pull=11,
        head=sha(101),
        environment="staging",
        plan_text=PLAN_TEXT,
        created_at="2026-01-01T00:00:00Z",
    )
    newer = plan_to_json(
        make_plan({"a": product("a", name="Newer")}, {"a": product("a")})
    )
    add_plan_artifact(
        fake_github,
        pull=11,
        head=sha(101),
        environment="staging",
        plan_text=newer,
        created_at="2026-02-01T00:00:00Z",
    )
    found = _fetch(client, tmp_path)
    assert found.problem is None
    assert found.path == tmp_path / "reviewed" / "pr-11.json"
    assert found.path is not None
    assert found.path.read_text() == newer  # the last plan of the head commit
    assert found.digest != change_set_digest(PLAN)
    assert fake_github.blob_auth_headers == []  # no token sent to storage


@pytest.mark.parametrize(
    ("seed", "problem"),
    [
        ({}, "no plan-staging artifact for its head commit 000000000000"),
        ({"expired": True}, "no plan-staging artifact"),
        (
            {"size_in_bytes": 65 * 1024 * 1024},
            "its plan artifact is over 67108864 bytes",
        ),
        ({"pull_requests": [{"number": 12}]}, "no plan-staging artifact"),
        (
            {"head_repository": {"full_name": "fork/catalog"}},
            "no plan-staging artifact",
        ),
        ({"event": "workflow_dispatch"}, "no plan-staging artifact"),
        ({"path": ".github/workflows/other.yml"}, "no plan-staging artifact"),
        ({"plan_text": PLAN_TEXT.replace('"New"', '"Old"')}, "checksum does not match"),
        ({"files": {"other.json": b"{}"}}, "the artifact holds no plan-staging.json"),
        ({"files": {f"f{i}": b"" for i in range(17)}}, "more than 16 files"),
        ({"files": {"plan-staging.json": b"\xff\xfe"}}, "is not UTF-8"),
    ],
)
def test_a_missing_or_unusable_artifact_is_reported(
    fake_github, client, tmp_path, seed, problem
):
    if seed:
        fields = {"plan_text": PLAN_TEXT, **seed}
        add_plan_artifact(
            fake_github, pull=11, head=sha(101), environment="staging", **fields
        )
    found = _fetch(client, tmp_path)
    assert found.path is None
    assert problem in (found.problem or "")
    assert not (tmp_path / "reviewed").exists()


def test_a_fork_or_another_environment_or_base_url_is_not_a_reviewed_plan(
    fake_github, client, tmp_path
):
    fork = _fetch(client, tmp_path, MergedPull(11, sha(101), "fork/catalog"))
    assert "from a fork" in (fork.problem or "")
    add_plan_artifact(
        fake_github, pull=11, head=sha(101), environment="staging", plan_text=PLAN_TEXT
    )
    other = _fetch(client, tmp_path, base_url="https://public.example.test")
    assert "another environment or base URL" in (other.problem or "")
    add_plan_artifact(
        fake_github,
        pull=11,
        head=sha(101),
        environment="production",
        plan_text=PLAN_TEXT,
    )
    assert "another environment" in (
        _fetch(client, tmp_path, environment="production").problem or ""
    )


def test_download_limits_and_failures(fake_github, client, tmp_path, monkeypatch):
    add_plan_artifact(
        fake_github, pull=11, head=sha(101), environment="staging", plan_text=PLAN_TEXT
    )
    monkeypatch.setattr(plan_artifacts, "MAX_PLAN_BYTES", 10)
    assert "plan-staging.json is over 10 bytes" in (
        _fetch(client, tmp_path).problem or ""
    )
    monkeypatch.setattr(plan_artifacts, "MAX_ARTIFACT_BYTES", 10)
    assert "over 10 bytes" in (_fetch(client, tmp_path).problem or "")
    with pytest.raises(GitHubError, match="not https"):
        fetch_url("http://example.com/blob/1", 10)
    with pytest.raises(GitHubError, match="answered 404"):
        fetch_url(f"{fake_github.base_url}/blob/404", 10)
    with pytest.raises(GitHubError, match="download failed: ConnectError"):
        fetch_url("http://127.0.0.1:9/blob/1", 10)


def test_a_zip_that_is_not_one_or_lies_about_its_size(fake_github, client, tmp_path):
    meta = add_plan_artifact(
        fake_github, pull=11, head=sha(101), environment="staging", plan_text=PLAN_TEXT
    )
    fake_github.artifacts[meta["id"]] = (meta, b"not a zip")
    assert "not a readable zip" in (_fetch(client, tmp_path).problem or "")
    lying = bytearray(zipped({"plan-staging.json": PLAN_TEXT.encode()}))
    lying[lying.rindex(b"plan-staging.json") - 30] ^= 0xFF  # central size field
    fake_github.artifacts[meta["id"]] = (meta, bytes(lying))
    assert _fetch(client, tmp_path).path is None


def test_an_artifact_served_directly_or_without_location(fake_github, client, tmp_path):
    from tests.github.fake_github import Fault

    meta = add_plan_artifact(
        fake_github, pull=11, head=sha(101), environment="staging", plan_text=PLAN_TEXT
    )
    zip_path = rf"/repos/bank/catalog/actions/artifacts/{meta['id']}/zip"
    fake_github.faults.append(
        Fault("GET", zip_path, 200, body=fake_github.artifacts[meta["id"]][1])
    )
    assert _fetch(client, tmp_path).path is not None
    fake_github.faults.append(Fault("GET", zip_path, 302))
    assert "has no Location" in (_fetch(client, tmp_path).problem or "")


def test_malformed_github_answers_are_errors_or_skipped(
    fake_github, client, tmp_path, monkeypatch
):
    from catalog_sync.github import deployments
    from tests.github.fake_github import Fault

    fake_github.faults.append(Fault("GET", r".*/branches/main", 200, body={}))
    with pytest.raises(GitHubError, match="branch 'main' has no head commit"):
        branch_head(client, "main")
    fake_github.faults.append(Fault("POST", r".*/deployments", 201, body={}))
    with pytest.raises(GitHubError, match="the deployment was not created"):
        record_applied(client, environment="s", sha=sha(1), digest="d", run_url=None)
    fake_github.faults.append(Fault("GET", r".*/compare/.*", 200, body={}))
    with pytest.raises(GitHubError, match="answered no commit list"):
        merged_since(client, base=sha(1), head=sha(2), branch="main")
    for number in (1, 2):
        record_applied(
            client, environment="s", sha=sha(number), digest="d", run_url=None
        )
        fake_github.statuses[fake_github.deployments[0]["id"]] = [{"state": "error"}]
    record_applied(client, environment="s", sha=sha(3), digest="d", run_url=None)
    fake_github.deployments.append(fake_github.deployments.pop(0))  # oldest succeeded
    monkeypatch.setattr(deployments, "MAX_DEPLOYMENTS_READ", 2)
    assert last_applied_commit(client, "s") is None
    fake_github.runs.append({"id": "x", "head_sha": sha(101), "event": "pull_request"})
    assert "no plan-staging artifact" in (_fetch(client, tmp_path).problem or "")


def test_a_download_over_the_cap_is_cut_off(fake_github, client, tmp_path, monkeypatch):
    from tests.github.fake_github import Fault

    meta = add_plan_artifact(
        fake_github, pull=11, head=sha(101), environment="staging",
        plan_text=PLAN_TEXT, size_in_bytes=1,
    )  # fmt: skip
    monkeypatch.setattr(plan_artifacts, "MAX_ARTIFACT_BYTES", 10)
    assert "the artifact is over 10 bytes" in (_fetch(client, tmp_path).problem or "")
    zip_path = rf"/repos/bank/catalog/actions/artifacts/{meta['id']}/zip"
    fake_github.faults.append(Fault("GET", zip_path, 200, body=b"x" * 11))
    assert "the artifact is over 10 bytes" in (_fetch(client, tmp_path).problem or "")
