/* xint.h — internals shared by the event extractor's modules (not a public
 * header: only src/extract and src/resolve include it).
 *
 * Everything the extractor matches works on one representation: a sentence
 * as an array of "words" (xw), each a byte span of the document with an
 * interned id of its lower-cased form.  Token hyphens are split out
 * ("IS-held" -> IS, -, held) so that rules and aliases written with hyphens
 * match the same way.  The lexicon (word -> id) is filled when the actor
 * dictionary and the rules are loaded; a document word that no rule or alias
 * uses gets id 0, so matching compares integers only. */
#ifndef SR_XINT_H
#define SR_XINT_H

#include <stddef.h>
#include <stdint.h>
#include "core/arena.h"
#include "core/ctx.h"
#include "text/text.h"

/* ---- lexicon ----------------------------------------------------------- */

typedef struct x_lex {
    char **str;         /* id -> string (id 0 unused) */
    uint32_t *hv;       /* id -> hash of the string (probes compare it first) */
    uint32_t *len;      /* id -> length of the string */
    uint64_t *k16;      /* id -> its bytes, zero-padded, for a word of up to 16 bytes (2 words an
                           id; zero for a longer one): such words are compared as two integers */
    uint32_t n, cap;    /* ids in use (n counts id 0), capacity of str */
    uint64_t *slot;     /* open addressing: 0 = empty, else hash << 32 | id (a probe reads one entry) */
    uint32_t nslot;     /* power of two */
    uint32_t sshift;    /* 32 - log2(nslot): a hash's first slot is its top bits, hash >> sshift */
    uint32_t one[256];  /* byte -> id of that one-byte word, 0 = none; and of "=" and that byte: the */
    uint32_t one_eq[256]; /* word view takes one-byte words near a text's end from these */
} x_lex;

void x_lex_init(x_lex *l);
void x_lex_finish(x_lex *l);
/* Ids fit the word record's 16 bits: at most XLEX_MAX - 1 words. */
#define XLEX_MAX 65536u
/* Id of s[0..n) (exact bytes), adding it when `add`; 0 when absent (or OOM
 * or a full lexicon on add). */
uint32_t x_lex_id(x_lex *l, const char *s, size_t n, int add);

/* Lower-case ASCII and map the curly apostrophe to '\''; returns the new
 * length (at most n).  `out` must hold n bytes. */
size_t x_fold(const char *s, size_t n, char *out);

/* ---- words ------------------------------------------------------------- */

#define XW_CAP   0x01u  /* starts with an upper-case letter */
#define XW_UPPER 0x02u  /* all letters upper case (2+ letters) or a single capital */
#define XW_GLUED 0x04u  /* no space before it (hyphen pieces, "'s") */
#define XW_PUNCT 0x08u
#define XW_NUM   0x10u
#define XW_SENT0 0x20u  /* first word of its sentence */

/* 16 bytes, four to a cache line: every stage (rules, actors, places glue)
 * walks these arrays, so the ids are 16 bits (the lexicon holds the words
 * of the rules and aliases, about 1,100; x_lex_id refuses id XLEX_MAX). */
typedef struct xw {
    uint32_t start, len;    /* bytes into the document text */
    uint16_t id;            /* lexicon id of the folded form, 0 = unknown */
    uint16_t cid;           /* lexicon id of the exact form prefixed by '=', 0 = none */
    uint16_t sid;           /* id of the folded form less a final 's' ("States" -> state), 0 = none:
                               the corpora that strip apostrophes write "Islamic States fighters" */
    uint16_t flags;
} xw;

/* The words of sentence `s` of the text model (arena-allocated). */
int x_words(const sr_textmodel *tm, size_t s, x_lex *lex, sr_arena *a, xw **out, size_t *nout);
/* The ids and case flags x_words gives the word [start, start + len) of
 * `text` (bytes before `bound` may be read), in *w (its other fields 0):
 * `plain` takes the byte-by-byte path, else the fast paths where they
 * apply.  The two agree; the tests compare them. */
void x_word_ident(x_lex *lex, const char *text, size_t bound, uint32_t start, uint32_t len, int plain, xw *w);

/* ---- actors ------------------------------------------------------------ */

typedef struct x_actor {
    char *id;           /* canonical id ("ISIS"); "?..." for a generic class */
    char *group;        /* scorer group ("SYRIA_GOV"), NULL when none */
    char *kind;         /* state, nsag, militia, foreign_state, coalition, media, monitor, generic */
    char *name;         /* canonical name */
    char *backed_by;    /* comma-separated actor ids, NULL when none */
    char *country;      /* "SY", "IQ", ... or NULL: where the actor's forces belong */
    unsigned bits;      /* XA_*: the kind and country as bits, made at load (asked per mention) */
} x_actor;

