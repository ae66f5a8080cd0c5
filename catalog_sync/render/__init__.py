"""Renderers: each reads a plan (or a result) value and returns text; none does I/O.

`registry.render(what, format, value)` picks one; `progress` prints apply's events.
"""

from __future__ import annotations
