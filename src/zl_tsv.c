/* zl_tsv.c - Zeek TSV (zl_private.h): the '#' header blocks, whose
 * #fields header is indexed once per block (name -> column); a row is
 * split in one pass and its columns are converted lazily, when a module
 * asks for them, into what the JSON reader would give for the field. */
#include "zl_private.h"
#include "zl_view.h"
#include "util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

void zl_blk_free(struct block *b)
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
void zl_blk_reset(struct block *b)
{
	zl_blk_free(b);
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
size_t zl_tsv_unescape(char *s, size_t n, int *nul)
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

	*outlen = zl_tsv_unescape(d, n, &nul);
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
zl_kind zl_tsv_header(zl_rec *r, char *line, size_t len)
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
		zl_blk_reset(b);
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

int zl_blk_find(const struct block *b, const char *name, size_t n)
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
	b->ts_col = zl_blk_find(b, "ts", 2);
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
				return zl_fail(r, "column %d: %d space-separated values expected", pc + 1, k);
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
zl_kind zl_tsv_row(zl_rec *r, char *line, size_t len)
{
	struct block *b = &r->blk;
	char *p = line, *end = line + len, *q = line, *nul;
	int pc, c = 0;

	r->fmt = ZL_FMT_TSV;
	if (!b->active)
		return zl_fail(r, "a TSV row with no #fields header before it (a live log through tail -F? "
		            "read it with azw-extract -F FILE, or tail -n +1 -F)"), ZL_BROKEN;
	r->path = b->path;
	if (b->dirty)
		blk_prepare(b);
	if (b->bad)
		return zl_fail(r, "unreadable TSV header: %s", b->bad), ZL_BROKEN;
	if (b->wide)
		return zl_fail(r, "unreadable TSV header: #fields names more than %d fields",
		            ZL_MAX_FIELDS), ZL_BROKEN;
	if ((nul = memchr(line, '\0', len)) != NULL)
		return zl_fail(r, "NUL byte at column %zu", (size_t)(nul - line) + 1), ZL_BROKEN;
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
		return zl_fail(r, "%zu columns, but #fields has %d%s", have, b->nphys,
		            have < (size_t)b->nphys ? " (a truncated line?)" : ""), ZL_BROKEN;
	}
	r->row = 1;
	if (b->ts_col >= 0)
		zl_ts_set(r, cell_value(r, b->ts_col));
	return ZL_RECORD;
}

/* zl_rec_field_list() is here, beside the TSV header reader it reads. */
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
