"""The plan: a pure value saying which products to create, update, retire or delete, built
from the desired and the live catalog; renderers read it and apply executes it.

Building a plan performs no I/O and reads no clock: the retirement time is passed in.
Serialisation (versioned JSON with a checksum) lives in `catalog_sync.plan.planfile`.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from enum import StrEnum

from catalog_sync import __version__
from catalog_sync.cds.impact import IMPACTS
from catalog_sync.cds.impact import Impact
from catalog_sync.cds.impact import worst
from catalog_sync.config.model import DEFAULT_TIMEZONE
from catalog_sync.config.model import Policy
from catalog_sync.config.model import Removal
from catalog_sync.plan.diff import FieldChange
from catalog_sync.types import JSONObject

FORMAT_VERSION = 3


class Action(StrEnum):
    """What apply does to one product; the declaration order is the execution order."""

    CREATE = "create"
    UPDATE = "update"
    RETIRE = "retire"
    DELETE = "delete"


ACTION_ORDER: Mapping[Action, int] = {
    action: index for index, action in enumerate(Action)
}


@dataclass(frozen=True, slots=True)
class Change:
    """One product's change. `before` is the normalised live product (None for create);
    `after` is the body to send: the product as written for create and update, the
    normalised live product with `effectiveTo` set for retire, None for delete. `live_fingerprint` is the fingerprint of the live
    product this change was computed from (None for create): apply re-reads and compares.
    `brand`, `category`, `name` and `file` are for display only."""

    action: Action
    product_id: str
    brand: str | None
    category: str | None
    name: str | None
    file: str | None
    before: JSONObject | None
    after: JSONObject | None
    field_changes: tuple[FieldChange, ...] = ()
    live_fingerprint: str | None = None

    @property
    def impact(self) -> Impact:
        """For the customer: a new product is favourable (a new offer), a retired or
        deleted one adverse; an update is the worst of its field changes."""
        if self.action is Action.CREATE:
            return "favourable"
        if self.action in (Action.RETIRE, Action.DELETE):
            return "adverse"
        return worst([item.impact for item in self.field_changes])

    def impact_counts(self) -> dict[Impact, int]:
        """Field changes per impact class, every class present."""
        return count_impacts(item.impact for item in self.field_changes)


def count_impacts(impacts: Iterable[Impact]) -> dict[Impact, int]:
    """How many of each class, worst first, every class present."""
    counts: dict[Impact, int] = dict.fromkeys(IMPACTS, 0)
    for impact in impacts:
        counts[impact] += 1
    return counts


@dataclass(frozen=True, slots=True)
class PlanSummary:
    """How many products each action touches."""

    create: int
    update: int
    retire: int
    delete: int


@dataclass(frozen=True, slots=True)
class Plan:
    """Everything apply needs and a reviewer sees. `live_fingerprints` holds every live
    product read (productId -> fingerprint), so a saved plan can tell when live moved.
    `retired_live`: live products without a file that are retired already (`removal:
    retire`); they are no longer offered, so the mass-removal guard does not count them.
    `timezone` (the bank's, for showing dates) and `policy` come from the config;
    `targets` is the `--product` selection of a partial plan (empty: every product)."""

    environment: str
    base_url: str
    schema: str
    removal: Removal
    desired_digest: str
    live_fingerprints: Mapping[str, str]
    changes: tuple[Change, ...]
    tool_version: str = __version__
    format_version: int = FORMAT_VERSION
    products_dir: str = "products"
    retired_live: tuple[str, ...] = ()
    timezone: str = DEFAULT_TIMEZONE
    policy: Policy = field(default_factory=Policy)
    targets: tuple[str, ...] = ()

    @property
    def impact(self) -> Impact:
        """The worst class of any change; neutral for an empty plan."""
        return worst([change.impact for change in self.changes])

    def impact_counts(self) -> dict[Impact, int]:
        """Products per impact class, every class present."""
        return count_impacts(change.impact for change in self.changes)

    @property
    def summary(self) -> PlanSummary:
        counts = {action: 0 for action in Action}
        for change in self.changes:
            counts[change.action] += 1
        return PlanSummary(
            create=counts[Action.CREATE],
            update=counts[Action.UPDATE],
            retire=counts[Action.RETIRE],
            delete=counts[Action.DELETE],
        )

    @property
    def has_changes(self) -> bool:
        return bool(self.changes)


LiveProducts = Mapping[str, JSONObject] | Iterable[tuple[str, JSONObject]]
"""The live catalog: a mapping by productId, or (productId, product) pairs as the pages
arrive (each productId once), so a plan never holds every live product at once."""
