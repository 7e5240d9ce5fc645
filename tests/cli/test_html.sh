#!/usr/bin/env bash
# test_html.sh — black-box tests of HTML article extraction (`sitrep clean` on
# .html/.htm/.html.gz): golden pages written for the project (navigation,
# cookie banners, share bars, captions, related links, footers around the
# story; JSON-LD articleBody; <time> and meta dates), bad HTML input, and —
# when ../shared is present — the article-extraction benchmark's F1 floor.
. "$(dirname "$0")/lib.sh"
G="$(dirname "$0")/../golden/html"
EV="$(dirname "$0")/../../../shared/eval"

# --- golden pages: NAME.html -> NAME.expected (title, date and body only)
for f in "$G"/*.html; do
    n=$(basename "$f" .html)
    "$SITREP" clean "$f" >"$T/$n.out" 2>"$T/$n.err"
    check "golden $n" cmp -s "$T/$n.out" "$G/$n.expected"
done
"$SITREP" clean "$G/page1.html" >"$T/o"
check "no navigation" lacks "$T/o" "Opinion"
check "no cookie banner" lacks "$T/o" "cookies"
check "no caption" lacks "$T/o" "Photo: Agency"
check "no related links" lacks "$T/o" "Five things to know"
check "no footer" lacks "$T/o" "newsletter"
check "meta date" hasF "$T/o" '"published":"2018-03-14"'
check "og:title wins over <title> suffix" hasF "$T/o" '"title":"Army enters river town after long siege"'

# --- the same page as .htm and .html.gz, and inside a JSON line
cp "$G/page3.html" "$T/p3.htm"; gzip -c "$G/page3.html" >"$T/p3b.html.gz"
"$SITREP" clean "$T/p3.htm" "$T/p3b.html.gz" >"$T/o"
check ".htm and .html.gz read" test "$(grep -c 'The first buses carrying wounded' "$T/o")" -eq 2
check "<time> date" hasF "$T/o" '"published":"2019-01-20"'

# --- bad input
head -c 4000 /dev/urandom >"$T/bin.html"; printf '\0\0\0' >>"$T/bin.html"
expect_rc 1 "binary .html fails" "$SITREP" clean "$T/bin.html" >"$T/o" 2>"$T/e"
check "binary named" hasF "$T/e" "bin.html"
head -c 300 "$T/p3b.html.gz" >"$T/trunc.html.gz"
expect_rc 1 "truncated .html.gz fails" "$SITREP" clean "$T/trunc.html.gz" "$G/page2.html" >"$T/o" 2>"$T/e"
check "truncated named" hasF "$T/e" "trunc.html.gz"
check "other documents still done" hasF "$T/o" '"doc":"page2"'
printf '<html><body><p>The army shelled the town \xff\xfe on Monday, residents said, and many families fled.</p></body></html>' >"$T/bad8.html"
expect_rc 0 "invalid UTF-8 repaired" "$SITREP" clean "$T/bad8.html" >"$T/o" 2>"$T/e"
check "invalid UTF-8 warned" has "$T/e" "UTF-8"
check "repaired text kept" hasF "$T/o" "on Monday, residents said"
printf '<html><body><div><a href="/">Home</a></div></body></html>' >"$T/empty.html"
expect_rc 0 "page without a story" "$SITREP" clean "$T/empty.html" >"$T/o" 2>/dev/null
check "one line even without a story" test "$(wc -l <"$T/o")" -eq 1

# --- the benchmark of 181 real pages (read from ../shared, never copied)
if [ -d "$EV/extract/html" ] && command -v python3 >/dev/null; then
    "$SITREP" clean --quiet "$EV"/extract/html/*.html.gz >"$T/x.jsonl"
    python3 "$EV/score_extract.py" --system "$T/x.jsonl" >"$T/score" 2>&1
    f=$(sed -n 's/.*F1 \([0-9.]*\).*/\1/p' "$T/score" | tail -n 1)
    check "extraction F1 $f >= 0.93 on 181 pages" python3 -c "import sys; sys.exit(0 if float('${f:-0}') >= 0.93 else 1)"
fi
finish
