/* kitnet_ref.c - KitNET's reference algorithm, numerically identical to
 * KitNET-py (pysad 0.2.0): MT19937, the autoencoder, the clustering.
 *
 * Bit-for-bit parity with the reference depends on doing every floating
 * point operation in the reference's order: numpy's reference-BLAS dot
 * products are sequential sums starting from 0.0, numpy's mean is a
 * pairwise sum, scipy's single linkage is Prim's MST plus a stable sort.
 * Do not "simplify" an expression here without re-running the golden test.
 * kitnet_fast.c must give the same bits as the functions here: they are
 * its specification, and tests/unit/kitnet_test.c's oracle.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kitnet_private.h"

/* ---- MT19937, as numpy.random.RandomState(seed) ----------------------- */

void kitnet_mt_seed(kitnet_mt *r, uint32_t seed)
{
	r->mt[0] = seed;
	for (int i = 1; i < 624; i++)
		r->mt[i] = 1812433253u * (r->mt[i - 1] ^ (r->mt[i - 1] >> 30)) + (uint32_t)i;
	r->i = 624;
}

static void mt_twist(kitnet_mt *r)
{
	uint32_t *mt = r->mt;
	for (int k = 0; k < 624; k++) {
		uint32_t y = (mt[k] & 0x80000000u) | (mt[(k + 1) % 624] & 0x7fffffffu);
		mt[k] = mt[(k + 397) % 624] ^ (y >> 1) ^ ((y & 1u) ? 0x9908b0dfu : 0u);
	}
	r->i = 0;
}

uint32_t kitnet_mt_next(kitnet_mt *r)
{
	if (r->i >= 624)
		mt_twist(r);
	uint32_t y = r->mt[r->i++];
	y ^= y >> 11;
	y ^= (y << 7) & 0x9d2c5680u;
	y ^= (y << 15) & 0xefc60000u;
	y ^= y >> 18;
	return y;
}

/* random_sample(): a double in [0, 1) with 53 random bits. */
double kitnet_mt_double(kitnet_mt *r)
{
	uint32_t a = kitnet_mt_next(r) >> 5, b = kitnet_mt_next(r) >> 6;
	return ((double)a * 67108864.0 + (double)b) / 9007199254740992.0;
}

/* ---- the autoencoder (KitNET-py's dA) ----------------------------------- */

void kn_da_place(kitnet_da *da, int n_visible, int n_hidden, double *W, double *hbias,
                 double *vbias, double *norm_min, double *norm_max, uint32_t seed)
{
	size_t nv = (size_t)n_visible, nh = (size_t)n_hidden;

	memset(da, 0, sizeof *da);
	da->n_visible = n_visible;
	da->n_hidden = n_hidden;
	da->W = W;
	da->hbias = hbias;
	da->vbias = vbias;
	da->norm_min = norm_min;
	da->norm_max = norm_max;
	da->n = 0;

	/* RandomState(seed).uniform(-a, a, size=(nv, nh)), filled row-major */
	kitnet_mt rng;
	kitnet_mt_seed(&rng, seed);
	double a = 1.0 / (double)n_visible, low = -a, range = a - low;
	for (size_t i = 0; i < nv * nh; i++)
		da->W[i] = low + range * kitnet_mt_double(&rng);
	for (size_t j = 0; j < nh; j++)
		da->hbias[j] = 0.0;
	for (size_t i = 0; i < nv; i++) {
		da->vbias[i] = 0.0;
		da->norm_min[i] = INFINITY;
		da->norm_max[i] = -INFINITY;
	}
}

int kitnet_da_init(kitnet_da *da, int n_visible, int n_hidden, uint32_t seed)
{
	memset(da, 0, sizeof *da);
	if (n_visible < 1 || n_hidden < 1) {
		errno = EINVAL;
		return -1;
	}
	size_t nv = (size_t)n_visible, nh = (size_t)n_hidden;
	if (nv > (SIZE_MAX / sizeof(double) - 4 * nv - nh) / nh) {
		errno = ENOMEM;
		return -1;
	}
	/* one block: W (nv x nh), hbias (nh), vbias, norm_min, norm_max (nv) */
	double *b = malloc((nv * nh + nh + 3 * nv) * sizeof *b);
	if (!b)
		return -1;
	kn_da_place(da, n_visible, n_hidden, b, b + nv * nh, b + nv * nh + nh,
	            b + nv * nh + nh + nv, b + nv * nh + nh + 2 * nv, seed);
	return 0;
}

