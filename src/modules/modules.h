/* modules.h - one module per Zeek log type: its feature schemas, each a
 * table of named features, and the function that turns one parsed record
 * into a vector of doubles.
 *
 * A module lives in one file (src/modules/<name>.c) and exports one
 * azw_module; adding a log type is writing that file and adding it to
 * azw_modules() below.
 */
#ifndef AZW_MODULES_H
#define AZW_MODULES_H

#include <stddef.h>
#include <strings.h>

#include "zeeklog.h"

#define AZW_REASON_MAX 256 /* room for an extract() reason */

typedef struct {
	const char *name;            /* "original", "extended" */
	int n_features;
	const char *const *features; /* n_features names, vector order */
	/* Fill x[0..n_features) from the record. 0 on success; -1 if the
	 * record can't be used, with a one-line reason in why[AZW_REASON_MAX]
	 * (no trailing newline). Depends on the record alone. */
	int (*extract)(zl_rec *rec, double *x, char *why);
} azw_schema;

typedef struct {
	const char *name;            /* lower case, as Zeek's _path: "conn" */
	const char *summary;         /* for --help */
	int n_schemas;
	const azw_schema *schemas;   /* schemas[0] is the default */
} azw_module;

/* Context features (context.h): a schema may have, after its per-record
 * features, rows that depend on the records before it (what the source,
 * the pair, the destination have been doing lately). A module declares
 * them in an azw_context (its schema and the ctx_spec table) and adds it
 * to azw_contexts() below; azw-extract appends the rows unless run with
 * --context none, and keeps one context state per run. A schema without
 * an entry (every "original") has none. Kept out of azw_schema so that
 * modules without context need not change. */
struct ctx_spec;

typedef struct {
	const char *module;          /* azw_module name */
	const char *schema;          /* azw_schema name */
	const struct ctx_spec *spec;
} azw_context;

extern const azw_context azw_context_conn;
extern const azw_context azw_context_dns;
extern const azw_context azw_context_http;
extern const azw_context azw_context_ssh;
extern const azw_context azw_context_ssl;

/* The context of a module's schema, or NULL. */
static inline const struct ctx_spec *azw_context_find(const char *module, const char *schema)
{
	static const azw_context *const all[] = {
		&azw_context_conn, &azw_context_dns, &azw_context_http,
		&azw_context_ssh, &azw_context_ssl, NULL
	};
	const azw_context *const *c;

	for (c = all; *c; c++)
		if (strcasecmp((*c)->module, module) == 0 && strcasecmp((*c)->schema, schema) == 0)
			return (*c)->spec;
	return NULL;
}

extern const azw_module azw_module_conn;
extern const azw_module azw_module_dns;
extern const azw_module azw_module_http;
extern const azw_module azw_module_ssh;
extern const azw_module azw_module_ssl;

/* Every module, NULL-terminated. */
static inline const azw_module *const *azw_modules(void)
{
	static const azw_module *const all[] = {
		&azw_module_conn, &azw_module_dns, &azw_module_http,
		&azw_module_ssh, &azw_module_ssl, NULL
	};
	return all;
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

#endif
