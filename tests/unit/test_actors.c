/* test_actors.c — the actor dictionary's alias matcher (src/extract/actors.c).
 *
 * A small dictionary written here (overlapping aliases, an exact-case one,
 * a node of many kids, a possessive without apostrophe) is matched on
 * sentences written here; then the frozen arrays the matcher walks are
 * compared with the plain hash-table walk (x_actors_set_plain) at every
 * word of a few thousand random sentences, made of this dictionary's words
 * and of the project's (data/actors.tsv, when it is there): both must give
 * the same length and actor everywhere, and the callers' filter
 * (x_actor_begins) must let every match through. */
#include "t.h"
#include "core/arena.h"
#include "core/ctx.h"
#include "extract/xint.h"
#include "text/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* id, group, kind, country, backed by, name, aliases */
static const char *ACTORS =
    "# test dictionary\n"
    "ISIS\tISIS\tjihadist\t-\t-\tIslamic State\tIS|=IS|ISIS|Islamic State group|the Islamic State|IS fighters\n"
    "SDF\tSDF\tmilitia\tSY\tUS\tSyrian Democratic Forces\tSDF|the SDF|Syrian Democratic Forces fighters\n"
    "SYRIA_GOV\tSYRIA_GOV\tstate\tSY\t-\tSyrian army\tSyrian troops|Syrian forces|the Syrian army|Assads forces\n"
    "?NSAG\t?NSAG\tgeneric\t-\t-\tthe militants\tthe rebels|the fighters|the group|the gunmen|the insurgents|"
    "the jihadists|the extremists|the terrorists|the army|the regime|the forces|the troops\n"
    "CONQ\tREBELS\tnsag\tSY\t-\tArmy of Conquest\tthe Army of Conquest|Jaish al-Fatah|=CONQUEST\n"
    /* ties: an exact-case and a folded alias of one word; a plural and,
     * through the possessive 's', a singular of the same length */
    "CQ2\tREBELS\tnsag\tSY\t-\tconquest\t-\n"
    "GULF\t-\tforeign_state\t-\t-\tGulf States\t-\n"
    "GULF1\t-\tforeign_state\t-\t-\tGulf State\t-\n";

/* Words of the random sentences besides the dictionaries' own. */
static const char *FILL[] = {"took", "the", "town", "of", ",", "and", "said", "States", "group", "Forces", "army",
                             "is", "IS", "Islamic", "state", "Syrian", "forces", "fighters", "'s", "-", "al",
                             "Democratic", "DEMOCRATIC", "of", "Conquest", "CONQUEST", "conquest", "Army", "regime", "Assads", "Gulf",
                             "States", "states", "."};
#define NFILL (sizeof FILL / sizeof *FILL)

static sr_arena *A;

/* The words of the first sentence of `text`. */
static int words_of(const char *text, x_lex *lex, xw **w, size_t *n)
{
    sr_doc d;
    memset(&d, 0, sizeof d);
    d.text = text, d.len = strlen(text);
    sr_textmodel tm;
    if (sr_text_analyze(&d, A, &tm) || !tm.nsent)
        return -1;
    return x_words(&tm, 0, lex, A, w, n);
}

/* "len:actor-id" of the longest alias at word i of text ("" when none). */
static const char *at(x_actors *t, x_lex *lex, const char *text, size_t i)
{
    static char buf[64];
    xw *w;
    size_t n;
    int a;
    buf[0] = '\0';
    if (words_of(text, lex, &w, &n))
        return "error";
    size_t len = x_actor_match(t, w, n, i, &a);
    if (len)
        snprintf(buf, sizeof buf, "%zu:%s", len, x_actor_at(t, (size_t)a)->id);
    return buf;
}

static x_actors *load(const char *text, x_lex *lex)
{
    char path[] = "/tmp/sitrep-test-actors-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return NULL;
    int ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
    close(fd);
    sr_ctx ctx;
    sr_ctx_init(&ctx);
    x_actors *t = NULL;
    if (ok)
        x_actors_load(&t, path, lex, &ctx);
    unlink(path);
    return t;
}

