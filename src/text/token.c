/* token.c — tokenizer and sentence splitter over byte spans.
 *
 * One pass over each body paragraph.  A 256-entry byte-class table drives
 * the ASCII cases; bytes >= 0x80 are decoded and classed with utf8proc
 * (letters and marks join words; curly quotes, dashes, NBSP are their own
 * classes).  Rules, in order of the scan:
 *   - words: letters/digits; a hyphen or an inner apostrophe between two
 *     word characters joins (al-Zour, U.S.-backed, Qa'im); a final 's or ’s
 *     is its own token, so "Syria's" yields "Syria" + "'s";
 *   - abbreviations keep their period: single letters and dotted runs
 *     (U.S., S.D.F.) and the title/month list below (Mr., Gen., Feb.);
 *   - numbers: digits with inner , or . followed by a digit (90,000; 3.5);
 *   - sentences end at . ! ? (plus closing quotes/brackets) when the next
 *     token starts a sentence (capital, digit, quote) and the period is not
 *     an abbreviation's, or after a dotted abbreviation when the next word
 *     is a common sentence opener; at a paragraph break; and at a line
 *     break followed by a capitalised token. */
#include "text/text.h"
#include "core/swar.h"

#include <string.h>
#include <utf8proc.h>

#if SR_SSE2
#include <emmintrin.h>
#endif

/* (C_ALPHA, C_UPPER and C_DIGIT follow each other: the word classes are
 * one range) */
enum { C_SPACE = 1, C_NL, C_ALPHA, C_UPPER, C_DIGIT, C_PERIOD, C_TERM, C_HYPHEN, C_APOS, C_QUOTE,
       C_CLOSE, C_PUNCT, C_HIGH };

static unsigned char cls[256];

/* Bytes that end any word run before them: 2, or 1 for the comma, which
 * ends a word with a letter but joins digits (90,000).  0 for the rest:
 * letters, digits, bytes >= 0x80 and the joiners the word rules weigh
 * (hyphen, apostrophe, period). */
static unsigned char ends_word[256];

static void init_cls(void)
{
    if (cls['a'])
        return;
    for (int c = 0; c < 256; c++) {
        unsigned char k = C_PUNCT;
        if (c >= 'a' && c <= 'z') k = C_ALPHA;
        else if (c >= 'A' && c <= 'Z') k = C_UPPER;
        else if (c >= '0' && c <= '9') k = C_DIGIT;
        else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') k = C_SPACE;
        else if (c == '\n') k = C_NL;
        else if (c == '.') k = C_PERIOD;
        else if (c == '!' || c == '?') k = C_TERM;
        else if (c == '-') k = C_HYPHEN;
        else if (c == '\'') k = C_APOS;
        else if (c == '"') k = C_QUOTE;
        else if (c == ')' || c == ']' || c == '}') k = C_CLOSE;
        else if (c >= 0x80) k = C_HIGH;
        else if (c < 0x20) k = C_SPACE;
        cls[c] = k;
        ends_word[c] = c == ',' ? 1 : (k == C_SPACE || k == C_NL || k == C_TERM || k == C_QUOTE || k == C_CLOSE ||
                                      (k == C_PUNCT && c < 0x80)) ? 2 : 0;
    }
}

/* Class of the character at s[i] (decoding UTF-8 for high bytes) and its length. */
static int char_class(const unsigned char *s, size_t i, size_t end, size_t *clen)
{
    unsigned char c = s[i];
    if (c < 0x80) {
        *clen = 1;
        return cls[c];
    }
    utf8proc_int32_t cp;
    utf8proc_ssize_t l = utf8proc_iterate(s + i, (utf8proc_ssize_t)(end - i), &cp);
    if (l <= 0) {
        *clen = 1;
        return C_PUNCT;
    }
    *clen = (size_t)l;
    switch (cp) {
    case 0x00A0: case 0x2002: case 0x2003: case 0x2009: case 0x200A: case 0x200B: case 0x202F:
    case 0x3000: case 0xFEFF:
        return C_SPACE;
    case 0x2028: case 0x2029:
        return C_NL;
    case 0x2018: case 0x2019: case 0x02BC: /* ‘ ’ ʼ : apostrophe or single quote */
        return C_APOS;
    case 0x201C: case 0x201D: case 0x00AB: case 0x00BB: case 0x201E:
        return C_QUOTE;
    case 0x2010: case 0x2011: /* hyphens (not dashes) */
        return C_HYPHEN;
    case 0x2026:
        return C_TERM;
    }
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LT:
        return C_UPPER;
    case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
        return C_ALPHA;
    case UTF8PROC_CATEGORY_ND:
        return C_DIGIT;
    case UTF8PROC_CATEGORY_ZS:
        return C_SPACE;
    default:
        return C_PUNCT;
    }
}

