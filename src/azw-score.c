/* azw-score - give every record of a vector stream an anomaly score with a
 * model from azw-fit; one JSON object per record. */
#include "model.h"
#include "score.h"
#include "util.h"
#include "vecstream.h"

#include <fcntl.h>
#include <getopt.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *f)
{
	fprintf(f,
	    "usage: azw-score MODEL [FILE]\n"
	    "Score each record of a vector stream (from azw-extract) read from FILE or\n"
	    "standard input with MODEL (from azw-fit); write one JSON object per record:\n"
	    "ts uid id.orig_h id.orig_p id.resp_h id.resp_p proto module score.\n"
	    "Output is flushed whenever the input goes idle, so tail -F pipelines are live.\n"
	    "  -h, --help   this help\n"
	    "Exit status: 0 ok, 1 some records were skipped, 2 usage or system error.\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	const char *path = "stdin", *diff;
	vec_reader vr;
	model m;
	long n = 0;
	int c, fd = 0, rc;

	argv0 = argv[0] = "azw-score"; /* getopt names us in its messages too */
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (argc - optind < 1 || argc - optind > 2) {
		weprintf(argc - optind < 1 ? "no model given" : "too many arguments");
		usage(stderr);
		return 2;
	}
	if (model_read(&m, argv[optind]) < 0)
		return 2;
	if (argc - optind == 2 && strcmp(argv[optind + 1], "-") != 0) {
		path = argv[optind + 1];
		fd = open(path, O_RDONLY);
		if (fd < 0)
			eprintf("%s:", path);
	}

	rc = vec_open(&vr, fd, path, stdout);
	if (rc < 0)
		return 2;
	if (rc == 0 && (diff = vec_header_diff(&m.h, &vr.h))) {
		weprintf("%s: the vector stream does not fit model %s: %s",
		         path, argv[optind], diff);
		return 2;
	}
	while (rc == 0 && vec_next(&vr) == 1) {
		score_write(stdout, vr.id, m.h.module, kitnet_execute(&m.k, vr.x, NULL));
		n++;
	}
	if (vr.n_bad)
		weprintf("%ld of %ld records skipped", vr.n_bad, vr.n_bad + n);
	rc = vr.read_error ? 2 : vr.n_bad ? 1 : 0;
	vec_close(&vr);
	model_free(&m);
	if (fshut_stdout() < 0)
		return 2;
	return rc;
}
