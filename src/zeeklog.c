/* zeeklog.c - one Zeek JSON log line into fields: jsmn, plus one
 * validating pass over its tokens that indexes the top-level keys. */
#define JSMN_STATIC       /* jsmn's functions stay private to this file */
#define JSMN_STRICT       /* RFC 8259 primitives, no bare words */
#define JSMN_PARENT_LINKS /* O(1) ',' handling: no quadratic time on wide objects */
#include <jsmn.h>

#include "zeeklog.h"
#include "util.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- JSON records ---- */

#define ZL_MIN_TOKENS 128
#define ZL_MAX_TOKENS (1u << 20)
#define ZL_MAX_DEPTH 64
/* Below this length, jsmn's cost is small whatever the nesting, and the
 * validating pass enforces ZL_MAX_DEPTH; above it a cheap pre-scan does,
 * before jsmn (whose closing-bracket walk is quadratic in the depth). */
#define ZL_PRESCAN_LEN 4096

struct ent {
	uint32_t gen;  /* valid if == zl_rec.gen */
	uint32_t hash;
	int key, val;  /* token indexes */
	size_t klen;   /* key length (unescaped) */
	size_t slen;   /* string value: unescaped length, SIZE_MAX until done */
	int bad;       /* string value holds \u0000 */
};

struct frame {
	int tok;
	int is_obj;
	int state;     /* 0 opened, 1 after a key, 2 after a value */
	size_t pos;    /* end of the last thing consumed */
};

struct zl_rec {
	jsmntok_t *tok;
	unsigned ntok, cap;
	char *line;
	size_t len;
	struct ent *tab;
	uint32_t tabcap, nkeys, gen;
	struct frame stack[ZL_MAX_DEPTH + 1];
	char err[128];
};

zl_rec *zl_rec_new(void)
{
	zl_rec *j = ecalloc(1, sizeof *j);

	j->cap = ZL_MIN_TOKENS;
	j->tok = emalloc(j->cap * sizeof *j->tok);
	j->tabcap = 64;
	j->tab = ecalloc(j->tabcap, sizeof *j->tab);
	return j;
}

void zl_rec_free(zl_rec *j)
{
	if (!j)
		return;
	free(j->tok);
	free(j->tab);
	free(j);
}

const char *zl_rec_error(const zl_rec *j)
{
	return j->err;
}

static int fail(zl_rec *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(zl_rec *j, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(j->err, sizeof j->err, fmt, ap);
	va_end(ap);
	return -1;
}

static uint32_t hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	while (n--)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static int isws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return c - 'A' + 10; /* jsmn checked it is hex */
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

static int digit(char c)
{
	return c >= '0' && c <= '9';
}

/* RFC 8259: true false null, or -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static int valid_primitive(const char *s, size_t n)
{
	const char *e = s + n;

	switch (*s) {
	case 't': return n == 4 && !memcmp(s, "true", 4);
	case 'f': return n == 5 && !memcmp(s, "false", 5);
	case 'n': return n == 4 && !memcmp(s, "null", 4);
	}
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
		if (++s == e || !digit(*s))
			return 0;
		while (s < e && digit(*s))
			s++;
	}
	if (s < e && (*s == 'e' || *s == 'E')) {
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

static struct ent *lookup(zl_rec *j, const char *name, size_t n, uint32_t h)
{
	uint32_t k;

	for (k = h & (j->tabcap - 1);; k = (k + 1) & (j->tabcap - 1)) {
		struct ent *e = &j->tab[k];
		if (e->gen != j->gen)
			return e; /* free slot */
		if (e->hash == h && e->klen == n && !memcmp(j->line + j->tok[e->key].start, name, n))
			return e;
	}
}

/* Index a top-level key -> value (the last one wins, as in Python). */
static void index_key(zl_rec *j, int key, int val)
{
	jsmntok_t *t = &j->tok[key];
	size_t n = unescape(j->line + t->start, (size_t)(t->end - t->start));
	uint32_t h;
	struct ent *e;

	if (n == SIZE_MAX)
		return; /* a key with \u0000 can't be asked for */
	if (j->nkeys + 1 > j->tabcap / 2)
		tab_grow(j);
	h = hash(j->line + t->start, n);
	e = lookup(j, j->line + t->start, n, h);
	if (e->gen != j->gen) {
		e->gen = j->gen;
		e->hash = h;
		e->key = key;
		e->klen = n;
		j->nkeys++;
	}
	e->val = val;
	e->slen = SIZE_MAX;
	e->bad = 0;
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
	size_t end = re(&j->tok[f->tok]) - 1, bad;

	if (f->is_obj && f->state == 1)
		return fail(j, "invalid JSON at column %zu: a key without a value", end + 1);
	if ((bad = gap(j->line, f->pos, end, 0)) != SIZE_MAX)
		return fail(j, "invalid JSON at column %zu", bad + 1);
	return 0;
}