/* The run of ASCII letters and digits at p, a chunk of RUN_W bytes at a
 * time (all RUN_W may be read): its length (RUN_W: the run goes on) and
 * its upper- and lower-case letters as masks (any bit layout: only "none",
 * "one" and "more than one" are asked).  SSE2 takes 16 bytes a step, the
 * eight-byte tests of swar.h 8 elsewhere; without either the tokenizer
 * stays on its byte loop (RUN_W 0). */
#if SR_SSE2
#define RUN_W 16
/* bytes of v in [a, a + n): one add and one signed compare (the range
 * moved to the bottom of the signed bytes) */
static inline __m128i range16(__m128i v, char a, int n)
{
    __m128i x = _mm_add_epi8(v, _mm_set1_epi8((char)(-128 - a)));
    return _mm_cmplt_epi8(x, _mm_set1_epi8((char)(-128 + n)));
}

static inline size_t word_run(const unsigned char *p, uint64_t *um, uint64_t *lm)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    unsigned u = (unsigned)_mm_movemask_epi8(range16(v, 'A', 26));
    unsigned l = (unsigned)_mm_movemask_epi8(range16(v, 'a', 26));
    unsigned d = (unsigned)_mm_movemask_epi8(range16(v, '0', 10));
    size_t r = (size_t)__builtin_ctz(~(u | l | d)); /* bit 16 is always clear: r <= 16 */
    unsigned keep = (1u << r) - 1;
    *um = u & keep, *lm = l & keep;
    return r;
}

/* masks of word_run cut to the first r bytes */
static inline void word_run_cut(size_t r, uint64_t *um, uint64_t *lm)
{
    *um &= (1u << r) - 1, *lm &= (1u << r) - 1;
}
#elif SR_SWAR_LE
#define RUN_W 8
static inline size_t word_run(const unsigned char *p, uint64_t *um, uint64_t *lm)
{
    uint64_t x, hb;
    memcpy(&x, p, 8);
    hb = x & SR_HIGH8;
    x &= ~SR_HIGH8;
    uint64_t up = sr_swar_range(x, 'A', 'Z') & ~hb, lo = sr_swar_range(x, 'a', 'z') & ~hb;
    uint64_t run = up | lo | (sr_swar_range(x, '0', '9') & ~hb);
    size_t r = run == SR_HIGH8 ? 8 : (size_t)__builtin_ctzll(~run & SR_HIGH8) / 8;
    uint64_t keep = r == 8 ? ~0ull : (1ull << (8 * r)) - 1;
    *um = up & keep, *lm = lo & keep;
    return r;
}

static inline void word_run_cut(size_t r, uint64_t *um, uint64_t *lm)
{
    uint64_t keep = r >= 8 ? ~0ull : (1ull << (8 * r)) - 1;
    *um &= keep, *lm &= keep;
}
#else
#define RUN_W 0
static inline size_t word_run(const unsigned char *p, uint64_t *um, uint64_t *lm)
{
    (void)p;
    *um = *lm = 0;
    return 0;
}

static inline void word_run_cut(size_t r, uint64_t *um, uint64_t *lm) { (void)r, (void)um, (void)lm; }
#endif

static int is_wordc(int k) { return k == C_ALPHA || k == C_UPPER || k == C_DIGIT; }

/* Words that keep their period (compared case-sensitively, without the dot). */
static const char *const abbrevs[] = {
    "Mr", "Mrs", "Ms", "Dr", "Gen", "Lt", "Col", "Maj", "Sgt", "Capt", "Adm", "Sen", "Rep", "Gov",
    "Pres", "St", "Jr", "Sr", "Prof", "Rev", "Brig", "Cpl", "Pvt", "Cmdr", "Gens", "Ft", "Mt", "Messrs",
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
    "No", "vs", "etc", "Inc", "Corp", "Co", "Ltd", "approx", "est", "Sq", "Ave", "Rd", "Blvd",
    "e.g", "i.e", "al", NULL};
