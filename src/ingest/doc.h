/* doc.h — one news document as every stage sees it.
 *
 * `text` is the document's text as sitrep was given it (plain text or the
 * `text` field of a JSON line), with invalid UTF-8 bytes replaced one for one
 * by '?' so byte offsets still point at the same place; for HTML input it is
 * the text extracted from the page.  Every span any later stage produces
 * (tokens, sentences, mentions, evidence) is a byte offset into `text`.
 *
 * `body` lists the paragraphs that belong to the story (set by the cleaner);
 * stages after cleaning look only inside them. All strings are owned by the
 * arena the document was read into. */
#ifndef SR_DOC_H
#define SR_DOC_H

#include <stddef.h>
#include <stdint.h>
#include "core/arena.h"

typedef struct sr_seg {
    uint32_t start, end;            /* [start, end) byte offsets into text */
} sr_seg;

typedef enum sr_doc_kind {
    SR_DOC_TEXT = 0,                /* plain text */
    SR_DOC_HTML                     /* raw holds HTML; text is filled by the cleaner */
} sr_doc_kind;

typedef struct sr_doc {
    const char *id;                 /* never NULL */
    const char *title;              /* NULL when unknown */
    const char *published;          /* YYYY-MM-DD or NULL */
    const char *source, *url;       /* NULL when unknown */
    const char *origin;             /* "FILE" or "FILE:LINE", for messages */

    sr_doc_kind kind;
    const char *raw;                /* HTML source when kind == SR_DOC_HTML */
    size_t raw_len;

    const char *text;               /* UTF-8, NUL-terminated */
    size_t len;

    sr_seg *body;                   /* story paragraphs, NULL before cleaning */
    size_t nbody;
    const char *dateline_date;      /* YYYY-MM-DD found in the text itself, or NULL */
} sr_doc;

#endif
