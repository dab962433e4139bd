/* azw-alert - incidents from score lines: the hosts and host pairs whose
 * records are unusual more often than chance; one JSON object per incident
 * when it opens and when it closes. */
#include "alert.h"
#include "linebuf.h"
#include "util.h"

#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_MESSAGES 10 /* bad-line messages; the rest are counted */

static void usage(FILE *f)
{
	fprintf(f,
	    "usage: azw-alert [--pvalue P] [--alpha A] [--min-unusual N] [--half-life S]\n"
	    "                 [--quiet S] [--max-span S] [--max-keys N] [--closed-only]\n"
	    "                 [--notice-weight W] [--stats] [FILE...]\n"
	    "Read score lines (from azw-score, of one module or azw-watch's mixed stream)\n"
	    "from the FILEs or standard input; write one JSON object per incident, a\n"
	    "source host (or host pair) whose records are unusual (pvalue < P) more often\n"
	    "than chance, when it opens and when it closes: ts ts_end entity id.orig_h\n"
	    "[id.resp_h] records unusual anomalies notices modules top features\n"
	    "significance state id.\n"
	    "  -p, --pvalue P       a record is unusual when its pvalue < P (with a\n"
	    "                       pvalue_context of 1: its pvalue_record), or anomaly\n"
	    "                       is true, or it is a notice (see --notice-weight)\n"
	    "                       (0.01)\n"
	    "  -a, --alpha A        open an incident when the binomial tail probability\n"
	    "                       of the host's unusual records falls below A (1e-6):\n"
	    "                       at most A*P*N false incidents per host-day of N\n"
	    "                       records (see azw-alert(1))\n"
	    "  -m, --min-unusual N  and it has at least N unusual records (3)\n"
	    "  -H, --half-life S    the counts decay by half in S seconds of log time (3600)\n"
	    "  -q, --quiet S        close an incident after S seconds of log time without\n"
	    "                       an unusual record of its host or pair (3600)\n"
	    "  -s, --max-span S     close an incident that has lasted S seconds (86400)\n"
	    "  -k, --max-keys N     hosts, and host pairs, kept at most (100000 each); the\n"
	    "                       least recently seen is forgotten\n"
	    "  -c, --closed-only    write only the closed incidents\n"
	    "  -n, --notice-weight W  a record of module notice (Zeek's own finding,\n"
	    "                       azw-extract -m notice) is unusual whatever its pvalue,\n"
	    "                       and counts for its host and pair as W unusual\n"
	    "                       records (3, as the strongest anomaly; 1 to 10); 0:\n"
	    "                       judged by its pvalue as any other record. A notice\n"
	    "                       is not calibrated: the false incident rate above\n"
	    "                       holds only for hosts without notices\n"
	    "      --stats          at the end, say on standard error how many keys and\n"
	    "                       incidents there were, and how many records had no\n"
	    "                       id.orig_h (Zeek tied them to no host: not counted)\n"
	    "  -h, --help           this help\n"
	    "Output is flushed whenever the input goes idle, so tail -F pipelines are live.\n"
	    "A write error (a full disk; its reader gone while SIGPIPE is ignored)\n"
	    "stops it at once, with a message.\n"
	    "Exit status: 0 ok, 1 some lines were skipped, 2 usage or system error.\n");
}

typedef struct {
	alert_run *a;
	long lines, bad, told, hostless;
	int status;
} run;

static void bad_line(run *r, const char *path, long lineno, const char *why)
{
	r->bad++;
	if (r->told++ < MAX_MESSAGES)
		weprintf("%s:%ld: %s", path, lineno, why);
}

/* A write error (full disk, a reader gone with SIGPIPE ignored) stops the
 * run at once. */
static void check_stdout(void)
{
	out_check(stdout);
}