/* After these, a period never ends a sentence (titles before names). */
static const char *const titles[] = {"Mr", "Mrs", "Ms", "Dr", "Gen", "Lt", "Col", "Maj", "Sgt", "Capt",
                                     "Adm", "Sen", "Rep", "Gov", "Pres", "St", "Prof", "Rev", "Brig",
                                     "Cpl", "Pvt", "Cmdr", "Gens", "Ft", "Mt", "No", "Messrs", NULL};
/* Sentence openers that end a sentence after a dotted abbreviation ("... the U.S. The ..."). */
static const char *const openers[] = {"The", "He", "She", "It", "They", "We", "I", "In", "On", "But",
                                      "A", "An", "This", "That", "These", "Those", "There", "His",
                                      "Her", "Its", "Their", "Meanwhile", "However", "After", "When",
                                      "As", "At", "According", "Some", "Many", "Most", "And", NULL};

/* Lengths of the list words, filled once (init_cls): a sentence end looks
 * words up in these lists, and strlen of every entry each time cost more
 * than the rest of the test. */
static unsigned char abbrevs_len[sizeof abbrevs / sizeof *abbrevs], titles_len[sizeof titles / sizeof *titles],
    openers_len[sizeof openers / sizeof *openers];

/* The longest word of `abbrevs`: a longer word skips the list. */
static size_t abbrev_max;

/* First bytes of the `abbrevs` words of each length, as bit sets: nearly
 * every word before a period is rejected by one bit test instead of a walk
 * of the list. */
static uint64_t abbrev_first[16][2];

static int maybe_abbrev(const unsigned char *s, size_t n)
{
    if (n > abbrev_max)
        return 0;
    return n >= 16 || s[0] >= 0x80 || (abbrev_first[n][s[0] >> 6] >> (s[0] & 63) & 1);
}

static void init_lens(const char *const *l, unsigned char *len)
{
    for (; *l; l++, len++)
        *len = (unsigned char)strlen(*l);
}

static int in_list(const char *const *l, const unsigned char *len, const char *s, size_t n)
{
    for (; *l; l++, len++)
        if (*len == n && !memcmp(*l, s, n))
            return 1;
    return 0;
}

/* Tokens as they are made, and (for sr_text_analyze) the indexes of the
 * tokens where a sentence may begin: a paragraph's first token or one that
 * starts_sentence; the sentence splitter looks at those only (every other
 * token continues its sentence). */
typedef struct tb {
    sr_tok *t;
    size_t n, cap;
    uint32_t *cand;         /* NULL: not asked for */
    size_t ncand, capcand;
    sr_arena *a;
} tb;

/* A new token; its `sent` is written when the sentences are made
 * (sr_text_analyze) or set to 0 (sr_tokenize_path). */
static inline sr_tok *push(tb *b)
{
    if (b->n == b->cap && sr_arena_grow(b->a, (void **)&b->t, &b->cap, b->n, sizeof *b->t, 256))
        return NULL;
    return &b->t[b->n++];
}

static int starts_sentence(const char *text, const sr_tok *t)
{
    if (t->flags & (SR_TF_CAP | SR_TF_QUOTE))
        return 1;
    if (t->kind == SR_TOK_NUM)
        return 1;
    unsigned char c = (unsigned char)text[t->start];
    return c == '(' || c == '[' || (c >= 0x80 && !(t->kind == SR_TOK_WORD)); /* dashes, bullets */
}

/* Token t (the last made) may begin a sentence: keep its index.  Only
 * where a sentence may end before it: `after` (the token before is a mark
 * or a dotted abbreviation), a line break or a paragraph (the splitter's
 * rules in sr_text_analyze); a capital after a plain word or a number
 * continues its sentence, and the splitter need not look at it. */
static inline int note_cand(tb *b, const char *text, const sr_tok *t, unsigned after)
{
    if (!b->cand || !((t->flags & SR_TF_PARA) || starts_sentence(text, t)) ||
        !(after || (t->flags & (SR_TF_PARA | SR_TF_NL_BEFORE))))
        return 0;
    if (b->ncand == b->capcand && sr_arena_grow(b->a, (void **)&b->cand, &b->capcand, b->ncand, sizeof *b->cand, 64))
        return -1;
    b->cand[b->ncand++] = (uint32_t)(b->n - 1);
    return 0;
}