enum { XA_NSAG = 1, XA_JIHADIST = 2, XA_MEDIA = 4, XA_MONITOR = 8, XA_SY = 16, XA_IQ = 32,
       XA_GENERIC = 64 /* a generic class: id "?..." */ };

typedef struct x_actors x_actors;

sr_status x_actors_load(x_actors **out, const char *path, x_lex *lex, sr_ctx *ctx);
void x_actors_free(x_actors *a);
size_t x_actors_count(const x_actors *a);
const x_actor *x_actor_at(const x_actors *a, size_t i);
int x_actor_find(const x_actors *a, const char *id);   /* index or -1 */
/* Longest alias starting at word i: returns its length in words (0: none)
 * and the actor index in *actor.  The last word of an alias may carry an
 * apostrophe-less possessive 's' ("the groups stronghold"). */
size_t x_actor_match(const x_actors *a, const xw *w, size_t n, size_t i, int *actor);
/* The word ids an alias can start with, as a bitset of *nbits bits: a
 * caller scanning every word tests it before calling x_actor_match.  It
 * covers every id of the lexicon given to x_actors_load as it stands at
 * the call (unless out of memory): when *nbits is not below the
 * lexicon's n, x_actor_may_start_all tests a word without bounds. */
const uint64_t *x_actor_starts(const x_actors *a, uint32_t *nbits);
static inline int x_actor_may_start(const uint64_t *bits, uint32_t nbits, const xw *w)
{
    return (w->id < nbits && (bits[w->id >> 6] >> (w->id & 63) & 1)) ||
           (w->cid < nbits && (bits[w->cid >> 6] >> (w->cid & 63) & 1)) ||
           (w->sid < nbits && (bits[w->sid >> 6] >> (w->sid & 63) & 1));
}
/* Where an alias may begin in words w[0 .. n): bit p of begin[p / 64]
 * ((n + 63) / 64 words, all written) is 0 only when x_actor_match gives 0
 * at word p: the word starts no alias, or it is none on its own and the
 * next word goes on none ("the town").  One branch-free pass over the
 * words, so that a caller visits the few set bits instead of testing
 * every word (most start no alias, and which do is a coin toss). */
void x_actor_begins(const x_actors *a, const xw *w, size_t n, uint64_t *begin);
/* Index of the lowest set bit of m (m != 0). */
static inline unsigned x_ctz64(uint64_t m)
{
#if defined(__GNUC__)
    return (unsigned)__builtin_ctzll(m);
#else
    unsigned b = 0;
    while (!(m >> b & 1))
        b++;
    return b;
#endif
}
/* The first set bit at or after bit i of bits[0 .. nw) (words of 64), or
 * n when none before bit n. */
static inline size_t x_next_bit(const uint64_t *bits, size_t nw, size_t i, size_t n)
{
    if (i >= n)
        return n;
    size_t k = i >> 6;
    uint64_t m = bits[k] & (~0ull << (i & 63));
    while (!m && ++k < nw)
        m = bits[k];
    if (!m)
        return n;
    size_t b = x_ctz64(m);
    return k * 64 + b < n ? k * 64 + b : n;
}
/* Match through the hash table of the trie only (the reference the tests
 * compare the frozen arrays with). */
void x_actors_set_plain(x_actors *a, int plain);

/* ---- rules ------------------------------------------------------------- */

enum { X_SLOT_ACTOR = 1, X_SLOT_TARGET, X_SLOT_PLACE, X_SLOT_ACTOR2 };

/* A place found in a sentence: word range and, when known, the resolved mention. */
typedef struct x_place {
    uint32_t w0, w1;            /* [w0, w1) words */
    int mention;                /* index into the document's mentions, -1 when none */
} x_place;

/* An actor occurrence in a sentence (after coreference). */
typedef struct x_amention {
    uint32_t w0, w1;            /* [w0, w1) words, modifiers included */
    int actor;                  /* index into the dictionary, -1 unresolved */
    int generic;                /* dictionary index of the generic class, -1 when explicit */
    int backed_by;              /* actor named in "backed by X" right after, -1 */
    int weak;                   /* a pronoun ("its"): gaps may cross it */
} x_amention;

/* What one sentence offers the rule matcher. */
typedef struct x_sent {
    const xw *w;
    size_t n;
    const x_amention *am;   /* sorted by w0 */
    size_t nam;
    const x_place *pl;      /* sorted by w0 */
    size_t npl;
} x_sent;

#define X_MAX_PLACES 8
typedef struct x_match {
    int rule;
    uint32_t w0, w1;            /* words the match spans */
    int actor, target, actor2;  /* indexes into x_sent.am, -1 */
    int place[X_MAX_PLACES];    /* indexes into x_sent.pl */
    int nplace;
    uint32_t trig0, trig1;      /* first and last non-slot word of the match */
} x_match;

