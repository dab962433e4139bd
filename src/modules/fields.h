/* fields.h - the field decoders, one set for every schema. Each reads one
 * field of a record by name (FLD_PY: with the original schema's quirks): 0 on success, -1 with a one-line reason in
 * why[AZW_REASON_MAX] ("field: what is wrong: value"). A missing or null
 * field is never an error here unless said so: Zeek leaves unset fields out.
 * Names are read with zl_get_static(): give literals or a static table's
 * entries.
 */
#ifndef AZW_FIELDS_H
#define AZW_FIELDS_H

#include <stddef.h>
#include <stdint.h>

#include "modules/modules.h"
#include "zeeklog.h"

/* Build the reason for a bad value (v may be NULL) or a wrong JSON type. */
int fld_bad(char *why, const char *field, const char *what, const zl_value *v);
int fld_wrong_type(char *why, const char *field, const char *want, zl_type got);

/* Flags of the decoders below. */
#define FLD_PY 1     /* the original schema's quirks: AutoZeekWatch's Python */
#define FLD_SIGNED 2 /* with FLD_PY: a negative number too (an interval) */

/* A string, or NULL (with *len 0) when missing or null. *out points into
 * the record. */
int fld_string(zl_rec *rec, const char *field, const char **out, size_t *len, char *why);
/* A boolean: true/false, "T"/"F", 1/0; *out -1 when missing or null.
 * FLD_PY: any number equal to 0 or 1 (1.0, 0e0), as Python's int() took. */
int fld_bool(zl_rec *rec, const char *field, int flags, int *out, char *why);
/* A non-negative finite number (JSON number, or a numeric string as Zeek
 * TSV gives), in full double precision; 0 when missing or null.
 * FLD_PY: rounded to float32 as the original's astype(float32) did (a
 * JSON integer from int64 in one rounding; 2^24+1 gives 16777216), and
 * refused when too large for a float32; with FLD_SIGNED, negative values
 * are accepted too. */
int fld_number(zl_rec *rec, const char *field, int flags, double *out, char *why);
/* A port or ICMP type/code: an integer 0..65535; -1 in *out when missing
 * or null. */
int fld_port(zl_rec *rec, const char *field, int *out, char *why);
/* An integer code 0..65535 (an HTTP status, a DNS Z): -1 in *out when
 * missing or null; a bad value is rejected with "not an integer code". */
int fld_code(zl_rec *rec, const char *field, int *out, char *why);
/* A non-negative interval (seconds) rounded to the microsecond from its
 * text, as Zeek's TSV writes it, so that JSON (17 digits) and TSV (6
 * decimals) give the same double. *present is 1 when the field is set (0
 * and *out 0 when missing or null). */
int fld_interval6(zl_rec *rec, const char *field, double *out, int *present, char *why);
/* What Python's float() takes, less nan, inf, blanks and '_'. */
int fld_decimal_text(const char *s);

/* An address: 16 bytes, IPv4 as ::ffff:a.b.c.d. */
typedef struct {
	unsigned char b[16]; /* network order; IPv4 as ::ffff:a.b.c.d */
	int v6;              /* written as IPv6 (and not IPv4-mapped) */
} fld_addr;

/* An address field: 4 or 6 as it is written (an IPv4-mapped IPv6 address
 * is 6, with a->v6 0), or -1 with a reason when it is missing or not an
 * IPv4 or IPv6 address (a "%zone" suffix is ignored). The last record's
 * two addresses are kept, so reading them again costs nothing. */
int fld_address(zl_rec *rec, const char *field, fld_addr *a, char *why);
/* Python 3.11.2 (Debian) ipaddress.IPv4Address.is_private. */
int fld_is_private4_py(uint32_t a);
/* AutoZeekWatch's traffic_direction from id.orig_h and id.resp_h:
 * "internal", "outgoing", "incoming", "external", or "IPv6" when either
 * address is IPv6 (IPv4-mapped included), as get_traffic_direction()
 * returns it. */
int fld_direction_py(zl_rec *rec, const char **out, char *why);
/* AutoZeekWatch's is_destination_broadcast: the text of id.resp_h ends
 * with "255" (fe80::255 too). -1 when id.resp_h is no address. */
int fld_broadcast(zl_rec *rec, double *out, char *why);

/* pandas notnull(): 1 when the field is there and not null (an empty
 * string or list counts), else 0. Never fails. */
int fld_present(zl_rec *rec, const char *field, double *out, char *why);
/* Python len(list(value)): elements of a list, characters (code points)
 * of a string; 0 when missing or null. */
int fld_length_py(zl_rec *rec, const char *field, double *out, char *why);

/* ---- a module's feature table ----
 *
 * A module lists its sources (what it reads from a record) and its
 * columns (each a source, and for a one-hot or letter column the value
 * that sets it). fld_read() decodes every source once per record;
 * fld_columns() turns them into the vector. */

typedef enum {
	FLD_CATEGORY,  /* one-hot: a string or a number, as Python's str() */
	FLD_DIRECTION, /* traffic_direction incl. "IPv6" (field unused) */
	FLD_BROADCAST, /* fld_broadcast (field: id.resp_h) */
	FLD_FLAG,      /* fld_bool, FLD_PY: 1 if true, else 0 */
	FLD_COUNT32,   /* fld_number, FLD_PY */
	FLD_REAL32,    /* fld_number, FLD_PY | FLD_SIGNED */
	FLD_PRESENT,   /* fld_present */
	FLD_LENGTH,    /* fld_length_py */
	FLD_LETTERS,   /* a string; a column is 1 when it holds the value */
	FLD_STRING     /* a string (only), compared exactly */
} fld_kind;

typedef struct fld_source {
	const char *field; /* the Zeek field */
	fld_kind kind;
	const char *dflt;  /* FLD_STRING: the value when missing or null */
} fld_source;

/* The columns are azw_feature rows (modules.h): src indexes the sources,
 * word is the value that sets a FLD_CATEGORY, FLD_DIRECTION, FLD_LETTERS
 * or FLD_STRING column (NULL for the others). */

/* A category as the original's get_dummies names it: f"{value}". */
enum { FLD_CAT_TEXT, FLD_CAT_FLOAT };
typedef struct {
	const char *s; /* NULL: missing or null, sets no column */
	int form;      /* FLD_CAT_FLOAT: a JSON float, Python str() is its
	                * shortest repr, never an integer's text */
	double d;      /* FLD_CAT_FLOAT: its value */
} fld_cat;

typedef struct {
	fld_cat cat;
	double num;
} fld_slot;

/* A category: string or number; missing or null gives s == NULL. */
int fld_category_py(zl_rec *rec, const char *field, fld_cat *out, char *why);
/* Does the category name this column value (f"{value}" == col)? */
int fld_cat_is(const fld_cat *c, const char *col);

/* Decode n sources into slot[0..n); 0, or -1 with the reason of the first
 * bad field. */
int fld_read(zl_rec *rec, const fld_source *src, int n, fld_slot *slot, char *why);
/* x[i] for each of n columns. */
void fld_columns(const fld_source *src, const azw_feature *col, int n,
                 const fld_slot *slot, double *x);

/* An "original" schema's extract(): fld_read() of its sources, then
 * fld_columns(). */
#define FLD_MAX_SOURCES 32 /* the most sources a module's table may have */
int fld_extract_schema(const azw_schema *s, zl_rec *rec, double *x, char *why);

/* The meaning of an original schema's column, from its source: what
 * azw-extract --features says of it. */
void fld_describe(const fld_source *src, const azw_feature *col, char *buf, size_t size);

#endif
