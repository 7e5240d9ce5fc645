#!/usr/bin/env python3
"""Build the benchmark corpus from the real articles in ../shared (never copied
into the repository): FA-KES (804 news articles), the four seeds, and the
Wikipedia campaign articles, as sitrep JSON lines, replicated with distinct
ids until the output reaches --mb megabytes.

Usage: make_corpus.py --shared DIR --mb N --out FILE
"""
import argparse
import csv
import glob
import json
import os
import sys


def base_docs(shared):
    docs = []
    csv.field_size_limit(sys.maxsize)
    with open(os.path.join(shared, "corpus", "fa-kes", "fakes.csv"), encoding="utf-8", errors="replace") as f:
        for row in csv.DictReader(f):
            text = row.get("article_content") or ""
            if text.strip():
                docs.append({"id": "fakes-%s" % row.get("unit_id", len(docs)), "title": row.get("article_title"),
                             "text": text, "source": row.get("source")})
    man = {}
    mp = os.path.join(shared, "corpus", "seeds", "manifest.jsonl")
    if os.path.exists(mp):
        for line in open(mp, encoding="utf-8"):
            if line.strip():
                m = json.loads(line)
                man[m["file"]] = m
    for p in sorted(glob.glob(os.path.join(shared, "corpus", "seeds", "*.txt"))):
        m = man.get(os.path.basename(p), {})
        docs.append({"id": os.path.basename(p)[:-4], "text": open(p, encoding="utf-8").read(),
                     "published": m.get("published")})
    for p in sorted(glob.glob(os.path.join(shared, "corpus", "wikipedia", "*.md"))):
        if os.path.basename(p) != "README.md":
            docs.append({"id": "wiki-" + os.path.basename(p)[:-3], "text": open(p, encoding="utf-8").read()})
    return docs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", required=True)
    ap.add_argument("--mb", type=float, default=200)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    docs = base_docs(a.shared)
    if not docs:
        sys.exit("make_corpus: no documents found under " + a.shared)
    lines = [json.dumps({k: v for k, v in d.items() if v}, ensure_ascii=False) for d in docs]
    target = int(a.mb * 1e6)
    size = 0
    rep = 0
    with open(a.out, "w", encoding="utf-8") as f:
        while size < target:
            for d, line in zip(docs, lines):
                if rep:
                    line = line.replace(json.dumps(d["id"]), json.dumps("%s~%d" % (d["id"], rep)), 1)
                f.write(line + "\n")
                size += len(line.encode("utf-8")) + 1
                if size >= target:
                    break
            rep += 1
    print("%s: %.1f MB, %d base documents, %d copies" % (a.out, size / 1e6, len(docs), rep), file=sys.stderr)


if __name__ == "__main__":
    main()
