# shellcheck shell=bash
# The result counting of scripts/test, sourced by it (and by its bats tests): every check adds its
# passed and failed counts and one summary line; the run fails when any check failed.
#
#   results_init
#   results_add NAME PASSED FAILED [NOTE]     one summary line "NAME: P passed, F failed[ (NOTE)]"
#   results_ctest NAME FILE                   counts from a saved ctest output
#   results_tap NAME FILE                     counts from TAP (bats --tap): "ok N" / "not ok N"
#   results_check NAME COMMAND...             runs COMMAND: one passed or one failed
#   results_print                             the summary lines, then "P passed, F failed"
#   results_ok                                true when nothing failed and something ran

results_init() {
  results_passed=0
  results_failed=0
  results_lines=()
}

results_add() {
  local name=$1 passed=$2 failed=$3 note=${4:-}
  results_passed=$((results_passed + passed))
  results_failed=$((results_failed + failed))
  results_lines+=("$name: $passed passed, $failed failed${note:+ ($note)}")
}

# A ctest run that printed no "N tests failed out of M" line (it crashed, or its build or
# configure step failed first) counts as one failure, never as nothing.
results_ctest() {
  local name=$1 file=$2 line
  line=$(grep -E '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$file" | tail -n 1 || true)
  if [[ -z $line ]]; then
    results_add "$name" 0 1 "ctest produced no result"
    return
  fi
  local failed total
  failed=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")
  total=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\2/' <<<"$line")
  if ((total == 0)); then
    results_add "$name" 0 1 "no tests matched"
  else
    results_add "$name" $((total - failed)) "$failed"
  fi
}

# TAP as bats prints it; a plan ("1..N") that promises more results than arrived counts the
# missing ones as failures (the runner died part way).
# A skipped test ("ok N name # skip reason") is neither passed nor failed: it is named in the
# note, so that a suite that skips what it should run does not read as a pass.
results_tap() {
  local name=$1 file=$2 ok not_ok skipped planned note=""
  ok=$(grep -cE '^ok [0-9]+' "$file" || true)
  skipped=$(grep -cE '^ok [0-9]+.* # skip' "$file" || true)
  not_ok=$(grep -cE '^not ok [0-9]+' "$file" || true)
  planned=$(sed -nE 's/^1\.\.([0-9]+)$/\1/p' "$file" | head -n 1)
  ((skipped == 0)) || note="$skipped skipped"
  if [[ -z $planned ]]; then
    results_add "$name" $((ok - skipped)) $((not_ok + 1)) "no TAP plan${note:+, $note}"
  elif ((ok + not_ok < planned)); then
    results_add "$name" $((ok - skipped)) $((planned - ok)) \
      "$((planned - ok - not_ok)) never reported${note:+, $note}"
  else
    results_add "$name" $((ok - skipped)) "$not_ok" "$note"
  fi
}

results_check() {
  local name=$1
  shift
  if "$@"; then
    results_add "$name" 1 0
  else
    results_add "$name" 0 1
  fi
}

results_print() {
  local line
  for line in "${results_lines[@]}"; do
    echo "test: $line"
  done
  echo "$results_passed passed, $results_failed failed"
}

results_ok() {
  ((results_failed == 0 && results_passed > 0))
}
