"""Refuse to plan from a list of summaries as if it were the products: with
`api.list_returns_details: true` (the default) against a server whose list returns
summaries, every product would seem to have lost its fees, rates and features, and the
plan would send them all again as updates.

A CDS product detail adds the arrays in `DETAIL_FIELDS` to a list item; all of them are
optional, so a listed product without any proves nothing alone. When a listed product
has none of them but its catalog file has some, its own GET decides: if the GET has
detail arrays that the list left out, the list returns summaries and planning stops with
an error naming the key. One listed product that carries a detail array proves the list
returns details, and checking stops; at most `PROBES` GETs are spent per listing."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Mapping

from catalog_sync.cds.desired import DesiredProduct
from catalog_sync.errors import ConfigError
from catalog_sync.types import JSONObject

DETAIL_FIELDS = frozenset(
    {"bundles", "features", "constraints", "eligibility", "fees", "depositRates",
     "lendingRates", "instalments"}
)  # fmt: skip
PROBES = 3


def refuse_summaries(
    live: Iterator[tuple[str, JSONObject]],
    desired: Mapping[str, DesiredProduct | JSONObject],
    read: Callable[[str], JSONObject | None],
) -> Iterator[tuple[str, JSONObject]]:
    """`live` unchanged, or ConfigError once a listed product proves to be a summary."""
    probes_left = PROBES
    for product_id, listed in live:
        if probes_left and DETAIL_FIELDS & listed.keys():
            probes_left = 0  # a summary never carries these: the list has details
        elif probes_left and _wants_details(desired.get(product_id)):
            probes_left -= 1
            _check(product_id, listed, read(product_id))
        yield product_id, listed


def _wants_details(item: DesiredProduct | JSONObject | None) -> bool:
    data = item.data if isinstance(item, DesiredProduct) else item
    return data is not None and bool(DETAIL_FIELDS & data.keys())


def _check(product_id: str, listed: JSONObject, detail: JSONObject | None) -> None:
    left_out = sorted(DETAIL_FIELDS & (detail or {}).keys() - listed.keys())
    if left_out:
        raise ConfigError(
            f"the API's product list returns summaries, not whole products "
            f"({product_id}: {', '.join(left_out)} come only with its own GET), but "
            "api.list_returns_details is true; nothing was planned, because planning "
            "from summaries would send every product's details again as updates",
            hint="set api.list_returns_details: false in catalog-sync.yaml (each "
            "product is then read one by one)",
        )
