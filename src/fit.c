/* fit.c - training schedule and progress for azw-fit. */
#include "fit.h"
#include "split.h"
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
             double fpr, int split, int progress)
{
	char *is_ctx;
	int i, j, n_ctx;

	memset(ft, 0, sizeof *ft);
	if (kitnet_init(&ft->k, h->n_features, p) < 0)
		return -1;
	is_ctx = emalloc((size_t)h->n_features);
	n_ctx = split ? split_context_features(h, is_ctx) : 0;
	if (n_ctx > 0 && n_ctx < h->n_features) {
		ft->n_parts = MODEL_MAX_PARTS;
		ft->xp = emalloc((size_t)h->n_features * sizeof *ft->xp);
		for (j = 0; j < MODEL_MAX_PARTS; j++) {
			int want = j == MODEL_PART_CONTEXT;

			ft->feat[j] = emalloc((size_t)h->n_features * sizeof *ft->feat[j]);
			for (i = 0; i < h->n_features; i++)
				if (is_ctx[i] == want)
					ft->feat[j][ft->nfeat[j]++] = i;
			if (kitnet_init(&ft->kp[j], ft->nfeat[j], p) < 0) {
				free(is_ctx);
				return -1;
			}
		}
	}
	free(is_ctx);
	ft->calibrate = calibrate;
	ft->fpr = fpr;
	kitnet_mt_seed(&ft->rng, p->seed ^ 0x5eedca1bU);
	ft->h = h;
	ft->ts_min = INFINITY;
	ft->ts_max = -INFINITY;
	ft->progress = progress;
	ft->t_start = ft->t_last = now();
	ft->fm_keep_max = FIT_FM_KEEP_BYTES / ((long)h->n_features * (long)sizeof(double));
	return 0;
}

/* The KitNET whose phase (feature map or autoencoders) is the fit's. */
static kitnet *lead(fitter *ft)
{
	return ft->n_parts ? &ft->kp[0] : &ft->k;
}

/* x's values of part j's features into ft->xp. */
static const double *part_x(fitter *ft, int j, const double *x)
{
	int i;

	for (i = 0; i < ft->nfeat[j]; i++)
		ft->xp[i] = x[ft->feat[j][i]];
	return ft->xp;
}

static void train(fitter *ft, const double *x)
{
	int j;

	if (!ft->n_parts) {
		kitnet_train(&ft->k, x);
		return;
	}
	for (j = 0; j < ft->n_parts; j++)
		kitnet_train(&ft->kp[j], part_x(ft, j, x));
}

static int build_map(fitter *ft)
{
	int j;

	if (!ft->n_parts)
		return kitnet_build_map(&ft->k);
	for (j = 0; j < ft->n_parts; j++)
		if (kitnet_build_map(&ft->kp[j]) < 0)
			return -1;
	return 0;
}

