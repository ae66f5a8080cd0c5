"""Executing a plan: the products API it writes through, operations in dependency order,
the stale-plan check, the crash-safe journal and the events it reports."""

from __future__ import annotations
