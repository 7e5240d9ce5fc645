#!/usr/bin/env bash
# tests/run.sh BUILD_DIR — every test behind one command: unit binaries,
# then the shell suites in tests/cli/*.sh (black-box CLI and golden files).
# Prints one closing line "N passed, N failed" (suites counted as units).
set -u
B=${1:-build}
cd "$(dirname "$0")/.."
pass=0; fail=0; failed=()
for t in "$B"/tests/test_*; do
    [ -x "$t" ] || continue
    if out=$("$t" 2>&1); then pass=$((pass+1)); else fail=$((fail+1)); failed+=("$t"); fi
    printf '%s\n' "$out" | tail -n 1
    [ -n "${VERBOSE:-}" ] && printf '%s\n' "$out"
    case " ${failed[*]-} " in *" $t "*) printf '%s\n' "$out" | head -n 40;; esac
done
for s in tests/cli/*.sh; do
    [ -f "$s" ] || continue
    if out=$(SITREP="$PWD/$B/sitrep" bash "$s" 2>&1); then pass=$((pass+1)); else fail=$((fail+1)); failed+=("$s"); fi
    printf '%s\n' "$out" | tail -n 1
    case " ${failed[*]-} " in *" $s "*) printf '%s\n' "$out" | tail -n 40;; esac
done
echo
[ ${#failed[@]} -gt 0 ] && printf 'failed: %s\n' "${failed[@]}"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
