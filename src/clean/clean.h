/* clean.h — article text: the story, without what surrounds it.
 *
 * sr_clean_doc turns a document into its article body:
 *   - HTML: extracts title, publication date and the body text (JSON-LD
 *     articleBody when present, else DOM scoring) into doc->text;
 *   - plain text: marks the story's paragraphs in doc->body, leaving the
 *     text itself untouched so offsets stay those of the input.
 * It also looks for a dateline date in the text (doc->dateline_date). */
#ifndef SR_CLEAN_H
#define SR_CLEAN_H

#include "core/buf.h"
#include "core/ctx.h"
#include "ingest/doc.h"

sr_status sr_clean_doc(sr_doc *doc, sr_arena *arena, sr_ctx *ctx);

/* Plain text: fill doc->body with the story's lines; the first headline-like
 * line becomes doc->title when the document has none. */
sr_status sr_boiler_segments(sr_doc *doc, sr_arena *arena);

/* The word scan behind the line tests, exposed for the tests: out = {words,
 * words starting lower case, self words ("we", "your", ...)}; plain = 1
 * takes the byte-by-byte path, 0 the block scan used in production. */
void sr_clean_word_counts(const char *s, size_t n, int plain, int out[3]);

/* The body paragraphs joined by blank lines (what `sitrep clean` prints). */
sr_status sr_clean_body_text(const sr_doc *doc, sr_buf *out);

/* HTML page metadata found by the extractor; strings from the arena. */
typedef struct sr_html_meta {
    const char *title;
    const char *published;  /* YYYY-MM-DD or NULL */
} sr_html_meta;

/* Extract the article body of an HTML page: paragraphs separated by "\n\n"
 * appended to `text`.  Never fails on bad HTML (gumbo recovers); fails only
 * on out of memory. */
sr_status sr_html_extract(const char *html, size_t len, sr_arena *arena, sr_buf *text,
                          sr_html_meta *meta, sr_ctx *ctx);

#endif
