/* text.h — the text model: UTF-8 checks, tokens and sentences as spans.
 *
 * Tokens and sentences never copy text: each is a byte range into the
 * document's text.  Arrays come from the document's arena. */
#ifndef SR_TEXT_H
#define SR_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include "core/arena.h"
#include "core/status.h"
#include "ingest/doc.h"

/* Replace every byte that is not part of a valid UTF-8 sequence by '?'
 * (one for one: offsets stay valid).  Returns the number of bytes replaced
 * and stores the offset of the first in *first_bad (if not NULL). */
size_t sr_utf8_repair(char *s, size_t n, size_t *first_bad);

typedef enum sr_tok_kind {
    SR_TOK_WORD = 1,    /* letters, digits inside, hyphens/apostrophes joining */
    SR_TOK_NUM,         /* digits with , . separators */
    SR_TOK_PUNCT,       /* one punctuation mark (or a run of the same: "--", "...") */
    SR_TOK_SYM          /* anything else */
} sr_tok_kind;

/* token flags */
#define SR_TF_CAP      0x01u   /* first letter upper case */
#define SR_TF_UPPER    0x02u   /* all letters upper case (and >1 letter) */
#define SR_TF_ABBREV   0x04u   /* word with a trailing period that belongs to it (Mr., U.S.) */
#define SR_TF_SENT0    0x08u   /* first token of a sentence */
#define SR_TF_NL_BEFORE 0x10u  /* a line break precedes the token */
#define SR_TF_PARA     0x20u   /* a blank line / new paragraph precedes the token */
#define SR_TF_QUOTE    0x40u   /* a quotation mark (straight or curly) */
#define SR_TF_HYPHEN   0x80u   /* a word with an ASCII '-' inside (al-Zour, U.S.-backed) */

typedef struct sr_tok {
    uint32_t start, len;    /* bytes into the text; len includes an abbreviation's '.' */
    uint16_t kind, flags;
    uint32_t sent;          /* index of its sentence */
} sr_tok;

typedef struct sr_sent {
    uint32_t start, end;    /* [start, end) bytes, trimmed of surrounding space */
    uint32_t tok, ntok;     /* first token and count */
    uint32_t para;          /* body paragraph index */
} sr_sent;

typedef struct sr_textmodel {
    const char *text;       /* borrowed from the document */
    sr_tok *tok;
    size_t ntok;
    sr_sent *sent;
    size_t nsent;
} sr_textmodel;

/* Tokenize and split the document's body paragraphs (the whole text when
 * doc->body is NULL) into sentences.  Arrays come from `arena`. */
sr_status sr_text_analyze(const sr_doc *doc, sr_arena *arena, sr_textmodel *out);

/* Tokenize one range only (used by the dictionaries and tests). */
sr_status sr_tokenize(const char *text, size_t start, size_t end, sr_arena *arena,
                      sr_tok **out, size_t *nout);

/* sr_tokenize with its paths chosen: `simd` 0 keeps to the byte loop, else
 * word runs are scanned a chunk at a time (16 bytes with SSE2) where the
 * bytes up to `lim` (>= end) may be read.  The tokens are the same either
 * way; the tests compare the two. */
sr_status sr_tokenize_path(const char *text, size_t start, size_t end, size_t lim, int simd, sr_arena *arena,
                           sr_tok **out, size_t *nout);

#endif
