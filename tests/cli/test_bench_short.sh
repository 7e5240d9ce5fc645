#!/usr/bin/env bash
# test_bench_short.sh — the benchmark's short mode (5 MB of real articles from
# ../shared, clean and extract, 3 runs) compared with bench/baseline.tsv.
# It prints the comparison; it is not enforced here because the shared
# 2-core machines are too noisy for a 30% threshold (run
# `build/bench/bench --short --enforce` to enforce it).
B=$(dirname "$SITREP")
cd "$(dirname "$0")/../.."
"$B/bench/bench" --short --sitrep "$SITREP"
