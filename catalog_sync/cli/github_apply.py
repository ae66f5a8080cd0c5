"""`catalog-sync github` steps of the apply workflow: is this run's commit still the head
of main, which reviewed plans the pull requests merged since the last apply left, and
the record of a successful apply."""

from __future__ import annotations

from pathlib import Path

import click

from catalog_sync.cli.context import CliContext
from catalog_sync.cli.github_common import ENV_OPTION
from catalog_sync.cli.github_common import open_client
from catalog_sync.cli.github_common import write_outputs

SHA_OPTION = click.option(
    "--sha", required=True, help="The commit this run checked out (github.sha)."
)
BRANCH_OPTION = click.option(
    "--branch", default="main", show_default=True, help="The branch applied from."
)


@click.command("head-check")
@SHA_OPTION
@BRANCH_OPTION
def head_check(sha: str, branch: str) -> None:
    """Write current=true when SHA is still the head of BRANCH, else current=false
    with a notice: a newer run applies the newer commit (and this one's changes)."""
    from catalog_sync.github.deployments import branch_head
    from catalog_sync.github.deployments import check_sha

    with open_client() as client:
        head = branch_head(client, branch)
    current = head == check_sha(sha)
    write_outputs(f"current={'true' if current else 'false'}\n")
    if current:
        click.echo(f"{sha[:12]} is the head of {branch}; applying it.")
    else:
        click.echo(
            f"::notice::{sha[:12]} is no longer the head of {branch} ({head[:12]} is); "
            "nothing is applied here: the newer run applies everything merged since "
            "the last apply."
        )


@click.command("reviewed-plans")
@ENV_OPTION
@SHA_OPTION
@BRANCH_OPTION
@click.option(
    "--out-dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Where to write each pull request's reviewed plan (pr-<n>.json).",
)
@click.option(
    "--report-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write what was found as Markdown (for the pull request comment).",
)
@click.pass_obj
def reviewed_plans(
    obj: CliContext,
    environment: str,
    sha: str,
    branch: str,
    out_dir: Path,
    report_file: Path | None,
) -> None:
    """Download the reviewed plan of every pull request merged since the last apply.

    Writes `count` and `allow-unreviewed` to $GITHUB_OUTPUT. A pull request without a
    usable plan, or a commit without a pull request, is reported here; `apply
    --reviewed-dir` then refuses whatever change only it brought.
    """
    from catalog_sync.github.deployments import last_applied_commit
    from catalog_sync.github.merged import merged_since
    from catalog_sync.github.plan_artifacts import fetch_reviewed_plan
    from catalog_sync.github.plan_artifacts import fetch_url
    from catalog_sync.github.reviewed_report import describe_reviewed
    from catalog_sync.workflow import base_url_of

    env = obj.load_config().environment(environment)
    with open_client() as client:
        since = merged_since(
            client, base=last_applied_commit(client, env.name), head=sha, branch=branch
        )
        found = [
            fetch_reviewed_plan(
                client,
                pull,
                environment=env.name,
                base_url=base_url_of(env),
                out_dir=out_dir,
                fetch=fetch_url,
            )
            for pull in since.pulls
        ]
    text = describe_reviewed(since, found, allow_unreviewed=env.allow_unreviewed)
    if report_file is not None:
        report_file.write_text(text, encoding="utf-8")
    count = sum(1 for item in found if item.path is not None)
    allow = "true" if env.allow_unreviewed else "false"
    write_outputs(f"count={count}\nallow-unreviewed={allow}\n")
    click.echo(text, nl=False)


@click.command("record-applied")
@ENV_OPTION
@SHA_OPTION
@click.option(
    "--plan-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="The plan that was applied (its change-set digest is recorded).",
)
@click.option("--run-url", help="Link to the workflow run.")
def record_applied(
    environment: str, sha: str, plan_file: Path, run_url: str | None
) -> None:
    """Record SHA as applied to the environment (a GitHub deployment), so the next
    run looks for pull requests merged after it."""
    from catalog_sync.github.deployments import record_applied as record
    from catalog_sync.plan.digest import change_set_digest
    from catalog_sync.workflow import load_plan

    digest = change_set_digest(load_plan(plan_file))
    with open_client() as client:
        deployment = record(
            client, environment=environment, sha=sha, digest=digest, run_url=run_url
        )
    click.echo(
        f"recorded {sha[:12]} as applied to {environment} (deployment {deployment})"
    )
