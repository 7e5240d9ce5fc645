/* norm.c — the exact and skeleton keys of a place name (see lex.h).
 *
 * Three passes over a small stack buffer: (1) decode UTF-8, fold case,
 * strip diacritics (utf8proc decomposition), drop apostrophe-like marks and
 * cut the name into lower-case ASCII words; (2) drop Arabic article words
 * that stand before another word; (3) join the words and apply the
 * transliteration folds (ou -> u, ee -> i, doubled letters single).  The
 * same function runs at compile time and on document text, so any
 * spelling choice made here is made on both sides. */
#include "lex/lex.h"
#include "core/swar.h"

#include <stdint.h>
#include <string.h>
#include <utf8proc.h>

/* Article forms seen in romanised Arabic names ("al-Qaim", "Deir ez-Zor",
 * "As Sukhnah", "Ras al-Ain").  Dropped only before another word. */
static const char *const articles[] = {"al", "el", "ad", "ar", "as", "ash", "az", "at", "an", "ath",
                                       "adh", "ed", "er", "es", "ez", "en", "et", "ul", "ud", "us",
                                       NULL};

static int is_article(const char *w, size_t n)
{
    if (n < 2 || n > 3 || (w[0] != 'a' && w[0] != 'e' && w[0] != 'u'))
        return 0;
    for (const char *const *a = articles; *a; a++)
        if ((*a)[0] == w[0] && !strncmp(*a, w, n) && !(*a)[n])
            return 1;
    return 0;
}

/* Whole words with a common short form (Saint Louis = St. Louis). */
static const char *word_fold(const char *w, size_t n)
{
    static const char *const from[] = {"saint", "sainte", "ste", "mount", "fort", NULL};
    static const char *const to[] = {"st", "st", "st", "mt", "ft"};
    if (n < 3 || n > 6 || (w[0] != 's' && w[0] != 'm' && w[0] != 'f'))
        return NULL;
    for (int i = 0; from[i]; i++)
        if (from[i][0] == w[0] && !strncmp(from[i], w, n) && !from[i][n])
            return to[i];
    return NULL;
}

/* Marks that transliterations use for ayn/hamza or as apostrophes: they
 * vanish without splitting the word (Qa'im = Qaim, Raʿs = Ras). */
static int is_mark(utf8proc_int32_t cp)
{
    return cp == '\'' || cp == '`' || cp == 0x00B4 || cp == 0x2018 || cp == 0x2019 || cp == 0x02BB ||
           cp == 0x02BC || cp == 0x02BD || cp == 0x02BE || cp == 0x02BF || cp == 0x02B9 || cp == 0x02C8;
}

/* Latin letters that decomposition leaves alone. */
static const char *latin_fold(utf8proc_int32_t cp)
{
    switch (cp) {
    case 0xF8: case 0xD8: return "o";
    case 0xE6: case 0xC6: return "ae";
    case 0x153: case 0x152: return "oe";
    case 0x142: case 0x141: return "l";
    case 0x111: case 0x110: case 0xF0: case 0xD0: return "d";
    case 0x131: return "i";
    case 0xFE: case 0xDE: return "th";
    case 0xDF: return "ss";
    case 0x127: case 0x126: return "h";
    }
    return NULL;
}

/* Where pass 3 may first change j[0..jn): the first k at which a pair it
 * folds may begin ("ou", "ee", a byte twice in a row), jn when none.
 * Eight bytes at a time (seven pairs a load); sr_swar_zero may mark a byte
 * above a true one too, never below, so the answer is never past the first
 * true pair, and bytes before it are copied unchanged. */
