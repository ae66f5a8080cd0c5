"""CATALOG_SYNC_TIMINGS=1 makes plan print its stage durations on stderr as one JSON line
(used by the benchmarks); without it, stderr carries no timings."""

from __future__ import annotations

import json

from tests.cli.catalogs import catalog_of
from tests.cli.catalogs import run
from tests.cli.catalogs import write_catalog


def test_plan_reports_stage_timings_only_when_asked(tmp_path, capsys, monkeypatch):
    config = write_catalog(tmp_path, catalog_of("a", "b"))
    monkeypatch.delenv("CATALOG_SYNC_TIMINGS", raising=False)
    code, _, err = run(capsys, config, "plan")
    assert code == 0
    assert "timings" not in err

    monkeypatch.setenv("CATALOG_SYNC_TIMINGS", "1")
    code, out, err = run(capsys, config, "plan")
    assert code == 0
    assert "Plan: 2 to create" in out
    lines = [line for line in err.splitlines() if line.startswith('{"timings"')]
    assert len(lines) == 1
    stages = json.loads(lines[0])["timings"]
    assert list(stages) == ["validate", "fetch", "diff"]
    assert all(isinstance(s, float) and s >= 0 for s in stages.values())