static void show_progress(fitter *ft, int final)
{
	double t = now(), el = t - ft->t_start;

	if (!final && t - ft->t_last < 0.5)
		return;
	ft->t_last = t;
	fprintf(stderr, "\razw-fit: %s: %ld records, %.0f records/s   %s",
	        lead(ft)->n_ae ? "training autoencoders" : "feature map",
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

/* Offer a record to a reservoir: the first CALIB_MAX are kept, then each
 * replaces a random one with probability CALIB_MAX / seen. */
static void offer(fitter *ft, fit_reservoir *r, const double *x)
{
	size_t n = (size_t)ft->k.n_features;
	long slot;

	slot = r->seen < CALIB_MAX ? r->seen
	       : (long)(kitnet_mt_double(&ft->rng) * (double)(r->seen + 1));
	r->seen++;
	if (slot >= CALIB_MAX)
		return;
	if (slot >= r->cap) {
		r->cap = r->cap ? 2 * r->cap : 256;
		if (r->cap > CALIB_MAX)
			r->cap = CALIB_MAX;
		r->buf = erealloc(r->buf, (size_t)r->cap * n * sizeof *r->buf);
	}
	memcpy(r->buf + (size_t)slot * n, x, n * sizeof *x);
	if (r->n < CALIB_MAX)
		r->n++;
}

/* One record after the feature map: trained on, or held out. */
static void after_map(fitter *ft, const char *ts, const double *x)
{
	kitnet *k = &ft->k;
	int capped = k->p.ad_grace >= 0 && ft->ad_records >= k->p.ad_grace;

	ft->ad_seen++;
	if (ft->calibrate && (capped || ft->ad_seen % CALIB_EVERY == 0)) {
		offer(ft, &ft->held, x);
	} else if (!capped) {
		if (ts)
			note_ts(ft, ts);
		train(ft, x);
		ft->ad_records++;
		if (ft->calibrate)
			offer(ft, &ft->trained, x);
	}
}

void fit_record(fitter *ft, const char *ts, const double *x)
{
	kitnet *k = &ft->k;
	size_t n = (size_t)k->n_features;

	ft->records++;
	if (lead(ft)->n_ae == 0) {
		/* Keep the window in case the stream ends before the map
		 * exists, in bounded memory: past fm_keep_max rows it is let
		 * go (such a stream must then go on past the window). */
		if (!ft->fm_dropped && ft->fm_n == ft->fm_keep_max) {
			free(ft->fm_buf);
			ft->fm_buf = NULL;
			ft->fm_cap = 0;
			ft->fm_dropped = 1;
		}
		if (!ft->fm_dropped && ft->fm_n == ft->fm_cap) {
			ft->fm_cap = ft->fm_cap ? 2 * ft->fm_cap : 64;
			if (ft->fm_cap > k->p.fm_grace + 1)
				ft->fm_cap = k->p.fm_grace + 1;
			if (ft->fm_cap > ft->fm_keep_max)
				ft->fm_cap = ft->fm_keep_max;
			ft->fm_buf = erealloc(ft->fm_buf, (size_t)ft->fm_cap * n * sizeof *ft->fm_buf);
		}
		if (!ft->fm_dropped)
			memcpy(ft->fm_buf + (size_t)ft->fm_n * n, x, n * sizeof *x);
		ft->fm_n++;
		note_ts(ft, ts);
		train(ft, x);
		/* The window is not held out for calibration: it is the start
		 * of the stream, where every context table is cold, and its
		 * records score far above the steady state (make eval: held-out
		 * median 0.23 against 0.09), which set the threshold's tail. */
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

/* The parts' scores of the nh held-out and nt trained calibration
 * records, each part's calibration from them (into m's parts, which hold
 * the parts' KitNETs by now), and the combined scores into s. */
static void calibrate_parts(fitter *ft, model *m, long nh, long nt, double *s)
{
	long i, n = nh + nt, nf = ft->k.n_features;
	double *raw[MODEL_MAX_PARTS];
	char *cold = emalloc((size_t)(n ? n : 1));
	split_gate gate;
	int j;

	split_gate_find(ft->h, &gate);

	for (j = 0; j < m->n_parts; j++) {
		model_part *pt = &m->part[j];

		raw[j] = emalloc((size_t)(n ? n : 1) * sizeof *raw[j]);
		for (i = 0; i < n; i++) {
			const double *x = i < nh ? ft->held.buf + (size_t)i * nf
			                         : ft->trained.buf + (size_t)(i - nh) * nf;

			split_gather(pt, x, ft->xp);
			raw[j][i] = kitnet_execute(&pt->k, ft->xp, NULL);
			if (j == 0)
				cold[i] = (char)split_cold(&gate, x);
		}
	}
	split_calibrate(m, raw, cold, n, ft->fpr, s);
	for (j = 0; j < m->n_parts; j++)
		free(raw[j]);
	free(cold);
}

/* The stream ended inside the feature-mapping window (nothing after it
 * was trained on): build the map now, and train on the window after all,
 * holding out every 10th record instead. 0, or -1 after a message. */
static int train_on_window(fitter *ft)
{
	kitnet *k = &ft->k;
	long i;

	weprintf("warning: only %ld records, none after the feature-mapping window "
	         "(--fm-grace %ld: %ld records): the autoencoders learn from the same "
	         "records as the feature map%s", ft->records, k->p.fm_grace,
	         k->p.fm_grace + 1, ft->calibrate ? " (less every 10th, held out)" : "");
	if (build_map(ft) < 0) {
		weprintf("cannot build the feature map:");
		return -1;
	}
	ft->held.n = ft->held.seen = ft->trained.n = ft->trained.seen = 0;
	kitnet_mt_seed(&ft->rng, k->p.seed ^ 0x5eedca1bU);
	for (i = 0; i < ft->fm_n; i++)
		after_map(ft, NULL, ft->fm_buf + (size_t)i * k->n_features);
	free(ft->fm_buf);
	ft->fm_buf = NULL;
	return 0;
}

/* m's calibration: the scores of the held-out records first; where there
 * are fewer than CALIB_MAX, trained ones make up the rest. A model trained
 * in one pass of SGD scores the records it trained on as it scores unseen
 * ones (make eval, rita-beacon: 99th percentile 0.1381 over 57,202 trained
 * and 0.1382 over 5,720 held out, 99.9th 0.1773 and 0.1767), and a few
 * hundred held-out scores cannot place a 1-in-1000 threshold. */
static void calibrate(fitter *ft, model *m)
{
	kitnet *k = &ft->k;
	long nh = ft->held.n, nt = ft->trained.n, nf = k->n_features, i;
	double *s;

	if (nt > CALIB_MAX - nh)
		nt = CALIB_MAX - nh;
	s = emalloc((size_t)(nh + nt ? nh + nt : 1) * sizeof *s);
	if (ft->n_parts)
		calibrate_parts(ft, m, nh, nt, s);
	else {
		for (i = 0; i < nh; i++)
			s[i] = kitnet_execute(k, ft->held.buf + (size_t)i * nf, NULL);
		for (i = 0; i < nt; i++)
			s[nh + i] = kitnet_execute(k, ft->trained.buf + (size_t)i * nf, NULL);
	}
	calib_init(&m->cal, s, nh + nt);
	m->cal_held = nh;
	free(ft->held.buf);
	free(ft->trained.buf);
	ft->held.buf = ft->trained.buf = NULL;
	if (nh + nt == 0)
		weprintf("warning: no records held out for calibration: the model has "
		         "no threshold (give azw-score --threshold)");
	else if (nh + nt < 100)
		weprintf("warning: only %ld records to calibrate on: "
		         "the threshold is rough", nh + nt);
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
	if (ft->ad_records == 0 && ft->fm_dropped) {
		weprintf("only %ld records, all inside the feature-mapping window (--fm-grace %ld), "
		         "which is kept in memory only up to %ld records of this stream (%ld MiB): "
		         "give an --fm-grace below the number of records",
		         ft->records, k->p.fm_grace, ft->fm_keep_max, FIT_FM_KEEP_BYTES >> 20);
		return -1;
	}
	if (ft->ad_records == 0 && train_on_window(ft) < 0)
		return -1;
	memset(m, 0, sizeof *m);
	if (ft->n_parts) {
		/* ownership of the parts moves to the model */
		m->n_parts = ft->n_parts;
		for (i = 0; i < ft->n_parts; i++) {
			m->part[i].n = ft->nfeat[i];
			m->part[i].feat = ft->feat[i];
			m->part[i].k = ft->kp[i];
			ft->feat[i] = NULL;
			memset(&ft->kp[i], 0, sizeof ft->kp[i]);
		}
	}
	if (ft->calibrate)
		calibrate(ft, m);
	m->fpr = ft->fpr;
	m->threshold = calib_threshold(&m->cal, ft->fpr);
	m->cal_seen = ft->held.seen;
	m->h.module = estrdup(ft->h->module);
	m->h.schema = estrdup(ft->h->schema);
	m->h.n_features = ft->h->n_features;
	m->h.names = ecalloc((size_t)m->h.n_features, sizeof *m->h.names);
	for (i = 0; i < m->h.n_features; i++)
		m->h.names[i] = estrdup(ft->h->names[i]);
	if (!ft->n_parts) {
		m->k = *k; /* ownership moves to the model */
		memset(k, 0, sizeof *k);
	}
	m->records = ft->records;
	m->fm_records = fm_records;
	m->ad_records = ft->ad_records;
	memcpy(m->ts_first, ft->ts_first, sizeof m->ts_first);
	memcpy(m->ts_last, ft->ts_last, sizeof m->ts_last);
	return 0;
}

void fit_free(fitter *ft)
{
	int j;

	kitnet_free(&ft->k);
	for (j = 0; j < MODEL_MAX_PARTS; j++) {
		kitnet_free(&ft->kp[j]);
		free(ft->feat[j]);
		ft->feat[j] = NULL;
	}
	free(ft->xp);
	ft->xp = NULL;
	free(ft->fm_buf);
	free(ft->held.buf);
	free(ft->trained.buf);
	ft->fm_buf = ft->held.buf = ft->trained.buf = NULL;
}

void recal_init(recalibrator *rc, model *m, long warmup)
{
	int j;

	memset(rc, 0, sizeof *rc);
	rc->m = m;
	rc->warmup = warmup;
	for (j = 0; j < (m->n_parts ? m->n_parts : 1); j++)
		rc->s[j] = emalloc((size_t)CALIB_MAX * sizeof *rc->s[j]);
	if (m->n_parts)
		rc->cold = emalloc(CALIB_MAX);
	kitnet_mt_seed(&rc->rng, (m->n_parts ? m->part[0].k.p.seed : m->k.p.seed) ^ 0x5eedca1bU);
}

void recal_record(recalibrator *rc, const char *orig_h, const double *x)
{
	model *m = rc->m;
	split_scores sc;
	long slot;
	int j;

	if (rc->records++ < rc->warmup)
		return;
	slot = rc->scored < CALIB_MAX ? rc->scored
	       : (long)(kitnet_mt_double(&rc->rng) * (double)(rc->scored + 1));
	rc->scored++;
	if (slot >= CALIB_MAX)
		return;
	if (m->n_parts == 0) {
		rc->s[0][slot] = kitnet_execute(&m->k, x, NULL);
	} else {
		split_score(m, x, orig_h, &sc); /* the parts' RMSEs; their p-values come later */
		for (j = 0; j < m->n_parts; j++)
			rc->s[j][slot] = sc.part[j];
		rc->cold[slot] = (char)split_silent(m, orig_h, x);
	}
	if (rc->n < CALIB_MAX)
		rc->n++;
}

void recal_free(recalibrator *rc)
{
	int j;

	for (j = 0; j < MODEL_MAX_PARTS; j++) {
		free(rc->s[j]);
		rc->s[j] = NULL;
	}
	free(rc->cold);
	rc->cold = NULL;
}

int recal_finish(recalibrator *rc, double fpr)
{
	model *m = rc->m;
	double *comb;

	if (rc->n == 0) {
		weprintf("only %ld records, none after the warm-up of %ld: nothing to calibrate on "
		         "(give more records, or a smaller --warmup)", rc->records, rc->warmup);
		recal_free(rc);
		return -1;
	}
	if (rc->n < 100)
		weprintf("warning: only %ld records to calibrate on: the threshold is rough", rc->n);
	calib_free(&m->cal);
	if (m->n_parts == 0) {
		calib_init(&m->cal, rc->s[0], rc->n); /* takes the scores */
		rc->s[0] = NULL;
	} else {
		comb = emalloc((size_t)rc->n * sizeof *comb);
		split_calibrate(m, rc->s, rc->cold, rc->n, fpr, comb);
		calib_init(&m->cal, comb, rc->n);
	}
	recal_free(rc);
	m->cal_seen = rc->scored;
	m->cal_held = rc->n;
	m->fpr = fpr;
	m->threshold = calib_threshold(&m->cal, fpr);
	return 0;
}

void fit_report(FILE *f, const model *m)
{
	const calib *c = &m->cal;
	double lo, hi, above = (double)c->n * m->fpr;

	if (c->n == 0) {
		fprintf(f, "azw-fit: no calibration: the model has no threshold\n");
		return;
	}
	calib_interval(c, m->fpr, 200, &lo, &hi);
	fprintf(f, "azw-fit: threshold %.6g (90%% bootstrap interval %.6g to %.6g) for a "
	        "false-positive rate of %g, from %ld scores of benign records (%ld held out of "
	        "training, %ld trained on); ", m->threshold, lo, hi, m->fpr, c->n, m->cal_held,
	        c->n - m->cal_held);
	if (above >= CALIB_MIN_TAIL || c->tail_k == 0)
		fprintf(f, "the empirical quantile, %.0f scores above it\n", above);
	else if (c->tail_gamma == 0)
		fprintf(f, "%.3g expected above it, so from an exponential tail fitted to the %ld "
		        "highest (above %.6g)\n", above, c->tail_k, c->tail_u);
	else
		fprintf(f, "%.3g expected above it, so from a generalised Pareto tail (shape %.3g) "
		        "fitted to the %ld highest (above %.6g)\n", above, c->tail_gamma, c->tail_k,
		        c->tail_u);
}

/* One KitNET's feature map: an autoencoder a line, each input's name and
 * training range (the LOG normalisation scales it to [0, 1]; see kitnet.h).
 * feat[i] is the model's index of k's feature i (NULL: the same). */
static void report_kitnet(FILE *f, const model *m, const char *part, const kitnet *k,
                          const int *feat)
{
	for (int a = 0; a < k->n_ae; a++) {
		const kitnet_da *da = &k->ae[a];

		fprintf(f, "azw-fit: %s autoencoder %d (%d inputs):", part, a, da->n_visible);
		for (int j = 0; j < da->n_visible; j++) {
			int i = k->map[k->ae_off[a] + j];

			fprintf(f, " %s [%.4g, %.4g]", m->h.names[feat ? feat[i] : i],
			        da->norm_min[j], da->norm_max[j]);
		}
		fputc('\n', f);
	}
}

void fit_report_map(FILE *f, const model *m)
{
	if (m->n_parts == 0) {
		fprintf(f, "azw-fit: one KitNET: %d features in %d autoencoder%s, mapped on the "
		        "first %ld records\n", m->k.n_features, m->k.n_ae, m->k.n_ae == 1 ? "" : "s",
		        m->fm_records);
		report_kitnet(f, m, "the", &m->k, NULL);
		return;
	}
	for (int j = 0; j < m->n_parts; j++)
		fprintf(f, "azw-fit: part %s: %d features in %d autoencoder%s, mapped on the "
		        "first %ld records\n", model_part_names[j], m->part[j].n,
		        m->part[j].k.n_ae, m->part[j].k.n_ae == 1 ? "" : "s", m->fm_records);
	for (int j = 0; j < m->n_parts; j++)
		report_kitnet(f, m, model_part_names[j], &m->part[j].k, m->part[j].feat);
}
