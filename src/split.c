/* split.c - a model's score from its parts (split.h). */
#include "split.h"
#include "context_columns.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int split_context_features(const vec_header *h, char *is_ctx)
{
	const ctx_columns *cs = ctx_columns_find(h->module, h->schema);
	int i, j, n = 0;

	for (i = 0; i < h->n_features; i++) {
		is_ctx[i] = 0;
		for (j = 0; cs && j < cs->n_cols; j++)
			if (strcmp(h->names[i], cs->cols[j].name) == 0) {
				is_ctx[i] = 1;
				n++;
				break;
			}
	}
	return n;
}

void split_gate_find(const vec_header *h, split_gate *g)
{
	const ctx_columns *cs = ctx_columns_find(h->module, h->schema);
	double best = 0;
	int i, j;

	g->rate = g->local = g->local2 = -1;
	for (i = 0; i < h->n_features; i++)
		if (strcmp(h->names[i], "orig_local") == 0)
			g->local = i;
	if (g->local < 0) { /* dns, http, ssh, ssl: the originator's side from the direction */
		for (i = 0; i < h->n_features; i++) {
			if (strcmp(h->names[i], "dir_internal") == 0)
				g->local = i;
			else if (strcmp(h->names[i], "dir_outgoing") == 0)
				g->local2 = i;
		}
	}
	for (j = 0; cs && j < cs->n_cols; j++) {
		const ctx_column *c = &cs->cols[j];

		if (c->key != CTX_SRC || c->stat != CTX_RATE || !(c->half_life > best))
			continue;
		for (i = 0; i < h->n_features; i++)
			if (strcmp(h->names[i], c->name) == 0) {
				best = c->half_life;
				g->rate = i;
				break;
			}
	}
}

/* Whether x's originator is local (split_gate_find()). */
static int orig_local(const split_gate *g, const double *x)
{
	return g->local >= 0 && (x[g->local] == 1 || (g->local2 >= 0 && x[g->local2] == 1));
}

int split_cold(const split_gate *g, const double *x)
{
	return g->rate >= 0 && orig_local(g, x) && x[g->rate] < log1p((double)SPLIT_MIN_HISTORY);
}

int split_foreign(const model *m, const char *orig_h, const double *x)
{
	int i;

	if (m->n_hosts == 0 || !orig_local(&m->gate, x) || !orig_h)
		return 0;
	for (i = 0; i < m->n_hosts; i++)
		if (strcmp(orig_h, m->hosts[i]) == 0)
			return 0;
	return 1;
}

int split_silent(const model *m, const char *orig_h, const double *x)
{
	return split_cold(&m->gate, x) || split_foreign(m, orig_h, x);
}

double split_combine(double p_rec, double p_ctx)
{
	double p;

	/* a part without a p-value (no calibration) says nothing */
	if (isnan(p_rec))
		p_rec = 1;
	if (isnan(p_ctx))
		p_ctx = 1;
	p = p_rec < p_ctx ? p_rec : p_ctx;
	if (!(p >= SPLIT_P_MIN))
		p = SPLIT_P_MIN;
	return p >= 1 ? 0.0 : -log10(p);
}

void split_calibrate(model *m, double *const raw[MODEL_MAX_PARTS], const char *cold, long n,
                     double fpr, double *s)
{
	model_part *rec = &m->part[MODEL_PART_RECORD], *ctx = &m->part[MODEL_PART_CONTEXT];
	double *sorted;
	long i;
	int j;

	for (j = 0; j < m->n_parts; j++) {
		sorted = emalloc((size_t)(n ? n : 1) * sizeof *sorted);
		memcpy(sorted, raw[j], (size_t)n * sizeof *sorted);
		calib_free(&m->part[j].cal);
		calib_init(&m->part[j].cal, sorted, n);
		m->part[j].threshold = calib_threshold(&m->part[j].cal, fpr);
	}
	for (i = 0; i < n; i++)
		s[i] = split_combine(calib_pvalue(&rec->cal, raw[MODEL_PART_RECORD][i]),
		                     cold[i] ? 1.0 : calib_pvalue(&ctx->cal, raw[MODEL_PART_CONTEXT][i]));
}

void split_gather(const model_part *pt, const double *x, double *xp)
{
	int i;

	for (i = 0; i < pt->n; i++)
		xp[i] = x[pt->feat[i]];
}

/* m's scratch and gate (model.h), made at its first record. */
static void scratch(model *m)
{
	if (!m->xbuf) {
		m->xbuf = emalloc(2 * (size_t)m->h.n_features * sizeof *m->xbuf);
		split_gate_find(&m->h, &m->gate);
	}
}

double split_score(model *m, const double *x, const char *orig_h, split_scores *out)
{
	double p[MODEL_MAX_PARTS], s;
	int j;

	if (m->n_parts == 0) {
		s = kitnet_execute(&m->k, x, NULL);
		if (out)
			out->score = s;
		return s;
	}
	scratch(m);
	for (j = 0; j < m->n_parts; j++) {
		model_part *pt = &m->part[j];
		const double *xp = x + pt->feat[0];

		/* azw-extract appends the context columns, so a part's
		 * features are mostly a run of the stream's: no copy then */
		if (pt->feat[pt->n - 1] - pt->feat[0] != pt->n - 1) {
			split_gather(pt, x, m->xbuf);
			xp = m->xbuf;
		}
		s = kitnet_execute(&pt->k, xp, NULL);
		p[j] = j == MODEL_PART_CONTEXT && split_silent(m, orig_h, x) ? 1.0 : calib_pvalue(&pt->cal, s);
		if (out) {
			out->part[j] = s;
			out->pvalue[j] = p[j];
		}
	}
	s = split_combine(p[MODEL_PART_RECORD], p[MODEL_PART_CONTEXT]);
	if (out)
		out->score = s;
	return s;
}

void split_explain(model *m, const double *x, double *err)
{
	double *e;
	int i, j;

	if (m->n_parts == 0) {
		kitnet_explain(&m->k, x, err);
		return;
	}
	scratch(m);
	e = m->xbuf + m->h.n_features;
	for (j = 0; j < m->n_parts; j++) {
		model_part *pt = &m->part[j];

		split_gather(pt, x, m->xbuf);
		kitnet_explain(&pt->k, m->xbuf, e);
		for (i = 0; i < pt->n; i++)
			err[pt->feat[i]] = e[i];
	}
}
