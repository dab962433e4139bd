/* zeeklog.c - Zeek log lines into records: the format of each line (JSON,
 * JSON-streaming, Kafka-wrapped JSON, TSV with its header blocks), and one
 * field view over all of them (zeeklog.h).
 *
 * JSON: a line in the form Zeek writes is read in one pass (json_flat());
 * any other, by jsmn plus one validating pass over its tokens; both index
 * the record's keys. TSV: the #fields header is indexed once per block
 * (name -> column); a row is split in one pass and its columns are
 * converted lazily, when a module asks for them. */
#define JSMN_STATIC       /* jsmn's functions stay private to this file */
#define JSMN_STRICT       /* RFC 8259 primitives, no bare words */
#define JSMN_PARENT_LINKS /* O(1) ',' handling: no quadratic time on wide objects */
#include <jsmn.h>

#include "zeeklog.h"
#include "util.h"

#include <stdarg.h>
#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <stdio.h>
#include <stdlib.h>
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

static void blk_reset(struct block *b);
static void blk_free(struct block *b);
static uint32_t hash(const char *s, size_t n);

zl_rec *zl_rec_new(void)
{
	zl_rec *r = ecalloc(1, sizeof *r);

	r->cap = ZL_MIN_TOKENS;
	r->tok = emalloc(r->cap * sizeof *r->tok);
	r->tabcap = 64;
	r->tab = ecalloc(r->tabcap, sizeof *r->tab);
	r->h_ts = hash("ts", 2);
	r->h_path = hash("_path", 5);
	blk_reset(&r->blk);
	return r;
}

void zl_rec_free(zl_rec *r)
{
	if (!r)
		return;
	free(r->tok);
	free(r->tab);
	blk_free(&r->blk);
	free(r->blk.names);
	free(r->blk.ctype);
	free(r->blk.nsub);
	free(r->blk.idx);
	free(r->cells);
	free(r);
}

void zl_rec_set_format(zl_rec *r, zl_format f)
{
	r->force = f;
}

void zl_rec_new_file(zl_rec *r)
{
	blk_reset(&r->blk);
	r->fmt = ZL_FMT_AUTO;
}

const char *zl_rec_error(const zl_rec *r)
{
	return r->err;
}

const char *zl_rec_path(const zl_rec *r)
{
	return r->path;
}

unsigned long long zl_rec_serial(const zl_rec *r)
{
	return r->serial;
}

zl_format zl_rec_format(const zl_rec *r)
{
	return r->fmt;
}

static int fail(zl_rec *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(zl_rec *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->err, sizeof r->err, fmt, ap);
	va_end(ap);
	return -1;
}

/* The start of a text for a message: at most outsz - 4 bytes, control
 * characters as '?', "..." if cut. */
static void show(char *out, size_t outsz, const char *s, size_t n)
{
	size_t k;

	for (k = 0; k + 4 < outsz && k < n; k++) {
		unsigned char c = (unsigned char)s[k];
		out[k] = c < 32 || c == 127 ? '?' : (char)c;
	}
	if (k < n) {
		memcpy(out + k, "...", 3);
		k += 3;
	}
	out[k] = '\0';
}

static uint64_t load8(const char *s)
{
	uint64_t w;

	memcpy(&w, s, 8);
	return w;
}

static uint32_t load4(const char *s)
{
	uint32_t w;

	memcpy(&w, s, 4);
	return w;
}

/* The high bit of each zero byte of x (the classic has-a-zero-byte test;
 * it may also flag bytes after a zero one, a borrow, never before it). */
static uint64_t zero_bytes(uint64_t x)
{
	return (x - 0x0101010101010101u) & ~x & 0x8080808080808080u;
}

/* Any byte of w is '\\'. */
static uint64_t has_backslash(uint64_t w)
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

static uint32_t hash(const char *s, size_t n)
{
	int bs;

	return hash_scan(s, n, &bs);
}

static int isws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int digit(char c)
{
	return c >= '0' && c <= '9';
}

static int hexval(char c)
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
static int number_shape(const char *s, size_t n, const char **dot, int *exp)
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

static int valid_number(const char *s, size_t n)
{
	const char *dot;
	int exp;

	return number_shape(s, n, &dot, &exp);
}

/* ---- time stamps ---- */

/* Microseconds since the epoch as "S.UUUUUU" (at most 22 bytes with the
 * NUL); returns the length. By hand: snprintf cost as much as the rest of
 * the ts handling together, and every JSON record has a ts. */
static size_t fmt_micros(char *buf, int64_t us)
{
	uint64_t u = us < 0 ? (uint64_t)0 - (uint64_t)us : (uint64_t)us;
	uint64_t sec = u / 1000000;
	uint32_t frac = (uint32_t)(u % 1000000);
	char tmp[20], *p = tmp + sizeof tmp;
	size_t k = 0, nd;
	int i;

	do {
		*--p = (char)('0' + sec % 10);
		sec /= 10;
	} while (sec);
	if (us < 0)
		buf[k++] = '-';
	nd = (size_t)(tmp + sizeof tmp - p);
	memcpy(buf + k, p, nd);
	k += nd;
	buf[k++] = '.';
	for (i = 5; i >= 0; i--) {
		buf[k + (size_t)i] = (char)('0' + frac % 10);
		frac /= 10;
	}
	k += 6;
	buf[k] = '\0';
	return k;
}

