/* kitnet.c - KitNET (kitnet.h): the object, its feature map and its one
 * allocation of parameters, training and execution, over the reference
 * (kitnet_ref.c) and its fast path (kitnet_fast.c).
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kitnet_private.h"

/* The map, the autoencoders and their parameters, the caches made with
 * them; the scratch stays. */
static void free_aes(kitnet *k)
{
	kitnet_cache *c = k->cache;

	free(k->params);
	k->params = NULL;
	k->n_params = 0;
	free(k->ae);
	free(k->map);
	free(k->ae_off);
	k->ae = NULL;
	k->map = k->ae_off = NULL;
	k->n_ae = 0;
	memset(&k->out, 0, sizeof k->out);
	if (c) {
		free(c->memo);
		free(c->lane);
		free(c->pre);
		c->pre = NULL;
		c->n_pre = c->pre_valid = 0;
		c->memo = NULL;
		c->lane = c->lane_off = NULL;
		c->n_lane_grp = c->n_single = 0;
	}
}

/* scratch: S (n_ae), the sub-vector (largest AE) and the dA temporaries
 * for the largest autoencoder; at least n_features for corClust. */
static int ensure_scratch(kitnet *k, int need)
{
	if (need <= k->cache->scratch_len)
		return 0;
	double *s = realloc(k->cache->scratch, (size_t)need * sizeof *s);
	if (!s)
		return -1;
	k->cache->scratch = s;
	k->cache->scratch_len = need;
	return 0;
}

