/* rules.c — the event-pattern language: parser and matcher.
 *
 * Rules live in the .rules files of data/rules (grammar in data/README-rules.md) and are
 * parsed at start-up into small trees of nodes (word, sequence, alternative,
 * optional, gap, slot).  Matching is backtracking over the word view of one
 * sentence with explicit continuations, so an optional or a gap can give
 * back words when the rest of the pattern needs them; the first match found
 * (alternatives in file order, fewest gap words first) wins.
 *
 * To stay fast without changing a single match, the trees are compiled on
 * first use (build_index):
 *   - every node gets its FIRST set (the words, or word conditions, that can
 *     begin a non-empty match) and whether it can match nothing; an
 *     alternative gets a dispatch table word -> the alternatives that can
 *     start with it, still tried in file order;
 *   - a requirement index: a rule is tried only when one word of each of
 *     its mandatory word sets, and its slots, are in the sentence (bitsets:
 *     the sets of each word ORed over the sentence, one row per word id,
 *     with the presence bits below); for an alternative, the first part
 *     of each alternative that has words and, besides, its likely rarest
 *     (the fewest sets hold its commonest word; the words of @frequent,
 *     common in any text, count as held by all); before the rows, a byte
 *     per word id says whether the word is in the key set of a rule the
 *     sentence's slots allow (the quick no: most sentences end there);
 *   - a start index: a candidate rule is tried only at the words its FIRST
 *     set allows;
 *   - needs: what every match of a node must hold within so many words of
 *     its start (a word of a mandatory part, an actor mention, a place; for
 *     an alternative also the union of one set per alternative, "have
 *     surrendered" giving "surrendered"); a rule is not tried at a start,
 *     nor an alternative entered, where the sentence cannot meet them;
 *   - word masks (sentences of up to 64 words): per distinct FIRST set of a
 *     rule or a need (a mid), the words of the sentence it holds, as bits,
 *     so that a rule's start words are one mask and a need a shift and an
 *     and.  A mask is worked out on the first question in a sentence
 *     (mask_of), from where each distinct word id of the sentence stands:
 *     a sentence asks about a few of the hundreds of sets.  A rule that
 *     begins with {place} starts only where the lead words reach a place
 *     (the walk is followed once per sentence) and, for {place} ( ... ),
 *     only at a place the rest can go on from: one of its alternatives
 *     may start at the place's end (the dispatch table, the wild kids the
 *     sentence can meet the needs of), or a place joined to it can
 *     (good_places; in sentences of any length);
 *   - which need sets a sentence holds (presence): a set of one word by
 *     its word's stamp, one of several by a bit ORed from the rows of the
 *     sentence's words with the requirement sets (sentence_sets), so an
 *     absent set costs a bit test;
 *   - an alternative whose needs the sentence cannot meet anywhere (a set
 *     none of whose words it has, a slot it has no mention for) is skipped
 *     before the positional test, in sentences of any length (possible);
 *   - a sentence without the slots every rule needs returns at once; in a
 *     sentence over 64 words (no masks) a rule that starts with an actor
 *     mention is tried at the mentions only;
 *   - a class of words only (@place_pre, ...) and a cue are matched on
 *     their own through a trie of their word sequences, whose first words
 *     are also a bitset (one test turns most words away); cues are indexed
 *     by first word; x_rules_in_class remembers the trie of each class name
 *     it is asked about (a short path for the callers in extract.c, which
 *     ask per word); x_rules_class_ends tells from the trie's last words
 *     that no match can end at a word (find_actors' modifiers), and
 *     x_rules_class_bits hands both bitsets to a caller that tests words
 *     inline;
 *   - per sentence, the classes the matcher asks about at a word (place
 *     lead words, place joiners, gap stops) are remembered, actor mentions
 *     and places are found by start word through a table, and a failure of
 *     the rest of a rule from a part at a word is remembered for the
 *     rule's later starts.  These tables live in a scratch arena of the
 *     rule set, the masks and stamps in the rule set itself: one
 *     x_rules_match at a time per rule set.
 *   - a sequence's kid pointers are followed by a 32-bit tag per part (a
 *     leaf's kind and id: word, _, %Cap, gap, slot), so the search steps
 *     over the leaves of a pattern without reading their nodes (each a
 *     cold line at most tries: the search waits on such reads).
 *   - the quick no reads a byte per word from a table over every 16-bit id
 *     (no bound test), eight words unrolled.
 * The build itself runs at every start (about 10 M instructions with the
 * parse): its sorts are in-place sorts of 64-bit keys (or bits over the
 * ids for the large unions of word classes), not qsort, and a class trie
 * is built from one array of node records.
 * x_rules_set_plain() turns all of it off: the plain search is the
 * reference tests/unit/test_rules.c compares against. */
#include "extract/xint.h"
#include "core/buf.h"
#include "core/mem.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

enum { N_WORD = 1, N_SEQ, N_ALT, N_OPT, N_GAP, N_SLOT, N_ANY, N_CAP };

/* What may start a non-empty match of a node (its FIRST set): word ids,
 * or conditions on the word (F_*).  Computed once per node when the index
 * is built; the matcher skips a node (an alternative, a rule at a start
 * position, a cue) whose FIRST set cannot hold the word at hand, which is
 * what makes a sentence cost a few table look-ups per rule instead of a
 * backtracking search at every word. */
enum {
    F_ANY = 1,          /* anything (gaps, unknown): no filter */
    F_NONPUNCT = 2,     /* _ : any word but punctuation */
    F_CAP = 4,          /* %Cap */
    F_AM = 8,           /* an actor mention starts here */
    F_PL = 16           /* a place starts here */
};

/* How many words a part of a pattern may span at most: `fixed` words plus
 * `nact` actor mentions (their length is the sentence's), or no bound
 * (`inf`: a place slot, with its lead words and joined places). */
typedef struct span {
    uint32_t fixed;
    uint16_t nact;
    uint16_t inf;
} span;

/* Something every match of a node holds, starting at most `hi` words after
 * the match's own start: a word of the FIRST set of node `set` (a
 * mandatory part that begins with plain words), else an actor mention
 * (NEED_ACTOR) or a place (NEED_PLACE).  A start where a need cannot be
 * met is not tried: "{place} *8 fell to {actor}" needs "fell" within 8
 * words, and an actor mention after it. */
enum { NEED_SET, NEED_ACTOR, NEED_PLACE };
#define NEED_MAX 8

typedef struct need {
    int kind;
    uint32_t mid;           /* NEED_SET: set->mid (read without going to the node) */
    const struct node *set;
    span hi;
} need;

/* What rule_start_mask reads of a rule, in one record made with the index
 * (rstart_of): the rule's FIRST conditions and mask, whether it begins with
 * {place} and the part after it, and its needs with their sets' conditions
 * and masks; so that a candidate costs a line or two of one array, not a
 * walk over nodes scattered in the arena (the start test was the most
 * cache-missing code of the matcher). */
typedef struct rneed {
    uint32_t mid;           /* NEED_SET: the set's mid */
    uint8_t kind;           /* NEED_* */
    uint8_t fflags;         /* NEED_SET: the set's F_* */
    uint16_t inf;           /* span hi */
    uint32_t fixed;
    uint32_t nact;
} rneed;

typedef struct rstart {
    const struct node *rest;    /* place_rest of the rule, NULL when none */
    uint32_t mid;               /* the pattern's mid and F_* */
    uint8_t fflags;
    uint8_t at_place;           /* it begins with {place} */
    uint8_t nneed;
    rneed need[NEED_MAX];
} rstart;

typedef struct node {
    /* what the matcher reads on every visit first, in one cache line */
    int kind;
    uint32_t id;            /* N_WORD: lexicon id; N_GAP: max words; N_SLOT: slot kind */
    struct node **kid;
    size_t nkid;
    /* compiled by build_index (valid when gen == the set's gen) */
    unsigned gen;
    uint8_t nullable;       /* can match zero words */
    uint8_t fflags;         /* F_* */
    uint8_t nneed;          /* what any match needs, and how far from its start (see need_of) */
    uint8_t pok;            /* needs_possible in the sentence of serial pser */
    struct need *need;
    uint64_t pser;          /* pok is for the sentence of this serial (x_rules.serial), 0 = none */
    uint32_t mid;           /* index of its per-sentence word mask (mx.mask), 0 = none */
    unsigned mgen;          /* mid assigned in this gen */
    unsigned ngset;         /* a need names it as its set in this gen (build_mids) */
    uint32_t nfid;
    uint32_t *fid;          /* FIRST word ids, sorted, unique */
    /* N_ALT dispatch: kids whose FIRST set is plain words, as (word, kid)
     * pairs sorted by word then kid (dpair[2 d], dpair[2 d + 1]: the kid
     * on the line of its word); the others are always tried */
    uint32_t nd, nwild;
    uint32_t *dpair, *wild;
    uint64_t *fbit;         /* FIRST words as a bitset over the lexicon (nodes with 8 or more) */
    unsigned bgen;          /* fbits_tree has visited it in this gen */
    unsigned ngen;          /* needs computed in this gen */
    struct span maxlen;     /* the longest match */
    const struct wtrie *trie;   /* a class of words only: its alternatives as a trie (wtrie_match) */
    unsigned tgen;              /* trie made (or found impossible) in this gen; on first use */
    unsigned vgen;          /* mids_tree has visited it in this gen */
    uint64_t wposs;         /* N_ALT: bit j when its wild kid j (wild[j]) is possible in the sentence of wser */
    uint64_t wser;          /* ... 0 = none */
    struct wreq *wreq;      /* N_ALT after a leading {place}: what each wild kid needs be in the sentence
                               (wild_req), so that wild_possible does not visit the kids */
    unsigned qgen;          /* need_mids has visited it in this gen */
} node;

typedef struct named {
    char *name;
    node *n;
} named;

typedef struct rule {
    x_rule_info info;
    node *pat;
} rule;

typedef struct cue {
    int kind;
    size_t window;          /* how far before the trigger it may start; 0 = anywhere */
    node *pat;
} cue;

struct wocc {
    uint64_t occ;           /* the words of the sentence of serial stamp that are this word id */
    uint32_t stamp;
};

struct x_rules {
    sr_arena *a;            /* nodes and strings */
    sr_arena *scratch;      /* x_rules_match's per-sentence tables (reset per call) */
    rule *r;
    size_t nr, capr;
    named *def;
    size_t ndef, capdef;
    cue *cue;
    size_t ncue, capcue;
    /* requirement index (ids grow while loading; rebuilt lazily): each rule
     * needs one word of each of its sets (sets rs_off[i] .. rs_off[i + 1])
     * somewhere in the sentence, and the slots in rslot (RQ_*); the row
     * of a word id in srow gives the sets it is in, as a bitset (nsets
     * bits), then at once its presence bits (see mpres) */
    uint32_t nwords;
    uint32_t nsets;
    uint32_t *rs_off;
    size_t nsw;             /* 64-bit words of a bitset of sets */
    uint64_t *srow;         /* per word id (0 and the ids of no set: no bits), a row of rstride words: its wocc
                               (two words), then sw words: nsets bits of sets, then npres of presence, rounded
                               up to a multiple of 2 words (ORed two, a vector register, at a time);
                               64-aligned */
    uint64_t *srow_mem;     /* what was allocated for srow */
    size_t sw, rstride;
    uint8_t *rslot;
    uint8_t slots_ok;       /* bit h (RQ_* set h): some rule needs no slot but those in h */
    /* per rule, its sets as bits of two words of the bitset (w, w + 1: a
     * rule has far fewer than 64 sets) and its slots, in one record (the
     * candidate loop reads one line a rule) */
    struct rreq {
        uint64_t m[2];
        uint32_t w;
        uint32_t slot;      /* rslot[i] */
    } *rq;
    uint64_t *first_set;    /* bitset: the key set of each rule (its likely rarest, build_reqs) */
    uint32_t *set_rule;     /* the rule of each set */
    uint32_t *nosets;       /* rules without sets (their slots decide), in order */
    uint32_t nnosets;
    /* the quick no: per word id, bit h (for each slot set h, RQ_*) when
     * it is in the key set of a rule whose slots h holds (a byte an id,
     * about a kilobyte: always in cache); a sentence none of whose words
     * has the bit of its slots, and that no rule without sets fits
     * (nosets_ok bit h), has no candidate: a byte ORed per word instead of
     * the rows of sentence_sets (a third of the sentences end here) */
    uint8_t *kflag;
    uint8_t nosets_ok;
    /* start index: rule i may start at a word of id w when bit w of
     * fbits[i * fbw ..] is set (its FIRST words), or by its F_* conditions */
    uint64_t *fbits;
    size_t fbw;
    uint64_t *cue_bits;     /* FIRST words of every cue together; NULL when a cue has word conditions */
    const uint64_t *cue_fast;   /* cue_bits while the index stands and the matcher is not plain (NULL
                                   else): x_cue_at's one test before its bit (~90,000 calls on 3 MB) */
    uint32_t *cue_off, *cue_idx;    /* word id -> the cues that can start with it, in file order
                                       (cue_idx[cue_off[id] .. cue_off[id + 1]]); with cue_bits */
    rstart *rs;             /* per rule: what rule_start_mask reads (see rstart) */
    int indexed;
    unsigned gen;           /* compile generation of the nodes */
    unsigned cgen;          /* gen while the index stands and the matcher is not plain, else 0: a
                               class-name cache slot of this gen is good (cached_trie's one test) */
    int plain;              /* match without FIRST filters and memos (tests) */
    node *place_pre, *place_join, *gap_stop;    /* classes the matcher uses itself */
    struct {
        const char *name;
        const named *def;
        const struct wtrie *trie;   /* its trie in generation gen, NULL: none */
        unsigned gen;
    } ccache[64];            /* x_rules_in_class: the class a name pointer was found to be, by pointer hash */
    int nccache;             /* 0: the cache is empty (the def array may have moved) */
    /* word masks (short sentences): the nodes whose FIRST words the fast
     * matcher asks for as a mask over the sentence, one mid per distinct
     * set of words; wm_* maps a word id to the mids holding it */
    node **mnode;
    size_t nmnode, capmnode;
    uint32_t nmid;          /* mids in use, plus one (0 = none) */
    const node **mid_node;  /* mid -> a node with its FIRST set */
    struct mrec {
        uint64_t mask;      /* its words in the sentence of serial stamp (mask_of) */
        uint32_t stamp;
        uint32_t n;         /* a set of one word (mids nmulti .. nsingle): the word (mone), else its
                               number of words */
        const uint32_t *fid;    /* the set's words, sorted; as bits (fbit) for a set of many */
        const uint64_t *fbit;
    } *mr;                  /* per mid: what mask_of and mask_fill read, in one line (not the node) */
    /* per word id, the words of the sentence of serial stamp that are it
     * (struct wocc): at the head of its row of srow (wocc_at), whose sets
     * sentence_sets has just read for each word of the sentence, so that
     * mx_sentence finds the line there (it was the most missed line of
     * mx_sentence when the wocc were an array of their own) */
    uint32_t dist64[64];    /* the distinct word ids of a short sentence (dist) */
    uint32_t *dist;         /* the distinct word ids of that sentence */
    uint32_t ndist;
    /* which sets a need names the sentence of the current serial has a
     * word of (mid_present), so that an absent one costs a bit test, not a
     * mask_fill: a set of one word (mids nmulti .. nsingle) when its word
     * (mone[mid]) is there (its wocc stamp); one of several words (mids below
     * nmulti, ~230) by its bit in mpres (the sentence's rows
     * of srow ORed, after its sets, by sentence_sets; mpres points there,
     * into the scratch arena) */
    uint32_t nmulti, nsingle;
    uint32_t npres;         /* mids below it have a presence bit (bit nsets + mid of a row, pres_bit):
                               the sets of several words, then those sets of one word (mids
                               nmulti .. npres) that the rows have room for: their word's wocc
                               line is cold when the sentence lacks it */
    uint32_t *mone;
    const uint64_t *mpres;
    x_lex *lex;             /* borrowed: the lexicon the rules were parsed into */
    uint32_t stop1, stop2;  /* ids of "." and ";": gaps stop there */
    uint64_t serial;        /* sentences given masks so far (node.pser; the stamps hold its low 32 bits) */
};

sr_status x_rules_new(x_rules **out)
{
    x_rules *r = sr_calloc(1, sizeof *r);
    if (!r || !(r->a = sr_arena_create_eager(1024 * 1024)) || !(r->scratch = sr_arena_create(64 * 1024))) {
        if (r)
            sr_arena_destroy(r->a);
        sr_free(r);
        return SR_ENOMEM;
    }
    *out = r;
    return SR_OK;
}

static void drop_index(x_rules *r)
{
    sr_free(r->rs_off);
    sr_free(r->rq);
    r->rq = NULL;
    sr_free(r->first_set);
    sr_free(r->set_rule);
    sr_free(r->nosets);
    r->first_set = NULL, r->set_rule = r->nosets = NULL, r->nnosets = 0;
    sr_free(r->srow_mem);
    r->srow_mem = NULL, r->rstride = 0;
    sr_free(r->kflag);
    r->kflag = NULL;
    sr_free(r->rs);
    r->rs = NULL;
    sr_free(r->rslot);
    sr_free(r->fbits);
    sr_free(r->cue_bits);
    sr_free(r->cue_off);
    sr_free(r->cue_idx);
    r->cue_off = r->cue_idx = NULL;
    r->fbits = r->cue_bits = NULL, r->fbw = 0;
    r->cue_fast = NULL, r->cgen = 0;
    sr_free(r->mnode);
    sr_free(r->mid_node);
    sr_free(r->mr);
    sr_free(r->mone);
    r->mone = NULL, r->mpres = NULL, r->nmulti = r->nsingle = r->npres = 0;
    r->mid_node = NULL, r->mr = NULL, r->ndist = 0;
    r->mnode = NULL, r->nmnode = r->capmnode = 0, r->nmid = 0;
    r->rs_off = NULL, r->srow = NULL, r->sw = 0;
    r->rslot = NULL;
    r->nwords = 0, r->nsets = 0, r->indexed = 0;
}

void x_rules_free(x_rules *r)
{
    if (!r)
        return;
    drop_index(r);
    for (size_t i = 0; i < r->ndef; i++)
        sr_free(r->def[i].name);
    sr_free(r->def);
    sr_free(r->r);
    sr_free(r->cue);
    sr_arena_destroy(r->a);
    sr_arena_destroy(r->scratch);
    sr_free(r);
}

size_t x_rules_count(const x_rules *r) { return r ? r->nr : 0; }
const x_rule_info *x_rule_at(const x_rules *r, size_t i) { return &r->r[i].info; }

/* ---- parser -------------------------------------------------------------- */

typedef struct ps {
    x_rules *r;
    x_lex *lex;
    const char *s;          /* the pattern text */
    size_t i, n;
    const char *file;
    int line;
    sr_ctx *ctx;
    sr_status st;
} ps;

static node *mk(ps *p, int kind)
{
    node *n = sr_arena_calloc(p->r->a, sizeof *n);
    if (!n && !p->st)
        p->st = sr_ctx_error(p->ctx, SR_ENOMEM, "%s:%d: out of memory", p->file, p->line);
    if (n)
        n->kind = kind;
    return n;
}

/* Room for n kids: a kid array holds kid_cap(nkid) pointers (4, then
 * powers of two), so adding kids one by one copies O(n) pointers in all,
 * not O(n^2) (a class of hundreds of alternatives made megabytes of dead
 * copies, and start-up paid a page fault for every 4 KB of them). */
static size_t kid_cap(size_t n)
{
    size_t c = 4;
    while (c < n)
        c *= 2;
    return c;
}

