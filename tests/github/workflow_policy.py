"""The workflow security policy (reliability checklist item 54) as plain functions over
a workflow's text, so the test can run it on our workflows and on deliberately bad ones."""

from __future__ import annotations

import re
from collections.abc import Iterator
from collections.abc import Mapping
from typing import Any

import yaml

# (workflow file, job id) -> the permissions that job may ask for, and no more.
ALLOWED_PERMISSIONS: dict[tuple[str, str], dict[str, str]] = {
    ("plan.yml", "validate"): {"contents": "read"},
    ("plan.yml", "plan"): {
        "contents": "read",
        "pull-requests": "write",
        "statuses": "write",
    },
    ("plan.yml", "fork-plan"): {"contents": "read"},
    ("plan-comment.yml", "comment"): {
        "actions": "read",
        "contents": "read",
        "pull-requests": "write",
        "statuses": "write",
    },
    ("apply.yml", "environments"): {"contents": "read"},
    ("apply.yml", "staging"): {
        "actions": "read",
        "contents": "read",
        "deployments": "write",
        "pull-requests": "write",
    },
    ("apply.yml", "production"): {
        "actions": "read",
        "contents": "read",
        "deployments": "write",
        "pull-requests": "write",
    },
    ("drift.yml", "environments"): {"contents": "read"},
    ("drift.yml", "drift"): {"contents": "read", "issues": "write"},
    ("ci.yml", "test"): {"contents": "read"},
}

# Jobs that apply must run in this GitHub environment (required reviewers gate them).
APPLY_ENVIRONMENTS = {
    ("apply.yml", "staging"): "staging",
    ("apply.yml", "production"): "production",
}

PINNED_USES = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$")
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>\S+)\s*(?P<comment>#.*)?$")
VERSION_COMMENT = re.compile(r"#\s*v\d+(\.\d+)*\b")
EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.DOTALL)
PR_TEXT = re.compile(
    r"github\.(event|head_ref)|pull_request\.|\.title|\.body|head\.ref|"
    r"head_branch|\.label|\.name\b|inputs\."
)
SAME_REPOSITORY = "github.event.pull_request.head.repo.full_name == github.repository"


def load_workflow(text: str) -> dict[str, Any]:
    """The workflow as data; YAML 1.1 reads the `on` key as True, so undo that."""
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        return {}
    if True in data:
        data["on"] = data.pop(True)
    return data


def check_workflow(name: str, text: str) -> list[str]:
    """Every policy violation in one workflow file, as readable messages."""
    workflow = load_workflow(text)
    problems: list[str] = []
    problems += _check_triggers(name, text)
    problems += _check_uses(name, text)
    problems += _check_top_permissions(name, workflow)
    problems += _check_apply_order(name, workflow)
    for job_id, job in _jobs(workflow):
        problems += _check_job(name, workflow, job_id, job)
    return problems