/* Tokenize [start, end) appending to b; `first_flags` are the flags of the
 * first token (a paragraph's).  Bytes up to `lim` may be read (the chunked
 * word runs look past `end`, never past `lim`); `simd` 0 keeps to the byte
 * loop (the tests compare the two). */
static sr_status tokenize_into(const char *text, size_t start, size_t end, size_t lim, int simd, tb *b,
                               unsigned first_flags)
{
    init_cls();
    if (!abbrevs_len[0]) {
        init_lens(abbrevs, abbrevs_len);
        for (size_t k = 0; abbrevs[k]; k++) {
            unsigned char c0 = (unsigned char)abbrevs[k][0];
            abbrev_max = abbrevs_len[k] > abbrev_max ? abbrevs_len[k] : abbrev_max;
            if (abbrevs_len[k] < 16)
                abbrev_first[abbrevs_len[k]][c0 >> 6] |= 1ull << (c0 & 63);
        }
        init_lens(titles, titles_len);
        init_lens(openers, openers_len);
    }
    const unsigned char *s = (const unsigned char *)text;
    size_t i = start;
    unsigned pending = first_flags;
    /* the chunked paths read RUN_W bytes from i: i <= fast_lim */
    int fast = simd && RUN_W != 0 && lim >= RUN_W;
    size_t fast_lim = fast ? lim - RUN_W : 0;
    /* the token before is a mark or a dotted abbreviation: a sentence may
     * end after it (note_cand); 1 before a paragraph's first (which has
     * SR_TF_PARA anyway) */
    unsigned after = 1;
    while (i < end) {
        unsigned c = s[i];
        if (c == ' ') {
            i++;
            continue;
        }
        size_t cl = 1;
        int k;
        if (c < 0x80) {
            k = cls[c];
            if ((unsigned)(k - C_ALPHA) < 3u && fast && i <= fast_lim) {
                /* the usual word (C_ALPHA, C_UPPER, C_DIGIT follow each
                 * other): a run of ASCII letters and digits shorter than
                 * a chunk, then a byte that ends any word (no hyphen,
                 * apostrophe, period or UTF-8 that the rules below weigh;
                 * a comma only after a letter) */
                uint64_t um, lm;
                size_t r = word_run(s + i, &um, &lm);
                unsigned letters = (um | lm) != 0;
                /* or a period after two letters or more that cannot be an
                 * abbreviation's (maybe_abbrev): a sentence's last word */
                if (r < RUN_W && r < end - i &&
                    (ends_word[s[i + r]] > !letters ||
                     (s[i + r] == '.' && letters && r >= 2 && !maybe_abbrev(s + i, r)))) {
                    sr_tok *t = push(b);
                    if (!t)
                        return SR_ENOMEM;
                    unsigned fl = pending | (k == C_UPPER ? SR_TF_CAP : 0) |
                                  ((((um & (um - 1)) != 0) & !lm) ? SR_TF_UPPER : 0);
                    t->start = (uint32_t)i, t->len = (uint32_t)r;
                    t->kind = letters ? SR_TOK_WORD : SR_TOK_NUM, t->flags = (uint16_t)fl;
                    pending = 0;
                    i += r;
                    /* may a sentence begin here (starts_sentence, or a
                     * paragraph)?  a capital, a number: the index is
                     * written whatever the answer and kept by the count
                     * (a branch on it, one token in five a capital in no
                     * pattern, was the tokenizer's costliest mispredict) */
                    if (b->cand) {
                        if (b->ncand == b->capcand && sr_arena_grow(b->a, (void **)&b->cand, &b->capcand, b->ncand,
                                                                    sizeof *b->cand, 64))
                            return SR_ENOMEM;
                        b->cand[b->ncand] = (uint32_t)(b->n - 1);
                        b->ncand += (((fl & (SR_TF_CAP | SR_TF_PARA)) != 0) | !letters) &
                                    (after | ((fl & (SR_TF_PARA | SR_TF_NL_BEFORE)) != 0));
                    }
                    after = 0; /* a word or a number, no abbreviation */
                    continue;
                }
            }
        } else
            k = char_class(s, i, end, &cl);
        if (k == C_SPACE) {
            i += cl;
            continue;
        }
        if (k == C_NL) {
            /* two line breaks with only spaces between: a paragraph */
            pending |= (pending & SR_TF_NL_BEFORE) ? SR_TF_PARA : 0;
            pending |= SR_TF_NL_BEFORE;
            i += cl;
            continue;
        }
        sr_tok *t = push(b);
        if (!t)
            return SR_ENOMEM;
        t->start = (uint32_t)i;
        t->flags = (uint16_t)pending;
        pending = 0;
        if (is_wordc(k)) {
            /* what the flags ask of the letters seen so far: any letter
             * (not a number), any that is not upper case, and how many
             * upper-case ones (0, 1, 2 = two or more) */
            int letters = k != C_DIGIT, nonup = k == C_ALPHA, nup = k == C_UPPER;
            int first = k, hyph = 0;
            size_t j = i + cl;
            while (j < end) {
                if (fast && j <= fast_lim) {
                    /* ASCII letters and digits a chunk at a time */
                    uint64_t um, lm;
                    size_t r = word_run(s + j, &um, &lm);
                    if (r > end - j) {
                        r = end - j;
                        word_run_cut(r, &um, &lm);
                    }
                    letters |= (um | lm) != 0;
                    nonup |= lm != 0;
                    nup += (um != 0) + ((um & (um - 1)) != 0);
                    nup = nup > 2 ? 2 : nup;
                    j += r;
                    if (r == RUN_W || j >= end)
                        continue;
                }
                /* ASCII letters and digits first: most of the bytes */
                int k2 = s[j] < 0x80 ? cls[s[j]] : C_HIGH;
                if (k2 == C_ALPHA) {
                    letters = nonup = 1, j++;
                    continue;
                }
                if (k2 == C_UPPER) {
                    letters = 1, nup += nup < 2, j++;
                    continue;
                }
                if (k2 == C_DIGIT) {
                    j++;
                    continue;
                }
                int digits_only = !letters;
                size_t l2 = 1;
                if (k2 == C_HIGH)
                    k2 = char_class(s, j, end, &l2);
                if (is_wordc(k2)) {
                    letters |= k2 != C_DIGIT;
                    nonup |= k2 == C_ALPHA;
                    nup += k2 == C_UPPER && nup < 2;
                    j += l2;
                    continue;
                }
                if (k2 == C_HYPHEN || k2 == C_APOS || ((s[j] == '.' || s[j] == ',') && digits_only)) {
                    size_t l3;
                    if (j + l2 < end) {
                        int k3 = char_class(s, j + l2, end, &l3);
                        if (digits_only && (s[j] == ',' || s[j] == '.')) {
                            if (k3 == C_DIGIT) { j += l2 + l3; continue; }
                            break;
                        }
                        if (k2 == C_APOS) {
                            /* final possessive 's: its own token */
                            if ((s[j + l2] == 's' || s[j + l2] == 'S') &&
                                (j + l2 + 1 >= end || !is_wordc(char_class(s, j + l2 + 1, end, &l3))))
                                break;
                            if (k3 == C_ALPHA || k3 == C_UPPER) { j += l2; continue; }
                            break;
                        }
                        if (is_wordc(k3) && !digits_only) {
                            hyph |= s[j] == '-';
                            j += l2;
                            continue;
                        }
                    }
                }
                break;
            }
            t->kind = letters ? SR_TOK_WORD : SR_TOK_NUM;
            if (first == C_UPPER)
                t->flags |= SR_TF_CAP;
            if (nup == 2 && !nonup)
                t->flags |= SR_TF_UPPER;
            /* abbreviation: X. / X.Y. runs / listed words */
            if (letters && j < end && s[j] == '.') {
                size_t wl = j - i;
                int dotted = 0;
                size_t m = j;
                /* U.S. / S.D.F. / e.g. : single letters separated by dots */
                while (m + 2 < end + 1 && m + 1 < end && s[m] == '.' && m + 1 < end &&
                       (cls[s[m + 1]] == C_UPPER || cls[s[m + 1]] == C_ALPHA) &&
                       (m + 2 >= end || s[m + 2] == '.')) {
                    m += 2;
                    dotted = 1;
                }
                if (dotted && wl == 1) {
                    j = m < end ? m + 1 : m; /* the final dot, unless the text ends on "e.g" */
                    t->flags |= SR_TF_ABBREV;
                    /* U.S.-backed: hyphen joins */
                    if (j + 1 < end && s[j] == '-' && is_wordc(cls[s[j + 1]])) {
                        hyph = 1;
                        j++;
                        while (j < end) {
                            size_t l4;
                            int k4 = char_class(s, j, end, &l4);
                            if (is_wordc(k4) || (k4 == C_HYPHEN && j + l4 < end && is_wordc(cls[s[j + l4]])))
                                j += l4;
                            else
                                break;
                        }
                        t->flags &= (uint16_t)~SR_TF_ABBREV;
                    }
                } else if ((wl == 1 && first == C_UPPER) ||
                           (maybe_abbrev(s + i, wl) && in_list(abbrevs, abbrevs_len, text + i, wl))) {
                    j++;
                    t->flags |= SR_TF_ABBREV;
                }
            }
            if (hyph)
                t->flags |= SR_TF_HYPHEN;
            t->len = (uint32_t)(j - i);
            i = j;
            if (note_cand(b, text, t, after))
                return SR_ENOMEM;
            after = (t->flags & SR_TF_ABBREV) != 0;
            continue;
        }
        /* punctuation: a run of the same byte ("--", "...") is one token */
        size_t j = i + cl;
        if (cl == 1)
            while (j < end && s[j] == s[i])
                j++;
        t->kind = SR_TOK_PUNCT;
        if (k == C_QUOTE || k == C_APOS)
            t->flags |= SR_TF_QUOTE;
        /* possessive 's after a word */
        if (k == C_APOS && j < end && (s[j] == 's' || s[j] == 'S') && b->n >= 2 &&
            b->t[b->n - 2].start + b->t[b->n - 2].len == i) {
            size_t l3;
            if (j + 1 >= end || !is_wordc(char_class(s, j + 1, end, &l3))) {
                t->kind = SR_TOK_WORD;
                t->flags &= (uint16_t)~SR_TF_QUOTE;
                j++;
            }
        }
        t->len = (uint32_t)(j - i);
        i = j;
        if (note_cand(b, text, t, after))
            return SR_ENOMEM;
        after = t->kind == SR_TOK_PUNCT;
    }
    return SR_OK;
}