static int addkid(ps *p, node *par, node *k)
{
    if (!par->nkid || par->nkid == kid_cap(par->nkid)) {
        node **nk = sr_arena_alloc(p->r->a, kid_cap(par->nkid + 1) * sizeof *nk);
        if (!nk) {
            if (!p->st)
                p->st = sr_ctx_error(p->ctx, SR_ENOMEM, "%s:%d: out of memory", p->file, p->line);
            return -1;
        }
        if (par->nkid)
            memcpy(nk, par->kid, par->nkid * sizeof *nk);
        par->kid = nk;
    }
    par->kid[par->nkid++] = k;
    return 0;
}

static sr_status perr(ps *p, const char *what)
{
    if (!p->st)
        p->st = sr_ctx_error(p->ctx, SR_EFORMAT, "%s:%d: byte %zu: %s", p->file, p->line, p->i, what);
    return p->st;
}

static void skipsp(ps *p)
{
    while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t'))
        p->i++;
}

static node *parse_alt(ps *p);

static const named *find_def(const x_rules *r, const char *s, size_t n)
{
    for (size_t i = 0; i < r->ndef; i++)
        if (strlen(r->def[i].name) == n && !memcmp(r->def[i].name, s, n))
            return &r->def[i];
    return NULL;
}

/* A character of a word (not a blank, a bracket, a bar or NUL): a switch,
 * not strchr (asked of every character of the rules at every start). */
static int wordch(char c)
{
    switch (c) {
    case '\0': case ' ': case '\t': case '(': case ')': case '[': case ']': case '|': case '{': case '}':
        return 0;
    }
    return 1;
}

/* A literal word; splits at hyphens like the sentence view does. */
static node *parse_word(ps *p)
{
    size_t j = p->i;
    while (j < p->n && wordch(p->s[j]))
        j++;
    node *seq = mk(p, N_SEQ);
    if (!seq)
        return NULL;
    size_t i = p->i;
    char tmp[128];
    while (i < j) {
        size_t e = i;
        if (p->s[i] == '-')
            e = i + 1;
        else if (p->s[i] == '\'' && i + 1 < j && (p->s[i + 1] == 's' || p->s[i + 1] == 'S') && i + 2 == j)
            e = j;
        else if (p->s[i] == ',' || p->s[i] == ';' || p->s[i] == ':' || p->s[i] == '"')
            e = i + 1;
        else
            while (e < j && p->s[e] != '-' && p->s[e] != ',' &&
                   !(p->s[e] == '\'' && e + 2 == j && (p->s[e + 1] == 's' || p->s[e + 1] == 'S')))
                e++;
        if (e - i >= sizeof tmp) {
            perr(p, "word too long");
            return NULL;
        }
        size_t m = x_fold(p->s + i, e - i, tmp);
        node *w = mk(p, N_WORD);
        if (!w)
            return NULL;
        w->id = x_lex_id(p->lex, tmp, m, 1);
        if (!w->id) {
            perr(p, p->lex->n >= XLEX_MAX ? "too many distinct words in the rules and aliases (at most 65,535)"
                                          : "out of memory");
            return NULL;
        }
        if (addkid(p, seq, w))
            return NULL;
        i = e;
    }
    p->i = j;
    return seq->nkid == 1 ? seq->kid[0] : seq;
}

static node *parse_item(ps *p)
{
    char c = p->s[p->i];
    if (c == '(' || c == '[') {
        p->i++;
        node *a = parse_alt(p);
        skipsp(p);
        char want = c == '(' ? ')' : ']';
        if (!a)
            return NULL;
        if (p->i >= p->n || p->s[p->i] != want) {
            perr(p, c == '(' ? "missing ')'" : "missing ']'");
            return NULL;
        }
        p->i++;
        if (c == '(')
            return a;
        node *o = mk(p, N_OPT);
        if (!o || addkid(p, o, a))
            return NULL;
        return o;
    }
    if (c == '{') {
        size_t j = p->i + 1;
        while (j < p->n && p->s[j] != '}')
            j++;
        if (j >= p->n) {
            perr(p, "missing '}'");
            return NULL;
        }
        const char *nm = p->s + p->i + 1;
        size_t l = j - p->i - 1;
        node *sl = mk(p, N_SLOT);
        if (!sl)
            return NULL;
        if (l == 5 && !memcmp(nm, "actor", 5))
            sl->id = X_SLOT_ACTOR;
        else if (l == 6 && !memcmp(nm, "actor2", 6))
            sl->id = X_SLOT_ACTOR2;
        else if (l == 6 && !memcmp(nm, "target", 6))
            sl->id = X_SLOT_TARGET;
        else if (l == 5 && !memcmp(nm, "place", 5))
            sl->id = X_SLOT_PLACE;
        else {
            perr(p, "unknown slot (use {actor}, {target}, {place})");
            return NULL;
        }
        p->i = j + 1;
        return sl;
    }
    if (c == '@') {
        size_t j = p->i + 1;
        while (j < p->n && (isalnum((unsigned char)p->s[j]) || p->s[j] == '_'))
            j++;
        const named *d = find_def(p->r, p->s + p->i + 1, j - p->i - 1);
        if (!d) {
            perr(p, "unknown @class (define it before use)");
            return NULL;
        }
        p->i = j;
        return d->n;
    }
    if (c == '*' && p->i + 1 < p->n && isdigit((unsigned char)p->s[p->i + 1])) {
        node *g = mk(p, N_GAP);
        if (!g)
            return NULL;
        p->i++;
        g->id = (uint32_t)strtoul(p->s + p->i, NULL, 10);
        while (p->i < p->n && isdigit((unsigned char)p->s[p->i]))
            p->i++;
        return g;
    }
    if (c == '_' && (p->i + 1 >= p->n || !wordch(p->s[p->i + 1]))) {
        p->i++;
        return mk(p, N_ANY);
    }
    if (c == '%' && p->i + 3 < p->n && !memcmp(p->s + p->i, "%Cap", 4)) {
        p->i += 4;
        return mk(p, N_CAP);
    }
    return parse_word(p);
}

static node *parse_seq(ps *p)
{
    node *seq = mk(p, N_SEQ);
    if (!seq)
        return NULL;
    for (;;) {
        skipsp(p);
        if (p->i >= p->n || !p->s[p->i] || p->s[p->i] == ')' || p->s[p->i] == ']' || p->s[p->i] == '|')
            break;
        node *it = parse_item(p);
        if (!it || addkid(p, seq, it))
            return NULL;
    }
    return seq;
}

static node *parse_alt(ps *p)
{
    node *alt = mk(p, N_ALT);
    if (!alt)
        return NULL;
    for (;;) {
        node *s = parse_seq(p);
        if (!s)
            return NULL;
        if (!s->nkid) {
            perr(p, "empty alternative");
            return NULL;
        }
        if (addkid(p, alt, s))
            return NULL;
        skipsp(p);
        if (p->i < p->n && p->s[p->i] == '|') {
            p->i++;
            continue;
        }
        break;
    }
    return alt->nkid == 1 ? alt->kid[0] : alt;
}

static node *parse_top(ps *p)
{
    node *n = parse_alt(p);
    skipsp(p);
    if (n && p->i < p->n) {
        perr(p, "unbalanced ')' or ']'");
        return NULL;
    }
    return n;
}

static const char *const cue_names[] = {"", "future", "negated", "hypothetical", "attempt", "claim", "block",
                                        "assert", "past", NULL};

static sr_status parse_line(x_rules *r, x_lex *lex, char *line, const char *file, int ln, sr_ctx *ctx)
{
    ps p = {r, lex, NULL, 0, 0, file, ln, ctx, SR_OK};
    char *colon;
    if (!strncmp(line, "define ", 7)) {
        char *nm = line + 7;
        while (*nm == ' ')
            nm++;
        if (*nm == '@')
            nm++;
        char *eq = strchr(nm, '=');
        if (!eq)
            return sr_ctx_error(ctx, SR_EFORMAT, "%s:%d: byte 0: define needs '='", file, ln);
        char *e = nm;
        while (e < eq && (isalnum((unsigned char)*e) || *e == '_'))
            e++;
        if (e == nm)
            return sr_ctx_error(ctx, SR_EFORMAT, "%s:%d: byte 7: define needs a name", file, ln);
        p.s = eq + 1, p.n = strlen(eq + 1);
        node *n = parse_top(&p);
        if (!n)
            return p.st;
        if (find_def(r, nm, (size_t)(e - nm)))
            return sr_ctx_error(ctx, SR_EFORMAT, "%s:%d: byte 7: @%.*s defined twice", file, ln, (int)(e - nm), nm);
        if (sr_grow((void **)&r->def, &r->capdef, r->ndef + 1, sizeof *r->def, 32))
            return sr_ctx_error(ctx, SR_ENOMEM, "%s:%d: out of memory", file, ln);
        r->def[r->ndef].name = sr_strndup(nm, (size_t)(e - nm));
        if (!r->def[r->ndef].name)
            return sr_ctx_error(ctx, SR_ENOMEM, "%s:%d: out of memory", file, ln);
        r->def[r->ndef++].n = n;
        if (r->nccache)     /* the def array may have moved */
            memset(r->ccache, 0, sizeof r->ccache), r->nccache = 0;
        r->indexed = 0;
        return SR_OK;
    }
    if (!(colon = strchr(line, ':')))
        return sr_ctx_error(ctx, SR_EFORMAT, "%s:%d: byte 0: expected 'define', 'rule' or 'cue' line with ':'", file,
                            ln);
    *colon = '\0';
    char *head[4] = {0};
    int nh = 0;
    for (char *tok = strtok(line, " \t"); tok && nh < 4; tok = strtok(NULL, " \t"))
        head[nh++] = tok;
    p.s = colon + 1, p.n = strlen(colon + 1);
    if (nh >= 2 && !strcmp(head[0], "rule")) {
        node *n = parse_top(&p);
        if (!n)
            return p.st;
        if (sr_grow((void **)&r->r, &r->capr, r->nr + 1, sizeof *r->r, 32))
            return sr_ctx_error(ctx, SR_ENOMEM, "%s:%d: out of memory", file, ln);
        rule *ru = &r->r[r->nr];
        ru->pat = n;
        ru->info.type = sr_arena_strndup(r->a, head[1], strlen(head[1]));
        ru->info.modality = nh >= 3 ? sr_arena_strndup(r->a, head[2], strlen(head[2])) : NULL;
        ru->info.line = ln;
        ru->info.file = sr_arena_strndup(r->a, file, strlen(file));
        const char *base = strrchr(file, '/');
        char label[600];
        int ll = snprintf(label, sizeof label, "%s:%d", base ? base + 1 : file, ln);
        ru->info.label = ll > 0 ? sr_arena_strndup(r->a, label, strlen(label)) : NULL;
        if (!ru->info.type || (nh >= 3 && !ru->info.modality) || !ru->info.file || !ru->info.label)
            return sr_ctx_error(ctx, SR_ENOMEM, "%s:%d: out of memory", file, ln);
        r->nr++;
        r->indexed = 0;
        return SR_OK;
    }
    if (nh >= 2 && !strcmp(head[0], "cue")) {
        int k = 0;
        for (int i = 1; cue_names[i]; i++)
            if (!strcmp(cue_names[i], head[1]))
                k = i;
        if (!k)
            return sr_ctx_error(ctx, SR_EFORMAT,
                                "%s:%d: byte 4: unknown cue kind '%s' (future, negated, hypothetical, attempt, claim, "
                                "block)",
                                file, ln, head[1]);
        node *n = parse_top(&p);
        if (!n)
            return p.st;
        if (sr_grow((void **)&r->cue, &r->capcue, r->ncue + 1, sizeof *r->cue, 32))
            return sr_ctx_error(ctx, SR_ENOMEM, "%s:%d: out of memory", file, ln);
        r->cue[r->ncue].kind = k;
        r->cue[r->ncue].window = nh >= 3 ? strtoul(head[2], NULL, 10) : 6;
        r->cue[r->ncue++].pat = n;
        return SR_OK;
    }
    return sr_ctx_error(ctx, SR_EFORMAT, "%s:%d: byte 0: expected 'define NAME = ...', 'rule TYPE [MODALITY] : ...' "
                                         "or 'cue KIND : ...'",
                        file, ln);
}

sr_status x_rules_load_file(x_rules *r, const char *path, x_lex *lex, sr_ctx *ctx)
{
    r->lex = lex;
    r->stop1 = x_lex_id(lex, ".", 1, 1);
    r->stop2 = x_lex_id(lex, ";", 1, 1);
    FILE *f = fopen(path, "r");
    if (!f)
        return sr_ctx_error(ctx, SR_EIO, "%s: %s", path, strerror(errno));
    char line[16384];
    int ln = 0;
    sr_status st = SR_OK;
    sr_buf acc;
    sr_buf_init(&acc);
    int acc_line = 0;
    /* a line ending in '\' continues on the next one */
    while (!st && fgets(line, sizeof line, f)) {
        ln++;
        size_t L = strlen(line);
        while (L && (line[L - 1] == '\n' || line[L - 1] == '\r' || line[L - 1] == ' ' || line[L - 1] == '\t'))
            line[--L] = '\0';
        char *s = line;
        while (*s == ' ' || *s == '\t')
            s++;
        if (!acc.len && (!*s || *s == '#'))
            continue;
        if (!acc.len)
            acc_line = ln;
        int cont = L && line[L - 1] == '\\';
        if (cont)
            line[--L] = '\0';
        if (sr_buf_adds(&acc, s) || sr_buf_addc(&acc, ' ')) {
            st = sr_ctx_error(ctx, SR_ENOMEM, "%s:%d: out of memory", path, ln);
            break;
        }
        if (cont)
            continue;
        st = parse_line(r, lex, acc.data, path, acc_line, ctx);
        sr_buf_clear(&acc);
    }
    if (!st && acc.len)
        st = parse_line(r, lex, acc.data, path, acc_line, ctx);
    sr_buf_finish(&acc);
    fclose(f);
    return st;
}

static int cmpstr(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

sr_status x_rules_load(x_rules **out, const char *dir, x_lex *lex, sr_ctx *ctx)
{
    *out = NULL;
    DIR *d = opendir(dir);
    if (!d)
        return sr_ctx_error(ctx, SR_EIO, "%s: %s", dir, strerror(errno));
    char *names[256];
    size_t nn = 0;
    struct dirent *de;
    while ((de = readdir(d)) && nn < 256) {
        size_t l = strlen(de->d_name);
        if (l > 6 && !strcmp(de->d_name + l - 6, ".rules"))
            if (!(names[nn++] = sr_strdup(de->d_name)))
                nn--;
    }
    closedir(d);
    qsort(names, nn, sizeof *names, cmpstr);
    x_rules *r = NULL;
    sr_status st = x_rules_new(&r);
    if (st)
        sr_ctx_error(ctx, st, "%s: out of memory", dir);
    for (size_t i = 0; i < nn; i++) {
        if (!st) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", dir, names[i]);
            st = x_rules_load_file(r, path, lex, ctx);
        }
        sr_free(names[i]);
    }
    if (!st && !nn)
        st = sr_ctx_error(ctx, SR_ENOTFOUND, "%s: no .rules file", dir);
    if (st) {
        x_rules_free(r);
        return st;
    }
    *out = r;
    return SR_OK;
}

/* ---- anchor index and FIRST sets ----------------------------------------------- */

#define ANCHOR_MAX 512

/* Words of which one must occur for the node to match; 0 = cannot tell.
 * `often` (NULL: the first part of a sequence that has some): per word id
 * below nw, in how many sets it is (see set_often). */
static int anchors(const node *n, uint32_t *ids, size_t *nids, size_t cap, const uint32_t *often, uint32_t nw)
{
    switch (n->kind) {
    case N_WORD:
        if (*nids >= cap)
            return 0;
        ids[(*nids)++] = n->id;
        return 1;
    case N_SEQ: {
        if (!often) {
            for (size_t i = 0; i < n->nkid; i++) {
                size_t save = *nids;
                if (anchors(n->kid[i], ids, nids, cap, NULL, nw))
                    return 1;
                *nids = save;
            }
            return 0;
        }
        /* the part whose words are likely rarest in a sentence: the
         * fewest sets (mids) hold its commonest word ("*8 @be ...
         * @takenp by {actor}": @takenp, not @be) */
        uint32_t best[ANCHOR_MAX], tmp[ANCHOR_MAX], bscore = UINT32_MAX;
        size_t nbest = 0;
        int found = 0;
        for (size_t i = 0; i < n->nkid; i++) {
            size_t nt = 0;
            if (!anchors(n->kid[i], tmp, &nt, ANCHOR_MAX, often, nw))
                continue;
            uint32_t sc = 0;
            for (size_t j = 0; j < nt; j++)
                if (tmp[j] < nw && often[tmp[j]] > sc)
                    sc = often[tmp[j]];
            if (!found || sc < bscore || (sc == bscore && nt < nbest)) {
                memcpy(best, tmp, nt * sizeof *tmp);
                nbest = nt, bscore = sc, found = 1;
            }
        }
        if (!found || *nids + nbest > cap)
            return 0;
        memcpy(ids + *nids, best, nbest * sizeof *best);
        *nids += nbest;
        return 1;
    }
    case N_ALT:
        for (size_t i = 0; i < n->nkid; i++)
            if (!anchors(n->kid[i], ids, nids, cap, often, nw))
                return 0;
        return 1;
    default:
        return 0;
    }
}

/* Past this many FIRST words a node is not worth filtering. */
#define FIRST_MAX 4096

/* A growing array of ids; `local` (when not NULL) is a caller's buffer v
 * starts in, left for the heap once full (compile collects the FIRST
 * words of thousands of nodes, most of a few words: no malloc for them). */
typedef struct idset {
    uint32_t *v;
    size_t n, cap;
    uint32_t *local;
} idset;

static int ids_add(idset *s, const uint32_t *v, size_t n)
{
    if (!n)
        return 0;
    if (s->n + n > s->cap) {
        size_t nc = s->cap ? s->cap : 64;
        while (nc < s->n + n)
            nc *= 2;
        uint32_t *nv = s->v && s->v == s->local ? sr_malloc(nc * sizeof *nv) : sr_realloc(s->v, nc * sizeof *nv);
        if (!nv)
            return -1;
        if (s->v == s->local && s->n)
            memcpy(nv, s->v, s->n * sizeof *nv);
        s->v = nv, s->cap = nc;
    }
    memcpy(s->v + s->n, v, n * sizeof *v);
    s->n += n;
    return 0;
}

static void ids_free(idset *s)
{
    if (s->v != s->local)
        sr_free(s->v);
}

/* Sorts of the index build, in place, ascending: keys of 64 bits (a pair
 * of 32-bit fields as hi << 32 | lo).  The build sorts thousands of short
 * arrays (a node's FIRST words, an alternative's dispatch pairs, a trie
 * node's edges): qsort's call per comparison and generic copies cost more
 * than the sort itself (~2 M instructions of every run). */