typedef struct x_rules x_rules;

typedef struct x_rule_info {
    const char *type;           /* event type */
    const char *modality;       /* fixed modality or NULL (decided by cues) */
    int line;                   /* line in its file, for messages */
    const char *file;
    const char *label;          /* "name:line" (the file's base name), as records cite the rule */
} x_rule_info;

/* Modality cues. */
enum { X_CUE_FUTURE = 1, X_CUE_NEGATED, X_CUE_HYPOTHETICAL, X_CUE_ATTEMPT, X_CUE_CLAIM, X_CUE_BLOCK, X_CUE_ASSERT,
       X_CUE_PAST };

sr_status x_rules_load(x_rules **out, const char *dir, x_lex *lex, sr_ctx *ctx);
/* Load one rules file into an existing set (tests use this with a temp file). */
sr_status x_rules_load_file(x_rules *r, const char *path, x_lex *lex, sr_ctx *ctx);
sr_status x_rules_new(x_rules **out);
void x_rules_free(x_rules *r);
/* Match with the plain backtracking search only (no FIRST-set filters, no
 * per-sentence memos): the reference the tests compare the fast matcher with. */
void x_rules_set_plain(x_rules *r, int plain);
/* Would the fast matcher try rule `rule` at word `pos` of s (its start and
 * need filters let it through)?  1 yes, 0 no, -1 on a bad argument or OOM.
 * For the tests of the filters. */
int x_rules_filter(const x_rules *r, const x_sent *s, size_t rule, size_t pos);
size_t x_rules_count(const x_rules *r);
const x_rule_info *x_rule_at(const x_rules *r, size_t i);
/* Every non-overlapping match of every rule in the sentence (leftmost
 * longest per rule); arena-allocated array.  The per-sentence tables of the
 * matcher are kept in scratch memory of the rule set: one call at a time
 * per rule set (like the caches the other calls fill). */
int x_rules_match(const x_rules *r, const x_sent *s, sr_arena *a, x_match **out, size_t *nout);
/* May some rule match a sentence of words w[0..n), with actor mentions
 * (actors != 0) or none, whatever places it names?  0 when no rule can:
 * the caller need not look for the sentence's places nor call
 * x_rules_match (which would find nothing).  Same rules as
 * x_rules_match's first test; 1 when it cannot tell. */
int x_rules_may_match(const x_rules *r, const xw *w, size_t n, int actors);
/* The cue of kind `kind` (X_CUE_*) found in words [from, to), -1 when none;
 * returns the word index of the cue's first word and its length in *len. */
long x_cue_find(const x_rules *r, int kind, const xw *w, size_t from, size_t to, size_t *len);
/* Kind of the first cue (file order) starting at word p that may stand
 * `dist` words before the trigger; `only` restricts to one kind (0: every
 * kind but claims).  0 when none; the cue's length in *len. */
int x_cue_at(const x_rules *r, const xw *w, size_t n, size_t p, size_t dist, int only, size_t *len);
/* True when word i belongs to the named class (@place_pre ...) of the rules.
 * `cls` must not change while the rule set lives (a string literal): the
 * class found for a name is remembered by its address. */
int x_rules_in_class(const x_rules *r, const char *cls, const xw *w, size_t n, size_t i, size_t *len);
/* False when no match of the named class can end with the word of id `id`
 * (its last word is none of the class's last words): a match that must end
 * at a given word need not be asked for at every start before it.  1 when
 * it cannot tell (a class of more than words, the plain mode). */
int x_rules_class_ends(const x_rules *r, const char *cls, uint32_t id);
/* The words a match of class `cls` can begin with (first) and end with
 * (last), as bitsets over the word ids below nbits, for a caller that asks
 * about many words and turns most away inline (x_class_may_begin,
 * x_class_may_end) before x_rules_in_class.  All NULL (the functions then
 * say yes) when it cannot tell: no such class, a class of more than words,
 * the plain mode.  Valid while the lexicon does not grow (ask again per
 * sentence: it costs a cache look-up). */
typedef struct x_class_bits {
    const uint64_t *first, *last;
    uint32_t nbits;
} x_class_bits;
void x_rules_class_bits(const x_rules *r, const char *cls, x_class_bits *out);
static inline int x_class_may_begin(const x_class_bits *b, const xw *w, size_t n, size_t i)
{
    return !b->first || (i < n && w[i].id < b->nbits && (b->first[w[i].id >> 6] >> (w[i].id & 63) & 1));
}
static inline int x_class_may_end(const x_class_bits *b, uint32_t id)
{
    return !b->last || (id < b->nbits && (b->last[id >> 6] >> (id & 63) & 1));
}

#endif
