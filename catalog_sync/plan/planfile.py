"""The plan file: a Plan as versioned JSON with a checksum, and back.

The text is a pure function of the plan (sorted keys, fixed indentation, no timestamps),
so the same inputs give byte-identical files. The checksum is the sha256 of the file's
own bytes with the checksum's value written as zeros: it detects any edit, reformatting
and truncation, and checking it costs one hash of the file, not a re-encoding (0.5 s for
the 35 MB plan of 1,000 updates). It is not a signature. The format is documented in
docs/plan-format.md.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any
from typing import TypeVar
from typing import cast
from typing import get_args

from catalog_sync.cds.impact import IMPACTS
from catalog_sync.cds.units import Unit
from catalog_sync.config.model import Removal
from catalog_sync.errors import PlanFormatError
from catalog_sync.plan.diff import ChangeKind
from catalog_sync.plan.diff import FieldChange
from catalog_sync.plan.plan import FORMAT_VERSION
from catalog_sync.plan.plan import Action
from catalog_sync.plan.plan import Change
from catalog_sync.plan.plan import Plan
from catalog_sync.plan.planfile_parts import extra_to_json
from catalog_sync.plan.planfile_parts import policy_from_json
from catalog_sync.types import JSONObject

CHECKSUM_PREFIX = "sha256:"
_UNSEALED = CHECKSUM_PREFIX + "0" * 64
# The top-level key, and only it, sits at two spaces of indentation (plan_to_json).
_CHECKSUM_AT = '\n  "checksum": "'
_T = TypeVar("_T")


def plan_to_document(plan: Plan) -> JSONObject:
    """The plan as a JSON object, with its summary; no checksum (see `seal`)."""
    return {
        "format_version": plan.format_version,
        "tool_version": plan.tool_version,
        "environment": plan.environment,
        "base_url": plan.base_url,
        "schema": plan.schema,
        "products_dir": plan.products_dir,
        "removal": plan.removal,
        "desired_digest": plan.desired_digest,
        "live_fingerprints": dict(plan.live_fingerprints),
        "retired_live": list(plan.retired_live),
        "summary": _summary_to_json(plan),
        "changes": [_change_to_json(change) for change in plan.changes],
        **extra_to_json(plan),
    }


def _summary_to_json(plan: Plan) -> JSONObject:
    summary = plan.summary
    return {
        "create": summary.create,
        "update": summary.update,
        "retire": summary.retire,
        "delete": summary.delete,
    }


def plan_to_json(plan: Plan) -> str:
    """The plan file's text: sorted keys, two-space indent, trailing newline, sealed."""
    return seal(plan_to_document(plan))