static void sort_keys(uint64_t *v, size_t n)
{
    while (n > 16) {
        /* median of three, Hoare partition; the smaller part recursively */
        uint64_t a = v[0], b = v[n / 2], c = v[n - 1];
        uint64_t piv = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
        size_t i = 0, j = n - 1;
        for (;;) {
            while (v[i] < piv)
                i++;
            while (v[j] > piv)
                j--;
            if (i >= j)
                break;
            uint64_t t = v[i];
            v[i++] = v[j], v[j--] = t;
        }
        /* [0, j] <= piv <= [j + 1, n) */
        size_t left = j + 1;
        if (left < n - left) {
            sort_keys(v, left);
            v += left, n -= left;
        } else {
            sort_keys(v + left, n - left);
            n = left;
        }
    }
    for (size_t i = 1; i < n; i++) {
        uint64_t x = v[i];
        size_t j = i;
        for (; j > 0 && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

/* Sort ids v[0..*n) and drop repeats (*n: the number left): a few through
 * 64-bit keys (in tmp when it has room, ntmp); many (the union of a class
 * of hundreds of words) as bits over the ids, read back in order (ids are
 * below XLEX_MAX: at most 8 KB of bits); -1 on OOM. */
static int sort_unique(uint32_t *v, size_t *n, uint64_t *tmp, size_t ntmp)
{
    size_t m = *n, u = 0;
    if (m > 32) {
        uint32_t hi = 0;
        for (size_t i = 0; i < m; i++)
            hi = v[i] > hi ? v[i] : hi;
        size_t nb = (size_t)hi / 64 + 1;
        uint64_t *bits = sr_calloc(nb, sizeof *bits);
        if (!bits)
            return -1;
        for (size_t i = 0; i < m; i++)
            bits[v[i] >> 6] |= 1ull << (v[i] & 63);
        for (size_t k = 0; k < nb; k++)
            for (uint64_t b = bits[k]; b; b &= b - 1)
                v[u++] = (uint32_t)(k * 64 + (size_t)__builtin_ctzll(b));
        sr_free(bits);
        *n = u;
        return 0;
    }
    uint64_t *k = m <= ntmp ? tmp : sr_malloc(m * sizeof *k);
    if (!k)
        return -1;
    for (size_t i = 0; i < m; i++)
        k[i] = v[i];
    sort_keys(k, m);
    for (size_t i = 0; i < m; i++)
        if (!u || v[u - 1] != (uint32_t)k[i])
            v[u++] = (uint32_t)k[i];
    if (k != tmp)
        sr_free(k);
    *n = u;
    return 0;
}

static void *acopy(x_rules *r, const void *src, size_t bytes)
{
    void *d = sr_arena_alloc(r->a, bytes ? bytes : 1);
    if (d && bytes)
        memcpy(d, src, bytes);
    return d;
}

/* A leaf node (word, _, %Cap, gap, slot) as one 32-bit tag: its kind in
 * the top bits, its id below (0: not a leaf).  A visit of a leaf needs
 * nothing else of the node. */
#define TAG_SHIFT 28
#define TAG_ID ((1u << TAG_SHIFT) - 1)

static uint32_t leaf_tag(const node *k)
{
    switch (k->kind) {
    case N_WORD: case N_ANY: case N_CAP: case N_GAP: case N_SLOT:
        return k->id <= TAG_ID ? (uint32_t)k->kind << TAG_SHIFT | k->id : 0;
    }
    return 0;
}

/* The tags of a compiled sequence's parts: just past its kid pointers. */
static inline const uint32_t *kid_tags(const node *seq)
{
    return (const uint32_t *)(const void *)(seq->kid + seq->nkid);
}

/* A sequence's kid pointers copied into a block that holds, right after
 * them, each part's leaf tag (kid_tags), so that the matcher steps over a
 * word or a slot of a pattern from the line it reads the pointer from,
 * without the part's node (a cold line at most tries: the search is bound
 * by such reads).  Room is left for the kid_cap(nkid) pointers addkid
 * counts on. */
static int seq_tags(x_rules *r, node *n)
{
    size_t cap = kid_cap(n->nkid);
    node **kid = sr_arena_alloc(r->a, cap * sizeof *kid + n->nkid * sizeof(uint32_t));
    if (!kid)
        return -1;
    memcpy(kid, n->kid, n->nkid * sizeof *kid);
    uint32_t *tag = (uint32_t *)(void *)(kid + n->nkid);
    for (size_t i = 0; i < n->nkid; i++)
        tag[i] = leaf_tag(kid[i]);
    n->kid = kid;
    return 0;
}

/* Fill a node's FIRST set, nullability and (alternatives) dispatch table;
 * classes are shared between rules, so each node is done once per gen. */
static int compile(x_rules *r, node *n)
{
    if (n->gen == r->gen)
        return 0;
    /* conservative until done (a class may not refer back to itself, but
     * the place slot refers to @place_pre) */
    n->gen = r->gen, n->nullable = 1, n->fflags = F_ANY, n->nfid = 0, n->fid = NULL;
    n->nd = n->nwild = 0, n->dpair = n->wild = NULL, n->fbit = NULL;
    for (size_t i = 0; i < n->nkid; i++)
        if (compile(r, n->kid[i]))
            return -1;
    if (n->kind == N_SEQ && n->nkid && seq_tags(r, n))
        return -1;
    uint32_t local[64];
    idset acc = {local, 0, 64, local};
    unsigned fl = 0;
    int nullable = 0, err = 0;
    const node *share = NULL;   /* the one kid whose FIRST set is this node's */
    switch (n->kind) {
    case N_WORD:
        err = ids_add(&acc, &n->id, 1);
        break;
    case N_ANY:
        fl = F_NONPUNCT;
        break;
    case N_CAP:
        fl = F_CAP;
        break;
    case N_GAP:
        nullable = 1;
        fl = n->id ? F_ANY : 0;
        break;
    case N_SLOT:
        if (n->id != X_SLOT_PLACE)
            fl = F_AM;
        else {
            fl = F_PL;
            if (r->place_pre) {
                if (compile(r, r->place_pre))
                    return -1;
                fl |= r->place_pre->fflags;
                err = ids_add(&acc, r->place_pre->fid, r->place_pre->nfid);
            }
        }
        break;
    case N_OPT:
        nullable = 1;
        share = n->kid[0];
        fl = n->kid[0]->fflags;
        err = ids_add(&acc, n->kid[0]->fid, n->kid[0]->nfid);
        break;
    case N_SEQ:
        nullable = 1;
        for (size_t i = 0; i < n->nkid && nullable && !err; i++) {
            fl |= n->kid[i]->fflags;
            err = ids_add(&acc, n->kid[i]->fid, n->kid[i]->nfid);
            nullable = n->kid[i]->nullable;
            share = i ? NULL : n->kid[i];
        }
        break;
    case N_ALT:
        share = n->nkid == 1 ? n->kid[0] : NULL;
        for (size_t i = 0; i < n->nkid && !err; i++) {
            fl |= n->kid[i]->fflags;
            err = ids_add(&acc, n->kid[i]->fid, n->kid[i]->nfid);
            nullable |= n->kid[i]->nullable;
        }
        break;
    default:
        /* a kind of node added to the grammar later: no filter until this
         * switch learns what it can start with */
        nullable = 1;
        fl = F_ANY;
        break;
    }
    if (err) {
        ids_free(&acc);
        return -1;
    }
    if (acc.n > FIRST_MAX)
        fl |= F_ANY;
    if (fl & F_ANY)
        fl = F_ANY, acc.n = 0;
    size_t u = 0;
    uint32_t *fid;
    uint64_t key[64];
    if (share && !(fl & F_ANY)) {
        /* most sequences start with one word or class: no copy, no sort */
        fid = share->fid, u = share->nfid;
    } else {
        u = acc.n;
        fid = sort_unique(acc.v, &u, key, 64) ? NULL : acopy(r, acc.v, u * sizeof *fid);
    }
    ids_free(&acc);
    if (!fid)
        return -1;
    if (n->kind == N_ALT) {
        /* kids that need one of their words go in the table, the others
         * (nullable, slots, gaps, %Cap) are tried whatever the word */
        size_t np = 0, nw = 0;
        for (size_t i = 0; i < n->nkid; i++) {
            const node *k = n->kid[i];
            if (!k->nullable && !k->fflags)
                np += k->nfid;
            else
                nw++;
        }
        uint32_t *pair = sr_arena_alloc(r->a, (np ? np : 1) * 2 * sizeof *pair);
        uint32_t *wild = sr_arena_alloc(r->a, (nw ? nw : 1) * sizeof *wild);
        uint64_t *pk = !pair || !wild ? NULL : np <= 64 ? key : sr_malloc(np * sizeof *pk);
        if (!pk)
            return -1;
        /* sorted by word, then kid: as keys word << 32 | kid */
        size_t p = 0, w = 0;
        for (size_t i = 0; i < n->nkid; i++) {
            const node *k = n->kid[i];
            if (!k->nullable && !k->fflags)
                for (uint32_t j = 0; j < k->nfid; j++)
                    pk[p++] = (uint64_t)k->fid[j] << 32 | i;
            else
                wild[w++] = (uint32_t)i;
        }
        sort_keys(pk, np);
        for (size_t d = 0; d < np; d++)
            pair[2 * d] = (uint32_t)(pk[d] >> 32), pair[2 * d + 1] = (uint32_t)pk[d];
        if (pk != key)
            sr_free(pk);
        n->dpair = pair, n->wild = wild;
        n->nd = (uint32_t)np, n->nwild = (uint32_t)nw;
    }
    n->fid = fid, n->nfid = (uint32_t)u;
    n->nullable = (uint8_t)nullable, n->fflags = (uint8_t)fl;
    return 0;
}

static node *class_node(const x_rules *r, const char *name)
{
    const named *d = find_def(r, name, strlen(name));
    return d ? d->n : NULL;
}

enum { RQ_ACTOR = 1, RQ_PLACE = 2 };

/* Sets of words collected for the requirement index. */
typedef struct reqb {
    idset ids;              /* every set's words, one after the other */
    idset end;              /* where each set ends in ids */
    idset rule;             /* the rule of each set */
    unsigned slots;
    const uint32_t *often;  /* see anchors */
    uint32_t nw;
} reqb;

/* What every match of n needs: one word of each set added, the slots in
 * b->slots.  A mandatory word is a set of one; alternatives that each need
 * a word (anchors) make one set. */
static int reqs(const node *n, uint32_t rule, reqb *b)
{
    if (n->nullable)
        return 0;
    uint32_t ids[2 * ANCHOR_MAX];
    size_t k = 0;
    switch (n->kind) {
    case N_SEQ:
        for (size_t i = 0; i < n->nkid; i++)
            if (reqs(n->kid[i], rule, b))
                return -1;
        return 0;
    case N_SLOT:
        b->slots |= n->id == X_SLOT_PLACE ? RQ_PLACE : RQ_ACTOR;
        return 0;
    case N_WORD:
    case N_ALT:
        /* the first part of each alternative that has words, and (a
         * second set, when other) the likely rarest: both must be there */
        for (int pass = 0; pass < 2; pass++) {
            size_t k0 = k, nk = 0;
            if (!anchors(n, ids + k0, &nk, ANCHOR_MAX, pass ? b->often : NULL, b->nw) || !nk)
                break;
            k += nk;
            if (pass && nk == k0 && !memcmp(ids, ids + k0, k0 * sizeof *ids))
                break;  /* the same set */
            if (ids_add(&b->ids, ids + k0, nk))
                return -1;
            uint32_t e = (uint32_t)b->ids.n;
            if (ids_add(&b->end, &e, 1) || ids_add(&b->rule, &rule, 1))
                return -1;
            if (!b->often)
                break;
        }
        return 0;
    default:
        return 0;
    }
}

/* The requirement index (see struct x_rules). */
static int build_reqs(x_rules *r, uint32_t nwords, const uint32_t *often)
{
    reqb b;
    memset(&b, 0, sizeof b);
    b.often = often, b.nw = nwords;
    int err = 0;
    if (!(r->rslot = sr_calloc(r->nr ? r->nr : 1, 1)))
        err = 1;
    for (size_t i = 0; i < r->nr && !err; i++) {
        b.slots = 0;
        err = reqs(r->r[i].pat, (uint32_t)i, &b);
        r->rslot[i] = (uint8_t)b.slots;
    }
    size_t ns = b.end.n;
    r->nsets = (uint32_t)ns;
    r->nsw = (ns + 63) / 64;
    r->rs_off = sr_calloc(r->nr + 1, sizeof *r->rs_off);
    /* the rows: the sets, then at once (bit nsets) the presence bits
     * (build_mids came first), rounded up to a multiple of 2 words; the
     * sets of several words must have theirs, the sets of one word get
     * what room is left in as many words as the former need (the
     * project's rows: 270 + 231 bits in 10 words, room for 139 of the 586
     * words: each a bit test in place of the cold line of an absent word) */
    r->sw = ((ns + r->nmulti + 63) / 64 + 1) / 2 * 2;
    r->npres = (uint32_t)(r->sw * 64 - ns) < r->nsingle ? (uint32_t)(r->sw * 64 - ns) : r->nsingle;
    if (r->npres < r->nmulti)
        r->npres = r->nmulti;
    r->rstride = 2 + r->sw;
    r->srow_mem = sr_calloc(((size_t)nwords + 1) * r->rstride + 8, sizeof *r->srow);
    r->srow = r->srow_mem ? r->srow_mem + (64 - (uintptr_t)r->srow_mem % 64) % 64 / 8 : NULL;
    if (err || !r->rs_off || !r->srow) {
        sr_free(b.ids.v), sr_free(b.end.v), sr_free(b.rule.v);
        return -1;
    }
    /* sets were added rule by rule: rule -> sets is a prefix count */
    for (size_t s = 0; s < ns; s++)
        r->rs_off[b.rule.v[s] + 1]++;
    for (size_t i = 0; i < r->nr; i++)
        r->rs_off[i + 1] += r->rs_off[i];
    for (size_t s = 0, j = 0; s < ns; s++)
        for (; j < b.end.v[s]; j++)
            if (b.ids.v[j] < nwords)
                r->srow[(size_t)b.ids.v[j] * r->rstride + 2 + s / 64] |= 1ull << (s % 64);
    for (size_t i = 0; i < r->nmnode; i++)
        for (uint32_t j = 0; j < r->mnode[i]->nfid; j++) {
            uint32_t id = r->mnode[i]->fid[j], mid = r->mnode[i]->mid;
            if (id < nwords && mid < r->npres)
                r->srow[(size_t)id * r->rstride + 2 + (ns + mid) / 64] |= 1ull << ((ns + mid) % 64);
        }
    /* each rule's key set, the one x_rules_match enumerates the rules by
     * (any one of its sets will do: they all must be hit): its likely
     * rarest, the fewest sets (mids) hold its commonest word */
    uint32_t *key = sr_malloc((r->nr + 1) * sizeof *key);
    for (size_t i = 0; key && i < r->nr; i++) {
        uint32_t best = r->rs_off[i], bsc = UINT32_MAX;
        for (uint32_t k = r->rs_off[i]; k < r->rs_off[i + 1] && k < r->rs_off[i] + 64; k++) {
            uint32_t sc = 0;
            for (uint32_t j = k ? b.end.v[k - 1] : 0; j < b.end.v[k]; j++)
                if (b.ids.v[j] < nwords && often[b.ids.v[j]] > sc)
                    sc = often[b.ids.v[j]];
            if (sc < bsc)
                best = k, bsc = sc;
        }
        key[i] = best;
    }
    /* the quick no (struct x_rules): each rule's key set, by word */
    r->nosets_ok = 0;
    if (key && (r->kflag = sr_calloc((size_t)nwords + 1 > XLEX_MAX ? (size_t)nwords + 1 : XLEX_MAX, sizeof *r->kflag)))
        for (size_t i = 0; i < r->nr; i++)
            for (unsigned h = 0; h < 4; h++) {
                if (r->rslot[i] & ~h)
                    continue;
                if (r->rs_off[i + 1] == r->rs_off[i]) {
                    r->nosets_ok |= (uint8_t)(1u << h);
                    continue;
                }
                for (uint32_t j = key[i] ? b.end.v[key[i] - 1] : 0; j < b.end.v[key[i]]; j++)
                    if (b.ids.v[j] < nwords)
                        r->kflag[b.ids.v[j]] |= (uint8_t)(1u << h);
            }
    r->set_rule = b.rule.v, b.rule.v = NULL;
    sr_free(b.ids.v), sr_free(b.end.v);
    if (!key)
        return -1;
    r->rq = sr_calloc(r->nr + 1, sizeof *r->rq);
    r->first_set = sr_calloc(r->nsw + 1, sizeof *r->first_set);
    r->nosets = sr_malloc((r->nr + 1) * sizeof *r->nosets);
    if (!r->rq || !r->first_set || !r->nosets || (ns && !r->set_rule)) {
        sr_free(key);
        return -1;
    }
    for (size_t i = 0; i < r->nr; i++) {
        uint32_t lo = r->rs_off[i], hi = r->rs_off[i + 1];
        if (hi - lo > 64)
            hi = lo + 64;   /* a weaker filter for a rule of more than 64 mandatory sets */
        r->rq[i].w = lo / 64, r->rq[i].slot = r->rslot[i];
        for (uint32_t k = lo; k < hi; k++)
            r->rq[i].m[k / 64 - lo / 64] |= 1ull << (k % 64);
    }
    r->slots_ok = 0;
    for (unsigned h = 0; h < 4; h++)
        for (size_t i = 0; i < r->nr; i++)
            if (!(r->rslot[i] & ~h))
                r->slots_ok |= (uint8_t)(1u << h);
    for (size_t i = 0; i < r->nr; i++)
        if (r->rs_off[i + 1] == r->rs_off[i])
            r->nosets[r->nnosets++] = (uint32_t)i;
        else
            r->first_set[key[i] / 64] |= 1ull << (key[i] % 64);
    sr_free(key);
    return 0;
}

/* The start index (see struct x_rules): a bitset of FIRST words per rule. */
static int build_starts(x_rules *r, uint32_t nwords)
{
    r->fbw = ((size_t)nwords + 63) / 64;
    if (!(r->fbits = sr_calloc(r->nr * r->fbw + 1, sizeof *r->fbits)))
        return -1;
    for (size_t i = 0; i < r->nr; i++) {
        const node *n = r->r[i].pat;
        uint64_t *b = r->fbits + i * r->fbw;
        for (uint32_t k = 0; k < n->nfid; k++)
            if (n->fid[k] < nwords)
                b[n->fid[k] >> 6] |= 1ull << (n->fid[k] & 63);
    }
    /* most words start no cue: one bit test answers for all of them */
    int plain_words = 1;
    for (size_t i = 0; i < r->ncue; i++)
        plain_words &= !r->cue[i].pat->fflags;
    if (plain_words) {
        if (!(r->cue_bits = sr_calloc(r->fbw + 1, sizeof *r->cue_bits)))
            return -1;
        for (size_t i = 0; i < r->ncue; i++)
            for (uint32_t k = 0; k < r->cue[i].pat->nfid; k++)
                if (r->cue[i].pat->fid[k] < nwords)
                    r->cue_bits[r->cue[i].pat->fid[k] >> 6] |= 1ull << (r->cue[i].pat->fid[k] & 63);
        /* word -> cues: count, end offsets, then fill walking back (so each
         * word's cues stay in file order) */
        size_t np = 0;
        for (size_t i = 0; i < r->ncue; i++)
            np += r->cue[i].pat->nfid;
        if (!(r->cue_off = sr_calloc((size_t)nwords + 1, sizeof *r->cue_off)) ||
            !(r->cue_idx = sr_malloc((np + 1) * sizeof *r->cue_idx)))
            return -1;
        for (size_t i = 0; i < r->ncue; i++)
            for (uint32_t k = 0; k < r->cue[i].pat->nfid; k++)
                if (r->cue[i].pat->fid[k] < nwords)
                    r->cue_off[r->cue[i].pat->fid[k]]++;
        for (uint32_t id = 1; id <= nwords; id++)
            r->cue_off[id] += r->cue_off[id - 1];
        for (size_t i = r->ncue; i-- > 0;)
            for (uint32_t k = 0; k < r->cue[i].pat->nfid; k++)
                if (r->cue[i].pat->fid[k] < nwords)
                    r->cue_idx[--r->cue_off[r->cue[i].pat->fid[k]]] = (uint32_t)i;
    }
    return 0;
}

/* False when no cue can start at word p (a cue match is never empty). */
static int some_cue_at(const x_rules *r, const xw *w, size_t n, size_t p)
{
    if (r->plain || !r->indexed || !r->cue_bits)
        return 1;
    return p < n && w[p].id < r->nwords && (r->cue_bits[w[p].id >> 6] >> (w[p].id & 63) & 1);
}

static int fbits_of(x_rules *r, node *n, uint32_t nwords)
{
    if (n->fbit || n->nfid < 8)
        return 0;
    uint64_t *b = sr_arena_calloc(r->a, ((size_t)nwords + 64) / 64 * sizeof *b);
    if (!b)
        return -1;
    for (uint32_t k = 0; k < n->nfid; k++)
        if (n->fid[k] < nwords)
            b[n->fid[k] >> 6] |= 1ull << (n->fid[k] & 63);
    n->fbit = b;
    return 0;
}

/* fbits_of for every node of a pattern: the matcher asks the FIRST set of
 * the node after a gap and of an optional part at word after word.  A class
 * shared by many rules is walked once per build (bgen). */
static int fbits_tree(x_rules *r, node *n, uint32_t nwords)
{
    if (n->bgen == r->gen)
        return 0;
    n->bgen = r->gen;
    if (fbits_of(r, n, nwords))
        return -1;
    for (size_t i = 0; i < n->nkid; i++)
        if (fbits_tree(r, n->kid[i], nwords))
            return -1;
    return 0;
}

/* ---- needs ------------------------------------------------------------------ */

static span span_add(span a, span b)
{
    span s = {a.fixed + b.fixed, (uint16_t)(a.nact + b.nact), (uint16_t)(a.inf | b.inf)};
    return s;
}

static span span_max(span a, span b)
{
    span s = {a.fixed > b.fixed ? a.fixed : b.fixed, a.nact > b.nact ? a.nact : b.nact, (uint16_t)(a.inf | b.inf)};
    return s;
}

/* Past NEED_MAX a node's further needs are dropped (they are only filters). */
static void add_need(need *v, size_t *nv, int kind, const node *set, span hi)
{
    if (*nv >= NEED_MAX)
        return;
    need q = {kind, 0, set, hi};
    v[(*nv)++] = q;
}

/* Order of the tests of a node's needs (stable insertion sort). */
static int need_before(const need *a, const need *b)
{
    if ((a->kind != NEED_SET) != (b->kind != NEED_SET))
        return a->kind != NEED_SET;
    if (a->hi.inf != b->hi.inf)
        return !a->hi.inf;
    return a->hi.nact < b->hi.nact || (a->hi.nact == b->hi.nact && a->hi.fixed < b->hi.fixed);
}

static int compile(x_rules *r, node *n);

/* An alternative's words beyond its first: each alternative needs a word
 * of one of its sets (its smallest, the later of two alike: "have
 * surrendered" needs "surrendered"), so every match holds a word of their
 * union within the farthest of their offsets.  Sharper than the FIRST
 * set when alternatives begin with common words ("has", "have", "the");
 * the union is a node of its own (an alternative of those sets), added
 * as a need when it differs from the FIRST set. */
static int alt_anchor(x_rules *r, const node *n, need *v, size_t *nv)
{
    if (n->nkid < 2 || n->nullable || n->fflags)
        return 0;
    const need *pick[64];
    span far = {0, 0, 0};
    for (size_t i = 0; i < n->nkid; i++) {
        const node *k = n->kid[i];
        const need *best = NULL;
        for (uint32_t j = 0; j < k->nneed; j++) {
            const need *q = &k->need[j];
            if (q->kind == NEED_SET &&
                (!best || q->set->nfid < best->set->nfid ||
                 (q->set->nfid == best->set->nfid && need_before(best, q))))
                best = q;
        }
        if (!best || i >= 64)
            return 0;
        pick[i] = best;
        far = span_max(far, best->hi);
    }
    if (far.inf)
        return 0;
    node *u = sr_arena_calloc(r->a, sizeof *u);
    node **kid = sr_arena_alloc(r->a, kid_cap(n->nkid) * sizeof *kid); /* as addkid keeps them */
    if (!u || !kid)
        return -1;
    u->kind = N_ALT, u->kid = kid, u->nkid = n->nkid;
    for (size_t i = 0; i < n->nkid; i++)
        kid[i] = (node *)pick[i]->set;
    if (compile(r, u))
        return -1;
    if (u->nullable || u->fflags || !u->nfid ||
        (u->nfid == n->nfid && !memcmp(u->fid, n->fid, n->nfid * sizeof *n->fid)))
        return 0;
    add_need(v, nv, NEED_SET, u, far);
    return 0;
}

/* The needs (struct need) of a node and the longest match (maxlen); after
 * compile(), whose FIRST sets they use.  A sequence collects its parts'
 * needs, each shifted by the longest match of the parts before it; an
 * alternative keeps only the slots every one of its alternatives needs;
 * optional parts and gaps need nothing.  Each node is done once per gen
 * (classes are shared). */
static int need_of(x_rules *r, node *n)
{
    if (n->ngen == r->gen)
        return 0;
    n->ngen = r->gen, n->nneed = 0, n->need = NULL;
    span one = {1, 0, 0}, zero = {0, 0, 0}, inf = {0, 0, 1};
    for (size_t i = 0; i < n->nkid; i++)
        if (need_of(r, n->kid[i]))
            return -1;
    need v[NEED_MAX];
    size_t nv = 0;
    /* a mandatory part that starts with plain words needs one of them */
    if (!n->nullable && !n->fflags && n->nfid && n->kind != N_OPT)
        add_need(v, &nv, NEED_SET, n, zero);
    switch (n->kind) {
    case N_WORD:
    case N_ANY:
    case N_CAP:
        n->maxlen = one;
        break;
    case N_GAP: {
        span g = {n->id, 0, 0};
        n->maxlen = g;
        break;
    }
    case N_SLOT:
        if (n->id == X_SLOT_PLACE) {
            n->maxlen = inf;
            add_need(v, &nv, NEED_PLACE, NULL, inf);
        } else {
            span a = {0, 1, 0};
            n->maxlen = a;
            add_need(v, &nv, NEED_ACTOR, NULL, zero);
        }
        break;
    case N_OPT:
        n->maxlen = n->kid[0]->maxlen;
        break;
    case N_SEQ: {
        span at = zero;
        nv = 0;     /* the parts' needs cover the sequence's own */
        if (!n->nullable && !n->fflags && n->nfid && n->nkid && n->kid[0]->nullable)
            add_need(v, &nv, NEED_SET, n, zero);
        for (size_t i = 0; i < n->nkid; i++) {
            const node *k = n->kid[i];
            for (size_t j = 0; j < k->nneed; j++)
                add_need(v, &nv, k->need[j].kind, k->need[j].set, span_add(at, k->need[j].hi));
            at = span_add(at, k->maxlen);
        }
        n->maxlen = at;
        break;
    }
    case N_ALT: {
        span m = zero;
        for (size_t i = 0; i < n->nkid; i++)
            m = span_max(m, n->kid[i]->maxlen);
        n->maxlen = m;
        /* a slot every alternative needs, at the farthest of their
         * offsets (a kid's first need of a kind is its nearest: offsets
         * only grow along a sequence) */
        for (int kind = NEED_ACTOR; kind <= NEED_PLACE; kind++) {
            span far = zero;
            size_t i = 0;
            for (; i < n->nkid; i++) {
                const node *k = n->kid[i];
                size_t j = 0;
                while (j < k->nneed && k->need[j].kind != kind)
                    j++;
                if (j == k->nneed)
                    break;
                far = span_max(far, k->need[j].hi);
            }
            if (n->nkid && i == n->nkid)
                add_need(v, &nv, kind, NULL, far);
        }
        if (alt_anchor(r, n, v, &nv))
            return -1;
        break;
    }
    default:
        n->maxlen = inf;
        break;
    }
    /* the cheapest tests first: slots (a table look-up), then the words
     * nearest the start (the shortest scans) */
    for (size_t i = 1; i < nv; i++)
        for (size_t j = i; j > 0 && need_before(&v[j], &v[j - 1]); j--) {
            need t = v[j];
            v[j] = v[j - 1], v[j - 1] = t;
        }
    if (nv) {
        n->need = acopy(r, v, nv * sizeof *v);
        if (!n->need)
            return -1;
        n->nneed = (uint8_t)nv;
    }
    return 0;
}

static int set_mid(x_rules *r, node *n)
{
    if (n->mgen == r->gen)
        return 0;
    n->mgen = r->gen, n->mid = 0;
    if (sr_grow((void **)&r->mnode, &r->capmnode, r->nmnode + 1, sizeof *r->mnode, 256))
        return -1;
    r->mnode[r->nmnode++] = n;
    return 0;
}

/* Every rule and every node a need names gets a word mask (node.mid): the
 * fast matcher asks which words of a sentence they may start at. */
static int mids_tree(x_rules *r, node *n)
{
    if (n->vgen == r->gen)
        return 0;
    n->vgen = r->gen;
    for (uint32_t i = 0; i < n->nneed; i++)
        if (n->need[i].kind == NEED_SET) {
            node *q = (node *)n->need[i].set;
            q->ngset = r->gen;
            if (set_mid(r, q))
                return -1;
        }
    for (size_t i = 0; i < n->nkid; i++)
        if (mids_tree(r, n->kid[i]))
            return -1;
    return 0;
}

/* Nodes by their FIRST words (the same words, the same mask): a hash of
 * them (node.mid holds it while sorting) first, then the words. */
static int cmpfirst(const void *a, const void *b)
{
    const node *x = *(node *const *)a, *y = *(node *const *)b;
    if (x->mid != y->mid)
        return x->mid < y->mid ? -1 : 1;
    if (x->nfid != y->nfid)
        return x->nfid < y->nfid ? -1 : 1;
    int c = x->nfid ? memcmp(x->fid, y->fid, x->nfid * sizeof *x->fid) : 0;
    return c ? c : (x < y ? -1 : x > y);
}

/* One mid per distinct FIRST set of the nodes collected by mids_tree, and
 * the tables mask_of fills per sentence. */
static int build_mids(x_rules *r, uint32_t nwords)
{
    for (size_t i = 0; i < r->nmnode; i++) {
        node *n = r->mnode[i];
        uint32_t h = 2166136261u ^ n->nfid;
        for (uint32_t k = 0; k < n->nfid; k++)
            h = (h ^ n->fid[k]) * 16777619u;
        n->mid = h;
    }
    /* by hash first (keys hash << 32 | place), then each run of one hash
     * by cmpfirst: the order qsort with cmpfirst gives (a total order),
     * without a call per comparison */
    uint64_t *key = sr_malloc((r->nmnode + 1) * sizeof *key);
    node **tmp = sr_malloc((r->nmnode + 1) * sizeof *tmp);
    if (!key || !tmp) {
        sr_free(key), sr_free(tmp);
        return -1;
    }
    for (size_t i = 0; i < r->nmnode; i++)
        key[i] = (uint64_t)r->mnode[i]->mid << 32 | i;
    sort_keys(key, r->nmnode);
    memcpy(tmp, r->mnode, r->nmnode * sizeof *tmp);
    for (size_t i = 0; i < r->nmnode; i++)
        r->mnode[i] = tmp[(uint32_t)key[i]];
    sr_free(key), sr_free(tmp);
    for (size_t i = 1; i < r->nmnode; i++)
        for (size_t j = i; j > 0 && r->mnode[j - 1]->mid == r->mnode[j]->mid &&
                           cmpfirst(&r->mnode[j - 1], &r->mnode[j]) > 0; j--) {
            node *t = r->mnode[j];
            r->mnode[j] = r->mnode[j - 1], r->mnode[j - 1] = t;
        }
    /* by what mid_present knows of them: first the sets of several words
     * a need names (presence bits: mids below nmulti), then the sets of
     * one word (586 of 761: there when the word is; below nsingle; the
     * first of them get presence bits too where the rows have room, see
     * npres), then the rest (the FIRST sets of rules only: told present,
     * their masks are worked out anyway).  A run of the sorted nodes is
     * one set: its pass is known at its first node. */
    uint8_t *pass = sr_malloc(r->nmnode + 1);
    if (!pass)
        return -1;
    for (size_t i = 0, j; i < r->nmnode; i = j) {
        const node *a = r->mnode[i];
        int need = 0;
        for (j = i; j < r->nmnode && r->mnode[j]->nfid == a->nfid &&
                    (!a->nfid || !memcmp(r->mnode[j]->fid, a->fid, a->nfid * sizeof *a->fid)); j++)
            need |= r->mnode[j]->ngset == r->gen;
        for (size_t k = i; k < j; k++)
            pass[k] = a->nfid == 1 ? 1 : need && a->nfid ? 0 : 2;
    }
    r->nmid = 1;
    for (int ps = 0; ps < 3; ps++) {
        for (size_t i = 0; i < r->nmnode; i++) {
            node *n = r->mnode[i];
            if (pass[i] != ps)
                continue;
            if (i && pass[i - 1] == ps && r->mnode[i - 1]->nfid == n->nfid &&
                (!n->nfid || !memcmp(r->mnode[i - 1]->fid, n->fid, n->nfid * sizeof *n->fid)))
                n->mid = r->mnode[i - 1]->mid;  /* the same set: numbered just before, in this pass */
            else
                n->mid = r->nmid++;
        }
        if (ps == 0)
            r->nmulti = r->nmid;
        else if (ps == 1)
            r->nsingle = r->nmid;
    }
    sr_free(pass);
    r->mid_node = sr_calloc(r->nmid, sizeof *r->mid_node);
    r->mr = sr_calloc(r->nmid + 1, sizeof *r->mr);
    r->mone = sr_malloc((r->nmid + 1) * sizeof *r->mone);
    if (!r->mid_node || !r->mr || !r->mone)
        return -1;
    for (uint32_t m = 0; r->mone && m < r->nmid; m++)
        r->mone[m] = nwords;    /* a word no sentence has (its stamp is never set) */
    for (size_t i = 0; i < r->nmnode; i++) {
        node *n = r->mnode[i];
        if (n->mid >= r->nmulti && n->mid < r->nsingle && n->fid[0] < nwords)
            r->mone[n->mid] = n->fid[0];
        if (!r->mid_node[n->mid]) {
            if (fbits_of(r, n, nwords))     /* a set of many words is tested word by word */
                return -1;
            r->mid_node[n->mid] = n;
        }
    }
    for (uint32_t m = 0; m < r->nmid; m++) {
        const node *n = r->mid_node[m];
        struct mrec *q = &r->mr[m];
        q->n = m >= r->nmulti && m < r->nsingle ? r->mone[m] : n ? n->nfid : 0;
        q->fid = n ? n->fid : NULL, q->fbit = n ? n->fbit : NULL;
    }
    return 0;
}

static const node *place_rest(const x_rules *r, const node *pat);

/* Each need of a set gets its set's mid (after build_mids). */
static void need_mids(x_rules *r, node *n)
{
    if (n->qgen == r->gen)
        return;
    n->qgen = r->gen;
    for (uint32_t i = 0; i < n->nneed; i++)
        if (n->need[i].kind == NEED_SET)
            n->need[i].mid = n->need[i].set->mid;
    for (size_t i = 0; i < n->nkid; i++)
        need_mids(r, n->kid[i]);
}

/* What the wild kids (at most 64) of an alternative need be in a sentence
 * at all (the test of needs_possible): the sets, numbered among the
 * alternative's own (at most 64), and the slots. */
typedef struct wreq {
    uint32_t nset, none;
    uint32_t mid[64];       /* the alternative's sets, by number: first `none` sets of one word */
    uint32_t key[64];       /* ... the word of those (see mid_present), the mid of the others */
    uint64_t need[64];      /* per wild kid: the numbers of the sets it needs, as bits */
    uint8_t slot[64];       /* per wild kid: 1 an actor mention, 2 a place */
    uint8_t rare[64];       /* per wild kid with sets: the number of its likely rarest set */
    uint64_t rares;         /* those sets together */
    uint64_t by_rare[64];   /* per set: the wild kids whose rarest set it is */
    uint64_t nosets;        /* the wild kids without sets */
    uint64_t *dbits;        /* the first words of the dispatch table, as a bitset of ndbits ids */
    uint32_t ndbits;
} wreq;

/* How common a set of words likely is: the most sets (mids) any of its
 * words is in, by the count per word id in `often` ("the", "of" are in
 * many; "stronghold" in few). */
static uint32_t set_often(const x_rules *r, uint32_t mid, const uint32_t *often)
{
    const node *nd = r->mid_node[mid];
    uint32_t m = 0;
    for (uint32_t k = 0; nd && k < nd->nfid; k++)
        if (nd->fid[k] < r->nwords && often[nd->fid[k]] > m)
            m = often[nd->fid[k]];
    return m;
}

/* n->wreq for alternative n; left NULL (possible() asked per kid) past 64
 * kids or sets.  `often`: see set_often. */
static int wild_req(x_rules *r, node *n, const uint32_t *often)
{
    n->wreq = NULL;
    if (n->nwild > 64)
        return 0;
    wreq *q = sr_arena_calloc(r->a, sizeof *q);
    if (!q)
        return -1;
    for (uint32_t j = 0; j < n->nwild; j++) {
        const node *kd = n->kid[n->wild[j]];
        for (uint32_t i = 0; i < kd->nneed; i++) {
            const need *e = &kd->need[i];
            if (e->kind != NEED_SET) {
                q->slot[j] |= e->kind == NEED_ACTOR ? 1 : 2;
                continue;
            }
            uint32_t k = 0;
            while (k < q->nset && q->mid[k] != e->mid)
                k++;
            if (k == 64)
                return 0;
            if (k == q->nset)
                q->mid[q->nset++] = e->mid;
            q->need[j] |= 1ull << k;
        }
    }
    /* the sets of one word first (wild_possible tests them by their word),
     * each kid's bits renumbered */
    uint32_t to[64], mid[64], k1 = 0;
    for (int one = 1; one >= 0; one--)
        for (uint32_t k = 0; k < q->nset; k++)
            if ((q->mid[k] >= r->nmulti && q->mid[k] < r->nsingle) == one)
                to[k] = k1, mid[k1++] = q->mid[k], q->none += one;
    for (uint32_t k = 0; k < q->nset; k++)
        q->mid[k] = mid[k], q->key[k] = k < q->none ? r->mone[mid[k]] : mid[k];
    for (uint32_t j = 0; j < n->nwild; j++) {
        uint64_t b = 0;
        for (uint32_t k = 0; k < q->nset; k++)
            b |= (q->need[j] >> k & 1) << to[k];
        q->need[j] = b;
    }
    /* each kid's likely rarest set: wild_possible asks those first (a
     * sentence has few of them; most kids end there) */
    for (uint32_t j = 0; j < n->nwild; j++) {
        uint32_t best = UINT32_MAX;
        for (uint64_t b = q->need[j]; b; b &= b - 1) {
            uint32_t k = (uint32_t)__builtin_ctzll(b), o = set_often(r, q->mid[k], often);
            if (best == UINT32_MAX || o < set_often(r, q->mid[best], often))
                best = k;
        }
        if (best != UINT32_MAX)
            q->rare[j] = (uint8_t)best, q->rares |= 1ull << best, q->by_rare[best] |= 1ull << j;
        else
            q->nosets |= 1ull << j;
    }
    /* the dispatch table's words as bits: most place ends start no kid */
    if (n->nd && r->nwords) {
        if (!(q->dbits = sr_arena_calloc(r->a, ((size_t)r->nwords + 63) / 64 * sizeof *q->dbits)))
            return -1;
        q->ndbits = r->nwords;
        for (uint32_t d = 0; d < n->nd; d++)
            if (n->dpair[2 * d] < r->nwords)
                q->dbits[n->dpair[2 * d] >> 6] |= 1ull << (n->dpair[2 * d] & 63);
    }
    n->wreq = q;
    return 0;
}

/* ---- word tries for classes ------------------------------------------------- */

/* A class made of words only (words, sequences, alternatives, optional
 * parts; no slot, gap, _ or %Cap) matches, on its own, the first of its
 * word sequences in file order that the sentence holds at the word: the
 * sequences are put in a trie over word ids, each end marked with its rank,
 * and a walk along the sentence keeps the lowest rank it passes (its
 * length is the match's).  Same answer as the backtracking search, in a
 * few look-ups: @place_pre alone is asked at most words of most sentences. */
typedef struct wnode {
    uint32_t first, count, rank;    /* a trie node's fields below, together (one line a step of wtrie_match) */
} wnode;

typedef struct wtrie {
    uint32_t *first, *count;    /* per trie node: its edges edge_word/edge_to[first .. first + count), by word */
    wnode *tn;                  /* per trie node: first, count, rank */
    uint32_t *rank;             /* per trie node: rank of the sequence ending there, UINT32_MAX = none */
    uint32_t *edge_word, *edge_to;
    uint32_t *root;             /* a wide first level: word id -> 1 + its node, 0 = none (NULL: search the edges) */
    uint32_t nroot;             /* ids the root table covers */
    uint64_t *fbits;            /* the first words as a bitset of nfbits ids: most words are no first word */
    uint64_t *lbits;            /* the last words of the sequences, the same way (x_rules_class_ends) */
    uint32_t nfbits;
} wtrie;

/* Trie under construction: nodes with unsorted edge lists. */
/* A node of a trie under construction; node 0 is the root, every other
 * one is reached by one edge (its word), so the nodes are the edges: one
 * record, one array to grow per new node. */
typedef struct tnode {
    uint32_t word;          /* the word of the edge into it */
    uint32_t next;          /* its parent's next kid (UINT32_MAX = none) */
    uint32_t head;          /* its first kid (UINT32_MAX = none) */
    uint32_t rank;          /* rank of the sequence ending there, UINT32_MAX = none */
} tnode;

typedef struct tbuild {
    tnode *nd;
    size_t n, cap;
    uint32_t *rootkid;      /* word id below nroot -> the root's kid of that word, 0 = none: a class
                               of many first words (@not_place) would scan hundreds of kids a word */
    uint32_t nroot;
    uint32_t nseq;
    int bad;                /* not words only, or too big (or out of memory) */
} tbuild;

typedef struct excont {
    const node *seq;
    size_t idx;
    const struct excont *next;
} excont;

static void tb_add(tbuild *b, const uint32_t *w, size_t n)
{
    if (b->bad)
        return;
    if (!n || b->nseq >= 4096) {
        b->bad = 1;         /* an empty sequence (the class can match nothing), or too many */
        return;
    }
    uint32_t at = 0, rank = b->nseq++;
    for (size_t i = 0; i < n; i++) {
        uint32_t k;
        if (!at && w[i] < b->nroot)
            k = b->rootkid[w[i]] ? b->rootkid[w[i]] : UINT32_MAX;
        else
            for (k = b->nd[at].head; k != UINT32_MAX && b->nd[k].word != w[i];)
                k = b->nd[k].next;
        if (k == UINT32_MAX) {
            if (sr_grow((void **)&b->nd, &b->cap, b->n + 1, sizeof *b->nd, 64)) {
                b->bad = 1;
                return;
            }
            k = (uint32_t)b->n++;
            b->nd[k] = (tnode){w[i], b->nd[at].head, UINT32_MAX, UINT32_MAX};
            b->nd[at].head = k;
            if (!at && w[i] < b->nroot)
                b->rootkid[w[i]] = k;
        }
        at = k;
    }
    if (b->nd[at].rank == UINT32_MAX)
        b->nd[at].rank = rank;  /* the first sequence in file order wins */
}

static void tb_node(tbuild *b, const node *n, const excont *k, uint32_t *buf, size_t len);

static void tb_cont(tbuild *b, const excont *k, uint32_t *buf, size_t len)
{
    while (k && k->idx >= k->seq->nkid)
        k = k->next;
    if (!k) {
        tb_add(b, buf, len);
        return;
    }
    excont nk = {k->seq, k->idx + 1, k->next};
    tb_node(b, k->seq->kid[k->idx], &nk, buf, len);
}

/* Every word sequence of n followed by k, in the order the matcher tries them. */
static void tb_node(tbuild *b, const node *n, const excont *k, uint32_t *buf, size_t len)
{
    if (b->bad)
        return;
    switch (n->kind) {
    case N_WORD:
        if (len >= 16) {
            b->bad = 1;
            return;
        }
        buf[len] = n->id;
        tb_cont(b, k, buf, len + 1);
        return;
    case N_SEQ: {
        excont nk = {n, 0, k};
        tb_cont(b, &nk, buf, len);
        return;
    }
    case N_ALT:
        for (size_t i = 0; i < n->nkid && !b->bad; i++)
            tb_node(b, n->kid[i], k, buf, len);
        return;
    case N_OPT:
        tb_node(b, n->kid[0], k, buf, len);
        tb_cont(b, k, buf, len);
        return;
    default:
        b->bad = 1;
        return;
    }
}

/* The trie of class n, or NULL when it is not made of words only (or on
 * OOM: the backtracking search answers then). */
static const wtrie *build_trie(x_rules *r, const node *n)
{
    tbuild b;
    memset(&b, 0, sizeof b);
    uint32_t buf[16];
    const wtrie *out = NULL;
    if (sr_grow((void **)&b.nd, &b.cap, 1, sizeof *b.nd, 64) ||
        !(b.rootkid = sr_calloc((size_t)r->nwords + 1, sizeof *b.rootkid)))
        goto done;
    b.nroot = r->nwords;
    b.nd[b.n++] = (tnode){0, UINT32_MAX, UINT32_MAX, UINT32_MAX};
    tb_node(&b, n, NULL, buf, 0);
    if (b.bad)
        goto done;
    size_t nn = b.n, ne = b.n - 1;  /* an edge into every node but the root */
    wtrie *t = sr_arena_calloc(r->a, sizeof *t);
    uint64_t *pair = sr_malloc((ne ? ne : 1) * sizeof *pair);   /* a node's edges: word << 32 | to */
    if (!t || !pair || !(t->first = sr_arena_alloc(r->a, nn * sizeof *t->first)) ||
        !(t->count = sr_arena_alloc(r->a, nn * sizeof *t->count)) ||
        !(t->rank = sr_arena_alloc(r->a, nn * sizeof *t->rank)) ||
        !(t->edge_word = sr_arena_alloc(r->a, (ne ? ne : 1) * sizeof *t->edge_word)) ||
        !(t->edge_to = sr_arena_alloc(r->a, (ne ? ne : 1) * sizeof *t->edge_to))) {
        sr_free(pair);
        goto done;
    }
    /* each node's edges together, sorted by word */
    size_t at = 0;
    for (size_t i = 0; i < nn; i++) {
        size_t c = 0;
        t->rank[i] = b.nd[i].rank;
        for (uint32_t k = b.nd[i].head; k != UINT32_MAX; k = b.nd[k].next, c++)
            pair[c] = (uint64_t)b.nd[k].word << 32 | k;
        sort_keys(pair, c);     /* by word (a node's words differ) */
        t->first[i] = (uint32_t)at, t->count[i] = (uint32_t)c;
        for (size_t j = 0; j < c; j++, at++)
            t->edge_word[at] = (uint32_t)(pair[j] >> 32), t->edge_to[at] = (uint32_t)pair[j];
    }
    sr_free(pair);
    if (!(t->tn = sr_arena_alloc(r->a, nn * sizeof *t->tn)))
        goto done;
    for (size_t i = 0; i < nn; i++)
        t->tn[i] = (wnode){t->first[i], t->count[i], t->rank[i]};
    /* most words are asked about start no sequence: one bit test says so */
    if (r->nwords) {
        if (!(t->fbits = sr_arena_calloc(r->a, ((size_t)r->nwords + 63) / 64 * sizeof *t->fbits)))
            goto done;
        t->nfbits = r->nwords;
        for (uint32_t e = t->first[0]; e < t->first[0] + t->count[0]; e++)
            if (t->edge_word[e] < r->nwords)
                t->fbits[t->edge_word[e] >> 6] |= 1ull << (t->edge_word[e] & 63);
        /* the words of the edges into the ends of sequences */
        if (!(t->lbits = sr_arena_calloc(r->a, ((size_t)r->nwords + 63) / 64 * sizeof *t->lbits)))
            goto done;
        for (size_t e = 0; e < ne; e++)
            if (t->rank[t->edge_to[e]] != UINT32_MAX && t->edge_word[e] < r->nwords)
                t->lbits[t->edge_word[e] >> 6] |= 1ull << (t->edge_word[e] & 63);
    }
    /* a class of many first words (@place_pre): one look-up for the first */
    if (t->count[0] >= 16 && r->nwords) {
        if (!(t->root = sr_arena_calloc(r->a, (size_t)r->nwords * sizeof *t->root)))
            goto done;
        t->nroot = r->nwords;
        for (uint32_t e = t->first[0]; e < t->first[0] + t->count[0]; e++)
            if (t->edge_word[e] < r->nwords)
                t->root[t->edge_word[e]] = t->edge_to[e] + 1;
    }
    out = t;
done:
    sr_free(b.nd), sr_free(b.rootkid);
    return out;
}

/* The trie of a class, made on its first use (most classes are never asked
 * about on their own); NULL when it has none. */
static const wtrie *trie_of(const x_rules *cr, const node *cls)
{
    node *n = (node *)cls;
    if (n->tgen != cr->gen)
        n->tgen = cr->gen, n->trie = build_trie((x_rules *)cr, cls);
    return n->trie;
}

/* wtrie_match past the test of the first word's bit (wtrie_may_start),
 * which x_rules_in_class makes inline before the call. */
static size_t wtrie_walk(const wtrie *t, const xw *w, size_t n, size_t pos)
{
    uint32_t at = 0, best = UINT32_MAX;
    size_t len = 0, p = pos;
    if (t->root) {
        uint32_t id = p < n ? w[p].id : 0;
        if (!id || id >= t->nroot || !t->root[id])
            return 0;
        at = t->root[id] - 1;
        if (t->tn[at].rank != UINT32_MAX)
            best = t->tn[at].rank, len = 1;
        p++;
    }
    for (; p < n; p++) {
        const wnode *nd = &t->tn[at];
        uint32_t id = w[p].id, lo = nd->first, hi = lo + nd->count;
        if (!id || lo == hi)
            break;
        while (lo < hi) {
            uint32_t m = (lo + hi) / 2;
            if (t->edge_word[m] < id)
                lo = m + 1;
            else
                hi = m;
        }
        if (lo >= nd->first + nd->count || t->edge_word[lo] != id)
            break;
        at = t->edge_to[lo];
        if (t->tn[at].rank < best)
            best = t->tn[at].rank, len = p - pos + 1;
    }
    return len;
}

/* False when no sequence of the trie starts with word i (one bit test). */
static inline int wtrie_may_start(const wtrie *t, const xw *w, size_t n, size_t i)
{
    uint32_t id = i < n ? w[i].id : 0;
    return !t->fbits || (id < t->nfbits && (t->fbits[id >> 6] >> (id & 63) & 1));
}

/* Length of the class match at word pos (0: none); see struct wtrie. */
static size_t wtrie_match(const wtrie *t, const xw *w, size_t n, size_t pos)
{
    return wtrie_may_start(t, w, n, pos) ? wtrie_walk(t, w, n, pos) : 0;
}

/* Count every word of class node n (a tree of words) as held by more sets
 * than any rule has: see @frequent in data/rules/10-classes.rules. */
static void often_frequent(const node *n, uint32_t *often, uint32_t nw)
{
    if (!n)
        return;
    if (n->kind == N_WORD && n->id < nw)
        often[n->id] += 1u << 20;
    for (size_t i = 0; i < n->nkid; i++)
        often_frequent(n->kid[i], often, nw);
}

static const node *place_rest(const x_rules *r, const node *pat);

/* The start records of the rules (see rstart), from their compiled nodes. */
static int rstart_of(x_rules *r)
{
    if (!(r->rs = sr_calloc(r->nr + 1, sizeof *r->rs)))
        return -1;
    for (size_t i = 0; i < r->nr; i++) {
        const node *pat = r->r[i].pat, *first = pat->kind == N_SEQ && pat->nkid ? pat->kid[0] : pat;
        rstart *q = &r->rs[i];
        q->mid = pat->mid, q->fflags = pat->fflags;
        q->at_place = first->kind == N_SLOT && first->id == X_SLOT_PLACE;
        q->rest = q->at_place ? place_rest(r, pat) : NULL;
        q->nneed = pat->nneed;
        for (uint32_t k = 0; k < pat->nneed && k < NEED_MAX; k++) {
            const need *nd = &pat->need[k];
            rneed *o = &q->need[k];
            o->kind = (uint8_t)nd->kind;
            o->mid = nd->kind == NEED_SET ? nd->set->mid : 0;
            o->fflags = nd->kind == NEED_SET ? nd->set->fflags : 0;
            o->inf = nd->hi.inf, o->fixed = nd->hi.fixed, o->nact = nd->hi.nact;
        }
    }
    return 0;
}

static int build_index(x_rules *r, uint32_t nwords)
{
    drop_index(r);
    r->gen++;
    r->place_pre = class_node(r, "place_pre");
    r->place_join = class_node(r, "place_join");
    r->gap_stop = class_node(r, "gap_stop");
    for (size_t i = 0; i < r->ndef; i++)
        if (compile(r, r->def[i].n))
            return -1;
    for (size_t i = 0; i < r->nr; i++)
        if (compile(r, r->r[i].pat))
            return -1;
    for (size_t i = 0; i < r->ncue; i++)
        if (compile(r, r->cue[i].pat))
            return -1;
    /* the nodes asked about word by word from outside (classes, cues): a
     * bit test instead of a binary search */
    for (size_t i = 0; i < r->ndef + r->ncue; i++)
        if (fbits_of(r, i < r->ndef ? r->def[i].n : r->cue[i - r->ndef].pat, nwords))
            return -1;
    for (size_t i = 0; i < r->nr; i++)
        if (fbits_tree(r, r->r[i].pat, nwords) || need_of(r, r->r[i].pat))
            return -1;
    for (size_t i = 0; i < r->nr; i++)
        if (set_mid(r, r->r[i].pat) || mids_tree(r, r->r[i].pat))
            return -1;
    if (build_mids(r, nwords))
        return -1;
    /* how many sets each word is in (set_often) */
    uint32_t *often = sr_calloc((size_t)nwords + 1, sizeof *often);
    if (!often)
        return -1;
    for (uint32_t m = 1; m < r->nmid; m++)
        for (uint32_t k = 0; r->mid_node[m] && k < r->mid_node[m]->nfid; k++)
            if (r->mid_node[m]->fid[k] < nwords)
                often[r->mid_node[m]->fid[k]]++;
    /* the words of @frequent (frequent in any text: "by", ",", "which"),
     * whatever the rules say: never taken for a rule's rarest part */
    often_frequent(class_node(r, "frequent"), often, nwords);
    r->nwords = nwords;     /* for wild_req's bitsets */
    int err = 0;
    for (size_t i = 0; i < r->nr && !err; i++) {
        need_mids(r, r->r[i].pat);
        node *rest = (node *)place_rest(r, r->r[i].pat);
        err = rest && rest->kind == N_ALT && wild_req(r, rest, often);
    }
    err = err || build_reqs(r, nwords, often);
    sr_free(often);
    if (err)
        return -1;
    if (build_starts(r, nwords) || rstart_of(r))
        return -1;
    r->indexed = 1;
    r->cue_fast = r->plain ? NULL : r->cue_bits;
    r->cgen = r->plain ? 0 : r->gen;
    return 0;
}

/* The index and FIRST sets are a cache built on first use (the lexicon
 * grows while the extractor loads its words). */
static int ensure_index(const x_rules *cr)
{
    x_rules *r = (x_rules *)cr;
    if (!r->lex)
        return 0;
    if ((!r->indexed || r->nwords != r->lex->n) && build_index(r, r->lex->n))
        return -1;
    return 0;
}

void x_rules_set_plain(x_rules *r, int plain)
{
    r->plain = plain;
    r->cue_fast = r->indexed && !plain ? r->cue_bits : NULL;
    r->cgen = r->indexed && !plain ? r->gen : 0;
}

/* ---- matcher ---------------------------------------------------------------- */

typedef struct cont {
    const node *seq;
    size_t idx;
    const struct cont *next;
} cont;

enum { MEMO_PRE, MEMO_JOIN, MEMO_STOP, NMEMO };

typedef struct mx {
    const x_rules *r;
    const x_sent *s;
    const node *place_pre;  /* @place_pre class, may be NULL */
    const node *place_join; /* @place_join class, may be NULL */
    const node *gap_stop;   /* @gap_stop class, may be NULL */
    x_match cur;
    size_t end;             /* end word of a successful match */
    long steps;             /* guard against pathological backtracking (STEP_LIMIT) */
    const node *top;        /* the rule being tried, when a sequence */
    uint64_t *failed;       /* bit idx * (n + 1) + pos: the rest of top from part idx fails at word pos */
    int fast;               /* use the FIRST sets (off: the plain search, for tests) */
    /* per-sentence tables, only inside x_rules_match (NULL elsewhere) */
    int32_t *am_at, *pl_at; /* first actor mention / place starting at each word, -1 */
    int32_t *memo[NMEMO];   /* class match length at each word, -1 = not known yet */
    uint8_t *gapblk;        /* 0 = not known yet, 1 = a gap may cross the word, 2 = not */
    int tables;             /* the per-sentence tables below are made (x_rules_match) */
    uint32_t *next_am, *next_pl;    /* longer sentences: first actor mention / place starting at or after each word (n: none) */
    uint32_t am_max;        /* the longest actor mention, in words */
    /* sentences of at most 64 words: word sets as bit masks over the words
     * (bit p = word p), so a need or a start is a shift and an and */
    const uint64_t *mask;   /* not NULL: the sentence has word masks (mask_of; at most 64 words) */
    uint64_t all, nonpunct, cap, am_mask, pl_mask;
    int flagm;              /* nonpunct and cap are made (flag_masks) */
    uint8_t *reach;         /* place_reachable per word (see there) */
    int present;            /* mask_of(mid) is not 0 when a word of the set is in the sentence (all sentences
                               with the tables: in a longer one it only says so) */
} mx;

/* m_node calls per try past which a try gives up (never reached on real
 * sentences; a guard against pathological backtracking). */
#define STEP_LIMIT 200000

static void mx_init(mx *c, const x_rules *r, const x_sent *s)
{
    memset(c, 0, sizeof *c);
    c->r = r, c->s = s;
    c->fast = !r->plain && r->indexed;
    c->cur.trig0 = UINT32_MAX;
}

/* First index of sorted v[0..n) whose value is not below x. */
static uint32_t lower_bound(const uint32_t *v, uint32_t n, uint32_t x)
{
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t m = (lo + hi) / 2;
        if (v[m] < x)
            lo = m + 1;
        else
            hi = m;
    }
    return lo;
}

/* lower_bound over the keys of n sorted (key, value) pairs. */
static uint32_t lower_bound2(const uint32_t *pair, uint32_t n, uint32_t x)
{
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t m = (lo + hi) / 2;
        if (pair[2 * m] < x)
            lo = m + 1;
        else
            hi = m;
    }
    return lo;
}

static int in_sorted(const uint32_t *v, uint32_t n, uint32_t x)
{
    uint32_t lo = lower_bound(v, n, x);
    return lo < n && v[lo] == x;
}

/* Does a span (actor mention or place: w0 comes first in both) start at
 * word pos?  The per-sentence table answers when there is one. */
static int span_starts(const int32_t *at, const void *base, size_t nel, size_t size, size_t pos)
{
    if (at)
        return at[pos] >= 0;
    for (size_t i = 0; i < nel; i++)
        if (*(const uint32_t *)((const char *)base + i * size) == pos)
            return 1;
    return 0;
}

static int am_starts(const mx *c, size_t pos) { return span_starts(c->am_at, c->s->am, c->s->nam, sizeof *c->s->am, pos); }
static int pl_starts(const mx *c, size_t pos) { return span_starts(c->pl_at, c->s->pl, c->s->npl, sizeof *c->s->pl, pos); }

/* False when no non-empty match of n can start at word pos. */
static inline int first_ok(const mx *c, const node *n, size_t pos)
{
    if (!c->fast || (n->fflags & F_ANY) || n->gen != c->r->gen)
        return 1;
    const x_sent *s = c->s;
    if (pos >= s->n)
        return 0;
    const xw *w = &s->w[pos];
    if (n->fflags) {
        if ((n->fflags & F_NONPUNCT) && !(w->flags & XW_PUNCT))
            return 1;
        if ((n->fflags & F_CAP) && (w->flags & XW_CAP))
            return 1;
        if ((n->fflags & F_AM) && am_starts(c, pos))
            return 1;
        if ((n->fflags & F_PL) && pl_starts(c, pos))
            return 1;
    }
    if (n->fbit)
        return w->id < c->r->nwords && (n->fbit[w->id >> 6] >> (w->id & 63) & 1);
    return w->id && in_sorted(n->fid, n->nfid, w->id);
}

static int m_node(mx *c, const node *n, size_t pos, const cont *k);

/* Word id in the FIRST set of node n (which has only plain words). */
static inline int in_first(const x_rules *r, const node *n, uint32_t id)
{
    if (n->nfid == 1)
        return id == n->fid[0];
    if (n->fbit)
        return id < r->nwords && (n->fbit[id >> 6] >> (id & 63) & 1);
    return id && in_sorted(n->fid, n->nfid, id);
}

/* The stamp and occurrences of word id (id <= nwords): the head of its row. */
static inline struct wocc *wocc_at(const x_rules *r, uint32_t id)
{
    return (struct wocc *)(void *)(r->srow + (size_t)id * r->rstride);
}

/* The presence bit of mid (below npres) in the sentence's rows ORed. */
static inline int pres_bit(const x_rules *r, uint32_t mid)
{
    uint32_t b = r->nsets + mid;
    return (int)(r->mpres[b >> 6] >> (b & 63) & 1);
}

/* Has the sentence (of the current serial, with mids_present done) a word
 * of the set of mid?  Exact for the sets needs name, else 1. */
static inline int mid_present(const x_rules *r, uint32_t mid)
{
    if (mid < r->npres)
        return pres_bit(r, mid);
    if (mid < r->nsingle)
        return wocc_at(r, r->mone[mid])->stamp == (uint32_t)r->serial;
    return 1;   /* not told (see build_mids) */
}

/* mask_of past its stamp: the words of the sentence whose ids are in the
 * FIRST set of mid: for a set with a bitset (8 words or more) from the ids
 * the sentence has, even when the set has fewer (their rows were just
 * read, the set's words' rows are cold: a miss each), else from the words
 * of the set. */
static uint64_t mask_fill(const mx *c, uint32_t mid)
{
    x_rules *r = (x_rules *)c->r;
    uint64_t m = 0;
    const uint32_t ser = (uint32_t)r->serial;
    struct mrec *q = &r->mr[mid];
    if (mid >= r->nmulti && mid < r->nsingle) {
        /* a set of one word (most): where the word stands, without a
         * visit to the node and its words */
        uint32_t id = q->n;
        const struct wocc *o = wocc_at(r, id);
        m = o->stamp == ser ? o->occ : 0;
    } else if (q->fid && mid_present(r, mid)) {
        if (q->fbit) {
            for (uint32_t j = 0; j < r->ndist; j++) {
                uint32_t id = r->dist[j];
                if (q->fbit[id >> 6] >> (id & 63) & 1)
                    m |= wocc_at(r, id)->occ;
            }
        } else
            for (uint32_t k = 0; k < q->n; k++) {
                uint32_t id = q->fid[k];
                if (id < r->nwords && wocc_at(r, id)->stamp == ser)
                    m |= wocc_at(r, id)->occ;
            }
    }
    q->mask = m, q->stamp = ser;
    return m;
}

/* The words of the sentence whose ids are in the FIRST set of mid (bit p =
 * word p; 0 for mid 0), worked out on the first question in a sentence: a
 * sentence asks about a few of the hundreds of sets. */
static inline uint64_t mask_of(const mx *c, uint32_t mid)
{
    const struct mrec *q = &c->r->mr[mid];
    return q->stamp == (uint32_t)c->r->serial ? q->mask : mask_fill(c, mid);
}

/* The masks of the words that are not punctuation and of those
 * capitalised (short sentences), worked out on the first question. */
static const mx *flag_masks(const mx *cc)
{
    mx *c = (mx *)cc;
    if (!c->flagm) {
        uint64_t np = 0, cap = 0;
        for (size_t p = 0; p < c->s->n; p++) {
            unsigned fl = c->s->w[p].flags;
            np |= (uint64_t)!(fl & XW_PUNCT) << p;
            cap |= (uint64_t)!!(fl & XW_CAP) << p;
        }
        c->nonpunct = np, c->cap = cap, c->flagm = 1;
    }
    return c;
}

/* The words of a FIRST set given by its conditions (F_*) and word mask
 * (mid), as a mask of the sentence's words (node_mask without the node). */
static inline uint64_t first_mask(const mx *c, unsigned fl, uint32_t mid)
{
    if (fl & F_ANY)
        return c->all;
    uint64_t m = mask_of(c, mid);
    if (fl & F_NONPUNCT)
        m |= flag_masks(c)->nonpunct;
    if (fl & F_CAP)
        m |= flag_masks(c)->cap;
    if (fl & F_AM)
        m |= c->am_mask;
    if (fl & F_PL)
        m |= c->pl_mask;
    return m;
}

/* The words of the sentence a non-empty match of n may start at (its FIRST
 * set), as a mask; n must have a mid and the sentence a mask table. */
static inline uint64_t node_mask(const mx *c, const node *n) { return first_mask(c, n->fflags, n->mid); }

/* Number of zero bits above the highest set bit of m (m != 0). */
static inline unsigned clz64(uint64_t m)
{
#if defined(__GNUC__)
    return (unsigned)__builtin_clzll(m);
#else
    unsigned k = 0;
    while (!(m >> 63))
        m <<= 1, k++;
    return k;
#endif
}

/* The words p of which a need with this reach can be met at, as a mask:
 * those with a bit of `where` in [p, p + h]. */
static uint64_t need_reach(uint64_t where, size_t h)
{
    if (!where)
        return 0;
    if (h >= 63)
        return ~0ull >> clz64(where);     /* every bit up to the highest */
    uint64_t m = where;
    for (size_t cov = 1; cov <= h;) {      /* m = where | where >> 1 | ... | where >> (cov - 1) */
        size_t st = cov <= h + 1 - cov ? cov : h + 1 - cov;
        m |= m >> st;
        cov += st;
    }
    return m;
}

/* False when a need of n (struct need) cannot be met by a match starting
 * at word pos; only inside x_rules_match (the per-sentence tables). */
static int needs_ok(const mx *c, const node *n, size_t pos)
{
    if (!c->tables)
        return 1;
    const x_sent *s = c->s;
    if (pos >= s->n)
        return !n->nneed;
    if (c->mask) {
        for (uint32_t i = 0; i < n->nneed; i++) {
            const need *q = &n->need[i];
            uint64_t where;
            if (q->kind == NEED_SET) {
                uint32_t mid = q->mid;      /* a need's set has no word conditions: its mask only */
                where = mask_of(c, mid);
            } else
                where = q->kind == NEED_ACTOR ? c->am_mask : c->pl_mask;
            where >>= pos;
            if (!q->hi.inf) {
                size_t h = q->hi.fixed + (size_t)q->hi.nact * c->am_max;
                if (h < 63)
                    where &= (2ull << h) - 1;
            }
            if (!where)
                return 0;
        }
        return 1;
    }
    for (uint32_t i = 0; i < n->nneed; i++) {
        const need *q = &n->need[i];
        size_t lim = q->hi.inf ? s->n : pos + q->hi.fixed + (size_t)q->hi.nact * c->am_max;
        if (lim >= s->n)
            lim = s->n - 1;
        if (pos > lim)
            return 0;
        if (q->kind == NEED_ACTOR) {
            if (c->next_am[pos] > lim)
                return 0;
        } else if (q->kind == NEED_PLACE) {
            if (c->next_pl[pos] > lim)
                return 0;
        } else {
            size_t p = pos;
            while (p <= lim && !in_first(c->r, q->set, s->w[p].id))
                p++;
            if (p > lim)
                return 0;
        }
    }
    return 1;
}

/* False when a need of n cannot be met anywhere in the sentence (a set
 * none of whose words it holds, a slot it has no mention for); sentences
 * with masks.  Most needs that fail inside the big alternatives fail so. */
static int needs_possible(const mx *c, const node *n)
{
    for (uint32_t i = 0; i < n->nneed; i++) {
        const need *q = &n->need[i];
        uint32_t mid = q->mid;
        if (q->kind == NEED_SET ? !mid_present(c->r, mid)
                                : !(q->kind == NEED_ACTOR ? (c->mask ? c->am_mask != 0 : c->s->nam > 0)
                                                          : (c->mask ? c->pl_mask != 0 : c->s->npl > 0)))
            return 0;
    }
    return 1;
}

/* needs_possible, remembered per node for the sentence: an alternative
 * of the big {place} ( ... ) rules is asked about at every place. */
static int possible(const mx *c, const node *n)
{
    if (n->pser != c->r->serial) {
        node *w = (node *)n;
        w->pok = (uint8_t)needs_possible(c, n), w->pser = c->r->serial;
    }
    return n->pok;
}

static int m_leaf(mx *c, unsigned kind, uint32_t id, size_t pos, const cont *k);
static int m_cont(mx *c, size_t pos, const cont *k);

/* A word of the lexicon (id) at pos (its step counted). */
static inline int m_word(mx *c, uint32_t id, size_t pos, const cont *k)
{
    const x_sent *s = c->s;
    if (pos >= s->n || s->w[pos].id != id)
        return 0;
    /* a word changes only the trigger span of the match */
    uint32_t t0 = c->cur.trig0, t1 = c->cur.trig1;
    if (t0 == UINT32_MAX)
        c->cur.trig0 = (uint32_t)pos;
    c->cur.trig1 = (uint32_t)pos;
    if (m_cont(c, pos + 1, k))
        return 1;
    c->cur.trig0 = t0, c->cur.trig1 = t1;
    return 0;
}

/* Part i of sequence seq at word pos: a leaf from its tag (the step counted
 * as m_node counts it), anything else through its node. */
static inline int m_kid(mx *c, const node *seq, size_t i, size_t pos, const cont *k)
{
    if (c->fast && seq->gen == c->r->gen) {
        uint32_t t = kid_tags(seq)[i];
        if (t) {
            if (++c->steps > STEP_LIMIT)
                return 0;
            /* the commonest leaf without a call */
            if (t >> TAG_SHIFT == N_WORD)
                return m_word(c, t & TAG_ID, pos, k);
            return m_leaf(c, t >> TAG_SHIFT, t & TAG_ID, pos, k);
        }
    }
    return m_node(c, seq->kid[i], pos, k);
}

static int m_cont(mx *c, size_t pos, const cont *k)
{
    while (k && k->idx >= k->seq->nkid)
        k = k->next;
    if (!k) {
        c->end = pos;
        return 1;
    }
    cont nk = {k->seq, k->idx + 1, k->next};
    if (k->next || k->seq != c->top || !c->failed)
        return m_kid(c, k->seq, k->idx, pos, &nk);
    /* the rest of the rule from part idx at word pos: whether it matches
     * depends on nothing else (what the match holds so far is only
     * recorded), so a failure is remembered for the later starts of the
     * same rule in the sentence */
    size_t bit = k->idx * (c->s->n + 1) + pos;
    if (c->failed[bit >> 6] >> (bit & 63) & 1)
        return 0;
    if (m_kid(c, k->seq, k->idx, pos, &nk))
        return 1;
    if (c->steps <= STEP_LIMIT)
        c->failed[bit >> 6] |= 1ull << (bit & 63);
    return 0;
}

static int in_class_at(mx *c, const node *cls, size_t pos, size_t *len)
{
    /* a trie rejects a word that starts none of its sequences by itself */
    const wtrie *t = c->fast && cls->gen == c->r->gen ? trie_of(c->r, cls) : NULL;
    if (t) {
        if (!wtrie_may_start(t, c->s->w, c->s->n, pos))
            return 0;
        *len = wtrie_match(t, c->s->w, c->s->n, pos);
        return *len > 0;
    }
    if (!first_ok(c, cls, pos))
        return 0;
    /* a match of its own: what the asking match has found is kept */
    x_match cur = c->cur;
    size_t end = c->end;
    long steps = c->steps;
    c->cur.trig0 = UINT32_MAX;
    int ok = m_node(c, cls, pos, NULL);
    size_t e = c->end;
    c->cur = cur, c->end = end, c->steps = steps;
    if (!ok)
        return 0;
    *len = e - pos;
    return *len > 0;
}

/* in_class_at for the classes the matcher itself uses, remembered per word
 * of the sentence: a place slot or a gap asks the same question at the same
 * word many times while backtracking. */
static int class_at(mx *c, int which, const node *cls, size_t pos, size_t *len)
{
    int32_t *m = c->memo[which];
    if (!m)
        return in_class_at(c, cls, pos, len);
    if (m[pos] < 0) {
        /* the class's trie (made on an earlier question) turns most words
         * away by their first word */
        const wtrie *t = cls->tgen == c->r->gen && cls->gen == c->r->gen ? cls->trie : NULL;
        if (t && c->fast && !wtrie_may_start(t, c->s->w, c->s->n, pos)) {
            m[pos] = 0;
            return 0;
        }
        /* a fresh step count, so that what is remembered does not depend
         * on how far the asking match had got (the guard never trips on
         * real sentences) */
        size_t l = 0;
        long steps = c->steps;
        c->steps = 0;
        m[pos] = in_class_at(c, cls, pos, &l) ? (int32_t)l : 0;
        c->steps = steps;
    }
    *len = (size_t)m[pos];
    return m[pos] > 0;
}

/* Where to look for the spans (places, actor mentions) starting at word
 * pos: with the per-sentence table its first one (nspans when none), else
 * 0 (scan them all). */
static size_t span_from(const int32_t *at, size_t pos, size_t nwords, size_t nspans)
{
    if (!at)
        return 0;
    return pos >= nwords || at[pos] < 0 ? nspans : (size_t)at[pos];
}

/* Place slot: optional lead words (@place_pre), a place, then more places
 * joined by @place_join ("X, Y and Z"). */
static int m_place(mx *c, size_t pos, const cont *k)
{
    const x_sent *s = c->s;
    size_t p = pos;
    for (int guard = 0; guard < 8; guard++) {
        /* a place starting here? */
        for (size_t i = span_from(c->pl_at, p, s->n, s->npl); i < s->npl; i++) {
            if (s->pl[i].w0 != p) {
                if (c->pl_at)
                    break;
                continue;
            }
            /* a failed try leaves c->cur as it found it (each part undoes
             * its own change): only the count of places to put back */
            int saved = c->cur.nplace;
            if (c->cur.nplace < X_MAX_PLACES)
                c->cur.place[c->cur.nplace++] = (int)i;
            size_t q = s->pl[i].w1;
            /* more places joined to this one */
            size_t jl;
            if (c->place_join && q < s->n && class_at(c, MEMO_JOIN, c->place_join, q, &jl)) {
                size_t q2 = q + jl, l2;
                for (int g2 = 0; g2 < 6 && c->place_pre && q2 < s->n && class_at(c, MEMO_PRE, c->place_pre, q2, &l2);
                     g2++)
                    q2 += l2;
                for (size_t j = span_from(c->pl_at, q2, s->n, s->npl); j < s->npl; j++) {
                    if (s->pl[j].w0 != q2) {
                        if (c->pl_at)
                            break;
                        continue;
                    }
                    if (m_place(c, q2, k))
                        return 1;
                }
            }
            if (m_cont(c, q, k))
                return 1;
            c->cur.nplace = saved;
        }
        size_t l;
        if (!c->place_pre || p >= s->n || !class_at(c, MEMO_PRE, c->place_pre, p, &l))
            return 0;
        p += l;
    }
    return 0;
}

/* May a gap (*N) take word p?  Not a clause end, a @gap_stop word or the
 * start of a (non-pronoun) actor mention. */
static int gap_crosses(mx *c, size_t p)
{
    if (c->gapblk && c->gapblk[p])
        return c->gapblk[p] == 1;
    const x_sent *s = c->s;
    const xw *w = &s->w[p];
    int ok = 1;
    size_t gl;
    if ((w->flags & XW_PUNCT) && (w->id == c->r->stop1 || w->id == c->r->stop2))
        ok = 0;
    else if (c->gap_stop && class_at(c, MEMO_STOP, c->gap_stop, p, &gl))
        ok = 0;
    else if (c->am_at) {
        for (int32_t a = c->am_at[p]; ok && a >= 0 && (size_t)a < s->nam && s->am[a].w0 == p; a++)
            if (!s->am[a].weak)
                ok = 0;
    } else
        for (size_t a = 0; ok && a < s->nam; a++)
            if (s->am[a].w0 == p && !s->am[a].weak)
                ok = 0;
    if (c->gapblk)
        c->gapblk[p] = ok ? 1 : 2;
    return ok;
}

/* One alternative after another, in file order (the first that lets the
 * rest match wins); with the dispatch table only those that can start with
 * the word at pos (plus the always-tried ones), still in file order. */
static int m_alt(mx *c, const node *n, size_t pos, const cont *k)
{
    if (!c->fast || n->gen != c->r->gen || n->nd + n->nwild == 0) {
        for (size_t i = 0; i < n->nkid; i++)
            if (m_node(c, n->kid[i], pos, k))
                return 1;
        return 0;
    }
    uint32_t id = pos < c->s->n ? c->s->w[pos].id : 0;
    uint32_t lo = 0, hi = 0;
    if (id && n->nd) {
        lo = hi = lower_bound2(n->dpair, n->nd, id);
        while (hi < n->nd && n->dpair[2 * hi] == id)
            hi++;
    }
    uint32_t w = 0;
    while (lo < hi || w < n->nwild) {
        uint32_t kid;
        if (w >= n->nwild || (lo < hi && n->dpair[2 * lo + 1] < n->wild[w]))
            kid = n->dpair[2 * lo++ + 1];
        else
            kid = n->wild[w++];
        const node *kd = n->kid[kid];
        /* first whether the sentence can meet its needs at all */
        if (kd->nneed && ((c->present && !possible(c, kd)) || !needs_ok(c, kd, pos)))
            continue;
        if (m_node(c, n->kid[kid], pos, k))
            return 1;
    }
    return 0;
}

/* A visit of a leaf node of this kind and id (its step counted): what
 * m_node does for one, without the node (m_kid calls it from a tag). */
static int m_leaf(mx *c, unsigned kind, uint32_t id, size_t pos, const cont *k)
{
    const x_sent *s = c->s;
    switch (kind) {
    case N_WORD:
        return m_word(c, id, pos, k);
    case N_ANY:
        if (pos >= s->n || (s->w[pos].flags & XW_PUNCT))
            return 0;
        return m_cont(c, pos + 1, k);
    case N_CAP:
        if (pos >= s->n || !(s->w[pos].flags & XW_CAP))
            return 0;
        return m_cont(c, pos + 1, k);
    case N_GAP: {
        /* fewest words first; never across the end of a clause (. ;).  The
         * node after the gap is asked at every length: where its FIRST set
         * rules the word out (and it cannot match nothing), the
         * continuation is not entered at all (same matches, fewer steps;
         * this loop was most of the matcher's work, after {place} *8) */
        const cont *kk = k;
        while (kk && kk->idx >= kk->seq->nkid)
            kk = kk->next;
        const node *nx = kk ? kk->seq->kid[kk->idx] : NULL;
        int pre = nx && !nx->nullable;
        /* with a word mask of that node's FIRST set, a bit test per length */
        int usem = pre && c->mask && c->fast && nx->mgen == c->r->gen && nx->mid && nx->gen == c->r->gen;
        uint64_t nm = usem ? node_mask(c, nx) : 0;
        for (size_t g = 0; g <= id; g++) {
            if (g) {
                if (pos + g - 1 >= s->n || !gap_crosses(c, pos + g - 1))
                    return 0;
            }
            if (usem ? pos + g >= s->n || !(nm >> (pos + g) & 1) : pre && !first_ok(c, nx, pos + g))
                continue;
            if (m_cont(c, pos + g, k))
                return 1;
        }
        return 0;
    }
    case N_SLOT: {
        if (id == X_SLOT_PLACE)
            return m_place(c, pos, k);
        for (size_t i = span_from(c->am_at, pos, s->n, s->nam); i < s->nam; i++) {
            if (s->am[i].w0 != pos) {
                if (c->am_at)
                    break;
                continue;
            }
            int *slot = id == X_SLOT_ACTOR ? &c->cur.actor : id == X_SLOT_ACTOR2 ? &c->cur.actor2 : &c->cur.target;
            int saved = *slot;
            *slot = (int)i;
            if (m_cont(c, s->am[i].w1, k))
                return 1;
            *slot = saved;
        }
        return 0;
    }
    }
    return 0;
}

static int m_node(mx *c, const node *n, size_t pos, const cont *k)
{
    if (++c->steps > STEP_LIMIT)
        return 0;
    switch (n->kind) {
    case N_SEQ: {
        cont nk = {n, 0, k};
        return m_cont(c, pos, &nk);
    }
    case N_ALT:
        return m_alt(c, n, pos, k);
    case N_OPT:
        if ((n->kid[0]->nullable || first_ok(c, n->kid[0], pos)) && m_node(c, n->kid[0], pos, k))
            return 1;
        return m_cont(c, pos, k);
    }
    return m_leaf(c, (unsigned)n->kind, n->id, pos, k);
}

/* first_ok for a sentence without actor mentions and places, before any
 * matcher state is set up (most words of most calls start no class). */
static int may_start(const x_rules *r, const node *nd, const xw *w, size_t n, size_t pos)
{
    if (r->plain || !r->indexed || nd->gen != r->gen || (nd->fflags & F_ANY))
        return 1;
    if (pos >= n)
        return 0;
    if (((nd->fflags & F_NONPUNCT) && !(w[pos].flags & XW_PUNCT)) || ((nd->fflags & F_CAP) && (w[pos].flags & XW_CAP)))
        return 1;
    if (nd->fbit)
        return w[pos].id < r->nwords && (nd->fbit[w[pos].id >> 6] >> (w[pos].id & 63) & 1);
    return w[pos].id && in_sorted(nd->fid, nd->nfid, w[pos].id);
}

/* x_rules_in_class for a class without a trie (or before the index). */
static int in_class_slow(const x_rules *r, const node *nd, const xw *w, size_t n, size_t i, size_t *len)
{
    if (ensure_index(r))
        return 0;
    const wtrie *t = !r->plain && nd->gen == r->gen ? trie_of(r, nd) : NULL;
    if (t) {
        *len = wtrie_match(t, w, n, i);
        return *len > 0;
    }
    if (!may_start(r, nd, w, n, i))
        return 0;
    x_sent s = {w, n, NULL, 0, NULL, 0};
    mx c;
    mx_init(&c, r, &s);
    return in_class_at(&c, nd, i, len);
}

/* The first cache slot of a class name: its address's low six bits
 * (names are string literals, a few bytes apart: "site_noun",
 * "actor_pre", "actor_post" land on slots far apart) mixed with the next
 * six. */
static inline size_t ccache_hash(const char *cls)
{
    return ((uintptr_t)cls ^ (uintptr_t)cls >> 6) & 63;
}

/* The cache slot of a class name: of the two from its hash, the one that
 * holds it, else an empty one, else the first (names next to each other
 * in memory, "facility_noun" and "facility_prep", may share a hash: one
 * slot for both would send every other call the long way). */
static inline size_t ccache_slot(const x_rules *r, const char *cls)
{
    size_t h = ccache_hash(cls), h2 = (h + 1) & 63;
    if (r->ccache[h].name == cls || (r->ccache[h2].name != cls && r->ccache[h].name == NULL))
        return h;
    return r->ccache[h2].name == cls || r->ccache[h2].name == NULL ? h2 : h;
}

/* The node of class `cls`, NULL when there is none: callers ask for a few
 * classes by constant names, per word, so the node of each name pointer is
 * remembered (a name is a string that does not change, see xint.h), with
 * its trie once the index is built. */
static const node *class_named(const x_rules *r, const char *cls)
{
    x_rules *rw = (x_rules *)r;
    size_t slot = ccache_slot(r, cls);
    if (rw->ccache[slot].name != cls) {
        const named *d = find_def(r, cls, strlen(cls));
        if (!d)
            return NULL;
        rw->ccache[slot].name = cls, rw->ccache[slot].def = d, rw->nccache = 1;
        rw->ccache[slot].gen = 0, rw->ccache[slot].trie = NULL;
    }
    const node *nd = rw->ccache[slot].def->n;
    if (r->indexed && !r->plain && nd->gen == r->gen && rw->ccache[slot].gen != r->gen)
        rw->ccache[slot].trie = trie_of(r, nd), rw->ccache[slot].gen = r->gen;
    return nd;
}

/* The trie of class cls when it is remembered for the index as it stands
 * (class_named), else NULL: the common case of x_rules_in_class, kept
 * short (a look-up and a bit test for most words). */
static inline const wtrie *cached_trie(const x_rules *r, const char *cls)
{
    size_t slot = ccache_hash(cls);
    if (r->ccache[slot].name != cls)
        slot = (slot + 1) & 63;
    if (r->ccache[slot].name == cls && r->ccache[slot].gen == r->cgen && r->nwords == r->lex->n)
        return r->ccache[slot].trie;
    return NULL;
}

/* x_rules_in_class past the cache: out of line, so that the short path
 * saves no registers. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static int in_class_named(const x_rules *r, const char *cls, const xw *w, size_t n, size_t i, size_t *len)
{
    if (ensure_index(r))
        return 0;
    const node *nd = class_named(r, cls);
    return nd && in_class_slow(r, nd, w, n, i, len);
}

int x_rules_in_class(const x_rules *r, const char *cls, const xw *w, size_t n, size_t i, size_t *len)
{
    const wtrie *t = cached_trie(r, cls);
    if (!t)
        return in_class_named(r, cls, w, n, i, len);
    if (!wtrie_may_start(t, w, n, i))
        return 0;
    *len = wtrie_walk(t, w, n, i);
    return *len > 0;
}

int x_rules_class_ends(const x_rules *r, const char *cls, uint32_t id)
{
    const wtrie *t = cached_trie(r, cls);
    if (!t) {
        /* the name not remembered yet (or no trie): look it up once */
        if (ensure_index(r) || !class_named(r, cls) || !(t = cached_trie(r, cls)))
            return 1;
    }
    return !t->lbits || (id < t->nfbits && (t->lbits[id >> 6] >> (id & 63) & 1));
}

