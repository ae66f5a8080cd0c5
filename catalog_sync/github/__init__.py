"""GitHub API glue for the workflows: sticky plan comment, job summary, drift issue."""

from __future__ import annotations
