"""The issue's "done when", end to end over loopback: the real CLI against the emulator
(as the Fiskil API) and the fake GitHub API, the way the workflows chain the steps."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from catalog_sync.cli import cli
from catalog_sync.emulator.store import LOCAL_CLIENT_ID
from catalog_sync.emulator.store import LOCAL_CLIENT_SECRET
from catalog_sync.github.comments import plan_marker
from tests.github.hostile import HOSTILE
from tests.github.hostile import assert_harmless

REPO_ROOT = Path(__file__).resolve().parents[2]
PRODUCTS = (
    "wattle-bank/wattle-variable-home-loan.yaml",
    "wattle-bank/wattle-everyday.yaml",
)
LOAN = "products/wattle-bank/wattle-variable-home-loan.yaml"
PRODUCT_PATH = "/v1/data-provider/cdr/products/wattle-everyday"
SHA = "12" * 20


@pytest.fixture
def catalog(tmp_path, emulator_server):
    # The whole example catalog: its products refer to each other (bundles).
    if not (REPO_ROOT / LOAN).exists():
        pytest.skip("the example catalog is not in this checkout")
    shutil.copytree(REPO_ROOT / "products", tmp_path / "products")
    (tmp_path / "catalog-sync.yaml").write_text(
        "products_dir: products\n"
        "environments:\n"
        "  staging:\n"
        f"    base_url: {emulator_server.base_url}\n"
        f"    public_base_url: {emulator_server.base_url}\n"
        "    client_id_env: FISKIL_STAGING_CLIENT_ID\n"
        "    client_secret_env: FISKIL_STAGING_CLIENT_SECRET\n"
    )
    return tmp_path


@pytest.fixture
def step(catalog, github_env):
    """Run one workflow step: `catalog-sync --config … ARGS` with the Actions env."""
    env = {
        **github_env,
        "FISKIL_STAGING_CLIENT_ID": LOCAL_CLIENT_ID,
        "FISKIL_STAGING_CLIENT_SECRET": LOCAL_CLIENT_SECRET,
    }

    def run(*args: str, expect: int = 0, secrets: bool = True) -> str:
        chosen = env if secrets else {**env, "FISKIL_STAGING_CLIENT_SECRET": ""}
        config = str(catalog / "catalog-sync.yaml")
        result = CliRunner().invoke(cli, ["--config", config, *args], env=chosen)
        assert result.exit_code == expect, (result.output, result.exception)
        return result.output

    run("apply", "--env", "staging", "--auto-approve")
    return run


def _edit_loan_rate(catalog: Path, old: str, new: str) -> None:
    path = catalog / LOAN
    text = path.read_text()
    assert f'rate: "{old}"' in text
    path.write_text(text.replace(f'rate: "{old}"', f'rate: "{new}"', 1))


def _console_edit(base_url: str, amount: str) -> None:
    """An out-of-band change to the dishonour fee (9.00 in git), as someone would make
    in the console."""
    with httpx.Client(base_url=base_url) as http:
        token = http.post(
            "/v1/token",
            json={"client_id": LOCAL_CLIENT_ID, "client_secret": LOCAL_CLIENT_SECRET},
        ).json()
        headers = {
            "Authorization": f"Bearer {token.get('token') or token['access_token']}"
        }
        product = http.get(PRODUCT_PATH, headers=headers).json()["data"]
        [fee] = [f for f in product["fees"] if f["name"] == "Dishonour fee"]
        fee["fixedAmount"]["amount"] = amount
        assert http.put(PRODUCT_PATH, headers=headers, json=product).status_code == 200


def test_one_rate_edit_gives_one_sticky_comment_updated_per_push(
    catalog, step, fake_github
):
    fake_github.add_issue(number=4)
    bodies = []
    for old, new in (("0.0569", "0.0594"), ("0.0594", "0.0599")):
        _edit_loan_rate(catalog, old, new)
        markdown = step(
            "plan", "--env", "staging", "--format", "markdown",
            "--out", str(catalog / "plan.json"), "--detailed-exitcode", expect=2,
        )  # fmt: skip
        (catalog / "plan.md").write_text(markdown)
        step("github", "comment", "--pr", "4", "--env", "staging",
             "--body-file", str(catalog / "plan.md"))  # fmt: skip
        bodies.append(fake_github.comments[4][0]["body"])
    assert len(fake_github.comments[4]) == 1
    assert bodies[0].startswith(plan_marker("staging"))
    assert "5.69 % → 5.94 % (+25 bp)" in bodies[0]
    assert "5.69 % → 5.99 % (+30 bp)" in bodies[1]
    assert "1 to update" in bodies[1]
    assert LOCAL_CLIENT_SECRET not in "".join(bodies)


def test_fork_pull_request_plans_from_public_data_and_posts_via_workflow_run(
    catalog, step, fake_github
):
    fake_github.pulls[8] = {"number": 8, "state": "open", "head": {"sha": SHA}}
    fake_github.add_issue(number=8)
    _edit_loan_rate(catalog, "0.0569", "0.0594")
    # The fork also renames a product to the issue's hostile text (valid CDS: a string).
    everyday = catalog / "products" / "wattle-bank" / "wattle-everyday.yaml"
    text = everyday.read_text()
    assert 'name: "Wattle Everyday Account"' in text
    everyday.write_text(text.replace('"Wattle Everyday Account"', f"'{HOSTILE}'", 1))
    # The unprivileged run: no credentials at all.
    plan_file = catalog / "plan-staging.json"
    step("github", "public-plan", "--env", "staging", "--out", str(plan_file),
         "--markdown-out", str(catalog / "plan.md"), secrets=False)  # fmt: skip
    out = catalog / "artifact" / "plan-comment-staging" / "comment.json"
    step("github", "comment-payload", "--env", "staging", "--pr", "8",
         "--head-sha", SHA, "--plan-file", str(plan_file),
         "--out", str(out), secrets=False)  # fmt: skip
    assert fake_github.ledger == []  # the fork run posts nothing itself
    payload = json.loads(out.read_text())
    assert payload["pull_request"] == 8
    assert payload["preview"] == "plan"
    assert "body" not in payload  # plan data, never the fork's Markdown
    # The privileged workflow_run: base-branch code, the artifact only as data.
    step("github", "post-artifact-comment", "--artifact-dir",
         str(catalog / "artifact"), "--run-head-sha", SHA)  # fmt: skip
    [comment] = fake_github.comments[8]
    assert "Preview from the public PRD endpoint" in comment["body"]
    assert "+25 bp" in comment["body"]
    assert "2 to update" in comment["body"]
    assert "someone" in comment["body"]  # the new name is shown, neutralised
    assert_harmless(comment["body"])


def test_out_of_band_change_opens_one_drift_issue_and_reverting_closes_it(
    catalog, step, fake_github, emulator_server
):
    report = catalog / "drift.md"

    def drift_run(expect: int) -> None:
        report.write_text(
            step("drift", "--env", "staging", "--format", "markdown", expect=expect)
        )
        step("github", "drift-issue", "--env", "staging",
             "--report-file", str(report), "--exit-code", str(expect))  # fmt: skip

    drift_run(0)
    assert fake_github.issues == {}
    _console_edit(emulator_server.base_url, "15.00")
    drift_run(2)
    drift_run(2)
    [issue] = fake_github.issues.values()
    assert issue["state"] == "open"
    assert (
        "Dishonour fee · amount: live \\$15.00, git \\$9.00 (-\\$6.00 in git)"
        in (issue["body"])
    )
    assert (
        "**Next:** `catalog-sync apply --env staging --product wattle-everyday`"
        in (issue["body"])
    )
    _console_edit(emulator_server.base_url, "9.00")
    drift_run(0)
    assert issue["state"] == "closed"
    assert len(fake_github.issues) == 1
    assert "matches git again" in fake_github.comments[issue["number"]][0]["body"]
