"""`catalog-sync github` steps for pull requests from forks: the unprivileged run writes
a plan-comment payload; the `workflow_run` commenter checks it as untrusted data and
posts it. Nothing from the artifact is ever executed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from catalog_sync.cli.context import CliContext
from catalog_sync.cli.github_common import ENV_OPTION
from catalog_sync.cli.github_common import open_client
from catalog_sync.cli.github_common import write_outputs

if TYPE_CHECKING:
    from catalog_sync.github.artifact import CommentPayload
    from catalog_sync.github.artifact import PayloadPolicy
    from catalog_sync.github.client import GitHubClient

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


TOO_LARGE = (
    "### catalog-sync plan: {environment}\n\n"
    "**The preview plan is too large to post** (its payload is over {cap:,} bytes). "
    "The run's `preview-plan-{environment}` artifact holds it; the plan shown when the "
    "change is applied is the authoritative one.\n"
)


@click.command("comment-payload")
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
    "--plan-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The preview plan (public-plan --out): it is carried for the commenter to "
    "render, with its policy verdict and impact; missing means a validation-only notice.",
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
    plan_file: Path | None,
    out: Path,
) -> None:
    """Write the plan-comment artifact of an unprivileged (fork) run.

    It carries the plan file, never Markdown: the commenter renders the comment. Without
    a plan file the comment is a "validation only" notice.
    """
    from catalog_sync.apply.saved_plan import read_plan_file
    from catalog_sync.github.artifact import MAX_PAYLOAD_BYTES
    from catalog_sync.github.artifact import build_payload
    from catalog_sync.github.artifact import payload_text
    from catalog_sync.plan.planfile import plan_to_json

    plan, too_large, policy = None, False, None
    if plan_file is not None and plan_file.exists():
        # A plan file larger than the payload cap cannot fit: the payload says so.
        too_large = plan_file.stat().st_size > MAX_PAYLOAD_BYTES
        plan = None if too_large else plan_to_json(read_plan_file(plan_file))
        policy = None if too_large else _payload_policy(plan_file)
    payload = build_payload(
        pull_request=pull_request,
        head_sha=head_sha,
        environment=environment,
        plan=plan,
        too_large=too_large,
        policy=policy,
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(payload_text(payload), "utf-8")
    click.echo(f"wrote {out} ({payload['preview']})")


def _payload_policy(plan_file: Path) -> PayloadPolicy:
    from catalog_sync.github.artifact import PayloadPolicy
    from catalog_sync.github.policy import status_of
    from catalog_sync.plan.policy import evaluate_policy
    from catalog_sync.workflow import load_plan

    plan = load_plan(plan_file)
    state, description = status_of(evaluate_policy(plan, plan.policy))
    assert state != "pending"  # status_of never says pending
    return PayloadPolicy(state, description, plan.impact)


@click.command("post-artifact-comment")
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
@click.pass_obj
def post_artifact_comment(
    obj: CliContext, artifact_dir: Path, run_head_sha: str, run_pull_requests: str
) -> None:
    """Post the sticky comments for an untrusted artifact, after checking it.

    Only environments configured in catalog-sync.yaml (the default branch's: the
    workflow checks it out) are accepted. Each comment is rendered here from the
    artifact's plan data, every string of which is neutralised first; the artifact's
    own text is never posted as Markdown."""
    from catalog_sync.github.artifact import check_environments
    from catalog_sync.github.artifact import read_payloads
    from catalog_sync.github.comments import plan_marker
    from catalog_sync.github.comments import upsert_comment
    from catalog_sync.github.provenance import verify_pull_request
    from catalog_sync.github.reports import remote_environments

    numbers = pull_request_numbers(run_pull_requests)
    payloads = read_payloads(artifact_dir)
    check_environments(payloads, remote_environments(obj.load_config()))
    bodies = [fork_comment_body(payload) for payload in payloads]  # all, before posting
    with open_client() as client:
        verify_pull_request(
            client, payloads[0], run_head_sha=run_head_sha, run_pull_requests=numbers
        )
        for payload, body in zip(payloads, bodies, strict=True):
            result = upsert_comment(
                client,
                issue_number=payload.pull_request,
                body=UNTRUSTED_NOTE + body,
                marker=plan_marker(payload.environment),
            )
            click.echo(f"{payload.environment}: comment {result.action}: {result.url}")
            if payload.policy is not None:
                _post_policy(client, payload, payload.policy)


def _post_policy(
    client: GitHubClient, payload: CommentPayload, policy: PayloadPolicy
) -> None:
    """The fork run's verdict as the policy status (marked unverified) and label."""
    from catalog_sync.github.policy import set_impact_label
    from catalog_sync.github.policy import set_policy_status

    set_policy_status(
        client,
        sha=payload.head_sha,
        environment=payload.environment,
        state=policy.state,
        description="fork preview, re-checked on apply: " + policy.description,
    )
    set_impact_label(client, number=payload.pull_request, impact=policy.impact)
    click.echo(f"{payload.environment}: policy status {policy.state}")


