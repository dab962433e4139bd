/* zeeklog.c - Zeek log lines into records: the format of each line (JSON,
 * JSON-streaming, Kafka-wrapped JSON, TSV with its header blocks), and one
 * field view over all of them (zeeklog.h). This file is the record and the
 * dispatch; each format's reader is a file of its own (zl_private.h). */
#include "zl_private.h"
#include "zl_view.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

zl_rec *zl_rec_new(void)
{
	zl_rec *r = ecalloc(1, sizeof *r);

	r->cap = ZL_MIN_TOKENS;
	r->tok = emalloc(r->cap * sizeof *r->tok);
	r->tabcap = 64;
	r->tab = ecalloc(r->tabcap, sizeof *r->tab);
	r->h_ts = hash("ts", 2);
	r->h_path = hash("_path", 5);
	zl_blk_reset(&r->blk);
	return r;
}

void zl_rec_free(zl_rec *r)
{
	if (!r)
		return;
	free(r->tok);
	free(r->tab);
	zl_blk_free(&r->blk);
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
	zl_blk_reset(&r->blk);
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

int zl_fail(zl_rec *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->err, sizeof r->err, fmt, ap);
	va_end(ap);
	return -1;
}

/* The start of a text for a message: at most outsz - 4 bytes, control
 * characters as '?', "..." if cut. */
void zl_show(char *out, size_t outsz, const char *s, size_t n)
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

/* Lines read by every zl_rec so far: a line's serial is unique in the
 * process, so that a record freed and another made at its address cannot
 * be taken for each other. */
static unsigned long long serials;

/* A new line: every cached key and cell becomes stale. */
void zl_next_line(zl_rec *r)
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

/* ---- any format ---- */

/* A line that is neither JSON nor under a TSV header: say what it looks
 * like it was meant to be. */
static zl_kind stray(zl_rec *r, char *line, size_t len)
{
	char txt[24];

	if (r->fmt == ZL_FMT_JSON || r->force == ZL_FMT_JSON)
		return zl_json_parse_line(r, line, len) < 0 ? ZL_BROKEN : ZL_RECORD;
	if (memchr(line, r->blk.sep, len))
		return zl_fail(r, "a TSV row with no #fields header before it (a live log through tail -F? "
		            "read it with azw-extract -F FILE, or tail -n +1 -F)"), ZL_BROKEN;
	zl_show(txt, sizeof txt, line, len);
	return zl_fail(r, "not a Zeek log line (no JSON object, no TSV header): \"%s\"", txt), ZL_BROKEN;
}

zl_kind zl_read(zl_rec *r, char *line, size_t len)
{
	size_t i = 0;

	zl_next_line(r);
	if (r->force == ZL_FMT_JSON)
		return zl_json_parse_line(r, line, len) < 0 ? ZL_BROKEN : ZL_RECORD;
	/* Blanks before a header happen (a stray tab before "#separator" in a
	 * Stratosphere log); Zeek never starts a row with one. */
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (line[i] == '#')
		return zl_tsv_header(r, line + i, len - i);
	if (r->force == ZL_FMT_TSV)
		return zl_tsv_row(r, line, len);
	if (line[i] == '{')
		return zl_json_parse_line(r, line, len) < 0 ? ZL_BROKEN : ZL_RECORD;
	if (r->blk.active)
		return zl_tsv_row(r, line, len);
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

