#!/usr/bin/env bats
# Tests of scripts/cassandra: argument parsing, status and stop when nothing runs, and its error
# paths (port in use, no Java 17, a failed download, a node that never answers), with fake java
# and mvn. No real Cassandra is started: every test but the real-node ones has a COODIE_CACHE of
# its own, so the development node (~/.cache/coodie) is never touched. The real-node tests run
# only with COODIE_BATS_REAL_NODE=1 (scripts/test sets it after `scripts/cassandra start`); they
# check that start is idempotent and status reports the node, and never stop it.

load helpers/common

CASSANDRA=$COODIE_ROOT/scripts/cassandra
VERSION=5.0.9 # CASSANDRA_VERSION in scripts/cassandra
# Fake nodes listen (or rather do not) on this loopback address, whose ports are free even
# while the development node holds 127.0.0.1:9042, 7000 and 7199.
FAKE_ADDRESS=127.0.0.42

setup() {
  setup_tmp
  # The environment as scripts/test gave it, for the real-node tests.
  save_env HOME XDG_CACHE_HOME COODIE_CACHE COODIE_CASSANDRA_HOME COODIE_CASSANDRA_ADDRESS \
    JAVA_HOME COODIE_JAVA_DIRS COODIE_CASSANDRA_START_TIMEOUT COODIE_CASSANDRA_STOP_TIMEOUT \
    COODIE_CASSANDRA_JVM_OPTS COODIE_CASSANDRA_HEAP

  # Everything else runs in a world of its own.
  export HOME=$TEST_HOME
  export COODIE_CACHE=$BATS_TEST_TMPDIR/cache
  export COODIE_CASSANDRA_ADDRESS=$FAKE_ADDRESS
  export COODIE_JAVA_DIRS=$BATS_TEST_TMPDIR/jvm # empty: no system JDK is found
  export COODIE_CASSANDRA_STOP_TIMEOUT=5
  unset COODIE_CASSANDRA_HOME JAVA_HOME COODIE_CASSANDRA_START_TIMEOUT COODIE_CASSANDRA_JVM_OPTS \
    COODIE_CASSANDRA_HEAP XDG_CACHE_HOME
  mkdir -p "$COODIE_JAVA_DIRS"
  NODE=$COODIE_CACHE/node1
  DIST=$COODIE_CACHE/cassandra-$VERSION
  # Any call of Maven is a download; the tests that expect one replace this stub.
  stub mvn 'echo "mvn: unexpected call" >&2; exit 99'
}

teardown() {
  # Whatever a failed test left running: a port holder, a fake node of this test's cache.
  local pid
  if [[ -f $WORK/holders ]]; then
    while read -r pid; do kill "$pid" 2>/dev/null || true; done <"$WORK/holders"
  fi
  for pid in $(pgrep -f -- "$NODE/conf" || true); do
    kill -KILL "$pid" 2>/dev/null || true
  done
}

# --- helpers ------------------------------------------------------------------------------

# fake_jdk DIR MAJOR [MODE]: a "java" in DIR/bin that reports version MAJOR for -version. Run as
# the daemon it prints a line to stdout.log and then, by MODE, sleeps without listening (hang,
# the default; a python3 process, which dies on SIGTERM, with the daemon's arguments in its
# command line) or exits 7 (die).
fake_jdk() {
  local dir=$1 major=$2 mode=${3:-hang}
  mkdir -p "$dir/bin"
  cat >"$dir/bin/java" <<EOF
#!/usr/bin/env bash
if [[ \${1:-} == -version ]]; then
  echo 'openjdk version "$major.0.99" 2099-01-01' >&2
  exit 0
fi
echo "fake java: started, will not listen ($mode)"
[[ $mode == die ]] && exit 7
exec python3 -c 'import time; time.sleep(120)' "\$@"
EOF
  chmod +x "$dir/bin/java"
}

# make_jar FILE: a jar (zip) with the META-INF/hotspot_compiler the script extracts.
make_jar() {
  python3 - "$1" <<'EOF'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as jar:
    jar.writestr("META-INF/hotspot_compiler", "dontinline fake.Class::method\n")
EOF
}

# fake_jars: a complete jar cache, as a finished download leaves it.
fake_jars() {
  mkdir -p "$DIST/lib"
  make_jar "$DIST/lib/cassandra-all-$VERSION.jar"
  touch "$DIST/lib/jamm-0.4.0.jar" "$DIST/.lib-complete"
}

