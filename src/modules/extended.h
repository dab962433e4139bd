/* extended.h - machinery shared by the modules' "extended" schemas.
 *
 * An extended schema is one table of columns (azw_feature rows): each row
 * names a feature, the module's source that fills it, for a categorical
 * source the value (or '|'-separated values) that sets it, and its meaning.
 * From the table, an ext_index is built once, by the module's init() (no
 * allocation: fixed arrays), that maps a value of a source to its column in
 * a few nanoseconds, with the source's `other` column (word "*") for a value
 * not in the table, and a number source to its column. So the vocabulary of
 * a categorical field is the set of rows of its source, and adding a value
 * is adding a row; the context finds the columns it reads through the index
 * too, never by their names.
 *
 * Also here: numbers on a log scale, text and names, lists, and the
 * configurable list of local networks that gives traffic direction.
 * Nothing here keeps state across records except the local-network list,
 * which is set once at start-up. (The decoders of Zeek's types are
 * fields.h's, one set for every schema.)
 *
 * Field names are read with zl_get_static(): give literals or a static
 * table's entries.
 */
#ifndef AZW_EXTENDED_H
#define AZW_EXTENDED_H

#include <stddef.h>
#include <stdint.h>

#include "modules/fields.h"
#include "modules/modules.h"
#include "context.h"
#include "zeeklog.h"

/* ---- the feature table ---- */

#define EXT_OTHER "*"    /* word of a source's `other` column */
#define EXT_MAX_SRC 64   /* sources per module */
#define EXT_MAX_COLS 256 /* columns per schema */
#define EXT_HASH 1024    /* slots of the (source, word) table; power of 2 */

typedef struct {
	const azw_feature *cols;
	int n;
	short other[EXT_MAX_SRC];    /* a source's other column, or -1 */
	short slot_col[EXT_HASH];    /* column + 1, 0 = empty */
	unsigned char slot_src[EXT_HASH];
	const char *slot_word[EXT_HASH]; /* points into the table's word */
	unsigned char slot_len[EXT_HASH];
	int n_num;                   /* the number columns (word NULL): */
	short num_col[EXT_MAX_COLS]; /* their columns */
	short num_src[EXT_MAX_COLS]; /* and sources */
} ext_index;

/* Build the index of a table, once, before the first lookup. 0 on
 * success; -1 if the table is malformed (a duplicate word in a source, a
 * source out of range, a full hash): a programming error. */
int ext_index_init(ext_index *ix, const azw_feature *cols, int n);

/* x[column of each number source] = round6(num[source]): the last step of
 * an extract(), num indexed by source. */
void ext_numbers(const ext_index *ix, const double *num, double *x);

/* The column of a word of a source (its own row, not the other column),
 * and the column of a number source: what a context reads. Not in the
 * table is a programming error (abort). */
int ext_word_col(const ext_index *ix, int src, const char *word);
int ext_num_col(const ext_index *ix, int src);

/* The column of a value of a source: its row, else the source's other
 * column, else -1. */
int ext_lookup(const ext_index *ix, int src, const char *s, size_t len);

/* x[column of the value] = 1 (nothing if -1). */
void ext_set(const ext_index *ix, double *x, int src, const char *s, size_t len);

/* A multi-valued field ("ssl,http", or the raw JSON array text
 * ["ssl","http"]): x[column] = 1 for each value, the other column for each
 * value not in the table; empty values are ignored. Returns the number of
 * values. */
int ext_set_multi(const ext_index *ix, double *x, int src, const char *s, size_t len);

/* For each character of s, x[column of that one-character word] += 1 (so a
 * repeated letter counts its repeats); characters not in the table add to
 * the other column if the source has one. */
void ext_count_letters(const ext_index *ix, double *x, int src, const char *s, size_t len);

/* The column of a value of a source, or -1 when the value has no row of
 * its own (the other column is not a match here). */
int ext_find(const ext_index *ix, int src, const char *s, size_t len);

/* ---- field decoders (0, or -1 with a reason in why[AZW_REASON_MAX]) ----
 *
 * The decoders of Zeek's types are fields.h's, shared with the original
 * schemas; here, what only the extended schemas read. */

/* fld_number(), then log1p(). */
int ext_log1p(zl_rec *rec, const char *field, double *out, char *why);

/* ---- lists (Zeek set[..] and vector[..] fields) ----
 *
 * zl_get() gives a list's raw text, which differs by format: JSON
 * ["a","b"] or [8.0,30.0], TSV a,b or 8.000000,30.000000 (the default set
 * separator ','; "(empty)" has no element). An ext_list walks the elements
 * of either form and gives the same element texts: a JSON string without
 * its quotes (escapes are not decoded), a number as written (round it with
 * zl_round6() for an interval). A missing or null list has no element. */
typedef struct {
	const char *s;
	size_t len, pos;
	int json;  /* the raw text is a JSON array */
	int n;     /* number of elements (zl_value.n) */
} ext_list;

/* The list of a field: 0, or -1 (wrong type) with a reason. A string
 * (a TSV column without #types) is read as a TSV list. */
int ext_list_get(zl_rec *rec, const char *field, ext_list *l, char *why);

/* The next element: 1 with *e, *len set, or 0 at the end. */
int ext_list_next(ext_list *l, const char **e, size_t *len);

/* The smallest and largest element of a list of non-negative intervals
 * (DNS TTLs), each rounded to the microsecond: 0 with *min and *max set
 * (0 and 0 for an empty list), or -1 with a reason on a bad element. */
