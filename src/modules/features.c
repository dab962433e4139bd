/* features.c - the documentation of the features, from the tables that
 * make them: azw-extract --features prints every schema's table (a row a
 * feature: its name, its column in the vector stream and its meaning),
 * which make man turns into azw-features(7); and the default local
 * networks, for --help and the same page. See modules.h. */
#include "context.h"
#include "modules/any.h"
#include "modules/extended.h"
#include "modules/fields.h"
#include "modules/modules.h"
#include "vecstream.h"

#include <stdio.h>
#include <string.h>

/* Does s hold the len bytes at w? */
static int memmem_str(const char *s, const char *w, size_t len)
{
	for (; *s; s++)
		if (strncmp(s, w, len) == 0)
			return 1;
	return 0;
}

/* What a context key is made of (context.h's enum ctx_key). */
static const char *key_text(int key)
{
	switch (key) {
	case CTX_SRC:     return "the source, id.orig_h";
	case CTX_PAIR:    return "the pair, id.orig_h and id.resp_h";
	case CTX_DST:     return "the destination, id.resp_h";
	case CTX_SVC:     return "the source and proto/id.resp_p";
	case CTX_PAIR_OK: return "the pair, id.orig_h and id.resp_h, counting only the records "
	                         "that did not fail";
	case CTX_SVC_OK:  return "the source and proto/id.resp_p, counting only the records "
	                         "that did not fail";
	default:          return "?";
	}
}

/* An extended row's meaning: its doc, and its values where the word has
 * several ('|') that the doc does not all name. */
static void describe(const azw_feature *r, char *buf, size_t size)
{
	const char *w = r->word, *end;
	size_t len;
	int named = 1;

	snprintf(buf, size, "%s", r->doc);
	if (!w || !strchr(w, '|'))
		return;
	for (; ; w = end + 1) {
		end = strchr(w, '|');
		len = end ? (size_t)(end - w) : strlen(w);
		named &= memmem_str(r->doc, w, len);
		if (!end)
			break;
	}
	if (named)
		return;
	len = strlen(buf);
	snprintf(buf + len, size - len, "%s Values: ", len > 0 && buf[len - 1] == '.' ? "" : ".");
	for (w = r->word; *w; w = end + 1) {
		end = strchr(w, '|');
		len = strlen(buf);
		snprintf(buf + len, size - len, "%.*s%s", (int)(end ? (size_t)(end - w) : strlen(w)), w,
		         end ? ", " : "");
		if (!end)
			break;
	}
}

/* One schema: its per-record rows, then its context rows, each part under
 * a line "#features MODULE SCHEMA PART". A context row has a fourth field:
 * its key and half-life. */
static void print_schema(FILE *f, const char *module, const azw_schema *s)
{
	const ctx_columns *cs = s->context ? s->context->columns : NULL;
	char meaning[1024];
	int i, col = VEC_N_ID + 1;

	if (!s->features)
		any_rules_print(f); /* the generic module before its first record */
	else
		fprintf(f, "#features\t%s\t%s\trecord\n", module, s->name);
	for (i = 0; i < s->n_features; i++, col++) {
		const azw_feature *r = &s->features[i];

		if (r->doc)
			describe(r, meaning, sizeof meaning);
		else
			fld_describe(s->sources, r, meaning, sizeof meaning);
		fprintf(f, "%s\t%d\t%s\n", r->name, col, meaning);
	}
	if (!cs)
		return;
	fprintf(f, "#features\t%s\t%s\tcontext\n", module, s->name);
	for (i = 0; i < cs->n_cols; i++, col++) {
		const ctx_column *c = &cs->cols[i];

		if (s->features)
			fprintf(f, "%s\t%d\t%s\t%s", c->name, col, c->doc, key_text(c->key));
		else /* after a number of record columns that depends on the log */
			fprintf(f, "%s\tn+%d\t%s\t%s", c->name, i + VEC_N_ID + 1, c->doc, key_text(c->key));
		if (c->stat != CTX_AGE)
			fprintf(f, "; half-life %g s", c->half_life);
		fputc('\n', f);
	}
}

int azw_features_print(FILE *f, const char *module, const char *schema)
{
	const azw_module *const *m;
	const ext_net *d;
	int i, n = 0;

	for (m = azw_modules(); *m; m++)
		for (i = 0; i < (*m)->n_schemas; i++)
			n += (!module || strcasecmp(module, (*m)->name) == 0) &&
			     (!schema || strcasecmp(schema, (*m)->schemas[i].name) == 0);
	if (n == 0)
		return -1;
	for (d = ext_local_nets_default; d->cidr; d++)
		fprintf(f, "#local-net\t%s\t%s\n", d->cidr, d->what);
	for (m = azw_modules(); *m; m++)
		for (i = 0; i < (*m)->n_schemas; i++)
			if ((!module || strcasecmp(module, (*m)->name) == 0) &&
			    (!schema || strcasecmp(schema, (*m)->schemas[i].name) == 0))
				print_schema(f, (*m)->name, &(*m)->schemas[i]);
	return 0;
}

void azw_features_print_any(FILE *f, const char *log)
{
	const ext_net *d;

	for (d = ext_local_nets_default; d->cidr; d++)
		fprintf(f, "#local-net\t%s\t%s\n", d->cidr, d->what);
	if (log) { /* a log type's columns, as the built-in table gives them */
		any_begin(log, NULL);
		print_schema(f, log, &azw_module_any.schemas[0]);
	} else {
		print_schema(f, "any", &azw_module_any.schemas[0]);
	}
}

void azw_local_nets_help(FILE *f, const char *lead, int indent, int width)
{
	const ext_net *d;
	int at = indent + (int)strlen(lead);

	fprintf(f, "%*s%s", indent, "", lead);
	for (d = ext_local_nets_default; d->cidr; d++) {
		int len = (int)strlen(d->cidr) + 1; /* and its ',' or ')' */

		if (at + 1 + len > width) {
			fprintf(f, "\n%*s", indent, "");
			at = indent;
		} else {
			fputc(' ', f);
			at++;
		}
		fprintf(f, "%s%c", d->cidr, d[1].cidr ? ',' : ')');
		at += len;
	}
	fputc('\n', f);
}
