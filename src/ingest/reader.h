/* reader.h — documents in: plain text + manifest, HTML, JSON lines, gzip.
 *
 * One reader walks one input (a path or "-" for standard input) and yields
 * its documents one at a time into a caller-owned arena:
 *
 *     sr_reader *r; sr_status st = sr_reader_open(&r, path, manifest, &ctx);
 *     while ((st = sr_reader_next(r, &doc, arena, &ctx)) != SR_DONE) {
 *         if (st) { report ctx.msg; if (sr_reader_failed(r)) break; continue; }
 *         ... use doc; sr_arena_reset(arena) ...
 *     }
 *     sr_reader_close(r);
 *
 * A non-SR_OK result other than SR_DONE means one document (or line) failed:
 * ctx->msg names the file, the line or byte offset and what is wrong, and the
 * next call goes on with the next document.  Warnings (repaired UTF-8, unknown
 * fields) go through ctx->warn. */
#ifndef SR_READER_H
#define SR_READER_H

#include "core/ctx.h"
#include "ingest/doc.h"

/* Longest line (JSON lines) or document we accept, in bytes. */
#define SR_MAX_LINE (64u << 20)

typedef struct sr_manifest sr_manifest;
typedef struct sr_reader sr_reader;

/* Manifest: JSON lines with file, id, published, source, url, title. */
sr_status sr_manifest_load(sr_manifest **out, const char *path, sr_ctx *ctx);
void sr_manifest_destroy(sr_manifest *m);

/* `m` may be NULL; it is borrowed and must outlive the reader. */
sr_status sr_reader_open(sr_reader **out, const char *path, const sr_manifest *m, sr_ctx *ctx);
sr_status sr_reader_next(sr_reader *r, sr_doc *doc, sr_arena *arena, sr_ctx *ctx);
/* True once the input cannot yield more documents (read error, truncation). */
int sr_reader_failed(const sr_reader *r);
void sr_reader_close(sr_reader *r);

#endif
