"""`catalog-sync doctor`: check a real environment against the assumed API contract,
read-only, and say which `api:` key (or action) fixes each assumption that does not hold."""

from __future__ import annotations