void kitnet_da_free(kitnet_da *da)
{
	free(da->W);
	memset(da, 0, sizeof *da);
}

/* 0-1 normalisation by the training range seen so far (see kitnet.h for
 * the two modes), of x[i0 .. nv) into xn[i0 .. nv): each element alone. */
VEC_CLONES void kn_da_normalise_from(const kitnet_da *da, const double *x, int i0, double *xn)
{
	if (da->norm == KITNET_NORM_COMPAT) {
		for (int i = i0; i < da->n_visible; i++)
			xn[i] = (x[i] - da->norm_min[i]) /
			        ((da->norm_max[i] - da->norm_min[i]) + NORM_EPS);
		return;
	}
	int i = i0, nv = da->n_visible;
	const v4d zero = { 0.0, 0.0, 0.0, 0.0 }, one = zero + 1.0, inf = zero + INFINITY;
	const v4i sign = { INT64_MIN, INT64_MIN, INT64_MIN, INT64_MIN };

	/* the division four at a time; the logs, rare, after */
	for (; i + 4 <= nv; i += 4) {
		v4d lo, hi, xi;
		LOAD4(lo, da->norm_min + i);
		LOAD4(hi, da->norm_max + i);
		LOAD4(xi, x + i);
		NORM4(xi, xi, lo, hi);
		STORE4(xn + i, xi);
	}
	for (; i < nv; i++) {
		double lo = da->norm_min[i], range = da->norm_max[i] - lo;

		if (!(range > 0))
			range = fabs(da->norm_max[i]) > 0 && isfinite(da->norm_max[i]) ? fabs(da->norm_max[i]) : 1.0;
		xn[i] = (x[i] - lo) / range;
	}
	for (i = i0; i < nv; i++)
		xn[i] = squash(xn[i]);
}

/* y = sigmoid(xn W + hbias) (nh), z = sigmoid(y W^T + vbias) (nv).
 * Each dot product is a sequential sum from 0.0, as reference BLAS dgemv.
 * With i0 > 0, y holds the encoder's sums over xn[0 .. i0) already
 * (da_encode_head()). */
void kn_da_forward(const kitnet_da *da, const double *xn, int i0, double *y, double *z)
{
	int nv = da->n_visible, nh = da->n_hidden;
	const double *W = da->W;

	if (da->norm != KITNET_NORM_COMPAT) {
		kn_da_forward_fast(da, xn, i0, y, z);
		return;
	}

	mat_tvec(W, xn, i0, nv, nh, y);
	for (int j = 0; j < nh; j++)
		y[j] = sigmoid(y[j] + da->hbias[j]);

	for (int i = 0; i < nv; i++) {
		const double *w = W + (size_t)i * nh;
		double s = 0.0;
		for (int j = 0; j < nh; j++)
			s += y[j] * w[j];
		z[i] = sigmoid(s + da->vbias[i]);
	}
}

/* tmp: xn, z, L2 (nv each), y, L1 (nh each) */
VEC_CLONES double kitnet_da_train(kitnet_da *da, const double *x, double lr, double *tmp)
{
	int nv = da->n_visible, nh = da->n_hidden;
	double *xn = tmp, *z = xn + nv, *L2 = z + nv, *y = L2 + nv, *L1 = y + nh;
	double *W = da->W;

	da->n++;
	for (int i = 0; i < nv; i++) {
		/* NaN never widens the range, as numpy's masked assignment */
		if (x[i] > da->norm_max[i])
			da->norm_max[i] = x[i];
		if (x[i] < da->norm_min[i])
			da->norm_min[i] = x[i];
	}
	da_normalise(da, x, xn);
	kn_da_forward(da, xn, 0, y, z);

	/* reconstruction error and its back-propagation to the hidden layer,
	 * both with the weights before the update */
	for (int i = 0; i < nv; i++)
		L2[i] = xn[i] - z[i];
	mat_tvec(W, L2, 0, nv, nh, L1);
	for (int j = 0; j < nh; j++)
		L1[j] = (L1[j] * y[j]) * (1.0 - y[j]);

	/* tied weights: the encoder and the decoder gradient both land on W */
	for (int i = 0; i < nv; i++) {
		double *w = W + (size_t)i * nh;
		double xi = xn[i], l2 = L2[i];
		for (int j = 0; j < nh; j++)
			w[j] += lr * ((xi * L1[j]) + (l2 * y[j]));
	}
	/* KitNET-py moves all biases of a layer by one scalar, the mean error */
	double dh = lr * np_mean(L1, nh), dv = lr * np_mean(L2, nv);
	for (int j = 0; j < nh; j++)
		da->hbias[j] += dh;
	for (int i = 0; i < nv; i++)
		da->vbias[i] += dv;

	/* RMSE before the update; z is free again */
	for (int i = 0; i < nv; i++)
		z[i] = L2[i] * L2[i];
	return sqrt(np_mean(z, nv));
}

