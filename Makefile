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

.PHONY: run test bench lint contracts fmt clean bootstrap chromium members web web-test web-schema

bootstrap: $(VENV)/.synced

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.synced: $(UV) uv.lock pyproject.toml packages/*/pyproject.toml apps/*/pyproject.toml
	$(UV) sync --frozen --all-packages
	@touch $@

run: bootstrap web ## Serve the API, the widget host and the demo site on the embedded default
	$(VENV)/bin/itl serve

contracts: bootstrap ## The layering rules (import-linter)
	$(VENV)/bin/lint-imports

members: bootstrap ## Each workspace member installed alone imports cleanly (CI runs it)
	UV=$(abspath $(UV)) $(VENV)/bin/python scripts/check_members.py

lint: bootstrap
	$(VENV)/bin/ruff check packages apps tests bench scripts

chromium: ## Debian's Chromium for the browser tests (never a downloaded browser)
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "Install Debian's chromium package (sudo apt-get install chromium), then rerun."; exit 1; fi; }

test: bootstrap contracts lint chromium web-test web ## Import contracts, web unit tests, then every test
	$(VENV)/bin/python -m pytest

# The web app (web/): npm ci only when the lockfile changed, a build only when a source did.
NPM := $(shell command -v npm 2>/dev/null)
WEB_SOURCES := $(shell find web/src web/public -type f 2>/dev/null) \
	web/index.html web/vite.config.ts web/tsconfig.json web/package.json

web/node_modules/.ci-stamp: web/package-lock.json web/package.json
	cd web && npm ci --no-audit --no-fund
	@touch $@

web/dist/index.html: web/node_modules/.ci-stamp $(WEB_SOURCES)
	cd web && npm run build
	@touch $@

web: ## Build the web app into web/dist (the API serves it at /); skipped without npm
ifdef NPM
	@$(MAKE) --no-print-directory web/dist/index.html
else
	@echo "npm not found: skipping the web app build (the API serves no UI at /). Install Node.js 20+ for it."
endif

web-test: ## The web app's Vitest unit and component tests
ifdef NPM
	@$(MAKE) --no-print-directory web/node_modules/.ci-stamp
	cd web && npx vitest run
else
	@echo "npm not found: the web tests need Node.js 20+ (npm)."; exit 1
endif

web-schema: bootstrap ## After an API change: refresh web/openapi.json and the typed client
	$(VENV)/bin/python -m tests.support.web_schema
	cd web && npm run gen:api

bench: bootstrap ## Benchmarks (never part of `make test`): micro, then the chat endpoint
	$(VENV)/bin/python -m bench
	$(VENV)/bin/python -m bench chat

fmt: bootstrap
	$(VENV)/bin/ruff format packages apps tests bench

clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache .ruff_cache .hypothesis
