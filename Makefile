# Two commands do all set-up on a fresh machine: `make run` and `make test`.
# The Makefile bootstraps its own tools: a private venv with uv (.tools/), then the project
# venv (.venv/) from the committed uv.lock. Nothing is installed system-wide.

PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := $(PYTHON)
export UV_PROJECT_ENVIRONMENT := $(abspath $(VENV))

.PHONY: run test bench lint contracts fmt clean bootstrap chromium

bootstrap: $(VENV)/.synced

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.synced: $(UV) uv.lock pyproject.toml packages/*/pyproject.toml apps/*/pyproject.toml
	$(UV) sync --frozen --all-packages
	@touch $@

run: bootstrap ## Serve the API, the widget host and the demo site on the embedded default
	$(VENV)/bin/itl serve

contracts: bootstrap ## The layering rules (import-linter)
	$(VENV)/bin/lint-imports

lint: bootstrap
	$(VENV)/bin/ruff check packages apps tests bench

chromium: ## Debian's Chromium for the browser tests (never a downloaded browser)
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "Install Debian's chromium package (sudo apt-get install chromium), then rerun."; exit 1; fi; }

test: bootstrap contracts chromium ## Import contracts, then every test
	$(VENV)/bin/python -m pytest

bench: bootstrap ## Benchmarks (never part of `make test`)
	$(VENV)/bin/python -m bench

fmt: bootstrap
	$(VENV)/bin/ruff format packages apps tests bench

clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache .ruff_cache .hypothesis
