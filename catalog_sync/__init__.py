"""catalog-sync: CDS banking product reference data as code, synced to Fiskil."""

from __future__ import annotations

__version__ = "0.1.0"
