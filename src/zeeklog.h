/* zeeklog.h - Zeek log records into fields looked up by name.
 *
 * zl_rec: one Zeek JSON log line (exactly one object per line) parsed with
 * jsmn; one pass over the tokens validates the line and indexes its
 * top-level keys, so zl_get() finds a field by name without rescanning the
 * line. No allocation per line once the token array and the key table have
 * grown to the largest line seen. Values point into the line (which is
 * modified in place) and are valid until the next zl_json_parse().
 *
 * Lines come from linebuf.h. Later readers (Zeek TSV with its #fields
 * header, JSON streaming) are meant to fill the same zl_value view.
 */
#ifndef AZW_ZEEKLOG_H
#define AZW_ZEEKLOG_H

#include <stddef.h>

/* ---- JSON records ---- */

typedef enum {
	ZL_ABSENT = 0, /* no such key */
	ZL_NULL,
	ZL_BOOL,
	ZL_NUMBER,
	ZL_STRING,
	ZL_ARRAY,
	ZL_OBJECT
} zl_type;

typedef struct {
	zl_type type;
	/* ZL_STRING: the unescaped text; ZL_NUMBER: the JSON number text;
	 * ZL_ARRAY / ZL_OBJECT: the raw JSON text; NUL-terminated, len bytes.
	 * A string holding \u0000 is reported as ZL_STRING with s == NULL. */
	const char *s;
	size_t len;
	int b;        /* ZL_BOOL: 0 or 1 */
	int n;        /* ZL_ARRAY / ZL_OBJECT: number of elements / members */
} zl_value;

typedef struct zl_rec zl_rec;

zl_rec *zl_rec_new(void);
void zl_rec_free(zl_rec *j);

/* Parse one line (writable, NUL-terminated at line[len]; it is modified:
 * strings are unescaped in place). 0 on success; -1 if the line is not
 * exactly one JSON object, with the reason in zl_rec_error(). */
int zl_json_parse(zl_rec *j, char *line, size_t len);
const char *zl_rec_error(const zl_rec *j);

/* The value of a top-level key (the last one if a key repeats, as Python's
 * json does). Unknown keys give type ZL_ABSENT. */
zl_value zl_get(zl_rec *j, const char *name);

#endif
