"""Turn this repository's workflows into a catalog repository's: the step that installs
catalog-sync from the checkout (`uses: ./`) becomes a pinned install, either from the
package index (`pip install "catalog-sync==X.Y.Z"`) or through the composite Action at a
full commit SHA (`--action OWNER/REPO@SHA`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from catalog_sync.errors import ConfigError

SETUP_PYTHON = "actions/setup-python@e797f83bcb11b83ae66e0230d6156d7c80228e7c # v6.0.0"
"""The pinned setup-python of action.yml (a test keeps the two the same)."""

_ACTION = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+@[0-9a-f]{40}")
_LOCAL_STEP = re.compile(
    r"^(?P<indent> *)- name: Install catalog-sync[^\n]*\n(?P=indent)  uses: \./[^\n]*\n",
    re.MULTILINE,
)


@dataclass(frozen=True, slots=True)
class Install:
    """How the generated workflows get catalog-sync: `action` (OWNER/REPO@SHA) or,
    when None, pip at `version`."""

    version: str
    action: str | None = None


def parse_action(text: str) -> str:
    """`OWNER/REPO@SHA` checked: a tag or branch could be moved under the workflows."""
    if not _ACTION.fullmatch(text):
        raise ConfigError(
            f"--action {text!r} is not OWNER/REPO@SHA with a full 40-character commit SHA",
            hint="pin the action by commit, e.g. my-org/catalog-sync@<40 hex digits>; "
            "tags and branches can be moved",
        )
    return text


def pin_install(workflow: str, install: Install) -> str:
    """`workflow` with every `uses: ./` install step replaced by the pinned install."""
    return _LOCAL_STEP.sub(lambda match: _steps(match["indent"], install), workflow)


def _steps(indent: str, install: Install) -> str:
    if install.action is not None:
        lines = [
            "- name: Install catalog-sync",
            f"  uses: {install.action} # v{install.version}",
        ]
    else:
        lines = [
            "- name: Set up Python",
            f"  uses: {SETUP_PYTHON}",
            "  with:",
            '    python-version: "3.12"',
            "- name: Install catalog-sync",
            f'  run: python -m pip install --quiet "catalog-sync=={install.version}"',
        ]
    return "".join(f"{indent}{line}\n" for line in lines)
