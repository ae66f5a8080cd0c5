"""The last check before apply writes: every body a plan would send is a valid product of
the plan's schema and names the product of its own operation.

A saved plan is a file anyone with access can edit, and its checksum is not a signature;
so what apply sends is validated again here, as `validate` validated the product files,
before the first write. A body for product A that says `productId: B` would otherwise
overwrite B through A's URL, or create B while the journal records A."""

from __future__ import annotations

from collections.abc import Sequence

from catalog_sync.catalog.schema import SCHEMA_NAMES
from catalog_sync.catalog.validate import validate_data
from catalog_sync.errors import PlanFormatError
from catalog_sync.plan.plan import Action
from catalog_sync.plan.plan import Change

SHOWN_PROBLEMS = 5
_HINT = (
    "plans must not be edited: make a new one with `catalog-sync plan --out FILE` "
    "from product files that `catalog-sync validate` accepts"
)


def check_bodies(
    changes: tuple[Change, ...], schema: str, *, extension_prefixes: Sequence[str] = ()
) -> None:
    """PlanFormatError listing the first problems if any body must not be sent.
    `extension_prefixes` as configured: validate accepted those fields, so must this."""
    if schema not in SCHEMA_NAMES:
        raise PlanFormatError(
            f"the plan names schema {schema!r}, which catalog-sync does not know; "
            "nothing was written",
            hint=_HINT,
        )
    problems = [
        problem
        for change in changes
        if (problem := body_problem(change, schema, extension_prefixes)) is not None
    ]
    if problems:
        shown = problems[:SHOWN_PROBLEMS]
        if len(problems) > SHOWN_PROBLEMS:
            shown.append(f"… and {len(problems) - SHOWN_PROBLEMS} more")
        count = len(problems)
        raise PlanFormatError(
            f"the plan would send {count} bod{'y' if count == 1 else 'ies'} that must "
            f"not be sent; nothing was written: {'; '.join(shown)}",
            hint=_HINT,
        )


def body_problem(
    change: Change, schema: str, extension_prefixes: Sequence[str] = ()
) -> str | None:
    """Why `change`'s body must not be sent, or None when it may (a delete sends none)."""
    pid = change.product_id
    if change.action is Action.DELETE:
        return None
    body = change.after
    if body is None:
        return f"{change.action.value} {pid!r} has no body to send"
    if body.get("productId") != pid:
        return (
            f"{change.action.value} {pid!r} would send the body of productId "
            f"{body.get('productId')!r}"
        )
    try:
        problems = validate_data(
            body, schema, source=pid, extension_prefixes=extension_prefixes
        )
    except RecursionError:
        return f"{change.action.value} {pid!r}: the body nests too deeply"
    if not problems:
        return None
    first = problems[0]
    where = f"{first.path}: " if first.path else ""
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return f"{change.action.value} {pid!r}: {where}{first.message}{more}"