static void run_file(run *r, const char *arg)
{
	const char *path = strcmp(arg, "-") ? arg : "stdin";
	int fd = strcmp(arg, "-") ? open(arg, O_RDONLY) : 0;
	long n_long = 0;
	linebuf lb;
	alert_rec rec;
	const char *why;
	char *line;
	size_t len;
	int rc, got;

	if (fd < 0) {
		weprintf("%s:", arg);
		r->status = 2;
		return;
	}
	lb_init(&lb, fd, stdout);
	lb.max_line = 1 << 20;
	while ((rc = lb_getline(&lb, &line, &len)) == 1) {
		for (; n_long < lb.n_long; n_long++) {
			r->lines++;
			bad_line(r, path, lb.lineno - (lb.n_long - n_long), "line longer than 1 MiB");
		}
		check_stdout();
		if (lb_blank(line, len))
			continue;
		r->lines++;
		got = alert_parse(line, len, &rec, &why);
		if (got < 0)
			bad_line(r, path, lb.lineno, why);
		else if (got == 1)
			r->hostless++;
		else
			alert_record(r->a, &rec);
	}
	for (; n_long < lb.n_long; n_long++) {
		r->lines++;
		bad_line(r, path, lb.lineno + 1 - (lb.n_long - n_long), "line longer than 1 MiB");
	}
	if (rc < 0) {
		weprintf("%s: read error:", path);
		r->status = 2;
	}
	lb_free(&lb);
	if (fd > 0)
		close(fd);
}

static char outbuf[1 << 16]; /* stdout's */

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pvalue", required_argument, 0, 'p' },
		{ "alpha", required_argument, 0, 'a' },
		{ "min-unusual", required_argument, 0, 'm' },
		{ "half-life", required_argument, 0, 'H' },
		{ "quiet", required_argument, 0, 'q' },
		{ "max-span", required_argument, 0, 's' },
		{ "max-keys", required_argument, 0, 'k' },
		{ "closed-only", no_argument, 0, 'c' },
		{ "notice-weight", required_argument, 0, 'n' },
		{ "stats", no_argument, 0, 'S' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	alert_opts o;
	alert_stats st;
	run r = { 0 };
	int c, i, stats = 0;

	argv0 = argv[0] = "azw-alert"; /* getopt names us in its messages too */
	alert_opts_default(&o);
	while ((c = getopt_long(argc, argv, "p:a:m:H:q:s:k:cn:h", opts, NULL)) != -1) {
		switch (c) {
		case 'p': o.p0 = earg_double("--pvalue", optarg, 1e-12, 0.5, 0); break;
		case 'a': o.alpha = earg_double("--alpha", optarg, 1e-300, 0.5, 0); break;
		case 'm': o.min_unusual = (double)earg_long("--min-unusual", optarg, 1, 1000000); break;
		case 'H': o.half_life = earg_double("--half-life", optarg, 1e-3, 1e9, 0); break;
		case 'q': o.quiet = earg_double("--quiet", optarg, 0, 1e9, 0); break;
		case 's': o.max_span = earg_double("--max-span", optarg, 0, 1e9, 0); break;
		case 'k': o.cap = (size_t)earg_long("--max-keys", optarg, 1, 100000000); break;
		case 'c': o.closed_only = 1; break;
		case 'n': o.notice_weight = earg_double("--notice-weight", optarg, 0, 10, 0); break;
		case 'S': stats = 1; break;
		case 'h': usage(stdout); return 0;
		default: return usage_hint();
		}
	}
	if (o.notice_weight > 0 && o.notice_weight < 1) {
		weprintf("--notice-weight: '%g' is neither 0 nor from 1 to 10", o.notice_weight);
		return usage_hint();
	}
	/* 64 KiB writes; liveness is the idle flush's job (linebuf). */
	setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);

	r.a = alert_new(&o, stdout);
	if (optind == argc)
		run_file(&r, "-");
	for (i = optind; i < argc; i++)
		run_file(&r, argv[i]);
	alert_finish(r.a);
	check_stdout();

	if (r.told > MAX_MESSAGES)
		weprintf("... and %ld more bad lines", r.told - MAX_MESSAGES);
	if (r.bad)
		weprintf("%ld of %ld lines skipped", r.bad, r.lines);
	if (stats) {
		alert_get_stats(r.a, &st);
		weprintf("hosts %zu (evicted %zu), pairs %zu (evicted %zu), cap %zu; "
		         "incidents opened %ld, closed %ld; spans %zu; records without a host %ld",
		         st.host_keys, st.host_evicted, st.pair_keys, st.pair_evicted, o.cap,
		         st.opened, st.closed, st.spans, r.hostless);
	}
	alert_free(r.a);
	if (fshut_stdout() < 0)
		return 2;
	return r.status ? r.status : r.bad ? 1 : 0;
}
