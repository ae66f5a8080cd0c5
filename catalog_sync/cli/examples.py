"""The example at the end of each command's `--help` (click epilogs; `\b` keeps click
from rewrapping the lines)."""

from __future__ import annotations

from collections.abc import Mapping

EXAMPLES: Mapping[str, tuple[str, ...]] = {
    "init": (
        "catalog-sync init my-catalog --example",
        "cd my-catalog && catalog-sync plan",
    ),
    "validate": (
        "catalog-sync validate",
        "catalog-sync validate products/wattle-bank --format json",
    ),
    "fmt": ("catalog-sync fmt", "catalog-sync fmt --check products/"),
    "plan": (
        "catalog-sync plan",
        "catalog-sync plan --env staging --out plan.json --detailed-exitcode",
    ),
    "apply": (
        "catalog-sync apply plan.json",
        "catalog-sync apply --env local --auto-approve",
    ),
    "show": ("catalog-sync show plan.json --format markdown",),
    "drift": ("catalog-sync drift --env production --format markdown",),
    "export": (
        "catalog-sync export --env staging",
        "catalog-sync export --env staging --product savings-01",
    ),
    "emulator": (
        "catalog-sync emulator --db .catalog-sync/local.db",
        "catalog-sync emulator --seed products/ --port 8788",
    ),
    "auth": ("catalog-sync auth check --env staging",),
    "verify": (
        "catalog-sync verify --env production",
        "catalog-sync verify --env production --wait 5m --format markdown",
    ),
    "audit": ("catalog-sync audit show .catalog-sync/audit/FILE.json",),
    "audit show": (
        "catalog-sync audit show .catalog-sync/audit/FILE.json --format json",
    ),
    "doctor": (
        "catalog-sync doctor --env staging",
        "catalog-sync doctor --env staging --suggest --format json",
    ),
    "auth check": ("catalog-sync auth check --env production",),
    "github": ("catalog-sync github environments",),
    # The steps of the workflows in .github/workflows, as they run them.
    "github comment": (
        "catalog-sync github comment --pr 42 --env staging --body-file plan.md",
    ),
    "github comment-payload": (
        "catalog-sync github comment-payload --env staging --pr 42 "
        "--head-sha $HEAD_SHA --body-file plan.md --out comment/comment.json",
    ),
    "github drift-issue": (
        "catalog-sync github drift-issue --env production --report-file drift.md "
        "--exit-code 2",
    ),
    "github environments": ("catalog-sync github environments",),
    "github policy-override": (
        'catalog-sync github policy-override --sha $SHA --reason "$DISPATCH_REASON"',
    ),
    "github policy-status": (
        "catalog-sync github policy-status --env staging --plan-file plan.json "
        "--sha $HEAD_SHA --pr 42 --target-url $RUN_URL",
    ),
    "github head-check": ("catalog-sync github head-check --sha $SHA --branch main",),
    "github record-applied": (
        "catalog-sync github record-applied --env production --sha $SHA "
        "--plan-file plan.json --run-url $RUN_URL",
    ),
    "github reviewed-plans": (
        "catalog-sync github reviewed-plans --env production --sha $SHA "
        "--out-dir reviewed --report-file reviewed.md",
    ),
    "github fork-mode": ("catalog-sync github fork-mode --env staging",),
    "github post-artifact-comment": (
        "catalog-sync github post-artifact-comment --artifact-dir untrusted "
        '--run-head-sha $RUN_HEAD_SHA --run-pull-requests "$RUN_PULL_REQUESTS"',
    ),
    "github public-plan": (
        "catalog-sync github public-plan --env staging --markdown-out plan.md "
        "--out plan-staging.json",
    ),
    "github report-apply": (
        "catalog-sync github report-apply --env staging --sha $SHA --outcome success "
        "--plan-file plan.md --log-file apply.log --report-file apply-report.md "
        "--run-url $RUN_URL",
    ),
    "github summary": ("catalog-sync github summary --body-file plan.md",),
    "import": ("catalog-sync import --from-dir captures/ --out products/",),
    "migrate": ("catalog-sync migrate products/ --to cds-v7",),
}


def example_epilog(name: str) -> str:
    """`Examples:` and the command lines for `name`. A command added without any
    still loads (a test asks for real ones)."""
    lines = EXAMPLES.get(name, (f"catalog-sync {name} --help",))
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)