def fork_comment_body(payload: CommentPayload) -> str:
    """The comment for one payload, rendered on the trusted side: the neutralised plan
    under the public-endpoint notice, or a fixed notice (validation only, too large)."""
    from catalog_sync.cli.output import render_plan
    from catalog_sync.github.artifact import MAX_PAYLOAD_BYTES
    from catalog_sync.github.artifact import preview_plan
    from catalog_sync.github.public_plan import PUBLIC_NOTE

    plan = preview_plan(payload)
    if plan is not None:
        return PUBLIC_NOTE + render_plan(plan, "markdown")
    if payload.preview == "too-large":
        return TOO_LARGE.format(environment=payload.environment, cap=MAX_PAYLOAD_BYTES)
    return VALIDATION_ONLY.format(environment=payload.environment)


@click.command("fork-mode")
@ENV_OPTION
@click.pass_obj
def fork_mode(obj: CliContext, environment: str) -> None:
    """Say how a fork's run can plan: `public` (a public PRD endpoint is configured)
    or `validation-only`; also written to $GITHUB_OUTPUT as `mode`."""
    chosen = obj.load_config().environment(environment)
    mode = "public" if chosen.public_base_url else "validation-only"
    write_outputs(f"mode={mode}\n")
    click.echo(mode)


def pull_request_numbers(raw: str) -> tuple[int, ...]:
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


@click.command("public-plan")
@ENV_OPTION
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to save the plan file, which comment-payload carries (a preview: "
    "never apply it).",
)
@click.option(
    "--markdown-out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write the Markdown plan (for the run's job summary).",
)
@click.pass_obj
@click.option(
    "--policy-config",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Judge the plan by the policy of this catalog-sync.yaml (the base branch's).",
)
@click.option("--commit", metavar="SHA", help="The commit the Markdown plan names.")
def public_plan(
    obj: CliContext,
    environment: str,
    out: Path,
    markdown_out: Path,
    policy_config: Path | None,
    commit: str | None,
) -> None:
    """Plan a fork's pull request against the public PRD endpoint, without credentials."""
    from catalog_sync.cli.output import policy_of
    from catalog_sync.cli.output import render_plan
    from catalog_sync.github.public_plan import PUBLIC_NOTE
    from catalog_sync.github.public_plan import make_public_plan
    from catalog_sync.workflow import save_plan
    from catalog_sync.workflow import utc_now

    policy = None if policy_config is None else policy_of(policy_config)
    plan = make_public_plan(obj.load_config(), environment, policy=policy)
    save_plan(plan, out)
    shown = render_plan(plan, "markdown", commit=commit, planned_at=utc_now())
    markdown_out.write_text(PUBLIC_NOTE + shown, "utf-8")
    click.echo(f"wrote {markdown_out}")
