#!/usr/bin/env bash
# The built-in example: the whole sitrep job on examples/ (short reports
# written for the project, not copied from any publication): article text,
# place mentions, event records, then a database and the control picture.
set -euo pipefail
cd "$(dirname "$0")/.."
M=examples/manifest.jsonl
DB=build/example.db
echo "== sitrep clean: article text"
build/sitrep clean --manifest "$M" examples/report1.txt
echo "== sitrep places: place mentions"
build/sitrep places --manifest "$M" examples/report1.txt
echo "== sitrep extract: event and control records"
build/sitrep extract --manifest "$M" examples/*.txt
echo "== sitrep ingest --db $DB, then who held Mayadin and Albu Kamal on 2017-10-20"
rm -f "$DB" "$DB-wal" "$DB-shm"
build/sitrep ingest --db "$DB" --manifest "$M" examples/*.txt
build/sitrep control Mayadin --at 2017-10-20 --db "$DB"
build/sitrep control "Abu Kamal" --at 2017-10-20 --db "$DB"