# hold_port HOST PORT: listens there in the background until teardown.
hold_port() {
  local ready=$WORK/port-$1-$2.ready
  python3 -c '
import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))
s.listen(8)
open(sys.argv[3], "w").close()
time.sleep(120)
' "$1" "$2" "$ready" >/dev/null 2>&1 3>&- &
  echo "$!" >>"$WORK/holders"
  wait_for "$ready" 10 || fail "could not listen on $1:$2"
}

# Skips unless the fake node's ports are free (something listening on 0.0.0.0 would take them).
require_fake_ports_free() {
  local port
  for port in 9042 7000 7199; do
    if listening "$FAKE_ADDRESS" "$port"; then
      skip "$FAKE_ADDRESS:$port is in use, the fake node cannot be tested here"
    fi
  done
}

# Nothing of a node was left behind: no pid file, no process of this test's node.
assert_no_node_left() {
  assert [ ! -e "$NODE/cassandra.pid" ]
  run pgrep -f -- "$NODE/conf"
  assert_failure
}

# --- usage ---------------------------------------------------------------------------------

@test "help prints the usage with every command and knob, exit 0" {
  run -0 --separate-stderr "$CASSANDRA" help
  assert_line --index 0 "usage: scripts/cassandra <command>"
  local word
  for word in start stop status pid kill-node stop-node start-node logs COODIE_CACHE \
    COODIE_CASSANDRA_HOME COODIE_CASSANDRA_START_TIMEOUT COODIE_CASSANDRA_ADDRESS COODIE_JAVA_DIRS; do
    assert_output --partial "$word"
  done
  # shellcheck disable=SC2154 # run --separate-stderr sets $stderr
  assert_equal "$stderr" ""
}

@test "-h and --help are help too" {
  run -0 "$CASSANDRA" -h
  assert_line --index 0 "usage: scripts/cassandra <command>"
  run -0 "$CASSANDRA" --help
  assert_line --index 0 "usage: scripts/cassandra <command>"
}

@test "no command prints the usage, exit 0" {
  run -0 "$CASSANDRA"
  assert_line --index 0 "usage: scripts/cassandra <command>"
}

@test "an unknown command prints the usage on stderr, exit 2" {
  run -2 --separate-stderr "$CASSANDRA" frobnicate
  assert_equal "$output" ""
  [[ $stderr == "usage: scripts/cassandra <command>"* ]]
}

@test "start --nodes rejects 0, 10, a word and a missing count, exit 1, nothing made" {
  local bad
  for bad in 0 10 three ""; do
    run -1 "$CASSANDRA" start --nodes ${bad:+"$bad"}
    assert_output "cassandra: error: --nodes takes a count from 1 to 9"
  done
  assert [ ! -e "$COODIE_CACHE" ]
}

@test "start rejects an unknown option, exit 1" {
  run -1 "$CASSANDRA" start --bogus
  assert_output "cassandra: error: unknown option for start: --bogus (see 'scripts/cassandra help')"
  assert [ ! -e "$COODIE_CACHE" ]
}

@test "a COODIE_CASSANDRA_START_TIMEOUT that is not a number of seconds is refused, exit 1" {
  local bad
  for bad in soon 10s -5 1.5; do
    COODIE_CASSANDRA_START_TIMEOUT=$bad run -1 "$CASSANDRA" start
    assert_output "cassandra: error: COODIE_CASSANDRA_START_TIMEOUT must be a number of seconds"
  done
  assert [ ! -e "$COODIE_CACHE" ]
}

@test "a COODIE_CASSANDRA_ADDRESS that is not a loopback address is refused, exit 1" {
  COODIE_CASSANDRA_ADDRESS=10.0.0.1 run -1 "$CASSANDRA" status
  assert_output --partial "COODIE_CASSANDRA_ADDRESS must be a loopback address 127.x.y.z, not 10.0.0.1"
}

@test "kill-node, stop-node and start-node need a cluster, exit 1" {
  local command
  for command in kill-node stop-node start-node; do
    run -1 "$CASSANDRA" "$command" 1
    assert_output "cassandra: error: no cluster: start one with 'scripts/cassandra start --nodes N'"
  done
}

