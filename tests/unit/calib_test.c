/* calib_test - score calibration: quantiles, percentiles, the log-normal
 * fit and the generalised Pareto tail on distributions whose answers are
 * known. TAP output. */
#include "calib.h"
#include "kitnet.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "tap.h"

int main(void)
{
	calib c;
	double *s, t, z;
	long i, n;
	kitnet_mt rng;

	tap_plan(29);

	/* 1..10000 in scrambled order: quantiles by linear interpolation */
	n = 10000;
	s = malloc((size_t)n * sizeof *s);
	for (i = 0; i < n; i++)
		s[i] = (double)((i * 7919) % n + 1);
	calib_init(&c, s, n);
	ok_num(c.scores[0] == 1 && c.scores[n - 1] == 10000, "scores are sorted", c.scores[n - 1], 10000);
	t = calib_threshold(&c, 0.001);
	ok_num(fabs(t - 9990.001) < 1e-9, "threshold at fpr 0.001 is the 0.999 quantile", t, 9990.001);
	t = calib_threshold(&c, 0.5);
	ok_num(fabs(t - 5000.5) < 1e-9, "threshold at fpr 0.5 is the median", t, 5000.5);
	ok_num(calib_pctl(&c, 5000.5) == 0.5, "pctl: half the scores are below the median",
	   calib_pctl(&c, 5000.5), 0.5);
	ok_num(calib_pctl(&c, 0) == 0 && calib_pctl(&c, 1e9) == 1, "pctl is 0 below all, 1 above all",
	   calib_pctl(&c, 1e9), 1);
	calib_free(&c);

	/* mid-rank with ties: 10 scores of 1, 3 of 2, 7 of 3 (runs shorter
	 * and longer than the few that calib_pctl scans before searching) */
	n = 20;
	s = malloc((size_t)n * sizeof *s);
	for (i = 0; i < n; i++)
		s[i] = i < 10 ? 1 : i < 13 ? 2 : 3;
	calib_init(&c, s, n);
	ok_num(calib_pctl(&c, 1) == 5.0 / 20 && calib_pctl(&c, 2) == 11.5 / 20 &&
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
	ok_num(fabs(c.ln_mu - 0.5) < 0.02, "log-normal mu", c.ln_mu, 0.5);
	ok_num(fabs(c.ln_sigma - 2) < 0.02, "log-normal sigma", c.ln_sigma, 2);
	t = calib_pvalue(&c, exp(0.5 + 2 * 1.6448536269514722));
	ok_num(fabs(t - 0.05) < 0.002, "p-value at mu + 1.645 sigma is 0.05", t, 0.05);
	t = calib_threshold(&c, 0.01);
	ok_num(fabs(log(t) - (0.5 + 2 * 2.3263478740408408)) < 0.05,
	   "empirical 0.99 quantile matches the distribution's", log(t), 0.5 + 2 * 2.3263478740408408);
	calib_free(&c);

	/* Few held-out scores (n * fpr < CALIB_MIN_TAIL): the threshold comes
	 * from the fitted tail. Exp(1) scores: the 0.999 quantile is ln 1000. */
	for (long nn = 300; nn <= 3000; nn *= 10) {
		double want = log(1000.0), lo, hi;

		s = malloc((size_t)nn * sizeof *s);
		kitnet_mt_seed(&rng, 11);
		for (i = 0; i < nn; i++)
			s[i] = -log(1 - kitnet_mt_double(&rng));
		calib_init(&c, s, nn);
		t = calib_threshold(&c, 0.001);
		ok_num(fabs(t - want) < 0.25 * want, nn == 300 ? "exponential scores, n 300: tail quantile near ln 1000"
		                                   : "exponential scores, n 3000: tail quantile near ln 1000", t, want);
		ok_num(t >= c.scores[nn - 1] || nn * 0.001 >= 1, "not below the largest score when n < 1/fpr", t, c.scores[nn - 1]);
		calib_interval(&c, 0.001, 100, &lo, &hi);
		ok_num(lo <= t && t <= hi && hi - lo < want, "the bootstrap interval holds the threshold", hi - lo, want);
		calib_free(&c);
	}

	/* A GPD tail of shape 0.3 (scale 1): the fit finds the shape, and the
	 * p-value beyond the tail start is the GPD's */
	n = 100000;
	s = malloc((size_t)n * sizeof *s);
	kitnet_mt_seed(&rng, 5);
	for (i = 0; i < n; i++)
		s[i] = (pow(1 - kitnet_mt_double(&rng), -0.3) - 1) / 0.3;
	calib_init(&c, s, n);
	ok_num(c.tail_k == 2000, "the tail is the top 2 %", (double)c.tail_k, 2000);
	ok_num(fabs(c.tail_gamma - 0.3) < 0.08, "GPD shape 0.3 recovered", c.tail_gamma, 0.3);
	z = (pow(1e-5, -0.3) - 1) / 0.3; /* P(X > z) = 1e-5 */
	t = calib_pvalue(&c, z);
	ok_num(t > 0.5e-5 && t < 2e-5, "p-value of the 1e-5 quantile, beyond every score", t, 1e-5);
	t = calib_threshold(&c, 1e-5);
	ok_num(fabs(t - z) < 0.3 * z, "threshold at fpr 1e-5 from the tail", t, z);
	calib_free(&c);

	/* Uniform scores have a bounded tail (shape -1; 10000 of them give
	 * enough peaks to fit a shape): clipped to CALIB_GAMMA_MIN, and
	 * p-values fall monotonically to 0 */
	n = 10000;
	s = malloc((size_t)n * sizeof *s);
	for (i = 0; i < n; i++)
		s[i] = (double)((i * 7919) % n) / n;
	calib_init(&c, s, n);
	ok_num(c.tail_gamma == CALIB_GAMMA_MIN || fabs(c.tail_gamma - CALIB_GAMMA_MIN) < 1e-6,
	   "a bounded tail's shape is clipped", c.tail_gamma, CALIB_GAMMA_MIN);
	ok_num(calib_pvalue(&c, 0.995) > calib_pvalue(&c, 1.0) && calib_pvalue(&c, 1.0) >= calib_pvalue(&c, 2.0) &&
	   calib_pvalue(&c, 1e9) == 0, "p-values fall monotonically beyond the scores", calib_pvalue(&c, 1.0), 0);
	ok_num(fabs(calib_pvalue(&c, 0.5) - 0.5) < 0.002, "below the tail the p-value is the rank's",
	   calib_pvalue(&c, 0.5), 0.5);
	calib_free(&c);

	/* A few benign scores that tie far above the rest of the tail (8 of
	 * 1,288 records of iot23-hakai, a device's unanswered NTP queries,
	 * scored 5.75 where the rest stayed below 2): the fitted tail put them
	 * at 1.8e-6 and the threshold below them. Within the scores, the
	 * p-value is at least the Poisson lower bound of their count over n,
	 * and the threshold at least the k-th highest score while k scores at
	 * or above it are more than fpr allows; beyond the highest score the
	 * fit still extrapolates. */
	n = 1000;
	s = malloc((size_t)n * sizeof *s);
	for (i = 0; i < n - 4; i++)
		s[i] = -log(1 - (i + 0.5) / (n - 4)); /* Exp(1) quantiles, max about 7.6 */
	for (; i < n; i++)
		s[i] = 20;
	calib_init(&c, s, n);
	t = calib_pvalue(&c, 20);
	ok_num(t >= 1.36e-3 && t < 4e-3, "four tied scores far above the tail: p-value at least L(4)/n = 1.36/n", t,
	   1.36e-3);
	ok_num(calib_pvalue(&c, 19) >= t && calib_pvalue(&c, 25) < 1e-4,
	   "above the highest score the fitted tail extrapolates again", calib_pvalue(&c, 25), 0);
	t = calib_threshold(&c, 0.001);
	ok_num(t >= 20, "fpr 0.001 of 1000 scores: the threshold is not below the four tied at 20", t, 20);
	{
		double p1 = 1, p2, probe;
		int up = 0;

		for (probe = 0; probe < 30; probe += 0.01) {
			p2 = calib_pvalue(&c, probe);
			up += p2 > p1;
			p1 = p2;
		}
		ok_num(up == 0, "p-values never rise with the score", up, 0);
	}
	calib_free(&c);

	/* the indexed search against a linear count: 1000 scores in runs of
	 * 7 ties, probed at, between, below and above them */
	n = 1000;
	s = malloc((size_t)n * sizeof *s);
	for (i = 0; i < n; i++)
		s[i] = (double)((i * 7919 % n) / 7);
	calib_init(&c, s, n);
	{
		int bad = 0;
		double probe, below, equal, want = 0;

		for (probe = -1.5; probe <= 145; probe += 0.25) {
			below = equal = 0;
			for (i = 0; i < n; i++) {
				below += c.scores[i] < probe;
				equal += c.scores[i] == probe;
			}
			want = (below + 0.5 * equal) / n;
			bad += calib_pctl(&c, probe) != want;
		}
		ok_num(bad == 0 && c.n_coarse == (n + CALIB_STRIDE - 1) / CALIB_STRIDE,
		   "the indexed search counts as a linear one does", bad, 0);
	}
	calib_free(&c);

	calib_init(&c, NULL, 0);
	ok_num(isnan(calib_threshold(&c, 0.001)) && isnan(calib_pctl(&c, 1)),
	   "no held-out scores: no threshold", calib_threshold(&c, 0.001), NAN);
	return tap_status();
}
