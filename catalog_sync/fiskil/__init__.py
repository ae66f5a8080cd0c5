"""The live side: the Fiskil Platform API client (auth, retries, products) and the public PRD reader."""

from __future__ import annotations
