/* vecstream.c - write and read the vector stream (see vecstream.h). */
#include "vecstream.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

const char *const vec_id_names[VEC_N_ID] = {
	"ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "proto",
};

void vec_header_free(vec_header *h)
{
	int i;

	for (i = 0; i < h->n_features; i++)
		free(h->names[i]);
	free(h->names);
	free(h->module);
	free(h->schema);
	memset(h, 0, sizeof *h);
}

const char *vec_header_diff(const vec_header *want, const vec_header *got)
{
	static char msg[512];
	int i;

	if (strcmp(want->module, got->module) != 0) {
		snprintf(msg, sizeof msg, "module is %s, expected %s", got->module, want->module);
		return msg;
	}
	if (strcmp(want->schema, got->schema) != 0) {
		snprintf(msg, sizeof msg, "schema is %s, expected %s", got->schema, want->schema);
		return msg;
	}
	for (i = 0; i < want->n_features && i < got->n_features; i++) {
		if (strcmp(want->names[i], got->names[i]) != 0) {
			snprintf(msg, sizeof msg, "column %d is %.200s, expected %.200s",
			         VEC_N_ID + i + 1, got->names[i], want->names[i]);
			return msg;
		}
	}
	if (want->n_features != got->n_features) {
		snprintf(msg, sizeof msg, "%d features, expected %d", got->n_features, want->n_features);
		return msg;
	}
	return NULL;
}

void vec_write_header(FILE *f, const char *module, const char *schema,
                      int n_features, const char *const *names)
{
	int i;

	fprintf(f, "#separator \\x09\n#azw-vectors\t%d\n#module\t%s\n#schema\t%s\n#fields",
	        VEC_VERSION, module, schema);
	for (i = 0; i < VEC_N_ID; i++)
		fprintf(f, "\t%s", vec_id_names[i]);
	for (i = 0; i < n_features; i++)
		fprintf(f, "\t%s", names[i]);
	/* zeek-cut wants #types after #fields */
	fputs("\n#types\ttime\tstring\taddr\tport\taddr\tport\tenum", f);
	for (i = 0; i < n_features; i++)
		fputs("\tdouble", f);
	fputc('\n', f);
}

/* One row is built in this buffer and written with one fwrite: stdio's
 * per-character calls were half of azw-extract's time. */
static char *row_buf;
static size_t row_cap;

static void row_reserve(size_t need)
{
	row_buf = egrow(row_buf, &row_cap, need);
}

/* Zeek's own escaping for the separator and line ends inside a field. */
static size_t put_field(size_t at, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	if (!s || !*s) {
		row_reserve(at + 1);
		row_buf[at] = '-';
		return at + 1;
	}
	for (;;) {
		/* the plain run in one copy: ids rarely need escaping */
		size_t n = strcspn(s, "\t\n\r\\");
		unsigned char c = (unsigned char)s[n];

		row_reserve(at + n + 4);
		memcpy(row_buf + at, s, n);
		at += n;
		if (!c)
			return at;
		row_buf[at++] = '\\';
		row_buf[at++] = 'x';
		row_buf[at++] = hex[c >> 4];
		row_buf[at++] = hex[c & 15];
		s += n + 1;
	}
}

void vec_write_row(FILE *f, const char *const id[VEC_N_ID], const double *x, int n)
{
	size_t at = 0;
	int i;

	for (i = 0; i < VEC_N_ID; i++) {
		if (i) {
			row_reserve(at + 1);
			row_buf[at++] = '\t';
		}
		at = put_field(at, id[i]);
	}
	row_reserve(at + (size_t)n * 33 + 1);
	for (i = 0; i < n; i++) {
		uint64_t bits;

		/* most features are 0/1 flags: no call for those, and known by
		 * their bits (+0.0 is all zeros, -0.0 not) */
		memcpy(&bits, &x[i], sizeof bits);
		if (bits == 0) {
			memcpy(row_buf + at, "\t0", 2);
			at += 2;
		} else if (bits == 0x3ff0000000000000u) { /* 1.0 */
			memcpy(row_buf + at, "\t1", 2);
			at += 2;
		} else {
			row_buf[at++] = '\t';
			at += (size_t)fmt_double(row_buf + at, x[i]);
		}
	}
	row_buf[at++] = '\n';
	fwrite(row_buf, 1, at, f);
}

