"""Whose comments and issues the workflows may edit: only those written by the workflow's
own identity. A marker alone proves nothing (anyone can paste it into a comment), so the
sticky comment and the drift issue are found by marker *and* author.

`GITHUB_TOKEN` cannot ask who it is (GET /user answers 403), so the identity is configured:
`github-actions[bot]` (type `Bot`) by default, or a GitHub App's bot login such as
`my-app[bot]`, or a machine user's login (type `User`), in `CATALOG_SYNC_GITHUB_AUTHOR`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from catalog_sync.errors import GitHubError

AUTHOR_VARIABLE = "CATALOG_SYNC_GITHUB_AUTHOR"
DEFAULT_LOGIN = "github-actions[bot]"
# GitHub logins: letters, digits and single hyphens; an App's bot adds `[bot]`.
_LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$")


@dataclass(frozen=True, slots=True)
class Author:
    """A GitHub account by login and type (`Bot` for `…[bot]` logins, else `User`)."""

    login: str
    type: str

    def wrote(self, item: Mapping[str, Any]) -> bool:
        """Whether a comment or issue of the REST API was written by this account."""
        user = item.get("user")
        return (
            isinstance(user, Mapping)
            and user.get("login") == self.login
            and user.get("type") == self.type
        )


def author_named(login: str) -> Author:
    """The Author with `login`; GitHubError if it cannot be a GitHub login."""
    if not _LOGIN.fullmatch(login):
        raise GitHubError(
            f"{AUTHOR_VARIABLE}={login!r} is not a GitHub login",
            hint=f"use the login of the account the workflow token acts as, e.g. "
            f"{DEFAULT_LOGIN} or my-app[bot]",
        )
    return Author(login, "Bot" if login.endswith("[bot]") else "User")


DEFAULT_AUTHOR = author_named(DEFAULT_LOGIN)


def author_from_env(env: Mapping[str, str]) -> Author:
    """The workflow's identity: `CATALOG_SYNC_GITHUB_AUTHOR`, else github-actions[bot]."""
    return author_named(env.get(AUTHOR_VARIABLE) or DEFAULT_LOGIN)
