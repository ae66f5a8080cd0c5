"""The product model: CDS units, array element identity, the one normalisation and
content fingerprints. Pure; imports nothing above it."""

from __future__ import annotations