@test "stop-node takes a node number of the cluster only" {
  mkdir -p "$COODIE_CACHE/cluster"
  echo 3 >"$COODIE_CACHE/cluster/size"
  local bad
  for bad in 0 4 x ""; do
    run -1 "$CASSANDRA" stop-node ${bad:+"$bad"}
    assert_output "cassandra: error: node must be 1..3"
  done
  run -0 "$CASSANDRA" stop-node 2
  assert_output "cassandra: not running"
}

@test "logs without a log says so, exit 1; with one prints its last 100 lines" {
  run -1 "$CASSANDRA" logs
  assert_output "cassandra: error: no log yet: $NODE/logs/system.log"
  mkdir -p "$NODE/logs"
  seq 1 150 | sed 's/^/line /' >"$NODE/logs/system.log"
  run -0 "$CASSANDRA" logs
  assert_line --index 0 "line 51"
  assert_line --index 99 "line 150"
  run -1 "$CASSANDRA" logs --bogus
  assert_output --partial "no cluster"
}

# --- status and stop when nothing runs ------------------------------------------------------

@test "pid when nothing runs says stopped on stderr, exit 3; pid I needs a cluster and a node of it" {
  run -3 --separate-stderr "$CASSANDRA" pid
  assert_output ""
  assert_equal "$stderr" "cassandra: stopped (node directory $NODE)"
  run -1 "$CASSANDRA" pid 2
  assert_output "cassandra: error: no cluster: start one with 'scripts/cassandra start --nodes N'"
  mkdir -p "$COODIE_CACHE/cluster"
  echo 3 >"$COODIE_CACHE/cluster/size"
  run -1 "$CASSANDRA" pid 4
  assert_output "cassandra: error: node must be 1..3"
  run -3 --separate-stderr "$CASSANDRA" pid 2
  assert_equal "$stderr" "cassandra: stopped (node directory $COODIE_CACHE/cluster/node2)"
}

@test "status when nothing runs says stopped, exit 3" {
  run -3 "$CASSANDRA" status
  assert_output "cassandra: stopped (node directory $NODE)"
}

@test "stop when nothing runs is a no-op success, and stays one when repeated" {
  run -0 "$CASSANDRA" stop
  assert_output "cassandra: not running"
  run -0 "$CASSANDRA" stop
  assert_output "cassandra: not running"
  assert [ ! -e "$NODE/cassandra.pid" ]
}

@test "a stale pid file naming another process: status says stopped, stop leaves it alone" {
  sleep 60 3>&- &
  local other=$!
  echo "$other" >>"$WORK/holders"
  mkdir -p "$NODE"
  echo "$other" >"$NODE/cassandra.pid"
  run -3 "$CASSANDRA" status
  assert_output "cassandra: stopped (node directory $NODE)"
  run -0 "$CASSANDRA" stop
  assert_output "cassandra: not running"
  kill -0 "$other" # not ours: still alive
  assert [ ! -e "$NODE/cassandra.pid" ]
}

# --- error paths of start --------------------------------------------------------------------

@test "start refuses when another process listens on 127.0.0.1:9042 (port in use), starts nothing" {
  # Inside `make test` the development node holds the port; otherwise the test takes it.
  export COODIE_CASSANDRA_ADDRESS=127.0.0.1
  listening 127.0.0.1 9042 || hold_port 127.0.0.1 9042
  fake_jdk "$WORK/jdk" 17
  JAVA_HOME=$WORK/jdk run -1 "$CASSANDRA" start
  assert_output "cassandra: error: 127.0.0.1:9042 is already in use by another process (not the node in $NODE)"
  assert_equal "$(stub_calls mvn)" ""
  assert [ ! -e "$NODE/conf" ]
  assert [ ! -e "$NODE/cassandra.pid" ]
}

@test "start refuses when the storage port 7000 is taken on the node's address" {
  require_fake_ports_free
  hold_port "$FAKE_ADDRESS" 7000
  run -1 "$CASSANDRA" start
  assert_output "cassandra: error: $FAKE_ADDRESS:7000 is already in use by another process (not the node in $NODE)"
  assert [ ! -e "$NODE/cassandra.pid" ]
}

