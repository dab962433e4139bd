/* zl_json_flat.c - JSON as Zeek writes it, in one pass (zl_private.h).
 *
 * Zeek writes a record as {"key":value,...} with no blanks, its keys and
 * most strings without escapes, its values strings, numbers, true/false
 * and flat arrays of those. For such a line json_flat() makes the tokens
 * jsmn would make and indexes the keys as walk() would, reading each byte
 * once and strings sixteen or eight bytes at a time: jsmn and the walk
 * were half of azw-extract's instructions on conn. Anything else (a
 * blank, an escape, a control byte, a nested object, a Kafka wrap, too
 * many tokens or keys) it leaves, untouched, to jsmn and the walk, which
 * also say what is wrong with a broken line. zl_json_check_fast() holds
 * the two to the same answer, for the keys indexed from the last line's
 * too (shape_index()). */
#include "zl_private.h"

#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <string.h>

/* Offset of the first '"', '\\' or byte below 0x20 in the word w (bytes
 * in memory order), or 8 if none. Each test may flag bytes after a true
 * one, never before it: the lowest flag is exact. */
static int special_byte(uint64_t w)
{
	uint64_t m = zero_bytes(w ^ 0x2222222222222222u) | has_backslash(w) |
	             ((w - 0x2020202020202020u) & ~w & 0x8080808080808080u);

	return m ? __builtin_ctzll(m) / 8 : 8;
}

/* The closing quote of the string whose first byte is s[i]: its offset,
 * or -1 if the string holds an escape or a control byte, or is not closed
 * before n. */
static inline __attribute__((always_inline)) long flat_string(const char *s, size_t i, size_t n)
{
#if defined(__SSE2__)
	/* sixteen bytes at a time where the line has them (x86-64 has SSE2) */
	const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\'), ctl = _mm_set1_epi8(0x1f);
	for (; i + 16 <= n; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		__m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bslash)),
		                         _mm_cmpeq_epi8(_mm_min_epu8(v, ctl), v)); /* v <= 0x1f */
		unsigned bits = (unsigned)_mm_movemask_epi8(m);
		if (bits) {
			i += (size_t)__builtin_ctz(bits);
			return s[i] == '"' ? (long)i : -1;
		}
	}
#endif
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	for (; i + 8 <= n; i += 8) {
		int k = special_byte(load8(s + i));
		if (k < 8)
			return s[i + k] == '"' ? (long)(i + k) : -1;
	}
#endif
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"')
			return (long)i;
		if (c == '\\' || c < 0x20)
			return -1;
	}
	return -1;
}

/* The end of the primitive at s[i], which strict jsmn wants followed by
 * one of ',', '}' and ']'; -1 for anything else. */
static inline __attribute__((always_inline)) long flat_primitive(const char *s, size_t i)
{
	const char *e = primitive_end(s + i);

	return e > s + i && (*e == ',' || *e == '}' || *e == ']') ? (long)(e - s) : -1;
}

static void flat_tok(jsmntok_t *t, jsmntype_t type, size_t start, size_t end, int parent)
{
	t->type = type;
	t->start = (int)start;
	t->end = (int)end;
	t->size = 0;
	t->parent = parent;
}

/* The keys of json_flat()'s line indexed from its memory of the last
 * line's: 0 if they are the same keys in the same order (each goes to the
 * slot it had, as index_key() would put it), -1 (nothing written) if
 * not. Comparing the keys' bytes costs less than hashing and probing. */
static int shape_index(zl_rec *j)
{
	const struct shape *sh = &j->shape;
	jsmntok_t *tok = j->tok;
	unsigned k, m;

	if (sh->n == 0 || sh->n != (unsigned)tok[0].size || sh->tabcap != j->tabcap)
		return -1;
	for (k = 1, m = 0; k < j->ntok; k++)
		if (tok[k].parent == 0) {
			size_t n = (size_t)(tok[k].end - tok[k].start);

			if (n != sh->key[m].len || !same_bytes(j->line + tok[k].start, sh->text + sh->key[m].off, n))
				return -1;
			m++;
			k++;
		}
	for (k = 1, m = 0; k < j->ntok; k++)
		if (tok[k].parent == 0) {
			struct ent *e = &j->tab[sh->key[m].slot];
			char *s = j->line + tok[k].start;

			s[sh->key[m].len] = '\0'; /* as index_key(): a key named */
			if (e->gen != j->gen) {     /* twice is where it first was */
				e->gen = j->gen;
				e->hash = sh->key[m].hash;
				e->k = s;
				e->klen = sh->key[m].len;
			}
			e->val = (int)k + 1;
			e->slen = SIZE_MAX;
			e->bad = 0;
			e->isnum = 0;
			m++;
			k++;
		}
	j->nkeys = sh->nkeys;
	return 0;
}

