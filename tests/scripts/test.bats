#!/usr/bin/env bats
# scripts/test, the runner of `make test` and of the CI workflows: its arguments, the phases it
# runs, the summary it prints and its exit code. It runs in a fake checkout whose scripts, cmake,
# ctest and bats are stubs that record their calls and print what a test sets.

# The stubs' bodies are written in single quotes on purpose: they expand when the stub runs.
# shellcheck disable=SC2016

load helpers/common

setup() {
  setup_tmp
  fake=$WORK/checkout
  mkdir -p "$fake/scripts/ci"
  cp "$COODIE_ROOT/scripts/test" "$fake/scripts/test"
  cp "$COODIE_ROOT/scripts/ci/results.sh" "$fake/scripts/ci/results.sh"
  printf '{"configurePresets": [{"name": "dev"}, {"name": "asan"}, {"name": "clang"}]}\n' \
    >"$fake/CMakePresets.json"
  # The project's scripts, each recording its calls like a stub.
  for s in bootstrap docs package-test fuzz ci/lint; do
    fake_script "$s" 'exit 0'
  done
  fake_script cassandra 'case $1 in status) [[ -f $STUB_BIN/running ]] ;; start) touch "$STUB_BIN/running" ;; stop) rm -f "$STUB_BIN/running" ;; esac'
  fake_script package-test 'for w in find_package fetchcontent add_subdirectory pkg-config; do echo "package-test: $w: passed"; done'
  stub cmake 'exit 0'
  ctest_prints 5 0
  stub bats 'printf "1..2\nok 1 a\nok 2 b\n"'
  unset COODIE_HOSTS COODIE_SKIP_ASAN COODIE_FUZZ_SECONDS
}

# fake_script NAME BODY: scripts/NAME in the fake checkout, recording its calls in $STUB_BIN.
fake_script() {
  local name=$1 body=$2 file=$fake/scripts/$1
  {
    echo '#!/usr/bin/env bash'
    printf 'echo "$*" >>%q\n' "$STUB_BIN/${name//\//_}.calls"
    printf '%s\n' "$body"
  } >"$file"
  chmod +x "$file"
}

# ctest_prints TOTAL FAILED: ctest's closing line for that result.
ctest_prints() {
  local total=$1 failed=$2
  stub ctest "echo '$(((total - failed) * 100 / total))% tests passed, $failed tests failed out of $total'; exit $((failed > 0))"
}

run_test() {
  run "$fake/scripts/test" "$@"
}

@test "--list prints every phase in the order they run" {
  run_test --list
  assert_success
  assert_equal "$(cut -d' ' -f1 <<<"$output" | tr '\n' ' ')" "lint docs dev asan scripts demo cluster package fuzz "
}

@test "an unknown phase is refused with exit 2 before anything runs" {
  run_test --only dev,nope
  assert_failure 2
  assert_output --partial "unknown phase 'nope'"
  assert_equal "$(stub_calls bootstrap)" ""
}

@test "an unknown argument, a missing value and an unknown preset exit 2" {
  run_test --frobnicate
  assert_failure 2
  assert_output --partial "unknown argument '--frobnicate'"
  run_test --only
  assert_failure 2
  run_test --preset nope --only dev
  assert_failure 2
  assert_output --partial "no preset 'nope'"
}

@test "passing labels give a summary and exit 0; the node it started is stopped" {
  run_test --only dev
  assert_success
  assert_output --partial "test: dev [unit|integration|example]: 5 passed, 0 failed"
  assert_line "5 passed, 0 failed"
  assert_equal "$(stub_calls cassandra)" $'status\nstart\nstop'
  [[ ! -f $STUB_BIN/running ]]
}

@test "failed tests are counted and fail the run" {
  ctest_prints 7 2
  run_test --only dev
  assert_failure 1
  assert_output --partial "dev [unit|integration|example]: 5 passed, 2 failed"
  assert_line "5 passed, 2 failed"
  [[ ! -f $STUB_BIN/running ]] # stopped on failure too
}

@test "a ctest that prints no result counts as a failure, not as nothing" {
  stub ctest 'echo "Segmentation fault"; exit 139'
  run_test --only dev
  assert_failure 1
  assert_output --partial "dev [unit|integration|example]: 0 passed, 1 failed (ctest produced no result)"
}

