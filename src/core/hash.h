/* hash.h — a hash of bytes for tables kept in memory only (the store's
 * caches, the cleaner's repeated-line test).  Eight bytes a step; nothing
 * stored on disk depends on its values, so it may change freely (hashes
 * that are stored, such as the gazetteer's keys, the content hash or
 * MinHash, have their own fixed definitions). */
#ifndef SR_HASH_H
#define SR_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline uint64_t sr_hash_bytes(const void *p, size_t n)
{
    const char *k = p;
    uint64_t h = 0x9e3779b97f4a7c15ull ^ n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, k + i, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
    }
    uint64_t w = 0;
    memcpy(&w, k + i, n - i);
    h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
    return h ^ (h >> 29);
}

#endif
