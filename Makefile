# Two commands for a fresh machine with Python 3.11: `make demo` and `make test`.
# Both set everything up themselves (virtual environment, Python packages,
# Debian packages for PostgreSQL and Chromium) and are safe to re-run.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SYSTEM_STAMP := $(VENV)/.system-stamp

.PHONY: setup system-deps node-deps bench-node-deps bench-tools test lint demo docs bench fuzz clean

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

$(SYSTEM_STAMP): scripts/system-deps.sh scripts/apt-install.sh | $(BIN)/python
	bash scripts/system-deps.sh
	touch $(SYSTEM_STAMP)

system-deps: $(SYSTEM_STAMP)

setup: $(STAMP) $(SYSTEM_STAMP)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Independent implementations (Digital Bazaar's npm suites) for the cross-checks in
# tests/proofs/test_cross_digitalbazaar.py; exact versions from the lock file.
node-deps:
	if command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix tests/interop/node --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: the Digital Bazaar cross-checks will be skipped"; fi

test: setup node-deps
	$(BIN)/ruff check .
	HYPOTHESIS_PROFILE=$${HYPOTHESIS_PROFILE:-ci} $(BIN)/pytest -p no:cacheprovider

demo: setup
	$(BIN)/python -m microcred_vc.demo

docs: $(STAMP)
	$(BIN)/mkdocs build --strict

# Digital Bazaar's stack for bench/bench_node.py (exact versions in bench/node/package-lock.json).
bench-node-deps:
	if command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix bench/node --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: bench_node.py will time this library and pyld only"; fi

# wrk, the server bench's load generator (a Debian package).
bench-tools:
	bash scripts/bench-deps.sh

bench: $(STAMP) bench-node-deps bench-tools
	$(BIN)/python bench/run_all.py --out docs/performance.md

fuzz: $(STAMP)
	$(BIN)/uv pip install -q --python $(BIN)/python atheris==3.0.0
	for t in verify canon unbake; do \
	  FUZZ_TARGET=$$t FUZZ_SECONDS=$${FUZZ_SECONDS:-120} $(BIN)/python tests/fuzz/run_atheris.py || exit 1; \
	done

clean:
	rm -rf $(VENV) tests/interop/node/node_modules bench/node/node_modules site .pytest_cache .hypothesis .benchmarks
