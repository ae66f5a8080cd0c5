"""A local Fiskil-compatible API: management contract, public PRD endpoints, faults."""

from __future__ import annotations