@test "start without a Java 17 (JAVA_HOME is an 11, none in COODIE_JAVA_DIRS) fails clearly, starts nothing" {
  require_fake_ports_free
  fake_jdk "$WORK/jdk11" 11
  fake_jdk "$COODIE_JAVA_DIRS/java-11-openjdk-amd64" 11
  JAVA_HOME=$WORK/jdk11 run -1 "$CASSANDRA" start
  assert_line "cassandra: JAVA_HOME=$WORK/jdk11 is not a Java 17; looking in $COODIE_JAVA_DIRS"
  assert_line "cassandra: error: no Java 17 found in JAVA_HOME or $COODIE_JAVA_DIRS (set JAVA_HOME, or run scripts/bootstrap to install openjdk-17-jdk-headless)"
  assert_equal "$(stub_calls mvn)" ""
  assert [ ! -e "$DIST" ]
  assert_no_node_left
}

@test "a failed Maven download fails clearly, shows Maven's log, leaves no lib dir or marker" {
  require_fake_ports_free
  fake_jdk "$COODIE_JAVA_DIRS/java-17-openjdk-amd64" 17 # found without JAVA_HOME
  stub mvn 'echo "[ERROR] Could not transfer artifact org.apache.cassandra:cassandra-all:pom:5.0.9 (stub)"
exit 1'
  run -1 "$CASSANDRA" start
  assert_line "cassandra: downloading Cassandra $VERSION and its dependencies into $DIST/lib"
  assert_line "[ERROR] Could not transfer artifact org.apache.cassandra:cassandra-all:pom:5.0.9 (stub)"
  assert_line "cassandra: error: Maven could not resolve org.apache.cassandra:cassandra-all:$VERSION"
  assert_equal "$(stub_calls mvn | wc -l)" 1
  assert [ ! -e "$DIST/.lib-complete" ]
  assert [ ! -e "$DIST/lib" ]
  run -0 find "$DIST" -mindepth 1
  assert_output "" # not even the resolver's work directory
  assert_no_node_left
}

