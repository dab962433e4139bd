/* azw-fit - learn what normal records look like: read a vector stream, train
 * KitNET on it, write a model file. */
#include "fit.h"
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
	    "               [--hidden-ratio X] [--seed N] [--fpr F] [--compat] [-q] [FILE]\n"
	    "Train a KitNET anomaly detector on a vector stream (from azw-extract) read\n"
	    "from FILE or standard input, and write the model to MODEL atomically.\n"
	    "  -o, --output MODEL    model file to write (required)\n"
	    "      --max-ae N        largest autoencoder, in features (30)\n"
	    "      --fm-grace N      feature-mapping grace: the first N+1 records build\n"
	    "                        the feature map (5000)\n"
	    "      --ad-grace N      records to train the autoencoders on after the\n"
	    "                        feature map (default: all of them)\n"
	    "      --lr X            learning rate (0.005; 0.001 with --compat)\n"
	    "      --hidden-ratio X  hidden units per input of each autoencoder (0.5)\n"
	    "      --seed N          seed of the initial weights (1234)\n"
	    "      --fpr F           false-positive rate of the model's threshold on\n"
	    "                        held-out benign records (0.001)\n"
	    "      --compat          KitNET-py exactly: plain min-max normalisation, no\n"
	    "                        records held out, no threshold (for parity/migration)\n"
	    "  -q, --quiet           no progress on a terminal\n"
	    "  -h, --help            this help\n"
	    "Exit status: 0 ok, 1 some records were skipped, 2 usage or system error.\n");
}

static double real_arg(const char *opt, const char *s, double lo, double hi)
{
	double v;

	if (parse_double(s, &v) < 0 || !(v > lo && v <= hi))
		eprintf("%s: '%s' is not a number in (%g, %g]", opt, s, lo, hi);
	return v;
}

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
		{ "quiet", no_argument, 0, 'q' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	kitnet_params p = KITNET_PARAMS_DEFAULT;
	const char *out = NULL, *path = "stdin";
	vec_reader vr;
	fitter ft;
	model m;
	double fpr = CALIB_FPR, lr = 0;
	int c, fd = 0, quiet = 0, compat = 0, rc;

	argv0 = argv[0] = "azw-fit"; /* getopt names us in its messages too */
	p.ad_grace = -1; /* learn from all of the history, unlike the original */
	while ((c = getopt_long(argc, argv, "o:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'm': p.max_ae = (int)earg_long("--max-ae", optarg, 1, 4096); break;
		case 'f': p.fm_grace = earg_long("--fm-grace", optarg, 0, 100000000); break;
		case 'a': p.ad_grace = earg_long("--ad-grace", optarg, 1, LONG_MAX); break;
		case 'l': lr = real_arg("--lr", optarg, 0, 1e6); break;
		case 'r': p.hidden_ratio = real_arg("--hidden-ratio", optarg, 0, 1); break;
		case 's': p.seed = (uint32_t)earg_long("--seed", optarg, 0, 0xffffffffL); break;
		case 'F': fpr = real_arg("--fpr", optarg, 0, 0.5); break;
		case 'C': compat = 1; break;
		case 'q': quiet = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	p.norm = compat ? KITNET_NORM_COMPAT : KITNET_NORM_LOG;
	/* One pass of SGD at AutoZeekWatch's 0.001 leaves models of a few
	 * thousand records under-trained: make eval's false-positive rates at
	 * the threshold were 2-8x --fpr; at 0.005 within it (see README). */
	p.lr = lr > 0 ? lr : compat ? 0.001 : LR_DEFAULT;
	if (!out) {
		weprintf("no model file given: use -o MODEL");
		usage(stderr);
		return 2;
	}
	if (argc - optind > 1) {
		weprintf("one input at most (concatenate streams with cat)");
		return 2;
	}
	if (optind < argc && strcmp(argv[optind], "-") != 0) {
		path = argv[optind];
		fd = open(path, O_RDONLY);
		if (fd < 0)
			eprintf("%s:", path);
	}

	rc = vec_open(&vr, fd, path, NULL);
	if (rc == 1)
		weprintf("%s: empty input: no records to learn from", path);
	if (rc != 0) {
		vec_close(&vr);
		return 2;
	}
	if (fit_init(&ft, &vr.h, &p, !compat, fpr, !quiet && isatty(2)) < 0)
		eprintf("cannot set up KitNET:");
	while (vec_next(&vr) == 1)
		fit_record(&ft, vr.id[0], vr.x);
	rc = 2;
	if (!vr.read_error && fit_finish(&ft, &m) == 0) {
		if (vr.n_bad)
			weprintf("%ld of %ld records skipped", vr.n_bad, vr.n_bad + ft.records);
		if (model_write(&m, out) == 0)
			rc = vr.n_bad ? 1 : 0;
		model_free(&m);
	}
	fit_free(&ft);
	vec_close(&vr);
	return rc;
}
