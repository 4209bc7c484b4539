# Two commands for a fresh machine with Python 3.11: `make demo` and `make test`.
# Both set everything up themselves (virtual environment, Python packages,
# Debian packages for PostgreSQL and Chromium) and are safe to re-run.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SYSTEM_STAMP := $(VENV)/.system-stamp

.PHONY: setup system-deps test lint demo docs bench fuzz clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip uv==0.13.9 || true
	if [ -x $(BIN)/uv ]; then \
	  $(BIN)/uv pip install -q --python $(BIN)/python -e '.[test,docs]'; \
	else \
	  $(BIN)/python -m pip install -q -e '.[test,docs]'; \
	fi
	touch $(STAMP)

$(SYSTEM_STAMP): scripts/system-deps.sh | $(BIN)/python
	bash scripts/system-deps.sh
	touch $(SYSTEM_STAMP)

system-deps: $(SYSTEM_STAMP)

setup: $(STAMP) $(SYSTEM_STAMP)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: setup
	$(BIN)/ruff check .
	$(BIN)/pytest -p no:cacheprovider

demo: setup
	$(BIN)/python -m microcred_vc.demo

docs: $(STAMP)
	$(BIN)/mkdocs build --strict

bench: $(STAMP)
	$(BIN)/python bench/run_all.py --out docs/performance.md

fuzz: $(STAMP)
	$(BIN)/uv pip install -q --python $(BIN)/python atheris==3.0.0
	for t in verify canon unbake; do \
	  FUZZ_TARGET=$$t FUZZ_SECONDS=$${FUZZ_SECONDS:-120} $(BIN)/python tests/fuzz/run_atheris.py || exit 1; \
	done

clean:
	rm -rf $(VENV) site .pytest_cache .hypothesis .benchmarks
