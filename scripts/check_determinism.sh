#!/usr/bin/env bash
# Proves `make test`'s coverage gate is deterministic: clones the committed HEAD beside
# ../shared, then runs the unit suite with coverage N times (default 5) with CI and the
# GitHub runner variables unset, as a new contributor would. Fails if any run fails or if
# the set of covered lines and branches differs between any two runs.
# Usage: scripts/check_determinism.sh [N]      (not run by make test: it takes N minutes)
set -euo pipefail

runs="${1:-5}"
repo="$(cd "$(dirname "$0")/.." && pwd)"
clone="$(dirname "$repo")/.determinism-check.$$"
reports="$(mktemp -d)"
trap 'rm -rf "$clone" "$reports"' EXIT

git clone --quiet "$repo" "$clone"
echo "clean clone of $(git -C "$clone" rev-parse --short HEAD) in $clone"
unset CI GITHUB_ACTIONS HYPOTHESIS_PROFILE
failed=0
for i in $(seq 1 "$runs"); do
    start=$SECONDS
    if make -C "$clone" --no-print-directory unit \
        PYTEST_ARGS="--cov-report=json:$reports/run-$i.json" >"$reports/run-$i.log" 2>&1; then
        echo "run $i: passed ($(tail -n 1 "$reports/run-$i.log" | tr -d '='), $((SECONDS - start)) s)"
    else
        echo "run $i: FAILED; its last lines:"
        tail -n 20 "$reports/run-$i.log"
        failed=1
    fi
done

python3 - "$reports" "$runs" <<'PY'
import json
import sys
from pathlib import Path

folder, runs = Path(sys.argv[1]), int(sys.argv[2])


def covered(path: Path) -> dict[str, tuple[list[int], list[list[int]]]]:
    files = json.loads(path.read_text())["files"]
    return {
        name: (data["executed_lines"], data.get("executed_branches", []))
        for name, data in files.items()
    }


found = [covered(p) for i in range(1, runs + 1) if (p := folder / f"run-{i}.json").exists()]
if not found:
    sys.exit("no coverage report was written")
first, differing = found[0], 0
for number, other in enumerate(found[1:], start=2):
    for name in sorted(first.keys() | other.keys()):
        if first.get(name) != other.get(name):
            differing += 1
            print(f"run {number} covered {name} differently from run 1")
lines = sum(len(executed) for executed, _ in first.values())
branches = sum(len(taken) for _, taken in first.values())
verdict = "differ" if differing else "are identical"
print(f"covered lines and branches of {len(found)} runs {verdict}: {lines} lines, {branches} branches")
sys.exit(1 if differing else 0)
PY
exit "$failed"
