#!/usr/bin/env bash
# test_clean.sh — black-box tests of `sitrep clean`: every input kind, the
# boilerplate signals, golden files, and every bad-input case.
. "$(dirname "$0")/lib.sh"
G="$(dirname "$0")/../golden/clean"

# --- usage
expect_rc 0 "--version" "$SITREP" --version >"$T/v"
check "version text" has "$T/v" '^sitrep [0-9]'
expect_rc 0 "clean --help" "$SITREP" clean --help >"$T/h"
check "help names inputs" hasF "$T/h" "--manifest"
expect_rc 2 "clean without inputs" "$SITREP" clean 2>/dev/null
expect_rc 2 "unknown command" "$SITREP" frobnicate 2>/dev/null
expect_rc 2 "unknown option" "$SITREP" clean --bogus x 2>/dev/null

# --- golden files: each tests/golden/clean/NAME.txt -> NAME.expected
for f in "$G"/*.txt; do
    n=$(basename "$f" .txt)
    "$SITREP" clean "$f" >"$T/$n.out" 2>"$T/$n.err"
    check "golden $n" cmp -s "$T/$n.out" "$G/$n.expected"
done

# --- manifest metadata and ids
printf 'The town fell to the army on Friday, officials said.\n' >"$T/a1.txt"
printf '{"file":"a1.txt","id":"doc-A","published":"2017-11-03","source":"Test","title":"T1"}\n' >"$T/m.jsonl"
"$SITREP" clean --manifest "$T/m.jsonl" "$T/a1.txt" >"$T/o"
check "manifest id" hasF "$T/o" '"doc":"doc-A"'
check "manifest date" hasF "$T/o" '"published":"2017-11-03"'
check "manifest title" hasF "$T/o" '"title":"T1"'
"$SITREP" clean "$T/a1.txt" >"$T/o"
check "id from file name" hasF "$T/o" '"doc":"a1"'
check "missing date is null" hasF "$T/o" '"published":null'

# --- JSON lines, gzip, stdin, HTML
cat >"$T/d.jsonl" <<'J'
{"id":"j1","text":"Rebels shelled the northern district overnight, residents said.","published":"2016-02-01","source":"S"}

{"id":7,"html":"<html><head><title>Page</title></head><body><p>The convoy reached the city at dawn, witnesses said.</p></body></html>"}
J
"$SITREP" clean "$T/d.jsonl" >"$T/o"
check "jsonl text doc" hasF "$T/o" '"doc":"j1","title":null,"published":"2016-02-01"'
check "jsonl numeric id + html" hasF "$T/o" '"doc":"7"'
check "jsonl html body" hasF "$T/o" 'The convoy reached the city at dawn'
check "jsonl two docs" test "$(wc -l <"$T/o")" -eq 2
gzip -c "$T/d.jsonl" >"$T/dz.jsonl.gz"
"$SITREP" clean "$T/dz.jsonl.gz" >"$T/oz"
check "jsonl.gz same as jsonl" cmp -s "$T/o" "$T/oz"
"$SITREP" clean - <"$T/d.jsonl" >"$T/os"
check "stdin sniffed as jsonl" cmp -s "$T/o" "$T/os"
printf 'Plain words on standard input, as a report would say.\n' | "$SITREP" clean - >"$T/os"
check "stdin sniffed as text" hasF "$T/os" '"doc":"stdin"'
printf '<html><head><meta property="og:title" content="X"><title>Town falls</title></head><body><nav>Home News</nav><p>Government forces entered the town on Monday after a long siege, the ministry said.</p></body></html>' >"$T/p.html"
gzip -c "$T/p.html" >"$T/p2.html.gz"
"$SITREP" clean "$T/p.html" "$T/p2.html.gz" >"$T/o"
check "html body" hasF "$T/o" 'Government forces entered the town on Monday'
check "html.gz id" hasF "$T/o" '"doc":"p2"'

# a one-line brief without sentence punctuation is kept, not emptied
printf 'Strikes kill 12 civilians in eastern town Monitor Sunday 26 Nov\n' >"$T/brief.txt"
"$SITREP" clean "$T/brief.txt" >"$T/o"
check "one-line brief kept" hasF "$T/o" '"text":"Strikes kill 12 civilians'

# --- bad input: the run goes on, names the file and place, exits 1
printf 'Good report text about the front line, officials said.\n' >"$T/good.txt"
printf 'abc\0def\001\002' >"$T/bin.txt"
expect_rc 1 "binary file fails" "$SITREP" clean "$T/bin.txt" "$T/good.txt" >"$T/o" 2>"$T/e"
check "binary named" has "$T/e" "bin.txt: byte 3: NUL byte: binary"
check "good doc still out" hasF "$T/o" '"doc":"good"'

printf 'Caf\xe9 owners fled the town, residents said.\n' >"$T/latin1.txt"
expect_rc 0 "invalid UTF-8 repaired" "$SITREP" clean "$T/latin1.txt" >"$T/o" 2>"$T/e"
check "utf8 warning with offset" has "$T/e" "latin1.txt: byte 3: invalid UTF-8"
check "utf8 replaced one for one" hasF "$T/o" 'Caf? owners'

printf '{"id":"ok1","text":"First fine line of the file, he said."}\n{"id":"broken", "text": \n{"id":"ok2","text":"Third line is fine too, she said."}\n' >"$T/mal.jsonl"
expect_rc 1 "malformed JSON fails" "$SITREP" clean "$T/mal.jsonl" >"$T/o" 2>"$T/e"
check "malformed names line" has "$T/e" "mal.jsonl:2: column [0-9]*: malformed JSON"
check "lines around kept" test "$(wc -l <"$T/o")" -eq 2

printf '{"id":"t1","text":"Fine text here, they said.","published":20170101,"extra":1}\n{"id":"t2","text":["a"]}\n{"id":"t3"}\n{"id":"t4","text":"Fine text, the extra field warns.","color":"red","published":"not a date"}\n' >"$T/types.jsonl"
expect_rc 1 "bad field types fail" "$SITREP" clean "$T/types.jsonl" >"$T/o" 2>"$T/e"
check "number where string" has "$T/e" 'types.jsonl:1: field "published" must be a string, not a number'
check "array where string" has "$T/e" 'types.jsonl:2: field "text" must be a string, not an array'
check "no text field" has "$T/e" 'types.jsonl:3: no "text" or "html" field'
check "unknown field warns" has "$T/e" 'unknown field "color"'
check "bad date warns" has "$T/e" "not a date"
check "t4 still out" hasF "$T/o" '"doc":"t4"'

# a truncated gzip stream: documents before the cut survive
python3 - "$T" <<'P'
import gzip, sys, json
t = sys.argv[1]
lines = [json.dumps({"id": "z%d" % i, "text": "Report number %d about the front, officials said. " % i * 40}) for i in range(300)]
data = gzip.compress(("\n".join(lines) + "\n").encode())
open(t + "/trunc.jsonl.gz", "wb").write(data[: len(data) // 2])
P
expect_rc 1 "truncated gzip fails" "$SITREP" clean "$T/trunc.jsonl.gz" >"$T/o" 2>"$T/e"
check "truncation named" has "$T/e" "trunc.jsonl.gz: byte [0-9]*: truncated gzip"
check "docs before the cut kept" test "$(wc -l <"$T/o")" -gt 10

# a 200 MB line (gzipped so the test stays small), between two good lines
python3 - "$T" <<'P'
import gzip, sys
t = sys.argv[1]
with gzip.open(t + "/huge.jsonl.gz", "wb", compresslevel=1) as f:
    f.write(b'{"id":"h1","text":"Before the long line, troops advanced."}\n')
    f.write(b'{"id":"h2","text":"' + b"x" * (200 << 20) + b'"}\n')
    f.write(b'{"id":"h3","text":"After the long line, the town was quiet."}\n')
P
expect_rc 1 "200 MB line fails" "$SITREP" clean "$T/huge.jsonl.gz" >"$T/o" 2>"$T/e"
check "long line named" has "$T/e" "huge.jsonl.gz:2: line of [0-9]* bytes exceeds"
check "lines around the long one" test "$(grep -c '"doc":"h[13]"' "$T/o")" -eq 2

expect_rc 1 "missing file fails" "$SITREP" clean "$T/nope.txt" "$T/good.txt" >"$T/o" 2>"$T/e"
check "missing file named" has "$T/e" "nope.txt: cannot open"
check "other input still read" hasF "$T/o" '"doc":"good"'

printf '{"file":"x.txt"\n' >"$T/badman.jsonl"
expect_rc 1 "bad manifest fails" "$SITREP" clean --manifest "$T/badman.jsonl" "$T/good.txt" >"$T/o" 2>"$T/e"
check "bad manifest named" has "$T/e" "badman.jsonl:1: manifest line"

# --- repeated lines: a caption printed twice goes; a long paragraph repeated later keeps one copy
para="Officials in the northern province said on Tuesday that the water supply to the city had been restored after engineers repaired the main pumping station, which had been damaged by shelling last month, and that electricity would follow within days if the fragile truce between the two sides held through the weekend."
{ echo "$para"; echo "Menu"; echo "$para"; echo "A boy carries water past a damaged building in the old city."; echo "A boy carries water past a damaged building in the old city."; echo "Residents said queues at the bakeries had grown shorter since the truce began."; } >"$T/rep.txt"
"$SITREP" clean "$T/rep.txt" >"$T/o"
check "repeated paragraph kept once" test "$(grep -o 'pumping station' "$T/o" | wc -l)" -eq 1
check "caption printed twice dropped" lacks "$T/o" "A boy carries water"
check "story after the caption kept" hasF "$T/o" "queues at the bakeries"

# --- --jobs: the same bytes as one process, in input order
G="$(dirname "$0")/../golden/clean"
"$SITREP" clean "$G"/*.txt "$T/rep.txt" "$T/good.txt" >"$T/j1" 2>/dev/null
"$SITREP" clean -j 3 "$G"/*.txt "$T/rep.txt" "$T/good.txt" >"$T/j3" 2>/dev/null
check "clean -j 3: same output" cmp -s "$T/j1" "$T/j3"
check "clean -j 3: every document" test "$(wc -l <"$T/j3")" -eq "$(wc -l <"$T/j1")"

finish
