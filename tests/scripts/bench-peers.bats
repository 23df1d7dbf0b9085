#!/usr/bin/env bats
# scripts/bench-peers, run with fake peer programs (COODIE_BENCH_PEERS_DIR) and a contact point
# nothing listens on, so that no test builds anything or reaches a real node; and
# bench/peers/report.py on a small fixture.

load helpers/common

setup() {
  setup_tmp
  PEERS=$WORK/peers
  FAKE_CALLS=$WORK/calls
  export FAKE_CALLS
  fake_peers
  save_env COODIE_BENCH_PEERS_DIR COODIE_BENCH_NO_BUILD COODIE_HOSTS
  export COODIE_BENCH_PEERS_DIR=$PEERS
  unset COODIE_BENCH_NO_BUILD
  export COODIE_HOSTS=127.0.0.99 # refused at once; the fakes never connect
}

teardown() {
  restore_env
}

# fake_peers: the five programs in $PEERS, one script under five names. Each call is appended to
# $FAKE_CALLS as "NAME FRONT WORKLOAD INFLIGHT" ("NAME setup ARGS" for setup). A cell matching
# the regular expression $FAKE_UNSUPPORTED exits 3, $FAKE_FAIL exits 1, $FAKE_GARBAGE prints no
# JSON; any other prints a protocol line.
fake_peers() {
  mkdir -p "$PEERS"
  cat >"$PEERS/coodie_peer" <<'EOF'
#!/usr/bin/env bash
name=${0##*/}
case $name in
coodie_peer) program=coodie ;;
rust-peer) program=rust ;;
go-peer) program=go ;;
*) program=python ;;
esac
if [[ $1 == setup ]]; then
  echo "$name $*" >>"$FAKE_CALLS"
  exit 0
fi
shift
while (($#)); do
  case $1 in
  --front) front=$2 ;;
  --workload) workload=$2 ;;
  --inflight) n=$2 ;;
  --seconds) seconds=$2 ;;
  esac
  shift 2
done
cell="$name $front $workload $n"
echo "$cell" >>"$FAKE_CALLS"
echo "fake: $cell, $seconds s" >&2
if [[ -n ${FAKE_UNSUPPORTED:-} && $cell =~ $FAKE_UNSUPPORTED ]]; then
  echo "fake: $front does not offer $n in flight" >&2
  exit 3
elif [[ -n ${FAKE_FAIL:-} && $cell =~ $FAKE_FAIL ]]; then
  echo "fake: cannot connect" >&2
  exit 1
elif [[ -n ${FAKE_GARBAGE:-} && $cell =~ $FAKE_GARBAGE ]]; then
  echo "Traceback: not a JSON line"
  exit 0
fi
echo "a line before the JSON one"
printf '{"program": "%s", "library": "fake 1.0", "front": "%s", "workload": "%s", "inflight": %s, ' \
  "$program" "$front" "$workload" "$n"
printf '"ops": 100, "errors": 0, "wall_s": 0.5, "ops_per_s": 200.0, "p50_us": 90.0, "p99_us": 300.0, '
printf '"cpu_us_per_op": 12.5, "rss_start_kib": 10000, "rss_peak_kib": 11024}\n'
EOF
  chmod +x "$PEERS/coodie_peer"
  local name
  for name in rust-peer go-peer python-peer-cassandra-driver python-peer-scylla-driver; do
    ln -s coodie_peer "$PEERS/$name"
  done
}

bench_peers() {
  run "$COODIE_ROOT/scripts/bench-peers" "$@"
}

# The calls of `run`, without setup's.
cell_calls() {
  grep -v ' setup ' "$FAKE_CALLS"
}

@test "bad arguments exit 2 with the usage" {
  local args
  for args in "" "--runs 0 d" "--runs x d" "--seconds 0 d" "--seconds 1s d" "--warmup -1 d" \
    "--inflight 1,,64 d" "--inflight 0 d" "--iterate-rows 1e6 d" "--workloads , d" "--bogus d" \
    "d e" "d --runs"; do
    # shellcheck disable=SC2086 # the words of each case
    bench_peers $args
    assert_failure 2
    assert_output --partial "usage: scripts/bench-peers"
  done
  [[ ! -e $FAKE_CALLS ]]
}

@test "an unknown peer or workload is refused" {
  bench_peers --peers coodie,java "$WORK/out"
  assert_failure 2
  assert_output --partial "unknown peer 'java' (of coodie rust go python)"
  bench_peers --workloads get,select_star "$WORK/out"
  assert_failure 2
  assert_output --partial "unknown workload 'select_star'"
  [[ ! -e $FAKE_CALLS ]]
}