/* x_rules_class_bits' trie past the cache: the name not remembered yet
 * (or no trie): looked up once.  Out of line, so that the short path
 * (three times a sentence) saves no registers. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static const wtrie *class_trie_slow(const x_rules *r, const char *cls)
{
    if (ensure_index(r) || !class_named(r, cls))
        return NULL;
    return cached_trie(r, cls);
}

void x_rules_class_bits(const x_rules *r, const char *cls, x_class_bits *out)
{
    memset(out, 0, sizeof *out);
    if (!r || r->plain)
        return;
    const wtrie *t = cached_trie(r, cls);
    if (!t && !(t = class_trie_slow(r, cls)))
        return;
    /* x_rules_in_class turns a word away by the same bits (wtrie_may_start),
     * x_rules_class_ends by the last ones; no bits, no filter */
    if (t->fbits && t->lbits)
        out->first = t->fbits, out->last = t->lbits, out->nbits = t->nfbits;
}

/* Length of cue q's match at word p (0: none): its trie when it is made
 * of words only, else the search (c set up by the caller on first need). */
static size_t cue_len(const x_rules *r, const cue *q, mx *c, int *have_c, const x_sent *s, size_t p)
{
    const wtrie *t = q->pat->gen == r->gen ? trie_of(r, q->pat) : NULL;
    if (t)
        return wtrie_match(t, s->w, s->n, p);
    if (!*have_c)
        mx_init(c, r, s), *have_c = 1;
    c->steps = 0, c->cur.trig0 = UINT32_MAX;
    return m_node(c, q->pat, p, NULL) && c->end > p ? c->end - p : 0;
}