double kitnet_da_execute(const kitnet_da *da, const double *x, double *tmp)
{
	int nv = da->n_visible;
	double *xn = tmp, *z = xn + nv, *e = z + nv, *y = e + nv;

	da_normalise(da, x, xn);
	kn_da_forward(da, xn, 0, y, z);
	return rmse(xn, z, e, nv);
}

/* ---- the feature map (corClust + scipy single linkage) ----------------- */

int kn_cc_new(kitnet *k)
{
	size_t n = (size_t)k->n_features;
	k->cc = malloc(sizeof *k->cc);
	if (!k->cc)
		return -1;
	double *cc = calloc(3 * n + n * n, sizeof *cc);
	if (!cc) {
		free(k->cc);
		k->cc = NULL;
		return -1;
	}
	k->cc->N = 0;
	k->cc->c = cc;
	k->cc->c_r = cc + n;
	k->cc->c_rs = cc + 2 * n;
	k->cc->C = cc + 3 * n;
	return 0;
}

void kn_cc_free(kitnet *k)
{
	if (k->cc)
		free(k->cc->c); /* one block holds c, c_r, c_rs and C */
	free(k->cc);
	k->cc = NULL;
}

/* corClust.update(): running sums of the residuals from the running mean.
 * scratch holds ct (n). */
void kn_cc_update(kitnet *k, const double *x)
{
	int n = k->n_features;
	double *ct = k->cache->scratch;

	k->cc->N++;
	for (int i = 0; i < n; i++) {
		k->cc->c[i] += x[i];
		ct[i] = x[i] - k->cc->c[i] / (double)k->cc->N;
		k->cc->c_r[i] += ct[i];
		k->cc->c_rs[i] += ct[i] * ct[i];
	}
	for (int i = 0; i < n; i++) {
		double *row = k->cc->C + (size_t)i * n;
		double ci = ct[i];
		for (int j = 0; j < n; j++)
			row[j] += ci * ct[j];
	}
}

/* corrDist() for i < j: 1 - correlation, clipped at 0 (NaN kept). */
static double cc_dist(const kitnet *k, const double *s, int i, int j)
{
	int n = k->n_features;
	double den = s[i] * s[j];
	if (den == 0.0)
		den = DEN_EPS;
	double d = 1.0 - k->cc->C[(size_t)i * n + j] / den;
	return d < 0.0 ? 0.0 : d;
}

/* numpy argsort order for floats: NaN last */
static int dist_less(double a, double b)
{
	return a < b || (isnan(b) && !isnan(a));
}

static int uf_find(int *parent, int x)
{
	while (parent[x] != x) {
		parent[x] = parent[parent[x]];
		x = parent[x];
	}
	return x;
}

/* Prim's minimum spanning tree over the distance graph, as scipy's
 * single linkage builds it: row r of Z joins zl[r] and zr[r] at distance
 * zd[r] (nz = n - 1 rows, unsorted). dmin and merged: n of scratch. */
static void cc_mst(const kitnet *k, const double *sroot, int *zl, int *zr, double *zd, double *dmin,
                   int *merged)
{
	int n = k->n_features;
	size_t nz = (size_t)n - 1;

	for (int i = 0; i < n; i++) {
		dmin[i] = INFINITY;
		merged[i] = 0;
	}
	int x = 0;
	for (size_t r = 0; r < nz; r++) {
		merged[x] = 1;
		double cur = INFINITY;
		int y = -1, first = -1;
		for (int i = 0; i < n; i++) {
			if (merged[i])
				continue;
			if (first < 0)
				first = i;
			double d = x < i ? cc_dist(k, sroot, x, i) : cc_dist(k, sroot, i, x);
			if (dmin[i] > d)
				dmin[i] = d;
			if (dmin[i] < cur) {
				cur = dmin[i];
				y = i;
			}
		}
		/* only with NaN/inf distances (which the reference rejects): take
		 * the lowest unmerged feature so the tree stays a tree */
		if (y < 0)
			y = first;
		zl[r] = x;
		zr[r] = y;
		zd[r] = cur;
		x = y;
	}
}

