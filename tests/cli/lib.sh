# lib.sh — helpers for the command-line test suites (sourced).
# Each check counts; `finish` prints "N passed, N failed" and sets the exit code.
set -u
: "${SITREP:?SITREP must point at the sitrep binary}"
PASS=0; FAIL=0
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
ok()   { PASS=$((PASS+1)); }
bad()  { FAIL=$((FAIL+1)); echo "FAIL: $*" >&2; }
# check DESCRIPTION COMMAND... : the command must succeed
check() { local d=$1; shift; if "$@"; then ok; else bad "$d"; fi; }
# expect_rc RC DESCRIPTION COMMAND... : the command's exit status must be RC
expect_rc() { local rc=$1 d=$2; shift 2; "$@"; local got=$?; if [ "$got" = "$rc" ]; then ok; else bad "$d (exit $got, wanted $rc)"; fi; }
has()  { grep -q -- "$2" "$1"; }          # file contains (regex)
hasF() { grep -qF -- "$2" "$1"; }         # file contains (fixed)
lacks() { ! grep -qF -- "$2" "$1"; }
finish() { echo "$(basename "$0"): $PASS passed, $FAIL failed"; [ "$FAIL" -eq 0 ]; }
