# refiner-identity: `make demo` (the main job) and `make test` work on a fresh
# Debian machine with Rust, Python 3 and Node: `setup` installs the rest.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := demo

VENV := .venv
PY := $(VENV)/bin/python
DEBIAN_PACKAGES := ruby ruby-dev libclang-dev php-cli ruby-minitest rake ruby-benchmark-ips \
	ruby-rails ruby-rack-test ruby-webrick chromium openjdk-17-jre-headless
CLI := target/release/refiner-identity
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup setup-debian setup-python setup-node setup-fuzz demo test test-rust test-portable fuzz fuzz-smoke soak test-vectors test-python test-node test-ruby conformance readme-check bench bench-core bench-python bench-node bench-ruby bench-cli bench-arrow bench-spark setup-dist dist dist-check version clean

## setup: install what is missing (idempotent; fast when already there)
setup: setup-debian setup-python setup-node setup-fuzz setup-dist

setup-debian:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "setup: installing Debian packages:" $$missing; \
	  $(SUDO) apt-get update -qq; \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

setup-python: $(VENV)/.installed

$(VENV)/.installed: requirements-dev.txt
	@[ -x $(PY) ] || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	@touch $@

# pip install ./bindings-python, as a user would (maturin from .venv; works offline).
PY_INSTALLED := $(VENV)/.refiner-identity-python
$(PY_INSTALLED): $(VENV)/.installed $(shell find core/src bindings-python/src bindings-python/python -type f) \
		Cargo.toml core/Cargo.toml bindings-python/Cargo.toml bindings-python/pyproject.toml
	PATH="$(abspath $(VENV))/bin:$$PATH" $(PY) -m pip install -q --disable-pip-version-check \
		--no-build-isolation --force-reinstall --no-deps ./bindings-python
	@touch $@

setup-node: bindings-node/node_modules/.installed

bindings-node/node_modules/.installed: bindings-node/package.json bindings-node/package-lock.json
	cd bindings-node && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# napi build also regenerates index.js and index.d.ts (checked in; test-node fails if they drift).
NODE_ADDON := bindings-node/refiner-identity.linux-x64-gnu.node
$(NODE_ADDON): bindings-node/node_modules/.installed $(shell find core/src bindings-node/src -type f) \
		Cargo.toml core/Cargo.toml bindings-node/Cargo.toml bindings-node/build.rs
	cd bindings-node && npx napi build --platform --release >/dev/null

# rake compile vendors the core (cargo package) and runs extconf.rb + make, as gem install does.
RUBY_EXT := bindings-ruby/lib/refiner_identity/refiner_identity.so
$(RUBY_EXT): $(shell find core/src bindings-ruby/ext/refiner_identity/src -type f) Cargo.toml core/Cargo.toml \
		bindings-ruby/ext/refiner_identity/Cargo.toml bindings-ruby/ext/refiner_identity/extconf.rb
	cd bindings-ruby && rake compile >/dev/null

$(CLI): $(shell find core/src cli/src -name '*.rs') Cargo.toml core/Cargo.toml cli/Cargo.toml
	cargo build --release -q -p refiner-identity-cli

## demo: sign demo ids through every implementation and reference, side by side,
## then the identify call of the Django, Express, Fastify and Rails integrations for one user
demo: setup $(CLI) $(PY_INSTALLED) $(NODE_ADDON) $(RUBY_EXT)
	$(PY) tests/demo/demo.py

## test: everything CI runs
test: setup test-rust test-portable test-vectors test-python test-node test-ruby
	$(MAKE) --no-print-directory conformance N=5000
	$(MAKE) --no-print-directory readme-check
	$(MAKE) --no-print-directory demo
	$(MAKE) --no-print-directory fuzz-smoke
	$(MAKE) --no-print-directory soak SOAK_N=1000000
	$(MAKE) --no-print-directory dist-check

test-rust: $(RUBY_EXT)
	cargo fmt --all --check
	cargo fmt --check --manifest-path bindings-ruby/ext/refiner_identity/Cargo.toml
	cargo clippy --workspace --all-targets -q -- -D warnings
	cargo clippy -q --release --manifest-path bindings-ruby/ext/refiner_identity/Cargo.toml \
		--target-dir bindings-ruby/tmp/build/target -- -D warnings
	cargo test -q

# The core tests and the vectors again on the portable compression path, which
# a CPU with the SHA extensions would otherwise never take.
test-portable: $(PY_INSTALLED)
	REFINER_IDENTITY_FORCE_PORTABLE=1 cargo test -q -p refiner-identity
	cd bindings-python && REFINER_IDENTITY_FORCE_PORTABLE=1 ../$(PY) -m pytest -q tests/test_vectors.py

