/* test_text.c — tokenizer, sentence splitter and UTF-8 repair on sentences
 * written for these tests. */
#include "t.h"
#include "core/arena.h"
#include "text/text.h"
#include "clean/clean.h"

static sr_arena *A;

/* tokens of s as "a|b|c" */
static const char *toks(const char *s)
{
    static char out[2048];
    sr_tok *t;
    size_t n;
    sr_arena_reset(A);
    if (sr_tokenize(s, 0, strlen(s), A, &t, &n))
        return "ERR";
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i)
            strcat(out, "|");
        strncat(out, s + t[i].start, t[i].len);
    }
    return out;
}

static size_t sents(const char *s, sr_textmodel *tm)
{
    sr_doc d;
    memset(&d, 0, sizeof d);
    d.text = s;
    d.len = strlen(s);
    sr_arena_reset(A);
    if (sr_text_analyze(&d, A, tm))
        return (size_t)-1;
    return tm->nsent;
}

/* The tokenizer's chunked word runs against its byte loop: random texts
 * made of pieces that exercise every rule (case, digits and separators,
 * hyphens, apostrophes straight and curly, abbreviations, UTF-8 letters,
 * line breaks), tokenized over a random range of the buffer with the bytes
 * after the range readable (as in a document) or not. */
static int same_tokens_random(void)
{
    static const char *const pool[] = {"a", "b", "Z", "Q", "x", "7", "0", " ", " ", " ", "\n", ".", ",", "-", "'", "s",
                                       "S", "\xE2\x80\x99", "\xE2\x80\x90", "\xC3\xA9", "\xC3\x89", "(", "\"", "!",
                                       "\t", "e.g", "U.S.", "Mr", "Gen", "\xE2\x80\x9C", "abcdefghij", "KLMNOPQ", "2019",
                                       "90,000", "3.5", ";", "--", "\xE2\x80\xA6", "\xC2\xA0", "al-", "Qa'im"};
    char buf[400];
    unsigned long long r = 0xD1B54A32D192ED03ull;
    for (int it = 0; it < 4000; it++) {
        size_t n = 0, want = (size_t)(t_rand(&r) % 300);
        while (n < want) {
            const char *p = pool[t_rand(&r) % (sizeof pool / sizeof *pool)];
            size_t l = strlen(p);
            if (n + l >= sizeof buf)
                break;
            memcpy(buf + n, p, l);
            n += l;
        }
        buf[n] = '\0';
        size_t start = n ? (size_t)(t_rand(&r) % (n / 4 + 1)) : 0;
        size_t end = n - (n ? (size_t)(t_rand(&r) % (n / 4 + 1)) : 0);
        size_t lim = it & 1 ? n : end;
        sr_tok *a, *b;
        size_t na, nb;
        sr_arena_reset(A);
        if (sr_tokenize_path(buf, start, end, lim, 0, A, &a, &na) ||
            sr_tokenize_path(buf, start, end, lim, 1, A, &b, &nb) || na != nb)
            return 0;
        for (size_t k = 0; k < na; k++)
            if (a[k].start != b[k].start || a[k].len != b[k].len || a[k].kind != b[k].kind ||
                a[k].flags != b[k].flags || a[k].sent != b[k].sent)
                return 0;
    }
    return 1;
}

#define SENT_EQ(tm, i, str) T_EQ_MEM((tm).text + (tm).sent[i].start, (tm).sent[i].end - (tm).sent[i].start, str)

