/* context.c - damped per-key statistics in bounded memory (see context.h).
 *
 * A table is a slab of fixed-size entries (grown by doubling up to the
 * cap, then never again), a chained hash index over them (as many
 * buckets as entries, rebuilt when the slab doubles; chains through the
 * entries: indices, not pointers, so the slab may move), and a doubly
 * linked list in order of last update (least recent at the head) that
 * gives eviction and dropping their order.
 * Everything is O(1) per record but the hash chains, which a keyed hash
 * keeps short.
 */
#include "context.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NIL (-1)

/* An entry: this header, then the key (padded to whole doubles), then the
 * sums: n_win window weights, then each sum's [own weight] s [s2]. */
struct ctx_entry {
	double first, last;   /* ts of its first and latest record (s) */
	int32_t hnext;        /* next in its hash chain, or NIL; free list too */
	int32_t prev, next;   /* update order: prev is less recent */
	uint32_t hash;
	double d[];           /* key, then sums */
};

struct ctx_table {
	size_t keylen, key_dbl;       /* key bytes; doubles it takes */
	int n_win;
	double half[CTX_MAX_WIN];     /* half-lives, seconds */
	int longest;                  /* index of the longest half-life */
	int n_acc;
	ctx_acc acc[CTX_MAX_ACC];
	int off[CTX_MAX_ACC];         /* first double of each sum (after the key) */
	int n_dbl;                    /* sum doubles per entry */
	size_t stride;                /* bytes per entry */
	unsigned char *slab;
	int32_t n_alloc, n_used;      /* entries allocated, ever handed out */
	int32_t cap;
	int32_t free_head;            /* freed entries, through hnext */
	int32_t *bucket;
	uint32_t mask;                /* buckets - 1 */
	int32_t head, tail;           /* least and most recently updated */
	int gap_slot;                 /* slot ctx_update() fills with the gap, or -1 */
	size_t keys, evicted, dropped;
	double now;                   /* the latest ts seen (s) */
	int have_now;
	uint64_t seed;
};

#define ENTRY(t, i) ((ctx_entry *)((t)->slab + (size_t)(i) * (t)->stride))

/* A per-process seed: no result depends on it (see context.h). */
static uint64_t hash_seed(void)
{
	static uint64_t seed;

	if (!seed) {
		seed = (uint64_t)time(NULL) * 0x9E3779B97F4A7C15u ^ (uint64_t)getpid() << 17 ^
		       (uint64_t)(uintptr_t)&seed;
		seed |= 1;
	}
	return seed;
}