/* The keys of the line json_flat() has just made tokens of, indexed as
 * the walk would (keys and values alternate at the top level, arrays'
 * elements between: the walk's order); and their sequence remembered for
 * shape_index() if it fits. */
static void flat_index(zl_rec *j)
{
	jsmntok_t *tok = j->tok;
	unsigned nt = j->ntok, k;
	struct shape *sh = &j->shape;
	uint32_t cap0 = j->tabcap, at = 0, m = 0;
	int fits = 1;

	sh->n = 0;
	for (k = 1; k < nt; k++)
		if (tok[k].parent == 0) {
			struct ent *e = index_key(j, (int)k, (int)k + 1);

			if (e && fits && m < SHAPE_KEYS && at + e->klen <= SHAPE_TEXT) {
				memcpy(sh->text + at, e->k, e->klen);
				sh->key[m].off = (uint16_t)at;
				sh->key[m].len = (uint16_t)e->klen;
				sh->key[m].slot = (uint32_t)(e - j->tab);
				sh->key[m].hash = e->hash;
				at += (uint32_t)e->klen;
			} else {
				fits = 0;
			}
			m++;
			k++;
		}
	/* remembered if every key fits and the table did not grow meanwhile */
	if (fits && j->tabcap == cap0) {
		sh->n = m;
		sh->tabcap = j->tabcap;
		sh->nkeys = j->nkeys;
	}
}

/* One piece on purpose: one loop over the line's bytes, each read once,
 * with the token count and the position in registers (the reader's hot
 * loop); its cases are a key, a string, an array, a primitive. */
/* The tokens of a line in Zeek's form, and its keys indexed: 0, or -1 (the
 * line untouched, nothing indexed) for anything else. */
int zl_json_flat(zl_rec *j, char *line, size_t len)
{
	jsmntok_t *tok = j->tok;
	const unsigned cap = j->cap;
	unsigned nt = 1;
	size_t i = 1;
	long e;

	if (len < 2 || len > (size_t)INT32_MAX / 2 || line[0] != '{' || line[1] != '"')
		return -1;
	flat_tok(&tok[0], JSMN_OBJECT, 0, 0, -1);
	for (;;) {
		unsigned key = nt, val;

		/* "key": */
		if (nt + 2 > cap || (e = flat_string(line, i + 1, len)) < 0 || (size_t)e + 2 >= len ||
		    line[e + 1] != ':')
			return -1;
		flat_tok(&tok[key], JSMN_STRING, i + 1, (size_t)e, 0);
		tok[key].size = 1;
		tok[0].size++;
		i = (size_t)e + 2;
		val = ++nt;
		nt++;
		/* its value */
		switch (line[i]) {
		case '"':
			if ((e = flat_string(line, i + 1, len)) < 0)
				return -1;
			flat_tok(&tok[val], JSMN_STRING, i + 1, (size_t)e, (int)key);
			i = (size_t)e + 1;
			break;
		case '[':
			flat_tok(&tok[val], JSMN_ARRAY, i, 0, (int)key);
			i++;
			if (i < len && line[i] == ']') {
				tok[val].end = (int)++i;
				break;
			}
			for (;;) {
				if (nt + 1 > cap || i >= len)
					return -1;
				if (line[i] == '"') {
					if ((e = flat_string(line, i + 1, len)) < 0)
						return -1;
					flat_tok(&tok[nt], JSMN_STRING, i + 1, (size_t)e, (int)val);
					i = (size_t)e + 1;
				} else {
					if ((e = flat_primitive(line, i)) < 0)
						return -1;
					flat_tok(&tok[nt], JSMN_PRIMITIVE, i, (size_t)e, (int)val);
					i = (size_t)e;
				}
				nt++;
				tok[val].size++;
				if (i >= len)
					return -1;
				if (line[i] == ']')
					break;
				if (line[i] != ',')
					return -1;
				i++;
			}
			tok[val].end = (int)++i;
			break;
		default:
			if ((e = flat_primitive(line, i)) < 0)
				return -1;
			flat_tok(&tok[val], JSMN_PRIMITIVE, i, (size_t)e, (int)key);
			i = (size_t)e;
			break;
		}
		/* , or the end */
		if (i >= len)
			return -1;
		if (line[i] == '}')
			break;
		if (line[i] != ',' || i + 1 >= len || line[i + 1] != '"')
			return -1;
		i++;
	}
	if (i + 1 != len || tok[0].size > ZL_MAX_FIELDS)
		return -1;
	tok[0].end = (int)len;
	j->ntok = nt;
	if (shape_index(j) < 0)
		flat_index(j);
	return 0;
}