int main(void)
{
    A = sr_arena_create(0);
    /* words, hyphens, abbreviations */
    T_EQ_STR(toks("Deir al-Zour fell."), "Deir|al-Zour|fell|.");
    T_EQ_STR(toks("U.S.-backed fighters"), "U.S.-backed|fighters");
    T_EQ_STR(toks("the U.S. military"), "the|U.S.|military");
    T_EQ_STR(toks("the S.D.F. said"), "the|S.D.F.|said");
    T_EQ_STR(toks("Mr. Assad and Gen. Smith"), "Mr.|Assad|and|Gen.|Smith");
    T_EQ_STR(toks("on Feb. 18, 2019"), "on|Feb.|18|,|2019");
    /* a dotted run at the very end of the text, without its final dot (found by fuzz_text) */
    {
        static const char *const ends[] = {"see e.g", "A.R", "$.A.R"};
        for (size_t k = 0; k < 3; k++) {
            sr_tok *t;
            size_t n, len = strlen(ends[k]);
            sr_arena_reset(A);
            T_CHECK(!sr_tokenize(ends[k], 0, len, A, &t, &n) && n > 0 && t[n - 1].start + t[n - 1].len == len);
        }
    }
    T_EQ_STR(toks("90,000 people and 3.5 km"), "90,000|people|and|3.5|km");
    /* apostrophes: possessive split, inner kept, curly too */
    T_EQ_STR(toks("Syria's army"), "Syria|'s|army");
    T_EQ_STR(toks("Syria\xE2\x80\x99s army"), "Syria|\xE2\x80\x99s|army");
    T_EQ_STR(toks("Al Qa'im town"), "Al|Qa'im|town");
    T_EQ_STR(toks("don\xE2\x80\x99t go"), "don\xE2\x80\x99t|go");
    /* quotes and dashes */
    T_EQ_STR(toks("\xE2\x80\x9CWe won,\xE2\x80\x9D he said"), "\xE2\x80\x9C|We|won|,|\xE2\x80\x9D|he|said");
    T_EQ_STR(toks("BEIRUT \xE2\x80\x94 Troops"), "BEIRUT|\xE2\x80\x94|Troops");
    T_EQ_STR(toks("Ra\xC3\xA1s al-\xCA\xBF" "Ayn"), "Ra\xC3\xA1s|al-\xCA\xBF" "Ayn");

    /* flags */
    {
        sr_tok *t;
        size_t n;
        const char *s = "NATO and Raqqa fell";
        sr_arena_reset(A);
        T_EQ_INT(sr_tokenize(s, 0, strlen(s), A, &t, &n), SR_OK);
        T_EQ_INT(n, 4);
        T_CHECK(t[0].flags & SR_TF_UPPER);
        T_CHECK(t[2].flags & SR_TF_CAP);
        T_CHECK(!(t[1].flags & SR_TF_CAP));
        T_EQ_INT(t[2].start, 9);
        T_EQ_INT(t[2].len, 5);
    }
    {
        /* an ASCII hyphen inside a word is flagged (the word view splits
         * only those); a Unicode hyphen or a dash between words is not */
        sr_tok *t;
        size_t n;
        const char *s = "al-Bab U.S.-backed Deir ez\xE2\x80\x91Zor 3-4 war - peace";
        sr_arena_reset(A);
        T_EQ_INT(sr_tokenize(s, 0, strlen(s), A, &t, &n), SR_OK);
        T_EQ_INT(n, 10); /* "3", "-", "4": numbers do not join */
        T_CHECK(t[0].flags & SR_TF_HYPHEN);
        T_CHECK(t[1].flags & SR_TF_HYPHEN);
        for (size_t k = 2; k < n; k++)
            T_CHECK(!(t[k].flags & SR_TF_HYPHEN));
        T_EQ_INT(t[3].len, 8); /* ez‑Zor is one word */
    }

    T_EQ_INT(same_tokens_random(), 1);
    /* the chunked path's own cases: a word cut by the range's end, a word
     * of 15, 16 and 17 bytes, a comma after digits and after letters */
    {
        const char *s = "Raqqa fell ABCDEFGHIJKLMNO abcdefghijklmnop ABCDEFGHIJKLMNOPQ 90,000 men, 12 x";
        sr_tok *t;
        size_t n;
        sr_arena_reset(A);
        T_EQ_INT(sr_tokenize_path(s, 0, 8, strlen(s), 1, A, &t, &n), SR_OK);
        T_EQ_INT(n, 2);
        T_EQ_INT(t[1].len, 2); /* "fe": the range ends inside the word */
        T_EQ_STR(toks(s), "Raqqa|fell|ABCDEFGHIJKLMNO|abcdefghijklmnop|ABCDEFGHIJKLMNOPQ|90,000|men|,|12|x");
    }

    /* sentences */
    sr_textmodel tm;
    T_EQ_INT(sents("Mr. Assad spoke. The army advanced.", &tm), 2);
    SENT_EQ(tm, 0, "Mr. Assad spoke.");
    SENT_EQ(tm, 1, "The army advanced.");
    T_EQ_INT(sents("Gen. Yihya Rasool of the U.S. Army said so. Troops left.", &tm), 2);
    T_EQ_INT(sents("They arrived on Feb. 18 in the town.", &tm), 1);
    T_EQ_INT(sents("It was backed by the U.S. The next day it fell.", &tm), 2);
    T_EQ_INT(sents("\"We will return,\" she said. \"It is over.\" He left.", &tm), 3);
    SENT_EQ(tm, 1, "\"It is over.\"");
    T_EQ_INT(sents("BEIRUT \xE2\x80\x94 Syrian troops took the town on Friday. Rebels fled.", &tm), 2);
    T_EQ_INT(sents("First paragraph without end\n\nSecond one.", &tm), 2);
    T_EQ_INT(sents("Is it over? Yes! Fine.", &tm), 3);
    T_EQ_INT(sents("The S.D.F. took Raqqa in October. It was a long battle.", &tm), 2);
    /* capitals after a plain word or a number continue the sentence (the
     * tokenizer does not make them candidates); a line break before one
     * ends it, unless a comma precedes */
    T_EQ_INT(sents("On 18 March Syrian Army units took Palmyra (Tadmur) from IS.", &tm), 1);
    T_EQ_INT(sents("Syrian troops advanced\nRebels fled", &tm), 2);
    T_EQ_INT(sents("They said,\nTroops left.", &tm), 1);
    T_EQ_INT(sents("", &tm), 0);
    T_EQ_INT(sents("   \n\n  ", &tm), 0);
    /* token -> sentence index is consistent */
    sents("One two. Three four.", &tm);
    T_EQ_INT(tm.tok[0].sent, 0);
    T_EQ_INT(tm.tok[tm.ntok - 1].sent, 1);
    T_CHECK(tm.tok[3].flags & SR_TF_SENT0);

    /* body paragraphs restrict the analysis */
    {
        const char *s = "MENU\nThe town fell. It was taken.\nShare this";
        sr_seg body[1] = {{5, 34}};
        sr_doc d;
        memset(&d, 0, sizeof d);
        d.text = s, d.len = strlen(s), d.body = body, d.nbody = 1;
        sr_arena_reset(A);
        T_EQ_INT(sr_text_analyze(&d, A, &tm), SR_OK);
        T_EQ_INT(tm.nsent, 2);
        SENT_EQ(tm, 1, "It was taken.");
    }

    /* a sentence's paragraph, past an empty body paragraph */
    {
        const char *s = "One fell. Two fell.\n\n\n\nThree fell.";
        sr_seg body[3] = {{0, 19}, {20, 20}, {23, 34}};
        sr_doc d;
        memset(&d, 0, sizeof d);
        d.text = s, d.len = strlen(s), d.body = body, d.nbody = 3;
        sr_arena_reset(A);
        T_EQ_INT(sr_text_analyze(&d, A, &tm), SR_OK);
        T_EQ_INT(tm.nsent, 3);
        T_EQ_INT(tm.sent[0].para, 0);
        T_EQ_INT(tm.sent[1].para, 0);
        T_EQ_INT(tm.sent[2].para, 2);
        T_EQ_INT(tm.tok[tm.ntok - 1].sent, 2);
    }

    /* UTF-8 repair: one for one */
    {
        char s[] = "ok \xC3\x28 bad \xE2\x80\x94 fine \xF0\x9F\x98 end \xED\xA0\x80";
        size_t n = strlen(s), first = 99;
        size_t bad = sr_utf8_repair(s, n, &first);
        T_EQ_INT(strlen(s), n);
        T_EQ_INT(first, 3);
        T_EQ_INT(bad, 1 + 3 + 3);
        T_EQ_STR(s, "ok ?( bad \xE2\x80\x94 fine ??? end ???");
        char ok[] = "Deir ez-Zor \xE2\x80\x94 \xD8\xAF\xD9\x8A\xD8\xB1";
        T_EQ_INT(sr_utf8_repair(ok, strlen(ok), NULL), 0);
    }
    /* the cleaner's word scan: block path = byte path, on hand-made lines
     * and on random ones (letters, digits, apostrophes, spaces, UTF-8, the
     * self-word letters), of every length across the 64-byte blocks */
    {
        int a[3], b[3];
        const char *l = "We're told you'll see O'Brien's 'quoted' words -- ''twas 1,000 \xE2\x80\x99s; ours, yours & US.";
        sr_clean_word_counts(l, strlen(l), 0, a);
        sr_clean_word_counts(l, strlen(l), 1, b);
        T_EQ_INT(a[0], b[0]);
        T_EQ_INT(a[1], b[1]);
        T_EQ_INT(a[2], b[2]);
        T_EQ_INT(b[2] >= 4, 1); /* We're you'll ours yours */
        static const char pool[] = "aAzZ09wWoOuUyYes' '\xC3\xA9\t.-_@[`{";
        char line[300];
        unsigned long long r = 0x9E3779B97F4A7C15ull;
        int same = 1;
        for (int it = 0; it < 3000 && same; it++) {
            size_t n = (size_t)(t_rand(&r) % 200);
            for (size_t i = 0; i < n; i++) {
                line[i] = pool[t_rand(&r) % (sizeof pool - 1)];
            }
            sr_clean_word_counts(line, n, 0, a);
            sr_clean_word_counts(line, n, 1, b);
            same = a[0] == b[0] && a[1] == b[1] && a[2] == b[2];
        }
        T_EQ_INT(same, 1);
    }
    sr_arena_destroy(A);
    return T_DONE();
}
