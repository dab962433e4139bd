/* azw-score - give every record of a vector stream an anomaly score with a
 * model from azw-fit; one JSON object per record. */
#include "model.h"
#include "posfile.h"
#include "score.h"
#include "split.h"
#include "util.h"
#include "vecstream.h"

#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXPLAIN_DEFAULT 3

static void usage(FILE *f)
{
	fprintf(f,
	    "usage: azw-score [--threshold X | --fpr F] [--alerts-only] [--explain[=K]]\n"
	    "                 [--line-buffered] [--position POSFILE] MODEL [FILE]\n"
	    "Score each record of a vector stream (from azw-extract) read from FILE or\n"
	    "standard input with MODEL (from azw-fit); write one JSON object per record:\n"
	    "ts uid id.orig_h id.orig_p id.resp_h id.resp_p proto module score, and with\n"
	    "a calibrated model threshold anomaly pctl pvalue; with a model of parts\n"
	    "(record and context) also pvalue_record pvalue_context.\n"
	    "  -t, --threshold X   anomaly when score > X (default: the model's)\n"
	    "  -f, --fpr F         threshold for false-positive rate F on the model's\n"
	    "                      held-out benign scores (the model's is 0.001)\n"
	    "  -a, --alerts-only   write only anomalous records; exit 0 if there were\n"
	    "                      any, 1 if none (as grep)\n"
	    "  -e, --explain[=K]   add the K features (3) with the largest\n"
	    "                      reconstruction error: name, value, error\n"
	    "  -l, --line-buffered write each line with one write(2) as soon as it is\n"
	    "                      scored (several scorers can share a pipe or an\n"
	    "                      O_APPEND file without mixing lines)\n"
	    "      --position POSFILE  save the #position lines of azw-extract -F\n"
	    "                      --position POSFILE's stream into POSFILE (atomically),\n"
	    "                      each once the scores of the records before it are\n"
	    "                      written: a restart resumes after them\n"
	    "  -h, --help          this help\n"
	    "Output is flushed whenever the input goes idle, so tail -F pipelines are live.\n"
	    "A write error (a full disk; its reader gone while SIGPIPE is ignored)\n"
	    "stops it at once, with a message.\n"
	    "Exit status: 0 ok, 1 some records were skipped, 2 usage or system error;\n"
	    "with --alerts-only: 0 some alerts, 1 none, 2 error.\n");
}

/* The k entries of err with the largest |error|, most first, into idx. */
static int top_errors(const double *err, int n, int k, int *idx)
{
	int i, j, m = 0;

	for (i = 0; i < n; i++) {
		double e = fabs(err[i]);

		if (m < k)
			m++;
		else if (!(e > fabs(err[idx[m - 1]])))
			continue;
		for (j = m - 1; j > 0 && e > fabs(err[idx[j - 1]]); j--)
			idx[j] = idx[j - 1];
		idx[j] = i;
	}
	return m;
}

static char outbuf[1 << 16]; /* stdout's */

/* The score line's key of each part's p-value, in model_part_names' order. */
static const char *const part_keys[MODEL_MAX_PARTS] = { "pvalue_record", "pvalue_context" };

/* The threshold of the score lines: --threshold's, else --fpr's on the
 * model's held-out scores, else the model's own; exits if what was asked
 * for cannot be had (mpath names the model in the message). */
static double choose_threshold(const model *m, const char *mpath, double threshold, double fpr,
                               int alerts_only)
{
	if (!isnan(fpr)) {
		if (m->cal.n == 0)
			eprintf("%s: no held-out scores to set --fpr from (fitted with --compat, or too "
			        "few records?): "
			        "use --threshold", mpath);
		threshold = calib_threshold(&m->cal, fpr);
	} else if (isnan(threshold)) {
		threshold = m->threshold;
	}
	if (alerts_only && isnan(threshold))
		eprintf("%s: the model has no threshold (fitted with --compat, or too few records?): "
		        "--alerts-only needs --threshold", mpath);
	return threshold;
}

/* --explain's working space: each feature's error, the k largest, and
 * what the score line shows of them (s's ex_* point here). */
typedef struct {
	int k;
	double *err, *value, *error;
	int *top;
	const char **name;
} explainer;

static void explain_init(explainer *ex, const model *m, int k, int line_buffered, score_line *s)
{
	memset(ex, 0, sizeof *ex);
	if (!k)
		return;
	if (k > m->h.n_features)
		k = m->h.n_features;
	if (line_buffered) {
		/* a line longer than PIPE_BUF is not written whole to a
		 * pipe: another writer's line may come in between */
		size_t longest = 0, est;

		for (int i = 0; i < m->h.n_features; i++)
			if (strlen(m->h.names[i]) > longest)
				longest = strlen(m->h.names[i]);
		est = 400 + (size_t)k * (longest + 80);
		if (est > 4096)
			weprintf("warning: with --explain=%d a score line may be longer than 4096 "
			         "bytes (PIPE_BUF): on a pipe shared with other writers, lines may "
			         "mix; use fewer features or one writer", k);
	}
	ex->k = k;
	ex->err = emalloc((size_t)m->h.n_features * sizeof *ex->err);
	ex->top = emalloc((size_t)k * sizeof *ex->top);
	ex->name = emalloc((size_t)k * sizeof *ex->name);
	ex->value = emalloc((size_t)k * sizeof *ex->value);
	ex->error = emalloc((size_t)k * sizeof *ex->error);
	s->ex_name = ex->name;
	s->ex_value = ex->value;
	s->ex_error = ex->error;
}

