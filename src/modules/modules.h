/* modules.h - one module per Zeek log type: its feature schemas, each a
 * table of named features (the rows of the table are the vector, and their
 * doc strings its documentation), and the function that turns one parsed
 * record into a vector of doubles.
 *
 * A module lives in one file (src/modules/<name>.c) and exports one
 * azw_module; adding a log type is writing that file and adding it to
 * azw_modules() below.
 */
#ifndef AZW_MODULES_H
#define AZW_MODULES_H

#include <stddef.h>
#include <stdio.h>
#include <strings.h>

#include "zeeklog.h"

#define AZW_REASON_MAX 256 /* room for an extract() reason */

/* The rows of a table: (int) elements of an array. */
#define AZW_N(a) ((int)(sizeof (a) / sizeof (a)[0]))

/* One feature: a row of a schema's table, in vector order. */
typedef struct {
	const char *name; /* column name, as in the vector stream header */
	int src;          /* the module's source that fills it */
	const char *word; /* categorical: the value(s) that set the column
	                     ('|'-separated; extended: or EXT_OTHER); NULL: a
	                     number */
	const char *doc;  /* its meaning, one line (azw-extract --features);
	                     NULL in an original schema, whose sources say it */
} azw_feature;

struct ctx_spec;
struct fld_source;

typedef struct azw_schema azw_schema;
struct azw_schema {
	const char *name;            /* "original", "extended" */
	int n_features;
	const azw_feature *features; /* n_features rows, vector order */
	/* Fill x[0..n_features) from the record. 0 on success; -1 if the
	 * record can't be used, with a one-line reason in why[AZW_REASON_MAX]
	 * (no trailing newline). Depends on the record alone. */
	int (*extract)(const azw_schema *s, zl_rec *rec, double *x, char *why);
	/* Context features (context.h): rows that depend on the records
	 * before (what the source, the pair, the destination have been doing
	 * lately), appended after the per-record ones unless azw-extract runs
	 * with --context none. NULL: none (every "original"). */
	const struct ctx_spec *context;
	/* An original schema's sources (fields.h), read by fld_extract_schema
	 * and described by --features; NULL for an extended one. */
	int n_sources;
	const struct fld_source *sources;
};

typedef struct {
	const char *name;            /* lower case, as Zeek's _path: "conn" */
	const char *summary;         /* for --help */
	/* Build what the module's schemas look up per record (the indexes of
	 * their tables): called once, by azw_modules_init(), before the
	 * first extract(). */
	void (*init)(void);
	int n_schemas;
	const azw_schema *schemas;   /* schemas[0] is the default */
} azw_module;

extern const azw_module azw_module_conn;
extern const azw_module azw_module_dns;
extern const azw_module azw_module_http;
extern const azw_module azw_module_ssh;
extern const azw_module azw_module_ssl;
/* the logs of lateral movement and mail (lateral.h) */
extern const azw_module azw_module_smb_mapping;
extern const azw_module azw_module_smb_files;
extern const azw_module azw_module_dce_rpc;
extern const azw_module azw_module_ntlm;
extern const azw_module azw_module_kerberos;
extern const azw_module azw_module_rdp;
extern const azw_module azw_module_smtp;
extern const azw_module azw_module_x509;
extern const azw_module azw_module_any; /* the generic module (any.h) */

/* Every module, NULL-terminated; the generic one last. */
static inline const azw_module *const *azw_modules(void)
{
	static const azw_module *const all[] = {
		&azw_module_conn, &azw_module_dns, &azw_module_http,
		&azw_module_ssh, &azw_module_ssl,
		&azw_module_smb_mapping, &azw_module_smb_files, &azw_module_dce_rpc,
		&azw_module_ntlm, &azw_module_kerberos, &azw_module_rdp,
		&azw_module_smtp, &azw_module_x509,
		&azw_module_any, NULL
	};
	return all;
}

/* Every module's init(), once: before any extract(). */
static inline void azw_modules_init(void)
{
	const azw_module *const *m;

	for (m = azw_modules(); *m; m++)
		(*m)->init();
}

/* Case-insensitive lookup; NULL if unknown. */
static inline const azw_module *azw_module_find(const char *name)
{
	const azw_module *const *m;

	for (m = azw_modules(); *m; m++)
		if (strcasecmp((*m)->name, name) == 0)
			return *m;
	return NULL;
}

/* NULL name: the default schema. NULL if the module has no such schema. */
static inline const azw_schema *azw_schema_find(const azw_module *m, const char *name)
{
	int i;

	if (!name)
		return &m->schemas[0];
	for (i = 0; i < m->n_schemas; i++)
		if (strcasecmp(m->schemas[i].name, name) == 0)
			return &m->schemas[i];
	return NULL;
}

/* The context of a module's schema, or NULL. A stream of the generic
 * module names its log type (rdp, or a package's log) as its module, and
 * "generic" as its schema, whether or not that log has a module of its
 * own. */
static inline const struct ctx_spec *azw_context_find(const char *module, const char *schema)
{
	const azw_module *m = azw_module_find(module);

	if (schema && strcasecmp(schema, "generic") == 0)
		m = &azw_module_any;
	const azw_schema *s = m ? azw_schema_find(m, schema) : NULL;

	return s ? s->context : NULL;
}

/* Print the features of every module and schema (or of module, of schema,
 * when not NULL): a table per schema, a row per feature with its column
 * in the vector stream and its meaning (azw-extract --features). -1 with
 * nothing printed if there is no such module or schema. */
int azw_features_print(FILE *f, const char *module, const char *schema);
/* The same for the generic module: its rules (log NULL), or the columns
 * the built-in table gives a log type (a JSON log's, or a TSV log's with
 * the same fields). */
void azw_features_print_any(FILE *f, const char *log);

/* The default local networks for --help: lead, then the list
 * comma-separated and closed by ')', in lines of at most width columns,
 * each indented by indent. */
void azw_local_nets_help(FILE *f, const char *lead, int indent, int width);

#endif
