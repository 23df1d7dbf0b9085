#!/usr/bin/env bats
# scripts/ci: the result counting of scripts/test, the CI environment and cache keys, the lint
# entry point, the actionlint installer and the benchmark report's arguments.

# The stubs' bodies are written in single quotes on purpose: they expand when the stub runs.
# shellcheck disable=SC2016

load helpers/common

setup() {
  setup_tmp
}

# mini_checkout DIR FILE...: a git repository at DIR with these files of the checkout, committed.
mini_checkout() {
  local dir=$1 f
  shift
  for f in "$@"; do
    mkdir -p "$dir/$(dirname "$f")"
    cp -p "$COODIE_ROOT/$f" "$dir/$f"
  done
  git -C "$dir" init -q
  git -C "$dir" add -A
  git -C "$dir" -c user.name=t -c user.email=t@t commit -q -m files
}

counts() {
  # shellcheck source=scripts/ci/results.sh
  source "$COODIE_ROOT/scripts/ci/results.sh"
  results_init
  "$@"
  results_print
}

@test "results: ctest's closing line gives passed and failed" {
  printf 'noise\n 97%% tests passed, 3 tests failed out of 100\n' >"$WORK/out"
  run counts results_ctest dev "$WORK/out"
  assert_line "test: dev: 97 passed, 3 failed"
  assert_line "97 passed, 3 failed"
  printf '100%% tests passed, 0 tests failed out of 1\n' >"$WORK/out"
  run counts results_ctest one "$WORK/out"
  assert_line "test: one: 1 passed, 0 failed"
}

@test "results: no closing line, or zero tests, is one failure" {
  echo "CMake Error: no such preset" >"$WORK/out"
  run counts results_ctest dev "$WORK/out"
  assert_line "test: dev: 0 passed, 1 failed (ctest produced no result)"
  echo "100% tests passed, 0 tests failed out of 0" >"$WORK/out"
  run counts results_ctest dev "$WORK/out"
  assert_line "test: dev: 0 passed, 1 failed (no tests matched)"
}

@test "results: TAP counts ok and not ok, and results that never came" {
  printf '1..4\nok 1 a\nnot ok 2 b\n# a comment\nok 3 c # skip slow\nnot ok 4 d\n' >"$WORK/tap"
  run counts results_tap bats "$WORK/tap"
  assert_line "test: bats: 1 passed, 2 failed (1 skipped)"
  printf '1..5\nok 1 a\nok 2 b\n' >"$WORK/tap"
  run counts results_tap bats "$WORK/tap"
  assert_line "test: bats: 2 passed, 3 failed (3 never reported)"
  printf 'bats: command not found\n' >"$WORK/tap"
  run counts results_tap bats "$WORK/tap"
  assert_line "test: bats: 0 passed, 1 failed (no TAP plan)"
}

@test "results: results_ok needs something passed and nothing failed" {
  # shellcheck source=scripts/ci/results.sh
  source "$COODIE_ROOT/scripts/ci/results.sh"
  results_init
  run results_ok
  assert_failure
  results_check yes true
  results_ok
  results_check no false
  run results_ok
  assert_failure
  assert_equal "${results_lines[*]}" "yes: 1 passed, 0 failed no: 0 passed, 1 failed"
}

@test "env: the caches live under the checkout's .cache, which git ignores" {
  run "$COODIE_ROOT/scripts/ci/env"
  assert_success
  assert_line "COODIE_CACHE=$COODIE_ROOT/.cache/coodie"
  assert_line "CCACHE_DIR=$COODIE_ROOT/.cache/ccache"
  assert_line "CI=true"
  git -C "$COODIE_ROOT" check-ignore -q .cache/coodie/x
  run "$COODIE_ROOT/scripts/ci/env" extra
  assert_failure 2
}

