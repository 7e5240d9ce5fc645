/* test_clean.c — the plain-text cleaner (sr_boiler_segments) on made-up
 * documents: which lines are story.  The fixture sentences are written
 * here; none comes from a corpus.  Long paragraphs matter in particular:
 * their word scan stops early (ENOUGH_WORDS in boiler.c), and the tests
 * that need the whole count (the publisher's promotion at the end, the
 * fallback's longest line) must still get it. */
#include "clean/clean.h"
#include "t.h"

#include <stdio.h>
#include <string.h>

/* Append s to out (cap bytes, NUL-terminated), cut if it does not fit. */
static void cat(char *out, size_t cap, const char *s)
{
    size_t o = strlen(out), n = strlen(s);
    if (o + n >= cap)
        n = cap - o - 1;
    memcpy(out + o, s, n);
    out[o + n] = '\0';
}

/* "The" and n-1 times word (one word, lower case), then a full stop. */
static void prose(char *out, size_t cap, int n, const char *word)
{
    snprintf(out, cap, "The");
    for (int i = 1; i < n; i++)
        cat(out, cap, " "), cat(out, cap, word);
    cat(out, cap, ".");
}

/* Clean text (plain) and return the body's paragraphs joined by '|'. */
static const char *body_of(sr_arena *a, const char *text, char *out, size_t cap)
{
    sr_doc d;
    memset(&d, 0, sizeof d);
    d.id = "t";
    d.kind = SR_DOC_TEXT;
    d.text = text;
    d.len = strlen(text);
    if (sr_boiler_segments(&d, a))
        return "(oom)";
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < d.nbody && o + 1 < cap; i++) {
        size_t n = d.body[i].end - d.body[i].start;
        if (o + n + 2 > cap)
            break;
        if (i)
            out[o++] = '|';
        memcpy(out + o, text + d.body[i].start, n);
        o += n;
        out[o] = '\0';
    }
    return out;
}

int main(void)
{
    sr_arena *a = sr_arena_create(1 << 16);
    static char text[40000], out[40000], p1[4000], p2[4000], want[9000];

    /* a menu, a long story paragraph, a short one, then three lines of the
     * publisher speaking to the reader: the promotion block goes */
    prose(p1, sizeof p1, 300, "fighters");
    snprintf(text, sizeof text,
             "Home | World | Region\n%s\nOfficials said the road to the north of the town was closed on the same day after heavy shelling there.\n"
             "We hope you liked our report and you will share it with your friends.\n"
             "Support our work: you can give to us and we will go on.\n"
             "Follow us and our team wherever you read us, we are there.\n",
             p1);
    snprintf(want, sizeof want, "%s|Officials said the road to the north of the town was closed on the same day after heavy shelling there.", p1);
    T_EQ_STR(body_of(a, text, out, sizeof out), want);

    /* a long paragraph of promotion is promotion too: its self words are
     * counted over the whole line, not the part the word scan read */
    {
        static char promo[4000];
        snprintf(promo, sizeof promo, "Our");
        for (int i = 0; i < 60; i++)
            cat(promo, sizeof promo, i % 10 == 9 ? " we" : " stories");
        cat(promo, sizeof promo, ".");
        snprintf(text, sizeof text,
                 "%s\nWe thank you for reading us.\nYou can write to us about our work.\n%s\n", p1, promo);
        T_EQ_STR(body_of(a, text, out, sizeof out), p1);
    }

    /* ...but one self word in a paragraph of 70 is no promotion (1 in 50
     * is the bound; the part the word scan read had some 42 words), so the
     * walk back from the end stops there and the short lines before it stay */
    {
        static char one[4000];
        snprintf(one, sizeof one, "We");
        for (int i = 0; i < 69; i++)
            cat(one, sizeof one, " reported");
        cat(one, sizeof one, ".");
        snprintf(text, sizeof text, "%s\nWe thank you for reading us.\nYou can write to us about our work.\n%s\n",
                 p1, one);
        snprintf(want, sizeof want, "%s|We thank you for reading us.|You can write to us about our work.|%s", p1, one);
        T_EQ_STR(body_of(a, text, out, sizeof out), want);
    }

    /* every line dropped (two captions printed twice, side by side): the
     * line with the most words is kept, by its whole count (60 long words
     * against 50 short ones: the scan has read some 42 of the 60 when it
     * stops, and all 50 of the shorter line) */
    prose(p1, sizeof p1, 60, "reinforcements");
    prose(p2, sizeof p2, 50, "troops");
    snprintf(text, sizeof text, "%s\n%s\n%s\n%s\n", p1, p1, p2, p2);
    T_EQ_STR(body_of(a, text, out, sizeof out), p1);
    snprintf(text, sizeof text, "%s\n%s\n%s\n%s\n", p2, p2, p1, p1);
    T_EQ_STR(body_of(a, text, out, sizeof out), p1);

    /* a paragraph repeated further down keeps its first copy (40 words or
     * more), a short repeated line goes with its copy */
    prose(p1, sizeof p1, 80, "residents");
    snprintf(text, sizeof text, "%s\nThe army said it had taken the hill after two days.\n%s\n", p1, p1);
    snprintf(want, sizeof want, "%s|The army said it had taken the hill after two days.", p1);
    T_EQ_STR(body_of(a, text, out, sizeof out), want);

    sr_arena_destroy(a);
    return T_DONE();
}
