#!/usr/bin/env bats
# Tests of coodie's small scripts: python-env, demo-env, fuzz, run-example and package-test.
# Their arguments and error paths, with stubs for python3, node, cmake, the compilers and the
# program run; nothing is installed, built or downloaded.

# The stubs' bodies are written in single quotes on purpose: they expand when the stub runs.
# shellcheck disable=SC2016

load helpers/common

setup() {
  setup_tmp
  save_env HOME XDG_CACHE_HOME COODIE_CACHE # for the real-node test
  export HOME=$TEST_HOME
  export COODIE_CACHE=$BATS_TEST_TMPDIR/cache
  unset XDG_CACHE_HOME
}

# --- python-env ------------------------------------------------------------------------------

PYTHON_ENV=$COODIE_ROOT/scripts/python-env

# A python3 whose `-m venv DIR` makes a fake environment: DIR/bin/python, whose `-m pip install`
# succeeds, or fails when PIP_FAILS is set.
stub_python3() {
  stub python3 - <<'EOF'
[[ $1 == -m && $2 == venv ]] || { echo "python3 stub: unexpected $*" >&2; exit 99; }
mkdir -p "$3/bin"
cat >"$3/bin/python" <<'PY'
#!/usr/bin/env bash
echo "$*" >>"$STUB_BIN/venv-python.calls"
if [[ -n ${PIP_FAILS:-} ]]; then
  echo "ERROR: No matching distribution found for cassandra-driver==0.0 (stub)"
  exit 1
fi
PY
chmod +x "$3/bin/python"
EOF
}

# venv_of FILE: where python-env keeps the environment of requirements file FILE.
venv_of() {
  echo "$COODIE_CACHE/python-venv-$(sha256sum "$1" | cut -c1-16)"
}

@test "python-env: a requirements file that does not exist is refused, exit 2, nothing made" {
  stub_python3
  run -2 "$PYTHON_ENV" "$WORK/missing.txt"
  assert_output "python-env: no requirements file $WORK/missing.txt"
  assert_equal "$(stub_calls python3)" ""
  assert [ ! -e "$COODIE_CACHE" ]
}

@test "python-env: makes the environment once, prints its python, reuses it the second time" {
  stub_python3
  echo "cassandra-driver==3.29.2" >"$WORK/req.txt"
  local venv
  venv=$(venv_of "$WORK/req.txt")
  run -0 "$PYTHON_ENV" "$WORK/req.txt"
  assert_output "$venv/bin/python"
  assert [ -x "$venv/bin/python" ]
  assert [ ! -e "$venv.new" ]
  assert_equal "$(stub_calls python3)" "-m venv $venv.new"
  assert_equal "$(stub_calls venv-python)" \
    "-m pip install -q --disable-pip-version-check -r $WORK/req.txt"
  run -0 "$PYTHON_ENV" "$WORK/req.txt"
  assert_output "$venv/bin/python"
  assert_equal "$(stub_calls python3 | wc -l)" 1
}

@test "python-env: another requirements file gets an environment of its own" {
  stub_python3
  echo "a==1" >"$WORK/a.txt"
  echo "b==2" >"$WORK/b.txt"
  run -0 "$PYTHON_ENV" "$WORK/a.txt"
  assert_output "$(venv_of "$WORK/a.txt")/bin/python"
  run -0 "$PYTHON_ENV" "$WORK/b.txt"
  assert_output "$(venv_of "$WORK/b.txt")/bin/python"
  assert_equal "$(stub_calls python3 | wc -l)" 2
}

@test "python-env: without an argument it uses tests/interop/requirements.txt" {
  stub_python3
  run -0 "$PYTHON_ENV"
  assert_output "$(venv_of "$COODIE_ROOT/tests/interop/requirements.txt")/bin/python"
}

@test "python-env: a failed pip install shows pip's error, exit 1, leaves no environment" {
  stub_python3
  echo "cassandra-driver==0.0" >"$WORK/req.txt"
  local venv
  venv=$(venv_of "$WORK/req.txt")
  PIP_FAILS=1 run -1 "$PYTHON_ENV" "$WORK/req.txt"
  assert_line "ERROR: No matching distribution found for cassandra-driver==0.0 (stub)"
  assert_line "python-env: could not make $venv"
  assert [ ! -e "$venv" ]
  assert [ ! -e "$venv.new" ]
  # The next run tries again (and now succeeds).
  run -0 "$PYTHON_ENV" "$WORK/req.txt"
  assert_output "$venv/bin/python"
}

