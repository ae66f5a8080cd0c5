"""The `/_emulator/` control endpoints (only with `--control`): set faults, read the ledger,
revoke tokens, seed and reset, for tests and demos that drive a separate emulator process.
"""

from __future__ import annotations

from catalog_sync.emulator.faults import FaultSpecError
from catalog_sync.emulator.messages import BadRequestBody
from catalog_sync.emulator.messages import Request
from catalog_sync.emulator.messages import Response
from catalog_sync.emulator.messages import cds_error
from catalog_sync.emulator.store import Store

_FAULT_KINDS = ("fail", "latency", "drop", "truncate")
_STALE = "stale-public"


def handle_control(store: Store, request: Request) -> Response:
    """`GET ledger`, `POST faults {fail|latency|drop|truncate: [spec...],
    stale-public: SECONDS}`, `DELETE faults` (the stale-public fault too), `POST
    revoke-tokens`, `POST seed [products]`, `POST reset`."""
    action = (request.method, request.path.removeprefix("/_emulator/"))
    try:
        match action:
            case ("GET", "ledger"):
                body = {
                    "entries": store.ledger.to_json(),
                    "maxInFlight": store.ledger.max_in_flight,
                }
                return Response(200, body)
            case ("POST", "faults"):
                return _set_faults(store, request)
            case ("DELETE", "faults"):
                store.faults.clear()
                store.public_lag.set(0)
                return Response(204)
            case ("POST", "revoke-tokens"):
                return Response(200, {"revoked": store.revoke_tokens()})
            case ("POST", "seed"):
                products = request.json()
                if not isinstance(products, list) or not all(
                    isinstance(p, dict) and "productId" in p for p in products
                ):
                    return _bad("expected a JSON array of products with productId")
                return Response(200, {"seeded": store.seed(products)})
            case ("POST", "reset"):
                store.reset()
                return Response(204)
    except BadRequestBody as exc:
        return _bad(str(exc))
    return cds_error(
        404, "Resource/NotFound", "Resource Not Found", "unknown control route"
    )


def _set_faults(store: Store, request: Request) -> Response:
    body = request.json()
    if (
        not isinstance(body, dict)
        or not set(body) <= {*_FAULT_KINDS, _STALE}
        or not all(_strings(specs) for k, specs in body.items() if k != _STALE)
    ):
        return _bad(
            f"expected an object with lists of strings under {', '.join(_FAULT_KINDS)} "
            f"(and a number under {_STALE})"
        )
    stale = body.get(_STALE)
    if stale is not None:
        if isinstance(stale, bool) or not isinstance(stale, int | float) or stale < 0:
            return _bad(f"{_STALE} must be a number of seconds, not {stale!r}")
        store.public_lag.set(float(stale))
    try:
        for kind in _FAULT_KINDS:
            for spec in body.get(kind, []):
                store.faults.apply_spec(kind, spec)
    except FaultSpecError as exc:
        return _bad(str(exc))
    return Response(204)


def _strings(specs: object) -> bool:
    return isinstance(specs, list) and all(isinstance(spec, str) for spec in specs)


def _bad(detail: str) -> Response:
    return cds_error(400, "Field/Invalid", "Invalid Field", detail)
