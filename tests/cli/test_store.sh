#!/usr/bin/env bash
# test_store.sh — black-box tests of the store commands on a real SQLite
# file: ingest (idempotent re-runs, replaced documents, syndicated copies,
# bad databases, a kill -9 half-way), control, timeline, held-by, events,
# stats and export (text and --json), on the made-up reports of
# tests/golden/store (see its README.md).
. "$(dirname "$0")/lib.sh"
G="$(cd "$(dirname "$0")/../golden/store" && pwd)"
DB="$T/x.db"
S() { "$SITREP" "$@"; }
# the system Python when there is one (a version-manager shim costs a second a call)
PY=$(command -v /usr/bin/python3 || command -v python3)
python3() { "$PY" "$@"; }
sql() { sqlite3 "$DB" "$1"; }
json_ok() { python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$1"; }
jsonl_ok() { python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$1"; }
# jget FILE EXPR: a Python expression over the JSON document `d`
jget() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }
eq() { [ "$1" = "$2" ] || { echo "  got '$1', wanted '$2'" >&2; return 1; }; }

# --- usage
expect_rc 0 "ingest --help" S ingest --help >"$T/h"
check "help names the default database" hasF "$T/h" "sitrep.db"
for c in control timeline held-by events stats export; do
    expect_rc 0 "$c --help" S "$c" --help >/dev/null
done
expect_rc 2 "ingest without inputs" S ingest --db "$DB" 2>/dev/null
expect_rc 2 "ingest unknown option" S ingest --db "$DB" --bogus "$G/a1.txt" 2>/dev/null
expect_rc 2 "ingest refuses --jobs (one writer)" S ingest --db "$T/jobs.db" --jobs 2 "$G/a1.txt" 2>/dev/null
check "ingest --jobs wrote no database" test ! -e "$T/jobs.db"
expect_rc 2 "control without place" S control --db "$DB" 2>/dev/null

# --- a query on a database that does not exist fails and creates nothing
expect_rc 1 "control on a missing database" S control --db "$T/none.db" Palmyra 2>"$T/e"
check "missing database named" hasF "$T/e" "none.db"
check "missing database not created" test ! -e "$T/none.db"

# --- ingest
expect_rc 0 "ingest" S ingest --db "$DB" --manifest "$G/manifest.jsonl" "$G"/*.txt 2>"$T/e"
check "ingest summary" has "$T/e" "7 read, 7 stored (0 replaced), 0 already stored, 1 syndicated"
check "no progress line off a terminal" lacks "$T/e" $'\r'
check "WAL mode" eq "$(sql 'PRAGMA journal_mode')" wal
check "schema version" eq "$(sql 'PRAGMA user_version')" 4
check "body stored as spans of the text" eq "$(sql "SELECT body = '' AND segs LIKE '[[%]]' FROM doc WHERE name = 'raqqa'")" 1
check "documents" eq "$(sql 'SELECT count(*) FROM doc')" 7
check "syndicated copy points at its origin" \
    eq "$(sql "SELECT o.name FROM doc d JOIN doc o ON o.id = d.origin WHERE d.name = 'palmyra-copy'")" palmyra-wire
# every record `sitrep extract` gives for these documents is stored, once
NREC=$("$SITREP" extract --quiet --manifest "$G/manifest.jsonl" "$G"/*.txt | wc -l)
check "records stored" eq "$(sql 'SELECT count(*) FROM event')" "$NREC"
check "records: at least one per document" test "$NREC" -ge 7
check "no dirty place left" eq "$(sql 'SELECT count(*) FROM dirty_place')" 0
check "evidence spans point at the sentence" \
    eq "$(sql "SELECT substr(CAST(d.text AS BLOB), e.ev_start + 1, 8) FROM event e JOIN doc d ON d.id = e.doc WHERE d.name = 'qaim-taken'")" "Iraqi fo"
snap() { sql "SELECT (SELECT count(*) FROM doc), (SELECT count(*) FROM mention), (SELECT count(*) FROM event),
                     (SELECT count(*) FROM fact), (SELECT count(*) FROM span), (SELECT group_concat(hash) FROM doc)"; }
before=$(snap)

# --- --events: records from `sitrep extract`, stored with their documents
"$SITREP" extract --quiet --manifest "$G/manifest.jsonl" "$G"/*.txt >"$T/ev.jsonl"
expcsv() { S export --db "$1" --format csv | sort; }
expect_rc 0 "ingest --no-extract --events" S ingest --quiet --db "$T/ev1.db" --no-extract --events "$T/ev.jsonl" \
    --manifest "$G/manifest.jsonl" "$G"/*.txt
check "--events: the records of extraction" eq "$(sqlite3 "$T/ev1.db" 'SELECT count(*), count(more) FROM event')" \
    "$(sql 'SELECT count(*), count(more) FROM event')"
check "--events: the same facts as extraction" eq "$(expcsv "$T/ev1.db" | md5sum)" "$(expcsv "$DB" | md5sum)"
# records of one document apart in the file (every other line, then the rest): gathered all the same
awk 'NR % 2' "$T/ev.jsonl" >"$T/ev-mixed.jsonl"; awk '!(NR % 2)' "$T/ev.jsonl" >>"$T/ev-mixed.jsonl"
expect_rc 0 "ingest --events, a document's records apart" S ingest --quiet --db "$T/ev4.db" --no-extract \
    --events "$T/ev-mixed.jsonl" --manifest "$G/manifest.jsonl" "$G"/*.txt
check "--events apart: the same records" eq "$(sqlite3 "$T/ev4.db" 'SELECT count(*), count(more) FROM event')" \
    "$(sql 'SELECT count(*), count(more) FROM event')"
check "--events apart: the same facts" eq "$(expcsv "$T/ev4.db" | md5sum)" "$(expcsv "$DB" | md5sum)"
S ingest --quiet --db "$T/ev2.db" --no-extract --manifest "$G/manifest.jsonl" "$G"/*.txt
expect_rc 0 "--events for documents stored before" S ingest --quiet --db "$T/ev2.db" --events "$T/ev.jsonl"
check "--events later: the same facts" eq "$(expcsv "$T/ev2.db" | md5sum)" "$(expcsv "$DB" | md5sum)"
{ head -1 "$T/ev.jsonl"; echo '{"doc": broken'; echo '{"doc":"nowhere","type":"clash"}'; } >"$T/ev3.jsonl"
expect_rc 1 "--events with a bad line" S ingest --db "$T/ev2.db" --events "$T/ev3.jsonl" 2>"$T/e"
check "--events: bad line named" has "$T/e" "ev3.jsonl:2: byte"
check "--events: unknown document warned" has "$T/e" "warning: .*ev3.jsonl:3: nowhere: no stored document"

# --- a progress line on a terminal (script(1) gives the command one)
if command -v script >/dev/null 2>&1; then
    script -qec "'$SITREP' ingest --db '$T/tty.db' '$G/a1.txt' '$G/b1.txt'" /dev/null >"$T/tty" 2>&1
    check "progress on a terminal" has "$T/tty" $'\r.*100% ingest: 2 read'
fi

# --- idempotency: the same input again stores nothing new
expect_rc 0 "re-ingest" S ingest --db "$DB" --manifest "$G/manifest.jsonl" "$G"/*.txt 2>"$T/e"
check "re-ingest skips everything" has "$T/e" "7 read, 0 stored (0 replaced), 7 already stored"
check "re-ingest changes no count" eq "$(snap)" "$before"
S ingest --json --quiet --db "$DB" --manifest "$G/manifest.jsonl" "$G"/*.txt >"$T/o"
check "ingest --json parses" json_ok "$T/o"
check "ingest --json: nothing new" eq "$(jget "$T/o" '(d["read"], d["stored"], d["already_stored"], d["bytes"] > 0)')" "(7, 0, 7, True)"
expect_rc 0 "ingest --quiet" S ingest --quiet --db "$DB" --manifest "$G/manifest.jsonl" "$G/a1.txt" 2>"$T/e"
check "--quiet is quiet" test ! -s "$T/e"

# --- derived tables lost (as after a kill during the refresh): the next run rebuilds them
cp "$DB" "$T/lost.db"
sqlite3 "$T/lost.db" "DELETE FROM span; DELETE FROM fact; INSERT OR IGNORE INTO dirty_place SELECT DISTINCT place FROM event WHERE place IS NOT NULL;"
expect_rc 0 "ingest with nothing new" S ingest --db "$T/lost.db" --manifest "$G/manifest.jsonl" "$G"/*.txt 2>"$T/e"
check "it refreshes the dirty places" has "$T/e" "0 stored.*3 places refreshed"
check "facts and spans rebuilt" eq "$(sqlite3 "$T/lost.db" 'SELECT (SELECT count(*) FROM fact), (SELECT count(*) FROM span)')" \
    "$(sql 'SELECT (SELECT count(*) FROM fact), (SELECT count(*) FROM span)')"

expect_rc 0 "ingest --refresh-all" S ingest --db "$T/lost.db" --refresh-all 2>"$T/e"
check "--refresh-all rebuilds every place" has "$T/e" "0 read.* 3 places refreshed"
check "--refresh-all: same facts" eq "$(sqlite3 "$T/lost.db" 'SELECT count(*) FROM fact')" "$(sql 'SELECT count(*) FROM fact')"

# --- control
S control --db "$DB" Palmyra --at 2016-01-01 >"$T/o"
check "Palmyra 2016-01-01 ISIS" hasF "$T/o" "Islamic State [ISIS]"
S control --db "$DB" Palmyra --at 2016-04-01 --json >"$T/o"
check "control --json parses" json_ok "$T/o"
check "control holder id" eq "$(jget "$T/o" 'd["holder"]["id"]')" SYRIA_GOV
check "control holder name" eq "$(jget "$T/o" 'd["holder"]["name"]')" "Syrian government forces"
check "control place" eq "$(jget "$T/o" '(d["place"]["name"], d["place"]["geonameid"], round(d["place"]["lat"]), round(d["place"]["lon"]))')" "('Tadmur', 163808, 35, 38)"
check "control date and since" eq "$(jget "$T/o" '(d["date"], d["since"], d["status"])')" "('2016-04-01', '2016-03-27', 'held')"
check "two independent origins, three sources" eq "$(jget "$T/o" '(d["origins"], len(d["sources"]))')" "(2, 3)"
check "sources carry their evidence" \
    eq "$(jget "$T/o" 'sorted(s["doc"] for s in d["sources"] if "Palmyra" in s["evidence"]["text"])')" \
    "['palmyra-copy', 'palmyra-monitor', 'palmyra-wire']"
S control --db "$DB" Palmyra --at 2015-01-01 --json >"$T/o"
check "before any report: holder null" eq "$(jget "$T/o" '(d["holder"], d["status"])')" "(None, 'unknown')"
for name in Tadmur 163808 "palmyra" "Palmira"; do
    S control --db "$DB" "$name" --at 2016-04-01 --json >"$T/o" 2>"$T/e"
    check "place by '$name'" eq "$(jget "$T/o" 'd["place"]["geonameid"]')" 163808
done
S control --db "$DB" "Al-Qaim" --at 2017-11-05 --json >"$T/o"
check "Qaim contested" eq "$(jget "$T/o" '(d["holder"]["id"], d["status"])')" "('IRAQ_GOV', 'contested')"
check "Qaim contrary report linked" eq "$(jget "$T/o" '[s["doc"] for s in d["contrary"]]')" "['qaim-fighting']"
S control --db "$DB" Qaim --at 2017-11-05 >"$T/o"
check "control text says contested" hasF "$T/o" "CONTESTED"
check "control text lists the contrary report" hasF "$T/o" "contrary reports:"
expect_rc 1 "unknown place" S control --db "$DB" "Xyzzyville" 2>"$T/e"
check "unknown place message" hasF "$T/e" "Xyzzyville"
expect_rc 2 "bad date" S control --db "$DB" Palmyra --at 2016-13-45 2>/dev/null

# --- timeline
S timeline --db "$DB" Palmyra >"$T/o"
check "timeline has both holders in order" eq "$(grep -o '\[[A-Z_]*\]' "$T/o" | tr -d '[]' | tr '\n' ' ')" "ISIS SYRIA_GOV "
check "timeline shows the syndicated copy" hasF "$T/o" "copy of palmyra-wire"
S timeline --db "$DB" Palmyra --json >"$T/o"
check "timeline --json parses" json_ok "$T/o"
check "timeline spans" eq "$(jget "$T/o" '[(s["holder"]["id"], s["since"], s["until"]) for s in d["spans"]]')" \
    "[('ISIS', '2015-05-20', '2016-03-27'), ('SYRIA_GOV', '2016-03-27', None)]"

# --- held-by
S held-by --db "$DB" ISIS --at 2016-01-01 >"$T/o"
check "held-by text" hasF "$T/o" "Tadmur"
S held-by --db "$DB" SYRIA_GOV --at 2016-01-01 --json >"$T/o"
check "held-by --json, nothing yet" eq "$(jget "$T/o" 'd["count"]')" 0
S held-by --db "$DB" "Syrian government forces" --at 2016-06-01 --json >"$T/o"
check "held-by by actor name, with population" eq "$(jget "$T/o" '(d["count"], d["places"][0]["place"]["geonameid"], d["population"] > 0)')" "(1, 163808, True)"
expect_rc 2 "held-by without --at" S held-by --db "$DB" ISIS 2>/dev/null
expect_rc 1 "held-by unknown actor" S held-by --db "$DB" NOBODY --at 2016-01-01 2>/dev/null

# --- events
S events --db "$DB" >"$T/o"
check "events: one line per fact" eq "$(wc -l <"$T/o")" 5
S events --db "$DB" --place Palmyra --json >"$T/o"
check "events --json is JSON lines" jsonl_ok "$T/o"
check "events --place" eq "$(wc -l <"$T/o")" 2
S events --db "$DB" --type clash --json >"$T/o"
check "events --type" eq "$(python3 -c 'import json,sys; print([json.loads(l)["place"]["geonameid"] for l in open(sys.argv[1])])' "$T/o")" "[92138]"
S events --db "$DB" --actor ISIS >"$T/o"
check "events --actor" eq "$(wc -l <"$T/o")" 3
S events --db "$DB" --from 2017-01-01 --to 2017-10-31 >"$T/o"
check "events --from --to" eq "$(wc -l <"$T/o")" 1
check "events text" hasF "$T/o" "control_change  SDF"

# --- stats
S stats --db "$DB" --actor SYRIA_GOV --by month --json >"$T/o"
check "stats --json parses" json_ok "$T/o"
check "stats months" eq "$(jget "$T/o" '[(m["month"], m["places"]) for m in d["rows"]][:2]')" "[('2016-03', 1), ('2016-04', 1)]"
S stats --db "$DB" --actor ISIS >"$T/o"
check "stats text" has "$T/o" "^2015-05 *1"

# --- export
S export --db "$DB" --format jsonl >"$T/o"
check "export jsonl" jsonl_ok "$T/o"
check "export jsonl one line per fact" eq "$(wc -l <"$T/o")" 5
S export --db "$DB" --format geojson >"$T/o"
check "export geojson" eq "$(jget "$T/o" '(d["type"], len(d["features"]), d["features"][0]["geometry"]["type"])')" "('FeatureCollection', 5, 'Point')"
S export --db "$DB" --format csv >"$T/o"
check "export csv header" eq "$(head -1 "$T/o")" "event_date,event_type,sub_event_type,actor1,actor2,location,latitude,longitude,source,notes"
check "export csv rows" eq "$(python3 -c 'import csv,sys; print(len(list(csv.reader(open(sys.argv[1])))))' "$T/o")" 6
expect_rc 2 "export bad format" S export --db "$DB" --format xml 2>/dev/null

# --- a new version of a document replaces the old one and its records
mkdir -p "$T/v2"
sed 's/on Sunday/on Saturday/' "$G/b1.txt" >"$T/v2/b1.txt"
expect_rc 0 "ingest a changed document" S ingest --db "$DB" --manifest "$G/manifest.jsonl" "$T/v2/b1.txt" 2>"$T/e"
check "changed document replaced" has "$T/e" "1 stored (1 replaced)"
check "still one palmyra-monitor" eq "$(sql "SELECT count(*) FROM doc WHERE name = 'palmyra-monitor'")" 1
check "its record redated" eq "$(sql "SELECT e.date FROM event e JOIN doc d ON d.id = e.doc WHERE d.name = 'palmyra-monitor'")" 2016-03-26
check "no orphan records" eq "$(sql 'SELECT count(*) FROM event WHERE doc NOT IN (SELECT id FROM doc)')" 0
# the refresh rebuilt Palmyra's facts with foreign keys off: nothing dangles
check "refresh: foreign keys hold" eq "$(sql 'PRAGMA foreign_key_check' | wc -l)" 0
check "refresh: no orphan fact rows" eq "$(sql 'SELECT (SELECT count(*) FROM fact_source WHERE fact NOT IN (SELECT id FROM fact))
  + (SELECT count(*) FROM span_fact WHERE span NOT IN (SELECT id FROM span) OR fact NOT IN (SELECT id FROM fact))
  + (SELECT count(*) FROM fact_conflict WHERE other NOT IN (SELECT id FROM fact))')" 0
check "refresh: foreign keys back on" eq "$(S ingest --db "$DB" --json --quiet "$T/v2/b1.txt" --manifest "$G/manifest.jsonl" >/dev/null; sql 'PRAGMA foreign_key_check' | wc -l)" 0

# --- default database path: $SITREP_DB, else ./sitrep.db
mkdir -p "$T/cwd"
(cd "$T/cwd" && S ingest --quiet "$G/e1.txt") 
check "default ./sitrep.db" test -s "$T/cwd/sitrep.db"
(cd "$T/cwd" && SITREP_DB="$T/env.db" S ingest --quiet "$G/e1.txt")
check "\$SITREP_DB" test -s "$T/env.db"

# --- bad databases: a clear error and the file left as it was
printf 'not a database at all\n' >"$T/text.db"
cp "$T/text.db" "$T/text.orig"
expect_rc 1 "ingest into a text file" S ingest --db "$T/text.db" "$G/a1.txt" 2>"$T/e"
check "text file: message" hasF "$T/e" "not a sitrep database"
check "text file unchanged" cmp -s "$T/text.db" "$T/text.orig"
expect_rc 1 "query a text file" S control --db "$T/text.db" Palmyra 2>/dev/null
sqlite3 "$T/other.db" "CREATE TABLE t(x); INSERT INTO t VALUES(1);"
cp "$T/other.db" "$T/other.orig"
expect_rc 1 "ingest into another program's database" S ingest --db "$T/other.db" "$G/a1.txt" 2>"$T/e"
check "foreign database: message" hasF "$T/e" "not a sitrep database"
check "foreign database unchanged" cmp -s "$T/other.db" "$T/other.orig"
check "foreign database: no sitrep tables" eq "$(sqlite3 "$T/other.db" "SELECT count(*) FROM sqlite_master")" 1
cp "$DB" "$T/new.db"
sqlite3 "$T/new.db" "PRAGMA user_version=99"
sqlite3 "$T/new.db" "PRAGMA journal_mode=DELETE" >/dev/null
cp "$T/new.db" "$T/new.orig"
expect_rc 1 "ingest into a newer schema" S ingest --db "$T/new.db" "$G/a1.txt" 2>"$T/e"
check "newer schema: message" hasF "$T/e" "newer than this sitrep"
check "newer schema unchanged" cmp -s "$T/new.db" "$T/new.orig"
expect_rc 1 "query a newer schema" S control --db "$T/new.db" Palmyra 2>"$T/e"
check "query newer schema: message" hasF "$T/e" "newer"
expect_rc 1 "a directory as --db" S ingest --db "$T" "$G/a1.txt" 2>"$T/e"
check "directory: message" hasF "$T/e" "is a directory"

# --- files of schema 3, 2 and 1 are migrated by ingest (and only by ingest).
# A schema-3 file made from this one: a fact's records and conflicts and a
# span's facts back in tables of rows.
MQ="SELECT doc, start, end, sent, place, text, printf('%.6f', score) FROM mention ORDER BY doc, start, end"
sql "$MQ" >"$T/mentions"
check "mentions: some" test -s "$T/mentions"
LQ="SELECT 's', * FROM fact_source UNION ALL SELECT 'c', fact, other FROM fact_conflict
  UNION ALL SELECT 'f', span, fact || ':' || contrary FROM span_fact ORDER BY 1, 2, 3"
sql "$LQ" >"$T/links"
check "fact links: some of each" eq "$(cut -c1 "$T/links" | sort -u | tr -d '\n')" cfs
cp "$DB" "$T/v3.db"
sqlite3 "$T/v3.db" "CREATE TABLE fs AS SELECT * FROM fact_source; CREATE TABLE fc AS SELECT * FROM fact_conflict;
  CREATE TABLE sf AS SELECT * FROM span_fact; DROP VIEW fact_source; DROP VIEW fact_conflict; DROP VIEW span_fact;
  CREATE TABLE fact_source(fact INTEGER NOT NULL REFERENCES fact(id) ON DELETE CASCADE,
    event INTEGER NOT NULL REFERENCES event(id) ON DELETE CASCADE, PRIMARY KEY(fact, event)) WITHOUT ROWID;
  CREATE INDEX fact_source_event ON fact_source(event);
  CREATE TABLE fact_conflict(fact INTEGER NOT NULL REFERENCES fact(id) ON DELETE CASCADE,
    other INTEGER NOT NULL REFERENCES fact(id) ON DELETE CASCADE, PRIMARY KEY(fact, other)) WITHOUT ROWID;
  CREATE TABLE span_fact(span INTEGER NOT NULL REFERENCES span(id) ON DELETE CASCADE,
    fact INTEGER NOT NULL REFERENCES fact(id) ON DELETE CASCADE, contrary INTEGER NOT NULL,
    PRIMARY KEY(span, fact)) WITHOUT ROWID;
  INSERT INTO fact_source SELECT * FROM fs; INSERT INTO fact_conflict SELECT * FROM fc; INSERT INTO span_fact SELECT * FROM sf;
  DROP TABLE fs; DROP TABLE fc; DROP TABLE sf;
  ALTER TABLE fact DROP COLUMN sources; ALTER TABLE fact DROP COLUMN conflicts; ALTER TABLE span DROP COLUMN facts;
  PRAGMA user_version=3;"
# An older file: a query refuses it and says to migrate; ingest brings it
# to schema 4 (the checks each old schema below then adds its own).
migrates() {
    expect_rc 1 "query a schema-$1 file" S control --db "$T/v$1.db" Palmyra 2>"$T/e"
    check "schema-$1 query: says to migrate" hasF "$T/e" "run sitrep ingest to migrate"
    expect_rc 0 "ingest migrates schema $1" S ingest --quiet --db "$T/v$1.db" --manifest "$G/manifest.jsonl" "$G/e1.txt"
    check "migrated $1 to 4" eq "$(sqlite3 "$T/v$1.db" 'PRAGMA user_version')" 4
}
cp "$T/v3.db" "$T/v2.db"
migrates 3
check "migrated: fact links kept (views)" eq "$(sqlite3 "$T/v3.db" "$LQ" | md5sum)" "$(md5sum <"$T/links")"
check "migrated 3: same export" eq "$(S export --db "$T/v3.db" --format jsonl | md5sum)" "$(S export --db "$DB" --format jsonl | md5sum)"
check "migrated 3: same timeline" eq "$(S timeline --db "$T/v3.db" Palmyra --json | md5sum)" "$(S timeline --db "$DB" Palmyra --json | md5sum)"
check "migrated 3: integrity" eq "$(sqlite3 "$T/v3.db" 'PRAGMA integrity_check; PRAGMA foreign_key_check')" ok
# A schema-2 file made from the schema-3 one: mentions back in a table of rows.
sqlite3 "$T/v2.db" "CREATE TABLE m2 AS SELECT * FROM mention; DROP VIEW mention;
  CREATE TABLE mention(id INTEGER PRIMARY KEY, doc INTEGER NOT NULL REFERENCES doc(id) ON DELETE CASCADE,
    start INTEGER NOT NULL, end INTEGER NOT NULL, sent INTEGER, place INTEGER REFERENCES place(id), text TEXT, score REAL);
  CREATE INDEX mention_doc ON mention(doc); CREATE INDEX mention_place ON mention(place);
  INSERT INTO mention(doc, start, end, sent, place, text, score) SELECT * FROM m2; DROP TABLE m2;
  ALTER TABLE doc DROP COLUMN mentions; CREATE INDEX doc_published ON doc(published);
  CREATE TABLE doc_band(key INTEGER NOT NULL, band INTEGER NOT NULL,
    doc INTEGER NOT NULL REFERENCES doc(id) ON DELETE CASCADE, PRIMARY KEY(key, band, doc)) WITHOUT ROWID;
  INSERT INTO doc_band SELECT j.value, j.key, b.doc FROM band b, json_each('[' || replace(b.keys, ' ', ',') || ']') j;
  DROP TABLE band; DROP INDEX span_start_fact; CREATE INDEX span_fact_fact ON span_fact(fact);
  CREATE INDEX fact_conflict_other ON fact_conflict(other); PRAGMA user_version=2;"
cp "$T/v2.db" "$T/v1.db"
migrates 2
check "migrated: mentions kept (view)" eq "$(sqlite3 "$T/v2.db" "$MQ" | md5sum)" "$(md5sum <"$T/mentions")"
check "migrated: same export" eq "$(S export --db "$T/v2.db" --format jsonl | md5sum)" "$(S export --db "$DB" --format jsonl | md5sum)"
check "migrated: band keys kept" eq "$(sqlite3 "$T/v2.db" 'SELECT doc, keys FROM band ORDER BY doc' | md5sum)" \
    "$(sql 'SELECT doc, keys FROM band ORDER BY doc' | md5sum)"
check "migrated: integrity" eq "$(sqlite3 "$T/v2.db" 'PRAGMA integrity_check; PRAGMA foreign_key_check')" ok
sqlite3 "$T/v1.db" "ALTER TABLE doc DROP COLUMN segs; PRAGMA user_version=1;"
migrates 1
check "migration rebuilt every place" eq "$(sqlite3 "$T/v1.db" 'SELECT count(*) FROM dirty_place')" 0
check "migrated: documents kept" eq "$(sqlite3 "$T/v1.db" 'SELECT count(*) FROM doc')" "$(sql 'SELECT count(*) FROM doc')"
S control --db "$T/v1.db" Palmyra --at 2016-04-01 --json >"$T/o"
check "migrated: still answers" eq "$(jget "$T/o" 'd["holder"]["id"]')" SYRIA_GOV

# --- kill -9 half-way: the database stays consistent and a re-run completes
N=3000
python3 - "$G" "$N" >"$T/big.jsonl" <<'PY'
import json, sys
g, n = sys.argv[1], int(sys.argv[2])
man = [json.loads(l) for l in open(g + "/manifest.jsonl")]
for i in range(n):
    m = man[i % len(man)]
    text = open(g + "/" + m["file"]).read() + "\nBulletin %d.\n" % i
    print(json.dumps({"id": "r%d-%s" % (i, m["id"]), "text": text, "published": m["published"], "source": m["source"]}))
PY
CDB="$T/crash.db"
"$SITREP" ingest --quiet --batch 50 --db "$CDB" "$T/big.jsonl" &   # not through S(): kill must reach sitrep itself
pid=$!
# killed as soon as a first batch is committed (a fixed sleep let a fast
# ingest finish first): the kill lands in the middle of the documents
for _ in $(seq 1 500); do
    kill -0 "$pid" 2>/dev/null || break
    [ -s "$CDB" ] && [ "$(sqlite3 "$CDB" 'SELECT count(*) FROM doc' 2>/dev/null || echo 0)" -gt 0 ] && break
    sleep 0.01
done
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
got=$(sqlite3 "$CDB" "SELECT count(*) FROM doc" 2>/dev/null || echo 0)
echo "  (killed after $got of $N documents)" >&2
check "after kill: integrity_check" eq "$(sqlite3 "$CDB" 'PRAGMA integrity_check')" ok
check "after kill: foreign keys hold" eq "$(sqlite3 "$CDB" 'PRAGMA foreign_key_check' | wc -l)" 0
check "after kill: whole batches only" eq "$(( got % 50 == 0 || got == N ))" 1
expect_rc 0 "re-run after kill" S ingest --batch 50 --db "$CDB" "$T/big.jsonl" 2>"$T/e"
check "re-run stores the rest" hasF "$T/e" "$N read, $((N - got)) stored (0 replaced), $got already stored"
check "re-run: all documents" eq "$(sqlite3 "$CDB" 'SELECT count(*) FROM doc')" "$N"
check "re-run: all records" eq "$(sqlite3 "$CDB" 'SELECT count(*) FROM event')" "$("$SITREP" extract --quiet "$T/big.jsonl" | wc -l)"
check "re-run: nothing dirty" eq "$(sqlite3 "$CDB" 'SELECT count(*) FROM dirty_place')" 0
check "re-run: same facts as one clean run" eq "$(sqlite3 "$CDB" 'SELECT count(*) FROM fact')" 5
check "re-run: integrity_check" eq "$(sqlite3 "$CDB" 'PRAGMA integrity_check')" ok
check "copies count as one origin" eq "$(S control --db "$CDB" Palmyra --at 2016-04-01 --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["origins"], len(d["sources"]) > 100)')" "2 True"

finish
