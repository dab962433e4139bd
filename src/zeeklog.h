/* zeeklog.h - Zeek log lines into records whose fields are looked up by name.
 *
 * One zl_rec reads a stream of lines in any of the formats a Zeek sensor
 * writes, and presents each record through the same view, zl_get(), so that
 * a module cannot tell the formats apart:
 *
 *   - Zeek JSON lines (json-logs.zeek): one object per line, unset fields
 *     left out;
 *   - JSON-streaming logs: the same with "_path" and "_write_ts", times as
 *     ISO 8601 strings (JSON::TS_ISO8601);
 *   - zeek-kafka's wrapped form {"conn": {...}}: one key, the log type,
 *     whose value is the record;
 *   - Zeek TSV (the ASCII writer's default): '#' header blocks (#separator,
 *     #set_separator, #empty_field, #unset_field, #path, #fields, #types,
 *     #open, #close), then one row per record. Several blocks may follow
 *     each other (cat of rotated files, a schema change mid-file).
 *
 * The format is found per line: in ZL_FMT_AUTO a line starting with '{' is
 * JSON, a line starting with '#' a header (or a comment: "### BTest ..."),
 * anything else a TSV row under the last #fields header.
 *
 * The view, whatever the format:
 *   - a TSV column is typed by #types: count int double time interval port
 *     give ZL_NUMBER (JSON-number text, as written); bool T/F gives ZL_BOOL;
 *     string enum addr subnet pattern (and unknown types) give ZL_STRING
 *     with \xNN escapes decoded; set[..] vector[..] table[..] give ZL_ARRAY
 *     with .n elements (0 for "(empty)") and .s the raw text. The unset
 *     field "-" gives ZL_ABSENT, as JSON leaves unset fields out; "(empty)"
 *     in a string column gives "" (ZL_STRING, len 0). A value that does not
 *     fit its type (a time "XXXXXXXXXX.XXXXXX" in a canonified btest
 *     baseline, a bool "maybe") is given as ZL_STRING, for the module to
 *     judge. Without #types a value is typed by its text: a JSON number
 *     gives ZL_NUMBER, T/F ZL_BOOL, anything else ZL_STRING.
 *   - "ts" is always epoch seconds with exactly 6 decimals (as Zeek's TSV
 *     writes it), a ZL_NUMBER: JSON's 1655071198.444458, JSON-streaming's
 *     "2022-06-12T21:59:58.444458Z" and TSV's 1655071198.444458 all read
 *     "1655071198.444458". Any other JSON string value that is an ISO 8601
 *     time (_write_ts, x509 validity in JSON-streaming logs) reads as a
 *     ZL_NUMBER of epoch seconds, 6 decimals, too.
 *   - ZL_ARRAY's .s is format-specific raw text ("[1,2]" or "1,2"): use .n.
 *
 * No allocation per line once the buffers have grown to the largest line and
 * header seen; a TSV header's field index is built once per block. Values
 * point into the line (modified in place) and are valid until the next
 * zl_read().
 */
#ifndef AZW_ZEEKLOG_H
#define AZW_ZEEKLOG_H

#include <stddef.h>

/* A real Zeek record is never this long; longer lines are broken input. */
#define ZL_MAX_LINE (1L << 20)
/* Nor has one this many fields (conn has about 25): a JSON record with more
 * keys, or a TSV #fields header naming more, is a broken line. */
#define ZL_MAX_FIELDS 4096

typedef enum {
	ZL_ABSENT = 0, /* no such field, or unset ("-" in TSV) */
	ZL_NULL,
	ZL_BOOL,
	ZL_NUMBER,
	ZL_STRING,
	ZL_ARRAY,
	ZL_OBJECT
} zl_type;

typedef struct {
	zl_type type;
	/* ZL_STRING: the unescaped text; ZL_NUMBER: the number text;
	 * ZL_ARRAY / ZL_OBJECT: the raw text; NUL-terminated, len bytes.
	 * A string holding a NUL byte (JSON \u0000, TSV \x00) is reported as
	 * ZL_STRING with s == NULL. */
	const char *s;
	size_t len;
	int b;        /* ZL_BOOL: 0 or 1 */
	int n;        /* ZL_ARRAY / ZL_OBJECT: number of elements / members */
} zl_value;