@test "cache-keys: ccache per preset and commit, downloads per job and preset by their pins" {
  run "$COODIE_ROOT/scripts/ci/cache-keys" asan
  assert_success
  assert_line "ccache=ccache-asan-$(git -C "$COODIE_ROOT" rev-parse HEAD)"
  assert_line "ccache-restore=ccache-asan-"
  assert_line --regexp '^downloads=downloads-local-asan-[0-9a-f]{16}$'
  local hash=${output##*-}
  run "$COODIE_ROOT/scripts/ci/cache-keys" dev lint
  assert_line "downloads=downloads-lint-dev-$hash"
  run "$COODIE_ROOT/scripts/ci/cache-keys" dev 'lint;x'
  assert_failure 2
}

@test "cache-keys: a checkout git does not trust is named, not hidden" {
  stub git 'echo "fatal: detected dubious ownership in repository" >&2; exit 128'
  run "$COODIE_ROOT/scripts/ci/cache-keys" dev
  assert_failure 1
  assert_output --partial "dubious ownership"
  assert_output --partial "scripts/ci/trust-checkout"
}

@test "trust-checkout: adds the checkout to git's safe.directory once" {
  HOME=$TEST_HOME run "$COODIE_ROOT/scripts/ci/trust-checkout"
  assert_success
  HOME=$TEST_HOME run "$COODIE_ROOT/scripts/ci/trust-checkout"
  assert_success
  assert_equal "$(HOME=$TEST_HOME git config --global --get-all safe.directory)" "$COODIE_ROOT"
  run "$COODIE_ROOT/scripts/ci/trust-checkout" extra
  assert_failure 2
}

@test "cache-keys: a new pin makes a new downloads key" {
  local copy=$WORK/copy
  mini_checkout "$copy" scripts/ci/cache-keys scripts/ci/actionlint scripts/cassandra CMakePresets.json
  run "$copy/scripts/ci/cache-keys" dev
  assert_success
  local before=$output
  sed -i 's/^CASSANDRA_VERSION=.*/CASSANDRA_VERSION=9.9.9/' "$copy/scripts/cassandra"
  run "$copy/scripts/ci/cache-keys" dev
  assert_not_equal "$(grep downloads <<<"$output")" "$(grep downloads <<<"$before")"
  assert_equal "$(grep ccache= <<<"$output")" "$(grep ccache= <<<"$before")"
}

@test "cache-keys: a missing or unknown preset exits 2" {
  run "$COODIE_ROOT/scripts/ci/cache-keys"
  assert_failure 2
  run "$COODIE_ROOT/scripts/ci/cache-keys" 'dev;rm'
  assert_failure 2
  run "$COODIE_ROOT/scripts/ci/cache-keys" nope
  assert_failure 2
  assert_output --partial "no preset 'nope'"
}

@test "lint: an unknown check exits 2 with its usage" {
  run "$COODIE_ROOT/scripts/ci/lint" spelling
  assert_failure 2
  assert_output --partial "usage: scripts/ci/lint"
}

@test "lint: shellcheck finds a broken script, even one not yet committed, and names it" {
  local copy=$WORK/copy
  mini_checkout "$copy" scripts/ci/lint
  run "$copy/scripts/ci/lint" shellcheck
  assert_success
  printf '#!/usr/bin/env bash\necho $undefined_word\n' >"$copy/scripts/broken"
  run "$copy/scripts/ci/lint" shellcheck
  assert_failure
  assert_output --partial "scripts/broken"
  assert_output --partial "SC2154"
}

@test "actionlint: without Go and without a cached binary it says what it needs" {
  only_commands "$WORK/path" bash dirname mkdir mktemp rm mv
  GOROOT=$WORK/no-go COODIE_CACHE=$WORK/cache PATH=$WORK/path \
    run "$COODIE_ROOT/scripts/ci/actionlint" --path
  assert_failure 1
  assert_output --partial "needs Go to install actionlint"
}

@test "actionlint: a failed install leaves no binary behind" {
  stub go 'exit 1'
  COODIE_CACHE=$WORK/cache run "$COODIE_ROOT/scripts/ci/actionlint" --path
  assert_failure 1
  assert_output --partial "go install github.com/rhysd/actionlint/cmd/actionlint@v"
  assert_output --partial "failed"
  run find "$WORK/cache" -type f
  assert_output ""
}

@test "actionlint: a cached binary is used without Go" {
  local bin
  bin=$WORK/cache/tools/actionlint-$(sed -n 's/^version=//p' "$COODIE_ROOT/scripts/ci/actionlint")/actionlint
  mkdir -p "$(dirname "$bin")"
  printf '#!/usr/bin/env bash\necho "fake actionlint $*"\n' >"$bin"
  chmod +x "$bin"
  stub go 'exit 99'
  COODIE_CACHE=$WORK/cache run "$COODIE_ROOT/scripts/ci/actionlint" -version
  assert_success
  assert_output "fake actionlint -version"
  assert_equal "$(stub_calls go)" ""
}

@test "bench-report: needs one directory" {
  run "$COODIE_ROOT/scripts/ci/bench-report"
  assert_failure 2
  assert_output --partial "usage: scripts/ci/bench-report DIR"
}
