/* test_words.c — the word view's look-ups: the fast paths (one-byte words
 * from tables; ASCII words of up to 16 bytes folded and probed as two
 * integers) against the byte-by-byte path, on words written for this test
 * and on random ones, and the lexicon's answers for a few by hand. */
#include "t.h"
#include "extract/xint.h"

static x_lex L;

static uint32_t id_of(const char *s) { return x_lex_id(&L, s, strlen(s), 0); }

/* The fast and the plain answer for text[start, start + len) agree. */
static int same(const char *text, size_t bound, uint32_t start, uint32_t len)
{
    xw a, b;
    x_word_ident(&L, text, bound, start, len, 1, &a);
    x_word_ident(&L, text, bound, start, len, 0, &b);
    return a.id == b.id && a.cid == b.cid && a.sid == b.sid && a.flags == b.flags;
}

/* The word text[0, n) of a crowded lexicon (the rest of text padded with
 * spaces): the fast and the plain answer agree, and the fast id is the
 * lexicon's own for the folded word (0 when absent). */
static int crowd_agrees(char *text, size_t cap, size_t n)
{
    memset(text + n, ' ', cap - n);
    xw w;
    x_word_ident(&L, text, cap, 0, (uint32_t)n, 0, &w);
    char low[16];
    x_fold(text, n, low);
    return same(text, cap, 0, (uint32_t)n) && w.id == x_lex_id(&L, low, n, 0);
}

