/* calib.h - what a score means: the scores of benign records that azw-fit
 * held out of training, and the threshold and significance derived from
 * them. No I/O. */
#ifndef AZW_CALIB_H
#define AZW_CALIB_H

#define CALIB_EVERY 10       /* every 10th training record is held out */
#define CALIB_MAX 10000      /* at most this many are kept (a reservoir) */
#define CALIB_FPR 0.001      /* default false-positive rate of the threshold */

typedef struct {
	long n;            /* held-out records scored; 0: no calibration */
	double *scores;    /* n, ascending */
	double ln_mu;      /* log-normal fit: mean and standard deviation of */
	double ln_sigma;   /* ln(score) over the held-out scores > 0 */
} calib;

/* Sort the n scores (taking ownership of the malloc'ed array) and fit the
 * log-normal. n may be 0. */
void calib_init(calib *c, double *scores, long n);
void calib_free(calib *c);

/* The threshold for a false-positive rate fpr in (0, 1): the (1 - fpr)
 * quantile of the held-out scores (linear interpolation, as numpy's
 * default), or of the log-normal fit when fewer than 1/fpr records were
 * held out (the empirical quantile would be the maximum). NAN if n == 0. */
double calib_threshold(const calib *c, double fpr);
/* Share of held-out records that scored lower than s, those that scored
 * exactly s counting half (mid-rank), in [0, 1]. */
double calib_pctl(const calib *c, double s);
/* Upper-tail probability of s under the log-normal fit, in [0, 1]. */
double calib_pvalue(const calib *c, double s);

#endif
