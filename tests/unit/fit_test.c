/* fit_test - the fitter's feature-mapping window in bounded memory (issue
 * 18, item 8): past fm_keep_max rows it is not kept; a stream that goes on
 * past the window still makes a model, one that ends inside it is refused.
 * TAP output. */
#include "fit.h"
#include "model.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tap.h"

#define NF 3

static void header(vec_header *h)
{
	static const char *names[NF] = { "a", "b", "c" };
	int i;

	h->module = estrdup("conn");
	h->schema = estrdup("original");
	h->n_features = NF;
	h->names = ecalloc(NF, sizeof *h->names);
	for (i = 0; i < NF; i++)
		h->names[i] = estrdup(names[i]);
}

/* n records through a fitter of fm_grace g keeping at most keep rows:
 * fit_finish's result; the most rows the window ever held in *held. */
static int fit_n(long n, long g, long keep, long *held)
{
	kitnet_params p = KITNET_PARAMS_DEFAULT;
	vec_header h;
	fitter ft;
	model m;
	double x[NF];
	long i;
	int rc;

	header(&h);
	p.fm_grace = g;
	p.norm = KITNET_NORM_LOG;
	if (fit_init(&ft, &h, &p, 1, 0.001, 0, 0) < 0)
		return -2;
	*held = 0;
	if (keep)
		ft.fm_keep_max = keep;
	for (i = 0; i < n; i++) {
		x[0] = (double)(i % 7);
		x[1] = (double)(i % 13) * 0.5;
		x[2] = (double)(i % 5) + x[0];
		fit_record(&ft, "-", x);
		if (ft.fm_buf && ft.fm_cap > *held)
			*held = ft.fm_cap;
	}
	rc = fit_finish(&ft, &m);
	if (rc == 0)
		model_free(&m);
	fit_free(&ft);
	vec_header_free(&h);
	return rc;
}

int main(void)
{
	long held;

	argv0 = "fit_test";
	tap_plan(6);
	ok(FIT_FM_KEEP_BYTES == 256L << 20, "the window's budget is 256 MiB");
	/* a window of 1001 rows, 50 kept at most */
	ok(fit_n(3000, 1000, 50, &held) == 0, "a stream past a window larger than kept: a model");
	ok(held <= 50, "the window held at most 50 rows");
	fprintf(stderr, "# (a refusal message follows)\n");
	ok(fit_n(500, 1000, 50, &held) == -1, "a stream that ends inside a window not kept: refused");
	ok(held <= 50, "the window held at most 50 rows");
	/* the window kept: a stream ending inside it is trained on it, as before */
	ok(fit_n(500, 1000, 0, &held) == 0 && held >= 500, "a window kept whole: replayed, a model");
	return tap_status();
}
