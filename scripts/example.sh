#!/usr/bin/env bash
# The built-in example: sitrep on examples/ (short reports written for the
# project, not copied from any publication).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== sitrep clean examples/report1.txt"
build/sitrep clean --manifest examples/manifest.jsonl examples/report1.txt
