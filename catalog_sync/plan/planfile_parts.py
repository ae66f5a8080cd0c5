"""The parts of the plan file that format 3 added: impact summaries, the policy with
each rule's result, the time zone, the `--product` targets and likely renames. Written
by `planfile.plan_to_document`; the settings are read back, the results recomputed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from typing import cast

from catalog_sync.config.model import ADVERSE_CHANGES
from catalog_sync.config.model import AdverseChanges
from catalog_sync.config.model import Policy
from catalog_sync.plan.plan import Plan
from catalog_sync.plan.policy import evaluate_policy
from catalog_sync.plan.renames import likely_renames
from catalog_sync.types import JSONObject


def extra_to_json(plan: Plan) -> JSONObject:
    """The format-3 keys of the plan document."""
    verdict = evaluate_policy(plan, plan.policy)
    return {
        "timezone": plan.timezone,
        "targets": list(plan.targets),
        "impact": {"plan": plan.impact, "products": plan.impact_counts()},
        "policy": {
            "adverse_changes": plan.policy.adverse_changes,
            "max_rate_change_bp": plan.policy.max_rate_change_bp,
            "override_label": plan.policy.override_label,
            "outcome": verdict.outcome,
            "rules": [
                {
                    "rule": rule.rule,
                    "setting": rule.setting,
                    "outcome": rule.outcome,
                    "summary": rule.summary,
                    "findings": list(rule.findings),
                }
                for rule in verdict.rules
            ],
        },
        "likely_renames": [
            {"old": r.old_id, "new": r.new_id, "name": r.name}
            for r in likely_renames(plan)
        ],
    }


def policy_from_json(raw: Any) -> Policy:
    """The policy settings a plan was made with (its results are recomputed)."""
    if not isinstance(raw, Mapping):
        raise TypeError("'policy' should be dict")
    adverse = raw.get("adverse_changes")
    if adverse not in ADVERSE_CHANGES:
        raise ValueError(f"'adverse_changes' is {adverse!r}")
    limit = raw.get("max_rate_change_bp")
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool)):
        raise TypeError("'max_rate_change_bp' should be int or null")
    label = raw.get("override_label")
    if not isinstance(label, str):
        raise TypeError("'override_label' should be str")
    return Policy(cast(AdverseChanges, adverse), limit, label)
