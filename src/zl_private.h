/* zl_private.h - what the files of the Zeek log reader share, and no one
 * else may use (zeeklog.h is the interface):
 *
 *   zeeklog.c  a record's life: made, freed, a new line; the dispatch of
 *              a line to its format's reader, and of zl_get() to its view
 *   zl_time.c  time stamps: ISO 8601 and numbers to epoch text, 6 decimals
 *   zl_json.c  JSON lines: jsmn and its validating walk, Kafka's wrap,
 *              and the key table's values that zl_get() reads
 *   zl_json_flat.c  the one-pass reader of a line in Zeek's own form,
 *              which leaves any other to zl_json.c
 *   zl_tsv.c   Zeek TSV: the # header blocks, their index, rows split into
 *              cells
 *   zl_view.h  a field of the record, found in JSON's key table or
 *              converted from its TSV cell when asked for: zl_get()
 *
 * The record (struct zl_rec) is one struct for every format: a stream may
 * switch format from line to line. The small helpers below are static
 * inline: the readers call them per byte or per key. */
#ifndef AZW_ZL_PRIVATE_H
#define AZW_ZL_PRIVATE_H

/* jsmn's token type, as zl_json.c compiles it (parent links change its
 * layout); only zl_json.c holds jsmn's functions. */
#define JSMN_PARENT_LINKS /* O(1) ',' handling: no quadratic time on wide objects */
#ifndef JSMN_H
#define JSMN_HEADER
#include <jsmn.h>
#endif

#include "zeeklog.h"

#include <stdint.h>
#include <string.h>

#define ZL_MIN_TOKENS 128
#define ZL_MAX_TOKENS (1u << 20)
#define ZL_MAX_DEPTH 64
/* Below this length, jsmn's cost is small whatever the nesting, and the
 * validating pass enforces ZL_MAX_DEPTH; above it a cheap pre-scan does,
 * before jsmn (whose closing-bracket walk is quadratic in the depth). */
#define ZL_PRESCAN_LEN 4096

/* The longest key sequence json_flat() remembers: keys, and their bytes. */
#define SHAPE_KEYS 64
#define SHAPE_TEXT 1024

/* A JSON key of the record -> its value. */
struct ent {
	uint32_t gen;  /* valid if == zl_rec.gen */
	uint32_t hash;
	const char *k; /* the key (unescaped), in the line */
	size_t klen;
	int val;       /* token index */
	size_t slen;   /* string value: unescaped length, SIZE_MAX until done */
	int bad;       /* string value holds \u0000 */
	int isnum;     /* string value was an ISO 8601 time, now epoch text */
};

struct frame {
	size_t end;    /* just past its closing bracket */
	size_t pos;    /* end of the last thing consumed */
	int is_obj;
	char sep;      /* due before the next token: 0 just opened, ':' after
	                * a key, ',' after a value */
};

/* How a TSV column is read (from #types). */
enum col_type { T_UNTYPED, T_NUMBER, T_BOOL, T_STRING, T_SET };

/* One TSV header block: what its header lines said, and the index built
 * from them (once, at its first row). */
struct block {
	int active;          /* a #fields line was read, no #close since */
	int dirty;           /* header lines changed since blk_prepare() */
	char sep, setsep;
	char *empty, *unset; /* "(empty)", "-" */
	char *path;          /* #path, or NULL */
	char *fields, *types;/* raw #fields / #types text after the directive */
	/* built by blk_prepare() */
	char *bad;           /* non-NULL: the block can't be read, why */
	int nf, nphys;       /* logical fields; physical (separator) columns */
	size_t cap;          /* of names, ctype, nsub */
	char **names;        /* nf field names, into namebuf */
	char *namebuf;
	unsigned char *ctype;/* nf enum col_type */
	int *nsub;           /* per physical column: fields it holds (IoT-23: 3) */
	struct slot { uint32_t hash; int col; } *idx;
	/* tsv_get's memory of where names were found: the modules ask for the
	 * same names from the same strings row after row. Keyed by the name's
	 * address; for zl_get() checked against its text, so an address that
	 * now holds another name only misses; for zl_get_static(), whose
	 * names never change, not (and absent names too). Forgotten with the
	 * header. */
	struct { const char *name; int col; } seen[64], seen_static[128];
	uint32_t idxcap;
	int ts_col;          /* -1 if none */
	int wide;            /* #fields names more than ZL_MAX_FIELDS */
};