test-vectors:
	$(PY) tests/vectors/generate.py --check

test-python: $(PY_INSTALLED)
	cargo test -q -p refiner-identity-python
	cd bindings-python && ../$(PY) -m pytest -q
	cd /tmp && $(abspath $(VENV))/bin/python -m mypy.stubtest refiner_identity
	bindings-python/scripts/check-sdist.sh

test-node: $(NODE_ADDON)
	git diff --exit-code --stat -- bindings-node/index.js bindings-node/index.d.ts
	cd bindings-node && node __test__/run.mjs
	cd bindings-node && npx tsc -p types-check/tsconfig.json

test-ruby: $(RUBY_EXT)
	cd bindings-ruby && rake test
	cd bindings-ruby && rake test_rails
	cd bindings-ruby && rake smoke

## conformance: every binding, the CLI and the four references agree (N random cases, SEED to replay)
N ?= 5000
SEED ?=
conformance: setup $(CLI) $(PY_INSTALLED) $(NODE_ADDON) $(RUBY_EXT)
	$(PY) tests/conformance/run.py --n $(N) $(if $(SEED),--seed $(SEED))
	$(PY) tests/conformance/channels.py --n $(N) $(if $(SEED),--seed $(SEED))

## readme-check: each README block marked `<!-- output of: COMMAND -->` equals a fresh run of COMMAND
readme-check: setup $(CLI) $(PY_INSTALLED) $(NODE_ADDON) $(RUBY_EXT)
	$(PY) tests/readme/check_outputs.py

## fuzz: each cargo-fuzz target for FUZZ_SECONDS under AddressSanitizer (nightly); logs in fuzz/target/
# The batch target runs without LeakSanitizer (per input and at exit): the engine's
# producer thread frees its thread-locals while it exits, which can be just after the
# batch returns, so LeakSanitizer reports them now and then (never on replay); `make
# soak` checks memory growth over millions of batches instead.
FUZZ_TARGETS := sign_verify user_id batch verify_text
FUZZ_SECONDS ?= 60
fuzz: setup-fuzz
	cargo fmt --check --manifest-path fuzz/Cargo.toml
	cargo clippy -q --manifest-path fuzz/Cargo.toml --all-targets -- -D warnings
	cd fuzz && cargo +nightly fuzz build --sanitizer address
	@cd fuzz && for target in $(FUZZ_TARGETS); do \
	  log=target/fuzz-$$target.log; leaks=$$([ $$target = batch ] && echo 0 || echo 1); \
	  if ! ASAN_OPTIONS=detect_leaks=$$leaks cargo +nightly fuzz run --sanitizer address $$target -- \
	      -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 -detect_leaks=$$leaks >$$log 2>&1; then \
	    tail -n 60 $$log; echo "fuzz: $$target failed (fuzz/$$log; reproducer in fuzz/artifacts/$$target/)"; exit 1; \
	  fi; \
	  echo "fuzz: $$target" $$(grep -E '^stat::(number_of_executed_units|average_exec_per_sec)' $$log | tr -s ' '); \
	done

fuzz-smoke:
	$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=30

# cargo-fuzz needs the nightly toolchain (for the sanitizers).
setup-fuzz:
	@rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
	@command -v cargo-fuzz >/dev/null || cargo install --locked cargo-fuzz@0.13.2

## soak: SOAK_N signatures per language (mixed calls, errors included); fails if RSS keeps growing
SOAK_N ?= 10000000
soak: setup $(PY_INSTALLED) $(NODE_ADDON) $(RUBY_EXT)
	$(PY) tests/soak/soak.py $(SOAK_N)
	node --expose-gc tests/soak/soak.mjs $(SOAK_N)
	ruby -Ibindings-ruby/lib tests/soak/soak.rb $(SOAK_N)

## dist: release artifacts for x86_64 Linux, glibc >= 2.17 (wheel + sdist, npm main + platform
## packages, source + precompiled gems, CLI archive + SHA-256) in dist/; packaging/ has the scripts
VERSION := $(shell sed -n 's/^version = "\(.*\)"$$/\1/p' Cargo.toml | head -n 1)
DIST_WHEEL := dist/refiner_identity-$(VERSION)-cp310-abi3-manylinux2014_x86_64.manylinux_2_17_x86_64.whl
DIST_SDIST := dist/refiner_identity-$(VERSION).tar.gz
DIST_NPM := dist/refiner-identity-$(VERSION).tgz dist/refiner-identity-linux-x64-gnu-$(VERSION).tgz
DIST_GEMS := dist/refiner_identity-$(VERSION).gem dist/refiner_identity-$(VERSION)-x86_64-linux.gem
DIST_CLI := dist/refiner-identity-$(VERSION)-x86_64-unknown-linux-gnu.tar.gz \
	dist/refiner-identity-$(VERSION)-x86_64-unknown-linux-gnu.tar.gz.sha256