/* The pass over the tokens: check what jsmn lets through (separators,
 * primitives, depth, one object only) and index the top-level keys. */
static int walk(zl_rec *j)
{
	const jsmntok_t *t0 = &j->tok[0];
	size_t end0 = re(t0), bad;
	int top = 0, key = -1;
	unsigned i;

	if (t0->type != JSMN_OBJECT)
		return fail(j, "not a JSON object but a JSON %s",
		            t0->type == JSMN_ARRAY ? "array" : t0->type == JSMN_STRING ? "string" : "value");
	j->stack[0] = (struct frame){ 0, 1, 0, (size_t)t0->start + 1 };
	for (i = 1; i < j->ntok; i++) {
		const jsmntok_t *t = &j->tok[i];
		size_t a = rs(t);
		struct frame *f;
		char sep;

		if (a >= end0)
			break; /* a second value after the object: caught below */
		while (re(&j->tok[j->stack[top].tok]) <= a) {
			if (close_frame(j, &j->stack[top]) < 0)
				return -1;
			top--;
			j->stack[top].pos = re(&j->tok[j->stack[top + 1].tok]);
			j->stack[top].state = 2;
		}
		f = &j->stack[top];
		sep = f->state == 0 ? 0 : f->is_obj && f->state == 1 ? ':' : ',';
		if ((bad = gap(j->line, f->pos, a, sep)) != SIZE_MAX)
			return fail(j, "invalid JSON at column %zu", bad + 1);
		if (f->is_obj && f->state != 1) {
			if (t->type != JSMN_STRING)
				return fail(j, "invalid JSON at column %zu: expected a key", a + 1);
			f->state = 1;
			if (top == 0)
				key = (int)i;
		} else {
			f->state = 2;
			if (top == 0)
				index_key(j, key, (int)i);
		}
		f->pos = re(t);
		if (t->type == JSMN_PRIMITIVE &&
		    !valid_primitive(j->line + t->start, (size_t)(t->end - t->start)))
			return fail(j, "invalid JSON at column %zu: not a number, true, false or null", a + 1);
		if (t->type == JSMN_OBJECT || t->type == JSMN_ARRAY) {
			if (top + 1 > ZL_MAX_DEPTH - 1)
				return fail(j, "JSON nested deeper than %d levels", ZL_MAX_DEPTH);
			j->stack[++top] = (struct frame){ (int)i, t->type == JSMN_OBJECT, 0, a + 1 };
		}
	}
	for (; top >= 0; top--) {
		if (close_frame(j, &j->stack[top]) < 0)
			return -1;
		if (top > 0) {
			j->stack[top - 1].pos = re(&j->tok[j->stack[top].tok]);
			j->stack[top - 1].state = 2;
		}
	}
	if ((bad = gap(j->line, end0, j->len, 0)) != SIZE_MAX)
		return fail(j, "extra data after the JSON object at column %zu", bad + 1);
	return 0;
}

/* A line that doesn't start with '{' (blanks aside): say what it starts
 * with, rather than where jsmn stumbled. */
static int not_object(zl_rec *j)
{
	char show[24];
	size_t i = 0, k;

	while (i < j->len && isws(j->line[i]))
		i++;
	if (i < j->len && j->line[i] == '{')
		return 0;
	for (k = 0; k < 20 && i + k < j->len; k++) {
		unsigned char c = (unsigned char)j->line[i + k];
		show[k] = c < 32 || c == 127 ? '?' : (char)c;
	}
	show[k] = '\0';
	return fail(j, "not a JSON object: \"%s%s\"", show, i + k < j->len ? "..." : "");
}

int zl_json_parse(zl_rec *j, char *line, size_t len)
{
	jsmn_parser p;
	const char *nul;
	int r;

	j->line = line;
	j->len = len;
	j->ntok = 0;
	j->nkeys = 0;
	j->err[0] = '\0';
	if (++j->gen == 0) { /* wrapped: forget every old entry */
		memset(j->tab, 0, j->tabcap * sizeof *j->tab);
		j->gen = 1;
	}
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
	return walk(j);
}

zl_value zl_get(zl_rec *j, const char *name)
{
	size_t n = strlen(name);
	zl_value v = { ZL_ABSENT, NULL, 0, 0, 0 };
	struct ent *e;
	jsmntok_t *t;
	char *s;

	if (j->ntok == 0)
		return v;
	e = lookup(j, name, n, hash(name, n));
	if (e->gen != j->gen)
		return v;
	t = &j->tok[e->val];
	s = j->line + t->start;
	v.len = (size_t)(t->end - t->start);
	v.s = s;
	switch (t->type) {
	case JSMN_STRING:
		v.type = ZL_STRING;
		if (e->slen == SIZE_MAX && !e->bad) {
			e->slen = unescape(s, v.len);
			e->bad = e->slen == SIZE_MAX;
		}
		if (e->bad) {
			v.s = NULL;
			v.len = 0;
		} else {
			v.len = e->slen;
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