@test "python-env: without python3 it says so, exit 1" {
  echo "a==1" >"$WORK/req.txt"
  only_commands "$WORK/path" bash dirname sha256sum cut mkdir flock rm mktemp cat mv
  run -1 env PATH="$WORK/path" "$PYTHON_ENV" "$WORK/req.txt"
  assert_output "python-env: python3 not found (run scripts/bootstrap)"
}

# --- demo-env --------------------------------------------------------------------------------

DEMO_ENV=$COODIE_ROOT/scripts/demo-env

# stub_node MAJOR: a node that reports version MAJOR.
stub_node() {
  stub node "case \$1 in
  -p) echo $1 ;;
  --version) echo v$1.20.0 ;;
  *) echo \"node stub: unexpected \$*\" >&2; exit 99 ;;
esac"
}

@test "demo-env: without node it says Node.js 18 is needed, exit 1" {
  only_commands "$WORK/path" bash dirname
  run -1 env PATH="$WORK/path" "$DEMO_ENV"
  assert_output "demo-env: node is not installed (the demos' browser tests need Node.js 18 or later)"
}

@test "demo-env: node 16 is too old, exit 1, nothing installed" {
  stub_node 16
  stub npm 'exit 0'
  run -1 "$DEMO_ENV"
  assert_output "demo-env: node v16.20.0 is too old: the demos' browser tests need Node.js 18 or later"
  assert_equal "$(stub_calls npm)" ""
}

@test "demo-env: a missing Chromium is named, exit 1, nothing installed" {
  stub_node 20
  stub npm 'exit 0'
  CHROMIUM=$WORK/no-chromium run -1 "$DEMO_ENV"
  assert_output "demo-env: $WORK/no-chromium not found: run scripts/bootstrap (Debian package chromium)"
  assert_equal "$(stub_calls npm)" ""
}

# --- fuzz ------------------------------------------------------------------------------------

FUZZ=$COODIE_ROOT/scripts/fuzz

@test "fuzz: --help prints the usage, exit 0, builds nothing" {
  stub cmake 'exit 0'
  run -0 "$FUZZ" --help
  assert_output --partial "usage: scripts/fuzz [SECONDS]"
  assert_equal "$(stub_calls cmake)" ""
}

@test "fuzz: seconds that are not a number, or a second argument, are refused before building, exit 2" {
  stub cmake 'exit 0'
  local bad
  for bad in abc 10s -5 "1 2"; do
    # shellcheck disable=SC2086 # "1 2" is two arguments on purpose
    run -2 "$FUZZ" $bad
    assert_output --partial "usage: scripts/fuzz [SECONDS]"
  done
  assert_equal "$(stub_calls cmake)" ""
}

@test "fuzz: a failed configure stops it, exit non-zero, nothing built or run" {
  stub cmake 'echo "CMake Error: no clang (stub)" >&2; exit 1'
  run "$FUZZ" 5
  assert_failure
  assert_output --partial "CMake Error: no clang (stub)"
  assert_equal "$(stub_calls cmake)" "--preset fuzz"
}

# --- run-example -----------------------------------------------------------------------------

RUN_EXAMPLE=$COODIE_ROOT/scripts/run-example

@test "run-example: without a program it prints the usage, exit 2" {
  run -2 "$RUN_EXAMPLE"
  assert_output "usage: scripts/run-example PROGRAM [ARGS...]"
}

@test "run-example: with COODIE_HOSTS set it runs the program as is, no local node involved" {
  stub program 'echo "hosts=$COODIE_HOSTS user=${COODIE_USERNAME-unset} args=$*"; exit 4'
  # A cache of its own: were the local node consulted, it would be found stopped and started.
  COODIE_HOSTS=10.1.2.3 run -4 env -u COODIE_USERNAME "$RUN_EXAMPLE" program "a b" c
  assert_output "hosts=10.1.2.3 user=unset args=a b c"
  assert [ ! -e "$COODIE_CACHE" ]
}

@test "run-example: when the local node cannot start, the program does not run, exit 1" {
  stub program 'echo "program ran"'
  mkdir -p "$WORK/jvm"
  # A node of its own on another address, with no Java 17 to be found: start fails at once.
  COODIE_CASSANDRA_ADDRESS=127.0.0.42 COODIE_JAVA_DIRS=$WORK/jvm \
    run -1 env -u COODIE_HOSTS -u JAVA_HOME -u COODIE_CASSANDRA_HOME "$RUN_EXAMPLE" program
  assert_output --partial "cassandra: error: no Java 17 found"
  refute_output --partial "program ran"
  assert_equal "$(stub_calls program)" ""
}

