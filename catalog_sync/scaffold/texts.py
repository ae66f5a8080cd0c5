"""The small text files of a new catalog repository: configuration, .gitignore, editor
schema association, pre-commit hooks and a README for the people who edit products."""

from __future__ import annotations

import json

from catalog_sync.config.model import CONFIG_FILE_NAME
from catalog_sync.scaffold.install import Install

CONFIG = """\
# catalog-sync configuration (catalog-sync init). This folder is the catalog root: the
# product files live in products/, local state in .catalog-sync/ (git-ignored).
products_dir: products
schema: cds-v7                 # or cds-v6 while Fiskil or the holder still serves V6
removal: retire                # what removing a file means: retire (set effectiveTo) | delete | keep
environments:
  local:                       # the default: an embedded emulator, state in .catalog-sync/local.db
    target: embedded
  # Uncomment to plan and apply against Fiskil. Credentials come from the environment
  # variables named here (GitHub secrets in the workflows), never from this file.
  # staging:
  #   base_url: https://api.fiskil.com
  #   client_id_env: FISKIL_STAGING_CLIENT_ID
  #   client_secret_env: FISKIL_STAGING_CLIENT_SECRET
  # production:
  #   base_url: https://api.fiskil.com
  #   client_id_env: FISKIL_PRODUCTION_CLIENT_ID
  #   client_secret_env: FISKIL_PRODUCTION_CLIENT_SECRET
"""

GITIGNORE = """\
# catalog-sync's local state: the embedded store, caches, apply journals.
.catalog-sync/
# Saved plans and reports from local runs.
/plan*.json
/plan*.md
"""


def vscode_settings(schema: str) -> str:
    """VS Code's YAML extension (redhat.vscode-yaml): products/** checked against the
    schema copy while typing."""
    settings = {
        "yaml.schemas": {
            f"./schemas/{schema}.json": ["products/**/*.yaml", "products/**/*.yml"]
        }
    }
    return json.dumps(settings, indent=2) + "\n"


def pre_commit_config(install: Install) -> str:
    """fmt and validate before each commit: from the Action's repository at the pinned
    commit, or as local hooks that install this version from the package index."""
    if install.action is not None:
        repo, _, sha = install.action.partition("@")
        return (
            "# pre-commit install, then every commit is formatted and validated.\n"
            "repos:\n"
            f"  - repo: https://github.com/{repo}\n"
            f"    rev: {sha} # v{install.version}\n"
            "    hooks:\n"
            "      - id: catalog-sync-fmt\n"
            "      - id: catalog-sync-validate\n"
        )
    hooks = []
    for hook, entry, pass_filenames in (
        ("catalog-sync-fmt", "catalog-sync fmt", "true"),
        ("catalog-sync-validate", "catalog-sync validate", "false"),
    ):
        hooks.append(
            f"      - id: {hook}\n"
            f"        name: {entry}\n"
            f"        entry: {entry}\n"
            "        language: python\n"
            f'        additional_dependencies: ["catalog-sync=={install.version}"]\n'
            "        files: ^products/.*\\.ya?ml$\n"
            f"        pass_filenames: {pass_filenames}\n"
        )
    return (
        "# pre-commit install, then every commit is formatted and validated.\n"
        "repos:\n  - repo: local\n    hooks:\n" + "".join(hooks)
    )


def readme(schema: str) -> str:
    """For the people who edit products: where files go, how to check them, what
    happens on a pull request. The new-user test follows it and nothing else."""
    return f"""\
# Product catalog

Every product this bank publishes under the Consumer Data Standards is one YAML file in
`products/<brand>/<productId>.yaml`, checked by catalog-sync and published to Fiskil
when a pull request is merged.

## Adding or changing a product

1. Install catalog-sync (the version the workflows pin) and open this folder in an
   editor. VS Code with the YAML extension checks the file as you type against
   `schemas/{schema}.json`; other editors read the `# yaml-language-server` line.
2. Create or edit the file. A new product needs at least these fields:

   ```yaml
   productId: everyday-account
   productCategory: TRANS_AND_SAVINGS_ACCOUNTS
   name: Everyday Account
   description: An everyday transaction account.
   brand: EXAMPLE
   brandName: Example Bank
   isTailored: false
   ```

   saved as `products/example-bank/everyday-account.yaml`.
3. Check and tidy it:

   ```sh
   catalog-sync fmt        # canonical layout, your comments kept
   catalog-sync validate   # every problem, with file:line:col
   catalog-sync plan       # what would change (here: the local test environment)
   ```

4. Open a pull request. The plan for each environment appears as a comment; merging
   applies it. `pre-commit install` runs fmt and validate before every commit.

## Environments

`local` is a test catalog on your machine (`catalog-sync apply --env local`). Real
environments are set up in `{CONFIG_FILE_NAME}` (see the comments there), with the
credentials stored as GitHub secrets.
"""
