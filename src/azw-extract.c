/* azw-extract - Zeek log records to feature vectors: read Zeek logs in any
 * format Zeek writes (TSV, JSON, JSON-streaming, Kafka; zeeklog.h tells them
 * apart line by line) from files or standard input, write a vector stream
 * (vecstream.h).
 *
 * What a Zeek operator feeds it and gets:
 *   - `cat *.log | azw-extract -m conn`, a JSON-streaming log of every type,
 *     or a Kafka topic of several: records whose log type (JSON _path, TSV
 *     #path, Kafka key) names another type are skipped and counted in one
 *     summary line, not reported one by one, and do not change the exit
 *     status: they are not broken, just not ours.
 *   - without -m, the first record's log type picks the module; a record
 *     with no log type at all (plain JSON, TSV without #path) can't, and
 *     that is an error that asks for -m.
 *   - a log type "names" a module when it equals it or has it as one of
 *     its _ - . separated parts: path_func splits (conn-internal), packages
 *     that log the same records (conn_long, RITA's open_conn).
 *   - each file brings its own TSV header: rows of a file are never read
 *     under another file's #fields (on stdin, cat's stream is one file).
 *   - every broken line is reported as FILE:LINE: reason and skipped; the
 *     stream goes on; exit status 1 says some were.
 */
#include "follow.h"
#include "context.h"
#include "linebuf.h"
#include "modules/any.h"
#include "modules/extended.h"
#include "modules/modules.h"
#include "posfile.h"
#include "util.h"
#include "vecrecord.h"
#include "zeeklog.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void local_nets(const char *spec)
{
	char why[AZW_REASON_MAX];

	if (ext_local_nets_set(spec, why) < 0)
		eprintf("--local-nets: %s", why);
}

static void usage(FILE *f)
{
	const azw_module *const *m;

	fprintf(f,
	    "usage: azw-extract [-m MODULE] [--schema SCHEMA] [--format FORMAT]\n"
	    "                   [--local-nets CIDR,...] [--context WHICH] [FILE...]\n"
	    "       azw-extract [-m MODULE] [--schema SCHEMA] [--format FORMAT]\n"
	    "                   [--local-nets CIDR,...] [--context WHICH]\n"
	    "                   [--position POSFILE] [--from-end] -F FILE\n"
	    "       azw-extract --features [-m MODULE] [--schema SCHEMA]\n"
	    "Read Zeek logs from the FILEs in order, or from standard input (also for\n"
	    "FILE -), and write one feature vector per record to standard output, as a\n"
	    "vector stream for azw-fit and azw-score; with -F, follow one live log.\n"
	    "  -m, --module MODULE  the log type (any case); default: the log type of\n"
	    "                       the first record (_path, #path or the Kafka key).\n"
	    "                       any, or a log type without a module of its own\n"
	    "                       (notice, weird...): the generic module, its\n"
	    "                       columns from the log's own field types\n"
	    "      --schema SCHEMA  feature schema (see Modules below; the first listed\n"
	    "                       is the default)\n"
	    "      --format FORMAT  auto (the default), json or tsv\n"
	    "      --local-nets CIDR,...  the local networks, for the extended schema's\n"
	    "                       direction when a log has no local_orig/local_resp:\n"
	    "                       IPv4/IPv6 CIDRs; 'default,CIDR...' adds to the\n");
	azw_local_nets_help(f, "default, 'none' empties it (default:", 23, 76);
	fprintf(f,
	    "      --context WHICH  default: a schema's context features (what each\n"
	    "                       source, its pairs and its services have been\n"
	    "                       doing lately) follow its per-record ones; none: leave\n"
	    "                       them out (only the extended schemas have them)\n"
	    "  -F, --follow FILE    follow FILE as tail -F does, across rotation and\n"
	    "                       truncation, from its start, losing no line; never\n"
	    "                       ends by itself: SIGTERM, SIGINT or SIGHUP end it\n"
	    "      --features       print each schema's features instead (of MODULE,\n"
	    "                       of SCHEMA): name, column and meaning, a line each\n"
	    "                       (azw-features(7) is made from it)\n"
	    "      --position POSFILE  with -F: resume where POSFILE says FILE was read\n"
	    "                       to, and write #position lines into the stream for\n"
	    "                       azw-score --position POSFILE to save once the\n"
	    "                       records before them are scored (see azw-extract(1))\n"
	    "      --from-end       with -F and no saved position: start at the end of\n"
	    "                       FILE, not its start\n"
	    "  -h, --help           this help\n"
	    "Formats, told apart line by line without --format: Zeek TSV (the ASCII\n"
	    "writer's default, with its # header blocks: several may follow each other,\n"
	    "as in cat of rotated logs), Zeek JSON lines, JSON-streaming logs (_path,\n"
	    "_write_ts, ISO 8601 times) and zeek-kafka's {\"conn\": {...}} records.\n"
	    "Records of another log type (a JSON _path, a TSV block's #path or a Kafka\n"
	    "key that names another type, as in cat *.log) are skipped and counted,\n"
	    "not reported one by one. A log type names the module if it equals it or\n"
	    "has it as a part separated by _ - or . (conn_long, open_conn: conn).\n"
	    "A record with no log type is read as the module's; but a first record with\n"
	    "another type's fields and none of the module's is refused, and none of the\n"
	    "module's fields in the first 100 records gives a warning.\n"
	    "Modules:\n");
	for (m = azw_modules(); *m; m++) {
		int i;
		fprintf(f, "  %-11s %s; schemas:", (*m)->name, (*m)->summary);
		for (i = 0; i < (*m)->n_schemas; i++)
			fprintf(f, " %s", (*m)->schemas[i].name);
		fputc('\n', f);
	}
	fprintf(f,
	    "A line that is not a usable record (broken JSON, a TSV row with the wrong\n"
	    "number of columns or no header, a line over 1 MiB, a NUL byte, a field a\n"
	    "module cannot use) is reported on standard error as FILE:LINE: reason,\n"
	    "and skipped; of one kind of reason, the first 100 lines, then one line\n"
	    "\"... and N more like: ...\". Gzip-compressed input is refused in one line:\n"
	    "decompress it first (zcat).\n"
	    "A write error (a full disk; its reader gone while SIGPIPE is ignored)\n"
	    "stops it at once, with a message.\n"
	    "Exit status: 0 ok, 1 some records were skipped, 2 usage or system error.\n");
}