/* x_cue_at past the first-word test: out of line, so that the short path
 * (most words start no cue) saves no registers. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static int cue_at(const x_rules *r, const xw *w, size_t n, size_t p, size_t dist, int only, size_t *len);

int x_cue_at(const x_rules *r, const xw *w, size_t n, size_t p, size_t dist, int only, size_t *len)
{
    /* the index as it stands and a word that starts no cue: no */
    const uint64_t *cb = r->cue_fast;   /* set only when indexed: r->lex is there */
    if (cb && r->nwords == r->lex->n && !(p < n && w[p].id < r->nwords && (cb[w[p].id >> 6] >> (w[p].id & 63) & 1)))
        return 0;
    return cue_at(r, w, n, p, dist, only, len);
}

static int cue_at(const x_rules *r, const xw *w, size_t n, size_t p, size_t dist, int only, size_t *len)
{
    x_sent s = {w, n, NULL, 0, NULL, 0};
    if (ensure_index(r) || !some_cue_at(r, w, n, p))
        return 0;
    mx c;
    if (!r->plain && r->cue_off) {
        /* only the cues that can start with the word, in file order */
        int have_c = 0;
        uint32_t id = w[p].id;
        for (uint32_t k = r->cue_off[id]; k < r->cue_off[id + 1]; k++) {
            const cue *q = &r->cue[r->cue_idx[k]];
            if ((only && q->kind != only) || (!only && q->kind == X_CUE_CLAIM) || (q->window && dist > q->window))
                continue;
            size_t l = cue_len(r, q, &c, &have_c, &s, p);
            if (l) {
                *len = l;
                return q->kind;
            }
        }
        return 0;
    }
    mx_init(&c, r, &s);
    for (size_t k = 0; k < r->ncue; k++) {
        const cue *q = &r->cue[k];
        if ((only && q->kind != only) || (!only && q->kind == X_CUE_CLAIM))
            continue;
        if (q->window && dist > q->window)
            continue;
        if (!first_ok(&c, q->pat, p))
            continue;
        c.steps = 0, c.cur.trig0 = UINT32_MAX;
        if (m_node(&c, q->pat, p, NULL) && c.end > p) {
            *len = c.end - p;
            return q->kind;
        }
    }
    return 0;
}

