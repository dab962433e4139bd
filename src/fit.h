/* fit.h - drive KitNET's training over a stream of records, in constant
 * memory: the only records kept are those of the feature-mapping window,
 * and only until the map exists (they are replayed if the stream ends first). */
#ifndef AZW_FIT_H
#define AZW_FIT_H

#include <stdio.h>

#include "calib.h"
#include "kitnet.h"
#include "model.h"
#include "vecstream.h"

/* Fewer records than this make no model: error. */
#define FIT_MIN_RECORDS 10
/* The feature-mapping window is kept for a stream that ends inside it, in
 * at most this much memory: a larger window (--fm-grace up to 1e8) is not
 * kept, and a stream that ends inside it is refused (fit_finish). */
#define FIT_FM_KEEP_BYTES (256L << 20)

/* A uniform sample of at most CALIB_MAX records (reservoir sampling). */
typedef struct {
	double *buf;         /* n x n_features */
	long n, cap, seen;
} fit_reservoir;

typedef struct {
	kitnet k;            /* the KitNET, or only the parameters with parts */
	/* parts (split.h): n_parts 0, or a KitNET over the record columns and
	 * one over the context columns, fed the same records */
	int n_parts;
	kitnet kp[MODEL_MAX_PARTS];
	int *feat[MODEL_MAX_PARTS], nfeat[MODEL_MAX_PARTS];
	double *xp;          /* n_features: a part's values of a record */
	const vec_header *h;
	double *fm_buf;      /* fm window, fm_n x n_features, row-major */
	long fm_n, fm_cap;
	long fm_keep_max;    /* rows of the window kept at most (FIT_FM_KEEP_BYTES) */
	int fm_dropped;      /* the window outgrew fm_keep_max: no replay */
	long records;        /* read */
	long ad_records;     /* trained into the autoencoders */
	/* calibration: every CALIB_EVERY-th record after the feature-mapping
	 * window (not the window: the cold start) and every record past
	 * --ad-grace are held out of the autoencoders' training; a uniform
	 * sample of at most CALIB_MAX of them is kept (reservoir sampling,
	 * seeded with the model's seed) and scored by the finished model.
	 * Where fewer than CALIB_MAX were held out, a sample of the trained
	 * records tops the calibration up to CALIB_MAX (see fit_finish) */
	int calibrate;
	double fpr;
	long ad_seen;        /* records after the feature map */
	fit_reservoir held, trained;
	kitnet_mt rng;
	double ts_min, ts_max;
	char ts_first[32], ts_last[32];
	int progress;        /* print progress on stderr */
	double t_start, t_last;
} fitter;

/* calibrate: hold records out to set a threshold for false-positive rate
 * fpr (not in --compat mode). split: train a record part and a context
 * part where the stream has context columns (split.h). */
int fit_init(fitter *ft, const vec_header *h, const kitnet_params *p, int calibrate,
             double fpr, int split, int progress);
/* ts: the record's ts column as text ("-" if none); x: its features. */
void fit_record(fitter *ft, const char *ts, const double *x);
/* Finish training and fill m (which then owns the KitNET state and borrows
 * nothing from ft). 0, or -1 after a message. */
int fit_finish(fitter *ft, model *m);
void fit_free(fitter *ft);

#endif

/* ---- recalibration: a finished model's calibration from another stream ----
 *
 * Every record after the first `warmup` (the cold start of the context
 * tables) is scored; a uniform sample of at most CALIB_MAX scores is kept
 * and becomes the model's calibration, nothing else of it changes. */
typedef struct {
	model *m;
	long warmup;     /* records skipped at the start */
	long records;    /* read */
	long scored;     /* after the warm-up */
	double *s[MODEL_MAX_PARTS]; /* CALIB_MAX scores (reservoir): the
	                     model's, or each part's */
	char *cold;      /* parts: whether each kept record's source was cold */
	long n;
	kitnet_mt rng;
} recalibrator;

void recal_init(recalibrator *rc, model *m, long warmup);
void recal_record(recalibrator *rc, const char *orig_h, const double *x);
void recal_free(recalibrator *rc);
/* Replace m's calibration and threshold (for fpr): 0, or -1 after a
 * message when no record was scored. Frees rc's scores either way. */
int recal_finish(recalibrator *rc, double fpr);

/* The calibration report: what the threshold rests on and how uncertain
 * it is, one paragraph on f. */
void fit_report(FILE *f, const model *m);
/* The feature map: which features share an autoencoder, part by part, and
 * each one's training range [min, max] (what the normalisation scales to
 * [0, 1]; a value beyond it stands out), an autoencoder a line. */
void fit_report_map(FILE *f, const model *m);