DIST_CORE := $(shell find core/src -type f) Cargo.toml Cargo.lock core/Cargo.toml packaging/lib.sh

dist: $(DIST_WHEEL) $(DIST_SDIST) $(DIST_NPM) $(DIST_GEMS) $(DIST_CLI)

$(DIST_WHEEL): $(DIST_CORE) $(shell find bindings-python/src bindings-python/python -type f) bindings-python/Cargo.toml \
		bindings-python/pyproject.toml bindings-python/README.md packaging/build-wheel.sh | setup-python setup-dist
	packaging/build-wheel.sh

$(DIST_SDIST): $(DIST_CORE) $(shell find bindings-python/src bindings-python/python bindings-python/build_backend -type f) \
		bindings-python/Cargo.toml bindings-python/pyproject.toml bindings-python/README.md packaging/build-sdist.sh | setup-python
	packaging/build-sdist.sh

$(DIST_NPM) &: $(DIST_CORE) $(shell find bindings-node/src -type f) bindings-node/Cargo.toml bindings-node/build.rs \
		$(addprefix bindings-node/,package.json README.md loader.js index.js index.mjs index.d.ts index.d.mts) \
		$(addprefix bindings-node/,identify-request.js $(foreach f,express fastify,$(f).js $(f).mjs $(f).d.ts $(f).d.mts)) \
		packaging/build-npm.sh packaging/npm-pack.sh | setup-node setup-dist
	packaging/build-npm.sh

$(DIST_GEMS) &: $(DIST_CORE) $(shell find bindings-ruby/ext/refiner_identity/src bindings-ruby/lib bindings-ruby/sig -name '*.r[sb]*') \
		$(addprefix bindings-ruby/,refiner_identity.gemspec README.md) \
		$(addprefix bindings-ruby/ext/refiner_identity/,Cargo.toml Cargo.lock extconf.rb vendor_core.rb) \
		packaging/build-gems.sh packaging/build-ruby-ext.sh packaging/ruby/platform_gem.rb | setup-debian setup-dist
	packaging/build-gems.sh

$(DIST_CLI) &: $(DIST_CORE) $(shell find cli/src -type f) cli/Cargo.toml README.md packaging/build-cli.sh | setup-dist
	packaging/build-cli.sh

## dist-check: install every dist/ artifact where no Rust is on PATH and sign against the
## language's own HMAC; glibc floor, auditwheel, twine, publint, attw, cargo publish --dry-run
dist-check: dist | setup
	packaging/dist-check.sh

# cargo-zigbuild links the glibc 2.17 binaries (zig itself is the ziglang package in .venv).
setup-dist:
	@command -v cargo-zigbuild >/dev/null || cargo install --locked cargo-zigbuild

## version: V=x.y.z sets the one version (workspace Cargo.toml) and every file that follows it
version:
	@[ -n "$(V)" ] || { echo "usage: make version V=x.y.z"; exit 1; }
	python3 packaging/versions.py set $(V)
	@echo "version: add a [$(V)] section to CHANGELOG.md"

## bench: benchmarks that compare against the standard library in the same run
bench: setup $(PY_INSTALLED) $(NODE_ADDON) $(RUBY_EXT) $(CLI)
	$(PY) tests/bench/run_all.py

bench-core:
	cargo bench -q -p refiner-identity --bench sign


bench-python: $(PY_INSTALLED)
	$(PY) bindings-python/bench/bench.py

bench-node: $(NODE_ADDON)
	node bindings-node/bench/bench.js

bench-ruby: $(RUBY_EXT)
	ruby -Ibindings-ruby/lib bindings-ruby/bench/bench.rb

bench-cli: $(CLI)
	$(PY) cli/bench/links_bench.py

bench-arrow: $(PY_INSTALLED)
	$(PY) bindings-python/bench/arrow_bench.py

# ROWS defaults to 10,000,000 ids, PAIR_ROUNDS to 5 rounds of the floor and
# sign_column, ROUNDS to 2 of the other variants; BREAKDOWN=1 also times where
# sign_column's time goes beyond the floor.
bench-spark: $(PY_INSTALLED)
	$(PY) bindings-python/bench/spark_bench.py $(if $(ROWS),--rows $(ROWS)) $(if $(ROUNDS),--rounds $(ROUNDS)) \
		$(if $(PAIR_ROUNDS),--pair-rounds $(PAIR_ROUNDS)) $(if $(BREAKDOWN),--breakdown)

clean:
	cargo clean
	rm -rf $(VENV) dist