long x_cue_find(const x_rules *r, int kind, const xw *w, size_t from, size_t to, size_t *len)
{
    x_sent s = {w, to, NULL, 0, NULL, 0};
    if (ensure_index(r))
        return -1;
    mx c;
    if (!r->plain && r->cue_off) {
        int have_c = 0;
        for (size_t i = from; i < to; i++) {
            uint32_t id = w[i].id;
            if (!id || id >= r->nwords)
                continue;
            for (uint32_t k = r->cue_off[id]; k < r->cue_off[id + 1]; k++) {
                const cue *q = &r->cue[r->cue_idx[k]];
                size_t l = q->kind == kind ? cue_len(r, q, &c, &have_c, &s, i) : 0;
                if (l) {
                    *len = l;
                    return (long)i;
                }
            }
        }
        return -1;
    }
    mx_init(&c, r, &s);
    for (size_t i = from; i < to; i++)
        for (size_t k = 0; k < r->ncue && some_cue_at(r, w, to, i); k++) {
            if (r->cue[k].kind != kind || !first_ok(&c, r->cue[k].pat, i))
                continue;
            c.steps = 0, c.cur.trig0 = UINT32_MAX;
            if (m_node(&c, r->cue[k].pat, i, NULL) && c.end > i) {
                *len = c.end - i;
                return (long)i;
            }
        }
    return -1;
}