/* The k features of x with the largest reconstruction errors, into s. */
static void explain_record(explainer *ex, model *m, const double *x, score_line *s)
{
	split_explain(m, x, ex->err);
	s->n_explain = top_errors(ex->err, m->h.n_features, ex->k, ex->top);
	for (int i = 0; i < s->n_explain; i++) {
		ex->name[i] = m->h.names[ex->top[i]];
		ex->value[i] = x[ex->top[i]];
		ex->error[i] = ex->err[ex->top[i]];
	}
}

static void explain_free(explainer *ex)
{
	free(ex->err);
	free(ex->top);
	free(ex->name);
	free(ex->value);
	free(ex->error);
}

/* main reads as azw-score's pipeline: options, the model, the stream, one
 * score line per record, the exit status; most of its length is the
 * options and the loop, which a reader wants to see together. */
int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "threshold", required_argument, 0, 't' },
		{ "fpr", required_argument, 0, 'f' },
		{ "alerts-only", no_argument, 0, 'a' },
		{ "explain", optional_argument, 0, 'e' },
		{ "line-buffered", no_argument, 0, 'l' },
		{ "position", required_argument, 0, 'P' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	const char *path = "stdin", *diff, *posfile = NULL;
	double threshold = NAN, fpr = NAN;
	long n = 0, alerts = 0, pos_failed = 0;
	int c, fd = 0, rc, alerts_only = 0, explain = 0, line_buffered = 0;
	explainer ex;
	score_line s;
	split_scores sc;
	vec_reader vr;
	model m;

	argv0 = argv[0] = "azw-score"; /* getopt names us in its messages too */
	while ((c = getopt_long(argc, argv, "t:f:ae::lh", opts, NULL)) != -1) {
		switch (c) {
		case 't': threshold = earg_double("--threshold", optarg, -DBL_MAX, DBL_MAX, 0); break;
		case 'f': fpr = earg_double("--fpr", optarg, 1e-12, 0.5, 0); break;
		case 'a': alerts_only = 1; break;
		case 'l': line_buffered = 1; break;
		case 'P': posfile = optarg; break;
		case 'e': explain = optarg ? (int)earg_long("--explain", optarg, 1, 1000) : EXPLAIN_DEFAULT; break;
		case 'h': usage(stdout); return 0;
		default: return usage_hint();
		}
	}
	/* A score line is built whole and written with one fwrite; line
	 * buffering then makes that one write(2), atomic on a pipe below
	 * PIPE_BUF. Otherwise 64 KiB writes, not stdio's 4 KiB to a pipe (glibc
	 * ignores the size unless given the buffer). */
	setvbuf(stdout, outbuf, line_buffered ? _IOLBF : _IOFBF, sizeof outbuf);
	if (argc - optind < 1 || argc - optind > 2) {
		weprintf(argc - optind < 1 ? "no model given" : "too many arguments");
		return usage_hint();
	}
	if (!isnan(threshold) && !isnan(fpr))
		eprintf("--threshold and --fpr both set the threshold: give one");
	if (model_read(&m, argv[optind]) < 0)
		return 2;
	threshold = choose_threshold(&m, argv[optind], threshold, fpr, alerts_only);
	if (argc - optind == 2 && strcmp(argv[optind + 1], "-") != 0) {
		path = argv[optind + 1];
		fd = open(path, O_RDONLY);
		if (fd < 0)
			eprintf("%s:", path);
	}
	memset(&s, 0, sizeof s);
	explain_init(&ex, &m, explain, line_buffered, &s);

	rc = vec_open(&vr, fd, path, stdout);
	if (rc == 0 && (diff = vec_header_diff(&m.h, &vr.h))) {
		weprintf("%s: the vector stream does not fit model %s: %s",
		         path, argv[optind], diff);
		rc = -1;
	}
	s.threshold = threshold;
	s.n_parts = m.n_parts;
	s.part_name = part_keys;
	s.part_pvalue = sc.pvalue;
	vr.marks = posfile != NULL;
	while (rc == 0 && (c = vec_next(&vr)) >= 1) {
		if (c == 2) {
			/* every record before it is scored: written, then saved */
			fflush(stdout);
			out_check(stdout);
			if (posfile_write(posfile, vr.mark, pos_failed == 0) < 0 && pos_failed++ == 0)
				weprintf("%s: position not saved: a restart will score again what "
				         "was scored since the last one saved", posfile);
			continue;
		}
		n++;
		s.score = split_score(&m, vr.x, vr.id[2], &sc);
		if (alerts_only && !(s.score > threshold))
			continue;
		alerts += s.score > threshold;
		s.pvalue = calib_rank(&m.cal, s.score, &s.pctl);
		if (ex.k)
			explain_record(&ex, &m, vr.x, &s);
		score_write(stdout, vr.id, m.h.module, &s);
		out_check(stdout);
	}
	if (vr.n_bad)
		weprintf("%ld of %ld records skipped", vr.n_bad, vr.n_bad + n);
	if (pos_failed > 1)
		weprintf("%s: %ld positions not saved", posfile, pos_failed);
	if (rc < 0)
		rc = 2;
	else if (alerts_only)
		rc = vr.read_error ? 2 : alerts ? 0 : 1;
	else
		rc = vr.read_error ? 2 : vr.n_bad ? 1 : 0;
	vec_close(&vr);
	model_free(&m);
	explain_free(&ex);
	if (fshut_stdout() < 0)
		return 2;
	return rc;
}
