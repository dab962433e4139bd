/* fit.c - training schedule and progress for azw-fit. */
#include "fit.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

int fit_init(fitter *ft, const vec_header *h, const kitnet_params *p, int calibrate,
             double fpr, int progress)
{
	memset(ft, 0, sizeof *ft);
	if (kitnet_init(&ft->k, h->n_features, p) < 0)
		return -1;
	ft->calibrate = calibrate;
	ft->fpr = fpr;
	kitnet_mt_seed(&ft->rng, p->seed ^ 0x5eedca1bU);
	ft->h = h;
	ft->ts_min = INFINITY;
	ft->ts_max = -INFINITY;
	ft->progress = progress;
	ft->t_start = ft->t_last = now();
	return 0;
}

static void show_progress(fitter *ft, int final)
{
	double t = now(), el = t - ft->t_start;

	if (!final && t - ft->t_last < 0.5)
		return;
	ft->t_last = t;
	fprintf(stderr, "\razw-fit: %s: %ld records, %.0f records/s   %s",
	        ft->k.n_ae ? "training autoencoders" : "feature map",
	        ft->records, el > 0 ? ft->records / el : 0.0, final ? "\n" : "");
}

static void note_ts(fitter *ft, const char *ts)
{
	double t;
	char *end;

	t = strtod_fast(ts, &end);
	if (end == ts || *end || !isfinite(t))
		return;
	if (t < ft->ts_min) {
		ft->ts_min = t;
		snprintf(ft->ts_first, sizeof ft->ts_first, "%s", ts);
	}
	if (t > ft->ts_max) {
		ft->ts_max = t;
		snprintf(ft->ts_last, sizeof ft->ts_last, "%s", ts);
	}
}

/* Offer a held-out record to the reservoir. */
static void hold_out(fitter *ft, const double *x)
{
	size_t n = (size_t)ft->k.n_features;
	long slot;

	if (!ft->cal_buf)
		ft->cal_buf = emalloc((size_t)CALIB_MAX * n * sizeof *ft->cal_buf);
	slot = ft->cal_seen < CALIB_MAX ? ft->cal_seen
	       : (long)(kitnet_mt_double(&ft->rng) * (double)(ft->cal_seen + 1));
	ft->cal_seen++;
	if (slot < CALIB_MAX) {
		memcpy(ft->cal_buf + (size_t)slot * n, x, n * sizeof *x);
		if (ft->cal_n < CALIB_MAX)
			ft->cal_n++;
	}
}

/* One record after the feature map: trained on, or held out. */
static void after_map(fitter *ft, const char *ts, const double *x)
{
	kitnet *k = &ft->k;
	int capped = k->p.ad_grace >= 0 && ft->ad_records >= k->p.ad_grace;

	ft->ad_seen++;
	if (ft->calibrate && (capped || ft->ad_seen % CALIB_EVERY == 0)) {
		hold_out(ft, x);
	} else if (!capped) {
		if (ts)
			note_ts(ft, ts);
		kitnet_train(k, x);
		ft->ad_records++;
	}
}

void fit_record(fitter *ft, const char *ts, const double *x)
{
	kitnet *k = &ft->k;
	size_t n = (size_t)k->n_features;

	ft->records++;
	if (k->n_ae == 0) {
		/* Keep the window in case the stream ends before the map exists. */
		if (ft->fm_n == ft->fm_cap) {
			ft->fm_cap = ft->fm_cap ? 2 * ft->fm_cap : 64;
			if (ft->fm_cap > k->p.fm_grace + 1)
				ft->fm_cap = k->p.fm_grace + 1;
			ft->fm_buf = erealloc(ft->fm_buf, (size_t)ft->fm_cap * n * sizeof *ft->fm_buf);
		}
		memcpy(ft->fm_buf + (size_t)ft->fm_n++ * n, x, n * sizeof *x);
		note_ts(ft, ts);
		kitnet_train(k, x);
		/* The autoencoders never train on the feature-mapping window:
		 * its records are benign scores the threshold can learn from. */
		if (ft->calibrate)
			hold_out(ft, x);
	} else {
		if (ft->fm_buf) {
			/* the stream goes on after the window: no replay needed */
			free(ft->fm_buf);
			ft->fm_buf = NULL;
		}
		after_map(ft, ts, x);
	}
	if (ft->progress && (ft->records & 4095) == 0)
		show_progress(ft, 0);
}

int fit_finish(fitter *ft, model *m)
{
	kitnet *k = &ft->k;
	long fm_records = ft->fm_n, i;

	if (ft->progress)
		show_progress(ft, 1);
	if (ft->records < FIT_MIN_RECORDS) {
		weprintf("only %ld records: a model needs at least %d", ft->records, FIT_MIN_RECORDS);
		return -1;
	}
	if (ft->ad_records == 0) {
		/* The stream ended inside the feature-mapping window. */
		weprintf("warning: only %ld records, none after the feature-mapping window "
		         "(--fm-grace %ld: %ld records): the autoencoders learn from the same "
		         "records as the feature map%s", ft->records, k->p.fm_grace,
		         k->p.fm_grace + 1, ft->calibrate ? " (less every 10th, held out)" : "");
		if (kitnet_build_map(k) < 0) {
			weprintf("cannot build the feature map:");
			return -1;
		}
		/* the window is trained on after all: hold out every 10th instead */
		ft->cal_n = ft->cal_seen = 0;
		kitnet_mt_seed(&ft->rng, k->p.seed ^ 0x5eedca1bU);
		for (i = 0; i < ft->fm_n; i++)
			after_map(ft, NULL, ft->fm_buf + (size_t)i * k->n_features);
		free(ft->fm_buf);
		ft->fm_buf = NULL;
	}
	memset(m, 0, sizeof *m);
	if (ft->calibrate) {
		double *s = emalloc((size_t)(ft->cal_n ? ft->cal_n : 1) * sizeof *s);

		for (i = 0; i < ft->cal_n; i++)
			s[i] = kitnet_execute(k, ft->cal_buf + (size_t)i * k->n_features, NULL);
		calib_init(&m->cal, s, ft->cal_n);
		free(ft->cal_buf);
		ft->cal_buf = NULL;
		if (ft->cal_n == 0)
			weprintf("warning: no records held out for calibration: the model has "
			         "no threshold (give azw-score --threshold)");
		else if (ft->cal_n < 100)
			weprintf("warning: only %ld records held out for calibration: "
			         "the threshold is rough", ft->cal_n);
	}
	m->fpr = ft->fpr;
	m->threshold = calib_threshold(&m->cal, ft->fpr);
	m->cal_seen = ft->cal_seen;
	m->h.module = estrdup(ft->h->module);
	m->h.schema = estrdup(ft->h->schema);
	m->h.n_features = ft->h->n_features;
	m->h.names = ecalloc((size_t)m->h.n_features, sizeof *m->h.names);
	for (i = 0; i < m->h.n_features; i++)
		m->h.names[i] = estrdup(ft->h->names[i]);
	m->k = *k; /* ownership moves to the model */
	memset(k, 0, sizeof *k);
	m->records = ft->records;
	m->fm_records = fm_records;
	m->ad_records = ft->ad_records;
	memcpy(m->ts_first, ft->ts_first, sizeof m->ts_first);
	memcpy(m->ts_last, ft->ts_last, sizeof m->ts_last);
	return 0;
}

void fit_free(fitter *ft)
{
	kitnet_free(&ft->k);
	free(ft->fm_buf);
	free(ft->cal_buf);
	ft->fm_buf = ft->cal_buf = NULL;
}