/* Index of the first entry starting at each word, for spans sorted by start,
 * in at[0..n] (all -1 on entry); NULL (scan them all) when they are not
 * sorted. */
static int32_t *starts_at(int32_t *at, size_t n, const void *base, size_t nel, size_t size)
{
    uint32_t prev = 0;
    for (size_t i = 0; i < nel; i++) {
        uint32_t w0 = *(const uint32_t *)((const char *)base + i * size);   /* w0 comes first */
        if (w0 < prev || w0 >= n)
            return NULL;
        if (at[w0] < 0)
            at[w0] = (int32_t)i;
        prev = w0;
    }
    return at;
}

/* The first span (place, actor mention: w0, w1 come first) starting at or
 * after each word, s->n when none; the longest span's words in *maxw. */
static uint32_t *next_start(sr_arena *a, size_t n, const void *base, size_t nel, size_t size, uint32_t *maxw)
{
    uint32_t *nx = sr_arena_alloc(a, (n + 1) * sizeof *nx);
    if (!nx)
        return NULL;
    for (size_t i = 0; i <= n; i++)
        nx[i] = (uint32_t)n;
    uint32_t mw = 0;
    for (size_t i = 0; i < nel; i++) {
        const uint32_t *sp = (const uint32_t *)((const char *)base + i * size);
        if (sp[0] < n && sp[0] < nx[sp[0]])
            nx[sp[0]] = sp[0];
        if (sp[1] > sp[0] && sp[1] - sp[0] > mw)
            mw = sp[1] - sp[0];
    }
    for (size_t i = n; i-- > 0;)
        if (nx[i + 1] < nx[i])
            nx[i] = nx[i + 1];
    if (maxw)
        *maxw = mw;
    return nx;
}

/* May rule i start at word pos?  Its FIRST set (bitset of words, then the
 * word conditions) allows the word. */
static int rule_starts(const x_rules *r, const mx *c, size_t i, size_t pos)
{
    unsigned fl = r->r[i].pat->fflags;
    if (fl & F_ANY)
        return 1;
    const xw *w = &c->s->w[pos];
    if (w->id < r->nwords && (r->fbits[i * r->fbw + (w->id >> 6)] >> (w->id & 63) & 1))
        return 1;
    return fl && (((fl & F_NONPUNCT) && !(w->flags & XW_PUNCT)) || ((fl & F_CAP) && (w->flags & XW_CAP)) ||
                  ((fl & F_AM) && am_starts(c, pos)) || ((fl & F_PL) && pl_starts(c, pos)));
}

/* The sets (bits 0 .. nsets of hit) and the need sets (presence, from
 * bit nsets: r->mpres is hit) some word of sentence s is in: every word ORs
 * its row (no branch to mispredict on whether it is in a set); the
 * project's rows (274 sets, 231 presence bits: 10 words) in registers.
 * hit has r->sw words. */
#if defined(__SSE2__)
/* The rows (sets from srow on, st words apart) of the words of s ORed into
 * hit, nv vector registers a row (4 to 6): inline with a constant nv, so
 * that the loop tests no row size (the tests cost more than the loads);
 * ids past nw read row 0 (no sets), by a conditional move. */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline void or_rows(const x_sent *s, const uint64_t *srow, size_t st, uint32_t nw, uint64_t *hit, int nv)
{
    __m128i a0 = _mm_setzero_si128(), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
    for (size_t i = 0; i < s->n; i++) {
        uint32_t id = s->w[i].id;
        id = id < nw ? id : 0;
        const __m128i *row = (const __m128i *)(srow + id * st);
        a0 = _mm_or_si128(a0, _mm_loadu_si128(row)), a1 = _mm_or_si128(a1, _mm_loadu_si128(row + 1));
        a2 = _mm_or_si128(a2, _mm_loadu_si128(row + 2)), a3 = _mm_or_si128(a3, _mm_loadu_si128(row + 3));
        if (nv >= 5)
            a4 = _mm_or_si128(a4, _mm_loadu_si128(row + 4));
        if (nv == 6)
            a5 = _mm_or_si128(a5, _mm_loadu_si128(row + 5));
    }
    __m128i *h = (__m128i *)hit;
    _mm_storeu_si128(h, a0), _mm_storeu_si128(h + 1, a1), _mm_storeu_si128(h + 2, a2), _mm_storeu_si128(h + 3, a3);
    if (nv >= 5)
        _mm_storeu_si128(h + 4, a4);
    if (nv == 6)
        _mm_storeu_si128(h + 5, a5);
}
#endif

static void sentence_sets(x_rules *r, const x_sent *s, uint64_t *hit)
{
    const uint64_t *srow = r->srow + 2;     /* the sets of each row (past its wocc) */
    size_t sw = r->sw, st = r->rstride;
    uint32_t nw = r->nwords;
    r->mpres = hit;
#if defined(__SSE2__)
    /* 8 to 12 words a row: the bits in vector registers (a row's size is
     * a multiple of 2 words) */
    if (sw == 8)
        or_rows(s, srow, st, nw, hit, 4);
    else if (sw == 10)
        or_rows(s, srow, st, nw, hit, 5);
    else if (sw == 12)
        or_rows(s, srow, st, nw, hit, 6);
    if (sw >= 8 && sw <= 12)
        return;
#endif
    memset(hit, 0, sw * sizeof *hit);
    for (size_t i = 0; i < s->n; i++) {
        uint32_t id = s->w[i].id;
        const uint64_t *row = srow + (size_t)(id < nw ? id : 0) * st;
        for (size_t k = 0; k < sw; k += 2)
            hit[k] |= row[k], hit[k + 1] |= row[k + 1];
    }
}

/* The matcher's state for sentence s, with the per-sentence tables of the
 * fast matcher (arena-allocated); -1 on OOM. */
static int mx_sentence(mx *c, const x_rules *r, const x_sent *s, sr_arena *a)
{
    mx_init(c, r, s);
    c->place_pre = r->place_pre, c->place_join = r->place_join, c->gap_stop = r->gap_stop;
    if (!c->fast)
        return 0;
    size_t n = s->n, n1 = n + 1;
    /* one block: the starts_at tables and the memos (all -1: none, not
     * known yet), then the byte tables (0) */
    int32_t *blk = sr_arena_alloc(a, (2 + NMEMO) * n1 * sizeof *blk + 2 * n1);
    if (!blk)
        return -1;
    memset(blk, 0xff, (2 + NMEMO) * n1 * sizeof *blk);
    uint8_t *bytes = (uint8_t *)(blk + (2 + NMEMO) * n1);
    memset(bytes, 0, 2 * n1);
    c->am_at = starts_at(blk, n, s->am, s->nam, sizeof *s->am);
    c->pl_at = starts_at(blk + n1, n, s->pl, s->npl, sizeof *s->pl);
    for (int m = 0; m < NMEMO; m++)
        c->memo[m] = blk + (2 + m) * n1;
    c->gapblk = bytes;
    c->tables = 1;
    /* the masks are worked out on demand (mask_of) from where each
     * distinct word id of the sentence stands (in a longer sentence: that
     * it is there) */
    x_rules *rw = (x_rules *)r;
    if (!(uint32_t)++rw->serial) {
        /* the stamps wrapped round: forget them all */
        for (uint32_t m = 0; m < rw->nmid; m++)
            rw->mr[m].stamp = 0;
        for (size_t i = 0; i <= r->nwords; i++)
            wocc_at(rw, (uint32_t)i)->stamp = 0;
        rw->serial++;
    }
    rw->dist = n <= 64 ? rw->dist64 : sr_arena_alloc(a, n * sizeof *rw->dist);
    if (!rw->dist)
        return -1;
    uint32_t ser = (uint32_t)rw->serial, nd = 0;
    c->present = 1;
    if (n > 64) {
        if (!(c->next_am = next_start(a, n, s->am, s->nam, sizeof *s->am, &c->am_max)) ||
            !(c->next_pl = next_start(a, n, s->pl, s->npl, sizeof *s->pl, NULL)))
            return -1;
        for (size_t p = 0; p < n; p++) {
            uint32_t id = s->w[p].id;
            struct wocc *o = wocc_at(rw, id);
            if (id && id < r->nwords && o->stamp != ser)
                o->stamp = ser, o->occ = 1, rw->dist[nd++] = id;
        }
        rw->ndist = nd;
    } else if (n) {
        c->mask = &rw->mr[0].mask;  /* not NULL: the masks are there (mask_of) */
        c->reach = bytes + n + 1;
        c->all = n == 64 ? ~0ull : (1ull << n) - 1;
        /* without branches (whether a word was seen: a coin toss); id 0
         * (no set holds it) stands for the unknown words; which words are
         * punctuation or capitalised on the first question (flag_masks:
         * few rules start with _ or %Cap) */
        for (size_t p = 0; p < n; p++) {
            uint32_t id = s->w[p].id < r->nwords ? s->w[p].id : 0;
            struct wocc *o = wocc_at(rw, id);
            uint64_t bit = 1ull << p, seen = o->stamp == ser;
            o->occ = (o->occ & (0 - seen)) | bit;
            o->stamp = ser;
            rw->dist[nd] = id;
            nd += (uint32_t)!seen;
        }
        rw->ndist = nd;

        for (size_t i = 0; i < s->nam; i++) {
            if (s->am[i].w0 < n)
                c->am_mask |= 1ull << s->am[i].w0;
            if (s->am[i].w1 > s->am[i].w0 && s->am[i].w1 - s->am[i].w0 > c->am_max)
                c->am_max = s->am[i].w1 - s->am[i].w0;
        }
        for (size_t i = 0; i < s->npl; i++)
            if (s->pl[i].w0 < n)
                c->pl_mask |= 1ull << s->pl[i].w0;
    }
    return 0;
}