#define N_OTHER_NAMES 6
#define N_KINDS 16      /* kinds of message counted */
#define MAX_SAME 100    /* messages of one kind shown */

/* Fields only a module's own log has: when none shows in a stream's first
 * records, the stream is likely another log type (plain JSON, with no
 * _path to tell), and when every record has two or more of another
 * module's, it certainly is. */
#define SIG_RECORDS 100
static const struct {
	const char *module, *fields[4];
} signature[] = {
	{ "conn", { "conn_state", "history", "orig_pkts", "resp_pkts" } },
	{ "dns", { "query", "qtype_name", "rcode_name", "trans_id" } },
	{ "http", { "method", "uri", "status_code", "request_body_len" } },
	{ "ssh", { "auth_success", "auth_attempts", "client", "server" } },
	{ "ssl", { "cipher", "server_name", "established", "resumed" } },
	{ "smb_mapping", { "share_type", "native_file_system", "service", "path" } },
	{ "smb_files", { "action", "prev_name", "times.modified", "times.created" } },
	{ "dce_rpc", { "named_pipe", "endpoint", "operation", "rtt" } },
	{ "ntlm", { "hostname", "domainname", "server_nb_computer_name", "server_dns_computer_name" } },
	{ "kerberos", { "request_type", "till", "forwardable", "renewable" } },
	{ "rdp", { "cookie", "security_protocol", "keyboard_layout", "client_build" } },
	{ "smtp", { "helo", "mailfrom", "rcptto", "last_reply" } },
	{ "x509", { "fingerprint", "certificate.version", "certificate.serial", "certificate.subject" } },
};
#define N_SIG (int)(sizeof signature / sizeof *signature)

