"""`catalog-sync github policy-status` and `policy-override`: the policy gate's steps
in the workflows (the commit status and impact label of a plan; the override on merge)."""

from __future__ import annotations

import os
from pathlib import Path

import click

from catalog_sync.cli.context import CliContext
from catalog_sync.cli.github_common import ENV_OPTION
from catalog_sync.cli.github_common import open_client
from catalog_sync.cli.github_common import write_outputs


@click.command("policy-status")
@ENV_OPTION
@click.option(
    "--plan-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="The saved plan (`plan --policy-config BASE --out FILE`).",
)
@click.option("--sha", required=True, help="The pull request's head commit.")
@click.option("--pr", "pull_request", type=click.IntRange(min=1), help="Label it.")
@click.option("--target-url", help="Link from the status (the workflow run).")
def policy_status(
    environment: str,
    plan_file: Path,
    sha: str,
    pull_request: int | None,
    target_url: str | None,
) -> None:
    """Set the catalog-sync/policy/ENV commit status from a saved plan's policy
    verdict, and label the pull request `impact: …`."""
    from catalog_sync.github.policy import set_impact_label
    from catalog_sync.github.policy import set_policy_status
    from catalog_sync.github.policy import status_of
    from catalog_sync.plan.policy import evaluate_policy
    from catalog_sync.workflow import load_plan

    plan = load_plan(plan_file)
    state, description = status_of(evaluate_policy(plan, plan.policy))
    with open_client() as client:
        set_policy_status(
            client, sha=sha, environment=environment, state=state,
            description=description, target_url=target_url,
        )  # fmt: skip
        if pull_request is not None:
            set_impact_label(client, number=pull_request, impact=plan.impact)
    click.echo(f"catalog-sync/policy/{environment}: {state}: {description}")


@click.command("policy-override")
@click.option("--sha", required=True, help="The merge commit being applied.")
@click.option(
    "--label", help="The override label (default: policy.override_label of the config)."
)
@click.option(
    "--reason",
    default="",
    help="A workflow_dispatch run's override reason (the actor is added).",
)
@click.pass_obj
def policy_override(obj: CliContext, sha: str, label: str | None, reason: str) -> None:
    """Decide whether a blocked plan may be applied: a dispatch reason, or `--label`
    added to the merged pull request by someone with write access. Writes `reason`
    (empty: no override) to $GITHUB_OUTPUT."""
    from catalog_sync.github.comments import pull_requests_for_commit
    from catalog_sync.github.policy import find_override
    from catalog_sync.github.policy import one_line

    chosen = ""
    if reason.strip():
        actor = one_line(os.environ.get("GITHUB_ACTOR", "unknown"), 100)
        chosen = one_line(f"workflow_dispatch by {actor}: {reason}")
        click.echo(f"policy override from the dispatch: {chosen}")
    else:
        with open_client() as client:
            numbers = pull_requests_for_commit(client, sha)
            if not numbers:
                click.echo(f"no merged pull request for {sha[:12]}: no override")
            else:
                name = label or obj.load_config().policy.override_label
                found, said = find_override(client, number=numbers[0], label=name)
                click.echo(said)
                chosen = found.reason if found else ""
    write_outputs(f"reason={chosen}\n")
