"""English for messages: the one place that inflects a noun for a count."""

from __future__ import annotations

from decimal import Decimal


def plural(count: float | Decimal, noun: str) -> str:
    """`noun` as `count` of it reads: `product` for 1, `products` otherwise (0 too).
    Callers write the number themselves, e.g. `f"{n:,} {plural(n, 'product')}"`."""
    return noun if count == 1 else f"{noun}s"
