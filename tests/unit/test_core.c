/* test_core.c — arena, buffer/JSON escaping, error context, allocation
 * fault injection. */
#include "t.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/ctx.h"
#include "core/mem.h"

#include <stdint.h>

static int nwarn;
static void on_warn(void *u, const char *m) { (void)u, (void)m; nwarn++; }

int main(void)
{
    /* arena: alignment, big blocks, reset */
    sr_arena *a = sr_arena_create(128);
    T_CHECK(a != NULL);
    char *p = sr_arena_alloc(a, 3), *q = sr_arena_alloc(a, 5);
    T_CHECK(((uintptr_t)p & 15) == 0 && ((uintptr_t)q & 15) == 0);
    T_CHECK(q >= p + 3);
    char *big = sr_arena_alloc(a, 10000);
    T_CHECK(big != NULL);
    memset(big, 'x', 10000);
    T_EQ_STR(sr_arena_strndup(a, "Raqqa!", 5), "Raqqa");
    T_CHECK(sr_arena_used(a) >= 10000);
    sr_arena_reset(a);
    T_EQ_INT(sr_arena_used(a), 0);
    T_CHECK(sr_arena_alloc(a, 64) != NULL);
    sr_arena_destroy(a);
    sr_arena_destroy(NULL); /* no-op */
    /* an eager arena (blocks mapped with their pages): the same contract */
    {
        sr_arena *e = sr_arena_create_eager(4096);
        T_CHECK(e != NULL);
        char *p1 = sr_arena_calloc(e, 100), *p2 = sr_arena_alloc(e, 10000); /* the second gets its own block */
        T_CHECK(p1 && p2 && p1[99] == 0);
        memset(p2, 'x', 10000);
        T_EQ_INT(sr_arena_used(e) >= 10100, 1);
        sr_arena_reset(e);
        T_EQ_INT(sr_arena_used(e), 0);
        char *p3 = sr_arena_strndup(e, "Deir ez-Zor", 4);
        T_EQ_STR(p3, "Deir");
        sr_arena_destroy(e);
    }

    /* buffers and JSON strings */
    sr_buf b;
    sr_buf_init(&b);
    { const char *js = "a\"b\\c\nd\te\x01 \xE2\x80\x94"; T_EQ_INT(sr_buf_json_str(&b, js, strlen(js)), SR_OK); }
    T_EQ_STR(b.data, "\"a\\\"b\\\\c\\nd\\te\\u0001 \xE2\x80\x94\"");
    sr_buf_clear(&b);
    /* escapes found wherever they sit in long strings (eight bytes are
     * tested at a time): each special byte at each position of 41 */
    {
        static const char sp[] = {'"', '\\', '\n', 0x01, 0x1f, 0x7f};
        static const char *const esc[] = {"\\\"", "\\\\", "\\n", "\\u0001", "\\u001f", "\\u007f"};
        int same = 1;
        for (size_t k = 0; k < sizeof sp; k++)
            for (size_t pos = 0; pos < 41; pos++) {
                char in[41], want[64];
                memset(in, 0x7e, sizeof in);
                in[40] = (char)0xC3; /* bytes >= 0x80 are copied */
                in[pos] = sp[k];
                size_t o = 0;
                want[o++] = '"';
                for (size_t i = 0; i < sizeof in; i++)
                    if (i == pos)
                        memcpy(want + o, esc[k], strlen(esc[k])), o += strlen(esc[k]);
                    else
                        want[o++] = in[i];
                want[o++] = '"';
                sr_buf_clear(&b);
                sr_buf_json_str(&b, in, sizeof in);
                same = same && b.len == o && !memcmp(b.data, want, o);
            }
        T_EQ_INT(same, 1);
    }
    /* short strings (names, ids) end inside one block: a quote at each
     * position of every length from 1 to 17, then the same bytes plain */
    {
        int same = 1;
        for (size_t n = 1; n <= 17; n++)
            for (size_t pos = 0; pos <= n; pos++) {
                char in[17], want[40];
                memset(in, 'x', sizeof in);
                if (pos < n)
                    in[pos] = '"';
                size_t o = 0;
                want[o++] = '"';
                for (size_t i = 0; i < n; i++) {
                    if (i == pos)
                        want[o++] = '\\';
                    want[o++] = in[i];
                }
                want[o++] = '"';
                sr_buf_clear(&b);
                sr_buf_json_str(&b, in, n);
                same = same && b.len == o && !memcmp(b.data, want, o) && !b.data[o];
            }
        T_EQ_INT(same, 1);
    }
    sr_buf_clear(&b);
    T_EQ_INT(sr_buf_json_cstr(&b, NULL), SR_OK);
    T_EQ_STR(b.data, "null");
    sr_buf_clear(&b);
    T_EQ_INT(sr_buf_addf(&b, "%d-%s", 2017, "11"), SR_OK);
    T_EQ_STR(b.data, "2017-11");
    sr_buf_clear(&b);
    T_EQ_INT(sr_buf_addu(&b, 0), SR_OK);
    T_EQ_INT(sr_buf_addu(&b, 7), SR_OK);
    T_EQ_INT(sr_buf_addu(&b, 4294967295u), SR_OK);
    T_EQ_INT(sr_buf_addu(&b, 18446744073709551615ull), SR_OK);
    T_EQ_STR(b.data, "07429496729518446744073709551615");
    sr_buf_clear(&b);
    /* fixed decimals: the bytes of "%.*f", ties (exact binary halves such
     * as 41.265625 round to even), negatives, -0, NaN and huge values */
    {
        static const double fix[] = {0, -0.0, 0.5, 1.5, 2.5, -2.5, 41.265625, -96.022925, 0.125, 0.375,
                                     0.005, 0.015, 0.994999, 0.995, -0.001, 36.02345678, 1e9, 1e15, -3e20};
        char want[64];
        for (size_t i = 0; i < sizeof fix / sizeof *fix; i++)
            for (unsigned d = 0; d <= 6; d++) {
                sr_buf_clear(&b);
                T_EQ_INT(sr_buf_addfix(&b, fix[i], d), SR_OK);
                snprintf(want, sizeof want, "%.*f", (int)d, fix[i]);
                T_EQ_STR(b.data, want);
            }
        sr_buf_clear(&b);
        T_EQ_INT(sr_buf_addfix(&b, 0.0 / 0.0, 5), SR_OK);
        snprintf(want, sizeof want, "%.5f", 0.0 / 0.0);
        T_EQ_STR(b.data, want);
        /* many values of the kinds written: coordinates and scores */
        unsigned long long r = 88172645463325252ull;
        int same = 1;
        for (int i = 0; i < 200000 && same; i++) {
            t_rand(&r);
            double v = (double)(r >> 11) / 9007199254740992.0 * 360.0 - 180.0;
            if (i % 3 == 1)
                v = (double)(float)v; /* the image keeps floats: exact ties happen */
            if (i % 3 == 2)
                v = (double)(r % 20001) / 20000.0;
            unsigned d = i % 2 ? 5 : 2;
            sr_buf_clear(&b);
            sr_buf_addfix(&b, v, d);
            snprintf(want, sizeof want, "%.*f", (int)d, v);
            same = !strcmp(b.data, want);
        }
        T_EQ_INT(same, 1);
    }
    sr_buf_clear(&b);
    T_EQ_INT(sr_buf_addf(&b, "%d-%s", 2017, "11"), SR_OK);
    char longs[600];
    memset(longs, 'z', sizeof longs - 1);
    longs[599] = 0;
    T_EQ_INT(sr_buf_addf(&b, "%s", longs), SR_OK);
    T_EQ_INT(b.len, 7 + 599);
    sr_buf_finish(&b);

    /* out of memory: the buffer stays as it was */
    sr_buf_init(&b);
    sr_buf_adds(&b, "keep");
    sr_mem_fail_after(0);
    T_EQ_INT(sr_buf_add(&b, longs, 599), SR_ENOMEM);
    sr_mem_fail_after(-1);
    T_EQ_STR(b.data, "keep");
    sr_buf_finish(&b);
    sr_mem_fail_after(0);
    T_CHECK(sr_arena_create(0) == NULL);
    sr_mem_fail_after(1); /* the arena struct succeeds, its first block fails */
    T_CHECK(sr_arena_create(0) == NULL);
    sr_mem_fail_after(-1);

    /* context */
    sr_ctx c;
    sr_ctx_init(&c);
    c.warn = on_warn;
    T_EQ_INT(sr_ctx_error(&c, SR_ETRUNC, "%s: byte %d: cut", "f.gz", 42), SR_ETRUNC);
    T_EQ_STR(c.msg, "f.gz: byte 42: cut");
    T_EQ_INT(c.code, SR_ETRUNC);
    sr_ctx_warn(&c, "w%d", 1);
    T_EQ_INT(nwarn, 1);
    T_EQ_INT(c.nwarn, 1);
    sr_ctx_clear(&c);
    T_EQ_INT(c.code, SR_OK);
    T_EQ_STR(sr_status_str(SR_EUTF8), "invalid UTF-8");
    /* growable arrays: arena-backed keeps its elements across doublings,
     * heap-backed reaches any requested size and survives an OOM unchanged */
    {
        sr_arena *ga = sr_arena_create(256);
        int *v = NULL;
        size_t cap = 0, n = 0;
        int ok = 1;
        for (int i = 0; i < 1000; i++) {
            if (sr_arena_grow(ga, (void **)&v, &cap, n, sizeof *v, 4)) {
                ok = 0;
                break;
            }
            v[n++] = i;
        }
        T_CHECK(ok && n == 1000 && cap == 1024);
        int same = 1;
        for (int i = 0; i < 1000; i++)
            same &= v[i] == i;
        T_CHECK(same);
        sr_arena_destroy(ga);
        long *h = NULL;
        size_t hc = 0;
        T_EQ_INT(sr_grow((void **)&h, &hc, 3000, sizeof *h, 1024), 0);
        T_EQ_INT(hc, 4096);
        h[2999] = 7;
        sr_mem_fail_after(0);
        T_EQ_INT(sr_grow((void **)&h, &hc, 5000, sizeof *h, 1024), -1);
        sr_mem_fail_after(-1);
        T_CHECK(hc == 4096 && h[2999] == 7);
        sr_free(h);
    }
    return T_DONE();
}
