/* test_jsonl.c — the fast flat-JSON-line parser (src/ingest/jsonl.c).
 *
 * Every line here is also parsed with jansson: when the fast parser takes a
 * line, jansson must read the same keys, kinds and values in the same
 * order; when jansson rejects a line, the fast parser must hand it over
 * (-1) so that the error is worded by jansson as before. */
#include "t.h"
#include "core/arena.h"
#include "ingest/jsonl.h"

#include <jansson.h>

static const char *LINES[] = {
    "{\"id\": \"a1\", \"text\": \"Plain text.\", \"title\": \"T\"}",
    "{\"text\": \"\\u00e9 \\ud83d\\ude00 \\n \\t \\\" \\\\ \\/ \\b\\f\\r\"}",
    "{\"id\": 123, \"text\": \"x\"}",
    "{\"id\": -7, \"text\": null}",
    "  {\"a\":\"b\"}  ",
    "{}",
    "{\"te\\u0078t\": \"escaped key\"}",
    "{\"text\": \"caf\xc3\xa9 \xe2\x80\x99 \xf0\x9f\x98\x80\"}",
    /* handed over: jansson's business (an error, or a kind the fast path leaves) */
    "{\"text\": \"nul \\u0000\"}",
    "{\"text\": \"\\ud800\"}",
    "{\"text\": \"bad \xff\"}",
    "{\"text\": \"raw\ttab\"}",
    "{\"id\": 1.5}",
    "{\"id\": 01}",
    "{\"id\": 1234567890123456789}",
    "{\"a\": true}",
    "{\"a\": [1]}",
    "{\"a\": {\"b\": 1}}",
    "{\"a\": \"1\", \"a\": \"2\"}",
    "{\"a\": \"1\"} x",
    "[1]",
    "{\"a\": \"unterminated}",
    "{\"a\": nul}",
    "{\"a\": \"1\",}",
    "{\"a\" \"1\"}",
    "{\"a\": \"\\x\"}",
    "{\"a\": \"\\u00\"}",
    "{\"a\": \"over \xc0\xaf\"}",
    "{\"a\": \"surr \xed\xa0\x80\"}",
    "",
};

int main(void)
{
    sr_arena *a = sr_arena_create(0);
    int taken = 0, handed = 0;
    for (size_t k = 0; k < sizeof LINES / sizeof *LINES; k++) {
        const char *line = LINES[k];
        size_t n = strlen(line);
        sr_jfield f[16];
        long nf = sr_jsonl_flat(line, n, a, f, 16);
        json_error_t je;
        json_t *o = json_loadb(line, n, JSON_ALLOW_NUL, &je);
        if (nf < 0) {
            handed++;
            T_EQ_INT(nf, -1);
        } else {
            taken++;
            T_CHECK(o && json_is_object(o));
            if (!o || !json_is_object(o))
                continue;
            T_EQ_INT(json_object_size(o), nf);
            long i = 0;
            const char *key;
            json_t *v;
            json_object_foreach(o, key, v) {
                if (i >= nf)
                    break;
                T_EQ_STR(f[i].key, key);
                if (json_is_string(v)) {
                    T_EQ_INT(f[i].kind, SR_JV_STR);
                    T_EQ_INT(f[i].len, json_string_length(v));
                    T_CHECK(f[i].str && !memcmp(f[i].str, json_string_value(v), f[i].len));
                } else if (json_is_integer(v)) {
                    T_EQ_INT(f[i].kind, SR_JV_INT);
                    T_EQ_INT(f[i].num, json_integer_value(v));
                } else
                    T_EQ_INT(f[i].kind, SR_JV_NULL);
                i++;
            }
        }
        json_decref(o);
    }
    T_EQ_INT(taken, 8);
    T_EQ_INT(handed, 22);
    /* a special byte at every position of a long value (the scan takes
     * sixteen or eight bytes a step): the same string as jansson, or
     * handed over where jansson refuses too */
    {
        static const char *const sp[] = {"\\n", "\\\"", "\xC3\xA9", "\\u00e9", "\x01", "\x7f", "\xFF"};
        int same = 1;
        for (size_t k = 0; k < sizeof sp / sizeof *sp; k++)
            for (size_t pos = 0; pos < 40; pos++) {
                char line[128];
                size_t o = 0;
                o += (size_t)sprintf(line, "{\"t\": \"");
                for (size_t i = 0; i < 40; i++) {
                    if (i == pos)
                        o += (size_t)sprintf(line + o, "%s", sp[k]);
                    line[o++] = (char)('a' + i % 26);
                }
                o += (size_t)sprintf(line + o, "\"}");
                sr_jfield f[2];
                long nf = sr_jsonl_flat(line, o, a, f, 2);
                json_error_t je;
                json_t *j = json_loadb(line, o, 0, &je);
                json_t *t = j ? json_object_get(j, "t") : NULL;
                if (nf == 1)
                    same = same && t && f[0].len == json_string_length(t) && !memcmp(f[0].str, json_string_value(t), f[0].len);
                else
                    same = same && nf == -1 && (!t || k == 5); /* 0x7f: valid JSON, left to jansson */
                json_decref(j);
            }
        T_EQ_INT(same, 1);
    }
    /* too many fields for the caller's array: handed over */
    sr_jfield one[1];
    T_EQ_INT(sr_jsonl_flat("{\"a\": \"1\", \"b\": \"2\"}", 20, a, one, 1), -1);
    sr_arena_destroy(a);
    return T_DONE();
}
