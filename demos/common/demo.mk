# What every demo's Makefile shares; a demo's Makefile sets NAME and includes this file.
#   make db-up    start the local Cassandra (scripts/cassandra) unless COODIE_HOSTS names one
#   make db-down  stop it
#   make seed     build and fill the demo's keyspace (SEED_ARGS, e.g. "--count 5000 --fresh")
#   make run      build and serve the demo on http://127.0.0.1:$(PORT)/ (Ctrl-C stops it)
#   make test     build and run the demo's browser test (ctest label demo)
#   make clean    drop the demo's keyspace and its test's output
SHELL := /bin/bash
ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/../..)
PRESET ?= dev
BIN := $(ROOT)/build/$(PRESET)/demos/$(NAME)
RUN := $(ROOT)/scripts/run-example
SEED_ARGS ?=

.PHONY: db-up db-down build seed run test clean

db-up:
	@if [[ -n "$${COODIE_HOSTS:-}" ]]; then echo "using COODIE_HOSTS=$$COODIE_HOSTS"; \
	 elif $(ROOT)/scripts/cassandra status >/dev/null 2>&1; then echo "Cassandra is running"; \
	 else $(ROOT)/scripts/cassandra start; fi

db-down:
	@$(ROOT)/scripts/cassandra stop

build:
	@$(ROOT)/scripts/bootstrap
	@cmake -S $(ROOT) --preset $(PRESET) >/dev/null
	@cmake --build $(ROOT)/build/$(PRESET) --target demo_$(NAME)_server demo_$(NAME)_seed

seed: build
	@$(RUN) $(BIN)/seed $(SEED_ARGS)

run: build
	@$(RUN) $(BIN)/server $(if $(PORT),--port $(PORT))

test: build
	@$(ROOT)/scripts/demo-env
	@cd $(ROOT) && $(RUN) ctest --preset $(PRESET) -R '^demo\.(setup|$(NAME))$$' --output-on-failure

clean:
	@$(RUN) $(BIN)/seed --drop
	@rm -rf $(BIN)/screenshot.png $(BIN)/failure.png $(BIN)/server.log
