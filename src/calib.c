/* calib.c - score calibration from held-out benign records: ranks below
 * the tail, a generalised Pareto tail above it (calib.h). */
#include "calib.h"
#include "kitnet.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void fit_lognormal(calib *c)
{
	double sum = 0, sq = 0, d;
	long i, m = 0;

	c->ln_mu = c->ln_sigma = 0;
	for (i = 0; i < c->n; i++)
		if (c->scores[i] > 0) {
			sum += log(c->scores[i]);
			m++;
		}
	if (m == 0)
		return;
	c->ln_mu = sum / m;
	for (i = 0; i < c->n; i++)
		if (c->scores[i] > 0) {
			d = log(c->scores[i]) - c->ln_mu;
			sq += d * d;
		}
	c->ln_sigma = m > 1 ? sqrt(sq / (m - 1)) : 0;
}

/* The GPD's profile log-likelihood per peak at theta = gamma / sigma, for
 * the k excesses y: gamma(theta) = mean log(1 + theta y), sigma = gamma /
 * theta, and the likelihood -(log sigma + 1 + gamma). -INFINITY where
 * gamma leaves its bounds. theta 0 is the exponential tail. */
static double profile(const double *y, long k, double theta, double *gamma, double *sigma)
{
	double g = 0, mean = 0;
	long i;

	if (theta == 0) {
		for (i = 0; i < k; i++)
			mean += y[i];
		mean /= (double)k;
		*gamma = 0;
		*sigma = mean;
		return -(log(mean) + 1);
	}
	for (i = 0; i < k; i++)
		g += log1p(theta * y[i]);
	g /= (double)k;
	*gamma = g;
	*sigma = g / theta;
	if (!(g >= CALIB_GAMMA_MIN && g <= CALIB_GAMMA_MAX) || !(*sigma > 0))
		return -INFINITY;
	return -(log(*sigma) + 1 + g);
}

/* How many of n scores make the tail: SPOT's 2 %, but at least a quarter
 * of them up to CALIB_TAIL_MIN_K, so that a few hundred scores still
 * give an (exponential) tail some points to rest on. */
static long tail_size(long n)
{
	long k = (long)ceil(0.02 * (double)n), lo = n / 4;

	if (lo > CALIB_TAIL_MIN_K)
		lo = CALIB_TAIL_MIN_K;
	return k > lo ? k : lo;
}

void calib_fit_tail(calib *c)
{
	double *y, ymax, best, g, s, t, a, b, l1, l2, x1, x2;
	long k, i;
	int j, it, bj = 0;
	/* grid over t = theta * ymax in (-1, inf): steps of 10^(1/4) */
	double grid[100];
	int ng = 0;

	c->tail_k = 0;
	c->tail_u = c->tail_sigma = c->tail_gamma = 0;
	if (c->n < 4)
		return;
	k = tail_size(c->n);
	c->tail_k = k;
	c->tail_u = c->scores[c->n - k - 1];
	y = malloc((size_t)k * sizeof *y);
	if (!y) {
		c->tail_k = 0;
		return;
	}
	for (i = 0; i < k; i++)
		y[i] = c->scores[c->n - k + i] - c->tail_u;
	ymax = y[k - 1];
	if (!(ymax > 0)) { /* every peak ties with u: nothing lies above */
		free(y);
		return;
	}
	best = profile(y, k, 0, &c->tail_gamma, &c->tail_sigma);
	if (k < CALIB_TAIL_MLE) {
		free(y);
		return;
	}
	for (j = 40; j >= 1; j--)
		grid[ng++] = -(1 - pow(10, -j / 4.0));
	grid[ng++] = 0;
	for (j = -24; j <= 24; j++)
		grid[ng++] = pow(10, j / 4.0);
	for (j = 0; j < ng; j++) {
		double l = profile(y, k, grid[j] / ymax, &g, &s);

		if (l > best) {
			best = l;
			bj = j;
			c->tail_gamma = g;
			c->tail_sigma = s;
		}
	}
	if (bj > 0 && grid[bj] != 0) {
		/* golden-section search between the best point's neighbours */
		a = grid[bj - 1];
		b = bj + 1 < ng ? grid[bj + 1] : grid[bj];
		t = (sqrt(5.0) - 1) / 2;
		x1 = b - t * (b - a);
		x2 = a + t * (b - a);
		l1 = profile(y, k, x1 / ymax, &g, &s);
		l2 = profile(y, k, x2 / ymax, &g, &s);
		for (it = 0; it < 60; it++) {
			if (l1 > l2) {
				b = x2; x2 = x1; l2 = l1;
				x1 = b - t * (b - a);
				l1 = profile(y, k, x1 / ymax, &g, &s);
			} else {
				a = x1; x1 = x2; l1 = l2;
				x2 = a + t * (b - a);
				l2 = profile(y, k, x2 / ymax, &g, &s);
			}
		}
		x1 = 0.5 * (a + b);
		if (x1 != 0 && profile(y, k, x1 / ymax, &g, &s) > best) {
			c->tail_gamma = g;
			c->tail_sigma = s;
		}
	}
	free(y);
}