def seal(document: Mapping[str, Any]) -> str:
    """`document` as plan-file text with its checksum (any "checksum" in it replaced)."""
    unsealed = {**document, "checksum": _UNSEALED}
    text = json.dumps(unsealed, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    at = text.index(_CHECKSUM_AT + _UNSEALED) + len(_CHECKSUM_AT)
    return text[:at] + _text_checksum(text) + text[at + len(_UNSEALED) :]


def _text_checksum(unsealed: str) -> str:
    return CHECKSUM_PREFIX + hashlib.sha256(unsealed.encode("utf-8")).hexdigest()


def plan_from_json(text: str) -> Plan:
    """Reads a plan file; PlanFormatError if it is not JSON, from a newer catalog-sync,
    edited since it was written, or missing anything."""
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise PlanFormatError(
            f"the plan file is not valid JSON ({exc})",
            hint="save a new plan with `catalog-sync plan --out FILE`",
        ) from exc
    except RecursionError as exc:  # e.g. 200,000 `[`: no plan nests like that
        raise PlanFormatError(
            "the plan file is not a plan: its JSON nests too deeply",
            hint="save a new plan with `catalog-sync plan --out FILE`",
        ) from exc
    if not isinstance(document, dict):
        raise PlanFormatError("the plan file does not hold a JSON object")
    _check_version(document)
    _check_checksum(text)
    try:
        return _plan_from_document(document)
    except KeyError as exc:
        raise PlanFormatError(
            f"the plan file is malformed: field {exc} is missing",
            hint="save a new plan with `catalog-sync plan --out FILE`",
        ) from exc
    except (TypeError, ValueError) as exc:
        raise PlanFormatError(
            f"the plan file is malformed: {exc}",
            hint="save a new plan with `catalog-sync plan --out FILE`",
        ) from exc


def _check_version(document: Mapping[str, Any]) -> None:
    version = document.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise PlanFormatError("the plan file has no format_version; it is not a plan")
    if version > FORMAT_VERSION:
        raise PlanFormatError(
            f"the plan file has format_version {version}; this catalog-sync reads "
            f"up to {FORMAT_VERSION}",
            hint="upgrade catalog-sync, or re-plan with this version",
        )
    if version != FORMAT_VERSION:
        raise PlanFormatError(
            f"plan format_version {version} is not supported",
            hint="make a new plan with this catalog-sync: `catalog-sync plan --out FILE`",
        )


def _check_checksum(text: str) -> None:
    found = text.find(_CHECKSUM_AT)
    at = found + len(_CHECKSUM_AT)
    recorded = text[at : at + len(_UNSEALED)]
    unsealed = text[:at] + _UNSEALED + text[at + len(_UNSEALED) :]
    if found < 0 or recorded != _text_checksum(unsealed):
        raise PlanFormatError(
            "the plan file's checksum does not match its content: it was edited or "
            "damaged after it was written",
            hint="plans must not be edited; make a new one with `catalog-sync plan --out`",
        )


def _plan_from_document(document: Mapping[str, Any]) -> Plan:
    fingerprints = _get(document, "live_fingerprints", dict)
    plan = Plan(
        environment=_get(document, "environment", str),
        base_url=_get(document, "base_url", str),
        schema=_get(document, "schema", str),
        removal=_choice(document, "removal", get_args(Removal)),
        desired_digest=_get(document, "desired_digest", str),
        live_fingerprints={str(k): str(v) for k, v in sorted(fingerprints.items())},
        changes=tuple(_change_from_json(c) for c in _get(document, "changes", list)),
        tool_version=_get(document, "tool_version", str),
        format_version=_get(document, "format_version", int),
        products_dir=_get(document, "products_dir", str),
        retired_live=tuple(
            sorted(str(pid) for pid in _optional(document, "retired_live", list) or ())
        ),
        timezone=_get(document, "timezone", str),
        policy=policy_from_json(document["policy"]),
        targets=tuple(sorted(str(pid) for pid in _get(document, "targets", list))),
    )
    summary = _get(document, "summary", dict)
    # Only the summary is compared: the checksum already covers the bytes, and
    # rebuilding the whole document to compare it would cost every apply's start.
    if summary != _summary_to_json(plan):
        raise ValueError("summary does not match the changes")
    return plan


def _change_to_json(change: Change) -> JSONObject:
    return {
        "action": change.action.value,
        "product_id": change.product_id,
        "brand": change.brand,
        "category": change.category,
        "name": change.name,
        "file": change.file,
        "before": change.before,
        "after": change.after,
        "live_fingerprint": change.live_fingerprint,
        "field_changes": [_field_to_json(item) for item in change.field_changes],
        "impact": change.impact,
        "impact_counts": change.impact_counts(),
    }


def _field_to_json(item: FieldChange) -> JSONObject:
    return {
        "path": item.path,
        "label": item.label,
        "subject": item.subject,
        "field": item.field,
        "kind": item.kind,
        "before": item.before,
        "after": item.after,
        "unit": item.unit,
        "impact": item.impact,
    }


def _change_from_json(raw: Any) -> Change:
    if not isinstance(raw, dict):
        raise TypeError("a change is not an object")
    return Change(
        action=Action(_get(raw, "action", str)),
        product_id=_get(raw, "product_id", str),
        brand=_optional(raw, "brand", str),
        category=_optional(raw, "category", str),
        name=_optional(raw, "name", str),
        file=_optional(raw, "file", str),
        before=_optional(raw, "before", dict),
        after=_optional(raw, "after", dict),
        field_changes=tuple(
            _field_from_json(f) for f in _get(raw, "field_changes", list)
        ),
        live_fingerprint=_optional(raw, "live_fingerprint", str),
    )


def _field_from_json(raw: Any) -> FieldChange:
    if not isinstance(raw, dict):
        raise TypeError("a field change is not an object")
    unit = raw.get("unit")
    if unit is not None and unit not in get_args(Unit):
        raise ValueError(f"unknown unit {unit!r}")
    return FieldChange(
        path=_get(raw, "path", str),
        label=_get(raw, "label", str),
        subject=_get(raw, "subject", str),
        field=_get(raw, "field", str),
        kind=_choice(raw, "kind", get_args(ChangeKind)),
        before=raw.get("before"),
        after=raw.get("after"),
        unit=cast("Unit | None", unit),
        impact=_choice(raw, "impact", IMPACTS),
    )


def _get(raw: Mapping[str, Any], key: str, kind: type[_T]) -> _T:
    value = raw[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise TypeError(
            f"{key!r} should be {kind.__name__}, not {type(value).__name__}"
        )
    return value


def _optional(raw: Mapping[str, Any], key: str, kind: type[_T]) -> _T | None:
    return None if raw.get(key) is None else _get(raw, key, kind)


def _choice(raw: Mapping[str, Any], key: str, allowed: tuple[Any, ...]) -> Any:
    value = _get(raw, key, str)
    if value not in allowed:
        raise ValueError(f"{key!r} is {value!r}, expected one of {', '.join(allowed)}")
    return value