/* Index of the lowest set bit of m (m != 0). */
static inline unsigned ctz64(uint64_t m)
{
#if defined(__GNUC__)
    return (unsigned)__builtin_ctzll(m);
#else
    unsigned k = 0;
    while (!(m & 1))
        m >>= 1, k++;
    return k;
#endif
}

/* Can a place slot begin at word p: a place starts there, or within the
 * lead words (@place_pre) m_place would walk from there (at most 7, each
 * the first alternative of the class that matches: one path per word)?
 * The path is followed once per sentence: c->reach[q] is 0 (unknown), 1 +
 * the number of lead words from q to a place (at most 7), or 0xff (none
 * within 7), for every word the walk passes. */
static int place_reachable(mx *c, size_t p)
{
    enum { FAR = 0xff, MAXSTEP = 7 };
    size_t path[MAXSTEP + 1], q = p, l;
    int np = 0, d;
    for (;;) {
        if (q >= c->s->n) {
            d = FAR;
            break;
        }
        if (c->pl_mask >> q & 1) {
            d = 0;
            break;
        }
        if (c->reach[q]) {
            d = c->reach[q] == FAR ? FAR : c->reach[q] - 1;
            break;
        }
        if (np > MAXSTEP) {
            /* more than 7 lead words from p: p is too far, the words
             * after it are not known yet */
            c->reach[p] = FAR;
            return 0;
        }
        path[np++] = q;
        if (!c->place_pre || !class_at(c, MEMO_PRE, c->place_pre, q, &l)) {
            d = FAR;
            break;
        }
        q += l;
    }
    while (np-- > 0) {
        if (d != FAR)
            d = d + 1 > MAXSTEP ? FAR : d + 1;
        c->reach[path[np]] = (uint8_t)(d == FAR ? FAR : d + 1);
    }
    return (c->pl_mask >> p & 1) || (c->reach[p] && c->reach[p] != FAR);
}

/* May a match of node n start at word q (its FIRST set, its needs)?  What
 * m_alt asks of an alternative before entering it. */
static int may_enter(const mx *c, const node *n, size_t q)
{
    return (n->nullable || first_ok(c, n, q)) && (!n->nneed || (possible(c, n) && needs_ok(c, n, q)));
}

/* The wild kids (n->wild: not in the dispatch table) of alternative n that
 * the sentence can meet the needs of, as bits over n->wild (at most 64),
 * worked out once per sentence: most are not (a {place} ( ... ) rule's
 * "*8 @be ... by {actor}" in a sentence without "by"). */
/* Which of the sets `which` (numbers of q) the sentence has, as bits. */
static uint64_t wreq_have(const x_rules *r, const wreq *q, uint64_t which)
{
    uint64_t have = 0;
    uint32_t ser = (uint32_t)r->serial;
    for (; which; which &= which - 1) {
        unsigned k = ctz64(which);
        uint32_t key = q->key[k];
        int in = k < q->none ? wocc_at(r, key)->stamp == ser
                             : pres_bit(r, key);    /* a need's set of several words: key is its mid, below nmulti */
        have |= (uint64_t)in << k;
    }
    return have;
}

static uint64_t wild_possible(const mx *c, const node *n)
{
    if (n->wser != c->r->serial) {
        node *w = (node *)n;
        uint64_t m = 0;
        const wreq *q = n->wreq;
        if (q) {
            /* which of its sets the sentence has, then each kid's sets
             * and slots */
            const x_rules *r = c->r;
            uint64_t have = wreq_have(r, q, q->rares), known = q->rares, kids = q->nosets;
            /* only the kids whose rarest set is there (few) */
            for (uint64_t b = have; b; b &= b - 1)
                kids |= q->by_rare[ctz64(b)];
            unsigned slots = (c->mask ? c->am_mask != 0 : c->s->nam > 0) | (c->mask ? c->pl_mask != 0 : c->s->npl > 0) << 1;
            for (; kids; kids &= kids - 1) {
                uint32_t j = ctz64(kids);
                uint64_t need = q->need[j];
                if (q->slot[j] & ~slots)
                    continue;
                if (need & ~known)
                    have |= wreq_have(r, q, need & ~known), known |= need;
                if (!(need & ~have))
                    m |= 1ull << j;
            }
        } else
            for (uint32_t j = 0; j < n->nwild && j < 64; j++) {
                const node *kd = n->kid[n->wild[j]];
                if (!kd->nneed || possible(c, kd))
                    m |= 1ull << j;
            }
        w->wposs = m, w->wser = c->r->serial;
    }
    return n->wposs;
}

/* The part after a rule's leading {place} (its second part), when the
 * place's end can be tested for it (rest_at); NULL when it can match
 * nothing (it may then start at the end of the sentence) or the rule does
 * not begin with {place}. */
static const node *place_rest(const x_rules *r, const node *pat)
{
    if (pat->kind != N_SEQ || pat->nkid < 2 || pat->kid[0]->kind != N_SLOT || pat->kid[0]->id != X_SLOT_PLACE)
        return NULL;
    const node *rest = pat->kid[1];
    if (rest->nullable || rest->gen != r->gen || (rest->kind == N_ALT && rest->nwild > 64))
        return NULL;
    return rest;
}

/* May the part `rest` (place_rest) start at word q: for an alternative,
 * one of its alternatives may, by its dispatch table and its possible wild
 * kids (m_alt enters no other). */
static int rest_at(const mx *c, const node *rest, size_t q)
{
    if (q >= c->s->n)
        return 0;
    if (rest->kind != N_ALT)
        return may_enter(c, rest, q);
    uint32_t id = c->s->w[q].id;
    const wreq *wq = rest->wreq;
    if (id && rest->nd && (!wq || !wq->dbits || (id < wq->ndbits && (wq->dbits[id >> 6] >> (id & 63) & 1))))
        for (uint32_t d = lower_bound2(rest->dpair, rest->nd, id); d < rest->nd && rest->dpair[2 * d] == id; d++) {
            /* it starts with the word (the table says so): its needs */
            const node *kd = rest->kid[rest->dpair[2 * d + 1]];
            if (!kd->nneed || (possible(c, kd) && needs_ok(c, kd, q)))
                return 1;
        }
    for (uint64_t m = wild_possible(c, rest); m; m &= m - 1)
        if (may_enter(c, rest->kid[rest->wild[ctz64(m)]], q))
            return 1;
    return 0;
}

/* The places a rule that begins with {place} can go on from: a place the
 * rest of the rule may start after (rest_at), or one joined (@place_join)
 * to such a place after it; as bits over the sentence's words (their start
 * words) in g ((n + 63) / 64 words, cleared here); 0 when there is none.
 * m_place goes on from no other place: the three {place} ( ... ) rules
 * would otherwise be tried at every place of most sentences (80% of all
 * tries).  Needs the places sorted by start word (c->pl_at). */
static int good_places(mx *c, const node *rest, uint64_t *g)
{
    const x_sent *s = c->s;
    size_t n = s->n, jl;
    memset(g, 0, (n + 63) / 64 * sizeof *g);
    /* from the last: the places after one's end are known when it is
     * asked about (the latest good start in `last`) */
    size_t last = 0;
    int any = 0;
    for (size_t i = s->npl; i-- > 0;) {
        size_t w0 = s->pl[i].w0, w1 = s->pl[i].w1;
        if (w0 >= n || w1 >= n)
            continue;
        if (rest_at(c, rest, w1) ||
            (any && last > w1 && c->place_join && class_at(c, MEMO_JOIN, c->place_join, w1, &jl))) {
            g[w0 >> 6] |= 1ull << (w0 & 63);
            if (!any || w0 > last)
                last = w0;
            any = 1;
        }
    }
    return any;
}

/* Does the walk of m_place from word p (a place at most 7 lead words on,
 * each the class's one match at its word) pass the start of a place of
 * g (good_places)? */
static int reaches_good(mx *c, size_t p, const uint64_t *g)
{
    size_t q = p, l;
    for (int step = 0; step < 8; step++) {
        if (q >= c->s->n)
            return 0;
        if (g[q >> 6] >> (q & 63) & 1)
            return 1;
        if (!c->place_pre || !class_at(c, MEMO_PRE, c->place_pre, q, &l))
            return 0;
        q += l;
    }
    return 0;
}

/* The words rule i may be tried at: its FIRST set allows the word and the
 * sentence can meet its needs from there (sentences with a mask table). */
static uint64_t rule_start_mask(mx *c, size_t i)
{
    const rstart *q = &c->r->rs[i];
    /* a rule that begins with {place}: only where a place can be reached
     * that the rest of the rule can go on from (asked first: most
     * sentences have no such place) */
    const node *rest = c->pl_at ? q->rest : NULL;
    uint64_t good = c->pl_mask;
    if (rest && !good_places(c, rest, &good))
        return 0;
    uint64_t m = first_mask(c, q->fflags, q->mid);
    for (uint32_t k = 0; k < q->nneed && m; k++) {
        const rneed *nd = &q->need[k];
        uint64_t where = nd->kind == NEED_ACTOR ? c->am_mask
                         : nd->kind == NEED_PLACE ? c->pl_mask
                                                  : first_mask(c, nd->fflags, nd->mid);
        m &= need_reach(where, nd->inf ? 64 : nd->fixed + (size_t)nd->nact * c->am_max);
    }
    if (q->at_place)
        for (uint64_t b = m; b; b &= b - 1)
            if (!place_reachable(c, ctz64(b)) || (rest && !reaches_good(c, ctz64(b), &good)))
                m &= ~(1ull << ctz64(b));
    return m;
}

int x_rules_filter(const x_rules *r, const x_sent *s, size_t rule, size_t pos)
{
    mx c;
    if (ensure_index(r) || rule >= r->nr || pos >= s->n)
        return -1;
    sr_arena_reset(r->scratch);
    uint64_t *hit = sr_arena_alloc(r->scratch, (r->sw + 1) * sizeof *hit);
    if (!hit)
        return -1;
    sentence_sets((x_rules *)r, s, hit);
    if (mx_sentence(&c, r, s, r->scratch))
        return -1;
    if (c.mask)
        return (int)(rule_start_mask(&c, rule) >> pos & 1);
    if (!c.fast)
        return 1;
    if (!rule_starts(r, &c, rule, pos) || !needs_ok(&c, r->r[rule].pat, pos))
        return 0;
    const node *rest = c.pl_at ? place_rest(r, r->r[rule].pat) : NULL;
    if (!rest)
        return 1;
    uint64_t *good = sr_arena_alloc(r->scratch, (s->n + 63) / 64 * sizeof *good);
    if (!good)
        return -1;
    return good_places(&c, rest, good) && reaches_good(&c, pos, good);
}

/* The quick no: can no rule match a sentence of words w[0..n) whatever
 * slots it has among the sets in `haves` (bit h: the RQ_* set h)?  Most
 * sentences name no actor and no place, where no rule can match; else no
 * word of the sentence is in the key set of a rule its slots allow (and no
 * rule without sets fits): no candidate. */
static int quick_no(const x_rules *r, const xw *w, size_t n, unsigned haves)
{
    if (r->plain)
        return 0;
    unsigned want = haves & r->slots_ok;
    if (!want)
        return 1;
    if (!r->kflag || (r->nosets_ok & want))
        return 0;
    const uint8_t *kf = r->kflag;   /* XLEX_MAX entries: any 16-bit id, 0 past nwords (no bound test) */
    unsigned any = 0;
    size_t i = 0;
    /* eight words at a time (unrolled), and out at the first eight that
     * have the bit: a sentence with a candidate has a key word before its
     * end */
    while (i < n && !(any & want)) {
        if (n - i >= 8) {
            const xw *p = w + i;
            any |= (unsigned)(kf[p[0].id] | kf[p[1].id] | kf[p[2].id] | kf[p[3].id] | kf[p[4].id] | kf[p[5].id] |
                              kf[p[6].id] | kf[p[7].id]);
            i += 8;
        } else
            for (; i < n; i++)
                any |= kf[w[i].id];
    }
    return !(any & want);
}

int x_rules_may_match(const x_rules *r, const xw *w, size_t n, int actors)
{
    if (!r->lex)
        return 0;
    if (ensure_index(r))
        return 1;   /* (x_rules_match will say so) */
    unsigned h = actors ? RQ_ACTOR : 0;
    return !quick_no(r, w, n, 1u << h | 1u << (h | RQ_PLACE));
}

int x_rules_match(const x_rules *cr, const x_sent *s, sr_arena *a, x_match **out, size_t *nout)
{
    x_rules *r = (x_rules *)cr;
    *out = NULL;
    *nout = 0;
    if (!r->lex)
        return 0;
    if (ensure_index(r))
        return -1;
    unsigned have = (s->nam ? RQ_ACTOR : 0) | (s->npl ? RQ_PLACE : 0);
    if (quick_no(r, s->w, s->n, 1u << have))
        return 0;
    /* the per-sentence tables live in the rule set's scratch arena (the
     * document's arena would keep them to the end of the document) */
    sr_arena *t = r->scratch;
    sr_arena_reset(t);
    /* the candidate rules, in order */
    uint32_t *cand = sr_arena_alloc(t, (r->nr + 1) * sizeof *cand);
    uint64_t *hit = sr_arena_alloc(t, (r->sw + 1) * sizeof *hit);  /* sentence_sets fills sw words */
    size_t ncand = 0;
    if (!cand || !hit)
        return -1;
    hit[r->sw] = 0;
    if (r->plain) {
        for (size_t i = 0; i < r->nr; i++)
            cand[ncand++] = (uint32_t)i;
    } else {
        /* the sets some word of the sentence is in; a rule all of whose
         * sets are hit (and whose slots the sentence has) is a candidate:
         * those whose key set is hit are checked, in rule order, merged
         * with the rules without sets */
        sentence_sets(r, s, hit);
        uint32_t ns = 0;
        for (size_t k = 0; k <= r->nsw; k++) {
            uint64_t m = k < r->nsw ? hit[k] & r->first_set[k] : 0;
            for (;;) {
                uint32_t i = (uint32_t)r->nr;
                if (m)
                    i = r->set_rule[k * 64 + ctz64(m)];
                else if (k < r->nsw)
                    break;
                while (ns < r->nnosets && r->nosets[ns] < i) {
                    if (!(r->rslot[r->nosets[ns]] & ~have))
                        cand[ncand++] = r->nosets[ns];
                    ns++;
                }
                if (!m)
                    break;
                m &= m - 1;
                const struct rreq *q = &r->rq[i];
                if (!(q->slot & ~have) && (hit[q->w] & q->m[0]) == q->m[0] && (hit[q->w + 1] & q->m[1]) == q->m[1])
                    cand[ncand++] = i;
            }
        }
    }
    if (!ncand)
        return 0;
    mx c;
    if (mx_sentence(&c, r, s, t))
        return -1;
    x_match *res = NULL;
    size_t nres = 0, cap = 0;
    for (size_t ci = 0; ci < ncand; ci++) {
        size_t i = cand[ci];
        /* the start words: a mask (short sentences), else every word; a
         * rule with none is passed over before its pattern is read (four
         * candidates in five: its rule record and first node are cold) */
        uint64_t starts = c.mask ? rule_start_mask(&c, i) : 0;
        if (c.mask && !starts)
            continue;
        const node *pat = r->r[i].pat;
        c.top = NULL, c.failed = NULL;
        if (c.fast && pat->kind == N_SEQ && (!c.mask || (starts & (starts - 1)))) {
            /* two starts or more: remember where the rest of the rule fails */
            c.top = pat;
            if (!(c.failed = sr_arena_calloc(t, (pat->nkid * (s->n + 1) + 63) / 64 * sizeof *c.failed)))
                return -1;
        }
        size_t pos = 0;
        int actor_first = !c.mask && c.next_am && pat->fflags == F_AM && !pat->nfid;
        /* a longer sentence and a rule that begins with {place}: only
         * where the lead words reach a place the rest can go on from (the
         * places worked out on the first start, see rule_start_mask) */
        const node *rest = !c.mask && c.fast && c.pl_at ? place_rest(r, pat) : NULL;
        uint64_t *good = NULL;
        const uint64_t *fb = r->fbits ? r->fbits + i * r->fbw : NULL;
        while (pos < s->n) {
            if (c.mask) {
                starts &= pos >= 64 ? 0 : ~0ull << pos;
                if (!starts)
                    break;
                pos = (size_t)ctz64(starts);
            } else if (c.fast) {
                /* a longer sentence: a rule that starts with an actor
                 * mention only is tried at the next one */
                if (actor_first && (pos = c.next_am[pos]) >= s->n)
                    break;
                /* rule_starts, its common cases inline: a word of the
                 * FIRST set, an actor mention or a place starting here */
                unsigned fl = pat->fflags;
                uint32_t id = s->w[pos].id;
                int may;
                if ((fl & F_ANY) || (id < r->nwords && (fb[id >> 6] >> (id & 63) & 1)))
                    may = 1;
                else if (!fl)
                    may = 0;
                else if (!(fl & (F_NONPUNCT | F_CAP)) && c.am_at && c.pl_at)
                    may = ((fl & F_AM) && c.am_at[pos] >= 0) || ((fl & F_PL) && c.pl_at[pos] >= 0);
                else
                    may = rule_starts(r, &c, i, pos);
                if (!may || !needs_ok(&c, pat, pos)) {
                    pos++;
                    continue;
                }
                if (rest) {
                    if (!good) {
                        if (!(good = sr_arena_alloc(t, (s->n + 63) / 64 * sizeof *good)))
                            return -1;
                        if (!good_places(&c, rest, good))
                            break;
                    }
                    if (!reaches_good(&c, pos, good)) {
                        pos++;
                        continue;
                    }
                }
            }
            memset(&c.cur, 0, sizeof c.cur);
            c.cur.rule = (int)i;
            c.cur.actor = c.cur.target = c.cur.actor2 = -1;
            c.cur.trig0 = UINT32_MAX;
            c.steps = 0;
            if (m_node(&c, pat, pos, NULL) && c.end > pos) {
                if (sr_arena_grow(a, (void **)&res, &cap, nres, sizeof *res, 8))
                    return -1;
                c.cur.w0 = (uint32_t)pos;
                c.cur.w1 = (uint32_t)c.end;
                if (c.cur.trig0 == UINT32_MAX)
                    c.cur.trig0 = c.cur.trig1 = (uint32_t)pos;
                res[nres++] = c.cur;
                pos = c.end;
            } else
                pos++;
        }
    }
    *out = res;
    *nout = nres;
    return 0;
}
