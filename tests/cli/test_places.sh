#!/usr/bin/env bash
# test_places.sh — black-box tests of `sitrep places` and `sitrep gazetteer`:
# an image compiled from the small fixtures in tests/fixtures/places (so the
# figures do not move with the full gazetteer), golden files
# (tests/golden/places/NAME.txt -> NAME.expected), staleness, `gazetteer add`
# with a GeoNames-format file, and bad input.  The seed articles are checked
# with the full image when it and ../shared exist (skipped otherwise).
. "$(dirname "$0")/lib.sh"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
FX="$ROOT/tests/fixtures/places"
G="$ROOT/tests/golden/places"
IMG="$T/g.img"
cp "$FX/mini-geonames.txt" "$FX/mini.tsv" "$T/"
SRC=(words="$FX/words.txt" names="$FX/names.txt" stop="$ROOT/data/gazetteer/stopwords.txt"
     translit="$FX/translit.txt" geonames="$T/mini-geonames.txt" tsv="$T/mini.tsv")

# --- build, info, lookup
expect_rc 0 "gazetteer build" "$SITREP" gazetteer build -i "$IMG" "${SRC[@]}" 2>"$T/err"
check "build reports its size" hasF "$T/err" "places from 6 sources"
expect_rc 0 "gazetteer info" "$SITREP" gazetteer info -i "$IMG" >"$T/o"
check "info lists a source" hasF "$T/o" "mini-geonames.txt"
expect_rc 0 "lookup spellings" "$SITREP" gazetteer lookup -i "$IMG" "Deir el-Zour" Boukamal "Abu Kamal" 170794 >"$T/o"
check "Deir el-Zour -> 170794" has "$T/o" '"query":"Deir el-Zour".*"geonameid":170794'
check "Boukamal -> 174448" has "$T/o" '"query":"Boukamal".*"geonameid":174448'
check "Abu Kamal -> 174448" has "$T/o" '"query":"Abu Kamal".*"geonameid":174448'
check "id look-up" has "$T/o" '"query":"170794".*"name":"Deir ez-Zor"'
expect_rc 0 "lookup --all" "$SITREP" gazetteer lookup -i "$IMG" --all Palmyra >"$T/o"
check "both Palmyras" test "$(wc -l <"$T/o")" -eq 2
expect_rc 1 "lookup of an unknown name" "$SITREP" gazetteer lookup -i "$IMG" Atlantis 2>/dev/null

# --- staleness: up to date, then a source newer, then rebuilt
expect_rc 0 "check up to date" "$SITREP" gazetteer check -i "$IMG" >"$T/o"
check "check says up to date" hasF "$T/o" "up to date"
touch -d '+1 hour' "$T/mini.tsv"
expect_rc 1 "check: a source is newer" "$SITREP" gazetteer check -i "$IMG" 2>"$T/err"
check "check names the stale source" hasF "$T/err" "mini.tsv"
expect_rc 0 "rebuild" "$SITREP" gazetteer build -i "$IMG" "${SRC[@]}" 2>/dev/null
expect_rc 0 "check after rebuild" "$SITREP" gazetteer check -i "$IMG" >/dev/null
printf '\tTestham\t\t\t35.0\t39.0\tSY\tPPL\t100\t\ttest\n' >>"$T/mini.tsv"
expect_rc 1 "check: a source changed" "$SITREP" gazetteer check -i "$IMG" 2>/dev/null
expect_rc 0 "rebuild again" "$SITREP" gazetteer build -i "$IMG" "${SRC[@]}" 2>/dev/null

