"""Verify: compare what the public PRD endpoint serves customers with git (or with what
an apply just wrote), through the plan's normalisation and labels."""

from __future__ import annotations