void calib_init(calib *c, double *scores, long n)
{
	memset(c, 0, sizeof *c);
	c->n = n;
	c->scores = scores;
	if (n <= 0)
		return;
	qsort(scores, (size_t)n, sizeof *scores, cmp_double);
	fit_lognormal(c);
	calib_fit_tail(c);
	calib_index(c);
}

void calib_index(calib *c)
{
	long i;

	free(c->coarse);
	c->coarse = NULL;
	c->n_coarse = 0;
	if (c->n <= 0)
		return;
	c->n_coarse = (c->n + CALIB_STRIDE - 1) / CALIB_STRIDE;
	c->coarse = malloc((size_t)c->n_coarse * sizeof *c->coarse);
	if (!c->coarse) {
		c->n_coarse = 0;
		return;
	}
	for (i = 0; i < c->n_coarse; i++)
		c->coarse[i] = c->scores[i * CALIB_STRIDE];
}

void calib_free(calib *c)
{
	free(c->scores);
	free(c->coarse);
	c->scores = c->coarse = NULL;
	c->n = c->n_coarse = 0;
	c->tail_k = 0;
}

/* L(k): the one-sided 95 % lower confidence bound of a Poisson mean from k
 * events (Wilson-Hilferty: 0.04 for one event, 1.36 for four, 5.4 for
 * ten; 0 for none). With k of n calibration scores at or above s,
 * P(score >= s) is at least about L(k) / n: the tail's fit extrapolates
 * beyond the highest score, but within the scores it must not call a
 * score far rarer than they show it is. Benign records that tie far above
 * the rest of the tail (a device's unanswered NTP queries, 8 of 1,288 on
 * iot23-hakai) otherwise got the p-value of a record never seen (1.8e-6)
 * and a threshold below them. */
static double count_floor(double k)
{
	double h;

	if (k < 1)
		return 0;
	h = 1 - 1 / (9 * k) - 1.6448536 / (3 * sqrt(k));
	return h > 0 ? k * h * h * h : 0;
}

double calib_threshold(const calib *c, double fpr)
{
	double pos, frac, q;
	long i;

	if (c->n <= 0)
		return NAN;
	q = fpr * (double)c->n / (double)c->tail_k;
	if (c->tail_k > 0 && (double)c->n * fpr < CALIB_MIN_TAIL && q < 1) {
		/* the (1 - fpr) quantile of the tail: P(score > z) = fpr */
		double z, max = c->scores[c->n - 1];

		if (!(c->tail_sigma > 0))
			z = c->tail_u;
		else if (c->tail_gamma == 0)
			z = c->tail_u - c->tail_sigma * log(q);
		else
			z = c->tail_u + c->tail_sigma / c->tail_gamma * (pow(q, -c->tail_gamma) - 1);
		/* fewer than 1/fpr scores: the quantile lies above their
		 * maximum, whatever a fit of a few points says */
		if ((double)c->n * fpr < 1 && z < max)
			return max;
		/* and never below the k-th highest score while k scores at
		 * or above it say more than fpr (count_floor()) */
		for (i = 1; i <= c->n && count_floor((double)i) <= (double)c->n * fpr; i++)
			;
		return i <= c->n && z < c->scores[c->n - i] ? c->scores[c->n - i] : z;
	}
	pos = (1.0 - fpr) * (double)(c->n - 1);
	i = (long)pos;
	if (i >= c->n - 1)
		return c->scores[c->n - 1];
	frac = pos - (double)i;
	return c->scores[i] + frac * (c->scores[i + 1] - c->scores[i]);
}

