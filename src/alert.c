/* alert.c - incidents from score lines (see alert.h): the binomial tail,
 * the interned names, the capped entity tables, spans and incidents. The
 * score-line reader is alert_parse.c, the incident lines alert_line.c. */
#include "alert.h"
#include "util.h"
#include "alert_private.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- the binomial tail ----------------------------------------------- */

/* The continued fraction of I_x(a, b) (x < (a+1)/(a+b+2), where it
 * converges quickly): 1 / (1 + d1 / (1 + d2 / (1 + ...))), with
 * d(2m+1) = -(a+m)(a+b+m)x / ((a+2m)(a+2m+1)) and
 * d(2m)   = m(b-m)x / ((a+2m-1)(a+2m)), evaluated front to back by
 * Lentz's method. */
static double beta_cf(double a, double b, double x)
{
	const double tiny = 1e-300;
	double f = 1, c = 1, d = 0, t;
	int j;

	for (j = 1; j <= 100000; j++) {
		int m = j / 2;

		if (j % 2)
			t = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
		else
			t = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
		d = 1 + t * d;
		if (fabs(d) < tiny)
			d = tiny;
		d = 1 / d;
		c = 1 + t / c;
		if (fabs(c) < tiny)
			c = tiny;
		f *= c * d;
		if (fabs(c * d - 1) < 1e-15)
			break;
	}
	return 1 / f;
}

/* ln of x^a (1-x)^b / (a B(a, b)) */
static double log_front(double a, double b, double x)
{
	return a * log(x) + b * log1p(-x) - (lgamma(a) + lgamma(b) - lgamma(a + b)) - log(a);
}

double alert_log_tail(double n, double u, double p)
{
	double a, b;

	if (!(u > 0))
		return 0;
	if (n < u)
		n = u;
	if (!(p > 0))
		return -INFINITY;
	if (p >= 1)
		return 0;
	a = u;
	b = n - u + 1;
	if (p < (a + 1) / (a + b + 2))
		return log_front(a, b, p) + log(beta_cf(a, b, p));
	/* the tail is not small here: 1 - I_(1-p)(b, a) */
	return log1p(-exp(log_front(b, a, 1 - p)) * beta_cf(b, a, 1 - p));
}

void alert_count(alert_counts *c, double half_life, double ts, double w, double uw)
{
	if (!c->has_last) {
		c->last = ts;
		c->has_last = 1;
	} else if (ts > c->last) {
		double f = exp2(-(ts - c->last) / half_life);

		c->n *= f;
		c->u *= f;
		c->last = ts;
	}
	c->n += w;
	c->u += uw;
}