static uint32_t hash_key(const ctx_table *t, const unsigned char *k)
{
	uint64_t h = t->seed, w;
	size_t i;

	/* whole words, then the 4 bytes a 20-byte key ends with, zero-padded
	 * as the loop once copied them (the same hash either way) */
	for (i = 0; i + 8 <= t->keylen; i += 8) {
		memcpy(&w, k + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdu;
		h ^= h >> 32;
	}
	if (i < t->keylen) {
		w = 0;
		memcpy(&w, k + i, t->keylen - i);
		h = (h ^ w) * 0xff51afd7ed558ccdu;
		h ^= h >> 32;
	}
	h *= 0xc4ceb9fe1a85ec53u;
	return (uint32_t)(h ^ h >> 29);
}

ctx_table *ctx_table_new(size_t keylen, int n_win, const double *half_life,
                         int n_acc, const ctx_acc *acc, int gap_slot, size_t cap)
{
	ctx_table *t;
	size_t nb = 64;
	int i, off;

	if (keylen < 1 || keylen > 32 || n_win < 1 || n_win > CTX_MAX_WIN ||
	    n_acc < 0 || n_acc > CTX_MAX_ACC || cap < 1 || cap > (1u << 30))
		return NULL;
	t = ecalloc(1, sizeof *t);
	t->keylen = keylen;
	t->key_dbl = (keylen + 7) / 8;
	t->n_win = n_win;
	for (i = 0; i < n_win; i++) {
		if (!(half_life[i] > 0) || !isfinite(half_life[i])) {
			free(t);
			return NULL;
		}
		t->half[i] = half_life[i];
		if (half_life[i] > t->half[t->longest])
			t->longest = i;
	}
	off = n_win;
	for (i = 0; i < n_acc; i++) {
		if (acc[i].win < 0 || acc[i].win >= n_win || acc[i].slot < 0) {
			free(t);
			return NULL;
		}
		t->acc[i] = acc[i];
		t->off[i] = off;
		off += 1 + !!acc[i].sq + !!acc[i].own_w;
	}
	t->n_acc = n_acc;
	t->n_dbl = off;
	t->stride = sizeof(ctx_entry) + (t->key_dbl + (size_t)off) * sizeof(double);
	t->cap = (int32_t)cap;
	t->bucket = emalloc(nb * sizeof *t->bucket);
	for (i = 0; (size_t)i < nb; i++)
		t->bucket[i] = NIL;
	t->mask = (uint32_t)(nb - 1);
	t->head = t->tail = t->free_head = NIL;
	t->gap_slot = gap_slot;
	t->seed = hash_seed();
	return t;
}

void ctx_table_free(ctx_table *t)
{
	if (!t)
		return;
	free(t->slab);
	free(t->bucket);
	free(t);
}

static const unsigned char *key_of(const ctx_table *t, const ctx_entry *e)
{
	(void)t;
	return (const unsigned char *)e->d;
}

static double *sums(const ctx_table *t, ctx_entry *e)
{
	return e->d + t->key_dbl;
}

static const double *csums(const ctx_table *t, const ctx_entry *e)
{
	return e->d + t->key_dbl;
}

/* Is the entry gone: its longest-half-life weight, decayed to the
 * table's latest ts, below CTX_GONE? */
static int gone(const ctx_table *t, const ctx_entry *e)
{
	double w = csums(t, e)[t->longest], dt = t->now - e->last;

	/* An update leaves a weight of at least 1, and 2^-9.9 is above
	 * CTX_GONE (2^-9.97): no key goes within 9.9 half-lives of its last
	 * record, and exp2() need not say so. */
	if (w >= 1.0 && dt < 9.9 * t->half[t->longest])
		return 0;
	if (dt > 0)
		w *= exp2(-dt / t->half[t->longest]);
	return w < CTX_GONE;
}

static void lru_unlink(ctx_table *t, int32_t i)
{
	ctx_entry *e = ENTRY(t, i);

	if (e->prev != NIL)
		ENTRY(t, e->prev)->next = e->next;
	else
		t->head = e->next;
	if (e->next != NIL)
		ENTRY(t, e->next)->prev = e->prev;
	else
		t->tail = e->prev;
}

static void lru_append(ctx_table *t, int32_t i)
{
	ctx_entry *e = ENTRY(t, i);

	e->prev = t->tail;
	e->next = NIL;
	if (t->tail != NIL)
		ENTRY(t, t->tail)->next = i;
	else
		t->head = i;
	t->tail = i;
}

/* Take entry i out of the table (hash chain and update order). */
static void remove_entry(ctx_table *t, int32_t i)
{
	ctx_entry *e = ENTRY(t, i);
	int32_t *p = &t->bucket[e->hash & t->mask];

	while (*p != i)
		p = &ENTRY(t, *p)->hnext;
	*p = e->hnext;
	lru_unlink(t, i);
	e->hnext = t->free_head;
	t->free_head = i;
	t->keys--;
}

/* Buckets for n entries: as many as there are entries (a power of two),
 * not as the cap, so that the bucket array of a table holding few keys
 * stays in the cache. Called when the slab grows, so every entry handed
 * out (n_used) is in the table. */
static void rehash(ctx_table *t, int32_t n)
{
	size_t nb = (size_t)t->mask + 1, b;
	int32_t i;

	if (nb >= (size_t)n)
		return;
	while (nb < (size_t)n)
		nb <<= 1;
	t->bucket = erealloc(t->bucket, nb * sizeof *t->bucket);
	t->mask = (uint32_t)(nb - 1);
	for (b = 0; b < nb; b++)
		t->bucket[b] = NIL;
	for (i = 0; i < t->n_used; i++) {
		ctx_entry *e = ENTRY(t, i);

		e->hnext = t->bucket[e->hash & t->mask];
		t->bucket[e->hash & t->mask] = i;
	}
}

/* A free entry: from the free list, the slab (grown by doubling up to the
 * cap), or by evicting the least recently updated key. */
static int32_t take_entry(ctx_table *t)
{
	int32_t i;

	if (t->free_head == NIL && t->n_used < t->n_alloc)
		return t->n_used++;
	if (t->free_head == NIL && t->n_alloc < t->cap) {
		int32_t n = t->n_alloc ? t->n_alloc * 2 : 64;

		if (n > t->cap)
			n = t->cap;
		t->slab = erealloc(t->slab, (size_t)n * t->stride);
		t->n_alloc = n;
		rehash(t, n);
		return t->n_used++;
	}
	if (t->free_head == NIL) {
		if (gone(t, ENTRY(t, t->head)))
			t->dropped++;
		else
			t->evicted++;
		remove_entry(t, t->head);
	}
	i = t->free_head;
	t->free_head = ENTRY(t, i)->hnext;
	return i;
}

/* One piece: the table's clock, the find (or a new entry, the oldest
 * evicted), the decay to ts and the update of the key's sums share the
 * entry and its times, once per record and table (the context features'
 * hot loop). */
ctx_entry *ctx_update(ctx_table *t, const void *key, double ts, int has_ts,
                      const double *v, const int *present, int *is_new, double *gap)
{
	const unsigned char *k = key;
	uint32_t h = hash_key(t, k);
	int32_t i, n;
	ctx_entry *e = NULL;
	double f[CTX_MAX_WIN], *s, dt;
	int a;

	if (has_ts && t->have_now && ts > t->now + CTX_MAX_AHEAD)
		ts = t->now + CTX_MAX_AHEAD;
	if (has_ts && (!t->have_now || ts > t->now)) {
		t->now = ts;
		t->have_now = 1;
	}
	if (!has_ts)
		ts = t->now;
	/* Drop up to two keys that have decayed to nothing, from the old end:
	 * enough to keep pace with the one key a record may add. */
	for (n = 0; n < 2 && t->head != NIL && gone(t, ENTRY(t, t->head)); n++) {
		remove_entry(t, t->head);
		t->dropped++;
	}

	for (i = t->bucket[h & t->mask]; i != NIL; i = ENTRY(t, i)->hnext) {
		ctx_entry *c = ENTRY(t, i);

		if (c->hash == h && memcmp(key_of(t, c), k, t->keylen) == 0) {
			e = c;
			break;
		}
	}
	if (e && gone(t, e)) {
		/* As good as absent: start afresh, counted as dropped. */
		remove_entry(t, i);
		t->dropped++;
		e = NULL;
	}
	*is_new = !e;
	if (!e) {
		i = take_entry(t);
		e = ENTRY(t, i);
		memset(e->d, 0, (t->key_dbl + (size_t)t->n_dbl) * sizeof(double));
		memcpy(e->d, k, t->keylen);
		e->hash = h;
		e->first = e->last = ts;
		e->hnext = t->bucket[h & t->mask];
		t->bucket[h & t->mask] = i;
		lru_append(t, i);
		t->keys++;
		*gap = -1;
		dt = 0;
	} else {
		/* an older record decays by zero, never negatively */
		dt = ts > e->last ? ts - e->last : 0;
		*gap = has_ts ? dt : -1;
		if (ts > e->last)
			e->last = ts;
		if (t->tail != i) {
			lru_unlink(t, i);
			lru_append(t, i);
		}
	}

	s = sums(t, e);
	for (a = 0; a < t->n_win; a++) {
		f[a] = dt > 0 ? exp2(-dt / t->half[a]) : 1.0;
		s[a] = s[a] * f[a] + 1.0;
	}
	for (a = 0; a < t->n_acc; a++) {
		const ctx_acc *c = &t->acc[a];
		double fa = f[c->win], x, *p = s + t->off[a];
		int have;

		if (c->slot == t->gap_slot) {
			have = *gap >= 0;
			x = have ? log1p(*gap) : 0;
		} else {
			have = !present || present[c->slot];
			x = v[c->slot];
		}

		if (c->own_w)
			*p = *p * fa + have, p++;
		if (!have)
			x = 0;
		*p = *p * fa + x;
		if (c->sq)
			p[1] = p[1] * fa + x * x;
	}
	return e;
}

double ctx_weight(const ctx_table *t, const ctx_entry *e, int win)
{
	return csums(t, e)[win];
}

double ctx_mean(const ctx_table *t, const ctx_entry *e, int acc)
{
	const double *s = csums(t, e), *p = s + t->off[acc];
	double w = t->acc[acc].own_w ? *p++ : s[t->acc[acc].win];

	return w > 0 ? *p / w : 0;
}

/* The weight a sum's mean divides by: its own, or its half-life's. */
static double ctx_acc_weight(const ctx_table *t, const ctx_entry *e, int acc)
{
	const double *s = csums(t, e), *p = s + t->off[acc];

	return t->acc[acc].own_w ? *p : s[t->acc[acc].win];
}

double ctx_std(const ctx_table *t, const ctx_entry *e, int acc)
{
	const double *s = csums(t, e), *p = s + t->off[acc];
	double w, m, var;

	if (!t->acc[acc].sq)
		return 0;
	w = t->acc[acc].own_w ? *p++ : s[t->acc[acc].win];
	if (!(w > 0))
		return 0;
	m = p[0] / w;
	var = p[1] / w - m * m; /* may round below 0 */
	return var > 0 ? sqrt(var) : 0;
}

double ctx_age(const ctx_entry *e)
{
	return e->last > e->first ? e->last - e->first : 0;
}

void ctx_table_stats(const ctx_table *t, ctx_stats *s)
{
	s->keys = t->keys;
	s->evicted = t->evicted;
	s->dropped = t->dropped;
	s->bytes = (size_t)t->n_alloc * t->stride + ((size_t)t->mask + 1) * sizeof *t->bucket;
}

/* ---- a run ---- */

/* How a column is read. */
typedef struct {
	int table;  /* key type */
	int stat;
	int win;    /* CTX_RATE */
	int acc;    /* CTX_MEAN, CTX_STD, CTX_CV */
} col_plan;

struct ctx_run {
	const ctx_spec *spec;
	ctx_table *t[CTX_N_KEYS];   /* NULL: not needed */
	int n_slot;                 /* n_q + the built-ins */
	col_plan *plan;
};

static const size_t key_bytes[CTX_N_KEYS] = {
	[CTX_SRC] = 16, [CTX_PAIR] = 32, [CTX_DST] = 16, [CTX_SVC] = 20,
	[CTX_PAIR_OK] = 32, [CTX_SVC_OK] = 20,
};

static int slot_of(const ctx_columns *s, int q)
{
	return q >= 0 ? q : s->n_q + (-q - 1);
}

static int find_win(double *half, int *n, double h)
{
	int i;

	for (i = 0; i < *n; i++)
		if (half[i] == h)
			return i;
	if (*n == CTX_MAX_WIN)
		return -1;
	half[*n] = h;
	return (*n)++;
}

ctx_run *ctx_run_new(const ctx_spec *cs, size_t cap)
{
	const ctx_columns *spec = cs->columns;
	ctx_run *r = ecalloc(1, sizeof *r);
	double half[CTX_N_KEYS][CTX_MAX_WIN], longest = 0;
	int n_half[CTX_N_KEYS] = { 0 }, need[CTX_N_KEYS] = { 0 };
	ctx_acc acc[CTX_N_KEYS][CTX_MAX_ACC];
	int n_acc[CTX_N_KEYS] = { 0 };
	int i, k;

	if (!cap)
		cap = CTX_DEFAULT_CAP;
	if (spec->n_q < 0 || spec->n_q > CTX_MAX_Q)
		eprintf("context: bad spec (%d quantities)", spec->n_q);
	r->spec = cs;
	r->n_slot = spec->n_q + 3;
	r->plan = ecalloc((size_t)spec->n_cols + 1, sizeof *r->plan);
	for (i = 0; i < spec->n_cols; i++)
		if (spec->cols[i].stat != CTX_AGE && spec->cols[i].half_life > longest)
			longest = spec->cols[i].half_life;
	if (!(longest > 0))
		longest = 1000;
	for (i = 0; i < spec->n_cols; i++) {
		const ctx_column *c = &spec->cols[i];
		col_plan *p = &r->plan[i];
		int w = 0, a, slot;

		k = c->key;
		if (k < 0 || k >= CTX_N_KEYS || (c->stat != CTX_RATE && c->stat != CTX_AGE &&
		    (c->q < CTX_Q_NEWSVC || c->q >= spec->n_q)) ||
		    (c->stat == CTX_PERIODIC && c->q != CTX_Q_GAP) ||
		    ((k == CTX_PAIR_OK || k == CTX_SVC_OK) && (spec->ok_q < 0 || spec->ok_q >= spec->n_q)))
			eprintf("context: bad column %s", c->name);
		need[k] = 1;
		if (c->q == CTX_Q_NEWPAIR && c->stat != CTX_RATE && c->stat != CTX_AGE)
			need[CTX_PAIR] = 1;
		if (c->q == CTX_Q_NEWSVC && c->stat != CTX_RATE && c->stat != CTX_AGE)
			need[CTX_SVC] = 1;
		p->table = k;
		p->stat = c->stat;
		if (c->stat == CTX_AGE)
			continue;
		if ((w = find_win(half[k], &n_half[k], c->half_life)) < 0)
			eprintf("context: too many half-lives for column %s", c->name);
		p->win = w;
		if (c->stat == CTX_RATE)
			continue;
		slot = slot_of(spec, c->q);
		for (a = 0; a < n_acc[k]; a++)
			if (acc[k][a].win == w && acc[k][a].slot == slot)
				break;
		if (a == n_acc[k]) {
			if (a == CTX_MAX_ACC)
				eprintf("context: too many sums for column %s", c->name);
			acc[k][a].win = w;
			acc[k][a].slot = slot;
			acc[k][a].sq = 0;
			acc[k][a].own_w = c->q == CTX_Q_GAP;
			n_acc[k]++;
		}
		if (c->stat == CTX_STD || c->stat == CTX_CV || c->stat == CTX_PERIODIC)
			acc[k][a].sq = 1;
		p->acc = a;
	}
	for (k = 0; k < CTX_N_KEYS; k++) {
		if (!need[k])
			continue;
		/* a table read for its keys alone (new pairs, age) still needs a
		 * half-life to decay to nothing by: the spec's longest */
		if (n_half[k] == 0)
			half[k][n_half[k]++] = longest;
		r->t[k] = ctx_table_new(key_bytes[k], n_half[k], half[k], n_acc[k], acc[k],
		                        slot_of(spec, CTX_Q_GAP), cap);
		if (!r->t[k])
			eprintf("context: bad table for key type %d", k);
	}
	return r;
}

void ctx_run_free(ctx_run *r)
{
	int k;

	if (!r)
		return;
	for (k = 0; k < CTX_N_KEYS; k++)
		ctx_table_free(r->t[k]);
	free(r->plan);
	free(r);
}

/* One piece, in three steps that share the record's keys, its values and
 * the entries they found: the keys built, every table updated (the pair
 * and service tables first, whose newness the others count), then every
 * context column read from its entry as the plan says. */
void ctx_run_obs(ctx_run *r, const ctx_obs *o, double *out)
{
	static const int order[CTX_N_KEYS] = {
		CTX_PAIR, CTX_SVC, CTX_PAIR_OK, CTX_SVC_OK, CTX_SRC, CTX_DST
	};
	const ctx_columns *spec = r->spec->columns;
	unsigned char key[CTX_N_KEYS][32];
	double v[CTX_MAX_Q + 3];
	int present[CTX_MAX_Q + 3];
	ctx_entry *e[CTX_N_KEYS] = { NULL };
	int j, i, is_new, new_pair = 0, new_svc = 0;
	double gap;

	memcpy(key[CTX_SRC], o->orig, 16);
	memcpy(key[CTX_DST], o->resp, 16);
	memcpy(key[CTX_PAIR], o->orig, 16);
	memcpy(key[CTX_PAIR] + 16, o->resp, 16);
	memcpy(key[CTX_SVC], o->orig, 16);
	key[CTX_SVC][16] = (unsigned char)(o->svc >> 24);
	key[CTX_SVC][17] = (unsigned char)(o->svc >> 16);
	key[CTX_SVC][18] = (unsigned char)(o->svc >> 8);
	key[CTX_SVC][19] = (unsigned char)o->svc;
	memcpy(key[CTX_PAIR_OK], key[CTX_PAIR], 32);
	memcpy(key[CTX_SVC_OK], key[CTX_SVC], 20);
	for (i = 0; i < spec->n_q; i++) {
		v[i] = o->q[i];
		present[i] = 1;
	}
	v[slot_of(spec, CTX_Q_GAP)] = 0; /* ctx_update() fills the gap itself */
	present[slot_of(spec, CTX_Q_GAP)] = 0;
	for (j = 0; j < CTX_N_KEYS; j++) {
		int k = order[j];

		if (!r->t[k])
			continue;
		if ((k == CTX_PAIR_OK || k == CTX_SVC_OK) && o->q[spec->ok_q] != 0)
			continue; /* not counted: its columns read 0 */
		/* the pair and service tables come first: the source and
		 * destination count whether this record's pair or port was new */
		v[slot_of(spec, CTX_Q_NEWPAIR)] = new_pair;
		v[slot_of(spec, CTX_Q_NEWSVC)] = new_svc;
		present[slot_of(spec, CTX_Q_NEWPAIR)] = present[slot_of(spec, CTX_Q_NEWSVC)] = 1;
		e[k] = ctx_update(r->t[k], key[k], o->ts, o->has_ts, v, present, &is_new, &gap);
		if (k == CTX_PAIR)
			new_pair = is_new;
		if (k == CTX_SVC)
			new_svc = is_new;
	}
	for (i = 0; i < spec->n_cols; i++) {
		const col_plan *p = &r->plan[i];
		const ctx_table *t = r->t[p->table];
		double y = 0, m, sd;

		if (!e[p->table]) {
			out[i] = 0;
			continue;
		}
		switch (p->stat) {
		case CTX_RATE:
			y = log1p(ctx_weight(t, e[p->table], p->win));
			break;
		case CTX_MEAN:
			y = ctx_mean(t, e[p->table], p->acc);
			break;
		case CTX_STD:
			y = ctx_std(t, e[p->table], p->acc);
			break;
		case CTX_CV:
			m = ctx_mean(t, e[p->table], p->acc);
			sd = ctx_std(t, e[p->table], p->acc);
			y = m > 1e-9 ? sd / m : 0;
			if (y > CTX_CV_MAX)
				y = CTX_CV_MAX;
			break;
		case CTX_AGE:
			y = log1p(ctx_age(e[p->table]));
			break;
		case CTX_PERIODIC:
			sd = ctx_std(t, e[p->table], p->acc);
			m = ctx_age(e[p->table]) / t->half[t->acc[p->acc].win];
			y = log1p(ctx_acc_weight(t, e[p->table], p->acc)) *
			    (sd < CTX_JITTER ? 1 - sd / CTX_JITTER : 0) * (m < 1 ? m : 1);
			break;
		}
		out[i] = isfinite(y) ? round6(y) : 0;
	}
}

int ctx_obs_ts(zl_rec *rec, ctx_obs *o)
{
	zl_value v = zl_get_static(rec, "ts");
	char *end;
	double t;

	o->has_ts = 0;
	o->ts = 0;
	if (v.type != ZL_NUMBER || !v.s)
		return 0;
	t = strtod_fast(v.s, &end);
	if (end == v.s || !isfinite(t))
		return 0;
	o->ts = t;
	o->has_ts = 1;
	return 0;
}

int ctx_run_record(ctx_run *r, zl_rec *rec, const double *x, double *out, char *why)
{
	ctx_obs o;

	memset(&o, 0, sizeof o);
	if (r->spec->observe(rec, x, &o, why) < 0)
		return -1;
	ctx_run_obs(r, &o, out);
	return 0;
}

void ctx_run_stats(const ctx_run *r, ctx_stats *s)
{
	int k;

	memset(s, 0, sizeof *s);
	for (k = 0; k < CTX_N_KEYS; k++) {
		ctx_stats t;

		if (!r->t[k])
			continue;
		ctx_table_stats(r->t[k], &t);
		s->keys += t.keys;
		s->evicted += t.evicted;
		s->dropped += t.dropped;
		s->bytes += t.bytes;
	}
}
