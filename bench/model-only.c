/* model-only - how long KitNET alone takes per record, for make bench.
 *
 * usage: model-only MODEL VECTORS PASSES
 *
 * Reads every row of VECTORS into memory first, then times PASSES passes of
 * split_score() (kitnet_execute() of each part and their p-values, as
 * azw-score scores) over them, in stream order (so the memories of the last
 * inputs see what azw-score sees), each row first copied to one buffer as
 * azw-score's reader leaves it (read in place, the autoencoders' scattered
 * reads of a row that is not in the cache cost more), and prints the
 * median seconds of a pass, the records a pass scores and the sum of the scores (so that the work
 * cannot be left out). What azw-score does besides is reading the vector
 * stream and writing score lines: the difference between the two rows of
 * make bench.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kitnet.h"
#include "model.h"
#include "split.h"
#include "util.h"
#include "vecstream.h"

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char *argv[])
{
	model m;
	vec_reader vr;
	double *x = NULL, *secs, sum = 0; /* x: n x nf, row-major */
	size_t n = 0, cap = 0, nf;
	long passes;
	int fd;

	argv0 = "model-only";
	if (argc != 4) {
		fprintf(stderr, "usage: model-only MODEL VECTORS PASSES\n");
		return 2;
	}
	passes = earg_long("PASSES", argv[3], 1, 1000);
	if (model_read(&m, argv[1]) < 0)
		return 2;
	if ((fd = open(argv[2], O_RDONLY)) < 0)
		eprintf("%s:", argv[2]);
	if (vec_open(&vr, fd, argv[2], NULL) < 0)
		return 2;
	if (vec_header_diff(&m.h, &vr.h))
		eprintf("%s: does not fit model %s", argv[2], argv[1]);
	nf = (size_t)m.h.n_features;
	while (vec_next(&vr) == 1) {
		if (n == cap) {
			cap = cap ? 2 * cap : 4096;
			x = erealloc(x, cap * nf * sizeof *x);
		}
		memcpy(x + n * nf, vr.x, nf * sizeof *x);
		n++;
	}
	secs = emalloc((size_t)passes * sizeof *secs);
	for (long p = 0; p < passes; p++) {
		double t0 = now();

		kitnet_forget(&m.k);
		for (int j = 0; j < m.n_parts; j++)
			kitnet_forget(&m.part[j].k);
		for (size_t i = 0; i < n; i++) {
			memcpy(vr.x, x + i * nf, nf * sizeof *x);
			sum += split_score(&m, vr.x, vr.id[2], NULL);
		}
		secs[p] = now() - t0;
	}
	qsort(secs, (size_t)passes, sizeof *secs, cmp_double);
	printf("%.6f\t%zu\t%.17g\n", secs[(passes - 1) / 2], n, sum);
	free(secs);
	vec_close(&vr);
	model_free(&m);
	free(x);
	return fshut_stdout() < 0 ? 2 : 0;
}