@test "a download that lacks the jars is not trusted: error names them, no marker" {
  require_fake_ports_free
  fake_jdk "$COODIE_JAVA_DIRS/java-17-openjdk-amd64" 17
  # "Succeeds" but copies one unrelated jar only.
  stub mvn - <<'EOF'
for arg; do [[ $arg == -DoutputDirectory=* ]] && out=${arg#*=}; done
mkdir -p "$out" && touch "$out/guava-32.0.1-jre.jar"
EOF
  run -1 "$CASSANDRA" start
  assert_line "cassandra: error: Maven's output lacks cassandra-all-$VERSION.jar jamm-*.jar"
  assert [ ! -e "$DIST/.lib-complete" ]
  assert [ ! -e "$DIST/lib" ]
  assert_no_node_left
}

@test "a lib dir without the marker (an interrupted download) is downloaded again, not used" {
  require_fake_ports_free
  fake_jdk "$COODIE_JAVA_DIRS/java-17-openjdk-amd64" 17
  fake_jars
  rm "$DIST/.lib-complete"
  stub mvn 'echo "[ERROR] offline (stub)"; exit 1'
  run -1 "$CASSANDRA" start
  assert_line "cassandra: error: Maven could not resolve org.apache.cassandra:cassandra-all:$VERSION"
  assert_equal "$(stub_calls mvn | wc -l)" 1
  assert [ ! -e "$DIST/.lib-complete" ]
  assert_no_node_left
}

@test "a download that works writes the marker once; a JVM that dies at startup is reported" {
  require_fake_ports_free
  fake_jdk "$WORK/jdk" 17 die
  make_jar "$WORK/fake.jar"
  stub mvn - <<EOF
for arg; do [[ \$arg == -DoutputDirectory=* ]] && out=\${arg#*=}; done
mkdir -p "\$out"
cp "$WORK/fake.jar" "\$out/cassandra-all-$VERSION.jar"
touch "\$out/jamm-0.4.0.jar" "\$out/netty-all-4.1.130.Final.jar"
EOF
  JAVA_HOME=$WORK/jdk run -1 "$CASSANDRA" start
  assert_line --regexp "^cassandra: downloaded 3 jars in [0-9]+s$"
  assert_line --regexp "^cassandra: error: the process \(pid [0-9]+\) died during startup \(exit status 7\)$"
  assert_line "fake java: started, will not listen (die)"
  assert [ -f "$DIST/.lib-complete" ]
  assert [ -f "$DIST/lib/jamm-0.4.0.jar" ]
  # The JIT hints come out of the jar, "quiet" first.
  assert_equal "$(head -n 1 "$DIST/hotspot_compiler")" quiet
  assert_no_node_left

  # The marked cache is trusted: no second download.
  JAVA_HOME=$WORK/jdk run -1 "$CASSANDRA" start
  refute_line --partial "downloading"
  assert_equal "$(stub_calls mvn | wc -l)" 1
}

@test "a node that never answers: start times out, shows the log tail, kills it, removes the pid file" {
  require_fake_ports_free
  fake_jdk "$WORK/jdk" 17 hang
  fake_jars
  SECONDS=0
  JAVA_HOME=$WORK/jdk COODIE_CASSANDRA_START_TIMEOUT=2 run -1 "$CASSANDRA" start
  local took=$SECONDS
  assert_line "cassandra: waiting for CQL on $FAKE_ADDRESS:9042 (timeout 2s)"
  assert_line --regexp "^cassandra: error: no CQL answer after 2s \(last: .+\)$"
  assert_line "----- last 60 lines of $NODE/logs/stdout.log -----"
  assert_line "fake java: started, will not listen (hang)"
  assert_line --regexp "^cassandra: stopping the node that did not answer \(pid [0-9]+\)$"
  [[ $output =~ did\ not\ answer\ \(pid\ ([0-9]+)\) ]]
  local pid=${BASH_REMATCH[1]}
  run ! kill -0 "$pid"
  assert_no_node_left
  assert_equal "$(stub_calls mvn)" ""
  ((took < 20)) || fail "start took ${took}s with a 2s timeout"
  # The generated config names the address it was told.
  assert grep -q "^listen_address: $FAKE_ADDRESS$" "$NODE/conf/cassandra.yaml"
  assert grep -q "seeds: \"$FAKE_ADDRESS:7000\"" "$NODE/conf/cassandra.yaml"
}

# --- the real development node (COODIE_BATS_REAL_NODE=1) -----------------------------------

# Switches to the environment scripts/test gave, and checks that its single node runs and
# answers; sets REAL_PID. Never starts one: a test that found none fails instead.
use_real_node() {
  [[ ${COODIE_BATS_REAL_NODE:-} == 1 ]] ||
    skip "needs a node started by 'scripts/cassandra start' and COODIE_BATS_REAL_NODE=1 (scripts/test sets it)"
  restore_env
  local cache=${COODIE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/coodie}
  [[ $cache == /* ]] || cache=$PWD/$cache
  local dir=${COODIE_CASSANDRA_HOME:-$cache/node1}
  [[ $dir == /* ]] || dir=$PWD/$dir
  REAL_PID=$(cat "$dir/cassandra.pid" 2>/dev/null) ||
    fail "COODIE_BATS_REAL_NODE=1 but there is no $dir/cassandra.pid (not starting a node)"
  kill -0 "$REAL_PID" 2>/dev/null ||
    fail "COODIE_BATS_REAL_NODE=1 but pid $REAL_PID of $dir/cassandra.pid is not running (not starting a node)"
}

@test "real node: start again returns 0 at once, says it is already running, launches no second JVM" {
  use_real_node
  local jvms
  jvms=$(pgrep -c -f org.apache.cassandra.service.CassandraDaemon)
  SECONDS=0
  run -0 "$CASSANDRA" start
  ((SECONDS < 15)) || fail "start took ${SECONDS}s on a running node"
  assert_output "cassandra: already running (pid $REAL_PID) and answering on 127.0.0.1:9042"
  assert_equal "$(pgrep -c -f org.apache.cassandra.service.CassandraDaemon)" "$jvms"
  kill -0 "$REAL_PID"
}

@test "real node: status exits 0 and reports the pid and that CQL answers" {
  use_real_node
  run -0 "$CASSANDRA" status
  assert_line --regexp "^cassandra: running \(pid $REAL_PID\), CQL answers on 127\.0\.0\.1:9042: Cassandra [0-9.]+$"
}

@test "real node: pid prints the pid status reports, and nothing else" {
  use_real_node
  run -0 --separate-stderr "$CASSANDRA" pid
  assert_output "$REAL_PID"
  assert_equal "$stderr" ""
}

@test "real node: a second start with another COODIE_CACHE refuses the taken port, real node untouched" {
  use_real_node
  COODIE_CACHE=$BATS_TEST_TMPDIR/other-cache COODIE_CASSANDRA_HOME='' run -1 "$CASSANDRA" start
  assert_output --partial "127.0.0.1:9042 is already in use by another process"
  kill -0 "$REAL_PID"
  run -0 "$CASSANDRA" status
}
