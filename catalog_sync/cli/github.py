"""`catalog-sync github …`: the thin steps the workflows run (sticky plan comment, job
summary, drift issue, fork comment payloads). Values come from options that workflows
fill from `env:`, never from text interpolated into a shell script."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING
from typing import cast

import click

from catalog_sync.cli.context import CliContext
from catalog_sync.cli.github_apply import head_check
from catalog_sync.cli.github_apply import record_applied
from catalog_sync.cli.github_apply import reviewed_plans
from catalog_sync.cli.github_common import BODY_FILE
from catalog_sync.cli.github_common import ENV_OPTION
from catalog_sync.cli.github_common import choose_marker
from catalog_sync.cli.github_common import open_client
from catalog_sync.cli.github_common import read_body
from catalog_sync.cli.github_common import write_outputs
from catalog_sync.cli.github_fork import comment_payload
from catalog_sync.cli.github_fork import fork_mode
from catalog_sync.cli.github_fork import post_artifact_comment
from catalog_sync.cli.github_fork import public_plan
from catalog_sync.cli.github_policy import policy_override
from catalog_sync.cli.github_policy import policy_status
from catalog_sync.errors import EXIT_CHANGES
from catalog_sync.errors import EXIT_FAILURE
from catalog_sync.errors import EXIT_OK
from catalog_sync.errors import GitHubError

if TYPE_CHECKING:
    from catalog_sync.github.reports import Outcome


@click.group()
def github() -> None:
    """Steps of the GitHub workflows: comments, job summary, drift issue."""


@github.command()
@click.option(
    "--pr",
    "pull_request",
    type=click.IntRange(min=1),
    required=True,
    help="Pull request number.",
)
@click.option("--body-file", type=BODY_FILE, required=True, help="Markdown to post.")
@click.option(
    "--marker", help="Hidden marker (<!-- ... -->) that identifies the sticky comment."
)
@click.option("--env", "environment", help="Use the plan marker of this environment.")
@click.option(
    "--plan-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The saved plan the body shows: its change-set digest is added (if it exists).",
)
def comment(
    pull_request: int,
    body_file: Path,
    marker: str | None,
    environment: str | None,
    plan_file: Path | None,
) -> None:
    """Create or update the one sticky comment on a pull request."""
    from catalog_sync.github.comments import plan_marker
    from catalog_sync.github.comments import upsert_comment

    chosen = choose_marker(marker, environment, plan_marker)
    body = read_body(body_file)
    if plan_file is not None and plan_file.exists():
        body += _digest_line(plan_file)
    with open_client() as client:
        result = upsert_comment(
            client, issue_number=pull_request, body=body, marker=chosen
        )
    click.echo(f"comment {result.action}: {result.url}")


@github.command()
@click.option("--body-file", type=BODY_FILE, required=True, help="Markdown to append.")
def summary(body_file: Path) -> None:
    """Append Markdown to the job summary ($GITHUB_STEP_SUMMARY), within 1 MiB."""
    from catalog_sync.github.summary import append_summary

    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        raise GitHubError(
            "GITHUB_STEP_SUMMARY is not set",
            hint="this step runs inside GitHub Actions",
        )
    written = append_summary(Path(target), read_body(body_file))
    click.echo(f"job summary: {written} bytes appended")


@github.command("drift-issue")
@ENV_OPTION
@click.option(
    "--report-file",
    type=BODY_FILE,
    required=True,
    help="Markdown report of `catalog-sync drift --format markdown`.",
)
@click.option(
    "--exit-code",
    type=int,
    help="Exit code of `catalog-sync drift`: 2 drift, 0 clean, anything else an error.",
)
@click.option(
    "--status",
    type=click.Choice(["drift", "clean"]),
    help="The drift result, instead of --exit-code.",
)
def drift_issue(
    environment: str, report_file: Path, exit_code: int | None, status: str | None
) -> None:
    """Open, update or close the drift issue from a drift report."""
    from catalog_sync.github.issues import sync_drift_issue

    if (exit_code is None) == (status is None):
        raise click.UsageError("give exactly one of --exit-code and --status")
    if exit_code is not None and exit_code not in (EXIT_OK, EXIT_CHANGES):
        click.echo(
            f"drift check failed (exit {exit_code}); the drift issue is left as it is",
            err=True,
        )
        raise click.exceptions.Exit(EXIT_FAILURE)
    drifted = status == "drift" or exit_code == EXIT_CHANGES
    with open_client() as client:
        result = sync_drift_issue(
            client,
            environment=environment,
            drifted=drifted,
            report=read_body(report_file),
        )
    click.echo(f"drift issue {result.action}: {result.url or 'no issue'}")


@github.command("report-apply")
@ENV_OPTION
@click.option("--sha", required=True, help="The merge commit that was applied.")
@click.option(
    "--outcome",
    type=click.Choice(["success", "failure", "cancelled", "skipped"]),
    required=True,
    help="The apply step's outcome (steps.<id>.outcome).",
)
@click.option(
    "--plan-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The Markdown plan that was applied.",
)
@click.option(
    "--log-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The apply output; its tail goes into the report.",
)
@click.option(
    "--report-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The Markdown report of `catalog-sync apply --report FILE.md`.",
)
@click.option("--run-url", help="Link to the workflow run.")
@click.option(
    "--audit-url",
    help="Link to the uploaded audit record (actions/upload-artifact's artifact-url); "
    "empty: not uploaded.",
)
def report_apply(
    environment: str,
    sha: str,
    outcome: str,
    plan_file: Path | None,
    log_file: Path | None,
    report_file: Path | None,
    run_url: str | None,
    audit_url: str | None,
) -> None:
    """Report an apply in the job summary and on the merged pull request."""
    from catalog_sync.github.comments import apply_marker
    from catalog_sync.github.comments import pull_requests_for_commit
    from catalog_sync.github.comments import upsert_comment
    from catalog_sync.github.reports import compose_apply_report
    from catalog_sync.github.summary import append_summary

    body = compose_apply_report(
        environment=environment,
        outcome=cast("Outcome", outcome),  # click.Choice allows only these values
        plan_markdown=_optional_text(plan_file),
        log_text=_optional_text(log_file),
        run_url=run_url,
        apply_report=_optional_text(report_file),
        audit_url=audit_url or None,
    )
    if summary_path := os.environ.get("GITHUB_STEP_SUMMARY"):
        append_summary(Path(summary_path), body)
    with open_client() as client:
        numbers = pull_requests_for_commit(client, sha)
        if not numbers:
            click.echo(f"no merged pull request found for {sha[:12]}; nothing posted")
            return
        result = upsert_comment(
            client, issue_number=numbers[0], body=body, marker=apply_marker(environment)
        )
    click.echo(f"#{numbers[0]}: apply report {result.action}: {result.url}")


@github.command()
@click.pass_obj
def environments(obj: CliContext) -> None:
    """List the remote environments of catalog-sync.yaml for a workflow matrix.

    Writes `names` (a JSON list) and `has-<name>=true` to $GITHUB_OUTPUT.
    """
    from catalog_sync.github.reports import environment_outputs
    from catalog_sync.github.reports import format_outputs
    from catalog_sync.github.reports import remote_environments

    text = format_outputs(environment_outputs(remote_environments(obj.load_config())))
    write_outputs(text)
    click.echo(text, nl=False)


def _digest_line(plan_file: Path) -> str:
    from catalog_sync.plan.digest import change_set_digest
    from catalog_sync.workflow import load_plan

    digest = change_set_digest(load_plan(plan_file))
    return (
        f"\nChange-set digest: `{digest}` (the apply on merge applies only changes "
        "that a reviewed plan showed)\n"
    )


def _optional_text(path: Path | None) -> str:
    return read_body(path) if path is not None and path.exists() else ""


github.add_command(head_check)
github.add_command(reviewed_plans)
github.add_command(record_applied)
github.add_command(comment_payload)
github.add_command(post_artifact_comment)
github.add_command(fork_mode)
github.add_command(public_plan)
github.add_command(policy_status)
github.add_command(policy_override)