def _jobs(workflow: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for job_id, job in (workflow.get("jobs") or {}).items():
        if isinstance(job, dict):
            yield str(job_id), job


def _steps(job: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    for step in job.get("steps") or ():
        if isinstance(step, dict):
            yield step


def _check_triggers(name: str, text: str) -> list[str]:
    if "pull_request_target" in text:
        return [
            f"{name}: pull_request_target is forbidden (use pull_request + workflow_run)"
        ]
    return []


def _check_uses(name: str, text: str) -> list[str]:
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = USES_LINE.match(line)
        if not match:
            continue
        ref = match.group("ref").strip("'\"")
        if ref.startswith("./"):
            continue
        if not PINNED_USES.match(ref):
            problems.append(
                f"{name}:{number}: {ref} is not pinned to a full commit SHA"
            )
        elif not VERSION_COMMENT.search(match.group("comment") or ""):
            problems.append(
                f"{name}:{number}: {ref} lacks a '# vX.Y.Z' version comment"
            )
    return problems


def _check_top_permissions(name: str, workflow: Mapping[str, Any]) -> list[str]:
    if workflow.get("permissions") != {"contents": "read"}:
        return [f"{name}: top-level permissions must be exactly `contents: read`"]
    return []


def _check_job(
    name: str, workflow: Mapping[str, Any], job_id: str, job: Mapping[str, Any]
) -> list[str]:
    where = f"{name} job {job_id}"
    problems = _check_job_permissions(name, job_id, job)
    problems += _check_apply_gate(name, job_id, job)
    problems += _check_fork_secrets(workflow, where, job)
    for step in _steps(job):
        problems += _check_step(where, job, step)
    return problems


def _check_job_permissions(name: str, job_id: str, job: Mapping[str, Any]) -> list[str]:
    where = f"{name} job {job_id}"
    allowed = ALLOWED_PERMISSIONS.get((name, job_id))
    if allowed is None:
        return [f"{where}: not in the permission allow-list of the policy test"]
    asked = job.get("permissions")
    if not isinstance(asked, dict):
        return [f"{where}: must declare its permissions as a mapping"]
    problems = []
    for scope, level in asked.items():
        granted = allowed.get(scope)
        if (
            level == "none"
            or granted == level
            or (granted == "write" and level == "read")
        ):
            continue
        problems.append(f"{where}: asks for {scope}: {level}, more than it uses")
    return problems


def _check_apply_gate(name: str, job_id: str, job: Mapping[str, Any]) -> list[str]:
    runs_apply = any(
        re.search(r"catalog-sync\s+apply\b", str(step.get("run", "")))
        for step in _steps(job)
    )
    expected = APPLY_ENVIRONMENTS.get((name, job_id))
    if not runs_apply and expected is None:
        return []
    where = f"{name} job {job_id}"
    problems = []
    environment = job.get("environment")
    if isinstance(environment, dict):
        environment = environment.get("name")
    if not environment or (expected and environment != expected):
        problems.append(f"{where}: applies without `environment: {expected or '...'}`")
    concurrency = job.get("concurrency")
    if not (
        isinstance(concurrency, dict)
        and str(concurrency.get("group", "")).startswith("catalog-sync-apply-")
        and concurrency.get("cancel-in-progress") is False
    ):
        problems.append(
            f"{where}: applies without a catalog-sync-apply-<env> concurrency group "
            "with cancel-in-progress: false"
        )
    return problems


APPLY_RUN = re.compile(r"catalog-sync\s+apply\b")
HEAD_CHECK_RUN = re.compile(r"catalog-sync\s+github\s+head-check\b")
STEP_REFERENCE = re.compile(r"steps\.([A-Za-z0-9_-]+)\.")


def _check_apply_order(name: str, workflow: Mapping[str, Any]) -> list[str]:
    """A workflow that applies never applies an older commit after a newer one: one
    workflow-level concurrency group (cancel-in-progress: false) queues whole runs, and
    each apply step runs only when an earlier `github head-check` step found the commit
    still the head of main (its `if:` depends on that step's `current` output, directly
    or through the steps it depends on)."""
    applying = [
        (job_id, job)
        for job_id, job in _jobs(workflow)
        if any(APPLY_RUN.search(str(step.get("run", ""))) for step in _steps(job))
    ]
    if not applying:
        return []
    problems = []
    concurrency = workflow.get("concurrency")
    if not (
        isinstance(concurrency, dict)
        and str(concurrency.get("group", "")).startswith("catalog-sync-apply")
        and concurrency.get("cancel-in-progress") is False
    ):
        problems.append(
            f"{name}: applies without a workflow-level catalog-sync-apply concurrency "
            "group with cancel-in-progress: false"
        )
    for job_id, job in applying:
        problems += _check_head_gate(f"{name} job {job_id}", list(_steps(job)))
    return problems


def _check_head_gate(where: str, steps: list[dict[str, Any]]) -> list[str]:
    by_id = {str(step["id"]): step for step in steps if "id" in step}
    heads = {
        str(step.get("id"))
        for step in steps
        if HEAD_CHECK_RUN.search(str(step.get("run", "")))
    }
    problems = []
    for index, step in enumerate(steps):
        if not APPLY_RUN.search(str(step.get("run", ""))):
            continue
        earlier = {str(s.get("id")) for s in steps[:index]}
        if not _gated(step, by_id, heads & earlier, set()):
            problems.append(
                f"{where}: applies without first checking that its commit is still "
                "the head of main (`if:` on a `github head-check` step's `current`)"
            )
    return problems


def _gated(
    step: Mapping[str, Any], by_id: Mapping[str, Any], heads: set[str], seen: set[str]
) -> bool:
    condition = str(step.get("if", ""))
    for ref in STEP_REFERENCE.findall(condition):
        if ref in heads and f"steps.{ref}.outputs.current == 'true'" in condition:
            return True
        if ref in by_id and ref not in seen:
            seen.add(ref)
            if _gated(by_id[ref], by_id, heads, seen):
                return True
    return False


def _check_fork_secrets(
    workflow: Mapping[str, Any], where: str, job: Mapping[str, Any]
) -> list[str]:
    """In a pull_request workflow, only same-repository jobs may reference secrets."""
    triggers = workflow.get("on")
    if not (isinstance(triggers, (dict, list, str)) and "pull_request" in triggers):
        return []
    if "secrets." in yaml.safe_dump(dict(job)) and SAME_REPOSITORY not in str(
        job.get("if", "")
    ):
        return [f"{where}: references secrets but may run for a fork's pull request"]
    return []


def _check_step(
    where: str, job: Mapping[str, Any], step: Mapping[str, Any]
) -> list[str]:
    label = f"{where} step {step.get('name') or step.get('uses') or step.get('run')!r}"
    problems = []
    uses = str(step.get("uses", ""))
    if uses.startswith("actions/checkout@"):
        persist = (step.get("with") or {}).get("persist-credentials")
        if persist not in (False, "false"):
            problems.append(
                f"{label}: actions/checkout without persist-credentials: false"
            )
        ref = str((step.get("with") or {}).get("ref", ""))
        if "workflow_run" in ref or "head" in ref:
            problems.append(
                f"{label}: checks out the pull request's code in a privileged run"
            )
    run = step.get("run")
    if isinstance(run, str):
        problems += _check_run(
            label, run, {**(job.get("env") or {}), **(step.get("env") or {})}
        )
    return problems


def _check_run(label: str, run: str, env: Mapping[str, Any]) -> list[str]:
    problems = []
    for expression in EXPRESSION.findall(run):
        kind = "pull-request text" if PR_TEXT.search(expression) else "an expression"
        problems.append(
            f"{label}: run: interpolates {kind} (${{{{{expression.strip()}}}}}); "
            "pass it through env:"
        )
    if "secrets." in run:
        problems.append(f"{label}: run: references secrets directly; use env:")
    secret_vars = [key for key, value in env.items() if "secrets." in str(value)]
    if secret_vars and re.search(r"\bset\s+-[a-z]*x", run):
        problems.append(f"{label}: set -x would print the secrets in env:")
    for line in run.splitlines():
        if not re.search(r"\b(echo|printf|cat)\b", line):
            continue
        for var in secret_vars:
            if re.search(rf"\${{?{re.escape(var)}\b", line):
                problems.append(f"{label}: run: prints the secret ${var}")
    return problems