int main(void)
{
    x_lex_init(&L);
    static const char *const words[] = {"the", "state", "states", "a", ",", ".", "'", "-", "=A", "=US", "=ISIS",
                                        "us", "isis", "don't", "qa'im", "al", "zour", "e.g", "dec", "said",
                                        "forces", "force", "syria", "=S", "s", "internationalisation", "ab",
                                        "abcdefghijklmnop", "abcdefghijklmno", "abcdefghijklmnopq", "\xC3\xA9t\xC3\xA9",
                                        "=\xC3\x89T\xC3\x89", "0", "2019", "syria'", NULL};
    for (size_t i = 0; words[i]; i++)
        T_CHECK(x_lex_id(&L, words[i], strlen(words[i]), 1) != 0);

    /* by hand: folded look-up, the form less a final s, case flags, the
     * upper-case form */
    {
        const char *t = "States A , US ISIS Don\xE2\x80\x99t SAID said. ABCDEFGHIJKLMNOP \xC3\x89T\xC3\x89 x                ";
        size_t bound = strlen(t);
        xw w;
        x_word_ident(&L, t, bound, 0, 6, 0, &w); /* States */
        T_EQ_INT(w.id, id_of("states"));
        T_EQ_INT(w.sid, id_of("state"));
        T_EQ_INT(w.flags, XW_CAP);
        x_word_ident(&L, t, bound, 7, 1, 0, &w); /* A */
        T_EQ_INT(w.id, id_of("a"));
        T_EQ_INT(w.cid, id_of("=A"));
        T_EQ_INT(w.flags, XW_CAP | XW_UPPER);
        x_word_ident(&L, t, bound, 9, 1, 0, &w); /* , */
        T_EQ_INT(w.id, id_of(","));
        T_EQ_INT(w.flags, 0);
        x_word_ident(&L, t, bound, 11, 2, 0, &w); /* US */
        T_EQ_INT(w.id, id_of("us"));
        T_EQ_INT(w.cid, id_of("=US"));
        T_EQ_INT(w.flags, XW_CAP | XW_UPPER);
        x_word_ident(&L, t, bound, 19, 7, 0, &w); /* Don’t: the curly apostrophe folded */
        T_EQ_INT(w.id, id_of("don't"));
        x_word_ident(&L, t, bound, 32, 4, 0, &w); /* said */
        T_EQ_INT(w.id, id_of("said"));
        T_EQ_INT(w.sid, 0);
        x_word_ident(&L, t, bound, 38, 16, 0, &w); /* 16 bytes, all capitals */
        T_EQ_INT(w.id, id_of("abcdefghijklmnop"));
        T_EQ_INT(w.sid, 0); /* (no final s) */
        T_EQ_INT(w.flags, XW_CAP | XW_UPPER);
        for (uint32_t s = 0, e; s < bound; s = e + 1) {
            for (e = s; e < bound && t[e] != ' '; e++)
                ;
            if (e > s)
                T_CHECK(same(t, bound, s, e - s));
        }
    }

    /* every printable ASCII byte as a word of one byte (ident16 takes
     * them when 16 bytes may be read, the tables near a text's end) */
    {
        char one[18] = "x                ";
        int ok = 1;
        for (int c = 0x21; c < 0x7F; c++) {
            one[0] = (char)c;
            ok &= same(one, 17, 0, 1) && same(one, 1, 0, 1);
        }
        T_EQ_INT(ok, 1);
    }

    /* random words: lexicon words in any case, with or without a final s,
     * and random runs of letters, digits, apostrophes straight and curly,
     * UTF-8 and punctuation, 1 to 20 bytes; each looked up with the 16
     * bytes after it readable or not */
    {
        static const char *const pool[] = {"a", "A", "s", "S", "e", "E", "'", "\xE2\x80\x99", "\xE2\x80\x98", "\xC3\xA9",
                                           "\xC3\x89", "0", "9", ".", ",", "-", "z", "Q", "x", "Z"};
        char text[4096];
        unsigned long long r = 0x2545F4914F6CDD1Dull;
        int ok = 1;
        for (int it = 0; it < 200 && ok; it++) {
            size_t n = 0;
            uint32_t span[256][2];
            size_t ns = 0;
            while (ns < 256 && n + 64 < sizeof text) {
                size_t s = n;
                if (t_rand(&r) % 2) {
                    const char *w = words[t_rand(&r) % (sizeof words / sizeof *words - 1)];
                    for (; *w && n < sizeof text - 64; w++)
                        text[n++] = (char)(t_rand(&r) % 3 ? *w : (*w >= 'a' && *w <= 'z' ? *w - 32 : *w));
                    if (t_rand(&r) % 4 == 0)
                        text[n++] = t_rand(&r) % 2 ? 's' : 'S';
                } else {
                    size_t len = 1 + (size_t)(t_rand(&r) % 20);
                    while (n - s < len) {
                        const char *p = pool[t_rand(&r) % (sizeof pool / sizeof *pool)];
                        size_t l = strlen(p);
                        memcpy(text + n, p, l);
                        n += l;
                    }
                }
                if (n > s) {
                    span[ns][0] = (uint32_t)s, span[ns][1] = (uint32_t)(n - s);
                    ns++;
                }
                text[n++] = ' ';
            }
            for (size_t k = 0; k < ns && ok; k++)
                ok = same(text, n, span[k][0], span[k][1]) && same(text, span[k][0] + span[k][1], span[k][0], span[k][1]);
        }
        T_EQ_INT(ok, 1);
    }
    x_lex_finish(&L);

    /* a crowded lexicon: 3,000 short words of four letters make slots
     * that hold another word (the probe goes on past the first slot); each
     * word is found by the fast path as by the plain one, and random words
     * of the same letters (most absent) agree too */
    {
        x_lex_init(&L);
        static const char abc[] = "aesrt";
        unsigned long long r = 0x9E3779B97F4A7C15ull;
        char text[64];
        int ok = 1;
        for (int i = 0; i < 3000 && ok; i++) {
            size_t n = 1 + (size_t)(t_rand(&r) % 7);
            for (size_t k = 0; k < n; k++)
                text[k] = abc[t_rand(&r) % 5];
            uint32_t id = x_lex_id(&L, text, n, 1);
            ok = id != 0;
        }
        T_EQ_INT(ok, 1);
        for (int i = 0; i < 20000 && ok; i++) {
            size_t n = 1 + (size_t)(t_rand(&r) % 8);
            for (size_t k = 0; k < n; k++)
                text[k] = (char)(t_rand(&r) % 4 ? abc[t_rand(&r) % 5] : abc[t_rand(&r) % 5] - 32);
            ok = crowd_agrees(text, sizeof text, n);
        }
        T_EQ_INT(ok, 1);
        x_lex_finish(&L);
    }

    /* a crowded lexicon of long words: 2,000 words of 9 to 16 bytes that
     * share their first eight ("governor" and more), so that only the
     * second chunk tells them apart (the hash mixes it in for such words);
     * the fast path agrees with the plain one on them and on random words
     * of the same shape, most absent */
    {
        x_lex_init(&L);
        static const char abc[] = "aesrt";
        unsigned long long r = 0xD1B54A32D192ED03ull;
        char text[64];
        int ok = 1;
        memcpy(text, "governor", 8);
        for (int i = 0; i < 2000 && ok; i++) {
            size_t n = 9 + (size_t)(t_rand(&r) % 8);
            for (size_t k = 8; k < n; k++)
                text[k] = abc[t_rand(&r) % 5];
            ok = x_lex_id(&L, text, n, 1) != 0;
        }
        T_EQ_INT(ok, 1);
        for (int i = 0; i < 20000 && ok; i++) {
            size_t n = 9 + (size_t)(t_rand(&r) % 8);
            for (size_t k = 8; k < n; k++)
                text[k] = abc[t_rand(&r) % 5];
            text[0] = i & 1 ? 'G' : 'g';
            ok = crowd_agrees(text, sizeof text, n);
        }
        T_EQ_INT(ok, 1);
        x_lex_finish(&L);
    }

    /* the word record's ids are 16 bits: the lexicon takes 65,535 words,
     * then refuses (0), and still finds the ones it has */
    {
        x_lex_init(&L);
        char b[16];
        uint32_t last = 0;
        for (unsigned i = 0; i < XLEX_MAX - 1; i++)
            last = x_lex_id(&L, b, (size_t)snprintf(b, sizeof b, "w%u", i), 1);
        T_EQ_INT(last, XLEX_MAX - 1);
        T_EQ_INT(x_lex_id(&L, "one-more", 8, 1), 0);
        T_EQ_INT(x_lex_id(&L, "w7", 2, 0), 8);
        x_lex_finish(&L);
    }
    return T_DONE();
}
