/* t.h — the unit-test harness: one binary per module, each check counted.
 *
 *   T_CHECK(cond)            a check; prints file:line on failure
 *   T_EQ_INT(a, b), T_EQ_STR(a, b), T_EQ_MEM(p, n, s)
 *   return T_DONE();         prints "N passed, N failed" and sets the exit code
 *   t_rand(&r)               the next number of a fixed random sequence
 */
#ifndef T_H
#define T_H

#include <stdio.h>
#include <string.h>

static int t_pass, t_fail;

/* The next number of a xorshift64 sequence in *r (not 0): random inputs
 * that are the same at every run. */
static inline unsigned long long t_rand(unsigned long long *r)
{
    *r ^= *r << 13, *r ^= *r >> 7, *r ^= *r << 17;
    return *r;
}

#define T_CHECK(c) do { if (c) t_pass++; else { t_fail++; \
    fprintf(stderr, "%s:%d: FAIL: %s\n", __FILE__, __LINE__, #c); } } while (0)
#define T_EQ_INT(a, b) do { long long _a = (long long)(a), _b = (long long)(b); \
    if (_a == _b) t_pass++; else { t_fail++; \
    fprintf(stderr, "%s:%d: FAIL: %s == %s (%lld != %lld)\n", __FILE__, __LINE__, #a, #b, _a, _b); } } while (0)
#define T_EQ_STR(a, b) do { const char *_a = (a), *_b = (b); \
    if (_a && _b && !strcmp(_a, _b)) t_pass++; else { t_fail++; \
    fprintf(stderr, "%s:%d: FAIL: %s == %s (\"%s\" != \"%s\")\n", __FILE__, __LINE__, #a, #b, \
            _a ? _a : "(null)", _b ? _b : "(null)"); } } while (0)
#define T_EQ_MEM(p, n, s) do { const char *_p = (p); size_t _n = (n); const char *_s = (s); \
    if (_p && strlen(_s) == _n && !memcmp(_p, _s, _n)) t_pass++; else { t_fail++; \
    fprintf(stderr, "%s:%d: FAIL: \"%.*s\" != \"%s\"\n", __FILE__, __LINE__, (int)_n, _p ? _p : "", _s); } } while (0)
#define T_DONE() (printf("%s: %d passed, %d failed\n", __FILE__, t_pass, t_fail), t_fail ? 1 : 0)

#endif
