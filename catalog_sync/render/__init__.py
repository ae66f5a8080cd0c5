"""Renderers: each reads a plan (or a result) value and returns text; none does I/O."""

from __future__ import annotations