int ext_list_minmax6(zl_rec *rec, const char *field, double *min, double *max, char *why);

/* ---- text ----
 *
 * Zeek's JSON writer leaves a non-printable byte of a string as the text
 * \xHH, where the TSV reader gives the byte itself: these functions read a
 * \xHH (two hex digits) as the one byte it stands for, so that both
 * formats give the same lengths and entropies. */

/* The byte at s[*i], or the byte a \xHH there stands for; *i moves past
 * it. */
static inline unsigned char ext_xbyte(const char *s, size_t len, size_t *i)
{
	size_t k = *i;
	int hi, lo;

	if (s[k] == '\\' && k + 3 < len && s[k + 1] == 'x') {
		char a = s[k + 2], b = s[k + 3];

		hi = a >= '0' && a <= '9' ? a - '0' : a >= 'a' && a <= 'f' ? a - 'a' + 10 :
		     a >= 'A' && a <= 'F' ? a - 'A' + 10 : -1;
		lo = b >= '0' && b <= '9' ? b - '0' : b >= 'a' && b <= 'f' ? b - 'a' + 10 :
		     b >= 'A' && b <= 'F' ? b - 'A' + 10 : -1;
		if (hi >= 0 && lo >= 0) {
			*i = k + 4;
			return (unsigned char)(hi << 4 | lo);
		}
	}
	*i = k + 1;
	return (unsigned char)s[k];
}

/* Bytes of s, a \xHH counting one. */
size_t ext_text_len(const char *s, size_t len);

/* What a name (a DNS query, an SNI, an HTTP host) looks like. */
typedef struct {
	int len;       /* bytes */
	int labels;    /* dot-separated non-empty labels */
	int max_label; /* bytes of the longest label */
	int digits;    /* bytes 0-9 */
	double entropy; /* Shannon entropy of the bytes, ASCII letters folded
	                   to lower case, in bits per byte (0 for "") */
} ext_name;

void ext_name_stats(const char *s, size_t len, ext_name *out);

/* Shannon entropy of the bytes of s, ASCII letters folded to lower case,
 * in bits per byte; 0 for an empty string. */
double ext_entropy(const char *s, size_t len);

/* Is s an IPv4 or IPv6 address literal? A ":port" after an IPv4 address,
 * "[v6]" and "[v6]:port" count too (an HTTP Host header). */
int ext_is_ip_text(const char *s, size_t len);

/* A free-text field (a DNS query, a URI, a banner): as fld_string(), but
 * a string holding a NUL byte (JSON \u0000, TSV \x00) is not rejected: it
 * reads as "" and the call returns 1 (0 otherwise, -1 on a wrong type). */
int ext_text(zl_rec *rec, const char *field, const char **out, size_t *len, char *why);

/* A categorical value: a string, or a number as its text (a JSON 2 and a
 * TSV "2" give "2"); NULL (with *len 0) when missing or null; a string
 * holding a NUL byte gives "" (so the `other` column). */
int ext_word(zl_rec *rec, const char *field, const char **out, size_t *len, char *why);

/* A categorical field into its group of columns: x[column of the value]
 * = 1, its `other` column for a value without a row; when the field is
 * missing or null, the column of the word dflt (NULL: none). */
int ext_category(const ext_index *ix, zl_rec *rec, const char *field, int src,
                 const char *dflt, double *x, char *why);

/* log(1 + a) - log(1 + b): the log-ratio of two counts, 0 when equal. */
double ext_log_ratio(double a, double b);


/* ---- addresses and local networks ---- */

/* The start of every module's context observation: id.orig_h and
 * id.resp_h as the keys' addresses (16 bytes each, IPv4 mapped) and ts, in
 * o. 0, or -1 with the reason in why (a missing or bad address). */
int ext_obs_ends(zl_rec *rec, ctx_obs *o, char *why);

/* 32 bits of FNV-1a of a name, ASCII letters folded, \xHH read as its byte
 * (so JSON and TSV agree): a name as a context key without keeping it. */
uint32_t ext_name_hash(const char *s, size_t len);

/* The default local networks, the one list of them (--help and
 * azw-features(7) print it from here): a row a network, with what it is;
 * a NULL cidr ends it. */
typedef struct {
	const char *cidr;
	const char *what;
} ext_net;
extern const ext_net ext_local_nets_default[];
#define EXT_MAX_NETS 256

/* Set the local networks from a comma-separated list of CIDRs (IPv4 and
 * IPv6; a bare address is a /32 or /128; host bits are ignored; blanks
 * around items are allowed). The word "default" stands for the default
 * list, so "default,198.51.100.0/24" adds a network; "none" (alone) means
 * no local network. 0 on success; -1 with a reason in why[AZW_REASON_MAX],
 * and the list unchanged, on a bad item. */
int ext_local_nets_set(const char *spec, char *why);

/* Is the address in one of the local networks? */
int ext_is_local(const fld_addr *a);

/* The direction word of a record from its two addresses and the local
 * networks: "internal" (both local), "outgoing" (only the originator),
 * "incoming" (only the responder) or "external" (neither). */
const char *ext_direction(const fld_addr *orig, const fld_addr *resp);

/* Multicast: 224.0.0.0/4 or ff00::/8. */
int ext_is_multicast(const fld_addr *a);

/* A broadcast responder: 255.255.255.255, or an IPv4 address ending in
 * .255 (a directed broadcast in a /24 or wider; the original's test, for
 * IPv4 only). */
int ext_is_broadcast(const fld_addr *a);

#endif
