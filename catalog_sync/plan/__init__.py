"""The plan: diff the normalised desired and live catalogs into a pure value, save and
load it, and check it is safe to apply. Pure: no I/O."""

from __future__ import annotations