/* One TSV column of the current row. */
struct cell {
	char *s;
	size_t len;
	uint32_t gen;        /* v valid if == zl_rec.gen */
	zl_value v;
};

struct zl_rec {
	zl_format force;     /* zl_rec_set_format() */
	zl_format fmt;       /* of the last line recognised in this file */
	int row;             /* last line was a TSV record (zl_get reads cells) */
	uint32_t gen;        /* bumped per line: JSON key table, TSV cells */
	unsigned long long serial; /* of the line: zl_rec_serial() */
	const char *path;    /* of the last line */
	zl_value ts;         /* the record's ts, normalised */
	char tsbuf[40];
	char err[160];
	/* JSON */
	jsmntok_t *tok;
	unsigned ntok, cap;
	char *line;
	size_t len;
	struct ent *tab;
	uint32_t tabcap, nkeys;
	int reclevel;        /* depth of the record's keys: 1 in a Kafka wrap */
	int plain;           /* read by json_flat(): no string holds an escape */
	uint32_t h_ts, h_path; /* hashes of "ts" and "_path", asked of every line */
	uint32_t slot_ts, slot_path; /* json_value()'s hints for those */
	/* zl_get_static()'s memory of the names asked for, by address: the
	 * modules ask for the same ~30 names from the same strings record
	 * after record. A hit saves strlen() and the hash (a third of an
	 * answer), and mostly the probing (slot: where it was found last). */
	struct asked { const char *name; uint32_t len, hash, slot; } asked[128];
	/* json_flat()'s memory of the keys of the last line it indexed by
	 * hashing: most lines of a log name the same keys in the same order
	 * (Zeek writes a log's fields in one order, leaving out unset ones),
	 * and the same keys go to the same slots of a table of the same
	 * size. n == 0: nothing remembered. */
	struct shape {
		uint32_t n, tabcap, nkeys;  /* keys in order, table size, distinct */
		struct { uint16_t off, len; uint32_t slot, hash; } key[SHAPE_KEYS];
		char text[SHAPE_TEXT];      /* the keys, one after another */
	} shape;
	struct frame stack[ZL_MAX_DEPTH + 1];
	/* TSV */
	struct block blk;
	struct cell *cells;
	size_t ncells;
};

static const zl_value absent = { ZL_ABSENT, NULL, 0, 0, 0 };