static uint32_t hash_bytes(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	while (n--)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* The index of a name, added if new; -1 if the table is full. */
static int intern(names *t, const alert_str *s)
{
	uint32_t i = hash_bytes(s->s, s->len) & (NAMES_SLOTS - 1);

	for (;; i = (i + 1) & (NAMES_SLOTS - 1)) {
		int k = t->slot[i] - 1;

		if (k < 0)
			break;
		if (t->len[k] == s->len && memcmp(t->text[k], s->s, s->len) == 0)
			return k;
	}
	if (t->n == NAMES_MAX)
		return -1;
	t->text[t->n] = emalloc(s->len + 1);
	memcpy(t->text[t->n], s->s, s->len);
	t->text[t->n][s->len] = '\0';
	t->len[t->n] = s->len;
	t->slot[i] = (int16_t)(t->n + 1);
	return t->n++;
}


static void table_init(table *t, int kind, size_t keylen, size_t cap)
{
	size_t i;

	memset(t, 0, sizeof *t);
	t->kind = kind;
	t->keylen = keylen;
	t->stride = (sizeof(entity) + keylen + 7) / 8 * 8;
	t->cap = (int32_t)cap;
	t->mask = 63;
	t->bucket = emalloc(64 * sizeof *t->bucket);
	for (i = 0; i < 64; i++)
		t->bucket[i] = NIL;
	t->head = t->tail = NIL;
}

static void lru_unlink(table *t, int32_t i)
{
	entity *e = ENT(t, i);

	if (e->prev != NIL)
		ENT(t, e->prev)->next = e->next;
	else
		t->head = e->next;
	if (e->next != NIL)
		ENT(t, e->next)->prev = e->prev;
	else
		t->tail = e->prev;
}

static void lru_append(table *t, int32_t i)
{
	entity *e = ENT(t, i);

	e->prev = t->tail;
	e->next = NIL;
	if (t->tail != NIL)
		ENT(t, t->tail)->next = i;
	else
		t->head = i;
	t->tail = i;
}

static void rehash(table *t, size_t nb)
{
	int32_t i;

	free(t->bucket);
	t->bucket = emalloc(nb * sizeof *t->bucket);
	for (i = 0; (size_t)i < nb; i++)
		t->bucket[i] = NIL;
	t->mask = (uint32_t)(nb - 1);
	for (i = 0; i < t->n_used; i++) {
		entity *e = ENT(t, i);

		e->hnext = t->bucket[e->hash & t->mask];
		t->bucket[e->hash & t->mask] = i;
	}
}

static uint32_t hash_key(const unsigned char *k, size_t n)
{
	uint64_t h = 0x9E3779B97F4A7C15u, w;
	size_t i;

	for (i = 0; i < n; i += 8) {
		memcpy(&w, k + i, 8);
		if (w == 0 && i > 0)
			break; /* the zero padding */
		h = (h ^ w) * 0xff51afd7ed558ccdu;
		h ^= h >> 32;
	}
	h *= 0xc4ceb9fe1a85ec53u;
	return (uint32_t)(h ^ h >> 29);
}


static void close_incident(alert_run *a, span *sp);
static void span_free(alert_run *a, span *sp);

/* The entity of key k, added (evicting under the cap) if new; *is_new. */
static int32_t table_get(alert_run *a, table *t, const unsigned char *k, int *is_new)
{
	uint32_t h = hash_key(k, t->keylen);
	int32_t i, *p;
	entity *e;

	for (i = t->bucket[h & t->mask]; i != NIL; i = e->hnext) {
		e = ENT(t, i);
		if (e->hash == h && memcmp(e->key, k, t->keylen) == 0) {
			if (t->tail != i) {
				lru_unlink(t, i);
				lru_append(t, i);
			}
			*is_new = 0;
			return i;
		}
	}
	*is_new = 1;
	if (t->n_used < t->cap) {
		if (t->n_used == t->n_alloc) {
			int32_t n = t->n_alloc ? 2 * t->n_alloc : 64;

			if (n > t->cap)
				n = t->cap;
			t->slab = erealloc(t->slab, (size_t)n * t->stride);
			t->n_alloc = n;
		}
		if ((size_t)t->n_used + 1 > (size_t)t->mask + 1)
			rehash(t, ((size_t)t->mask + 1) * 2); /* the entries so far */
		i = t->n_used++;
	} else {
		/* evict the least recently updated */
		i = t->head;
		e = ENT(t, i);
		if (e->sp) {
			if (e->sp->open)
				close_incident(a, e->sp);
			else
				span_free(a, e->sp);
		}
		for (p = &t->bucket[e->hash & t->mask]; *p != i; p = &ENT(t, *p)->hnext)
			;
		*p = e->hnext;
		lru_unlink(t, i);
		t->evicted++;
	}
	e = ENT(t, i);
	memset(e, 0, t->stride);
	memcpy(e->key, k, t->keylen);
	e->hash = h;
	e->sp = NULL;
	e->hnext = t->bucket[h & t->mask];
	t->bucket[h & t->mask] = i;
	lru_append(t, i);
	return i;
}

static uint64_t span_id(const table *t, const entity *e, const span *sp)
{
	uint64_t h = 0xcbf29ce484222325u ^ (uint64_t)t->kind, bits;
	size_t i;

	for (i = 0; i < t->keylen; i++)
		h = (h ^ e->key[i]) * 0x100000001b3u;
	memcpy(&bits, &sp->first, sizeof bits);
	h = (h ^ bits) * 0xff51afd7ed558ccdu;
	for (i = 0; i < UID_MAX && sp->n_top > 0 && sp->top[0].uid[i]; i++)
		h = (h ^ (unsigned char)sp->top[0].uid[i]) * 0x100000001b3u;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53u;
	return h ^ h >> 29;
}

/* ---- spans and incidents --------------------------------------------- */

static span *span_new(alert_run *a, table *t, int32_t ent)
{
	span *sp = a->free_spans;

	if (sp)
		a->free_spans = sp->next;
	else {
		sp = emalloc(sizeof *sp);
		a->n_spans++;
	}
	memset(sp, 0, sizeof *sp);
	sp->t = t;
	sp->ent = ent;
	return sp;
}

static void span_free(alert_run *a, span *sp)
{
	ENT(sp->t, sp->ent)->sp = NULL;
	sp->next = a->free_spans;
	a->free_spans = sp;
}

static void close_incident(alert_run *a, span *sp)
{
	alert_write_line(a, sp, "closed");
	if (sp->prev)
		sp->prev->next = sp->next;
	else
		a->open_head = sp->next;
	if (sp->next)
		sp->next->prev = sp->prev;
	else
		a->open_tail = sp->prev;
	a->closed++;
	a->n_open--;
	span_free(a, sp);
}

static int expired(const alert_run *a, const span *sp)
{
	return a->now - sp->last_unusual >= a->o.quiet || a->now - sp->first >= a->o.max_span;
}

/* Close the open incidents that have gone quiet or lasted max_span. */
static void sweep(alert_run *a)
{
	span *sp = a->open_head, *next;

	for (; sp; sp = next) {
		next = sp->next;
		if (expired(a, sp))
			close_incident(a, sp);
	}
}

/* Keep the record among the span's N_TOP lowest pvalues (then highest
 * scores), in that order. */
static void add_top(alert_run *a, span *sp, const alert_rec *r)
{
	double score = alert_score(r);
	int i, j;

	for (i = sp->n_top; i > 0; i--) {
		double p = sp->top[i - 1].pvalue, s = sp->top[i - 1].score;

		if (r->pvalue < p || (r->pvalue == p && score > s))
			continue;
		break;
	}
	if (i >= N_TOP)
		return;
	if (sp->n_top < N_TOP)
		sp->n_top++;
	for (j = sp->n_top - 1; j > i; j--)
		sp->top[j] = sp->top[j - 1];
	sp->top[i].uid[0] = '\0';
	if (r->uid.s && r->uid.len <= UID_MAX) {
		memcpy(sp->top[i].uid, r->uid.s, r->uid.len);
		sp->top[i].uid[r->uid.len] = '\0';
	}
	sp->top[i].score = score;
	sp->top[i].pvalue = r->pvalue;
	sp->top[i].module = r->module.s ? intern(&a->modules, &r->module) : -1;
}

static void add_features(alert_run *a, span *sp, const alert_rec *r)
{
	int i, k, f, low;

	for (k = 0; k < r->n_explain; k++) {
		f = intern(&a->features, &r->explain[k]);
		if (f < 0)
			continue;
		for (i = 0; i < sp->n_feat && sp->feat[i].name != f; i++)
			;
		if (i < sp->n_feat) {
			sp->feat[i].count++;
		} else if (sp->n_feat < N_FEAT) {
			sp->feat[sp->n_feat].name = f;
			sp->feat[sp->n_feat++].count = 1;
		} else {
			/* full: the least counted makes room (space saving) */
			for (low = 0, i = 1; i < N_FEAT; i++)
				if (sp->feat[i].count < sp->feat[low].count)
					low = i;
			sp->feat[low].name = f;
			sp->feat[low].count++;
		}
	}
}

/* Misra-Gries majority vote over the responders of unusual records. */
static void add_resp(span *sp, const alert_rec *r)
{
	int i;

	if (!r->resp_h.s)
		return;
	for (i = 0; i < N_RESP; i++)
		if (sp->resp[i].count > 0 && sp->resp[i].text[0] == r->resp_h.len &&
		    memcmp(sp->resp[i].text + 1, r->resp_h.s, r->resp_h.len) == 0) {
			sp->resp[i].count++;
			return;
		}
	for (i = 0; i < N_RESP; i++)
		if (sp->resp[i].count == 0) {
			sp->resp[i].text[0] = (unsigned char)r->resp_h.len;
			memcpy(sp->resp[i].text + 1, r->resp_h.s, r->resp_h.len);
			sp->resp[i].count = 1;
			return;
		}
	for (i = 0; i < N_RESP; i++)
		sp->resp[i].count--;
}

/* One record of one entity. Returns its span if it has an open incident. */
static span *observe(alert_run *a, table *t, int32_t i, const alert_rec *r, int unusual,
                     double w, int may_open)
{
	entity *e = ENT(t, i);
	span *sp = e->sp;
	double n0, u0, lt;
	int m;

	if (sp && sp->open && expired(a, sp)) {
		close_incident(a, sp);
		sp = NULL;
	}
	/* the counts before this record, decayed to it */
	alert_count(&e->c, a->o.half_life, r->ts, 0, 0);
	n0 = e->c.n;
	u0 = e->c.u;
	e->c.n += w;
	e->c.u += unusual ? w : 0;
	if (sp)
		sp->records++;
	if (!unusual)
		return sp && sp->open ? sp : NULL;
	if (!sp || (!sp->open && ((r->ts - sp->last_unusual >= a->o.quiet && u0 < ALERT_CARRY) ||
	                          u0 <= n0 * a->o.p0))) {
		if (!sp)
			sp = e->sp = span_new(a, t, i);
		else
			memset(&sp->open, 0, sizeof *sp - offsetof(span, open));
		sp->first = sp->last_unusual = r->ts;
		sp->records = 1;
	}
	sp->unusual++;
	sp->anomalies += r->anomaly;
	sp->notices += r->notice && a->o.notice_weight > 0;
	if (r->ts > sp->last_unusual)
		sp->last_unusual = r->ts;
	if (r->ts < sp->first)
		sp->first = r->ts;
	sp->records_at_unusual = sp->records;
	if (r->module.s && (m = intern(&a->modules, &r->module)) >= 0 && m < 32)
		sp->modules |= 1u << m;
	add_top(a, sp, r);
	add_features(a, sp, r);
	if (t->kind == HOST)
		add_resp(sp, r);
	lt = alert_log_tail(e->c.n, e->c.u, a->o.p0);
	sp->sig = -lt / log(10.0);
	if (sp->open) {
		if (sp->sig > sp->sig_max)
			sp->sig_max = sp->sig;
	} else if (may_open && lt < a->log_alpha && sp->unusual >= a->o.min_unusual) {
		sp->open = 1;
		sp->sig_max = sp->sig;
		sp->id = span_id(t, e, sp);
		sp->prev = a->open_tail;
		sp->next = NULL;
		if (a->open_tail)
			a->open_tail->next = sp;
		else
			a->open_head = sp;
		a->open_tail = sp;
		a->opened++;
		a->n_open++;
		if (!a->o.closed_only)
			alert_write_line(a, sp, "open");
	}
	return sp->open ? sp : NULL;
}

void alert_opts_default(alert_opts *o)
{
	o->p0 = ALERT_DEFAULT_PVALUE;
	o->alpha = ALERT_DEFAULT_ALPHA;
	o->min_unusual = ALERT_DEFAULT_MIN_UNUSUAL;
	o->half_life = ALERT_DEFAULT_HALF_LIFE;
	o->quiet = ALERT_DEFAULT_QUIET;
	o->max_span = ALERT_DEFAULT_MAX_SPAN;
	o->cap = ALERT_DEFAULT_CAP;
	o->closed_only = 0;
	o->notice_weight = ALERT_DEFAULT_NOTICE_WEIGHT;
}

alert_run *alert_new(const alert_opts *o, FILE *out)
{
	alert_run *a = ecalloc(1, sizeof *a);

	a->o = *o;
	if (a->o.cap < 1)
		a->o.cap = 1;
	if (a->o.cap > (1u << 30))
		a->o.cap = 1u << 30;
	a->out = out;
	table_init(&a->host, HOST, HOST_KEY, a->o.cap);
	table_init(&a->pair, PAIR, PAIR_KEY, a->o.cap);
	a->log_alpha = log(o->alpha);
	a->cut = o->p0;
	a->log_cut = log(o->p0);
	return a;
}

void alert_record(alert_run *a, const alert_rec *r)
{
	unsigned char key[PAIR_KEY];
	double q = r->pvalue, cut = a->cut, w = 1;
	int32_t h, p;
	int unusual, is_new;
	span *hs;

	if (!a->have_now || r->ts > a->now) {
		a->now = r->ts;
		a->have_now = 1;
		if (floor(a->now) != a->swept) {
			a->swept = floor(a->now);
			sweep(a);
		}
	}
	/* A model of two parts writes pvalue for the smaller of the parts'
	 * p-values, calibrated as such: one test of both kinds of evidence.
	 * A pvalue_context of 1 is a context that said nothing (a cold or
	 * unknown local source: split.h); then the record part's test is the
	 * only one, and its pvalue_record the record's (the combined pvalue,
	 * calibrated on the smaller of two, runs about twice as large). */
	if (r->pvalue_context == 1 && !isnan(r->pvalue_record))
		q = r->pvalue_record;
	unusual = q < cut || r->anomaly;
	if (r->anomaly && q < cut) {
		w = q > 0 ? log(q) / a->log_cut : ALERT_ANOMALY_WMAX;
		w = w < 1 ? 1 : w > ALERT_ANOMALY_WMAX ? ALERT_ANOMALY_WMAX : w;
	}
	if (r->notice && a->o.notice_weight > 0) {
		/* Zeek's own judgement of the host, whatever the model says */
		unusual = 1;
		if (w < a->o.notice_weight)
			w = a->o.notice_weight;
	}
	memset(key, 0, sizeof key);
	key[0] = (unsigned char)r->orig_h.len;
	memcpy(key + 1, r->orig_h.s, r->orig_h.len);
	h = table_get(a, &a->host, key, &is_new);
	hs = observe(a, &a->host, h, r, unusual, w, 1);
	if (!r->resp_h.s)
		return;
	key[1 + r->orig_h.len] = (unsigned char)r->resp_h.len;
	memcpy(key + 2 + r->orig_h.len, r->resp_h.s, r->resp_h.len);
	p = table_get(a, &a->pair, key, &is_new);
	observe(a, &a->pair, p, r, unusual, w, hs == NULL);
}

void alert_finish(alert_run *a)
{
	while (a->open_head)
		close_incident(a, a->open_head);
}

void alert_free(alert_run *a)
{
	span *sp, *next;
	int32_t i;
	table *ts[2] = { &a->host, &a->pair };
	int k;

	if (!a)
		return;
	for (k = 0; k < 2; k++) {
		for (i = 0; i < ts[k]->n_used; i++)
			if (ENT(ts[k], i)->sp)
				span_free(a, ENT(ts[k], i)->sp);
		free(ts[k]->slab);
		free(ts[k]->bucket);
	}
	for (sp = a->free_spans; sp; sp = next) {
		next = sp->next;
		free(sp);
	}
	for (k = 0; k < a->modules.n; k++)
		free(a->modules.text[k]);
	for (k = 0; k < a->features.n; k++)
		free(a->features.text[k]);
	free(a->buf);
	free(a);
}

void alert_get_stats(const alert_run *a, alert_stats *s)
{
	s->host_keys = (size_t)a->host.n_used;
	s->pair_keys = (size_t)a->pair.n_used;
	s->host_evicted = a->host.evicted;
	s->pair_evicted = a->pair.evicted;
	s->opened = a->opened;
	s->closed = a->closed;
	s->open = a->n_open;
	s->spans = a->n_spans;
}
