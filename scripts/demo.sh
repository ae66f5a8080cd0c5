#!/usr/bin/env bash
# `make demo`: the whole catalog-sync workflow on the example catalog in products/,
# against the embedded `local` environment (the emulator's store, in-process, in
# .catalog-sync/local.db). No account and no network needed.
set -euo pipefail
cd "$(dirname "$0")/.."

CLI=.venv/bin/catalog-sync
bold=$'\033[1m'; reset=$'\033[0m'
if [ ! -t 1 ]; then bold=""; reset=""; fi

step() {
  printf '\n%s==> %s%s\n' "$bold" "$1" "$reset"
  printf '$ %s\n\n' "$2"
}

# Start from an empty local store every time, so the demo always shows the creates.
rm -f .catalog-sync/local.db .catalog-sync/local.db-wal .catalog-sync/local.db-shm \
      .catalog-sync/journal-local.jsonl

step "1. Validate every product file against the CDS V7 schema and the catalog rules" \
     "catalog-sync validate"
"$CLI" validate

step "2. Plan: compare the files with the live catalog (empty, so everything is a create)" \
     "catalog-sync plan"
"$CLI" plan

step "3. Apply the plan without prompting" \
     "catalog-sync apply --auto-approve"
"$CLI" apply --auto-approve

step "4. Plan again: the live catalog now matches git" \
     "catalog-sync plan --detailed-exitcode   # exit 0: no changes"
"$CLI" plan --detailed-exitcode

printf '\n%sDone.%s Edit a rate in products/, then run %s plan again to see a one-line change.\n' \
       "$bold" "$reset" "$CLI"
