"""Hardened YAML: one loader (no anchors, tags, duplicate keys or YAML 1.1 surprises) with
the position of every value, read by both the configuration and the product files."""

from __future__ import annotations