static size_t fold_first(const char *j, size_t jn)
{
    const uint64_t o = SR_ONES8 * 'o', u = SR_ONES8 * 'u', e = SR_ONES8 * 'e';
    size_t k = 0;
#if SR_SWAR_LE
    for (; k + 8 <= jn; k += 7) {
        uint64_t x, y;
        memcpy(&x, j + k, 8);
        y = x >> 8;   /* byte i: the byte after byte i of x (little-endian) */
        uint64_t pair = sr_swar_zero(x ^ y) | (sr_swar_zero(x ^ o) & sr_swar_zero(y ^ u)) |
                        (sr_swar_zero(x ^ e) & sr_swar_zero(y ^ e));
        pair &= 0x0080808080808080ull;   /* the pairs that begin at bytes 0..6 */
        if (pair)
            return k + ((size_t)__builtin_ctzll(pair) >> 3);
    }
#else
    (void)o, (void)u, (void)e;
#endif
    for (; k + 1 < jn; k++)
        if (j[k] == j[k + 1] || (j[k] == 'o' && j[k + 1] == 'u') || (j[k] == 'e' && j[k + 1] == 'e'))
            return k;
    return jn;
}

/* n bytes from s to d (which do not overlap), inline: keys are short, and
 * a copy of a variable length is otherwise a call */
static inline void copy_short(char *d, const char *s, size_t n)
{
    if (n >= 8) {
        for (size_t k = 0; k + 8 < n; k += 8)
            memcpy(d + k, s + k, 8);
        memcpy(d + n - 8, s + n - 8, 8);   /* (the last eight, over what is copied) */
    } else if (n >= 4) {
        memcpy(d, s, 4);
        memcpy(d + n - 4, s + n - 4, 4);
    } else
        for (size_t k = 0; k < n; k++)
            d[k] = s[k];
}

/* Pass 3 on one joined key: ou -> u, ee -> i, doubled letters single; at
 * most max letters made.  Only the pairs beginning in the first max bytes
 * can change those letters (a pair at byte k reads bytes k and k + 1), so
 * only they are looked for (run_limit asks for 9 letters of long keys); up
 * to the first one the key is copied as it is. */
static size_t fold_max(const char *j, size_t jn, char *out, size_t max)
{
    size_t lim = jn <= max ? jn : max + 1;
    size_t on = fold_first(j, lim);
    if (on >= lim) {   /* most keys: nothing folds */
        size_t n = jn < max ? jn : max;
        copy_short(out, j, n);
        out[n] = 0;
        return n;
    }
    copy_short(out, j, on);
    for (size_t k = on; k < jn && on < max; k++) {
        char c = j[k];
        if (c == 'o' && k + 1 < jn && j[k + 1] == 'u') {   /* ou -> u (Boukamal, Zour) */
            c = 'u';
            k++;
        } else if (c == 'e' && k + 1 < jn && j[k + 1] == 'e') {   /* ee -> i (Deir el-Zeer) */
            c = 'i';
            k++;
        }
        if (on && out[on - 1] == c && !(c >= '0' && c <= '9'))   /* doubled letters single */
            continue;
        out[on++] = c;
    }
    out[on] = 0;
    return on;
}

static size_t fold(const char *j, size_t jn, char *out) { return fold_max(j, jn, out, SR_LEX_MAX - 1); }

/* The common case, one ASCII word of letters and digits ("Raqqa"), in one
 * pass; the same result as the general path below. */
