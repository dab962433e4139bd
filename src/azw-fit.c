/* azw-fit - learn what normal records look like: read a vector stream, train
 * KitNET on it, write a model file. */
#include "fit.h"
#include "hosts.h"
#include "model.h"
#include "util.h"
#include "vecstream.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LR_DEFAULT 0.005

static void usage(FILE *f)
{
	fprintf(f,
	    "usage: azw-fit -o MODEL [--max-ae N] [--fm-grace N] [--ad-grace N] [--lr X]\n"
	    "               [--hidden-ratio X] [--seed N] [--fpr F] [--compat] [--joint]\n"
	    "               [--report] [-q] [FILE]\n"
	    "       azw-fit --calibrate MODEL [-o OUT] [--fpr F] [--warmup N] [--report] [FILE]\n"
	    "Train a KitNET anomaly detector on a vector stream (from azw-extract) read\n"
	    "from FILE or standard input, and write the model to MODEL atomically; or\n"
	    "calibrate an existing model anew on another stretch of benign records.\n"
	    "  -o, --output MODEL    model file to write (required)\n"
	    "      --max-ae N        largest autoencoder, in features (30)\n"
	    "      --fm-grace N      feature-mapping grace: the first N+1 records build\n"
	    "                        the feature map (5000); kept in memory up to\n"
	    "                        256 MiB, for a stream that ends inside it\n"
	    "      --ad-grace N      records to train the autoencoders on after the\n"
	    "                        feature map (default: all of them)\n"
	    "      --lr X            learning rate (0.005; 0.001 with --compat)\n"
	    "      --hidden-ratio X  hidden units per input of each autoencoder (0.5)\n"
	    "      --seed N          seed of the initial weights (1234)\n"
	    "      --fpr F           false-positive rate of the model's threshold on\n"
	    "                        held-out benign records (0.001)\n"
	    "      --compat          KitNET-py exactly: plain min-max normalisation, no\n"
	    "                        records held out, no threshold (for parity/migration)\n"
	    "      --joint           one KitNET over every feature; by default a stream with\n"
	    "                        context columns gets two parts, one over the record's\n"
	    "                        own columns and one over the context columns, each\n"
	    "                        calibrated, their p-values combined into the score\n"
	    "      --calibrate MODEL score the stream with MODEL and make its scores the\n"
	    "                        model's calibration (threshold, pctl, pvalue); the\n"
	    "                        rest of the model is kept; written to OUT, or MODEL\n"
	    "      --warmup N        with --calibrate: skip the first N records, the cold\n"
	    "                        start of the context features (the model's fm_records)\n"
	    "      --report          say what the threshold rests on and how uncertain it\n"
	    "                        is (also on a terminal, unless -q); after a fit, also\n"
	    "                        which features share an autoencoder, and their ranges\n"
	    "  -q, --quiet           no progress on a terminal, and no warning that the\n"
	    "                        context columns rest on fewer than 3 source hosts\n"
	    "  -h, --help            this help\n"
	    "Context columns learned from fewer than 3 source hosts: the model names them\n"
	    "and azw-score judges other local hosts without their context.\n"
	    "A model that azw-score would refuse is not written (MODEL is left as it was).\n"
	    "Exit status: 0 ok, 1 some records were skipped, 2 usage or system error.\n");
}

/* Fail before the work: the folder of the model to write must exist and
 * be writable (model_write() makes a temporary file there). */
