"""The audit record of every apply: who, where, which plan, every call, every outcome."""

from __future__ import annotations
