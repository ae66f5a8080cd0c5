"""`catalog-sync github …`: the thin steps the workflows run (sticky plan comment, job
summary, drift issue, fork comment payloads). Values come from options that workflows
fill from `env:`, never from text interpolated into a shell script."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from catalog_sync.errors import EXIT_CHANGES
from catalog_sync.errors import EXIT_FAILURE
from catalog_sync.errors import EXIT_OK
from catalog_sync.errors import GitHubError

if TYPE_CHECKING:
    from catalog_sync.github.client import GitHubClient

BODY_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
ENV_OPTION = click.option(
    "--env",
    "environment",
    required=True,
    help="The catalog-sync environment the text is about (names the marker).",
)
MAX_BODY_FILE_BYTES = 8 * 1024 * 1024
UNTRUSTED_NOTE = (
    "> This preview was produced by the pull request's own code in an unprivileged run "
    "(a fork gets no secrets). Maintainers: the authoritative plan is the one shown "
    "when the change is applied.\n\n"
)
VALIDATION_ONLY = (
    "### catalog-sync plan: {environment}\n\n"
    "**Validation only.** This pull request comes from a fork, so it runs without the "
    "{environment} credentials, and no public PRD endpoint (`public_base_url`) is "
    "configured to plan against. The product files were validated; the live plan "
    "appears when a maintainer merges or re-runs the change from a branch of this "
    "repository.\n"
)


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
def comment(
    pull_request: int, body_file: Path, marker: str | None, environment: str | None
) -> None:
    """Create or update the one sticky comment on a pull request."""
    from catalog_sync.github.comments import plan_marker
    from catalog_sync.github.comments import upsert_comment

    chosen = _marker(marker, environment, plan_marker)
    with _client() as client:
        result = upsert_comment(
            client, issue_number=pull_request, body=_read(body_file), marker=chosen
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
    written = append_summary(Path(target), _read(body_file))
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
    with _client() as client:
        result = sync_drift_issue(
            client,
            environment=environment,
            drifted=drifted,
            report=_read(report_file),
        )
    click.echo(f"drift issue {result.action}: {result.url or 'no issue'}")


@github.command("comment-payload")
@ENV_OPTION
@click.option(
    "--pr",
    "pull_request",
    type=click.IntRange(min=1),
    required=True,
    help="Pull request number.",
)
@click.option("--head-sha", required=True, help="The pull request's head commit.")
@click.option(
    "--body-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The Markdown plan; missing or empty means a validation-only notice.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write the payload (comment.json).",
)
def comment_payload(
    environment: str,
    pull_request: int,
    head_sha: str,
    body_file: Path | None,
    out: Path,
) -> None:
    """Write the plan-comment artifact of an unprivileged (fork) run.

    Without a body file (or with an empty one) the comment is a "validation only" notice.
    """
    from catalog_sync.github.artifact import build_payload

    body = _read(body_file) if body_file and body_file.exists() else ""
    if not body.strip():
        body = VALIDATION_ONLY.format(environment=environment)
    payload = build_payload(
        pull_request=pull_request,
        head_sha=head_sha,
        environment=environment,
        body=body,
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n", "utf-8")
    click.echo(f"wrote {out}")


@github.command("post-artifact-comment")
@click.option(
    "--artifact-dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Where the fork run's plan-comment artifact was downloaded.",
)
@click.option(
    "--run-head-sha", required=True, help="workflow_run.head_sha from the event."
)
@click.option(
    "--run-pull-requests",
    default="[]",
    show_default=True,
    help="workflow_run.pull_requests (JSON) from the event; empty for forks.",
)
def post_artifact_comment(
    artifact_dir: Path, run_head_sha: str, run_pull_requests: str
) -> None:
    """Post the sticky comments carried by an untrusted artifact, after checking it."""
    from catalog_sync.github.artifact import read_payloads
    from catalog_sync.github.artifact import verify_pull_request
    from catalog_sync.github.comments import plan_marker
    from catalog_sync.github.comments import upsert_comment

    numbers = _pull_request_numbers(run_pull_requests)
    payloads = read_payloads(artifact_dir)
    with _client() as client:
        verify_pull_request(
            client, payloads[0], run_head_sha=run_head_sha, run_pull_requests=numbers
        )
        for payload in payloads:
            result = upsert_comment(
                client,
                issue_number=payload.pull_request,
                body=UNTRUSTED_NOTE + payload.body,
                marker=plan_marker(payload.environment),
            )
            click.echo(f"{payload.environment}: comment {result.action}: {result.url}")


@github.command("report-apply")
@ENV_OPTION
@click.option("--sha", required=True, help="The merge commit that was applied.")
@click.option(
    "--body-file", type=BODY_FILE, required=True, help="Markdown apply report."
)
def report_apply(environment: str, sha: str, body_file: Path) -> None:
    """Post the apply result on the pull request that the commit came from."""
    from catalog_sync.github.comments import apply_marker
    from catalog_sync.github.comments import pull_requests_for_commit
    from catalog_sync.github.comments import upsert_comment

    with _client() as client:
        numbers = pull_requests_for_commit(client, sha)
        if not numbers:
            click.echo(f"no merged pull request found for {sha[:12]}; nothing posted")
            return
        result = upsert_comment(
            client,
            issue_number=numbers[0],
            body=_read(body_file),
            marker=apply_marker(environment),
        )
    click.echo(f"#{numbers[0]}: apply report {result.action}: {result.url}")


@github.command("fork-mode")
@ENV_OPTION
@click.pass_obj
def fork_mode(obj: object, environment: str) -> None:
    """Say how a fork's run can plan: `public` (a public PRD endpoint is configured)
    or `validation-only`; also written to $GITHUB_OUTPUT as `mode`."""
    from catalog_sync.cli.context import CliContext

    assert isinstance(obj, CliContext)
    chosen = obj.load_config().environment(environment)
    mode = "public" if chosen.public_base_url else "validation-only"
    output = os.environ.get("GITHUB_OUTPUT")
    if output:
        with Path(output).open("a", encoding="utf-8") as handle:
            handle.write(f"mode={mode}\n")
    click.echo(mode)


def _client() -> GitHubClient:
    from catalog_sync.github.client import client_from_env

    return client_from_env(os.environ)


def _marker(
    marker: str | None, environment: str | None, default: Callable[[str], str]
) -> str:
    if (marker is None) == (environment is None):
        raise click.UsageError("give exactly one of --marker and --env")
    if marker is not None:
        if not (marker.startswith("<!--") and marker.endswith("-->")):
            raise click.UsageError("--marker must be an HTML comment: <!-- ... -->")
        return marker
    assert environment is not None
    return default(environment)


def _read(path: Path) -> str:
    if path.stat().st_size > MAX_BODY_FILE_BYTES:
        raise GitHubError(f"{path} is larger than {MAX_BODY_FILE_BYTES} bytes")
    return path.read_text(encoding="utf-8")


def _pull_request_numbers(raw: str) -> tuple[int, ...]:
    """Numbers from workflow_run.pull_requests (a JSON list of objects or numbers)."""
    try:
        decoded = json.loads(raw or "[]")
    except json.JSONDecodeError as exc:
        raise click.BadParameter("--run-pull-requests must be JSON") from exc
    if not isinstance(decoded, list):
        raise click.BadParameter("--run-pull-requests must be a JSON list")
    numbers: list[int] = []
    for item in decoded:
        value = item.get("number") if isinstance(item, dict) else item
        if isinstance(value, int) and not isinstance(value, bool):
            numbers.append(value)
    return tuple(numbers)
