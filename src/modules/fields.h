/* fields.h - decoders shared by the modules. Each reads one field of a
 * record by name: 0 on success, -1 with a one-line reason in
 * why[AZW_REASON_MAX] ("field: what is wrong: value"). A missing or null
 * field is never an error here unless said so: Zeek leaves unset fields out.
 * Names are read with zl_get_static(): give literals or a static table's
 * entries.
 */
#ifndef AZW_FIELDS_H
#define AZW_FIELDS_H

#include <stdint.h>

#include "modules/modules.h"
#include "zeeklog.h"

/* Build the reason for a bad value (v may be NULL) or a wrong JSON type. */
int fld_bad(char *why, const char *field, const char *what, const zl_value *v);
int fld_wrong_type(char *why, const char *field, const char *want, zl_type got);

/* A string, or dflt when missing or null. *out points into the record. */
int fld_category(zl_rec *rec, const char *field, const char *dflt,
                 const char **out, char *why);
/* A boolean: true/false, "T"/"F", 1/0; 0 when missing or null. */
int fld_flag(zl_rec *rec, const char *field, double *out, char *why);
/* A non-negative count (number or numeric string) rounded to float32 as the
 * original's astype(float32) does; 0 when missing or null. */
int fld_count32(zl_rec *rec, const char *field, double *out, char *why);

/* An address: 4 (with *a4 set, host order) or 6; -1 with a reason when it
 * is missing or not an address. */
int fld_address(zl_rec *rec, const char *field, uint32_t *a4, char *why);
/* Python 3.11.2 (Debian) ipaddress.IPv4Address.is_private. */
int fld_is_private4_py(uint32_t a);
/* AutoZeekWatch's traffic_direction from id.orig_h and id.resp_h:
 * "internal", "outgoing", "incoming", "external", or NULL for IPv6. */
int fld_direction_original(zl_rec *rec, const char **out, char *why);
/* The same, with "IPv6" when either address is IPv6 (IPv4-mapped
 * included), as get_traffic_direction() returns it. */
int fld_direction_py(zl_rec *rec, const char **out, char *why);
/* AutoZeekWatch's is_destination_broadcast: the text of id.resp_h ends
 * with "255" (fe80::255 too). -1 when id.resp_h is no address. */
int fld_broadcast(zl_rec *rec, double *out, char *why);

/* Like fld_count32, for a real-valued field (an interval): negative
 * values are accepted too. 0 when missing or null. */
int fld_real32(zl_rec *rec, const char *field, double *out, char *why);
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
	FLD_FLAG,      /* fld_flag */
	FLD_COUNT32,   /* fld_count32 */
	FLD_REAL32,    /* fld_real32 */
	FLD_PRESENT,   /* fld_present */
	FLD_LENGTH,    /* fld_length_py */
	FLD_LETTERS    /* a string; a column is 1 when it holds the value */
} fld_kind;

typedef struct {
	const char *field; /* the Zeek field */
	fld_kind kind;
} fld_source;

typedef struct {
	int src;           /* index into the sources */
	const char *value; /* FLD_CATEGORY, FLD_DIRECTION, FLD_LETTERS: the
	                    * value that sets the column; else NULL */
} fld_column;

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
void fld_columns(const fld_source *src, const fld_column *col, int n,
                 const fld_slot *slot, double *x);

/* An "original" schema's extract(): fld_read() then fld_columns(). */
#define FLD_MAX_SOURCES 32 /* the most sources a module's table may have */
int fld_extract(zl_rec *rec, const fld_source *src, int n_src,
                const fld_column *col, int n_col, double *x, char *why);

#endif
