# The two commands of the README: `make demo` (set up, ingest corpus/, ask across languages)
# and `make test` (set up, check the import layers, run pytest). Everything installs into .venv from the package registries.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DATA := data/demo
export HAYSTACK_TELEMETRY_ENABLED := False

.PHONY: setup demo serve test

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

demo: setup
	$(BIN)/ahadi --data-dir $(DEMO_DATA) ingest corpus/
	$(BIN)/ahadi --data-dir $(DEMO_DATA) search "Which treatment programme for violent men is promised?" --top-k 3
	$(BIN)/ahadi --data-dir $(DEMO_DATA) search "پلیس و شهرداری در سوئد درباره گشت‌های امنیت محله چه قولی داده‌اند؟" --top-k 3
	@echo
	@echo "The web pages over this index: make serve, then open http://127.0.0.1:8000/"

# The demo index's pages and API on this machine only, without keys (AHADI_OPEN_ACCESS=1: never on a shared network).
serve: setup
	AHADI_OPEN_ACCESS=1 $(BIN)/ahadi --data-dir $(DEMO_DATA) serve --host 127.0.0.1 --port 8000

test: setup
	$(BIN)/lint-imports
	$(BIN)/python -m pytest
