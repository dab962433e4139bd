/* fit.h - drive KitNET's training over a stream of records, in constant
 * memory: the only records kept are those of the feature-mapping window,
 * and only until the map exists (they are replayed if the stream ends first). */
#ifndef AZW_FIT_H
#define AZW_FIT_H

#include "calib.h"
#include "kitnet.h"
#include "model.h"
#include "vecstream.h"

/* Fewer records than this make no model: error. */
#define FIT_MIN_RECORDS 10

typedef struct {
	kitnet k;
	const vec_header *h;
	double *fm_buf;      /* fm window, fm_n x n_features, row-major */
	long fm_n, fm_cap;
	long records;        /* read */
	long ad_records;     /* trained into the autoencoders */
	/* calibration: the feature-mapping window, every CALIB_EVERY-th record
	 * after it and every record past --ad-grace are held out of the
	 * autoencoders' training; a uniform
	 * sample of at most CALIB_MAX of them is kept (reservoir sampling,
	 * seeded with the model's seed) and scored by the finished model */
	int calibrate;
	double fpr;
	long ad_seen;        /* records after the feature map */
	double *cal_buf;     /* cal_n x n_features */
	long cal_n, cal_seen;
	kitnet_mt rng;
	double ts_min, ts_max;
	char ts_first[32], ts_last[32];
	int progress;        /* print progress on stderr */
	double t_start, t_last;
} fitter;

/* calibrate: hold records out to set a threshold for false-positive rate
 * fpr (not in --compat mode). */
int fit_init(fitter *ft, const vec_header *h, const kitnet_params *p, int calibrate,
             double fpr, int progress);
/* ts: the record's ts column as text ("-" if none); x: its features. */
void fit_record(fitter *ft, const char *ts, const double *x);
/* Finish training and fill m (which then owns the KitNET state and borrows
 * nothing from ft). 0, or -1 after a message. */
int fit_finish(fitter *ft, model *m);
void fit_free(fitter *ft);

#endif
