#!/usr/bin/env bash
# tests/run.sh BUILD_DIR — every test behind one command: the unit binaries
# (BUILD_DIR/tests/test_*), then the shell suites tests/cli/test_*.sh
# (black-box CLI and golden files).  Each suite ends with a line
# "NAME: N passed, N failed"; the closing line adds them all up.
set -u
B=${1:-build}
cd "$(dirname "$0")/.."
pass=0; fail=0; failed=()
run_suite() {   # name, command...
    local name=$1; shift
    local out rc
    out=$("$@" 2>&1); rc=$?
    local last; last=$(printf '%s\n' "$out" | tail -n 1)
    printf '%s\n' "$last"
    local p f
    p=$(printf '%s' "$last" | sed -n 's/.*[^0-9]\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed.*/\1/p')
    f=$(printf '%s' "$last" | sed -n 's/.*[^0-9]\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed.*/\2/p')
    pass=$((pass + ${p:-0})); fail=$((fail + ${f:-0}))
    if [ "$rc" -ne 0 ]; then
        [ -z "$f" ] || [ "$f" = 0 ] && fail=$((fail + 1))   # crashed or exited non-zero without counting
        failed+=("$name")
        printf '%s\n' "$out" | tail -n 40
    fi
}
for t in "$B"/tests/test_*; do
    [ -x "$t" ] || continue
    run_suite "$t" "$t"
done
for s in tests/cli/test_*.sh; do
    [ -f "$s" ] || continue
    run_suite "$s" env SITREP="$PWD/$B/sitrep" bash "$s"
done
echo
[ ${#failed[@]} -gt 0 ] && printf 'failed suite: %s\n' "${failed[@]}"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ ${#failed[@]} -eq 0 ]
