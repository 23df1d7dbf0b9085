# coodie: `make run` starts a local Cassandra (unless COODIE_HOSTS is set) and runs the
# quickstart; `make test` runs everything CI runs. See README.md.
SHELL := /bin/bash
PRESET ?= dev
JOBS ?= $(shell nproc)

.PHONY: help bootstrap build run test bench bench-peers docs lint fuzz demos screenshots format check-format cassandra-start cassandra-stop clean

help:
	@echo "make run     build, start a local Cassandra unless COODIE_HOSTS is set, run the quickstart"
	@echo "make test    install, build, start Cassandra, run every test label, stop what it started"
	@echo "make build   build the $(PRESET) preset (PRESET=dev|release|asan)"
	@echo "make bench   build the release preset, run the driver, ODM and feature benchmarks (build/bench-report)"
	@echo "make bench-peers  coodie against the Rust, Go and Python libraries, one node (build/bench-peers)"
	@echo "make docs    build the docs site and API reference into build/docs/site"
	@echo "make lint    shellcheck, actionlint, the workflow convention tests, clang-format"
	@echo "make fuzz    build the libFuzzer targets and run each for FUZZ_SECONDS (60)"
	@echo "make demos   build the web demos (demos/<name>: cd there and 'make db-up seed run')"
	@echo "make screenshots  run the demos' browser tests and keep their screenshots in demos/<name>/"
	@echo "make format  apply clang-format to every C++ file"

bootstrap:
	@scripts/bootstrap

build: bootstrap
	@cmake --preset $(PRESET) >/dev/null
	@cmake --build --preset $(PRESET) -j $(JOBS)

run: build
	@scripts/run-example build/$(PRESET)/examples/quickstart

test: bootstrap
	@scripts/test

bench:
	@scripts/ci/bench-report build/bench-report

bench-peers:
	@scripts/bench-peers build/bench-peers

docs: bootstrap
	@scripts/docs

lint: bootstrap
	@scripts/ci/lint

fuzz: bootstrap
	@scripts/fuzz $${FUZZ_SECONDS:-60}

demos: bootstrap
	@cmake --preset dev >/dev/null
	@cmake --build --preset dev -j $(JOBS) --target demos

screenshots: demos
	@DEMO_UPDATE_SCREENSHOTS=1 scripts/run-example ctest --preset dev -L demo --output-on-failure

format:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

check-format:
	@scripts/ci/lint format

cassandra-start:
	@scripts/cassandra start

cassandra-stop:
	@scripts/cassandra stop

clean:
	rm -rf build
