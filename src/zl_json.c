/* zl_json.c - Zeek JSON lines (zl_private.h): a line in the form Zeek
 * writes is read in one pass (zl_json_flat()); any other, by jsmn plus one
 * validating pass over its tokens; both index the record's keys, which
 * zl_get() looks up. Also JSON-streaming's _path and zeek-kafka's wrap. */
#define JSMN_STATIC       /* jsmn's functions stay private to this file */
#define JSMN_STRICT       /* RFC 8259 primitives, no bare words */
#define JSMN_PARENT_LINKS /* O(1) ',' handling: no quadratic time on wide objects */
#include <jsmn.h>

#include "zl_private.h"
#include "zl_view.h"
#include "util.h"

#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned u4(const char *p)
{
	return (unsigned)(hexval(p[0]) << 12 | hexval(p[1]) << 8 | hexval(p[2]) << 4 | hexval(p[3]));
}

/* Unescape s[0..n) in place (the result is never longer); NUL-terminate.
 * Returns the new length, or SIZE_MAX if it holds \u0000. A lone UTF-16
 * surrogate becomes U+FFFD. */
size_t zl_unescape(char *s, size_t n)
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

void zl_tab_grow(zl_rec *j)
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
		return zl_fail(j, "invalid JSON at column %zu: a key without a value", end + 1);
	if (f->pos != end && (bad = gap(j->line, f->pos, end, 0)) != SIZE_MAX)
		return zl_fail(j, "invalid JSON at column %zu", bad + 1);
	return 0;
}

/* What gap() accepts, in the form Zeek writes (no blanks): one test. */
static int tight(const char *s, size_t a, size_t b, char sep)
{
	return sep ? b == a + 1 && s[a] == sep : a == b;
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
		return zl_fail(j, "not a JSON object but a JSON %s",
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
			return zl_fail(j, "invalid JSON at column %zu", bad + 1);
		if (f->is_obj && sep != ':') {
			if (t->type != JSMN_STRING)
				return zl_fail(j, "invalid JSON at column %zu: expected a key", a + 1);
			f->sep = ':';
			if (top == reclevel)
				key = (int)i;
		} else {
			f->sep = ',';
			if (top == reclevel) {
				index_key(j, key, (int)i);
				if (j->nkeys > ZL_MAX_FIELDS)
					return zl_fail(j, "more than %d fields in one record", ZL_MAX_FIELDS);
			}
		}
		f->pos = re(t);
		if (t->type == JSMN_PRIMITIVE && !valid_primitive(line + t->start, (size_t)(t->end - t->start)))
			return zl_fail(j, "invalid JSON at column %zu: not a number, true, false or null", a + 1);
		if (t->type == JSMN_OBJECT || t->type == JSMN_ARRAY) {
			if (top + 1 > ZL_MAX_DEPTH - 1)
				return zl_fail(j, "JSON nested deeper than %d levels", ZL_MAX_DEPTH);
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
		return zl_fail(j, "extra data after the JSON object at column %zu", bad + 1);
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
	zl_show(txt, sizeof txt, j->line + i, j->len - i);
	return zl_fail(j, "not a JSON object: \"%s\"", txt);
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
		return zl_fail(j, "NUL byte at column %zu", (size_t)(nul - line) + 1);
	if (len > ZL_PRESCAN_LEN && too_deep(line, len))
		return zl_fail(j, "JSON nested deeper than %d levels", ZL_MAX_DEPTH);
	if (len > (size_t)INT32_MAX / 2)
		return zl_fail(j, "line too long (%zu bytes)", len);
	if ((r = not_object(j)) != 0)
		return r;
	for (;;) {
		jsmn_init(&p);
		r = jsmn_parse(&p, line, len, j->tok, j->cap);
		if (r != JSMN_ERROR_NOMEM)
			break;
		if (j->cap >= ZL_MAX_TOKENS)
			return zl_fail(j, "more than %u JSON values on one line", ZL_MAX_TOKENS);
		j->cap = j->cap * 4 < ZL_MAX_TOKENS ? j->cap * 4 : ZL_MAX_TOKENS;
		j->tok = erealloc(j->tok, j->cap * sizeof *j->tok);
	}
	if (r == JSMN_ERROR_INVAL)
		return zl_fail(j, "invalid JSON at column %zu", (size_t)p.pos + 1);
	if (r == JSMN_ERROR_PART)
		return zl_fail(j, "truncated JSON (the line ends inside a value)");
	if (r == 0)
		return zl_fail(j, "no JSON value");
	j->ntok = p.toknext;
	return 0;
}

int zl_json_parse_line(zl_rec *j, char *line, size_t len)
{
	zl_value v;

	j->line = line;
	j->len = len;
	j->fmt = ZL_FMT_JSON;
	j->reclevel = 0;
	j->plain = zl_json_flat(j, line, len) == 0;
	if (!j->plain &&
	    (json_tokens(j, line, len) < 0 || (j->reclevel = kafka_wrapped(j), walk(j) < 0))) {
		j->ntok = 0;
		return -1;
	}
	if (j->reclevel) {
		jsmntok_t *k = &j->tok[1];
		size_t n = zl_unescape(line + k->start, (size_t)(k->end - k->start));
		if (n != SIZE_MAX)
			j->path = line + k->start;
	} else if ((v = json_value(j, "_path", 5, j->h_path, &j->slot_path)).type == ZL_STRING && v.s) {
		j->path = v.s;
	}
	zl_ts_set(j, json_value(j, "ts", 2, j->h_ts, &j->slot_ts));
	return 0;
}

int zl_json_parse(zl_rec *r, char *line, size_t len)
{
	zl_next_line(r);
	return zl_json_parse_line(r, line, len);
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
	zl_next_line(a);
	zl_next_line(b);
	a->line = la;
	a->len = len;
	b->line = lb;
	b->len = len;
	if (zl_json_flat(a, la, len) == 0) {
		rc = 0;
		if (json_tokens(b, lb, len) < 0 || (b->reclevel = kafka_wrapped(b), walk(b) < 0) ||
		    b->reclevel != 0 || a->ntok != b->ntok ||
		    memcmp(a->tok, b->tok, a->ntok * sizeof *a->tok) != 0 ||
		    memcmp(la, lb, len + 1) != 0 || !same_index(a, b))
			rc = 1;
		/* the line again, its keys now indexed from zl_json_flat()'s
		 * memory of them */
		memcpy(la, line, len);
		zl_next_line(a);
		a->line = la;
		if (rc == 0 && (zl_json_flat(a, la, len) != 0 || a->ntok != b->ntok ||
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