@test "run-example: with the real node running it points the program at it (COODIE_BATS_REAL_NODE=1)" {
  [[ ${COODIE_BATS_REAL_NODE:-} == 1 ]] ||
    skip "needs a node started by 'scripts/cassandra start' and COODIE_BATS_REAL_NODE=1 (scripts/test sets it)"
  # The environment as it came, where that node is found; never start one here.
  restore_env
  run "$COODIE_ROOT/scripts/cassandra" status
  [[ $status -eq 0 ]] || fail "COODIE_BATS_REAL_NODE=1 but scripts/cassandra status says: $output"
  stub program 'echo "hosts=$COODIE_HOSTS user=$COODIE_USERNAME"'
  run -0 env -u COODIE_HOSTS -u COODIE_USERNAME "$RUN_EXAMPLE" program
  assert_output "hosts=127.0.0.1 user=cassandra"
}

# --- package-test ----------------------------------------------------------------------------

PACKAGE_TEST=$COODIE_ROOT/scripts/package-test

# Stubs for cmake, ccache, g++ and pkg-config that "build" programs which exit 0 (the CMake
# consumer exits $CONSUMER_EXIT). cmake fails to configure the way named by $FAIL_WAY.
stub_toolchain() {
  stub cmake - <<'EOF'
dir="" prefix=""
while [[ $# -gt 0 ]]; do
  case $1 in
    -B | --build) dir=$2; shift ;;
    --prefix) prefix=$2; shift ;;
    -DCOODIE_CONSUME=*)
      if [[ ${1#*=} == "${FAIL_WAY:-}" ]]; then
        echo "CMake Error: cannot consume coodie by ${1#*=} (stub)"
        exit 1
      fi
      ;;
  esac
  shift
done
if [[ -n $prefix ]]; then # --install
  mkdir -p "$prefix/lib/pkgconfig"
  touch "$prefix/lib/pkgconfig/coodie.pc"
elif [[ -d $dir && $dir == */consumer ]]; then # --build of the consumer
  printf '#!/bin/sh\nexit %s\n' "${CONSUMER_EXIT:-0}" >"$dir/consumer"
  printf '#!/bin/sh\nexit 0\n' >"$dir/consumer_cli"
  chmod +x "$dir/consumer" "$dir/consumer_cli"
else
  mkdir -p "$dir"
fi
EOF
  stub ccache 'exec "$@"'
  stub g++ 'while [[ $# -gt 0 ]]; do [[ $1 == -o ]] && out=$2; shift; done
printf "#!/bin/sh\nexit 0\n" >"$out"; chmod +x "$out"'
  stub pkg-config 'case $1 in --modversion) echo 0.1.0 ;; --cflags) echo -I/stub/include ;; *) echo -lcoodie ;; esac'
}

@test "package-test: reports each of the four ways as passed, exit 0, and removes its work directory" {
  stub_toolchain
  COODIE_PACKAGE_BUILD=$WORK/build run -0 "$PACKAGE_TEST"
  assert_line --regexp "^package-test: find-package: passed \([0-9]+ s\)$"
  assert_line --regexp "^package-test: fetchcontent: passed \([0-9]+ s\)$"
  assert_line --regexp "^package-test: add-subdirectory: passed \([0-9]+ s\)$"
  assert_line --regexp "^package-test: pkg-config: passed \([0-9]+ s\)$"
  # It built the libraries in the named build directory, once for the two ways that install.
  assert_equal "$(stub_calls cmake | grep -c "^--build $WORK/build ")" 1
  local tmp
  tmp=$(stub_calls cmake | sed -n 's/^--install .* --prefix \(.*\)\/prefix$/\1/p')
  [[ $tmp == "$COODIE_ROOT"/build/package-test.* ]]
  assert [ ! -e "$tmp" ]
}

@test "package-test: a way that fails is reported with its log, the others still run, exit 1" {
  stub_toolchain
  FAIL_WAY=fetchcontent COODIE_PACKAGE_BUILD=$WORK/build run -1 "$PACKAGE_TEST"
  assert_line "CMake Error: cannot consume coodie by fetchcontent (stub)"
  assert_line --regexp "^package-test: fetchcontent: FAILED \([0-9]+ s\)$"
  assert_line --regexp "^package-test: find-package: passed"
  assert_line --regexp "^package-test: add-subdirectory: passed"
  assert_line --regexp "^package-test: pkg-config: passed"
}

@test "package-test: a consumer that fails fails its way even when a later command succeeds" {
  stub_toolchain
  CONSUMER_EXIT=3 COODIE_PACKAGE_BUILD=$WORK/build run -1 "$PACKAGE_TEST"
  assert_line --regexp "^package-test: find-package: FAILED"
  assert_line --regexp "^package-test: fetchcontent: FAILED"
  assert_line --regexp "^package-test: add-subdirectory: FAILED"
}
