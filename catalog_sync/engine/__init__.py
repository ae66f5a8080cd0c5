"""The pure core: normalise both sides, diff them, build the plan; apply executes it."""

from __future__ import annotations