/* Digits s[0..k) as a number (k <= 9), or -1 if any is not a digit. */
static long digits(const char *s, int k)
{
	long v = 0;
	int i;

	for (i = 0; i < k; i++) {
		if (!digit(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Days from 1970-01-01 to y-m-d, proleptic Gregorian (H. Hinnant's
 * days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int month_days(long y, long m)
{
	static const int md[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return md[m - 1];
}

/* Fractional seconds at s[*i] ('.' or ',' then digits) to microseconds,
 * rounded half up on the seventh digit. */
static long frac_micros(const char *s, size_t n, size_t *i)
{
	long us = 0;
	int k = 0;

	if (*i >= n || (s[*i] != '.' && s[*i] != ','))
		return 0;
	if (++*i >= n || !digit(s[*i]))
		return -1;
	for (; *i < n && digit(s[*i]); ++*i, k++) {
		if (k < 6)
			us = us * 10 + (s[*i] - '0');
		else if (k == 6 && s[*i] >= '5')
			us++;
	}
	for (; k < 6; k++)
		us *= 10;
	return us;
}

/* Zone at s[*i]: end (UTC), Z, +HH:MM, +HHMM, +HH; offset in seconds. */
static int zone(const char *s, size_t n, size_t i, long *off)
{
	long h, m = 0;
	int sign;

	*off = 0;
	if (i == n)
		return 0;
	if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == n)
		return 0;
	if (s[i] != '+' && s[i] != '-')
		return -1;
	sign = s[i] == '-' ? -1 : 1;
	i++;
	if (n - i < 2 || (h = digits(s + i, 2)) < 0 || h > 23)
		return -1;
	i += 2;
	if (i < n && s[i] == ':')
		i++;
	if (i < n) {
		if (n - i != 2 || (m = digits(s + i, 2)) < 0 || m > 59)
			return -1;
	} else if (s[i - 1] == ':') {
		return -1;
	}
	*off = sign * (h * 3600 + m * 60);
	return 0;
}

size_t zl_iso8601_epoch(const char *s, size_t n, char *buf)
{
	long y, mo, d, h, mi, sec, us, off;
	size_t i = 19;
	int64_t t;

	if (n < 19 || s[4] != '-' || s[7] != '-' || s[13] != ':' || s[16] != ':' ||
	    (s[10] != 'T' && s[10] != 't' && s[10] != ' '))
		return 0;
	y = digits(s, 4);
	mo = digits(s + 5, 2);
	d = digits(s + 8, 2);
	h = digits(s + 11, 2);
	mi = digits(s + 14, 2);
	sec = digits(s + 17, 2);
	if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo) ||
	    h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60)
		return 0;
	if ((us = frac_micros(s, n, &i)) < 0 || zone(s, n, i, &off) < 0)
		return 0;
	t = days_from_civil(y, (int)mo, (int)d) * 86400 + h * 3600 + mi * 60 + sec - off;
	return fmt_micros(buf, t * 1000000 + us);
}

/* Digits, '.', six digits, at most 12 digits before the '.' and no
 * leading zero: what Zeek writes a time as, and already what ts_number()
 * would make of it. */
static int plain_micros(const char *s, size_t n)
{
	size_t i;

	if (n < 8 || n > 19 || s[n - 7] != '.' || (s[0] == '0' && n > 8))
		return 0;
	for (i = 0; i < n; i++)
		if (!digit(s[i]) && i != n - 7)
			return 0;
	return 1;
}

/* A number's text as epoch seconds with 6 decimals (Zeek TSV's "%.6f"),
 * exactly: digits are rounded as text, half up on the seventh decimal.
 * Returns the length, or 0 if s is not a JSON number. */
static size_t ts_number(const char *s, size_t n, char *buf)
{
	const char *dot, *p = s;
	int neg = 0, exp;
	int64_t sec = 0, us = 0;
	size_t k;

	if (plain_micros(s, n)) {
		memcpy(buf, s, n);
		buf[n] = '\0';
		return n;
	}
	if (!number_shape(s, n, &dot, &exp))
		return 0;
	if (exp || n > 24) {
		char tmp[32];
		memcpy(tmp, s, n < 31 ? n : 31);
		tmp[n < 31 ? n : 31] = '\0';
		int k = snprintf(buf, 32, "%.6f", strtod(tmp, NULL));
		/* 1e25 s and up is no time or interval: not cut to 31 bytes */
		return k > 0 && k < 32 ? (size_t)k : 0;
	}
	if (*p == '-') {
		neg = 1;
		p++;
	}
	for (; p < s + n && p != dot; p++) {
		if (sec > (INT64_MAX / 1000000 - 1 - (*p - '0')) / 10)
			return 0; /* past any time: the caller keeps the text */
		sec = sec * 10 + (*p - '0');
	}
	if (dot) {
		size_t i = (size_t)(dot - s);
		us = frac_micros(s, n, &i);
	}
	k = fmt_micros(buf, (sec * 1000000 + us) * (neg ? -1 : 1));
	return k;
}

size_t zl_round6(const char *s, size_t n, char *buf)
{
	return ts_number(s, n, buf);
}

/* The record's ts from its raw value: numbers and ISO 8601 strings to
 * epoch seconds with 6 decimals; anything else is left as it is. */
static void ts_set(zl_rec *r, zl_value v)
{
	size_t k = 0;

	r->ts = v;
	if (v.type == ZL_NUMBER || (v.type == ZL_STRING && v.s)) {
		k = ts_number(v.s, v.len, r->tsbuf);
		if (k == 0 && v.type == ZL_STRING)
			k = zl_iso8601_epoch(v.s, v.len, r->tsbuf);
	}
	if (k > 0) {
		r->ts.type = ZL_NUMBER;
		r->ts.s = r->tsbuf;
		r->ts.len = k;
	}
}

static unsigned u4(const char *p)
{
	return (unsigned)(hexval(p[0]) << 12 | hexval(p[1]) << 8 | hexval(p[2]) << 4 | hexval(p[3]));
}

/* Unescape s[0..n) in place (the result is never longer); NUL-terminate.
 * Returns the new length, or SIZE_MAX if it holds \u0000. A lone UTF-16
 * surrogate becomes U+FFFD. */
static size_t unescape(char *s, size_t n)
{
	char *r = memchr(s, '\\', n), *w, *end = s + n;

	if (!r) {
		s[n] = '\0';
		return n;
	}
	w = r;
	while (r < end) {
		unsigned c;

		if (*r != '\\') {
			*w++ = *r++;
			continue;
		}
		r++;
		switch (*r++) {
		case 'b': *w++ = '\b'; continue;
		case 'f': *w++ = '\f'; continue;
		case 'n': *w++ = '\n'; continue;
		case 'r': *w++ = '\r'; continue;
		case 't': *w++ = '\t'; continue;
		case 'u': break;
		default: *w++ = r[-1]; continue; /* " \ / */
		}
		c = u4(r);
		r += 4;
		if (c == 0)
			return SIZE_MAX;
		if (c >= 0xD800 && c < 0xDC00 && end - r >= 6 && r[0] == '\\' && r[1] == 'u') {
			unsigned lo = u4(r + 2);
			if (lo >= 0xDC00 && lo < 0xE000) {
				c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
				r += 6;
			}
		}
		if (c >= 0xD800 && c < 0xE000)
			c = 0xFFFD;
		if (c < 0x80) {
			*w++ = (char)c;
		} else if (c < 0x800) {
			*w++ = (char)(0xC0 | c >> 6);
			*w++ = (char)(0x80 | (c & 0x3F));
		} else if (c < 0x10000) {
			*w++ = (char)(0xE0 | c >> 12);
			*w++ = (char)(0x80 | (c >> 6 & 0x3F));
			*w++ = (char)(0x80 | (c & 0x3F));
		} else {
			*w++ = (char)(0xF0 | c >> 18);
			*w++ = (char)(0x80 | (c >> 12 & 0x3F));
			*w++ = (char)(0x80 | (c >> 6 & 0x3F));
			*w++ = (char)(0x80 | (c & 0x3F));
		}
	}
	*w = '\0';
	return (size_t)(w - s);
}

/* Nesting depth, string-aware; only for long lines (see ZL_PRESCAN_LEN). */
static int too_deep(const char *s, size_t n)
{
	int depth = 0, in_str = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		char c = s[i];
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0;
		} else if (c == '"') {
			in_str = 1;
		} else if (c == '{' || c == '[') {
			if (++depth > ZL_MAX_DEPTH)
				return 1;
		} else if (c == '}' || c == ']') {
			depth--;
		}
	}
	return 0;
}

static void tab_grow(zl_rec *j)
{
	uint32_t ncap = j->tabcap * 2, i;
	struct ent *nt = ecalloc(ncap, sizeof *nt);

	for (i = 0; i < j->tabcap; i++) {
		struct ent *e = &j->tab[i];
		uint32_t k;
		if (e->gen != j->gen)
			continue;
		for (k = e->hash & (ncap - 1); nt[k].gen == j->gen; k = (k + 1) & (ncap - 1))
			;
		nt[k] = *e;
	}
	free(j->tab);
	j->tab = nt;
	j->tabcap = ncap;
}

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
		n = unescape(s, n);
		if (n == SIZE_MAX)
			return NULL; /* a key with \u0000 can't be asked for */
		h = hash(s, n);
	} else {
		s[n] = '\0'; /* as unescape() would */
	}
	if (j->nkeys + 1 > j->tabcap / 2)
		tab_grow(j);
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

