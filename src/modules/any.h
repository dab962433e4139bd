/* any.h - the generic module: features of any Zeek log, made from the
 * log's own field types, for a log without a module of its own (rdp, smtp,
 * x509, a package's log).
 *
 * Its columns are not a table in the code but are made once per run, at
 * the first record, from the log's fields: for a log type the built-in
 * table knows (anytable.c: Zeek 6.2's standard logs), the table's fields in
 * its order; then any other field of the first record (a TSV block's
 * #fields, a JSON record's keys), typed by #types, or in JSON (and TSV
 * without #types) by its first value. So a TSV and a JSON log of a known
 * type give the same columns, and a stream's header depends on the log
 * type and its first record's fields only, never on the values seen: a
 * model trained on one day scores the next (azw-score compares the
 * headers, as for every module).
 *
 * Each field gives columns by its type (azw-features(7) has the rules):
 * numbers log1p (signed), times as seconds from ts, bools -1/0/1, addresses
 * local and IPv6 flags, vocabularies (enum, port, and the strings the table
 * marks "category") hashed into ANY_BUCKETS columns, free text as length
 * and entropy, sets and vectors as counts. An extract() never refuses a
 * record: a value that does not fit its type reads as unset.
 */
#ifndef AZW_ANY_H
#define AZW_ANY_H

#include <stdio.h>

#include "modules/modules.h"
#include "vecstream.h"
#include "zeeklog.h"

/* Columns of a vocabulary field: a value sets two of them (two hashes),
 * so two values share both columns with probability about 1/36. */
#define ANY_BUCKETS 8

/* A row of the built-in table: a field of a standard log and its Zeek
 * type ("count", "set[string]", ..., or "category": a string whose values
 * are a vocabulary). */
typedef struct {
	const char *log, *field, *type;
} any_std_field;

extern const any_std_field any_std_fields[]; /* ended by a NULL log */

extern const azw_module azw_module_any;

/* Can a -m NAME without a module of its own name a log for the generic
 * module? (letters, digits, _ - . only; "any" is the generic one itself.) */
int any_name_ok(const char *name);

/* Does the built-in table know this log type? */
int any_std_known(const char *log);

/* Make the columns of a run, for log type `log` (NULL: unknown), from the
 * record rec holds (NULL: the table's fields alone). Fills the generic
 * schema's feature table (azw_module_any.schemas[0]); once per process. */
void any_begin(const char *log, zl_rec *rec);

/* The identity columns of a record: as vec_record_ids(), but where the log
 * has no uid or id.* fields, its own keys (x509's fingerprint, files'
 * fuid, known_hosts' host, ...; azw-features(7)). */
void any_record_ids(zl_rec *rec, const char *id[VEC_N_ID], char buf[2][32]);

/* azw-extract --features -m any: the rules, a row per Zeek type. */
void any_rules_print(FILE *f);

#endif