/* The state of one run, across all input files. */
typedef struct {
	const azw_module *mod;     /* NULL until given or detected */
	int generic;               /* the generic module: mod is azw_module_any
	                              from its first record on */
	const char *log_type;      /* generic: the log type (-m rdp, or the first
	                              record's); NULL: any (not known) */
	char *log_type_buf;        /* log_type when it is ours to free */
	const char *schema_name;   /* --schema, or NULL for the default */
	const azw_schema *schema;
	zl_rec *rec;
	double *x;                 /* n_x: per-record features, then context */
	int n_x;
	int no_context;            /* --context none */
	ctx_run *ctx;              /* the context state of this run, or NULL */
	const char **names;        /* n_x feature names */
	long records, skipped;     /* of the module's log type */
	long other;                /* records of other log types */
	char other_names[N_OTHER_NAMES][24];
	int n_other_names;
	int status;                /* 2 after a system error */
	/* messages of one kind (a reason up to its first ':' or '"'): the
	 * first MAX_SAME are shown, the rest counted and summed up at the end */
	struct { char key[64], last[AZW_REASON_MAX]; long n; } kinds[N_KINDS];
	int n_kinds;
	/* the module's own fields in the first SIG_RECORDS records */
	long sig_records, sig_own;
	long sig_other[N_SIG];  /* records with 2 or more of another's */
	int sig_said;
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
	const ctx_spec *cs = r->no_context ? NULL : azw_context_find(mod->name, r->schema->name);
	int n = r->schema->n_features, i;

	/* context rows follow the record's own; their state lives for the run */
	r->n_x = n + (cs ? cs->columns->n_cols : 0);
	r->names = ecalloc((size_t)r->n_x, sizeof *r->names);
	for (i = 0; i < n; i++)
		r->names[i] = r->schema->features[i].name;
	if (cs) {
		for (i = 0; i < cs->columns->n_cols; i++)
			r->names[n + i] = cs->columns->cols[i].name;
		r->ctx = ctx_run_new(cs, 0);
	}
	r->x = ecalloc((size_t)r->n_x, sizeof *r->x);
	vec_write_header(stdout, r->generic && r->log_type ? r->log_type : mod->name,
	                 r->schema->name, r->n_x, r->names);
}

/* The generic module's columns come from its first record (or, at the end
 * of an input without any, from the built-in table alone). */
static void start_generic(run *r, zl_rec *rec)
{
	any_begin(r->log_type, rec);
	start(r, &azw_module_any);
}

/* Does a log type name this module? Zeek's own names are the module's
 * (conn), and so are the names a path_func or a package gives the same
 * records: the module's name as whole parts of it, between _ - or .
 * (conn_long, conn-internal, RITA's open_conn; smb_files_2). */
static int names_module(const char *type, const azw_module *mod)
{
	size_t n = strlen(mod->name);
	const char *p;

	for (p = type; *p; p++)
		if ((p == type || strchr("_-.", p[-1])) && strncasecmp(p, mod->name, n) == 0 &&
		    (p[n] == '\0' || strchr("_-.", p[n])))
			return 1;
	return 0;
}

/* Without -m: the module named by the first record's log type. */
static void detect(run *r, const char *path, long lineno)
{
	const char *type = zl_rec_path(r->rec);
	const azw_module *const *m;

	if (!type)
		eprintf("%s:%ld: cannot tell the log type (no %s): use -m MODULE", path, lineno,
		        zl_rec_format(r->rec) == ZL_FMT_TSV ? "#path header" : "_path field");
	for (m = azw_modules(); *m && *m != &azw_module_any; m++)
		if (names_module(type, *m))
			break;
	if (*m && *m != &azw_module_any) {
		start(r, *m);
		return;
	}
	if (!any_name_ok(type))
		eprintf("%s:%ld: no module for log type '%.60s': use -m MODULE", path, lineno, type);
	r->generic = 1;
	r->log_type = r->log_type_buf = estrdup(type);
}

/* A record of another log type: counted, its type noted for the summary. */
static void other_type(run *r, const char *type)
{
	int i;

	r->other++;
	for (i = 0; i < r->n_other_names; i++)
		if (strncmp(r->other_names[i], type, sizeof r->other_names[i] - 1) == 0)
			return;
	if (r->n_other_names < N_OTHER_NAMES)
		snprintf(r->other_names[r->n_other_names++], sizeof r->other_names[0], "%s", type);
}