/* Raw extent of a token: strings include their quotes. */
static size_t rs(const jsmntok_t *t)
{
	return (size_t)t->start - (t->type == JSMN_STRING);
}

static size_t re(const jsmntok_t *t)
{
	return (size_t)t->end + (t->type == JSMN_STRING);
}

/* line[a..b) must be blanks around one sep (or only blanks if sep is 0).
 * Returns SIZE_MAX if so, else the offending position. */
static size_t gap(const char *s, size_t a, size_t b, char sep)
{
	while (a < b && isws(s[a]))
		a++;
	if (sep) {
		if (a >= b || s[a] != sep)
			return a;
		a++;
		while (a < b && isws(s[a]))
			a++;
	}
	return a == b ? SIZE_MAX : a;
}

static int close_frame(zl_rec *j, struct frame *f)
{
	size_t end = f->end - 1, bad;

	if (f->sep == ':')
		return fail(j, "invalid JSON at column %zu: a key without a value", end + 1);
	if (f->pos != end && (bad = gap(j->line, f->pos, end, 0)) != SIZE_MAX)
		return fail(j, "invalid JSON at column %zu", bad + 1);
	return 0;
}

/* What gap() accepts, in the form Zeek writes (no blanks): one test. */
static int tight(const char *s, size_t a, size_t b, char sep)
{
	return sep ? b == a + 1 && s[a] == sep : a == b;
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

/* A primitive token is valid JSON. jsmn's strict mode has checked that it
 * ends at a blank, ',', ']' or '}', which stops primitive_end(). */
static int valid_primitive(const char *s, size_t n)
{
	return n > 0 && primitive_end(s) == s + n;
}

/* The pass over the tokens: check what jsmn lets through (separators,
 * primitives, depth, one object only) and index the record's keys (those
 * at depth reclevel: the top level, or inside a Kafka wrap). */
static int walk(zl_rec *j)
{
	/* Copies: index_key() writes bytes of the line, which C lets alias
	 * anything, so j's fields would be loaded again after each key. */
	const jsmntok_t *const tok = j->tok;
	const char *const line = j->line;
	const unsigned ntok = j->ntok;
	const int reclevel = j->reclevel;
	struct frame *const stack = j->stack;
	size_t end0 = re(&tok[0]), bad;
	int top = 0, key = -1;
	unsigned i;

	if (tok[0].type != JSMN_OBJECT)
		return fail(j, "not a JSON object but a JSON %s",
		            tok[0].type == JSMN_ARRAY ? "array" : tok[0].type == JSMN_STRING ? "string" : "value");
	stack[0] = (struct frame){ end0, (size_t)tok[0].start + 1, 1, 0 };
	for (i = 1; i < ntok; i++) {
		const jsmntok_t *t = &tok[i];
		size_t a = rs(t);
		struct frame *f;
		char sep;

		if (a >= end0)
			break; /* a second value after the object: caught below */
		while (stack[top].end <= a) {
			if (close_frame(j, &stack[top]) < 0)
				return -1;
			top--;
			stack[top].pos = stack[top + 1].end;
			stack[top].sep = ',';
		}
		f = &stack[top];
		sep = f->sep;
		if (!tight(line, f->pos, a, sep) && (bad = gap(line, f->pos, a, sep)) != SIZE_MAX)
			return fail(j, "invalid JSON at column %zu", bad + 1);
		if (f->is_obj && sep != ':') {
			if (t->type != JSMN_STRING)
				return fail(j, "invalid JSON at column %zu: expected a key", a + 1);
			f->sep = ':';
			if (top == reclevel)
				key = (int)i;
		} else {
			f->sep = ',';
			if (top == reclevel) {
				index_key(j, key, (int)i);
				if (j->nkeys > ZL_MAX_FIELDS)
					return fail(j, "more than %d fields in one record", ZL_MAX_FIELDS);
			}
		}
		f->pos = re(t);
		if (t->type == JSMN_PRIMITIVE && !valid_primitive(line + t->start, (size_t)(t->end - t->start)))
			return fail(j, "invalid JSON at column %zu: not a number, true, false or null", a + 1);
		if (t->type == JSMN_OBJECT || t->type == JSMN_ARRAY) {
			if (top + 1 > ZL_MAX_DEPTH - 1)
				return fail(j, "JSON nested deeper than %d levels", ZL_MAX_DEPTH);
			stack[++top] = (struct frame){ re(t), a + 1, t->type == JSMN_OBJECT, 0 };
		}
	}
	for (; top >= 0; top--) {
		if (close_frame(j, &stack[top]) < 0)
			return -1;
		if (top > 0) {
			stack[top - 1].pos = stack[top].end;
			stack[top - 1].sep = ',';
		}
	}
	if (end0 != j->len && (bad = gap(line, end0, j->len, 0)) != SIZE_MAX)
		return fail(j, "extra data after the JSON object at column %zu", bad + 1);
	return 0;
}

/* A line that doesn't start with '{' (blanks aside): say what it starts
 * with, rather than where jsmn stumbled. */
static int not_object(zl_rec *j)
{
	char txt[24];
	size_t i = 0;

	while (i < j->len && isws(j->line[i]))
		i++;
	if (i < j->len && j->line[i] == '{')
		return 0;
	show(txt, sizeof txt, j->line + i, j->len - i);
	return fail(j, "not a JSON object: \"%s\"", txt);
}

/* Lines read by every zl_rec so far: a line's serial is unique in the
 * process, so that a record freed and another made at its address cannot
 * be taken for each other. */
static unsigned long long serials;

/* A new line: every cached key and cell becomes stale. */
static void next_line(zl_rec *r)
{
	size_t i;

	r->serial = ++serials;
	if (++r->gen == 0) { /* wrapped: forget every old entry */
		memset(r->tab, 0, r->tabcap * sizeof *r->tab);
		for (i = 0; i < r->ncells; i++)
			r->cells[i].gen = 0;
		r->gen = 1;
	}
	r->ntok = 0;
	r->nkeys = 0;
	r->row = 0;
	r->path = NULL;
	r->ts = absent;
	r->err[0] = '\0';
}

/* zeek-kafka's {"conn": {...}}: one key whose value is an object. A Zeek
 * record is never that (nested records are flattened to "a.b" keys). */
static int kafka_wrapped(const zl_rec *r)
{
	return r->ntok >= 3 && r->tok[0].size == 1 && r->tok[1].type == JSMN_STRING &&
	       r->tok[2].type == JSMN_OBJECT;
}

static int json_tokens(zl_rec *j, char *line, size_t len)
{
	jsmn_parser p;
	const char *nul;
	int r;

	if ((nul = memchr(line, '\0', len)) != NULL)
		return fail(j, "NUL byte at column %zu", (size_t)(nul - line) + 1);
	if (len > ZL_PRESCAN_LEN && too_deep(line, len))
		return fail(j, "JSON nested deeper than %d levels", ZL_MAX_DEPTH);
	if (len > (size_t)INT32_MAX / 2)
		return fail(j, "line too long (%zu bytes)", len);
	if ((r = not_object(j)) != 0)
		return r;
	for (;;) {
		jsmn_init(&p);
		r = jsmn_parse(&p, line, len, j->tok, j->cap);
		if (r != JSMN_ERROR_NOMEM)
			break;
		if (j->cap >= ZL_MAX_TOKENS)
			return fail(j, "more than %u JSON values on one line", ZL_MAX_TOKENS);
		j->cap = j->cap * 4 < ZL_MAX_TOKENS ? j->cap * 4 : ZL_MAX_TOKENS;
		j->tok = erealloc(j->tok, j->cap * sizeof *j->tok);
	}
	if (r == JSMN_ERROR_INVAL)
		return fail(j, "invalid JSON at column %zu", (size_t)p.pos + 1);
	if (r == JSMN_ERROR_PART)
		return fail(j, "truncated JSON (the line ends inside a value)");
	if (r == 0)
		return fail(j, "no JSON value");
	j->ntok = p.toknext;
	return 0;
}

/* ---- JSON as Zeek writes it, in one pass ----
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

/* The tokens of a line in Zeek's form, and its keys indexed: 0, or -1 (the
 * line untouched, nothing indexed) for anything else. */
static int json_flat(zl_rec *j, char *line, size_t len)
{
	jsmntok_t *tok = j->tok;
	const unsigned cap = j->cap;
	unsigned nt = 1, k;
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
	if (shape_index(j) == 0)
		return 0;
	/* keys and values alternate at the top level, arrays' elements
	 * between: the walk's order */
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
	return 0;
}

static zl_value json_value(zl_rec *j, const char *name, size_t n, uint32_t h, uint32_t *slot);

static int json_parse(zl_rec *j, char *line, size_t len)
{
	zl_value v;

	j->line = line;
	j->len = len;
	j->fmt = ZL_FMT_JSON;
	j->reclevel = 0;
	j->plain = json_flat(j, line, len) == 0;
	if (!j->plain &&
	    (json_tokens(j, line, len) < 0 || (j->reclevel = kafka_wrapped(j), walk(j) < 0))) {
		j->ntok = 0;
		return -1;
	}
	if (j->reclevel) {
		jsmntok_t *k = &j->tok[1];
		size_t n = unescape(line + k->start, (size_t)(k->end - k->start));
		if (n != SIZE_MAX)
			j->path = line + k->start;
	} else if ((v = json_value(j, "_path", 5, j->h_path, &j->slot_path)).type == ZL_STRING && v.s) {
		j->path = v.s;
	}
	ts_set(j, json_value(j, "ts", 2, j->h_ts, &j->slot_ts));
	return 0;
}

int zl_json_parse(zl_rec *r, char *line, size_t len)
{
	next_line(r);
	return json_parse(r, line, len);
}

/* The key table's entry for every key token of r, as the walk left it. */
static int same_index(zl_rec *a, zl_rec *b)
{
	if (a->nkeys != b->nkeys)
		return 0;
	for (unsigned k = 1; k < a->ntok; k++) {
		const jsmntok_t *t = &a->tok[k];
		size_t n = (size_t)(t->end - t->start);
		uint32_t h = hash(a->line + t->start, n);
		struct ent *ea, *eb;

		if (t->parent != 0)
			continue;
		ea = lookup(a, a->line + t->start, n, h);
		eb = lookup(b, b->line + t->start, n, h);
		if (ea->gen != a->gen || eb->gen != b->gen || ea->val != eb->val || ea->klen != eb->klen ||
		    ea->k - a->line != eb->k - b->line)
			return 0;
	}
	return 1;
}

int zl_json_check_fast(const char *line, size_t len)
{
	zl_rec *a = zl_rec_new(), *b = zl_rec_new();
	char *la = emalloc(len + 1), *lb = emalloc(len + 1);
	int rc = -1;

	memcpy(la, line, len);
	memcpy(lb, line, len);
	la[len] = lb[len] = '\0';
	next_line(a);
	next_line(b);
	a->line = la;
	a->len = len;
	b->line = lb;
	b->len = len;
	if (json_flat(a, la, len) == 0) {
		rc = 0;
		if (json_tokens(b, lb, len) < 0 || (b->reclevel = kafka_wrapped(b), walk(b) < 0) ||
		    b->reclevel != 0 || a->ntok != b->ntok ||
		    memcmp(a->tok, b->tok, a->ntok * sizeof *a->tok) != 0 ||
		    memcmp(la, lb, len + 1) != 0 || !same_index(a, b))
			rc = 1;
		/* the line again, its keys now indexed from json_flat()'s
		 * memory of them */
		memcpy(la, line, len);
		next_line(a);
		a->line = la;
		if (rc == 0 && (json_flat(a, la, len) != 0 || a->ntok != b->ntok ||
		                memcmp(a->tok, b->tok, a->ntok * sizeof *a->tok) != 0 ||
		                memcmp(la, lb, len + 1) != 0 || !same_index(a, b)))
			rc = 1;
	}
	free(la);
	free(lb);
	zl_rec_free(a);
	zl_rec_free(b);
	return rc;
}

/* A JSON string that is an ISO 8601 time (JSON::TS_ISO8601 writes every
 * time so) becomes its epoch text, in place: it is never longer. */
static void json_iso_time(struct ent *e, char *s)
{
	char buf[32];
	size_t k;

	if (e->slen < 19 || !digit(s[0]) || s[4] != '-')
		return;
	k = zl_iso8601_epoch(s, e->slen, buf);
	if (k == 0 || k > e->slen)
		return;
	memcpy(s, buf, k + 1);
	e->slen = k;
	e->isnum = 1;
}

/* A string value's text, unescaped (and an ISO 8601 time made epoch
 * text) the first time it is asked for. */
static __attribute__((noinline)) void json_string(struct ent *e, char *s, size_t len, int plain)
{
	if (plain) { /* json_flat() has seen that it holds no escape */
		s[len] = '\0';
		e->slen = len;
	} else {
		e->slen = unescape(s, len);
	}
	e->bad = e->slen == SIZE_MAX;
	if (!e->bad)
		json_iso_time(e, s);
}

/* The entry of name[0..n) (hash h) when it is not at *slot: found by
 * probing, and *slot set to it. Out of line, like json_string(): what the
 * common answer needs then fits in registers the call need not save. */
static __attribute__((noinline)) struct ent *
find_ent(zl_rec *j, const char *name, size_t n, uint32_t h, uint32_t *slot)
{
	struct ent *e = lookup(j, name, n, h);

	*slot = (uint32_t)(e - j->tab);
	return e;
}

/* The value of name[0..n), whose hash is h, which was found at *slot
 * last time. Inlined into zl_get() and zl_get_static(): modules ask ~30
 * times a record, and a call here cost a fifth of an answer. */
static inline __attribute__((always_inline)) zl_value
json_value(zl_rec *j, const char *name, size_t n, uint32_t h, uint32_t *slot)
{
	zl_value v = absent;
	struct ent *e;
	jsmntok_t *t;
	char *s;

	if (j->ntok == 0)
		return v;
	e = &j->tab[*slot];
	if (e->gen != j->gen || e->hash != h || e->klen != n || !same_bytes(e->k, name, n)) {
		e = find_ent(j, name, n, h, slot);
		if (e->gen != j->gen)
			return v;
	}
	t = &j->tok[e->val];
	s = j->line + t->start;
	v.len = (size_t)(t->end - t->start);
	v.s = s;
	switch (t->type) {
	case JSMN_STRING:
		v.type = ZL_STRING;
		if (e->slen == SIZE_MAX && !e->bad)
			json_string(e, s, v.len, j->plain);
		if (e->bad) {
			v.s = NULL;
			v.len = 0;
		} else {
			v.len = e->slen;
			if (e->isnum)
				v.type = ZL_NUMBER;
		}
		return v;
	case JSMN_PRIMITIVE:
		if (*s == 't' || *s == 'f') {
			v.type = ZL_BOOL;
			v.b = *s == 't';
		} else if (*s == 'n') {
			v.type = ZL_NULL;
		} else {
			v.type = ZL_NUMBER;
		}
		break;
	case JSMN_ARRAY:
		v.type = ZL_ARRAY;
		v.n = t->size;
		break;
	default:
		v.type = ZL_OBJECT;
		v.n = t->size;
		break;
	}
	/* The character after a primitive or container is a separator, a
	 * blank or the end: the walk is done with it. */
	s[v.len] = '\0';
	return v;
}

static zl_value json_get(zl_rec *j, const char *name)
{
	size_t n = strlen(name);
	uint32_t slot = 0; /* no memory of where it was: probe */
	int bs;

	return json_value(j, name, n, hash_scan(name, n, &bs), &slot);
}

/* Where zl_get_static()'s memories (JSON's asked[], TSV's seen_static[])
 * keep a name: one of 128 slots, by its address. */
static size_t static_slot(const char *name)
{
	return ((uintptr_t)name * 0x9e3779b97f4a7c15u) >> 57;
}

/* json_get() of a name known by its address (zl_get_static()). */
static zl_value json_get_static(zl_rec *j, const char *name)
{
	struct asked *q = &j->asked[static_slot(name)];
	int bs;

	if (q->name != name) {
		q->name = name;
		q->len = (uint32_t)strlen(name);
		q->hash = hash_scan(name, q->len, &bs);
		q->slot = 0;
	}
	return json_value(j, name, q->len, q->hash, &q->slot);
}

/* ---- TSV ---- */

static char *dupn(const char *s, size_t n)
{
	char *d = emalloc(n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static void setstr(char **dst, const char *s, size_t n)
{
	free(*dst);
	*dst = dupn(s, n);
}

static void blk_free(struct block *b)
{
	free(b->empty);
	free(b->unset);
	free(b->path);
	free(b->fields);
	free(b->types);
	free(b->namebuf);
	b->empty = b->unset = b->path = b->fields = b->types = b->namebuf = NULL;
}

/* A new block (or file): Zeek's defaults until its header says otherwise. */
static void blk_reset(struct block *b)
{
	blk_free(b);
	b->active = 0;
	b->dirty = 1;
	b->bad = NULL;
	b->sep = '\t';
	b->setsep = ',';
	b->empty = dupn("(empty)", 7);
	b->unset = dupn("-", 1);
}

/* Zeek TSV escapes, in place: \xNN is that byte, \\ a backslash; anything
 * else stays as it is. Returns the new length; *nul set if a NUL byte came
 * out. */
static size_t tsv_unescape(char *s, size_t n, int *nul)
{
	char *r = memchr(s, '\\', n), *w, *end = s + n;

	*nul = 0;
	if (!r) {
		s[n] = '\0'; /* "(empty)" read as "" ends here */
		return n;
	}
	for (w = r; r < end;) {
		int hi, lo;
		if (r[0] != '\\' || r + 1 >= end) {
			*w++ = *r++;
		} else if (r[1] == '\\') {
			*w++ = '\\';
			r += 2;
		} else if (r[1] == 'x' && r + 3 < end &&
		           (hi = hexval(r[2])) >= 0 && (lo = hexval(r[3])) >= 0) {
			*w = (char)(hi << 4 | lo);
			*nul |= *w == '\0';
			w++;
			r += 4;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	return (size_t)(w - s);
}

/* A header value (#separator, #path, ...): escapes decoded, a copy. */
static char *header_value(const char *s, size_t n, size_t *outlen)
{
	char *d = dupn(s, n);
	int nul;

	*outlen = tsv_unescape(d, n, &nul);
	return d;
}

static int single_byte(zl_rec *r, const char *what, const char *s, size_t n, char *out)
{
	size_t k;
	char *d = header_value(s, n, &k);

	if (k == 1)
		*out = d[0];
	else
		r->blk.bad = k == 0 ? "empty separator in the header" : "separators longer than one byte are not supported";
	free(d);
	(void)what;
	return 0;
}

static int is_directive(const char *name, size_t n, const char *want)
{
	return strlen(want) == n && memcmp(name, want, n) == 0;
}

/* A '#' line: a header of the TSV block, or a comment. */
static zl_kind tsv_header(zl_rec *r, char *line, size_t len)
{
	struct block *b = &r->blk;
	const char *name = line + 1;
	size_t n = 0, vlen, k;
	char *val;

	while (1 + n < len && line[1 + n] != b->sep && line[1 + n] != ' ')
		n++;
	val = line + 1 + n + (1 + n < len);
	vlen = len - (size_t)(val - line);
	if (is_directive(name, n, "separator")) {
		blk_reset(b);
		single_byte(r, "separator", val, vlen, &b->sep);
	} else if (is_directive(name, n, "set_separator")) {
		single_byte(r, "set_separator", val, vlen, &b->setsep);
	} else if (is_directive(name, n, "empty_field")) {
		free(b->empty);
		b->empty = header_value(val, vlen, &k);
	} else if (is_directive(name, n, "unset_field")) {
		free(b->unset);
		b->unset = header_value(val, vlen, &k);
	} else if (is_directive(name, n, "path")) {
		free(b->path);
		b->path = header_value(val, vlen, &k);
	} else if (is_directive(name, n, "fields")) {
		setstr(&b->fields, val, vlen);
		b->active = 1;
		b->dirty = 1;
	} else if (is_directive(name, n, "types")) {
		setstr(&b->types, val, vlen);
		b->dirty = 1;
	} else if (is_directive(name, n, "close")) {
		b->active = 0;
	} else if (!is_directive(name, n, "open")) {
		return ZL_HEADER; /* a comment ("### BTest ...") or unknown */
	}
	r->fmt = ZL_FMT_TSV;
	r->path = b->path;
	return ZL_HEADER;
}

static enum col_type col_type(const char *t, size_t n)
{
	static const char *const num[] = { "count", "int", "double", "time", "interval", "port" };
	static const char *const str[] = { "string", "enum", "addr", "subnet", "pattern" };
	size_t i;

	for (i = 0; i < sizeof num / sizeof num[0]; i++)
		if (is_directive(t, n, num[i]))
			return T_NUMBER;
	for (i = 0; i < sizeof str / sizeof str[0]; i++)
		if (is_directive(t, n, str[i]))
			return T_STRING;
	if (is_directive(t, n, "bool"))
		return T_BOOL;
	if ((n > 4 && !memcmp(t, "set[", 4)) || (n > 7 && !memcmp(t, "vector[", 7)) ||
	    (n > 6 && !memcmp(t, "table[", 6)))
		return T_SET;
	return T_UNTYPED; /* "int64" in a hand-made log: judge by the value */
}

/* The items of a header list (#fields, #types): separator-separated
 * columns, each split further on runs of spaces (IoT-23's labelled logs join
 * their last three fields with spaces: "tunnel_parents   label
 * detailedlabel", and their values likewise). */
struct items {
	const char *p, *end, *colend;
	char sep;
};

static void items_init(struct items *it, const char *s, char sep)
{
	it->p = s;
	it->end = s + strlen(s);
	it->colend = NULL;
	it->sep = sep;
}

/* Next item in *s, *n; *newcol set if it begins a column. 0 at the end. */
static int items_next(struct items *it, const char **s, size_t *n, int *newcol)
{
	const char *e;

	*newcol = it->colend == NULL;
	if (*newcol) {
		if (!it->p)
			return 0;
		it->colend = memchr(it->p, it->sep, (size_t)(it->end - it->p));
		if (!it->colend)
			it->colend = it->end;
	}
	while (it->p < it->colend && *it->p == ' ')
		it->p++;
	for (e = it->p; e < it->colend && *e != ' '; e++)
		;
	*s = it->p;
	*n = (size_t)(e - it->p);
	while (e < it->colend && *e == ' ')
		e++;
	it->p = e;
	if (e == it->colend) { /* the column is done */
		it->p = e < it->end ? e + 1 : NULL;
		it->colend = NULL;
	}
	return 1;
}

static void blk_grow(struct block *b, int n)
{
	if ((size_t)n <= b->cap)
		return;
	b->cap = (size_t)n * 2;
	b->names = erealloc(b->names, b->cap * sizeof *b->names);
	b->ctype = erealloc(b->ctype, b->cap * sizeof *b->ctype);
	b->nsub = erealloc(b->nsub, b->cap * sizeof *b->nsub);
}

static int blk_find(const struct block *b, const char *name, size_t n)
{
	uint32_t h = hash(name, n), k;

	for (k = h & (b->idxcap - 1); b->idx[k].col; k = (k + 1) & (b->idxcap - 1))
		if (b->idx[k].hash == h && !strcmp(b->names[b->idx[k].col - 1], name))
			return b->idx[k].col - 1;
	return -1;
}

static void blk_index(struct block *b)
{
	uint32_t need = 16, k;
	int i;

	while (need < (uint32_t)b->nf * 2)
		need *= 2;
	if (need > b->idxcap) {
		free(b->idx);
		b->idx = emalloc(need * sizeof *b->idx);
		b->idxcap = need;
	}
	memset(b->idx, 0, b->idxcap * sizeof *b->idx);
	memset(b->seen, 0, sizeof b->seen);
	memset(b->seen_static, 0, sizeof b->seen_static);
	for (i = 0; i < b->nf; i++) {
		uint32_t h = hash(b->names[i], strlen(b->names[i]));
		for (k = h & (b->idxcap - 1); b->idx[k].col; k = (k + 1) & (b->idxcap - 1))
			if (b->idx[k].hash == h && !strcmp(b->names[b->idx[k].col - 1], b->names[i]))
				break;
		b->idx[k].hash = h;
		b->idx[k].col = i + 1; /* a repeated name: the last one wins */
	}
	b->ts_col = blk_find(b, "ts", 2);
}

/* The block's index, built at its first row: names, types, positions. */
static void blk_prepare(struct block *b)
{
	struct items it;
	const char *item;
	size_t n;
	int newcol, nt = 0, i;

	b->dirty = 0;
	free(b->namebuf);
	b->namebuf = dupn(b->fields, strlen(b->fields));
	b->nf = b->nphys = 0;
	b->wide = 0;
	items_init(&it, b->fields, b->sep);
	while (items_next(&it, &item, &n, &newcol)) {
		if (b->nf == ZL_MAX_FIELDS) {
			b->wide = 1;
			break;
		}
		blk_grow(b, b->nf + 1);
		b->names[b->nf] = b->namebuf + (item - b->fields);
		b->names[b->nf][n] = '\0';
		b->nf++;
		if (newcol)
			b->nsub[b->nphys++] = 0;
		b->nsub[b->nphys - 1]++;
	}
	for (i = 0; i < b->nf; i++)
		b->ctype[i] = T_UNTYPED;
	if (b->types) {
		/* Types that don't match the fields one to one are ignored. */
		items_init(&it, b->types, b->sep);
		while (nt < b->nf && items_next(&it, &item, &n, &newcol))
			b->ctype[nt++] = (unsigned char)col_type(item, n);
		if (nt != b->nf || it.p || it.colend)
			for (i = 0; i < b->nf; i++)
				b->ctype[i] = T_UNTYPED;
	}
	blk_index(b);
}

/* s[0..n) is the marker t ("-", "(empty)"): asked of every cell read, and
 * most differ in their first byte. */
static int same(const char *s, size_t n, const char *t)
{
	if (n == 0)
		return t[0] == '\0';
	return s[0] == t[0] && strlen(t) == n && memcmp(s, t, n) == 0;
}

static zl_value string_value(char *s, size_t n)
{
	zl_value v = { ZL_STRING, s, 0, 0, 0 };
	int nul;

	v.len = tsv_unescape(s, n, &nul);
	if (nul) {
		v.s = NULL;
		v.len = 0;
	}
	return v;
}

/* One column's text as the JSON reader would give the same field. */
static zl_value tsv_convert(const struct block *b, enum col_type t, char *s, size_t n)
{
	zl_value v = absent;
	size_t i;

	if (same(s, n, b->unset))
		return v; /* JSON leaves unset fields out */
	v.s = s;
	v.len = n;
	switch (t) {
	case T_NUMBER:
		if (valid_number(s, n)) {
			v.type = ZL_NUMBER;
			return v;
		}
		return string_value(s, n);
	case T_BOOL:
		if (n == 1 && (*s == 'T' || *s == 'F')) {
			v.type = ZL_BOOL;
			v.b = *s == 'T';
			return v;
		}
		return string_value(s, n);
	case T_SET:
		v.type = ZL_ARRAY;
		if (same(s, n, b->empty)) {
			v.s = "";
			v.len = 0;
			return v;
		}
		/* Zeek escapes a separator inside an element: each one splits. */
		for (v.n = 1, i = 0; i < n; i++)
			v.n += s[i] == b->setsep;
		return v;
	case T_STRING:
		if (same(s, n, b->empty))
			return string_value(s, 0);
		return string_value(s, n);
	default:
		if (valid_number(s, n)) {
			v.type = ZL_NUMBER;
			return v;
		}
		if (n == 1 && (*s == 'T' || *s == 'F')) {
			v.type = ZL_BOOL;
			v.b = *s == 'T';
			return v;
		}
		if (same(s, n, b->empty))
			return string_value(s, 0);
		return string_value(s, n);
	}
}

static zl_value cell_value(zl_rec *r, int c)
{
	struct cell *cl = &r->cells[c];

	if (cl->gen != r->gen) {
		cl->v = tsv_convert(&r->blk, (enum col_type)r->blk.ctype[c], cl->s, cl->len);
		cl->gen = r->gen;
	}
	return cl->v;
}

static zl_value tsv_get(zl_rec *r, const char *name)
{
	struct block *b = &r->blk;
	uintptr_t a = (uintptr_t)name;
	size_t k = (a >> 3 ^ a >> 9) % (sizeof b->seen / sizeof b->seen[0]);
	int c;

	if (!r->row)
		return absent;
	if (b->seen[k].name == name && b->seen[k].col < b->nf &&
	    strcmp(b->names[b->seen[k].col], name) == 0)
		return cell_value(r, b->seen[k].col);
	if ((c = blk_find(b, name, strlen(name))) < 0)
		return absent;
	b->seen[k].name = name;
	b->seen[k].col = c;
	return cell_value(r, c);
}

/* tsv_get() of a name whose text never changes (zl_get_static()). */
static zl_value tsv_get_static(zl_rec *r, const char *name)
{
	struct block *b = &r->blk;
	size_t k = static_slot(name);

	if (!r->row)
		return absent;
	if (b->seen_static[k].name != name) {
		b->seen_static[k].name = name;
		b->seen_static[k].col = blk_find(b, name, strlen(name));
	}
	return b->seen_static[k].col < 0 ? absent : cell_value(r, b->seen_static[k].col);
}

static size_t count_char(const char *s, size_t n, char c)
{
	size_t k = 0;

	while (n > 0) {
		const char *q = memchr(s, c, n);
		if (!q)
			break;
		k++;
		n -= (size_t)(q - s) + 1;
		s = q + 1;
	}
	return k;
}

static void cells_grow(zl_rec *r, size_t n)
{
	size_t i, old = r->ncells;

	if (n <= old)
		return;
	r->ncells = n * 2;
	r->cells = erealloc(r->cells, r->ncells * sizeof *r->cells);
	for (i = old; i < r->ncells; i++)
		r->cells[i].gen = 0;
}

/* A physical column that holds k space-joined fields (IoT-23). */
static int split_spaces(zl_rec *r, char *s, char *e, int k, int *c, int pc)
{
	int i;

	for (i = 0; i < k; i++) {
		char *w = s;
		while (w < e && *w == ' ')
			w++;
		s = w;
		if (i < k - 1) {
			while (w < e && *w != ' ')
				w++;
			if (w == e)
				return fail(r, "column %d: %d space-separated values expected", pc + 1, k);
			*w = '\0';
		} else {
			w = e;
		}
		r->cells[*c].s = s;
		r->cells[*c].len = (size_t)(w - s);
		++*c;
		s = w + 1;
	}
	return 0;
}

/* A data line under the current header block: split into its columns (one
 * pass, NUL-terminating each in place); values are converted on demand. */
static zl_kind tsv_row(zl_rec *r, char *line, size_t len)
{
	struct block *b = &r->blk;
	char *p = line, *end = line + len, *q = line, *nul;
	int pc, c = 0;

	r->fmt = ZL_FMT_TSV;
	if (!b->active)
		return fail(r, "a TSV row with no #fields header before it (a live log through tail -F? "
		            "read it with azw-extract -F FILE, or tail -n +1 -F)"), ZL_BROKEN;
	r->path = b->path;
	if (b->dirty)
		blk_prepare(b);
	if (b->bad)
		return fail(r, "unreadable TSV header: %s", b->bad), ZL_BROKEN;
	if (b->wide)
		return fail(r, "unreadable TSV header: #fields names more than %d fields",
		            ZL_MAX_FIELDS), ZL_BROKEN;
	if ((nul = memchr(line, '\0', len)) != NULL)
		return fail(r, "NUL byte at column %zu", (size_t)(nul - line) + 1), ZL_BROKEN;
	cells_grow(r, (size_t)b->nf);
	for (pc = 0; pc < b->nphys; pc++) {
		q = memchr(p, b->sep, (size_t)(end - p));
		if (!q) {
			q = end;
			if (pc < b->nphys - 1)
				break;
		}
		*q = '\0';
		if (b->nsub[pc] == 1) {
			r->cells[c].s = p;
			r->cells[c].len = (size_t)(q - p);
			c++;
		} else if (split_spaces(r, p, q, b->nsub[pc], &c, pc) < 0) {
			return ZL_BROKEN;
		}
		p = q + 1;
	}
	if (pc < b->nphys || q < end) {
		size_t have = q < end ? (size_t)pc + 1 + count_char(q + 1, (size_t)(end - q - 1), b->sep)
		                      : (size_t)pc + 1;
		return fail(r, "%zu columns, but #fields has %d%s", have, b->nphys,
		            have < (size_t)b->nphys ? " (a truncated line?)" : ""), ZL_BROKEN;
	}
	r->row = 1;
	if (b->ts_col >= 0)
		ts_set(r, cell_value(r, b->ts_col));
	return ZL_RECORD;
}

/* ---- any format ---- */

/* A line that is neither JSON nor under a TSV header: say what it looks
 * like it was meant to be. */
static zl_kind stray(zl_rec *r, char *line, size_t len)
{
	char txt[24];

	if (r->fmt == ZL_FMT_JSON || r->force == ZL_FMT_JSON)
		return json_parse(r, line, len) < 0 ? ZL_BROKEN : ZL_RECORD;
	if (memchr(line, r->blk.sep, len))
		return fail(r, "a TSV row with no #fields header before it (a live log through tail -F? "
		            "read it with azw-extract -F FILE, or tail -n +1 -F)"), ZL_BROKEN;
	show(txt, sizeof txt, line, len);
	return fail(r, "not a Zeek log line (no JSON object, no TSV header): \"%s\"", txt), ZL_BROKEN;
}

zl_kind zl_read(zl_rec *r, char *line, size_t len)
{
	size_t i = 0;

	next_line(r);
	if (r->force == ZL_FMT_JSON)
		return json_parse(r, line, len) < 0 ? ZL_BROKEN : ZL_RECORD;
	/* Blanks before a header happen (a stray tab before "#separator" in a
	 * Stratosphere log); Zeek never starts a row with one. */
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (line[i] == '#')
		return tsv_header(r, line + i, len - i);
	if (r->force == ZL_FMT_TSV)
		return tsv_row(r, line, len);
	if (line[i] == '{')
		return json_parse(r, line, len) < 0 ? ZL_BROKEN : ZL_RECORD;
	if (r->blk.active)
		return tsv_row(r, line, len);
	return stray(r, line, len);
}

zl_value zl_get(zl_rec *r, const char *name)
{
	if (name[0] == 't' && name[1] == 's' && name[2] == '\0')
		return r->ts;
	return r->row ? tsv_get(r, name) : json_get(r, name);
}

zl_value zl_get_static(zl_rec *r, const char *name)
{
	if (name[0] == 't' && name[1] == 's' && name[2] == '\0')
		return r->ts;
	return r->row ? tsv_get_static(r, name) : json_get_static(r, name);
}

/* For zl_rec_field_list(): JSON keys in the order written, which is the
 * order of their value tokens. */
static int ent_by_token(const void *a, const void *b)
{
	const struct ent *x = *(const struct ent *const *)a, *y = *(const struct ent *const *)b;

	return (x->val > y->val) - (x->val < y->val);
}

static int tsv_field_list(zl_rec *r, char **names, char **types)
{
	struct block *b = &r->blk;
	struct items it;
	const char *item;
	size_t n;
	int newcol, i, nt = 0;

	for (i = 0; i < b->nf; i++) {
		names[i] = dupn(b->names[i], strlen(b->names[i]));
		types[i] = NULL;
	}
	if (b->types) {
		items_init(&it, b->types, b->sep);
		while (nt < b->nf && items_next(&it, &item, &n, &newcol))
			types[nt++] = dupn(item, n);
	}
	return b->nf;
}

int zl_rec_field_list(zl_rec *r, char ***names, char ***types)
{
	struct ent **e;
	uint32_t i;
	int n = 0, k;

	*names = *types = NULL;
	if (r->row && r->blk.nf > 0) {
		*names = ecalloc((size_t)r->blk.nf, sizeof **names);
		*types = ecalloc((size_t)r->blk.nf, sizeof **types);
		return tsv_field_list(r, *names, *types);
	}
	if (r->row || !r->tab || r->nkeys == 0)
		return 0;
	e = ecalloc(r->nkeys, sizeof *e);
	for (i = 0; i < r->tabcap && n < (int)r->nkeys; i++)
		if (r->tab[i].gen == r->gen && r->tab[i].k)
			e[n++] = &r->tab[i];
	qsort(e, (size_t)n, sizeof *e, ent_by_token);
	*names = ecalloc((size_t)n + 1, sizeof **names);
	*types = ecalloc((size_t)n + 1, sizeof **types);
	for (k = 0; k < n; k++)
		(*names)[k] = dupn(e[k]->k, e[k]->klen);
	free(e);
	return n;
}