# --- gazetteer add: a GeoNames dump of the user's
expect_rc 1 "Hajin not there yet" "$SITREP" gazetteer lookup -i "$IMG" Hajin 2>/dev/null
expect_rc 0 "gazetteer add" "$SITREP" gazetteer add -i "$IMG" "$FX/add-geonames.txt" 2>"$T/err"
check "add reports 7 sources" hasF "$T/err" "from 7 sources"
expect_rc 0 "added place found" "$SITREP" gazetteer lookup -i "$IMG" Hajin >"$T/o"
check "added place id" hasF "$T/o" '"geonameid":163915'
expect_rc 0 "check after add" "$SITREP" gazetteer check -i "$IMG" >/dev/null
cp "$IMG" "$T/keep.img"
printf 'x1\tBad\tBad\t\t1\t2\tP\tPPL\tSY\t\t\t\t\t\t0\t\t\t\t\n' >"$T/bad-geonames.txt"
expect_rc 1 "add a malformed dump" "$SITREP" gazetteer add -i "$IMG" "$T/bad-geonames.txt" 2>"$T/err"
check "error names file and line" hasF "$T/err" "bad-geonames.txt:1"
check "image kept after a failed add" cmp -s "$IMG" "$T/keep.img"
expect_rc 2 "add with an unknown kind" "$SITREP" gazetteer add -i "$IMG" --kind bogus "$FX/add-geonames.txt" 2>/dev/null
expect_rc 1 "add a missing file" "$SITREP" gazetteer add -i "$IMG" "$T/none.txt" 2>/dev/null

# --- gazetteer usage errors
expect_rc 0 "gazetteer --help" "$SITREP" gazetteer --help >/dev/null
expect_rc 2 "gazetteer without subcommand" "$SITREP" gazetteer 2>/dev/null
expect_rc 2 "gazetteer unknown subcommand" "$SITREP" gazetteer frob 2>/dev/null
expect_rc 2 "build: not KIND=PATH" "$SITREP" gazetteer build -i "$T/x.img" cities.txt 2>/dev/null
expect_rc 1 "build: missing source" "$SITREP" gazetteer build -i "$T/x.img" geonames="$T/none.txt" 2>/dev/null
expect_rc 1 "info on a missing image" "$SITREP" gazetteer info -i "$T/none.img" 2>/dev/null
printf 'not an image at all, just some text that is long enough to read a header from it..........\n' >"$T/junk.img"
expect_rc 1 "check on a junk image" "$SITREP" gazetteer check -i "$T/junk.img" 2>"$T/err"
check "junk image message" hasF "$T/err" "not a gazetteer image"

