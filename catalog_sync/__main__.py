"""`python -m catalog_sync` runs the CLI."""

from __future__ import annotations

from catalog_sync.cli import main

main()