/* n random sentences of FILL words and lexicon words (some capitalised,
 * some with an 's' added); at every word the frozen and the plain walks
 * must agree.  Counts the words where one matched and the disagreements. */
static void random_sentences(x_actors *t, x_lex *lex, unsigned long long seed, int n, int *matched, int *bad)
{
    char text[2048];
    for (int k = 0; k < n; k++) {
        size_t len = 0, nw = 2 + (size_t)(t_rand(&seed) % (k % 3 ? 30 : 120));  /* some past 64 words */
        for (size_t i = 0; i < nw && len < sizeof text - 200; i++) {
            char word[80];
            unsigned long long r = t_rand(&seed);
            if (r % 2)
                snprintf(word, sizeof word, "%s", FILL[(r >> 8) % NFILL]);
            else {
                const char *s = lex->str[1 + (uint32_t)((r >> 8) % (lex->n - 1))];
                snprintf(word, sizeof word, "%s", s[0] == '=' ? s + 1 : s);
                if (r & 4)
                    word[0] = (char)(word[0] >= 'a' && word[0] <= 'z' ? word[0] - 32 : word[0]);
                if ((r & 24) == 8 && strlen(word) < sizeof word - 2)
                    strcat(word, "s");
            }
            len += (size_t)snprintf(text + len, sizeof text - len, "%s%s", i ? " " : "", word);
        }
        snprintf(text + len, sizeof text - len, " .");
        sr_arena_reset(A);
        xw *w;
        size_t nwd;
        if (words_of(text, lex, &w, &nwd))
            continue;
        uint64_t begin[4] = {0, 0, 0, 0};
        if (nwd > 256)
            continue;
        x_actor_begins(t, w, nwd, begin);
        for (size_t i = 0; i < nwd; i++) {
            int a1, a2;
            x_actors_set_plain(t, 0);
            size_t l1 = x_actor_match(t, w, nwd, i, &a1);
            /* the filter never turns a match away */
            if (l1 && !(begin[i >> 6] >> (i & 63) & 1)) {
                if (*bad < 5)
                    fprintf(stderr, "filtered out at word %zu: %s\n", i, text);
                (*bad)++;
            }
            x_actors_set_plain(t, 1);
            size_t l2 = x_actor_match(t, w, nwd, i, &a2);
            x_actors_set_plain(t, 0);
            *matched += l1 > 0;
            if (l1 != l2 || a1 != a2) {
                if (*bad < 5)
                    fprintf(stderr, "disagree at word %zu (%zu/%d, plain %zu/%d): %s\n", i, l1, a1, l2, a2, text);
                (*bad)++;
            }
        }
    }
}

