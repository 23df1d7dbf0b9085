# shellcheck shell=bash
# Shared setup for the bats suites of coodie's shell scripts (tests/scripts/*.bats):
#   load helpers/common
#   setup() { setup_tmp; }
# then `stub NAME 'body'` puts a fake command first on PATH for the rest of the test.

bats_require_minimum_version 1.5.0 # run -N, run --separate-stderr
bats_load_library bats-support
bats_load_library bats-assert

# The checkout the tests run against (this file is tests/scripts/helpers/common.bash).
COODIE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
export COODIE_ROOT

# Makes the per-test directories under $BATS_TEST_TMPDIR (bats removes it after the test):
#   $STUB_BIN   fake commands, first on PATH
#   $TEST_HOME  a HOME of its own, so nothing a script caches lands in the real one
#   $WORK       scratch space for the test itself
setup_tmp() {
  STUB_BIN=$BATS_TEST_TMPDIR/bin
  TEST_HOME=$BATS_TEST_TMPDIR/home
  WORK=$BATS_TEST_TMPDIR/work
  mkdir -p "$STUB_BIN" "$TEST_HOME" "$WORK"
  PATH=$STUB_BIN:$PATH
  export STUB_BIN TEST_HOME WORK PATH
}

# stub NAME BODY: writes an executable bash script NAME with BODY into $STUB_BIN (BODY "-":
# read from stdin, e.g. a quoted here-document). Each call of it is appended to
# $STUB_BIN/NAME.calls (its arguments on one line) before BODY runs, so a test can check
# whether and how the command was called.
stub() {
  local name=$1 body=${2:-}
  [[ $body != - ]] || body=$(cat)
  {
    echo '#!/usr/bin/env bash'
    printf 'echo "$*" >>%q\n' "$STUB_BIN/$name.calls"
    printf '%s\n' "$body"
  } >"$STUB_BIN/$name"
  chmod +x "$STUB_BIN/$name"
}

# stub_calls NAME: prints the recorded calls of stub NAME (nothing if it was never called).
stub_calls() {
  cat "$STUB_BIN/$1.calls" 2>/dev/null || true
}

# only_commands DIR CMD...: fills DIR with links to the named real commands, for a PATH that
# lacks everything else (to test what a script does when a tool is missing).
only_commands() {
  local dir=$1 cmd path
  shift
  mkdir -p "$dir"
  for cmd in "$@"; do
    path=$(type -P "$cmd") || fail "only_commands: $cmd is not installed"
    ln -sf "$path" "$dir/$cmd"
  done
}

# save_env NAME...: remembers these variables as they are now (set or not), for restore_env.
save_env() {
  local name
  SAVED_ENV_NAMES=("$@")
  SAVED_ENV=()
  for name in "$@"; do
    if [[ -v $name ]]; then SAVED_ENV+=("$name=${!name}"); fi
  done
}

# restore_env: puts the variables save_env remembered back as they were, exported.
restore_env() {
  unset "${SAVED_ENV_NAMES[@]}"
  if ((${#SAVED_ENV[@]})); then export "${SAVED_ENV[@]}"; fi
}

# listening HOST PORT: true when something accepts TCP connections there.
listening() {
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

# wait_for FILE [SECONDS]: waits (default 10 s) until FILE exists.
wait_for() {
  local file=$1 tries=$((${2:-10} * 10))
  while [[ ! -e $file ]] && ((tries-- > 0)); do sleep 0.1; done
  [[ -e $file ]]
}