/* Next line into r->line. 1 ok, 0 EOF or read error, 2 a line we cannot
 * use (NUL byte inside). Over-long lines are reported and skipped. */
static int read_line(vec_reader *r)
{
	size_t len;
	long n_long = r->lb.n_long;
	int rc = lb_getline(&r->lb, &r->line, &len);

	if (r->lb.n_long != n_long) {
		weprintf("%s:%ld: line longer than %ld bytes, skipped", r->path, r->lb.lineno, LB_MAX_LINE);
		r->n_bad += r->lb.n_long - n_long;
	}
	r->lineno = r->lb.lineno;
	if (rc < 0) {
		weprintf("%s: read error:", r->path);
		r->read_error = 1;
		return 0;
	}
	if (rc == 0)
		return 0;
	return strlen(r->line) == len ? 1 : 2;
}

/* A "#position" line: not a header's, read between rows (vec_next). */
static int is_mark(const char *line)
{
	return strncmp(line, "#position\t", 10) == 0;
}

/* Parse header lines starting at r->line (already read) into h. Returns 1 with
 * r->line holding the first row (or 0 at EOF), -1 on an unreadable header. */
static int read_header(vec_reader *r, vec_header *h, const char **why)
{
	int got_version = 0, more = 1;
	char *p, *tab;

	memset(h, 0, sizeof *h);
	*why = NULL;
	while (more == 1 && r->line[0] == '#' && !is_mark(r->line)) {
		p = r->line + 1;
		tab = strchr(p, '\t');
		if (tab)
			*tab++ = '\0';
		if (strcmp(p, "azw-vectors") == 0) {
			if (!tab || atoi(tab) != VEC_VERSION) {
				*why = "unsupported vector stream version (this azw reads version 1)";
			}
			got_version = 1;
		} else if (strcmp(p, "module") == 0 && tab) {
			free(h->module);
			h->module = estrdup(tab);
		} else if (strcmp(p, "schema") == 0 && tab) {
			free(h->schema);
			h->schema = estrdup(tab);
		} else if (strcmp(p, "fields") == 0 && tab) {
			int i, n = 1;
			char *s, *next;

			for (s = tab; *s; s++)
				n += *s == '\t';
			n -= VEC_N_ID;
			for (i = 0; i < h->n_features; i++)
				free(h->names[i]);
			free(h->names);
			h->n_features = 0;
			h->names = NULL;
			if (n < 1) {
				*why = "#fields names no feature columns";
			} else if (n > VEC_MAX_FEATURES) {
				static char msg[80];
				snprintf(msg, sizeof msg, "#fields names %d feature columns, more than %d",
				         n, VEC_MAX_FEATURES);
				*why = msg;
			} else {
				h->names = ecalloc((size_t)n, sizeof *h->names);
				/* one name per tab-separated column, as rows are split:
				 * an empty name would shift every name after it */
				for (i = 0, s = tab; s; s = next, i++) {
					if ((next = strchr(s, '\t')) != NULL)
						*next++ = '\0';
					if (!*s) {
						*why = "#fields has an empty column name";
					} else if (i < VEC_N_ID) {
						if (strcmp(s, vec_id_names[i]) != 0)
							*why = "#fields does not start with the identity columns ts uid id.orig_h id.orig_p id.resp_h id.resp_p proto";
					} else if (i - VEC_N_ID < n) {
						h->names[h->n_features++] = estrdup(s);
					}
				}
			}
		}
		/* other '#' lines (#separator, comments) carry nothing we need */
		more = read_line(r);
		if (more == 2) {
			*why = "NUL byte in header";
			return -1;
		}
	}
	if (!*why && !got_version)
		*why = "no #azw-vectors line: not an azw vector stream (did you run azw-extract?)";
	if (!*why && (!h->module || !h->schema || !h->names))
		*why = "header lacks #module, #schema or #fields";
	if (*why) {
		if (!more)
			r->pending = -1; /* the input ended inside the bad header */
		return -1;
	}
	return more ? 1 : 0;
}

