/* vecstream.h - the vector stream between azw-extract, azw-fit and azw-score.
 *
 * Zeek-TSV-like text: header lines starting with '#' first
 *
 *   #separator \x09
 *   #azw-vectors	1
 *   #module	conn
 *   #schema	original
 *   #fields	ts	uid	id.orig_h	id.orig_p	id.resp_h	id.resp_p	proto	<feature>...
 *   #types	time	string	addr	port	addr	port	enum	double...
 *
 * then one tab-separated row per record: the 7 identity columns ("-" where
 * Zeek had no value), then one number per feature, printed so that strtod
 * reads back the same double. A repeated identical header is allowed (cat of
 * several streams); a different one is an error.
 */
#ifndef AZW_VECSTREAM_H
#define AZW_VECSTREAM_H

#include <stdio.h>

#include "linebuf.h"
#include "zeeklog.h"

#define VEC_VERSION 1
#define VEC_N_ID 7 /* ts uid id.orig_h id.orig_p id.resp_h id.resp_p proto */
/* Most feature columns a stream (and a model) may have: azw's widest schema
 * has about 100; KitNET keeps a features x features matrix while it maps. */
#define VEC_MAX_FEATURES 4096

extern const char *const vec_id_names[VEC_N_ID];

typedef struct {
	char *module;      /* "conn", lower case */
	char *schema;      /* "original", "extended" */
	int n_features;
	char **names;      /* n_features feature names */
} vec_header;

void vec_header_free(vec_header *h);
/* NULL if equal, else a static text naming the first difference. */
const char *vec_header_diff(const vec_header *want, const vec_header *got);

/* Writer. */
void vec_write_header(FILE *f, const char *module, const char *schema,
                      int n_features, const char *const *names);
/* id[i] NULL or "" prints "-"; tabs and newlines inside are escaped \x09 \x0a
 * as Zeek does. */
void vec_write_row(FILE *f, const char *const id[VEC_N_ID], const double *x, int n);
/* A Zeek record's identity columns, as vec_write_row() takes them: strings
 * as they are, numbers as written (ports as integers), NULL where the
 * record has none. buf holds the ports' texts when they are rewritten
 * ("80.0" -> "80"); id[] points into rec and buf until the next line. */
void vec_record_ids(zl_rec *rec, const char *id[VEC_N_ID], char buf[2][32]);

/* One identity column as vec_record_ids() makes it: field name's value as
 * text (integer: a number as an integer, buf holding at least 32 bytes), or
 * NULL where the record has none. */
const char *vec_id_text(zl_rec *rec, const char *name, char *buf, int integer);

/* Reader. */
typedef struct {
	linebuf lb;
	const char *path;   /* for messages */
	long lineno;        /* of the current line */
	char *line;         /* inside lb */
	int read_error;     /* input ended by a read error (reported) */
	vec_header h;       /* valid after vec_open() returned 0 */
	char *id[VEC_N_ID]; /* the current row's identity columns, inside line */
	double *x;          /* the current row's features, h.n_features */
	long n_bad;         /* rows skipped (reported) */
	int in_bad_block;   /* inside a header block that differs from h */
	int pending;        /* 1: r->line holds an unread row; -1: input ended */
} vec_reader;

/* Read the first header from fd; idle_flush (or NULL) is flushed whenever
 * the input would block.  0: ok; 1: empty input (no header, no rows);
 * -1: error, message printed (not a vector stream, bad version). */
int vec_open(vec_reader *r, int fd, const char *path, FILE *idle_flush);
/* Next row: 1 a row in r->id / r->x, 0 end of input. Bad rows and rows under
 * a different header are reported on stderr (file:line: reason), counted in
 * n_bad and skipped. */
int vec_next(vec_reader *r);
void vec_close(vec_reader *r);

#endif
