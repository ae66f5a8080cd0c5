"""The example at the end of each command's `--help` (click epilogs; `\b` keeps click
from rewrapping the lines)."""

from __future__ import annotations

from collections.abc import Mapping

_EXAMPLES: Mapping[str, tuple[str, ...]] = {
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
    "github": ("catalog-sync github environments",),
    "import": ("catalog-sync import --from-dir captures/ --out products/",),
    "migrate": ("catalog-sync migrate products/ --to cds-v7",),
}


def example_epilog(name: str) -> str:
    """`Examples:` and the command lines for `name` (every command has some)."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in _EXAMPLES[name])