sr_status sr_tokenize(const char *text, size_t start, size_t end, sr_arena *arena, sr_tok **out, size_t *nout)
{
    return sr_tokenize_path(text, start, end, end, 1, arena, out, nout);
}

sr_status sr_tokenize_path(const char *text, size_t start, size_t end, size_t lim, int simd, sr_arena *arena,
                           sr_tok **out, size_t *nout)
{
    tb b = {.a = arena};
    sr_status st = tokenize_into(text, start, end, lim < end ? end : lim, simd && RUN_W != 0, &b, 0);
    for (size_t k = 0; k < b.n; k++)
        b.t[k].sent = 0;
    *out = b.t;
    *nout = b.n;
    return st;
}

static int is_term(const char *text, const sr_tok *t)
{
    if (t->kind != SR_TOK_PUNCT)
        return 0;
    unsigned char c = (unsigned char)text[t->start];
    if (c == '.' || c == '!' || c == '?')
        return 1;
    return t->len == 3 && c == 0xE2 && (unsigned char)text[t->start + 1] == 0x80 &&
           (unsigned char)text[t->start + 2] == 0xA6; /* … */
}

/* A closing mark; straight quotes close only when glued to what precedes
 * them (`over."` closes, `said. "It` opens). */
static int is_closer(const char *text, const sr_tok *t)
{
    if (t->kind != SR_TOK_PUNCT)
        return 0;
    unsigned char c = (unsigned char)text[t->start];
    if (c == ')' || c == ']')
        return 1;
    if (c == '"' || c == '\'')
        return t->start > 0 && text[t->start - 1] != ' ' && text[t->start - 1] != '\n' &&
               text[t->start - 1] != '\t';
    /* ” ’ » */
    return t->len == 3 && c == 0xE2 && (unsigned char)text[t->start + 1] == 0x80 &&
           ((unsigned char)text[t->start + 2] == 0x9D || (unsigned char)text[t->start + 2] == 0x99);
}

