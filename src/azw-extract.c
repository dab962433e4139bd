/* azw-extract - Zeek log records to feature vectors: read Zeek JSON lines
 * from files or standard input, write a vector stream (vecstream.h). */
#include "linebuf.h"
#include "modules/modules.h"
#include "util.h"
#include "vecstream.h"
#include "zeeklog.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *f)
{
	const azw_module *const *m;

	fprintf(f,
	    "usage: azw-extract [-m MODULE] [--schema SCHEMA] [FILE...]\n"
	    "Read Zeek JSON logs (one object per line) from the FILEs in order, or from\n"
	    "standard input (also for FILE -), and write one feature vector per record\n"
	    "to standard output, as a vector stream for azw-fit and azw-score.\n"
	    "  -m, --module MODULE  the log type (any case); default: the _path field\n"
	    "                       of the first record\n"
	    "      --schema SCHEMA  feature schema: original (AutoZeekWatch's columns;\n"
	    "                       the default for now, the only one so far)\n"
	    "  -h, --help           this help\n"
	    "Modules:\n");
	for (m = azw_modules(); *m; m++)
		fprintf(f, "  %-8s %s\n", (*m)->name, (*m)->summary);
	fprintf(f,
	    "A line that is not a usable record is reported on standard error as\n"
	    "FILE:LINE: reason, and skipped.\n"
	    "Exit status: 0 ok, 1 some records were skipped, 2 usage or system error.\n");
}

/* The state of one run, across all input files. */
typedef struct {
	const azw_module *mod;     /* NULL until given or detected */
	const char *schema_name;   /* --schema, or NULL for the default */
	const azw_schema *schema;
	int detected;              /* mod came from _path */
	zl_rec *rec;
	double *x;
	long records, skipped;
	int status;                /* 2 after a system error */
} run;

static const azw_schema *pick_schema(const azw_module *mod, const char *name)
{
	const azw_schema *s = azw_schema_find(mod, name);
	int i;

	if (!s) {
		weprintf("unknown schema '%s' for module %s; known:", name, mod->name);
		for (i = 0; i < mod->n_schemas; i++)
			fprintf(stderr, " %s", mod->schemas[i].name);
		fputc('\n', stderr);
		exit(2);
	}
	return s;
}

/* Does any module (or the given one) have this schema? */
static int schema_known(const char *module, const char *name)
{
	const azw_module *const *m;

	for (m = azw_modules(); *m; m++)
		if ((!module || strcasecmp(module, (*m)->name) == 0) && azw_schema_find(*m, name))
			return 1;
	return 0;
}

static void start(run *r, const azw_module *mod)
{
	r->mod = mod;
	r->schema = pick_schema(mod, r->schema_name);
	r->x = ecalloc((size_t)r->schema->n_features, sizeof *r->x);
	vec_write_header(stdout, mod->name, r->schema->name,
	                 r->schema->n_features, r->schema->features);
}

/* Without -m: the module named by the first record's _path. */
static void detect(run *r, const char *path, long lineno)
{
	zl_value p = zl_get(r->rec, "_path");
	const azw_module *mod;

	if (p.type != ZL_STRING || !p.s)
		eprintf("%s:%ld: cannot tell the log type (no _path field): use -m MODULE",
		        path, lineno);
	if (!(mod = azw_module_find(p.s)))
		eprintf("%s:%ld: no module for log type '%.60s' (_path): use -m MODULE",
		        path, lineno, p.s);
	r->detected = 1;
	start(r, mod);
}

/* An identity column as text: strings as they are, numbers as written
 * (ports as integers), NULL where the record has no value. */
static const char *id_text(zl_rec *rec, const char *name, char *buf, int integer)
{
	zl_value v = zl_get(rec, name);
	double d;

	switch (v.type) {
	case ZL_STRING:
		return v.s;
	case ZL_NUMBER:
		d = strtod(v.s, NULL);
		if (integer && d == floor(d) && fabs(d) < 9007199254740992.0) {
			snprintf(buf, 32, "%lld", (long long)d);
			return buf;
		}
		return v.s;
	case ZL_BOOL:
		return v.b ? "T" : "F";
	default:
		return NULL;
	}
}

