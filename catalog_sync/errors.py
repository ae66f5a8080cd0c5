"""The one exception tree of catalog-sync, and the exit code each branch maps to.

```
CatalogSyncError                      exit 1 unless stated
  ConfigError                         catalog-sync.yaml or command-line misuse
  LoadError                           a product file could not be read (symlink, size, YAML)
  ValidationFailed                    problems were found (carries them)
  ApiError                            anything that crossed the wire
    TransportError                    network / timeout after retries
    StatusError(status, method, url)  an unexpected HTTP status
      AuthError                       401, invalid_client, rejected after refresh
      ScopeError                      403 insufficient_scope (names the scope)
      NotFoundError                   404
      ConflictError                   409 / 412: changed underneath us, re-plan
      ServerValidationError           400 / 422 with the server's messages
      RateLimitedError                429 with a Retry-After above the cap
    RetryBudgetExhausted              the run-wide retry budget is spent
  PlanError
    PlanFormatError                   a plan file that cannot be read
    StalePlanError                    live changed since the plan was made
    UnsafePlanError                   deletes without --allow-delete, mass deletion
    UnreviewedPlanError               a change no reviewed plan showed, or another digest
    PolicyBlockedError                a policy rule blocks the plan (no override given)
  ApplyError                          some operation failed (carries the result)
  GitHubError                         the GitHub API refused or failed
```

Only `catalog_sync.cli.main` turns these into exit codes (each class's `exit_code`). Messages are
built from structured fields and never contain secrets.
"""

from __future__ import annotations

from typing import Any

from catalog_sync.english import plural

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_CHANGES = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130


class CatalogSyncError(Exception):
    """Base of every error catalog-sync raises on purpose; `hint` says how to fix it."""

    exit_code = EXIT_FAILURE

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if not self.hint:
            return self.message
        # After a message that lists things line by line, the hint gets its own line.
        separator = "\n" if "\n" in self.message else " "
        return f"{self.message}{separator}({self.hint})"


class ConfigError(CatalogSyncError):
    """catalog-sync.yaml is invalid, or an option names something that does not exist."""


class LoadError(CatalogSyncError):
    """A file could not be read at all (the per-file problems are `Problem`s instead)."""


class ValidationFailed(CatalogSyncError):
    """Validation found problems; `problems` holds every one of them."""

    def __init__(self, problems: Any, *, message: str | None = None) -> None:
        self.problems = problems
        count = len(problems)
        super().__init__(message or f"{count} {plural(count, 'problem')} found")


class ApiError(CatalogSyncError):
    """Something went wrong talking to the Fiskil API."""


class TransportError(ApiError):
    """The network failed (connect, read, timeout) and retries did not help."""


class RetryBudgetExhausted(ApiError):
    """The run-wide retry budget is spent: the API is failing systemically."""


class StatusError(ApiError):
    """The API answered with a status we do not handle as success."""

    def __init__(
        self,
        message: str,
        *,
        status: int,
        method: str,
        url: str,
        detail: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.status = status
        self.method = method
        self.url = url
        self.detail = detail


class AuthError(StatusError):
    """The credentials were rejected (invalid_client, or 401 after one refresh)."""


class ScopeError(StatusError):
    """The token lacks a scope the operation needs; `scope` names it."""

    def __init__(self, message: str, *, scope: str, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.scope = scope


class NotFoundError(StatusError):
    """The product does not exist on the server."""


class ConflictError(StatusError):
    """409 / 412: the product changed underneath us; re-plan."""


class ServerValidationError(StatusError):
    """400 / 422: the server rejected the body; `messages` holds what it said."""

    def __init__(
        self, message: str, *, messages: tuple[str, ...] = (), **kwargs: Any
    ) -> None:
        super().__init__(message, **kwargs)
        self.messages = messages


class RateLimitedError(StatusError):
    """429 with a wait above the cap: the operation stops; `retry_at` says when to retry."""

    def __init__(
        self, message: str, *, retry_at: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(message, **kwargs)
        self.retry_at = retry_at


class PlanError(CatalogSyncError):
    """A plan cannot be made, read or used."""


class PlanFormatError(PlanError):
    """A plan file is not a plan catalog-sync can read (corrupt, newer format, tampered)."""


class StalePlanError(PlanError):
    """Live products changed since the plan was made; nothing was written."""


class UnsafePlanError(PlanError):
    """The plan deletes products without --allow-delete, or too many without --force."""


class UnreviewedPlanError(PlanError):
    """`apply --reviewed` found changes no reviewed plan showed, or `--plan-digest`
    named another plan; nothing was written."""


class PolicyBlockedError(PlanError):
    """A policy gate of catalog-sync.yaml blocks the plan and no override was given."""


class ApplyError(CatalogSyncError):
    """At least one operation failed or was not attempted; `result` has the details."""

    def __init__(self, message: str, *, result: Any = None) -> None:
        super().__init__(message)
        self.result = result


class GitHubError(CatalogSyncError):
    """The GitHub API refused or failed a request."""
