/* calib.c - score calibration from held-out benign records. */
#include "calib.h"

#include <math.h>
#include <stdlib.h>

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void calib_init(calib *c, double *scores, long n)
{
	double sum = 0, sq = 0, d;
	long i, m = 0;

	c->n = n;
	c->scores = scores;
	c->ln_mu = c->ln_sigma = 0;
	if (n <= 0)
		return;
	qsort(scores, (size_t)n, sizeof *scores, cmp_double);
	for (i = 0; i < n; i++)
		if (scores[i] > 0) {
			sum += log(scores[i]);
			m++;
		}
	if (m == 0)
		return;
	c->ln_mu = sum / m;
	for (i = 0; i < n; i++)
		if (scores[i] > 0) {
			d = log(scores[i]) - c->ln_mu;
			sq += d * d;
		}
	c->ln_sigma = m > 1 ? sqrt(sq / (m - 1)) : 0;
}

void calib_free(calib *c)
{
	free(c->scores);
	c->scores = NULL;
	c->n = 0;
}

/* Standard normal upper tail. */
static double upper_tail(double z)
{
	return 0.5 * erfc(z / sqrt(2.0));
}

double calib_threshold(const calib *c, double fpr)
{
	double pos, frac, lo, hi, mid;
	long i;
	int it;

	if (c->n <= 0)
		return NAN;
	if (c->n * fpr < 1) {
		/* z with upper_tail(z) == fpr, by bisection: plenty fast, exact
		 * enough (2^-60 of the interval), no table to get wrong */
		lo = -40;
		hi = 40;
		for (it = 0; it < 100; it++) {
			mid = 0.5 * (lo + hi);
			if (upper_tail(mid) > fpr)
				lo = mid;
			else
				hi = mid;
		}
		return exp(c->ln_mu + c->ln_sigma * 0.5 * (lo + hi));
	}
	pos = (1.0 - fpr) * (double)(c->n - 1);
	i = (long)pos;
	if (i >= c->n - 1)
		return c->scores[c->n - 1];
	frac = pos - (double)i;
	return c->scores[i] + frac * (c->scores[i + 1] - c->scores[i]);
}

/* Index of the first held-out score >= s (or > s when above). */
static long bound(const calib *c, double s, int above)
{
	long lo = 0, hi = c->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (above ? c->scores[mid] <= s : c->scores[mid] < s)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

double calib_pctl(const calib *c, double s)
{
	long below, equal;

	if (c->n <= 0)
		return NAN;
	/* mid-rank: held-out records that tie with s count half, so a record
	 * as ordinary as the most common benign score is not at 0 */
	below = bound(c, s, 0);
	/* ties are few, mostly: look at the next ones before searching */
	for (equal = 0; equal < 8 && below + equal < c->n && c->scores[below + equal] <= s; equal++)
		;
	if (equal == 8)
		equal = bound(c, s, 1) - below;
	return ((double)below + 0.5 * (double)equal) / (double)c->n;
}

double calib_pvalue(const calib *c, double s)
{
	if (c->n <= 0)
		return NAN;
	if (!(s > 0))
		return 1.0;
	if (c->ln_sigma == 0)
		return log(s) > c->ln_mu ? 0.0 : 1.0;
	return upper_tail((log(s) - c->ln_mu) / c->ln_sigma);
}