int vec_open(vec_reader *r, int fd, const char *path, FILE *idle_flush)
{
	const char *why;
	int rc;

	memset(r, 0, sizeof *r);
	lb_init(&r->lb, fd, idle_flush);
	r->path = path;
	rc = read_line(r);
	if (rc == 0)
		return 1;
	if (rc == 2 || r->line[0] != '#') {
		weprintf("%s:%ld: not an azw vector stream (no header; did you run azw-extract?)",
		         path, r->lineno);
		return -1;
	}
	rc = read_header(r, &r->h, &why);
	if (rc < 0) {
		weprintf("%s:%ld: %s", path, r->lineno, why);
		vec_header_free(&r->h);
		return -1;
	}
	r->x = ecalloc((size_t)r->h.n_features, sizeof *r->x);
	/* read_header() stopped at the first row, if any: vec_next() starts there */
	r->pending = rc == 1 ? 1 : -1;
	return 0;
}

static int parse_row(vec_reader *r, const char **why)
{
	char *p = r->line, *end;
	int i, plain;

	for (i = 0; i < VEC_N_ID; i++) {
		r->id[i] = p;
		p = strchr(p, '\t');
		if (!p) {
			*why = "too few columns";
			return -1;
		}
		*p++ = '\0';
	}
	for (i = 0; i < r->h.n_features; i++) {
		/* most features are a lone digit (0/1 flags): no call for those */
		if (p[0] >= '0' && p[0] <= '9' && p[1] == '\t' && i + 1 < r->h.n_features) {
			r->x[i] = p[0] - '0';
			p += 2;
			continue;
		}
		if (*p == '\t' || *p == '\0') {
			*why = "too few columns";
			return -1;
		}
		r->x[i] = strtod_decimal(p, &end, &plain);
		if (end == p || (*end != '\t' && *end != '\0')) {
			*why = "a feature is not a number";
			return -1;
		}
		if (!isfinite(r->x[i])) {
			*why = "a feature is NaN or infinite";
			return -1;
		}
		if (!plain) {
			*why = "a feature is not a plain decimal number (hexadecimal, padded, or with a +)";
			return -1;
		}
		p = end;
		if (i + 1 < r->h.n_features) {
			if (*p != '\t') {
				*why = "too few columns";
				return -1;
			}
			p++;
		}
	}
	if (*p != '\0') {
		*why = "too many columns";
		return -1;
	}
	return 0;
}

int vec_next(vec_reader *r)
{
	const char *why;
	int rc;

	for (;;) {
		if (r->pending == -1)
			return 0;
		if (r->pending == 1) {
			r->pending = 0;
		} else {
			rc = read_line(r);
			if (rc == 0)
				return 0;
			if (rc == 2) {
				weprintf("%s:%ld: NUL byte in line, skipped", r->path, r->lineno);
				r->n_bad++;
				continue;
			}
		}
		if (r->line[0] == '#') {
			vec_header h;
			long at = r->lineno;
			const char *diff;

			if (is_mark(r->line)) {
				if (!r->marks)
					continue;
				r->mark = r->line + 10;
				return 2;
			}
			rc = read_header(r, &h, &why);
			if (rc < 0) {
				weprintf("%s:%ld: %s; rows up to the next good header are skipped", r->path, at, why);
				r->in_bad_block = 1;
			} else if ((diff = vec_header_diff(&r->h, &h))) {
				weprintf("%s:%ld: header differs from the first one (%s); its rows are skipped",
				         r->path, at, diff);
				r->in_bad_block = 1;
			} else {
				r->in_bad_block = 0;
			}
			vec_header_free(&h);
			if (rc == 0 || r->pending == -1) {
				r->pending = -1;
				return 0;
			}
			/* r->line holds the first row after the header */
			if (is_mark(r->line)) {
				r->pending = 1;
				continue;
			}
		}
		if (r->line[0] == '\0')
			continue; /* blank line */
		if (r->in_bad_block) {
			r->n_bad++;
			continue;
		}
		if (parse_row(r, &why) < 0) {
			weprintf("%s:%ld: %s, skipped", r->path, r->lineno, why);
			r->n_bad++;
			continue;
		}
		return 1;
	}
}

void vec_close(vec_reader *r)
{
	vec_header_free(&r->h);
	lb_free(&r->lb);
	free(r->x);
	r->line = NULL;
	r->x = NULL;
}