static int cmp_double_q(const void *a, const void *b)
{
	return cmp_double(a, b);
}

void calib_interval(const calib *c, double fpr, int B, double *lo, double *hi)
{
	double *t, *s;
	kitnet_mt rng;
	calib r;
	long i;
	int b;

	*lo = *hi = NAN;
	if (c->n <= 0 || B < 2)
		return;
	t = malloc((size_t)B * sizeof *t);
	if (!t)
		return;
	kitnet_mt_seed(&rng, 20170813U);
	for (b = 0; b < B; b++) {
		s = malloc((size_t)c->n * sizeof *s);
		if (!s) {
			free(t);
			return;
		}
		for (i = 0; i < c->n; i++)
			s[i] = c->scores[(long)(kitnet_mt_double(&rng) * (double)c->n)];
		calib_init(&r, s, c->n);
		t[b] = calib_threshold(&r, fpr);
		calib_free(&r);
	}
	qsort(t, (size_t)B, sizeof *t, cmp_double_q);
	*lo = t[(int)(0.05 * (B - 1) + 0.5)];
	*hi = t[(int)(0.95 * (B - 1) + 0.5)];
	free(t);
}

/* Index of the first held-out score >= s (or > s when above): first
 * among the coarse index, then within one stride of the scores. */
static long bound(const calib *c, double s, int above)
{
	long lo = 0, hi = c->n, mid;

	if (c->n_coarse > 1) {
		long clo = 0, chi = c->n_coarse;

		/* the first coarse entry >= s (> s): the answer lies in
		 * (its index - 1) * STRIDE .. its index * STRIDE */
		while (clo < chi) {
			mid = clo + (chi - clo) / 2;
			if (above ? c->coarse[mid] <= s : c->coarse[mid] < s)
				clo = mid + 1;
			else
				chi = mid;
		}
		lo = clo > 0 ? (clo - 1) * CALIB_STRIDE : 0;
		hi = clo * CALIB_STRIDE < c->n ? clo * CALIB_STRIDE : c->n;
	}

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

/* The fitted tail's upper-tail probability of s > tail_u. */
static double tail_pvalue(const calib *c, double s)
{
	double z, base;

	if (!(c->tail_sigma > 0))
		return 0.0;
	z = (s - c->tail_u) / c->tail_sigma;
	if (c->tail_gamma == 0)
		return (double)c->tail_k / (double)c->n * exp(-z);
	base = 1 + c->tail_gamma * z;
	if (!(base > 0))
		return 0.0;
	return (double)c->tail_k / (double)c->n * pow(base, -1 / c->tail_gamma);
}

/* The tail's p-value of s > tail_u, never below what the scores at or
 * above s allow (count_floor()). */
static double tail_or_count(const calib *c, double s)
{
	double p = tail_pvalue(c, s), lo = count_floor((double)(c->n - bound(c, s, 0))) / (double)c->n;

	return p < lo ? lo : p;
}

double calib_pvalue(const calib *c, double s)
{
	if (c->n <= 0)
		return NAN;
	if (c->tail_k == 0 || !(s > c->tail_u))
		return 1.0 - calib_pctl(c, s);
	return tail_or_count(c, s);
}

double calib_rank(const calib *c, double s, double *pctl)
{
	*pctl = calib_pctl(c, s);
	if (c->n <= 0)
		return NAN;
	if (c->tail_k == 0 || !(s > c->tail_u))
		return 1.0 - *pctl;
	return tail_or_count(c, s);
}
