"""Shared type aliases for JSON-shaped data at the edges of the pipeline."""

from __future__ import annotations

from typing import Any
from typing import TypeAlias

JSONObject: TypeAlias = dict[str, Any]
"""A JSON object as parsed from YAML or an HTTP body (a CDS product, an error body)."""
