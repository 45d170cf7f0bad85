# The KOL Community Alliance — one entry point for every routine task.
# `make demo` and `make test` work on a fresh machine: they set up what they need.

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NODE_DEPS := tests/domain/js/node_modules/.installed
PEER_DEPS := bench/peers/node_modules/.installed
ANVIL     := tools/anvil/node_modules/.installed

.PHONY: cjk-font setup demo test lint typecheck gas-snapshot gas-check bench-peers bench-gas bench clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required (looked for $(PYTHON))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $@

$(NODE_DEPS): tests/domain/js/package.json
	npm ci --prefix tests/domain/js --no-audit --no-fund --silent
	@touch $@

# The benchmark's peers (OpenZeppelin Governor, Uniswap MerkleDistributor, solc-js), from npm.
$(PEER_DEPS): bench/peers/package.json bench/peers/package-lock.json
	npm ci --prefix bench/peers --no-audit --no-fund --silent
	@touch $@

# anvil, the local devnet of `kol up` and of the JSON-RPC tests (@foundry-rs/anvil-linux-amd64).
$(ANVIL): tools/anvil/package.json tools/anvil/package-lock.json
	npm ci --prefix tools/anvil --no-audit --no-fund --silent
	@touch $@

# Debian's Chromium for the web dapp's browser tests (Playwright drives it; its own browser
# download does not work here), and a Chinese font so that its screenshots are legible.
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	apt-get install -y chromium || { apt-get update && apt-get install -y chromium; }

cjk-font:
	@fc-list :lang=zh 2>/dev/null | grep -q . || apt-get install -y fonts-wqy-microhei || echo "no Chinese font installed: screenshots will show boxes"

# Node packages: the OpenZeppelin Merkle-tree cross-check's (when it exists), the peers' and anvil.
setup: $(STAMP) $(if $(wildcard tests/domain/js/package.json),$(NODE_DEPS)) $(PEER_DEPS) $(ANVIL) $(CHROMIUM) cjk-font  ## install Python, Node and browser dependencies

demo: setup  ## run the whole alliance on the in-process EVM
	$(BIN)/kol demo

test: setup  ## run the whole test suite
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/python bench/gas_snapshot.py --check
	$(BIN)/pytest

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: setup
	$(BIN)/mypy

gas-snapshot: setup  ## regenerate .gas-snapshot (receipt gas of the contracts)
	$(BIN)/python bench/gas_snapshot.py

gas-check: setup
	$(BIN)/python bench/gas_snapshot.py --check

bench-peers: setup  ## receipt gas of the peers (OpenZeppelin Governor, Uniswap claim) as JSON
	$(BIN)/python bench/peers.py

bench-gas: setup  ## our receipt gas and the peers' side by side -> bench/results/gas.json
	$(BIN)/python bench/gas.py

# The whole benchmark (docs/benchmarks.md): bench-gas, then the constitution year against
# OpenZeppelin's Governor, the indexer (SQLite, PostgreSQL) and the API -> bench/results/latest.json.
BENCH_SCALE ?= 0.1
BENCH_PLATFORM_SCALE ?= 0.05
BENCH_REPEATS ?= 3
bench: setup  ## bench-gas + the year, the indexer and the API -> bench/results/latest.json
	$(BIN)/python bench/gas.py
	$(BIN)/python bench/bench.py --scale $(BENCH_SCALE) --platform-scale $(BENCH_PLATFORM_SCALE) --repeats $(BENCH_REPEATS)

clean:
	rm -rf $(VENV) tests/domain/js/node_modules bench/peers/node_modules tools/anvil/node_modules