static size_t norm_word(const char *s, size_t n, char *out)
{
    char w[SR_LEX_MAX];
    for (size_t i = 0; i < n; i++)
        w[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
    const char *rep = word_fold(w, n);
    if (rep)
        return fold(rep, strlen(rep), out);
    if (n > 3 && w[n - 1] == 'h' && w[n - 2] == 'a')
        n--;
    return fold(w, n, out);
}

/* Pass 1: words of s[0..n) into w (at most WCAP - 1 bytes), lower-case
 * ASCII, separated by single spaces, none trailing.  Returns the length, or
 * (size_t)-1 when `latin_only` and a letter of another script stands alone. */
#define WCAP (SR_LEX_MAX * 2)
static size_t split(const char *s, size_t n, char *w, int latin_only)
{
    size_t wn = 0;
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
#define PUTC(c) do { if (wn + 1 < WCAP) w[wn++] = (char)(c); } while (0)
#define SEP() do { if (wn && w[wn - 1] != ' ') PUTC(' '); } while (0)
    while (i < n) {
        unsigned char c = p[i];
        if (c < 0x80) {
            i++;
            if (c >= 'A' && c <= 'Z')
                PUTC(c + 32);
            else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
                PUTC(c);
            else if (is_mark(c))
                ;
            else
                SEP();
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t l = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &cp);
        if (l <= 0) {
            i++;
            SEP();
            continue;
        }
        i += (size_t)l;
        if (is_mark(cp))
            continue;
        const char *f = latin_fold(cp);
        if (f) {
            for (; *f; f++)
                PUTC(*f);
            continue;
        }
        utf8proc_int32_t d[8];
        int last = 0;
        utf8proc_ssize_t nd = utf8proc_decompose_char(
            cp, d, 8, UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD | UTF8PROC_COMPAT, &last);
        int any = 0, foreign = 0;
        for (utf8proc_ssize_t k = 0; k < nd && k < 8; k++) {
            utf8proc_int32_t e = d[k];
            if ((e >= 'a' && e <= 'z') || (e >= '0' && e <= '9')) {
                PUTC(e);
                any = 1;
            } else if (e >= 'A' && e <= 'Z') {
                PUTC(e + 32);
                any = 1;
            } else if ((f = latin_fold(e)) != NULL) {
                for (; *f; f++)
                    PUTC(*f);
                any = 1;
            } else if (e >= 0x80) {
                utf8proc_category_t cat = utf8proc_category(e);
                if (cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LL || cat == UTF8PROC_CATEGORY_LO ||
                    cat == UTF8PROC_CATEGORY_LT || cat == UTF8PROC_CATEGORY_LM)
                    foreign = 1;
            }
        }
        if (foreign && !any && latin_only)
            return (size_t)-1;
        if (!any)
            SEP();
    }
#undef PUTC
#undef SEP
    while (wn && w[wn - 1] == ' ')
        wn--;
    return wn;
}

/* Pass 2: the words of w[0..wn) joined into j (at most WCAP - 1 bytes):
 * word folds (saint -> st), word-final -ah -> -a, Arabic articles dropped
 * before another word.  With `final` the last word of w ends the name (an
 * article there stays: "Tall al"); without it every word has one after it. */
static size_t join(const char *w, size_t wn, char *j, int final)
{
    size_t jn = 0;
    size_t a = 0;
    while (a < wn) {
        size_t b = a;
        while (b < wn && w[b] != ' ')
            b++;
        int lastw = final && b >= wn;
        size_t next = b + 1;
        const char *rep = word_fold(w + a, b - a);
        /* word-final -ah (ta marbuta in GeoNames romanisation) = -a: Raqqah = Raqqa */
        if (b - a > 3 && w[b - 1] == 'h' && w[b - 2] == 'a')
            b--;
        if (rep)
            for (; *rep && jn + 1 < WCAP; rep++)
                j[jn++] = *rep;
        else if (!(lastw == 0 && is_article(w + a, b - a)))
            for (size_t k = a; k < b && jn + 1 < WCAP; k++)
                j[jn++] = w[k];
        a = next;
    }
    return jn;
}

size_t sr_lex_norm(const char *s, size_t n, char *out, int latin_only)
{
    size_t plain = 0;
    while (plain < n && plain < SR_LEX_MAX &&
           (((s[plain] | 32) >= 'a' && (s[plain] | 32) <= 'z') || (s[plain] >= '0' && s[plain] <= '9')))
        plain++;
    if (plain == n && n)
        return norm_word(s, n, out);
    char w[WCAP], j[WCAP];
    size_t wn = split(s, n, w, latin_only);
    if (wn == (size_t)-1)
        return out[0] = 0, 0;
    return fold(j, join(w, wn, j, 1), out);
}

size_t sr_lex_part(const char *s, size_t n, char *out, size_t *endn)
{
    char w[WCAP];
    size_t wn;
    if (n > SR_LEX_PART_MAX)
        n = SR_LEX_PART_MAX;   /* (callers do not join such tokens) */
    size_t plain = 0;
    while (plain < n && (((s[plain] | 32) >= 'a' && (s[plain] | 32) <= 'z') || (s[plain] >= '0' && s[plain] <= '9')))
        plain++;
    if (plain == n && n) {   /* one ASCII word, the common case: join's rules on it alone */
        for (size_t i = 0; i < n; i++)
            w[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
        const char *rep = word_fold(w, n);
        if (rep) {
            size_t rn = strlen(rep);
            memcpy(out, rep, rn);
            return *endn = rn;
        }
        if (n > 3 && w[n - 1] == 'h' && w[n - 2] == 'a')
            n--;
        memcpy(out, w, n);
        *endn = n;
        return is_article(w, n) ? 0 : n;
    }
    if (plain == n)
        wn = 0;
    else
        wn = split(s, n, w, 0);
    /* the two joins differ only in the last word, kept when final: the
     * whole join once with it, and the length without it */
    size_t jn = join(w, wn, out, 1);
    size_t b = wn, a = wn;
    while (a && w[a - 1] != ' ')
        a--;
    *endn = jn;
    return (b - a >= 2 && b - a <= 3 && is_article(w + a, b - a)) ? jn - (b - a) : jn;
}

size_t sr_lex_fold(const char *joined, size_t n, char *out, size_t max)
{
    return fold_max(joined, n, out, max < SR_LEX_MAX - 1 ? max : SR_LEX_MAX - 1);
}

/* sr_lex_skel's letters: 0 for the dropped ones (vowels, y, w, h), 'k' for
 * q and c, every other byte itself (one load a byte, not a switch) */
#define SKEL_ROW(b) (b), (b) + 1, (b) + 2, (b) + 3, (b) + 4, (b) + 5, (b) + 6, (b) + 7
static const unsigned char skel_map[256] = {
    SKEL_ROW(0x00), SKEL_ROW(0x08), SKEL_ROW(0x10), SKEL_ROW(0x18), SKEL_ROW(0x20), SKEL_ROW(0x28),
    SKEL_ROW(0x30), SKEL_ROW(0x38), SKEL_ROW(0x40), SKEL_ROW(0x48), SKEL_ROW(0x50), SKEL_ROW(0x58),
    /* ` a b c d e f g h i j k l m n o p q r s t u v w x y z { | } ~ DEL */
    '`', 0, 'b', 'k', 'd', 0, 'f', 'g', 0, 0, 'j', 'k', 'l', 'm', 'n', 0,
    'p', 'k', 'r', 's', 't', 0, 'v', 0, 'x', 0, 'z', '{', '|', '}', '~', 0x7f,
    SKEL_ROW(0x80), SKEL_ROW(0x88), SKEL_ROW(0x90), SKEL_ROW(0x98), SKEL_ROW(0xa0), SKEL_ROW(0xa8),
    SKEL_ROW(0xb0), SKEL_ROW(0xb8), SKEL_ROW(0xc0), SKEL_ROW(0xc8), SKEL_ROW(0xd0), SKEL_ROW(0xd8),
    SKEL_ROW(0xe0), SKEL_ROW(0xe8), SKEL_ROW(0xf0), SKEL_ROW(0xf8)};
#undef SKEL_ROW

size_t sr_lex_skel(const char *key, size_t n, char *out)
{
    size_t on = 0;
    for (size_t i = 0; i < n && on + 1 < SR_LEX_MAX; i++) {
        char c = (char)skel_map[(unsigned char)key[i]];
        if (!c && key[i])
            continue;   /* a vowel, y, w or h */
        if (on && out[on - 1] == c)
            continue;
        out[on++] = c;
    }
    out[on] = 0;
    return on;
}

uint64_t sr_lex_hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h ? h : 1;
}