static void write_row(run *r)
{
	char pbuf[2][32];
	const char *id[VEC_N_ID];

	/* x509 has no uid or id.*: its fingerprint, as the generic module's */
	if (r->generic || r->mod == &azw_module_x509)
		any_record_ids(r->rec, id, pbuf);
	else
		vec_record_ids(r->rec, id, pbuf);
	vec_write_row(stdout, id, r->x, r->n_x);
	out_check(stdout);
}

/* Say why a line is skipped; of one kind of reason, only the first
 * MAX_SAME (binary garbage gives thousands of the same). */
static void say(run *r, const char *path, long lineno, const char *why)
{
	size_t k = strcspn(why, ":\"");
	int i;

	if (k >= sizeof r->kinds[0].key)
		k = sizeof r->kinds[0].key - 1;
	for (i = 0; i < r->n_kinds; i++)
		if (strlen(r->kinds[i].key) == k && strncmp(r->kinds[i].key, why, k) == 0)
			break;
	if (i == r->n_kinds && i < N_KINDS) {
		snprintf(r->kinds[i].key, sizeof r->kinds[i].key, "%.*s", (int)k, why);
		r->kinds[i].n = 0;
		r->n_kinds++;
	}
	if (i < N_KINDS && ++r->kinds[i].n > MAX_SAME) {
		snprintf(r->kinds[i].last, sizeof r->kinds[i].last, "%s:%ld: %s", path, lineno, why);
		return;
	}
	weprintf("%s:%ld: %s", path, lineno, why);
}

static void skip(run *r, const char *path, long lineno, const char *why)
{
	say(r, path, lineno, why);
	r->skipped++;
}

static int has_field(zl_rec *rec, const char *name)
{
	return zl_get_static(rec, name).type != ZL_ABSENT;
}

/* Is the stream the module's? Counted over its first SIG_RECORDS records;
 * said once, at the end of them (or of the input: signature_end). */
static void signature_verdict(run *r, const char *path)
{
	int i, own = -1;

	if (r->sig_said || r->sig_own > 0)
		return;
	r->sig_said = 1;
	for (i = 0; i < N_SIG; i++)
		if (strcmp(signature[i].module, r->mod->name) == 0)
			own = i;
	if (own < 0)
		return;
	weprintf("warning: %s: none of the first %ld records has a field of %s's own (%s, %s, "
	         "%s, %s): is this a %s log? (-m names the log type)", path, r->sig_records,
	         r->mod->name, signature[own].fields[0], signature[own].fields[1],
	         signature[own].fields[2], signature[own].fields[3], r->mod->name);
}

static void signature_check(run *r, const char *path, long lineno)
{
	int i, j;

	r->sig_records++;
	for (i = 0; i < N_SIG; i++) {
		int n = 0;

		for (j = 0; j < 4; j++)
			n += has_field(r->rec, signature[i].fields[j]);
		if (strcmp(signature[i].module, r->mod->name) == 0)
			r->sig_own += n > 0;
		else
			r->sig_other[i] += n >= 2;
	}
	/* certain: the first record has none of ours and two or more of
	 * another module's fields: refused before any vector is written */
	if (r->sig_records == 1 && r->sig_own == 0)
		for (i = 0; i < N_SIG; i++)
			if (r->sig_other[i] == 1)
				eprintf("%s:%ld: a %s record, not %s (fields %s, %s...; none of %s's own): "
				        "use -m %s", path, lineno, signature[i].module, r->mod->name,
				        signature[i].fields[0], signature[i].fields[1], r->mod->name,
				        signature[i].module);
	if (r->sig_records == SIG_RECORDS)
		signature_verdict(r, path);
}

