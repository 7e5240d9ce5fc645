/* lex.h — name normalisation and keys for the compiled dictionaries.
 *
 * Place names reach sitrep in many transliterations: "Deir ez-Zor",
 * "Deir el-Zour", "Dayr az Zawr"; "Bukamal", "Boukamal", "Abu Kamal".  Both
 * the gazetteer compiler and the geoparser turn a name into the same keys:
 *
 *   sr_lex_norm   the exact key: case folded, diacritics and ʿ ’ ‘ marks
 *                 removed, the Arabic article (al-, el-, ad-, ar-, as-, ash-,
 *                 az-, ...) dropped before another word, final -ah -> -a,
 *                 ou -> u, ee -> i,
 *                 doubled letters single, words joined without spaces;
 *   sr_lex_skel   the looser consonant skeleton of a normalised key (vowels,
 *                 y, w, h dropped; q, c -> k; doubles single).  A skeleton
 *                 match is only a candidate: the geoparser accepts it when
 *                 the document supports it (country focus, nearby places).
 *
 * Keys are short ASCII strings; lookups use their 64-bit FNV-1a hash. */
#ifndef SR_LEX_H
#define SR_LEX_H

#include <stddef.h>
#include <stdint.h>

/* Longest key we build (longer names are cut: they are never ambiguous). */
#define SR_LEX_MAX 128

/* Normalise s[0..n) into out (NUL-terminated, at most SR_LEX_MAX bytes with
 * the NUL).  Returns the key length, 0 when nothing is left.  With
 * `latin_only`, a name holding letters of another script (Cyrillic, Arabic,
 * CJK alternate names in GeoNames) gives 0; otherwise such letters are
 * separators (text from documents). */
size_t sr_lex_norm(const char *s, size_t n, char *out, int latin_only);

/* Keys of n-grams built word by word (the geoparser tries every n-gram of
 * a run of capitalised words, longest first, and must not normalise each
 * from scratch).  sr_lex_part writes the part of one token s[0..n) (n at
 * most SR_LEX_PART_MAX bytes) in a joined key, before the final folds, and
 * returns two lengths: its return value when a word follows the token (an
 * Arabic article ending it is then dropped: "al" in "Tall al Abyad"), and
 * *endn when the name ends with it (the article stays).  For tokens t1..tk
 * separated by spaces only, tk the last that has any letter (*endn > 0) and
 * the whole span at most SR_LEX_PART_MAX bytes,
 *
 *   sr_lex_norm(span) = sr_lex_fold(mid(t1) + ... + mid(tk-1) + end(tk))
 *
 * (tokens after tk add nothing).  out: 2 * SR_LEX_MAX bytes, not
 * NUL-terminated. */
#define SR_LEX_PART_MAX 64
size_t sr_lex_part(const char *s, size_t n, char *out, size_t *endn);

/* The final folds of a joined key (ou -> u, ee -> i, doubled letters
 * single) into out (SR_LEX_MAX bytes, NUL-terminated); returns its length.
 * Only the first `max` letters are made (SR_LEX_MAX - 1 for the whole key;
 * fewer where only the start matters). */
size_t sr_lex_fold(const char *joined, size_t n, char *out, size_t max);

/* The consonant skeleton of a normalised key (out: SR_LEX_MAX bytes). */
size_t sr_lex_skel(const char *key, size_t n, char *out);

/* 64-bit FNV-1a of s[0..n); never 0 (0 marks an empty slot). */
uint64_t sr_lex_hash(const char *s, size_t n);

#endif
