/* extract.h — the whole per-document pipeline after reading: clean, text
 * model, places, actors, events with modality and dates.
 *
 * An extractor holds the compiled data (gazetteer, actors, rules) and is
 * shared by every document; per-document results come from the document's
 * arena.  (Interface agreed between stages; the events stage owns the
 * details, the store stage calls it.) */
#ifndef SR_EXTRACT_H
#define SR_EXTRACT_H

#include "core/ctx.h"
#include "extract/event.h"
#include "extract/places.h"
#include "ingest/doc.h"
#include "text/text.h"

typedef struct sr_extractor sr_extractor;

/* Load the compiled data from `data_dir` (NULL: the default location). */
sr_status sr_extractor_open(sr_extractor **out, const char *data_dir, sr_ctx *ctx);
void sr_extractor_close(sr_extractor *x);     /* NULL is a no-op */

typedef struct sr_doc_result {
    sr_textmodel tm;
    sr_mention *mentions;
    size_t nmentions;
    sr_event *events;
    size_t nevents;
} sr_doc_result;

/* Clean (if not yet cleaned), analyse and extract one document. */
sr_status sr_extract_doc(sr_extractor *x, sr_doc *doc, sr_arena *arena, sr_doc_result *out, sr_ctx *ctx);

#endif