/* One non-blank line: a header, a record, or a reason to skip it. */
static void record(run *r, const char *path, long lineno, char *line, size_t len)
{
	char why[AZW_REASON_MAX];
	zl_kind k = zl_read(r->rec, line, len);
	const char *type;

	if (k == ZL_HEADER)
		return;
	if (!r->mod && !r->generic && k == ZL_RECORD)
		detect(r, path, lineno);
	type = zl_rec_path(r->rec);
	if (r->generic && type && r->log_type && strcasecmp(type, r->log_type) != 0) {
		other_type(r, type); /* a generic log type is named exactly */
		return;
	}
	if (r->generic && !r->mod && k == ZL_RECORD) {
		if (!r->log_type && type && any_name_ok(type))
			r->log_type = r->log_type_buf = estrdup(type); /* -m any: the first record's */
		start_generic(r, r->rec);
	}
	if (r->mod && !r->generic && type && !names_module(type, r->mod)) {
		other_type(r, type);
		return;
	}
	r->records++;
	if (k == ZL_RECORD && !r->generic && r->sig_records < SIG_RECORDS)
		signature_check(r, path, lineno);
	if (k == ZL_BROKEN)
		skip(r, path, lineno, zl_rec_error(r->rec));
	else if (r->schema->extract(r->schema, r->rec, r->x, why) < 0)
		skip(r, path, lineno, why);
	else if (r->ctx && ctx_run_record(r->ctx, r->rec, r->x,
	                                  r->x + r->schema->n_features, why) < 0)
		skip(r, path, lineno, why);
	else
		write_row(r);
}

/* Lines that linebuf dropped for being too long, since the last look. */
static void report_long(run *r, const char *path, const linebuf *lb, long *seen, long next)
{
	char why[80];

	for (; *seen < lb->n_long; (*seen)++) {
		snprintf(why, sizeof why, "line longer than %zu bytes (not a Zeek record)", lb->max_line);
		skip(r, path, next - (lb->n_long - *seen), why);
		r->records++;
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
	lb.max_line = (size_t)ZL_MAX_LINE;
	zl_rec_new_file(r->rec);
	while ((rc = lb_getline(&lb, &line, &len)) == 1) {
		if (lb.lineno == 1 && len >= 2 && (unsigned char)line[0] == 0x1f &&
		    (unsigned char)line[1] == 0x8b) {
			/* gzip's magic: not a log, thousands of errors of bytes */
			weprintf("%s: gzip-compressed: decompress it first (zcat %s | azw-extract ...)",
			         path, strcmp(path, "stdin") ? path : "FILE");
			r->status = 2;
			break;
		}
		report_long(r, path, &lb, &n_long, lb.lineno);
		if (!lb_blank(line, len))
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

static volatile sig_atomic_t stop_follow;

static void on_stop(int sig)
{
	(void)sig;
	stop_follow = 1;
}

static long watch_pid; /* AZW_WATCH_PID: the azw-watch we belong to, or 0 */

/* Under azw-watch, end when it is gone (kill -9 of it outside systemd left
 * us running). */
static void watch_check(void)
{
	if (watch_pid > 0 && !stop_follow && getppid() != (pid_t)watch_pid) {
		weprintf("azw-watch (PID %ld) is gone: stopping", watch_pid);
		stop_follow = 1;
	}
}

/* While the followed file is idle: write what there is, and end if it
 * cannot be written or nobody reads it any more. */
static void flush_output(void *f)
{
	fflush(f);
	out_check(f);
	if (out_gone(fileno(f)))
		out_closed();
	watch_check();
}

/* --position: where the followed file has been read to, as a "#position"
 * line in the vector stream, after the rows of every line before it; the
 * scorer saves it once it has written their scores (azw-vectors(5)). At
 * most one a second while lines flow, and one when the file goes idle;
 * none while it has not moved. */
typedef struct {
	follow *f;
	const run *r;
	double at;                   /* monotonic time of the last one */
	char last[FOLLOW_POS_MAX];   /* its text */
} marker;

static double mono_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* The text up to its look time (which changes at every look). */
static size_t moved_part(const char *pos)
{
	const char *sp = strrchr(pos, ' ');

	return sp ? (size_t)(sp - pos) : strlen(pos);
}

static void write_position(void *arg, int idle)
{
	marker *m = arg;
	char pos[FOLLOW_POS_MAX];
	double now = mono_now();
	size_t k;

	if (!idle) {
		watch_check(); /* (flush_output's, while lines flow) */
		if (now < m->at + 1.0)
			return;
	}
	if (!m->r->mod || follow_position(m->f, pos, sizeof pos) < 0)
		return; /* no stream header yet */
	k = moved_part(pos);
	if (k == moved_part(m->last) && memcmp(pos, m->last, k) == 0)
		return;
	fprintf(stdout, "#position\t%s\n", pos);
	memcpy(m->last, pos, strlen(pos) + 1);
	m->at = now;
}

/* -F: one file followed across rotation (follow.h) until a signal. A
 * rotated file is still read for a while, beside the new one: each has its
 * own record reader, so a TSV row is read under its own file's header. */
static void run_follow(run *r, const char *path, zl_format format, const char *posfile,
                       int from_end)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP };
	zl_rec *recs[FOLLOW_MAX_SRC] = { 0 }, *rec0 = r->rec;
	struct sigaction sa, old;
	static marker mk;
	char saved[FOLLOW_POS_MAX];
	int have = 0;
	follow f;
	char *line;
	size_t len;
	int i;

	memset(&sa, 0, sizeof sa);
	/* SA_RESTART: a write(2) into a full pipe, interrupted, goes on (else
	 * stdio gives up with EINTR and a cut line reaches the scorer); the
	 * follower's wait, nanosleep(2), ends at once all the same. */
	sa.sa_handler = on_stop;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < 3; i++) /* sh starts background jobs with SIGINT ignored: keep it so */
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
			sigaction(sigs[i], &sa, NULL);
	if (getenv("AZW_WATCH_PID") && (watch_pid = atol(getenv("AZW_WATCH_PID"))) > 0 &&
	    getppid() != (pid_t)watch_pid)
		watch_pid = 0; /* not started by it: not ours to watch */
	if (posfile && (have = posfile_read(posfile, saved, sizeof saved)) < 0) {
		r->status = 2;
		return;
	}
	if (follow_open(&f, path, 0, 0, (size_t)ZL_MAX_LINE, &stop_follow) < 0) {
		weprintf("%s:", path);
		r->status = 2;
		return;
	}
	if (follow_resume(&f, have ? saved : NULL, from_end) < 0) {
		weprintf("%s: remove it to start again from %s's start", posfile, path);
		follow_close(&f);
		r->status = 2;
		return;
	}
	f.idle = flush_output;
	f.idle_arg = stdout;
	if (posfile) {
		mk.f = &f;
		mk.r = r;
		if (have)
			memcpy(mk.last, saved, strlen(saved) + 1);
		f.checkpoint = write_position;
		f.checkpoint_arg = &mk;
	}
	while (follow_getline(&f, &line, &len) == 1) {
		if (!recs[f.slot]) {
			recs[f.slot] = zl_rec_new();
			zl_rec_set_format(recs[f.slot], format);
		} else if (f.first) {
			zl_rec_new_file(recs[f.slot]);
		}
		r->rec = recs[f.slot];
		if (!lb_blank(line, len))
			record(r, path, f.lineno, line, len);
	}
	if (!stop_follow)
		r->status = 2; /* a read error, reported */
	else if (posfile)
		write_position(&mk, 1); /* every line returned is written: the last */
	r->records += f.n_long;
	r->skipped += f.n_long;
	r->rec = rec0;
	follow_close(&f);
	for (i = 0; i < FOLLOW_MAX_SRC; i++)
		if (recs[i])
			zl_rec_free(recs[i]);
}

