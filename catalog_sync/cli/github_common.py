"""Helpers shared by the `catalog-sync github` step commands: the client from the
Actions environment, bounded reading of body files, marker choice."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import click

from catalog_sync.errors import GitHubError
from catalog_sync.github.client import GitHubClient
from catalog_sync.github.client import client_from_env

BODY_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
ENV_OPTION = click.option(
    "--env",
    "environment",
    required=True,
    help="The catalog-sync environment the text is about (names the marker).",
)
MAX_BODY_FILE_BYTES = 8 * 1024 * 1024


def open_client() -> GitHubClient:
    """The GitHub client configured from GITHUB_TOKEN / GITHUB_REPOSITORY / GITHUB_API_URL."""
    return client_from_env(os.environ)


def write_outputs(text: str) -> None:
    """Append `key=value` lines to $GITHUB_OUTPUT when running under Actions."""
    output = os.environ.get("GITHUB_OUTPUT")
    if output:
        with Path(output).open("a", encoding="utf-8") as handle:
            handle.write(text)


def choose_marker(
    marker: str | None, environment: str | None, default: Callable[[str], str]
) -> str:
    """`--marker` as given, or the default marker of `--env`; exactly one is allowed."""
    if (marker is None) == (environment is None):
        raise click.UsageError("give exactly one of --marker and --env")
    if marker is not None:
        if not (marker.startswith("<!--") and marker.endswith("-->")):
            raise click.UsageError("--marker must be an HTML comment: <!-- ... -->")
        return marker
    assert environment is not None
    return default(environment)


def read_body(path: Path) -> str:
    """A body file's text, refusing files too large to be a comment or summary."""
    if path.stat().st_size > MAX_BODY_FILE_BYTES:
        raise GitHubError(f"{path} is larger than {MAX_BODY_FILE_BYTES} bytes")
    return path.read_text(encoding="utf-8")
