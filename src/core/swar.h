/* swar.h — byte tests eight bytes at a time ("SIMD within a register").
 *
 * The tokenizer, the word view, the cleaner's word scan and the key
 * normaliser each run over every byte of the text; these are the tests
 * they share.  A mask marks a byte by its high bit (0x80).  The range and
 * equality tests want every byte below 0x80 (clear the high bits first and
 * keep them apart); where a mask's bit positions are read as byte positions
 * (ctz, shifts between neighbours) the load must be little-endian:
 * SR_SWAR_LE says whether it is, and callers fall back to their byte loop
 * when it is not. */
#ifndef SR_SWAR_H
#define SR_SWAR_H

#include <stdint.h>

#define SR_ONES8 0x0101010101010101ull
#define SR_HIGH8 0x8080808080808080ull
#define SR_LOW7  0x7F7F7F7F7F7F7F7Full

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SR_SWAR_LE 1
#else
#define SR_SWAR_LE 0
#endif

/* SSE2 is part of every x86-64: scanners that test many bytes per step
 * use it there (16 at a time) and the tests above elsewhere. */
#if defined(__SSE2__) && SR_SWAR_LE
#define SR_SSE2 1
#else
#define SR_SSE2 0
#endif

/* Bits set in m (no popcnt instruction is assumed). */
static inline int sr_popcount64(uint64_t m)
{
    m = m - ((m >> 1) & 0x5555555555555555ull);
    m = (m & 0x3333333333333333ull) + ((m >> 2) & 0x3333333333333333ull);
    m = (m + (m >> 4)) & 0x0F0F0F0F0F0F0F0Full;
    return (int)((m * SR_ONES8) >> 56);
}

/* The bytes of x (each below 0x80) within [a, b], exactly. */
static inline uint64_t sr_swar_range(uint64_t x, unsigned a, unsigned b)
{
    return (x + SR_ONES8 * (0x80u - a)) & ~(x + SR_ONES8 * (0x80u - b - 1)) & SR_HIGH8;
}

/* The bytes of x (each below 0x80) equal to c, exactly. */
static inline uint64_t sr_swar_eq(uint64_t x, unsigned c)
{
    uint64_t v = x ^ (SR_ONES8 * c);
    return ~(((v + SR_LOW7) | v) | SR_LOW7);
}

/* The zero bytes of v (any bytes): never one missed, but a byte above a
 * zero byte may be marked too (the borrow) — for "is there any". */
static inline uint64_t sr_swar_zero(uint64_t v) { return (v - SR_ONES8) & ~v & SR_HIGH8; }

/* How many bytes a mask marks. */
static inline int sr_swar_count(uint64_t m) { return (int)(((m >> 7) * SR_ONES8) >> 56); }

#endif