@test "a build that fails stops the run with its exit code" {
  stub cmake '[[ $1 == --build ]] && exit 3; exit 0'
  run_test --only dev
  assert_failure 3
  refute_output --partial "passed, "
  assert_equal "$(stub_calls ctest)" ""
}

@test "a node that is already running is used and left running" {
  touch "$STUB_BIN/running"
  run_test --only dev
  assert_success
  assert_output --partial "using the local Cassandra that is already running"
  assert_equal "$(stub_calls cassandra)" "status"
}

@test "COODIE_HOSTS set: no local node is started" {
  COODIE_HOSTS=10.0.0.1 run_test --only dev
  assert_success
  assert_equal "$(stub_calls cassandra)" ""
}

@test "each lint check is one result; a failing one fails the run while the rest still run" {
  fake_script ci/lint '[[ $1 != actionlint ]]'
  run_test --only lint,docs
  assert_failure 1
  assert_output --partial "lint: shellcheck: 1 passed, 0 failed"
  assert_output --partial "lint: actionlint: 0 passed, 1 failed"
  assert_output --partial "lint: workflow conventions: 1 passed, 0 failed"
  assert_output --partial "lint: clang-format: 1 passed, 0 failed"
  assert_output --partial "docs: strict build: 1 passed, 0 failed"
  assert_equal "$(stub_calls docs)" "--strict"
}

@test "the bats suite's TAP is counted, with the real node flagged for it" {
  stub bats 'printf "1..3\nok 1 a\nnot ok 2 b\nok 3 c\n"; env | grep -q "^COODIE_BATS_REAL_NODE=1$" || exit 9; exit 1'
  run_test --only scripts
  assert_failure 1
  assert_output --partial "scripts [bats]: 2 passed, 1 failed"
}

@test "a package way that fails is counted" {
  fake_script package-test 'echo "package-test: find_package: passed"; echo "package-test: pkg-config: FAILED"; exit 1'
  run_test --only package
  assert_failure 1
  assert_output --partial "package: 1 passed, 3 failed"
}

@test "--preset builds and tests that preset" {
  run_test --only dev --preset clang
  assert_success
  assert_output --partial "clang [unit|integration|example]: 5 passed"
  assert_equal "$(stub_calls cmake | head -n 1)" "--preset clang"
}

@test "the default run has every phase; COODIE_SKIP_ASAN and COODIE_FUZZ_SECONDS=0 drop theirs" {
  COODIE_SKIP_ASAN=1 COODIE_FUZZ_SECONDS=0 run_test
  assert_success
  refute_output --partial "asan ["
  assert_equal "$(stub_calls fuzz)" ""
  assert_output --partial "lint: shellcheck"
  assert_output --partial "docs: strict build"
  assert_output --partial "dev [demo]"
  assert_output --partial "dev [cluster]"
  assert_output --partial "package: 4 passed"
  run_test --only fuzz
  assert_success
  assert_equal "$(stub_calls fuzz)" "60"
}

@test "the cluster phase replaces the single node with three and brings the single one back" {
  touch "$STUB_BIN/running"
  run_test --only cluster
  assert_success
  assert_equal "$(stub_calls cassandra)" $'status\nstop\nstart --nodes 3 --tls --fresh\nstart --nodes 3 --tls\nstop\nstart'
}

@test "the summary prints each phase's time and nothing passes when nothing ran" {
  run_test --only dev
  assert_output --regexp "test: times: bootstrap [0-9]+s, build dev [0-9]+s, start Cassandra [0-9]+s, dev \[unit\|integration\|example\] [0-9]+s, total [0-9]+s"
  stub ctest "echo '100% tests passed, 0 tests failed out of 0'"
  run_test --only dev
  assert_failure 1
  assert_output --partial "no tests matched"
}

@test "a package run that fails counts a failure even when it printed four passes" {
  fake_script package-test 'for w in a b c d; do echo "package-test: $w: passed"; done; exit 1'
  run_test --only package
  assert_failure 1
  assert_output --partial "package: 3 passed, 1 failed"
}

@test "COODIE_FUZZ_SECONDS=0 skips the fuzz phase rather than fuzzing without a limit" {
  COODIE_FUZZ_SECONDS=0 run_test --only fuzz,lint
  assert_success
  assert_output --partial "fuzz: 0 passed, 0 failed (skipped: COODIE_FUZZ_SECONDS=0)"
  assert_equal "$(stub_calls fuzz)" ""
}