# --- places: golden files
for f in "$G"/*.txt; do
    n=$(basename "$f" .txt)
    "$SITREP" places -i "$IMG" "$f" >"$T/$n.out" 2>"$T/$n.err"
    check "golden $n" cmp -s "$T/$n.out" "$G/$n.expected"
done

# --- places: options, offsets, bad input
# --jobs: the same mentions in the same order as one process
"$SITREP" places -i "$IMG" "$G"/*.txt >"$T/j1" 2>/dev/null
"$SITREP" places -i "$IMG" --jobs 2 "$G"/*.txt >"$T/j2" 2>/dev/null
check "places --jobs 2: same output" cmp -s "$T/j1" "$T/j2"
check "places --jobs 2: not empty" test -s "$T/j2"
expect_rc 0 "places --help" "$SITREP" places --help >/dev/null
expect_rc 2 "places without inputs" "$SITREP" places -i "$IMG" 2>/dev/null
expect_rc 2 "places unknown option" "$SITREP" places -i "$IMG" --bogus "$G/syria.txt" 2>/dev/null
expect_rc 1 "places with a missing image" "$SITREP" places -i "$T/none.img" "$G/syria.txt" 2>/dev/null
expect_rc 1 "places with a junk image" "$SITREP" places -i "$T/junk.img" "$G/syria.txt" 2>/dev/null
"$SITREP" places -i "$IMG" --no-demonyms "$G/syria.txt" >"$T/o"
check "--no-demonyms drops Syrian" lacks "$T/o" '"text":"Syrian"'
check "--no-demonyms keeps Damascus" hasF "$T/o" '"text":"Damascus"'
printf 'Share this story\nRead more\n\nSyrian troops entered Boukamal on Sunday after heavy fighting near the border.\n' >"$T/w.txt"
"$SITREP" places -i "$IMG" --whole "$T/w.txt" >"$T/o"
check "--whole reads every line" hasF "$T/o" '"text":"Boukamal"'
"$SITREP" places -i "$IMG" "$T/w.txt" >"$T/o2"
check "--whole keeps the story's offsets" cmp -s "$T/o" "$T/o2"
: >"$T/empty.txt"
expect_rc 0 "places on an empty document" "$SITREP" places -i "$IMG" "$T/empty.txt" >"$T/o"
check "no mentions in an empty document" test ! -s "$T/o"
cat >"$T/d.jsonl" <<'J'
{"id":"ok1","text":"Shelling hit Boukamal and al-Qaim overnight, residents said."}
{"id":
{"id":"ok2","text":"Convoys left Damascus for Deir el-Zor at dawn."}
J
expect_rc 1 "a bad JSON line fails the run" "$SITREP" places -i "$IMG" --quiet "$T/d.jsonl" >"$T/o" 2>"$T/err"
check "bad line reported with its line" hasF "$T/err" "d.jsonl:2"
check "docs before a bad line" hasF "$T/o" '"doc":"ok1","start":13,"end":21,"text":"Boukamal"'
check "docs after a bad line" hasF "$T/o" '"doc":"ok2"'
# every span points at its text (UTF-8 byte offsets)
printf '{"id":"u1","text":"Ḥalab — forces reached Dayr az Zawr and Qa’im."}\n' >"$T/u.jsonl"
"$SITREP" places -i "$IMG" "$T/u.jsonl" >"$T/o"
check "non-ASCII names found" hasF "$T/o" '"text":"Qa’im"'
check "byte offsets match the text" python3 -c '
import json, sys
docs = {json.loads(l)["id"]: json.loads(l)["text"].encode() for l in open(sys.argv[1])}
for l in open(sys.argv[2]):
    m = json.loads(l)
    assert docs[m["doc"]][m["start"]:m["end"]].decode() == m["text"], m
' "$T/u.jsonl" "$T/o"

# --- the seeds with the full gazetteer: every place of the story resolves right
FULL="$ROOT/data/compiled/gazetteer.img"
SEEDS="$ROOT/../shared/corpus/seeds"
if [ -r "$FULL" ] && [ -r "$SEEDS/manifest.jsonl" ]; then
    "$SITREP" places -i "$FULL" --quiet --manifest "$SEEDS/manifest.jsonl" "$SEEDS"/*.txt >"$T/seeds"
    for pair in "Deir al-Zour:170794" "Deir el-Zour:170794" "Bukamal:174448" "Boukamal:174448" "Qaim:92138" \
                "Raqqa:172955" "Rawa:92004" "Uqayribat:162803" "Mosul:99072" "Damascus:170654" "Qudsaya:166251"; do
        name=${pair%%:*}; id=${pair##*:}
        # the town everywhere, or its own province ("the province of Deir el-Zour")
        check "seeds: $name -> $id" python3 -c '
import json, sys
ms = [json.loads(l) for l in open(sys.argv[1])]
ms = [m for m in ms if m["text"] == sys.argv[2]]
town = [m for m in ms if m["geonameid"] == int(sys.argv[3])]
assert town, (sys.argv[2], ms)
for m in ms:
    assert m["geonameid"] == int(sys.argv[3]) or (m["fcode"] == "ADM1" and town[0]["name"] in m["name"]), m
' "$T/seeds" "$name" "$id"
    done
    for name in Rumana Qalamoun Baghuz; do
        check "seeds: $name found" hasF "$T/seeds" "\"text\":\"$name\""
    done
    expect_rc 0 "full image is up to date" "$SITREP" gazetteer check -i "$FULL" >/dev/null
else
    echo "test_places.sh: full gazetteer or ../shared missing: seed checks skipped" >&2
fi
finish