static zl_format parse_format(const char *s)
{
	if (strcasecmp(s, "auto") == 0)
		return ZL_FMT_AUTO;
	if (strcasecmp(s, "json") == 0)
		return ZL_FMT_JSON;
	if (strcasecmp(s, "tsv") == 0)
		return ZL_FMT_TSV;
	eprintf("unknown format '%s' (auto, json or tsv)", s);
}

static void summary(const run *r)
{
	char names[N_OTHER_NAMES * 26 + 8] = "";
	int i;

	for (i = 0; i < r->n_kinds; i++)
		if (r->kinds[i].n > MAX_SAME)
			weprintf("... and %ld more like: %s", r->kinds[i].n - MAX_SAME, r->kinds[i].last);

	if (r->other > 0) {
		for (i = 0; i < r->n_other_names; i++)
			snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s",
			         i ? ", " : "", r->other_names[i]);
		if (r->n_other_names == N_OTHER_NAMES)
			strcat(names, ", ...");
		weprintf("%ld records of other log types (%s) skipped", r->other, names);
	}
	if (r->skipped > 0)
		weprintf("%ld of %ld records skipped", r->skipped, r->records);
}

static char outbuf[1 << 16]; /* stdout's */

/* main reads as azw-extract's pipeline: options, their checks, the
 * modules started, each input read, the summary and the exit status;
 * most of its length is the option table and switch, one case a line. */
