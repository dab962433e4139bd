/* calib.h - what a score means: the scores of benign records that azw-fit
 * held out of training, and the threshold and significance derived from
 * them. No I/O.
 *
 * Below the tail, a score's meaning is its rank among the held-out scores.
 * The tail is modelled as extreme-value theory does (peaks over threshold,
 * as in SPOT: Siffer et al., KDD 2017): the k highest held-out scores'
 * excesses over u, the (k+1)-th highest, follow a generalised Pareto
 * distribution GPD(sigma, gamma), so
 *
 *   P(score > s) = k/n * (1 + gamma (s - u) / sigma)^(-1/gamma)   (s > u)
 *
 * (exp(-(s - u) / sigma) for gamma = 0). The fit is maximum likelihood
 * (profiled over theta = gamma/sigma, as Grimshaw's method reduces it);
 * gamma is kept within [CALIB_GAMMA_MIN, CALIB_GAMMA_MAX], and with fewer
 * than CALIB_TAIL_MLE peaks (fewer than 5000 scores) the tail is
 * exponential (gamma 0: one parameter, the mean excess), because a shape
 * from a few dozen points extrapolates wildly: on 300 Exp(1) scores the
 * fitted shape put the 0.999 quantile at 5.0, below the largest score,
 * where it is 6.9.
 *
 * Within the scores the fit must not call a score far rarer than they show
 * it is: with k of the n scores at or above s, the p-value is at least
 * L(k)/n, L(k) the one-sided 95 % lower confidence bound of a Poisson mean
 * from k events (1.36 for four), and the threshold is never below the k-th
 * highest score while L(k)/n exceeds the false-positive rate. Beyond the
 * highest score the fit alone extrapolates. */
#ifndef AZW_CALIB_H
#define AZW_CALIB_H

#define CALIB_EVERY 10       /* every 10th training record is held out */
#define CALIB_MAX 10000      /* at most this many are kept (a reservoir) */
#define CALIB_FPR 0.001      /* default false-positive rate of the threshold */
#define CALIB_MIN_TAIL 10    /* an empirical quantile needs this many scores above it */
#define CALIB_TAIL_MLE 100   /* peaks needed to fit the GPD's shape */
#define CALIB_TAIL_MIN_K 40  /* the tail holds at least this many scores (or n/4) */
#define CALIB_GAMMA_MIN (-0.5)
#define CALIB_GAMMA_MAX 0.5

typedef struct {
	long n;            /* held-out records scored; 0: no calibration */
	double *scores;    /* n, ascending */
	double ln_mu;      /* log-normal fit: mean and standard deviation of */
	double ln_sigma;   /* ln(score) over the held-out scores > 0 (shown, unused) */
	/* the tail: GPD over the tail_k highest scores' excesses over tail_u
	 * (tail_k 0: fewer than 4 scores, no tail model) */
	long tail_k;
	double tail_u, tail_sigma, tail_gamma;
	/* every CALIB_STRIDE-th score, so that a search touches a few cache
	 * lines, not fourteen (calib_index(); never saved) */
	double *coarse;
	long n_coarse;
} calib;

#define CALIB_STRIDE 32

/* Sort the n scores (taking ownership of the malloc'ed array), fit the
 * log-normal and the tail. n may be 0. */
void calib_init(calib *c, double *scores, long n);
void calib_free(calib *c);

/* Fit only the tail of c's sorted scores (calib_init does it; the model
 * reader calls it for files that do not store one). */
void calib_fit_tail(calib *c);
/* Build the search index of c's sorted scores (calib_init does it; so
 * must whoever fills scores by hand). */
void calib_index(calib *c);

/* The threshold for a false-positive rate fpr in (0, 1): the (1 - fpr)
 * quantile of the held-out scores (linear interpolation, as numpy's
 * default) when at least CALIB_MIN_TAIL of them lie above it, else the
 * quantile of the fitted tail, but never below the highest score when
 * there are fewer than 1/fpr of them. NAN if n == 0. */
double calib_threshold(const calib *c, double fpr);
/* The same threshold from B bootstrap resamples of the held-out scores:
 * its 5th and 95th percentiles into *lo, *hi (deterministic: a fixed
 * seed). Costs B sorts of n scores. */
void calib_interval(const calib *c, double fpr, int B, double *lo, double *hi);
/* Share of held-out records that scored lower than s, those that scored
 * exactly s counting half (mid-rank), in [0, 1]. */
double calib_pctl(const calib *c, double s);
/* Upper-tail probability of s among benign scores, in [0, 1]: 1 - pctl
 * below the tail, the fitted tail's above it (so it goes on falling beyond
 * the highest held-out score). */
double calib_pvalue(const calib *c, double s);
/* Both, from one search: *pctl = calib_pctl(c, s), returns calib_pvalue(c, s). */
double calib_rank(const calib *c, double s, double *pctl);

#endif