/* Stable insertion sort of the nz rows by distance (numpy mergesort). */
static void cc_sort_rows(int *zl, int *zr, double *zd, size_t nz)
{
	for (size_t r = 1; r < nz; r++) {
		int l = zl[r], rr = zr[r];
		double d = zd[r];
		size_t q = r;
		while (q > 0 && dist_less(d, zd[q - 1])) {
			zl[q] = zl[q - 1];
			zr[q] = zr[q - 1];
			zd[q] = zd[q - 1];
			q--;
		}
		zl[q] = l;
		zr[q] = rr;
		zd[q] = d;
	}
}

/* Relabel the rows with cluster ids, as scipy's linkage does: row r makes
 * node n + r, joining the two clusters (lower id left) its features were
 * in; size[] the leaf count of every node (2n - 1), parent[] scratch. */
static void cc_relabel(int n, int *zl, int *zr, int *parent, int *size)
{
	for (int i = 0; i < 2 * n - 1; i++) {
		parent[i] = i;
		size[i] = 1;
	}
	for (size_t r = 0; r < (size_t)n - 1; r++) {
		int a = uf_find(parent, zl[r]), b = uf_find(parent, zr[r]);
		int id = n + (int)r;
		zl[r] = a < b ? a : b;
		zr[r] = a < b ? b : a;
		parent[a] = parent[b] = id;
		size[id] = size[a] + size[b];
	}
}

/* KitNET-py's __breakClust__ over the tree: depth first, left first; a
 * subtree of at most m leaves becomes one autoencoder, its leaves in
 * pre-order, into map and ae_off; *n_ae of them. stack and leaves: n and
 * 2n of scratch (stacked subtrees are disjoint). */
static void cc_break(int n, int m, const int *zl, const int *zr, const int *size, int *stack,
                     int *leaves, int *map, int *ae_off, int *n_ae)
{
	int sp = 0, nm = 0, na = 0;

	stack[sp++] = 2 * n - 2;
	while (sp > 0) {
		int node = stack[--sp];
		if (size[node] > m) {
			stack[sp++] = zr[node - n];
			stack[sp++] = zl[node - n];
			continue;
		}
		ae_off[na++] = nm;
		int lp = 0;
		leaves[lp++] = node;
		while (lp > 0) {
			int v = leaves[--lp];
			if (v < n) {
				map[nm++] = v;
			} else {
				leaves[lp++] = zr[v - n];
				leaves[lp++] = zl[v - n];
			}
		}
	}
	ae_off[na] = nm;
	*n_ae = na;
}

/* Cluster the features as scipy.cluster.hierarchy.linkage(method='single')
 * + to_tree + KitNET-py's __breakClust__, and store the resulting map. */
int kn_cc_cluster(kitnet *k, int *map, int *ae_off, int *n_ae)
{
	int n = k->n_features;
	int m = k->p.max_ae < 1 ? 1 : k->p.max_ae > n ? n : k->p.max_ae;

	if (n == 1) {
		map[0] = 0;
		ae_off[0] = 0;
		ae_off[1] = 1;
		*n_ae = 1;
		return 0;
	}

	/* Z rows: left, right (node ids), distance; node n + r is row r */
	size_t nz = (size_t)n - 1;
	double *dbuf = malloc((2 * (size_t)n + nz) * sizeof *dbuf);
	int *ibuf = malloc((2 * nz + 5 * (size_t)n) * sizeof *ibuf);
	if (!dbuf || !ibuf) {
		free(dbuf);
		free(ibuf);
		return -1;
	}
	double *sroot = dbuf, *dmin = sroot + n, *zd = dmin + n;
	int *zl = ibuf, *zr = zl + nz, *merged = zr + nz, *parent = merged + n;
	int *size = parent + 2 * n; /* leaf and cluster sizes, 2n - 1 nodes */

	for (int i = 0; i < n; i++)
		sroot[i] = sqrt(k->cc->c_rs[i]);
	cc_mst(k, sroot, zl, zr, zd, dmin, merged);
	cc_sort_rows(zl, zr, zd, nz);
	cc_relabel(n, zl, zr, parent, size);
	/* the MST's and the union-find's scratch, reused */
	cc_break(n, m, zl, zr, size, merged, parent, map, ae_off, n_ae);
	free(dbuf);
	free(ibuf);
	return 0;
}
