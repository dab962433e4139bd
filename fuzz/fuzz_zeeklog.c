/* fuzz_zeeklog.c - the Zeek line readers as azw-extract drives them: lines
 * from a linebuf over the input, zl_read() (JSON, JSON-streaming, Kafka,
 * TSV with header blocks), then the module's extract(), its context
 * (ctx_run_record) and the identity columns written as a vector row.
 *
 * Each line is also parsed as JSON by both of zeeklog.c's paths, which
 * must agree (zl_json_check_fast()).
 *
 * Input: byte 0 picks the module (bits 0-2), the schema (bit 3), the format
 * forced (bits 4-5: auto, json, tsv, auto) and a small max_line (bit 6, to
 * exercise the over-long-line skip); byte 1 picks the context cap (1..256
 * keys, to exercise eviction); the rest is the log text. */
#include "fuzz_common.h"

#include <math.h>

#include "context.h"
#include "linebuf.h"
#include "modules/modules.h"
#include "vecrecord.h"
#include "zeeklog.h"

static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	argv0 = "fuzz_zeeklog";
	fuzz_quiet();
	azw_modules_init();
	devnull = fopen("/dev/null", "w");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const azw_module *const *mods = azw_modules();
	const azw_module *mod;
	const azw_schema *schema;
	const ctx_spec *cs;
	ctx_run *ctx = NULL;
	zl_rec *rec;
	linebuf lb;
	double *x;
	char *line, why[AZW_REASON_MAX], pbuf[2][32];
	const char *id[VEC_N_ID];
	size_t len;
	int n_mod = 0, n_x, fd, k;

	if (size < 2)
		return 0;
	while (mods[n_mod])
		n_mod++;
	mod = mods[(data[0] & 7) % n_mod];
	schema = &mod->schemas[((data[0] >> 3) & 1) % mod->n_schemas];
	cs = azw_context_find(mod->name, schema->name);
	n_x = schema->n_features + (cs ? cs->columns->n_cols : 0);
	x = ecalloc((size_t)n_x, sizeof *x);
	if (cs)
		ctx = ctx_run_new(cs, 1 + data[1]);
	rec = zl_rec_new();
	zl_rec_set_format(rec, (zl_format)(((data[0] >> 4) & 3) % 3));

	fd = fuzz_memfd(data + 2, size - 2);
	if (fd < 0)
		abort();
	lb_init(&lb, fd, NULL);
	lb.max_line = data[0] & 64 ? 256 : (size_t)ZL_MAX_LINE;
	zl_rec_new_file(rec);
	while (lb_getline(&lb, &line, &len) == 1) {
		zl_kind kind;

		if (len > lb.max_line)
			abort(); /* linebuf's promise */
		if (lb_blank(line, len))
			continue;
		if (zl_json_check_fast(line, len) == 1)
			abort(); /* the JSON fast path read a line otherwise than jsmn */
		kind = zl_read(rec, line, len);
		if (kind == ZL_HEADER)
			continue;
		(void)zl_rec_path(rec);
		if (kind == ZL_BROKEN) {
			if (!zl_rec_error(rec)[0])
				abort(); /* a broken line always has a reason */
			continue;
		}
		why[0] = '\0';
		if (schema->extract(schema, rec, x, why) < 0) {
			if (!why[0])
				abort();
			continue;
		}
		if (ctx && ctx_run_record(ctx, rec, x, x + schema->n_features, why) < 0)
			continue;
		for (k = 0; k < n_x; k++)
			if (!isfinite(x[k]))
				abort(); /* a vector stream never carries NaN/inf */
		vec_record_ids(rec, id, pbuf);
		vec_write_row(devnull, id, x, n_x);
	}
	lb_free(&lb);
	close(fd);
	zl_rec_free(rec);
	ctx_run_free(ctx);
	free(x);
	return 0;
}