int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "module", required_argument, 0, 'm' },
		{ "schema", required_argument, 0, 's' },
		{ "format", required_argument, 0, 'f' },
		{ "local-nets", required_argument, 0, 'l' },
		{ "context", required_argument, 0, 'c' },
		{ "follow", required_argument, 0, 'F' },
		{ "features", no_argument, 0, 'L' },
		{ "position", required_argument, 0, 'P' },
		{ "from-end", no_argument, 0, 'E' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	run r = { 0 };
	const char *module = NULL, *follow_path = NULL, *posfile = NULL;
	int from_end = 0;
	zl_format format = ZL_FMT_AUTO;
	int c, i, features = 0;

	argv0 = argv[0] = "azw-extract"; /* getopt names us in its messages too */
	while ((c = getopt_long(argc, argv, "m:F:h", opts, NULL)) != -1) {
		switch (c) {
		case 'm': module = optarg; break;
		case 's': r.schema_name = optarg; break;
		case 'f': format = parse_format(optarg); break;
		case 'l': local_nets(optarg); break;
		case 'c':
			if (strcasecmp(optarg, "none") && strcasecmp(optarg, "default"))
				eprintf("--context: '%s' is not none or default", optarg);
			r.no_context = strcasecmp(optarg, "none") == 0;
			break;
		case 'F': follow_path = optarg; break;
		case 'L': features = 1; break;
		case 'P': posfile = optarg; break;
		case 'E': from_end = 1; break;
		case 'h': usage(stdout); return 0;
		default: return usage_hint();
		}
	}
	/* 64 KiB writes: with stdio's 4 KiB to a pipe, write(2) and the
	 * reader's wake-ups were a tenth of the pipeline's time. Liveness is
	 * the idle flush's job (linebuf, follow), not the buffer size's.
	 * (glibc ignores the size unless given the buffer.) */
	setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
	if (follow_path && optind < argc) {
		weprintf("--follow takes one FILE, and no other");
		return usage_hint();
	}
	if ((posfile || from_end) && !follow_path) {
		weprintf("%s is for a followed file: give -F FILE", posfile ? "--position" : "--from-end");
		return usage_hint();
	}
	if (module && !azw_module_find(module) && !any_name_ok(module))
		eprintf("unknown module '%s' (see azw-extract --help)", module);
	if (module && (!azw_module_find(module) || azw_module_find(module) == &azw_module_any)) {
		r.generic = 1; /* -m any, or a log type without a module of its own */
		r.log_type = strcasecmp(module, "any") ? module : NULL;
	}
	if (r.schema_name && !schema_known(r.generic ? "any" : module, r.schema_name))
		eprintf("unknown schema '%s' (see azw-extract --help)", r.schema_name);
	if (features) {
		if (r.generic)
			azw_features_print_any(stdout, r.log_type);
		else
			azw_features_print(stdout, module, r.schema_name);
		return fshut_stdout() < 0 ? 2 : 0;
	}

	azw_modules_init();
	r.rec = zl_rec_new();
	zl_rec_set_format(r.rec, format);
	if (module && !r.generic)
		start(&r, azw_module_find(module));
	if (follow_path)
		run_follow(&r, follow_path, format, posfile, from_end);
	else if (optind == argc)
		run_file(&r, "-");
	for (i = optind; i < argc; i++)
		run_file(&r, argv[i]);

	if (r.generic && !r.mod)
		start_generic(&r, NULL); /* no record: a header all the same */
	if (r.mod && r.sig_records > 0 && r.sig_records < SIG_RECORDS)
		signature_verdict(&r, follow_path ? follow_path : optind < argc ? argv[argc - 1] : "stdin");
	summary(&r);
	zl_rec_free(r.rec);
	free(r.x);
	free(r.names);
	free(r.log_type_buf);
	ctx_run_free(r.ctx);
	if (fshut_stdout() < 0)
		r.status = 2;
	return r.status ? r.status : r.skipped ? 1 : 0;
}
