# Wirewatch: one check command for developers, pre-commit and CI.
PY        ?= python3
VENV      ?= .venv
BIN       := $(VENV)/bin
STAMP     := $(VENV)/.installed
CONFIG    ?= config.example.yaml

.PHONY: run test check lint typecheck contracts pytest eval bench clean venv peers

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

## make run: the bot's main job, once, on the bundled sample wire, printing to the terminal
run: $(STAMP)
	$(BIN)/wirewatch run --once --config $(CONFIG)

## make test: format check, lint, types, import contracts, the whole test suite
test: $(STAMP) lint typecheck contracts pytest

lint: $(STAMP)
	$(BIN)/ruff format --check bot tests bench
	$(BIN)/ruff check bot tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

contracts: $(STAMP)
	$(BIN)/lint-imports

pytest: $(STAMP)
	$(BIN)/pytest

## make peers: install the real peers the tests start (the fixtures also do it on first use):
## a Synapse homeserver in .cache/synapse-venv and the Slack emulator in .cache/slack-emulate
peers: $(STAMP)
	$(BIN)/python -c 'from tests.peers.synapse import ensure_synapse; print(ensure_synapse())'
	$(BIN)/python -c 'from tests.peers.slack_emulator import ensure_emulate; print(ensure_emulate())'

## make eval: score the extractor on the development corpus (stories rebuilt, never committed)
eval: $(STAMP)
	$(BIN)/wirewatch eval tests/corpus

bench: $(STAMP)
	$(BIN)/python bench/extract.py
	$(BIN)/python bench/rules.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
