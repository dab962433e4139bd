/* zl_view.h - a field of the record a zl_rec holds (zl_private.h): found
 * in the JSON key table that zl_json.c and zl_json_flat.c filled, or
 * converted from the TSV cell that zl_tsv.c split, when a module asks.
 *
 * static inline, in a header, so that zl_get() and zl_get_static()
 * (zeeklog.c) hold both lookups in one function as they did before the
 * reader was split into files: a call between files for each of the
 * ~30 fields a module reads per record cost azw-extract several percent.
 * zl_json.c and zl_tsv.c use it too, for the ts and _path of a line. */
#ifndef AZW_ZL_VIEW_H
#define AZW_ZL_VIEW_H

#include "zl_private.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- JSON ---- */

/* A JSON string that is an ISO 8601 time (JSON::TS_ISO8601 writes every
 * time so) becomes its epoch text, in place: it is never longer. */
static inline void json_iso_time(struct ent *e, char *s)
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
static __attribute__((noinline, unused)) void json_string(struct ent *e, char *s, size_t len, int plain)
{
	if (plain) { /* zl_json_flat() has seen that it holds no escape */
		s[len] = '\0';
		e->slen = len;
	} else {
		e->slen = zl_unescape(s, len);
	}
	e->bad = e->slen == SIZE_MAX;
	if (!e->bad)
		json_iso_time(e, s);
}

/* The entry of name[0..n) (hash h) when it is not at *slot: found by
 * probing, and *slot set to it. Out of line, like json_string(): what the
 * common answer needs then fits in registers the call need not save. */
static __attribute__((noinline, unused)) struct ent *
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

static inline zl_value json_get(zl_rec *j, const char *name)
{
	size_t n = strlen(name);
	uint32_t slot = 0; /* no memory of where it was: probe */
	int bs;

	return json_value(j, name, n, hash_scan(name, n, &bs), &slot);
}


/* zl_json_get() of a name known by its address (zl_get_static()). */
static inline zl_value json_get_static(zl_rec *j, const char *name)
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

/* s[0..n) is the marker t ("-", "(empty)"): asked of every cell read, and
 * most differ in their first byte. */
static inline int same(const char *s, size_t n, const char *t)
{
	if (n == 0)
		return t[0] == '\0';
	return s[0] == t[0] && strlen(t) == n && memcmp(s, t, n) == 0;
}

static inline zl_value string_value(char *s, size_t n)
{
	zl_value v = { ZL_STRING, s, 0, 0, 0 };
	int nul;

	v.len = zl_tsv_unescape(s, n, &nul);
	if (nul) {
		v.s = NULL;
		v.len = 0;
	}
	return v;
}

/* One column's text as the JSON reader would give the same field. */
static inline zl_value tsv_convert(const struct block *b, enum col_type t, char *s, size_t n)
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

static inline zl_value cell_value(zl_rec *r, int c)
{
	struct cell *cl = &r->cells[c];

	if (cl->gen != r->gen) {
		cl->v = tsv_convert(&r->blk, (enum col_type)r->blk.ctype[c], cl->s, cl->len);
		cl->gen = r->gen;
	}
	return cl->v;
}

static inline zl_value tsv_get(zl_rec *r, const char *name)
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
	if ((c = zl_blk_find(b, name, strlen(name))) < 0)
		return absent;
	b->seen[k].name = name;
	b->seen[k].col = c;
	return cell_value(r, c);
}

/* tsv_get() of a name whose text never changes (zl_get_static()). */
static inline zl_value tsv_get_static(zl_rec *r, const char *name)
{
	struct block *b = &r->blk;
	size_t k = static_slot(name);

	if (!r->row)
		return absent;
	if (b->seen_static[k].name != name) {
		b->seen_static[k].name = name;
		b->seen_static[k].col = zl_blk_find(b, name, strlen(name));
	}
	return b->seen_static[k].col < 0 ? absent : cell_value(r, b->seen_static[k].col);
}

#endif
