/* context_columns_test.c - the model side's list of context columns
 * (context_columns.c: ctx_columns_find) gives, for every module and schema
 * name, the columns the modules' own schemas point at (modules.h:
 * azw_context_find), so that a module added to azw_modules() without its
 * row in the list, or with another table, fails here. */
#include "context.h"
#include "context_columns.h"
#include "modules/modules.h"
#include "tap.h"

/* The two lookups agree on module and schema. */
static void same(const char *module, const char *schema)
{
	const ctx_spec *cs = azw_context_find(module, schema);
	const ctx_columns *want = cs ? cs->columns : NULL;

	okf(ctx_columns_find(module, schema) == want, "%s %s: %s", module, schema,
	    want ? "its table" : "no context");
}

int main(void)
{
	/* names no module has, and the generic module's schema */
	static const char *const others[] = { "generic", "GENERIC", "nosuch" };
	static const char *const logs[] = { "rdp", "smtp", "x509", "irc", "modbus" };
	const azw_module *const *m;
	int i, j, n_ctx = 0;

	for (m = azw_modules(); *m; m++) {
		for (i = 0; i < (*m)->n_schemas; i++) {
			same((*m)->name, (*m)->schemas[i].name);
			n_ctx += (*m)->schemas[i].context != NULL;
		}
		for (i = 0; i < AZW_N(others); i++)
			same((*m)->name, others[i]);
	}
	/* a generic stream names its log type as its module */
	for (i = 0; i < AZW_N(logs); i++)
		for (j = 0; j < AZW_N(others); j++)
			same(logs[i], others[j]);
	same("CONN", "Extended");
	/* the comparisons saw tables, not only NULLs */
	okf(n_ctx >= 6, "%d schemas with context", n_ctx);
	/* a generic stream (azw-extract -m any) of a log with a module of its
	 * own (rdp) or without one (irc): the generic columns, not none */
	ok(ctx_columns_find("rdp", "generic") == &ctx_columns_generic,
	   "a generic stream of a log with a module of its own: the generic columns");
	ok(ctx_columns_find("irc", "generic") == &ctx_columns_generic,
	   "a generic stream of a log without a module: the generic columns");
	ok(ctx_columns_find("rdp", "extended") == NULL, "rdp's own schema: no context");
	tap_plan(tap_run);
	return tap_status();
}