int main(void)
{
    A = sr_arena_create(0);
    x_lex lex;
    x_lex_init(&lex);
    x_actors *t = load(ACTORS, &lex);
    T_CHECK(t != NULL);
    if (!t)
        return T_DONE();
    T_EQ_INT(x_actors_count(t), 8);
    /* a generic class is marked at load (callers test the bit per mention) */
    T_CHECK(x_actor_find(t, "?NSAG") >= 0 && (x_actor_at(t, (size_t)x_actor_find(t, "?NSAG"))->bits & XA_GENERIC));
    T_CHECK(x_actor_find(t, "SDF") >= 0 && !(x_actor_at(t, (size_t)x_actor_find(t, "SDF"))->bits & XA_GENERIC));
    /* the lexicon grows after the load (the rules' words): the start bits
     * then cover it all */
    x_lex_id(&lex, "captured", 8, 1);
    uint32_t nb;
    T_CHECK(x_actor_starts(t, &nb) != NULL && nb >= lex.n);

    /* text, word, "length:actor" of the longest alias there */
    static const struct {
        const char *text;
        size_t i;
        const char *want;
    } cases[] = {
        /* the longest alias wins; a longer name inside is the caller's affair */
        {"The Syrian Democratic Forces fighters took it.", 1, "4:SDF"},
        {"The Syrian troops took it.", 1, "2:SYRIA_GOV"},
        {"The Syrian Democratic Council met.", 1, ""},
        {"Then the Army of Conquest took it.", 1, "4:CONQ"},
        {"Then the army took it.", 1, "2:?NSAG"},
        /* a node of many kids ("the ..."): a word that goes on none */
        {"Then the town fell.", 1, ""},
        {"Then the terrorists fled.", 1, "2:?NSAG"},
        /* "=IS" matches the capitals only; the folded "is" is an alias
         * too here, so the exact-case path is tried first and both give 1 */
        {"IS fighters took it.", 0, "2:ISIS"},
        {"The Islamic State group took it.", 0, "3:ISIS"},
        {"The Islamic State group took it.", 1, "3:ISIS"},
        /* the possessive without apostrophe, on the last word only */
        {"The Islamic States fighters fled.", 0, "3:ISIS"},
        {"Assads forces fled.", 0, "2:SYRIA_GOV"},
        /* ties of length: the exact-case path first, then the folded
         * word, then the word less its 's' */
        {"CONQUEST fled.", 0, "1:CONQ"},
        {"The conquest fled.", 1, "1:CQ2"},
        {"The Gulf states met.", 1, "2:GULF"},
        {"The Gulf state met.", 1, "2:GULF1"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++)
        T_EQ_STR(at(t, &lex, cases[k].text, cases[k].i), cases[k].want);
    /* the callers' filter turns "the town" away before the walk */
    {
        xw *w;
        size_t n;
        uint64_t b = 0;
        T_EQ_INT(words_of("Then the town fell to the SDF.", &lex, &w, &n), 0);
        x_actor_begins(t, w, n, &b);
        /* "the" (goes on with "SDF"), "SDF" (an alias on its own) */
        T_EQ_INT(b, (1u << 5) | (1u << 6));
        T_EQ_INT(x_next_bit(&b, 1, 0, n), 5);
        T_EQ_INT(x_next_bit(&b, 1, 6, n), 6);
        T_EQ_INT(x_next_bit(&b, 1, 7, n), n);
    }
    /* across a block of 64 words: "the" last of the first, "SDF" first of
     * the next */
    {
        char text[1024];
        size_t len = 0;
        for (int k = 0; k < 63; k++)
            len += (size_t)snprintf(text + len, sizeof text - len, "town ");
        snprintf(text + len, sizeof text - len, "the SDF fled .");
        xw *w;
        size_t n;
        uint64_t b[2] = {0, 0};
        T_EQ_INT(words_of(text, &lex, &w, &n), 0);
        T_EQ_INT(n, 67);
        x_actor_begins(t, w, n, b);
        T_CHECK(b[0] == 1ull << 63 && b[1] == 1);
        T_EQ_INT(x_next_bit(b, 2, 0, n), 63);
        T_EQ_INT(x_next_bit(b, 2, 64, n), 64);
        T_EQ_INT(x_next_bit(b, 2, 65, n), n);
    }
    /* a word past the end, a NULL dictionary */
    {
        xw *w;
        size_t n;
        int a = 7;
        T_EQ_INT(words_of("ISIS fled.", &lex, &w, &n), 0);
        T_EQ_INT(x_actor_match(t, w, n, n, &a), 0);
        T_EQ_INT(x_actor_match(NULL, w, n, 0, &a), 0);
        T_EQ_INT(a, -1);
    }

    /* the frozen arrays against the hash-table walk */
    int matched = 0, bad = 0;
    random_sentences(t, &lex, 7, 3000, &matched, &bad);
    T_EQ_INT(bad, 0);
    T_CHECK(matched > 1000);
    x_actors_free(t);
    x_lex_finish(&lex);

    /* the same on the project's dictionary, when it is there */
    FILE *f = fopen("data/actors.tsv", "r");
    if (f) {
        fclose(f);
        x_lex_init(&lex);
        sr_ctx ctx;
        sr_ctx_init(&ctx);
        T_EQ_INT(x_actors_load(&t, "data/actors.tsv", &lex, &ctx), SR_OK);
        if (t) {
            matched = bad = 0;
            random_sentences(t, &lex, 11, 3000, &matched, &bad);
            T_EQ_INT(bad, 0);
            T_CHECK(matched > 1000);
            x_actors_free(t);
        }
        x_lex_finish(&lex);
    }
    x_actors_free(NULL);
    sr_arena_destroy(A);
    return T_DONE();
}
