#!/usr/bin/env bash
# test_example.sh — the built-in example (scripts/example.sh, run by setup.sh)
# works end to end: clean, places, extract, ingest and the control query.
. "$(dirname "$0")/lib.sh"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
expect_rc 0 "example runs" bash "$ROOT/scripts/example.sh" >"$T/o" 2>"$T/e"
check "example: Mayadin taken by government forces" has "$T/o" 'Syrian government forces \[SYRIA_GOV\]'
check "example: Albu Kamal held by IS" has "$T/o" 'Islamic State \[ISIS\]'
"$SITREP" control Mayadin --at 2017-10-20 --json --db "$ROOT/build/example.db" >"$T/j"
check "control --json holder" hasF "$T/j" '"id":"SYRIA_GOV"'
check "control --json place id" hasF "$T/j" '"geonameid":173480'
finish