/* zeeklog.c */
/* The reason of a ZL_BROKEN line into r's message; returns -1. */
int zl_fail(zl_rec *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The start of a text for a message (see zeeklog.c). */
void zl_show(char *out, size_t outsz, const char *s, size_t n);
/* A new line: every cached key and cell becomes stale. */
void zl_next_line(zl_rec *r);

/* zl_time.c: the record's ts from its raw value (zeeklog.h's "ts"). */
void zl_ts_set(zl_rec *r, zl_value v);

/* zl_json.c: a line as JSON (0, or -1 with the reason in r). */
int zl_json_parse_line(zl_rec *r, char *line, size_t len);

/* zl_json.c: the key table's growth, a JSON string unescaped in place
 * (its new length, SIZE_MAX if it holds \u0000); zl_json_flat.c: the
 * tokens and keys of a line in Zeek's own form, in one pass (0), or -1
 * (the line untouched) for jsmn and the walk. */
void zl_tab_grow(zl_rec *j);
size_t zl_unescape(char *s, size_t n);
int zl_json_flat(zl_rec *j, char *line, size_t len);

/* zl_tsv.c: a '#' line, a row under the current header block; a block's
 * header forgotten (blk_reset) or freed. */
zl_kind zl_tsv_header(zl_rec *r, char *line, size_t len);
zl_kind zl_tsv_row(zl_rec *r, char *line, size_t len);
/* zl_view.h's helpers: a TSV value's escapes decoded in place (*nul set
 * if it holds \x00), the column of a #fields name (-1 if none). */
size_t zl_tsv_unescape(char *s, size_t n, int *nul);
int zl_blk_find(const struct block *b, const char *name, size_t n);
void zl_blk_reset(struct block *b);
void zl_blk_free(struct block *b);

static inline uint64_t load8(const char *s)
{
	uint64_t w;

	memcpy(&w, s, 8);
	return w;
}

static inline uint32_t load4(const char *s)
{
	uint32_t w;

	memcpy(&w, s, 4);
	return w;
}

/* The high bit of each zero byte of x (the classic has-a-zero-byte test;
 * it may also flag bytes after a zero one, a borrow, never before it). */
static inline uint64_t zero_bytes(uint64_t x)
{
	return (x - 0x0101010101010101u) & ~x & 0x8080808080808080u;
}

/* Any byte of w is '\\'. */
static inline uint64_t has_backslash(uint64_t w)
{
	return zero_bytes(w ^ 0x5c5c5c5c5c5c5c5cu);
}

/* Hash of a field name, eight bytes at a time (FNV's byte at a time cost
 * more than the rest of a lookup); *backslash set if s holds a '\\', so
 * that a key without escapes needs no other pass. Names shorter than 8
 * bytes are read as two overlapping 4-byte or three single bytes, longer
 * ones end with an overlapping 8-byte word; the length is mixed in first,
 * so that overlaps cannot make names of different lengths alike. The last
 * multiply's high half, folded first, depends on every bit: it is what
 * picks the slot. Inlined: a call's register saves cost as much again. */
static inline __attribute__((always_inline)) uint32_t hash_scan(const char *s, size_t n, int *backslash)
{
	const uint64_t m = 0x9e3779b97f4a7c15u;
	uint64_t h = (uint64_t)n * m, w, bs = 0;

	if (n >= 8) {
		const char *last = s + n - 8;
		for (; s < last; s += 8) {
			w = load8(s);
			bs |= has_backslash(w);
			h = (h ^ w) * m;
		}
		w = load8(last);
	} else if (n >= 4) {
		w = (uint64_t)load4(s) << 32 | load4(s + n - 4);
	} else if (n > 0) {
		w = (uint64_t)(unsigned char)s[0] << 16 | (uint64_t)(unsigned char)s[n / 2] << 8 |
		    (unsigned char)s[n - 1];
	} else {
		w = 0;
	}
	bs |= has_backslash(w);
	h = (h ^ w) * m;
	h = (h ^ h >> 32) * m;
	*backslash = bs != 0;
	return (uint32_t)(h >> 32);
}

static inline uint32_t hash(const char *s, size_t n)
{
	int bs;

	return hash_scan(s, n, &bs);
}

static inline int isws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static inline int digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* RFC 8259 number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
 * Also says where its '.' is (NULL if none) and whether it has an exponent,
 * which ts_number needs and would otherwise scan for again. */
static inline int number_shape(const char *s, size_t n, const char **dot, int *exp)
{
	const char *e = s + n;

	*dot = NULL;
	*exp = 0;
	if (s < e && *s == '-')
		s++;
	if (s == e || !digit(*s))
		return 0;
	if (*s++ == '0') {
		if (s < e && digit(*s))
			return 0;
	} else {
		while (s < e && digit(*s))
			s++;
	}
	if (s < e && *s == '.') {
		*dot = s;
		if (++s == e || !digit(*s))
			return 0;
		while (s < e && digit(*s))
			s++;
	}
	if (s < e && (*s == 'e' || *s == 'E')) {
		*exp = 1;
		s++;
		if (s < e && (*s == '+' || *s == '-'))
			s++;
		if (s == e || !digit(*s))
			return 0;
		while (s < e && digit(*s))
			s++;
	}
	return s == e;
}

static inline int valid_number(const char *s, size_t n)
{
	const char *dot;
	int exp;

	return number_shape(s, n, &dot, &exp);
}

/* Where zl_get_static()'s memories (JSON's asked[], TSV's seen_static[])
 * keep a name: one of 128 slots, by its address. */
static inline size_t static_slot(const char *name)
{
	return ((uintptr_t)name * 0x9e3779b97f4a7c15u) >> 57;
}

/* ---- the JSON key table and primitives, the two JSON readers' ---- */

/* a[0..n) == b[0..n), for the short names of a record without a call: as
 * in hash_scan(), overlapping words. */
static inline __attribute__((always_inline)) int same_bytes(const char *a, const char *b, size_t n)
{
	size_t i;

	if (n >= 8) {
		for (i = 0; i + 8 < n; i += 8)
			if (load8(a + i) != load8(b + i))
				return 0;
		return load8(a + n - 8) == load8(b + n - 8);
	}
	if (n >= 4)
		return load4(a) == load4(b) && load4(a + n - 4) == load4(b + n - 4);
	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

/* Inlined: a call's register saves cost a third of a lookup. */
static inline __attribute__((always_inline)) struct ent *
lookup(zl_rec *j, const char *name, size_t n, uint32_t h)
{
	uint32_t k;

	for (k = h & (j->tabcap - 1);; k = (k + 1) & (j->tabcap - 1)) {
		struct ent *e = &j->tab[k];
		if (e->gen != j->gen)
			return e; /* free slot */
		if (e->hash == h && e->klen == n && same_bytes(e->k, name, n))
			return e;
	}
}

/* Index a top-level key -> value (the last one wins, as in Python).
 * Inlined into the two parsers' loops: a call was a fifth of its cost. */
static inline __attribute__((always_inline)) struct ent *index_key(zl_rec *j, int key, int val)
{
	jsmntok_t *t = &j->tok[key];
	char *s = j->line + t->start;
	size_t n = (size_t)(t->end - t->start);
	int esc;
	uint32_t h = hash_scan(s, n, &esc);
	struct ent *e;

	if (esc) { /* rare: hash what the name is unescaped */
		n = zl_unescape(s, n);
		if (n == SIZE_MAX)
			return NULL; /* a key with \u0000 can't be asked for */
		h = hash(s, n);
	} else {
		s[n] = '\0'; /* as zl_unescape() would */
	}
	if (j->nkeys + 1 > j->tabcap / 2)
		zl_tab_grow(j);
	e = lookup(j, s, n, h);
	if (e->gen != j->gen) {
		e->gen = j->gen;
		e->hash = h;
		e->k = s;
		e->klen = n;
		j->nkeys++;
	}
	e->val = val;
	e->slen = SIZE_MAX;
	e->bad = 0;
	e->isnum = 0;
	return e;
}

/* The end of the JSON primitive (RFC 8259: number, true, false, null)
 * that starts at s, read by its grammar; s itself if none does. No bounds
 * checks: the text goes on with a byte no primitive holds (a separator, a
 * blank, or the NUL that ends a line), which stops every loop; true, false
 * and null are compared byte by byte so as to stop there too. */
static inline __attribute__((always_inline)) const char *primitive_end(const char *s)
{
	const char *p = s;

	switch (*p) {
	case 't': return p[1] == 'r' && p[2] == 'u' && p[3] == 'e' ? p + 4 : s;
	case 'f': return p[1] == 'a' && p[2] == 'l' && p[3] == 's' && p[4] == 'e' ? p + 5 : s;
	case 'n': return p[1] == 'u' && p[2] == 'l' && p[3] == 'l' ? p + 4 : s;
	}
	if (*p == '-')
		p++;
	if (*p == '0') {
		p++;
	} else {
		if (!digit(*p))
			return s;
		while (digit(*p))
			p++;
	}
	if (*p == '.') {
		if (!digit(*++p))
			return s;
		while (digit(*p))
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!digit(*p))
			return s;
		while (digit(*p))
			p++;
	}
	return p;
}

#endif
