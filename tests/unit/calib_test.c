/* calib_test - score calibration: quantiles, percentiles and the log-normal
 * fit on distributions whose answers are known. TAP output. */
#include "calib.h"
#include "kitnet.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static int n_test, n_fail;

static void ok(int cond, const char *what, double got, double want)
{
	n_test++;
	if (!cond)
		n_fail++;
	printf("%sok %d - %s (got %.10g, want %.10g)\n", cond ? "" : "not ", n_test, what, got, want);
}

int main(void)
{
	calib c;
	double *s, t, z;
	long i, n;
	kitnet_mt rng;

	printf("1..13\n");

	/* 1..10000 in scrambled order: quantiles by linear interpolation */
	n = 10000;
	s = malloc((size_t)n * sizeof *s);
	for (i = 0; i < n; i++)
		s[i] = (double)((i * 7919) % n + 1);
	calib_init(&c, s, n);
	ok(c.scores[0] == 1 && c.scores[n - 1] == 10000, "scores are sorted", c.scores[n - 1], 10000);
	t = calib_threshold(&c, 0.001);
	ok(fabs(t - 9990.001) < 1e-9, "threshold at fpr 0.001 is the 0.999 quantile", t, 9990.001);
	t = calib_threshold(&c, 0.5);
	ok(fabs(t - 5000.5) < 1e-9, "threshold at fpr 0.5 is the median", t, 5000.5);
	ok(calib_pctl(&c, 5000.5) == 0.5, "pctl: half the scores are below the median",
	   calib_pctl(&c, 5000.5), 0.5);
	ok(calib_pctl(&c, 0) == 0 && calib_pctl(&c, 1e9) == 1, "pctl is 0 below all, 1 above all",
	   calib_pctl(&c, 1e9), 1);
	calib_free(&c);

	/* mid-rank with ties: 10 scores of 1, 3 of 2, 7 of 3 (runs shorter
	 * and longer than the few that calib_pctl scans before searching) */
	n = 20;
	s = malloc((size_t)n * sizeof *s);
	for (i = 0; i < n; i++)
		s[i] = i < 10 ? 1 : i < 13 ? 2 : 3;
	calib_init(&c, s, n);
	ok(calib_pctl(&c, 1) == 5.0 / 20 && calib_pctl(&c, 2) == 11.5 / 20 &&
	   calib_pctl(&c, 3) == 16.5 / 20 && calib_pctl(&c, 2.5) == 13.0 / 20,
	   "pctl counts ties half (runs of 10, 3 and 7)", calib_pctl(&c, 2), 11.5 / 20);
	calib_free(&c);

	/* exp(N(0.5, 2^2)) by Box-Muller: the fit finds mu and sigma */
	n = 200000;
	s = malloc((size_t)n * sizeof *s);
	kitnet_mt_seed(&rng, 7);
	for (i = 0; i < n; i++) {
		double u1 = kitnet_mt_double(&rng), u2 = kitnet_mt_double(&rng);
		z = sqrt(-2 * log(1 - u1)) * cos(6.283185307179586 * u2);
		s[i] = exp(0.5 + 2 * z);
	}
	calib_init(&c, s, n);
	ok(fabs(c.ln_mu - 0.5) < 0.02, "log-normal mu", c.ln_mu, 0.5);
	ok(fabs(c.ln_sigma - 2) < 0.02, "log-normal sigma", c.ln_sigma, 2);
	t = calib_pvalue(&c, exp(0.5 + 2 * 1.6448536269514722));
	ok(fabs(t - 0.05) < 0.002, "p-value at mu + 1.645 sigma is 0.05", t, 0.05);
	t = calib_threshold(&c, 0.01);
	ok(fabs(log(t) - (0.5 + 2 * 2.3263478740408408)) < 0.05,
	   "empirical 0.99 quantile matches the distribution's", log(t), 0.5 + 2 * 2.3263478740408408);
	calib_free(&c);

	/* Few held-out scores: the threshold comes from the log-normal fit */
	n = 100;
	s = malloc((size_t)n * sizeof *s);
	for (i = 0; i < n; i++)
		s[i] = exp((i % 2 ? 1.0 : -1.0) * (1 + (i % 10) / 10.0));
	calib_init(&c, s, n);
	t = calib_threshold(&c, 0.001);
	z = exp(c.ln_mu + c.ln_sigma * 3.090232306167813);
	ok(fabs(t - z) < 1e-9 * z, "fewer than 1/fpr scores: log-normal quantile", t, z);
	ok(t > c.scores[n - 1], "which lies beyond the largest held-out score", t, c.scores[n - 1]);
	calib_free(&c);

	calib_init(&c, NULL, 0);
	ok(isnan(calib_threshold(&c, 0.001)) && isnan(calib_pctl(&c, 1)),
	   "no held-out scores: no threshold", calib_threshold(&c, 0.001), NAN);
	return n_fail != 0;
}