static void check_writable(const char *out)
{
	char *dir = estrdup(out), *slash = strrchr(dir, '/');

	if (!slash)
		strcpy(dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	if (access(dir, W_OK | X_OK) < 0)
		eprintf("cannot write %s: %s:", out, dir);
	free(dir);
}

/* A model's context columns learned from fewer than HOSTS_FEW sources
 * (hosts.h): say so, and what to do. */
static void warn_few_hosts(const model *m, const hosts_tally *t)
{
	int k = hosts_counted(t);

	if (m->n_parts == 0 || k < 0 || k >= HOSTS_FEW || t->used == 0)
		return;
	fprintf(stderr, "azw-fit: warning: the context columns were learned from %d source "
	                "host%s with %d records or more%s",
	        k, k == 1 ? "" : "s", HOSTS_MIN_RECORDS, k ? ": " : "");
	hosts_print(stderr, t);
	fprintf(stderr, "; this model judges other local hosts on their records alone, "
	                "without their context: train on the hosts you will score for "
	                "context on every host\n");
}

/* A context learned from fewer than HOSTS_FEW sources describes them
 * alone: the model names them, and azw-score lets no other local
 * source's context count (split_foreign()). */
static void know_hosts(model *m, const hosts_tally *t)
{
	int k = hosts_counted(t);

	if (m->n_parts == 0 || k < 1 || k >= HOSTS_FEW)
		return;
	m->n_hosts = hosts_names(t, m->hosts, HOSTS_MAX);
}

/* --calibrate: score the stream with m, make the scores its calibration,
 * write it to out. The exit status. */
static int recalibrate(model *m, vec_reader *vr, long warmup, double fpr, const char *out,
                       int report)
{
	recalibrator rc;
	int status = 2;

	recal_init(&rc, m, warmup);
	while (vec_next(vr) == 1)
		recal_record(&rc, vr->id[2], vr->x);
	if (vr->read_error)
		recal_free(&rc);
	else if (recal_finish(&rc, fpr) == 0) {
		if (vr->n_bad)
			weprintf("%ld of %ld records skipped", vr->n_bad, vr->n_bad + rc.records);
		if (report)
			fit_report(stderr, m);
		if (model_write(m, out) == 0)
			status = vr->n_bad ? 1 : 0;
	}
	model_free(m);
	vec_close(vr);
	return status;
}

/* main reads as azw-fit's pipeline: options, the stream, then a fit or a
 * recalibration, the model written; most of its length is the option
 * switch, one case a line. */
int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, 0, 'o' },
		{ "max-ae", required_argument, 0, 'm' },
		{ "fm-grace", required_argument, 0, 'f' },
		{ "ad-grace", required_argument, 0, 'a' },
		{ "lr", required_argument, 0, 'l' },
		{ "hidden-ratio", required_argument, 0, 'r' },
		{ "seed", required_argument, 0, 's' },
		{ "fpr", required_argument, 0, 'F' },
		{ "compat", no_argument, 0, 'C' },
		{ "calibrate", required_argument, 0, 'K' },
		{ "warmup", required_argument, 0, 'w' },
		{ "report", no_argument, 0, 'R' },
		{ "joint", no_argument, 0, 'J' },
		{ "quiet", no_argument, 0, 'q' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	kitnet_params p = KITNET_PARAMS_DEFAULT;
	const char *out = NULL, *path = "stdin", *recal_model = NULL, *diff;
	vec_reader vr;
	fitter ft;
	hosts_tally hosts;
	model m;
	double fpr = CALIB_FPR, lr = 0;
	int c, fd = 0, quiet = 0, compat = 0, report = 0, joint = 0, rc;
	long warmup = -1;

	argv0 = argv[0] = "azw-fit"; /* getopt names us in its messages too */
	p.ad_grace = -1; /* learn from all of the history, unlike the original */
	while ((c = getopt_long(argc, argv, "o:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'm': p.max_ae = (int)earg_long("--max-ae", optarg, 1, 4096); break;
		case 'f': p.fm_grace = earg_long("--fm-grace", optarg, 0, 100000000); break;
		case 'a': p.ad_grace = earg_long("--ad-grace", optarg, 1, LONG_MAX); break;
		case 'l': lr = earg_double("--lr", optarg, 0, 1e6, 1); break;
		case 'r': p.hidden_ratio = earg_double("--hidden-ratio", optarg, 0, 1, 1); break;
		case 's': p.seed = (uint32_t)earg_long("--seed", optarg, 0, 0xffffffffL); break;
		case 'F': fpr = earg_double("--fpr", optarg, 0, 0.5, 1); break;
		case 'C': compat = 1; break;
		case 'K': recal_model = optarg; break;
		case 'w': warmup = earg_long("--warmup", optarg, 0, LONG_MAX); break;
		case 'R': report = 1; break;
		case 'J': joint = 1; break;
		case 'q': quiet = 1; break;
		case 'h': usage(stdout); return 0;
		default: return usage_hint();
		}
	}
	p.norm = compat ? KITNET_NORM_COMPAT : KITNET_NORM_LOG;
	/* One pass of SGD at AutoZeekWatch's 0.001 leaves models of a few
	 * thousand records under-trained: make eval's false-positive rates at
	 * the threshold were 2-8x --fpr; at 0.005 within it (see README). */
	p.lr = lr > 0 ? lr : compat ? 0.001 : LR_DEFAULT;
	if (!out)
		out = recal_model;
	if (!out) {
		weprintf("no model file given: use -o MODEL");
		return usage_hint();
	}
	if (warmup >= 0 && !recal_model)
		eprintf("--warmup is for --calibrate");
	if (argc - optind > 1) {
		weprintf("one input at most (concatenate streams with cat)");
		return 2;
	}
	check_writable(out);
	if (recal_model && model_read(&m, recal_model) < 0)
		return 2;
	if (optind < argc && strcmp(argv[optind], "-") != 0) {
		path = argv[optind];
		fd = open(path, O_RDONLY);
		if (fd < 0)
			eprintf("%s:", path);
	}

	rc = vec_open(&vr, fd, path, NULL);
	if (rc == 1)
		weprintf("%s: empty input: no records to learn from", path);
	if (rc == 0 && recal_model && (diff = vec_header_diff(&m.h, &vr.h))) {
		weprintf("%s: the vector stream does not fit model %s: %s", path, recal_model, diff);
		rc = -1;
	}
	if (rc != 0) {
		if (recal_model)
			model_free(&m);
		vec_close(&vr);
		return 2;
	}
	if (recal_model)
		return recalibrate(&m, &vr, warmup >= 0 ? warmup : m.fm_records, fpr, out,
		                   report || (!quiet && isatty(2)));
	if (fit_init(&ft, &vr.h, &p, !compat, fpr, !compat && !joint, !quiet && isatty(2)) < 0)
		eprintf("cannot set up KitNET:");
	hosts_init(&hosts);
	while (vec_next(&vr) == 1) {
		fit_record(&ft, vr.id[0], vr.x);
		hosts_add(&hosts, vr.id[2]);
	}
	rc = 2;
	if (!vr.read_error && fit_finish(&ft, &m) == 0) {
		know_hosts(&m, &hosts);
		if (vr.n_bad)
			weprintf("%ld of %ld records skipped", vr.n_bad, vr.n_bad + ft.records);
		if (report || (!quiet && isatty(2)))
			fit_report(stderr, &m);
		if (report)
			fit_report_map(stderr, &m);
		if (!quiet)
			warn_few_hosts(&m, &hosts);
		if (model_write(&m, out) == 0)
			rc = vr.n_bad ? 1 : 0;
		model_free(&m);
	}
	fit_free(&ft);
	vec_close(&vr);
	return rc;
}
