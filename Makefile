# `make demo` and `make test` set everything up themselves: a local .venv with editable
# installs of the core and of every plugin in plugins/, and node_modules/ (axe-core for
# the browser tests) from package-lock.json when npm is on PATH.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PLUGINS := $(wildcard plugins/*/pyproject.toml)
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: install test test-fast lint demo bench clean

install: $(STAMP)

# node_modules is order-only: a new package-lock.json reruns npm ci, not pip.
$(STAMP): pyproject.toml constraints.txt $(PLUGINS) | $(NODE_STAMP)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test,fast]' $(foreach p,$(PLUGINS),-e $(dir $(p)))
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  echo "npm ci --silent --no-audit --no-fund"; \
	  npm ci --silent --no-audit --no-fund && touch $@; \
	else \
	  echo "npm not found: skipping node_modules/ (axe-core; the accessibility checks in tests/browser/ will skip)"; \
	fi

# The tests, then the lint ([tool.ruff] in pyproject.toml): either failing fails `make test`.
test: $(STAMP)
	$(BIN)/python -m pytest; status=$$?; echo $$status > $(VENV)/.pytest-exit; \
	$(BIN)/ruff check . || status=$$(( status ? status : 1 )); exit $$status

lint: $(STAMP)
	$(BIN)/ruff check .

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow and not browser"

demo: $(STAMP)
	$(BIN)/vertaistuki validate examples/*/catalogue.yaml
	$(BIN)/vertaistuki build examples/*/catalogue.toml
	$(BIN)/python scripts/demo_federation.py dist
	@if command -v chromium >/dev/null 2>&1; then $(BIN)/python scripts/screenshots.py dist; \
	  else echo "Chromium not found: no screenshots (apt-get install -y chromium)"; fi
	@echo
	@echo "Example outputs are in $(CURDIR)/dist/ (one folder per example: catalogue.json, csv/, calendar/, jsonld/, widget/, problems.txt)"
	@echo "Widget preview page: $(CURDIR)/dist/tampere-peer-centre/widget/fi/index.html (sv/ and en/ beside it; every example has one)"
	@echo "Federation demo (the examples' feeds aggregated over 127.0.0.1): $(CURDIR)/dist/federation/ (aggregate/report.txt, shards/index.json, widget/fi/index.html)"
	@echo "Live preview with the filters working: $(BIN)/vertaistuki serve examples/tampere-peer-centre/catalogue.toml"

# On demand, never part of `make test`: national-scale figures against pydantic v2 and
# msgspec (installed here from the `bench` extra). Several minutes; see benchmarks/README.md.
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[bench]'
	$(BIN)/python benchmarks/national.py --json dist/benchmarks/national.json

clean:
	rm -rf $(VENV) dist .pytest_cache node_modules