@test "setup seeds, then each run goes over the workloads, the counts and, innermost, the fronts, each run starting at the next front" {
  bench_peers --runs 2 --seconds 0.1 --warmup 0 --peers coodie,python --workloads get,iterate \
    --inflight 1,64 --iterate-rows 500 "$WORK/out"
  assert_success
  assert_equal "$(head -n 1 "$FAKE_CALLS")" "coodie_peer setup --iterate-rows 500"
  local fronts=(
    "coodie_peer sync" "coodie_peer sync-caller" "coodie_peer aio" "coodie_peer driver"
    "coodie_peer driver-caller"
    "python-peer-cassandra-driver coodie-sync" "python-peer-cassandra-driver coodie-async"
    "python-peer-cassandra-driver cqlengine" "python-peer-cassandra-driver driver"
    "python-peer-scylla-driver coodie-sync" "python-peer-scylla-driver coodie-async"
    "python-peer-scylla-driver cqlengine" "python-peer-scylla-driver driver"
  )
  local expected=() cell r i
  for r in 0 1; do
    for cell in "get 1" "get 64" "iterate 1"; do # iterate at 1 only
      for ((i = 0; i < ${#fronts[@]}; i++)); do
        expected+=("${fronts[$(((i + r) % ${#fronts[@]}))]} $cell")
      done
    done
  done
  assert_equal "$(cell_calls)" "$(printf '%s\n' "${expected[@]}")"

  # One line per call, in the same order, with its run, and the variant for Python.
  local out=$WORK/out
  assert_equal "$(wc -l <"$out/results.jsonl")" 78
  run python3 -c 'import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    print(d["run"], d["program"], d.get("variant", "-"), d["front"], d["workload"], d["inflight"])' \
    "$out/results.jsonl"
  assert_line --index 0 "1 coodie - sync get 1"
  assert_line --index 1 "1 coodie - sync-caller get 1"
  assert_line --index 4 "1 coodie - driver-caller get 1"
  assert_line --index 8 "1 python cassandra-driver driver get 1"
  assert_line --index 9 "1 python scylla-driver coodie-sync get 1"
  assert_line --index 39 "2 coodie - sync-caller get 1"
  assert_line --index 77 "2 coodie - sync iterate 1"
  assert_output --partial "2 coodie - aio get 64"

  # The report, its header from meta.json, and the stderr of each cell kept.
  assert [ -s "$out/report.md" ] && assert [ -s "$out/results.json" ]
  run grep '^## ' "$out/report.md"
  assert_output $'## At a glance\n## get\n## iterate'
  run cat "$out/meta.json"
  assert_output --partial '"server": "127.0.0.99"'
  assert_output --partial '"iterate_rows": 500'
  assert_equal "$(cat "$out/logs/r2-python-scylla-driver-cqlengine-get-64.log")" \
    "fake: python-peer-scylla-driver cqlengine get 64, 0.1 s"
  assert [ ! -e "$out/failed.txt" ]
}

@test "a cell a program does not offer (exit 3) is skipped in later runs" {
  FAKE_UNSUPPORTED='(sync|cqlengine) get 64$' \
    bench_peers --runs 3 --seconds 0.1 --warmup 0 --peers coodie,python --workloads get "$WORK/out"
  assert_success
  assert_output --partial "run 1/3, get, 64 in flight, coodie sync: not offered (fake: sync does not offer 64 in flight)"
  run grep -c "^coodie_peer sync get 64$" "$FAKE_CALLS"
  assert_output 1
  run grep -c "cqlengine get 64$" "$FAKE_CALLS"
  assert_output 2 # once on each driver
  run grep -c "^coodie_peer aio get 64$" "$FAKE_CALLS"
  assert_output 3
  run grep -c '"front": "sync", "workload": "get", "inflight": 64' "$WORK/out/results.jsonl"
  assert_output 0
}

@test "a failing cell is logged, the others run, and the script exits 1 at the end" {
  FAKE_FAIL='^rust-peer driver get 64$' FAKE_GARBAGE='^go-peer gocqlx get 1$' \
    bench_peers --runs 2 --seconds 0.1 --warmup 0 --peers coodie,rust,go --workloads get \
    --inflight 1,64 "$WORK/out"
  assert_failure 1
  assert_output --partial "run 1/2, get, 64 in flight, rust driver: FAILED, exit 1 (logs/r1-rust-driver-get-64.log)"
  assert_output --partial "go gocqlx: FAILED, bad output: no JSON line on stdout"
  assert_output --partial "28 cells measured, 0 not offered, 4 failed"
  run grep -c "^rust-peer driver get 64$" "$FAKE_CALLS"
  assert_output 2 # a failure is tried again in the next run
  run cat "$WORK/out/failed.txt"
  assert_line "run 2/2, get, 64 in flight, rust driver: exit 1 (logs/r2-rust-driver-get-64.log)"
  assert_equal "${#lines[@]}" 4
  assert_equal "$(tail -n 1 "$WORK/out/logs/r2-rust-driver-get-64.log")" "fake: cannot connect"
  assert_equal "$(wc -l <"$WORK/out/results.jsonl")" 28
  run grep -c "## Failed cells" "$WORK/out/report.md"
  assert_output 1
}

@test "--quick: one short run at 1 and 64 in flight, 100000 rows; options given win" {
  bench_peers --quick --peers rust --workloads get,iterate "$WORK/out"
  assert_success
  assert_equal "$(cat "$FAKE_CALLS")" "$(printf '%s\n' "coodie_peer setup --iterate-rows 100000" \
    "rust-peer driver get 1" "rust-peer driver get 64" "rust-peer driver iterate 1")"
  assert_equal "$(cat "$WORK/out/logs/r1-rust-driver-get-1.log")" "fake: rust-peer driver get 1, 0.5 s"
  rm "$FAKE_CALLS"
  bench_peers --inflight 256 --quick --peers rust --workloads get "$WORK/out"
  assert_equal "$(cell_calls)" "rust-peer driver get 256"
}

@test "a program that is not there is named before anything runs" {
  rm "$PEERS/go-peer"
  bench_peers --peers go "$WORK/out"
  assert_failure 1
  assert_output --partial "$PEERS/go-peer is missing (not built?)"
  [[ ! -e $FAKE_CALLS ]]
}

@test "without cargo or go it says how to get them, before building anything" {
  unset COODIE_BENCH_PEERS_DIR
  only_commands "$WORK/path" bash dirname mkdir
  HOME=$TEST_HOME GOROOT=$WORK/no-go PATH=$WORK/path bench_peers --peers rust "$WORK/out"
  assert_failure 1
  assert_output --partial "cargo not found"
  assert_output --partial "install Rust with rustup"
  HOME=$TEST_HOME GOROOT=$WORK/no-go PATH=$WORK/path bench_peers --peers go "$WORK/out"
  assert_failure 1
  assert_output --partial "go not found"
}

@test "report.py: medians over the runs, ratios to coodie, errors and failures marked" {
  cp -r "$COODIE_ROOT/tests/scripts/fixtures/bench-peers" "$WORK/out"
  run /usr/bin/python3 "$COODIE_ROOT/bench/peers/report.py" "$WORK/out"
  assert_success
  run cat "$WORK/out/report.md"
  assert_line "- machine: 2 cores, Test CPU @ 2.0GHz, 7.8 GiB"
  assert_line "- server: Cassandra 5.0.9 at 127.0.0.1"
  assert_line "  - python (scylla-driver): scylla-driver 3.29.3"
  # medians of 1,000 and 1,100 ops/s; blocking fronts against coodie sync, drivers against
  # coodie driver at the same count; a run with errors marked; a cell with a run missing noted.
  assert_line "| coodie sync | 1 | 1,050 | 900 | 1,500 | 80.0 | 1.00 | 1.00 | coodie sync |"
  assert_line "| python cqlengine (cassandra-driver) | 1 | 525 | 1,900 | 3,000 | 400 | 0.50 | 5.00 | coodie sync |"
  assert_line "| rust driver ⚠ | 64 | 46,200 | 1,400 | 3,000 | 5.60 | 2.00 | 0.80 | coodie driver |"
  assert_line "- ⚠ rust driver, 64 in flight: 3 failed operations in 1 of 2 runs (not counted in ops)"
  assert_line "- python driver (scylla-driver), 64 in flight: 1 of 2 runs measured"
  assert_line "| coodie sync | 1 | 105,000 | 8.00 | 900 | 3.00 | 1.00 | 1.00 | coodie sync | 10.0 |"
  assert_line "- run 2/2, get, 64 in flight, python driver (scylla-driver): exit 1 (logs/r2-python-scylla-driver-driver-get-64.log)"

  run /usr/bin/python3 -c 'import json, sys
cells = json.load(open(sys.argv[1]))["cells"]
rust = next(c for c in cells if c["program"] == "rust" and c["inflight"] == 64)
print(rust["median"]["ops_per_s"], rust["ratios"], len(rust["runs"]), rust["errors"])' \
    "$WORK/out/results.json"
  assert_output "46200.0 {'reference': 'coodie driver', 'ops_per_s': 2.0, 'cpu_us_per_op': 0.7999999999999999} 2 3"
}

@test "report.py: the plots, when matplotlib is installed" {
  /usr/bin/python3 -c 'import matplotlib' 2>/dev/null || skip "python3-matplotlib is not installed"
  cp -r "$COODIE_ROOT/tests/scripts/fixtures/bench-peers" "$WORK/out"
  run /usr/bin/python3 "$COODIE_ROOT/bench/peers/report.py" "$WORK/out"
  assert_success
  local png
  for png in throughput-get cpu-get throughput-iterate cpu-iterate latency; do
    assert_equal "$(head -c 4 "$WORK/out/$png.png" | tail -c 3)" PNG
  done
  run grep -c "Plots: \[throughput-get.png\]" "$WORK/out/report.md"
  assert_output 1
}

@test "report.py: needs DIR with results.jsonl, and refuses a broken line" {
  run /usr/bin/python3 "$COODIE_ROOT/bench/peers/report.py"
  assert_failure 2
  run /usr/bin/python3 "$COODIE_ROOT/bench/peers/report.py" "$WORK"
  assert_failure 1
  assert_output --partial "no $WORK/results.jsonl"
  echo '{"program": "rust"}' >"$WORK/results.jsonl"
  run /usr/bin/python3 "$COODIE_ROOT/bench/peers/report.py" "$WORK"
  assert_failure 1
  assert_output --partial "results.jsonl:1: no library, front"
}

@test "report.py: a run without a successful operation (null figures) leaves the medians to the others" {
  cp -r "$COODIE_ROOT/tests/scripts/fixtures/bench-peers" "$WORK/out"
  /usr/bin/python3 - "$WORK/out/results.jsonl" <<'PY'
import json, sys
path = sys.argv[1]
lines = [json.loads(line) for line in open(path)]
first = next(l for l in lines if l["program"] == "coodie" and l["front"] == "sync")
for key in ("p50_us", "p99_us", "cpu_us_per_op"):
    first[key] = None
open(path, "w").write("".join(json.dumps(l) + "\n" for l in lines))
PY
  run /usr/bin/python3 "$COODIE_ROOT/bench/peers/report.py" "$WORK/out"
  assert_success
  run grep "^| coodie sync | 1 |" "$WORK/out/report.md"
  refute_output --partial "None"
}

@test "report.py: at a glance, the leaner Python driver, the blocking fronts against aio, the driver against Rust" {
  cp -r "$COODIE_ROOT/tests/scripts/fixtures/bench-peers" "$WORK/out"
  /usr/bin/python3 - "$WORK/out/results.jsonl" <<'PY'
import json, sys
def line(program, front, workload, n, ops_per_s, cpu, variant=None):
    out = {"program": program, "library": "x 1", "front": front, "workload": workload,
           "inflight": n, "ops": 1000, "errors": 0, "wall_s": 1.0, "ops_per_s": ops_per_s,
           "p50_us": 100, "p99_us": 200, "cpu_us_per_op": cpu, "rss_start_kib": 1,
           "rss_peak_kib": 1, "run": 1}
    return json.dumps(out | ({"variant": variant} if variant else {})) + "\n"
with open(sys.argv[1], "a") as f:
    f.write(line("python", "coodie-sync", "get", 1, 900, 600, "cassandra-driver"))
    f.write(line("python", "coodie-sync", "get", 1, 950, 500, "scylla-driver"))
    f.write(line("coodie", "sync-caller", "get", 1, 2000, 50))
    f.write(line("coodie", "driver", "driver_insert", 1, 1800, 75))
    f.write(line("coodie", "driver-caller", "driver_insert", 1, 1900, 40))
    f.write(line("rust", "driver", "driver_insert", 1, 2000, 50))
    # A driver workload with only driver-caller measured, and a Python variant whose runs all
    # failed (it prints zeros): neither may lend its figures to another front.
    f.write(line("coodie", "driver-caller", "driver_select_unpaged", 1, 2500, 40))
    f.write(line("rust", "driver", "driver_select_unpaged", 1, 2000, 50))
    f.write(line("python", "coodie-async", "get", 64, 0, 0, "cassandra-driver"))
    f.write(line("python", "coodie-async", "get", 64, 3000, 300, "scylla-driver"))
PY
  run /usr/bin/python3 "$COODIE_ROOT/bench/peers/report.py" "$WORK/out"
  assert_success
  run cat "$WORK/out/report.md"
  # coodie sync's median CPU is 80, aio's 75; Python coodie sync's leaner driver is
  # scylla-driver's 500: 500/80 and 500/50.
  assert_line "| get | 80.0 | 50.0 | 75.0 | 1.07x | 0.67x | 72.0 | – | 500 | – | 400 | 6.25x | 10x |"
  assert_line "| get | 21,000 / 8.00 | 3,000 / 300 | 7.00x | 38x | 46,200 / 5.60 | – |"
  assert_line "| driver_insert | 1 | 1,800 / 75.0 | 1,900 / 40.0 | 2,000 / 50.0 | 0.90 / 0.95 | 1.50 / 0.80 |"
  assert_line "| driver_select_unpaged | 1 | – | 2,500 / 40.0 | 2,000 / 50.0 | – / 1.25 | – / 0.80 |"
  refute_output --partial "None"
}
