"""`catalog-sync init`: scaffold a bank's own catalog repository (configuration, products
folder, workflows pinned to this version, editor and pre-commit setup)."""

from __future__ import annotations
