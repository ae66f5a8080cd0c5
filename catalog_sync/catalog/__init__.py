"""The desired side: product files on disk, loaded, validated and checked as a catalog."""

from __future__ import annotations
