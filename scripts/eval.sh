#!/usr/bin/env bash
# eval.sh [extract|places|events|all] — run sitrep on the evaluation kit in
# ../shared/eval and print each scorer's summary line.  Nothing here is a test:
# the figures go into closing notes and bench/README.md.  Outputs are kept in
# build/eval/ so the errors can be read afterwards (score_*.py --show-errors).
set -euo pipefail
cd "$(dirname "$0")/.."
EV=${SITREP_EVAL:-../shared/eval}
S=build/sitrep
O=build/eval
what=${1:-all}
[ -d "$EV" ] || { echo "eval: $EV not found" >&2; exit 1; }
mkdir -p "$O"

if [ "$what" = extract ] || [ "$what" = all ]; then
    "$S" clean --quiet "$EV"/extract/html/*.html.gz |
        python3 -c 'import sys,json
for l in sys.stdin:
    o=json.loads(l); print(json.dumps({"doc":o["doc"],"text":o["text"]}))' >"$O/extract.jsonl"
    echo "== extract (181 pages)"
    python3 "$EV/score_extract.py" --system "$O/extract.jsonl" | tail -n 3
fi

if [ "$what" = places ] || [ "$what" = all ]; then
    for c in lgl trnews gwn; do
        "$S" places --quiet "$EV/geo/$c.docs.jsonl" >"$O/places-$c.jsonl"
        echo "== places $c"
        python3 "$EV/score_places.py" --corpus "$c" --system "$O/places-$c.jsonl" | tail -n 2
    done
fi

if [ "$what" = events ] || [ "$what" = all ]; then
    "$S" extract --quiet --manifest ../shared/corpus/seeds/manifest.jsonl \
        ../shared/corpus/seeds/*.txt >"$O/events-seeds.jsonl"
    echo "== events seeds"
    python3 "$EV/score_events.py" --gold "$EV/gold/seeds.jsonl" --system "$O/events-seeds.jsonl" | tail -n 1
    python3 "$EV/fakes_to_jsonl.py" --years 2014,2015,2016 >"$O/fakes-dev-docs.jsonl"
    "$S" extract --quiet "$O/fakes-dev-docs.jsonl" >"$O/events-fakes.jsonl"
    echo "== events fakes_dev"
    python3 "$EV/score_events.py" --gold "$EV/gold/fakes_dev.jsonl" --system "$O/events-fakes.jsonl" | tail -n 1
fi