static void write_row(run *r)
{
	char pbuf[2][32];
	const char *id[VEC_N_ID];

	id[0] = id_text(r->rec, "ts", NULL, 0);
	id[1] = id_text(r->rec, "uid", NULL, 0);
	id[2] = id_text(r->rec, "id.orig_h", NULL, 0);
	id[3] = id_text(r->rec, "id.orig_p", pbuf[0], 1);
	id[4] = id_text(r->rec, "id.resp_h", NULL, 0);
	id[5] = id_text(r->rec, "id.resp_p", pbuf[1], 1);
	id[6] = id_text(r->rec, "proto", NULL, 0);
	vec_write_row(stdout, id, r->x, r->schema->n_features);
}

static void skip(run *r, const char *path, long lineno, const char *why)
{
	weprintf("%s:%ld: %s", path, lineno, why);
	r->skipped++;
}

/* One non-blank line: a record, or a reason to skip it. */
static void record(run *r, const char *path, long lineno, char *line, size_t len)
{
	char why[AZW_REASON_MAX];
	zl_value p;

	r->records++;
	if (zl_json_parse(r->rec, line, len) < 0) {
		skip(r, path, lineno, zl_rec_error(r->rec));
		return;
	}
	if (!r->mod)
		detect(r, path, lineno);
	/* A detected type is checked on every record (a JSON-streaming mix of
	 * logs); -m is the user's word and is not second-guessed. */
	if (r->detected && (p = zl_get(r->rec, "_path")).type == ZL_STRING && p.s &&
	    strcasecmp(p.s, r->mod->name) != 0) {
		snprintf(why, sizeof why, "a '%.60s' record (_path) in a %s log", p.s, r->mod->name);
		skip(r, path, lineno, why);
	} else if (r->schema->extract(r->rec, r->x, why) < 0) {
		skip(r, path, lineno, why);
	} else {
		write_row(r);
	}
}

static int blank(const char *s, size_t n)
{
	for (; n > 0; s++, n--)
		if (*s != ' ' && *s != '\t' && *s != '\r')
			return 0;
	return 1;
}

/* Lines that linebuf dropped for being too long, since the last look. */
static void report_long(run *r, const char *path, const linebuf *lb, long *seen, long next)
{
	for (; *seen < lb->n_long; (*seen)++) {
		weprintf("%s:%ld: line longer than %ld bytes", path, next - (lb->n_long - *seen),
		         (long)LB_MAX_LINE);
		r->records++;
		r->skipped++;
	}
}

static void run_file(run *r, const char *arg)
{
	const char *path = strcmp(arg, "-") ? arg : "stdin";
	int fd = strcmp(arg, "-") ? open(arg, O_RDONLY) : 0;
	linebuf lb;
	char *line;
	size_t len;
	long n_long = 0;
	int rc;

	if (fd < 0) {
		weprintf("%s:", arg);
		r->status = 2;
		return;
	}
	lb_init(&lb, fd, stdout);
	while ((rc = lb_getline(&lb, &line, &len)) == 1) {
		report_long(r, path, &lb, &n_long, lb.lineno);
		if (!blank(line, len))
			record(r, path, lb.lineno, line, len);
	}
	report_long(r, path, &lb, &n_long, lb.lineno + 1);
	if (rc < 0) {
		weprintf("%s: read error:", path);
		r->status = 2;
	}
	lb_free(&lb);
	if (fd > 0)
		close(fd);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "module", required_argument, 0, 'm' },
		{ "schema", required_argument, 0, 's' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	run r = { 0 };
	const char *module = NULL;
	int c, i;

	argv0 = "azw-extract";
	while ((c = getopt_long(argc, argv, "m:h", opts, NULL)) != -1) {
		switch (c) {
		case 'm': module = optarg; break;
		case 's': r.schema_name = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (module && !azw_module_find(module))
		eprintf("unknown module '%s' (see azw-extract --help)", module);
	if (r.schema_name && !schema_known(module, r.schema_name))
		eprintf("unknown schema '%s' (see azw-extract --help)", r.schema_name);

	r.rec = zl_rec_new();
	if (module)
		start(&r, azw_module_find(module));
	if (optind == argc)
		run_file(&r, "-");
	for (i = optind; i < argc; i++)
		run_file(&r, argv[i]);

	if (r.skipped > 0)
		weprintf("%ld of %ld records skipped", r.skipped, r.records);
	zl_rec_free(r.rec);
	free(r.x);
	if (fshut_stdout() < 0)
		r.status = 2;
	return r.status ? r.status : r.skipped ? 1 : 0;
}