int kitnet_init(kitnet *k, int n_features, const kitnet_params *p)
{
	memset(k, 0, sizeof *k);
	if (n_features < 1 || n_features > 46340 || p->max_ae < 1 ||
	    p->fm_grace < 0 || p->fm_grace > LONG_MAX / 2 ||
	    p->ad_grace > LONG_MAX / 2 || !isfinite(p->lr) || !(p->lr > 0) ||
	    !(p->hidden_ratio > 0 && p->hidden_ratio <= 1) ||
	    (p->norm != KITNET_NORM_COMPAT && p->norm != KITNET_NORM_LOG)) {
		errno = EINVAL;
		return -1;
	}
	k->p = *p;
	k->n_features = n_features;
	k->cache = calloc(1, sizeof *k->cache);
	if (!k->cache || kn_cc_new(k) < 0 || ensure_scratch(k, n_features) < 0) {
		kitnet_free(k);
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

void kitnet_free(kitnet *k)
{
	free_aes(k);
	kn_cc_free(k);
	if (k->cache)
		free(k->cache->scratch);
	free(k->cache);
	memset(k, 0, sizeof *k);
}

/* The parameters of every autoencoder, their shapes set, in k->params as
 * kitnet.h lays them out, initialised as KitNET-py does. 0, or -1 out of
 * memory. */
static int place_params(kitnet *k)
{
	const kitnet_cache *c = k->cache;
	size_t n = (size_t)c->n_single * KITNET_SINGLE_BLOCK;
	uint32_t seed = k->p.seed;
	double *q;

	for (int a = 0; a < k->n_ae; a++) {
		size_t nv = (size_t)k->ae[a].n_visible, nh = (size_t)k->ae[a].n_hidden;
		if (!(in_lanes(&k->ae[a]) && is_single(&k->ae[a])))
			n += nv * nh + nh + 3 * nv;
	}
	size_t onv = (size_t)k->out.n_visible, onh = (size_t)k->out.n_hidden;
	n += onv * onh + onh + 3 * onv;
	k->params = calloc(n, sizeof *k->params); /* unused lanes: 0 */
	if (!k->params)
		return -1;
	k->n_params = n;
	q = k->params;
	for (int g = 0; g < c->n_single; g++, q += KITNET_SINGLE_BLOCK) {
		const int *grp = c->lane + c->lane_off[g];
		int m = c->lane_off[g + 1] - c->lane_off[g];
		for (int l = 0; l < m; l++) {
			kitnet_da *d = &k->ae[grp[l]];
			int norm = d->norm;
			kn_da_place(d, 1, 1, q + l, q + 4 + l, q + 8 + l, q + 12 + l, q + 16 + l, seed);
			d->norm = norm;
		}
	}
	for (int a = 0; a < k->n_ae; a++) {
		kitnet_da *d = &k->ae[a];
		int nv = d->n_visible, nh = d->n_hidden, norm = d->norm;
		size_t w = (size_t)nv * (size_t)nh;
		if (d->W) /* in a block above */
			continue;
		kn_da_place(d, nv, nh, q, q + w, q + w + nh, q + w + nh + nv, q + w + nh + 2 * nv, seed);
		d->norm = norm;
		q += w + (size_t)nh + 3 * (size_t)nv;
	}
	kn_da_place(&k->out, (int)onv, (int)onh, q, q + onv * onh, q + onv * onh + onh,
	            q + onv * onh + onh + onv, q + onv * onh + onh + 2 * onv, seed);
	k->out.norm = k->p.norm;
	return 0;
}

int kitnet_set_map(kitnet *k, int n_ae, const int *map, const int *ae_off)
{
	int n = k->n_features;
	if (n_ae < 1 || n_ae > n || ae_off[0] != 0 || ae_off[n_ae] != n) {
		errno = EINVAL;
		return -1;
	}
	int maxv = n_ae, maxh = n_hidden_for(n_ae, k->p.hidden_ratio);
	for (int a = 0; a < n_ae; a++) {
		int nv = ae_off[a + 1] - ae_off[a];
		if (nv < 1) {
			errno = EINVAL;
			return -1;
		}
		if (nv > maxv)
			maxv = nv;
		int nh = n_hidden_for(nv, k->p.hidden_ratio);
		if (nh > maxh)
			maxh = nh;
	}
	for (int i = 0; i < n; i++)
		if (map[i] < 0 || map[i] >= n) {
			errno = EINVAL;
			return -1;
		}

	/* S (n_ae), dA temporaries (3 maxv + 2 maxh), sub-vector (n) */
	if (ensure_scratch(k, n_ae + 3 * maxv + 2 * maxh + n) < 0)
		return -1;
	free_aes(k);
	kitnet_cache *c = k->cache;
	k->map = malloc((size_t)n * sizeof *k->map);
	k->ae_off = malloc(((size_t)n_ae + 1) * sizeof *k->ae_off);
	k->ae = calloc((size_t)n_ae, sizeof *k->ae);
	c->memo = calloc((size_t)n_ae, sizeof *c->memo); /* n_valid 0: empty */
	c->lane = malloc((2 * (size_t)n_ae + 1) * sizeof *c->lane);
	if (!k->map || !k->ae_off || !k->ae || !c->memo || !c->lane)
		goto fail;
	c->lane_off = c->lane + n_ae;
	memcpy(k->map, map, (size_t)n * sizeof *map);
	memcpy(k->ae_off, ae_off, ((size_t)n_ae + 1) * sizeof *ae_off);
	k->n_ae = n_ae;
	/* the shapes, then the lane groups (which depend on them), then
	 * the parameters (whose layout depends on the groups) */
	for (int a = 0; a < n_ae; a++) {
		int nv = ae_off[a + 1] - ae_off[a];
		k->ae[a].n_visible = nv;
		k->ae[a].n_hidden = n_hidden_for(nv, k->p.hidden_ratio);
		k->ae[a].norm = k->p.norm;
		c->memo[a].feat = nv == 1 ? map[ae_off[a]] : -1;
	}
	k->out.n_visible = n_ae;
	k->out.n_hidden = n_hidden_for(n_ae, k->p.hidden_ratio);
	if (kn_lane_groups(k) < 0 || place_params(k) < 0)
		goto fail;
	int np = 0;
	while (np < n_ae && c->memo[np].feat >= 0)
		np++;
	if (np >= KITNET_PRE_MIN) {
		c->pre = malloc((size_t)KITNET_PRE_WAYS * (size_t)(2 * np + k->out.n_hidden) *
		                sizeof *c->pre);
		if (!c->pre)
			goto fail;
		c->n_pre = np;
	}
	/* a given map ends the feature-mapping phase for good */
	kn_cc_free(k);
	return 0;
fail:
	{
		int e = errno;
		free_aes(k);
		errno = e;
	}
	return -1;
}

int kitnet_build_map(kitnet *k)
{
	if (k->n_ae > 0)
		return 0;
	if (!k->cc->c || k->cc->N < 1) {
		errno = EINVAL;
		return -1;
	}
	int n = k->n_features, n_ae;
	int *map = malloc((size_t)n * sizeof *map);
	int *off = malloc(((size_t)n + 1) * sizeof *off);
	int rc = -1;
	if (map && off && kn_cc_cluster(k, map, off, &n_ae) == 0)
		rc = kitnet_set_map(k, n_ae, map, off);
	free(map);
	free(off);
	return rc;
}

double kitnet_train(kitnet *k, const double *x)
{
	if (k->n_ae == 0 && k->n_trained <= k->p.fm_grace) {
		kn_cc_update(k, x);
		int build = k->n_trained == k->p.fm_grace;
		k->n_trained++;
		if (build && kitnet_build_map(k) < 0)
			return NAN; /* retried on the next record */
		return 0.0;
	}
	/* only after a failed build: try again now */
	if (k->n_ae == 0 && kitnet_build_map(k) < 0) {
		k->n_trained++;
		return NAN;
	}

	int na = k->n_ae;
	double *S = k->cache->scratch, *tmp = S + na, *sub = sub_space(k);
	kitnet_forget(k);
	/* the small ones first, four of a shape at a time */
	for (int g = 0; g < k->cache->n_lane_grp; g++) {
		const int *grp = k->cache->lane + k->cache->lane_off[g];
		int m = k->cache->lane_off[g + 1] - k->cache->lane_off[g];
		if (is_single(&k->ae[grp[0]]))
			kn_da_train_single4(k, grp, m, x, S);
		else
			kn_da_train_lanes(k, grp, m, x, S);
	}
	for (int a = 0; a < na; a++)
		if (!in_lanes(&k->ae[a]))
			S[a] = kitnet_da_train(&k->ae[a], gather(k, a, x, sub), k->p.lr, tmp);
	k->n_trained++;
	return kitnet_da_train(&k->out, S, k->p.lr, tmp);
}

void kitnet_forget(kitnet *k)
{
	if (!k->cache) /* never initialised, or freed */
		return;
	for (int a = 0; a < k->n_ae; a++)
		k->cache->memo[a].n_valid = 0;
	k->cache->pre_valid = 0;
}

double kitnet_execute(kitnet *k, const double *x, double *layer1)
{
	int na = k->n_ae;
	if (na == 0)
		return 0.0; /* pysad's score_partial before the map exists */
	double *S = k->cache->scratch, *tmp = S + na, *sub = sub_space(k);
	for (int a = 0; a < na; a++) {
		/* Most autoencoders have one feature (one that correlates
		 * with no other) and most such features few values: their
		 * memo, compared here without the calls, answers. */
		const struct kitnet_memo *mo = &k->cache->memo[a];
		if (mo->feat >= 0) {
			const double *v = &x[mo->feat];
			int w = 0;

			while (w < mo->n_valid && !same_bits(mo->in[w], v, 1))
				w++;
			if (w < mo->n_valid) {
				S[a] = mo->rmse[w];
				continue;
			}
		}
		S[a] = kn_ae_execute(k, a, gather(k, a, x, sub), tmp);
	}
	if (layer1)
		memcpy(layer1, S, (size_t)na * sizeof *S);
	return kn_out_execute(k, S, tmp);
}

void kitnet_explain(kitnet *k, const double *x, double *err)
{
	if (k->n_ae == 0)
		return;
	double *S = k->cache->scratch, *tmp = S + k->n_ae, *sub = sub_space(k);

	for (int a = 0; a < k->n_ae; a++) {
		const kitnet_da *da = &k->ae[a];
		int nv = da->n_visible, off = k->ae_off[a];
		double *xn = tmp, *z = xn + nv, *y = z + 2 * nv;

		da_normalise(da, gather(k, a, x, sub), xn);
		kn_da_forward(da, xn, 0, y, z);
		for (int i = 0; i < nv; i++)
			err[k->map[off + i]] = xn[i] - z[i];
	}
}

double kitnet_process(kitnet *k, const double *x)
{
	if (k->p.ad_grace >= 0 && k->n_trained > k->p.fm_grace + k->p.ad_grace)
		return kitnet_execute(k, x, NULL);
	kitnet_train(k, x);
	return 0.0;
}