typedef enum {
	ZL_FMT_AUTO = 0, /* per line: '{' JSON, '#' header, else a TSV row */
	ZL_FMT_JSON,     /* every line is JSON ('#' lines are errors) */
	ZL_FMT_TSV       /* every line is TSV ('{' lines are rows) */
} zl_format;

/* What zl_read() made of a line. */
typedef enum {
	ZL_RECORD,  /* a record: zl_get() reads it */
	ZL_HEADER,  /* a '#' line: TSV header or comment, no record */
	ZL_BROKEN   /* not a usable record: zl_rec_error() says why */
} zl_kind;

typedef struct zl_rec zl_rec;

zl_rec *zl_rec_new(void);
void zl_rec_free(zl_rec *r);
void zl_rec_set_format(zl_rec *r, zl_format f);
/* A new file begins: forget the TSV header (each file brings its own). */
void zl_rec_new_file(zl_rec *r);

/* Read one non-blank line (writable, NUL-terminated at line[len]; it is
 * modified in place). */
zl_kind zl_read(zl_rec *r, char *line, size_t len);
/* Parse one line as JSON whatever the format: 0, or -1 with a reason. */
int zl_json_parse(zl_rec *r, char *line, size_t len);
const char *zl_rec_error(const zl_rec *r);
/* For the tests: a line in Zeek's own JSON form is parsed by a fast path
 * (zeeklog.c); -1 if it leaves line[0..len) to the general one, 0 if both
 * give the same tokens and keys, 1 if they differ (a bug). */
int zl_json_check_fast(const char *line, size_t len);

/* The log type of the last line: JSON "_path", the Kafka wrapping key, or
 * the TSV block's #path; NULL if it has none. Also set for a ZL_BROKEN TSV
 * row (its block's #path). */
const char *zl_rec_path(const zl_rec *r);
/* ZL_FMT_JSON or ZL_FMT_TSV: the format of the last line read as a record
 * or header; ZL_FMT_AUTO before any. */
zl_format zl_rec_format(const zl_rec *r);

/* The fields of the last line read as a record, in its order (a TSV
 * block's #fields; a JSON record's keys as written), for a reader that
 * does not know a log's fields in advance (the generic module): their
 * number, with *names and *types set to arrays of that many copies (the
 * caller frees each and the arrays). types[i] is the field's #types text
 * ("count", "set[string]"), NULL where there is none (JSON, a TSV header
 * without #types). 0 and NULL arrays when the last line was no record. */
int zl_rec_field_list(zl_rec *r, char ***names, char ***types);

/* Which line r holds: a number that changes with every line read and is
 * never given twice in the process (by any zl_rec), for a caller that
 * keeps what it made of a record. */
unsigned long long zl_rec_serial(const zl_rec *r);
/* The value of a field (the last one if a name repeats, as Python's json
 * does). Unknown fields give type ZL_ABSENT. */
zl_value zl_get(zl_rec *r, const char *name);
/* zl_get() of a name whose text never changes while r is in use (a
 * literal, an entry of a static table): it is remembered by its address,
 * which saves finding its length and hash again, record after record. */
zl_value zl_get_static(zl_rec *r, const char *name);

/* ISO 8601 date-time (YYYY-MM-DDTHH:MM:SS[.frac][Z|+HH:MM|-HH:MM|+HHMM],
 * 'T' or ' ' between, no zone read as UTC) of exactly n bytes to epoch
 * seconds with 6 decimals, rounded to the microsecond with integer
 * arithmetic only. buf holds at least 32 bytes. Returns the text's length,
 * or 0 if s is not such a time. */
size_t zl_iso8601_epoch(const char *s, size_t n, char *buf);

/* A number's text rounded to 6 decimals as text (half up on the 7th),
 * the precision Zeek's TSV writes times and intervals with: a module that
 * wants JSON and TSV to give the same value for an interval (JSON carries
 * all 17 digits of dns rtt, TSV 6) reads it through this. buf holds at
 * least 32 bytes. Returns the length, or 0 if s is not a JSON number. */
size_t zl_round6(const char *s, size_t n, char *buf);

#endif