sr_status sr_text_analyze(const sr_doc *doc, sr_arena *arena, sr_textmodel *out)
{
    memset(out, 0, sizeof *out);
    out->text = doc->text;
    tb b = {.a = arena};
    size_t npara = doc->body ? doc->nbody : 1;
    /* news prose runs about one token per five bytes: one allocation for
     * most documents instead of a doubling series */
    size_t body = 0;
    for (size_t p = 0; p < npara; p++)
        body += doc->body ? doc->body[p].end - doc->body[p].start : doc->len;
    b.cap = body / 4 + 64;
    b.capcand = body / 16 + 16;
    /* pfirst[p]: the first token of paragraph p (a sentence's paragraph is
     * its first token's) */
    uint32_t *pfirst = sr_arena_alloc(arena, (npara + 1) * sizeof *pfirst);
    if (!(b.t = sr_arena_alloc(arena, b.cap * sizeof *b.t)) || !(b.cand = sr_arena_alloc(arena, b.capcand * sizeof *b.cand)) ||
        !pfirst)
        return SR_ENOMEM;
    for (size_t p = 0; p < npara; p++) {
        size_t s0 = doc->body ? doc->body[p].start : 0, s1 = doc->body ? doc->body[p].end : doc->len;
        pfirst[p] = (uint32_t)b.n;
        sr_status st = tokenize_into(doc->text, s0, s1, doc->len, RUN_W != 0, &b, SR_TF_PARA);
        if (st)
            return st;
    }
    sr_tok *t = b.t;
    size_t n = b.n;
    /* sentence boundaries: a boundary before token i, asked only where a
     * sentence may begin (b.cand: a paragraph's first token has
     * SR_TF_PARA, and every rule below wants starts_sentence), then at the
     * end */
    size_t cap = n / 8 + 16, ns = 0;
    sr_sent *sv = sr_arena_alloc(arena, cap * sizeof *sv);
    if (!sv && n)
        return SR_ENOMEM;
    size_t first = 0, para = 0;
    for (size_t c = 0; c <= b.ncand; c++) {
        size_t i = c < b.ncand ? b.cand[c] : n;
        int brk = 0;
        if (i == n)
            brk = 1;
        else if (i > first) {
            const sr_tok *cur = &t[i];
            if (cur->flags & SR_TF_PARA)
                brk = 1;
            else {
                /* last non-closer token before i */
                size_t q = i - 1;
                while (q > first && is_closer(doc->text, &t[q]))
                    q--;
                const sr_tok *lt = &t[q];
                if (is_term(doc->text, lt) && !(is_closer(doc->text, cur) && q == i - 1))
                    brk = 1;
                else if (lt->kind == SR_TOK_WORD && (lt->flags & SR_TF_ABBREV) && q == i - 1 &&
                         (cur->flags & SR_TF_CAP)) {
                    /* "the U.S. The next": only before an opener, never after a title */
                    size_t wl = lt->len - 1;
                    if (!in_list(titles, titles_len, doc->text + lt->start, wl) && lt->len > 2 &&
                        in_list(openers, openers_len, doc->text + cur->start, cur->len))
                        brk = 1;
                } else if ((cur->flags & SR_TF_NL_BEFORE) &&
                           !(lt->kind == SR_TOK_PUNCT && strchr(",;:", doc->text[lt->start])))
                    brk = 1;
            }
        }
        if (brk && i > first) {
            if (sr_arena_grow(arena, (void **)&sv, &cap, ns, sizeof *sv, 64))
                return SR_ENOMEM;
            sr_sent *se = &sv[ns];
            se->tok = (uint32_t)first;
            se->ntok = (uint32_t)(i - first);
            se->start = t[first].start;
            se->end = t[i - 1].start + t[i - 1].len;
            while (para + 1 < npara && pfirst[para + 1] <= first)
                para++; /* (past empty paragraphs too) */
            se->para = (uint32_t)para;
            ns++;
            first = i;
        }
    }
    for (size_t s = 0; s < ns; s++) {
        for (size_t k = sv[s].tok; k < sv[s].tok + sv[s].ntok; k++)
            t[k].sent = (uint32_t)s;
        t[sv[s].tok].flags |= SR_TF_SENT0;
    }
    out->tok = t;
    out->ntok = n;
    out->sent = sv;
    out->nsent = ns;
    return SR_OK;
}
