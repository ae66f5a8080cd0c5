"""The configuration: the settings model, reading `catalog-sync.yaml`, checking values."""

from __future__ import annotations
