/* kitnet_fast.c - KitNET's fast path: the reference's bits, faster.
 *
 * What the reference (kitnet_ref.c) computes one autoencoder and one
 * number at a time, this computes four at a time, in the lanes of GCC's
 * vectors, with the same operations in the same order per lane (no FMA:
 * -ffp-contract=off), so the same bits; what it has computed lately it
 * remembers (memo, pre), and gives back only for the very same input bits.
 * The LOG mode, which owes KitNET-py no bit parity, also uses a fast exp.
 * tests/unit/kitnet_test.c holds every function here to the reference's
 * answer.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kitnet_private.h"

/* ---- a fast exp for the LOG mode ---------------------------------------
 *
 * libm's exp() was a fifth of azw-score's time (about 140 calls a record
 * for the default conn model). The LOG mode owes KitNET-py no bit parity,
 * only determinism, so it uses this one: plain double arithmetic in a fixed
 * order (no FMA: the build has -ffp-contract=off), hence the same bits on
 * every IEEE machine, x86-64 or ARM64. exp(x) = 2^(n + j/64) e^r with
 * N = 64n + j the nearest integer to 64 x / ln 2, r = x - N ln2/64 (Cody
 * and Waite: N * LN2_64_HI is exact), |r| <= ln2/128, and e^r - 1 by its
 * Taylor polynomial to r^5 (truncation under 4e-17): within about one ulp
 * of the true value. The COMPAT mode keeps libm's exp(). */

/* 2^(j/64), j = 0..63, correctly rounded */
static const double exp2_64th[64] = {
	0x1.0000000000000p+0, 0x1.02c9a3e778061p+0, 0x1.059b0d3158574p+0, 0x1.0874518759bc8p+0,
	0x1.0b5586cf9890fp+0, 0x1.0e3ec32d3d1a2p+0, 0x1.11301d0125b51p+0, 0x1.1429aaea92de0p+0,
	0x1.172b83c7d517bp+0, 0x1.1a35beb6fcb75p+0, 0x1.1d4873168b9aap+0, 0x1.2063b88628cd6p+0,
	0x1.2387a6e756238p+0, 0x1.26b4565e27cddp+0, 0x1.29e9df51fdee1p+0, 0x1.2d285a6e4030bp+0,
	0x1.306fe0a31b715p+0, 0x1.33c08b26416ffp+0, 0x1.371a7373aa9cbp+0, 0x1.3a7db34e59ff7p+0,
	0x1.3dea64c123422p+0, 0x1.4160a21f72e2ap+0, 0x1.44e086061892dp+0, 0x1.486a2b5c13cd0p+0,
	0x1.4bfdad5362a27p+0, 0x1.4f9b2769d2ca7p+0, 0x1.5342b569d4f82p+0, 0x1.56f4736b527dap+0,
	0x1.5ab07dd485429p+0, 0x1.5e76f15ad2148p+0, 0x1.6247eb03a5585p+0, 0x1.6623882552225p+0,
	0x1.6a09e667f3bcdp+0, 0x1.6dfb23c651a2fp+0, 0x1.71f75e8ec5f74p+0, 0x1.75feb564267c9p+0,
	0x1.7a11473eb0187p+0, 0x1.7e2f336cf4e62p+0, 0x1.82589994cce13p+0, 0x1.868d99b4492edp+0,
	0x1.8ace5422aa0dbp+0, 0x1.8f1ae99157736p+0, 0x1.93737b0cdc5e5p+0, 0x1.97d829fde4e50p+0,
	0x1.9c49182a3f090p+0, 0x1.a0c667b5de565p+0, 0x1.a5503b23e255dp+0, 0x1.a9e6b5579fdbfp+0,
	0x1.ae89f995ad3adp+0, 0x1.b33a2b84f15fbp+0, 0x1.b7f76f2fb5e47p+0, 0x1.bcc1e904bc1d2p+0,
	0x1.c199bdd85529cp+0, 0x1.c67f12e57d14bp+0, 0x1.cb720dcef9069p+0, 0x1.d072d4a07897cp+0,
	0x1.d5818dcfba487p+0, 0x1.da9e603db3285p+0, 0x1.dfc97337b9b5fp+0, 0x1.e502ee78b3ff6p+0,
	0x1.ea4afa2a490dap+0, 0x1.efa1bee615a27p+0, 0x1.f50765b6e4540p+0, 0x1.fa7c1819e90d8p+0,
};
#define INV_LN2_64 0x1.71547652b82fep+6 /* 64 / ln 2 */
#define LN2_64_HI 0x1.62e42fefa0000p-7  /* ln 2 / 64, 36 bits */
#define LN2_64_LO 0x1.cf79abc9e3b3ap-46 /* the rest */
#define ROUND_SHIFT 0x1.8p52            /* x + this rounds x to an integer */

/* sigmoid(x) = 1 / (1 + exp(-x)) lane by lane, with the fast exp above
 * (clamped to |x| <= 708; its integer N read from the bits of
 * -x / (ln 2 / 64) + 1.5 * 2^52, which hold it, rather than converted).
 * Above 708 the clamped sum is 1 + exp(-708), which rounds to 1: only
 * x < -708 needs a select (to 0). N >> 6 shifts logically: the bits an
 * arithmetic shift would set leave at the << 52, and AVX2 has no 64-bit
 * arithmetic shift to spend three instructions on. */
#define SIGMOID4(s, x) do { \
	v4d t_ = -SELECT4((x) < lo, lo, SELECT4((x) > hi, hi, (x))); \
	v4d u_ = t_ * INV_LN2_64 + shift, nd_ = u_ - shift; \
	v4i k_ = (v4i)u_ - (v4i)shift; \
	v4d r_ = (t_ - nd_ * LN2_64_HI) - nd_ * LN2_64_LO; \
	v4d p_ = r_ * (1.0 + r_ * (0.5 + r_ * (1.0 / 6 + r_ * (1.0 / 24 + r_ * (1.0 / 120))))); \
	v4i j_ = k_ & 63; \
	v4d tab_ = { exp2_64th[j_[0]], exp2_64th[j_[1]], exp2_64th[j_[2]], exp2_64th[j_[3]] }; \
	v4d sc_ = (v4d)((v4u)tab_ + ((v4u)k_ >> 6 << 52)); \
	(s) = one / (one + (sc_ + sc_ * p_)); \
	(s) = SELECT4((x) < lo, zero, (s)); \
	(s) = SELECT4((x) != (x), (x), (s)); \
} while (0)

/* What SIGMOID4 expects in scope. */
#define SIGMOID4_CONSTS \
	const v4d lo = { -708.0, -708.0, -708.0, -708.0 }, hi = -lo; \
	const v4d zero = { 0.0, 0.0, 0.0, 0.0 }, one = zero + 1.0; \
	const v4d shift = zero + ROUND_SHIFT

/* What NORM4 and SIGMOID4 expect in scope, for a function that trains
 * four autoencoders at a time. */
#define LANE_CONSTS \
	SIGMOID4_CONSTS; \
	const v4d inf = zero + INFINITY; \
	const v4i sign = { INT64_MIN, INT64_MIN, INT64_MIN, INT64_MIN }

/* v[i] = sigmoid(v[i] + b[i]) for i < n, four at a time; beyond
 * |x| > 708 the answer is 0 or 1 to within 1e-307 (NaN stays NaN). One by
 * one, the sigmoids were a third of azw-score's time. */
static inline __attribute__((always_inline)) void
sigmoid_fast_v(double *v, const double *b, int n)
{
	SIGMOID4_CONSTS;
	int i = 0;

	for (; i + 4 <= n; i += 4) {
		v4d x, bb, s;
		LOAD4(x, v + i);
		LOAD4(bb, b + i);
		x += bb;
		SIGMOID4(s, x);
		STORE4(v + i, s);
	}
	if (i < n) { /* one to three left, in lanes of their own */
		int m = n - i;
		v4d x = { v[i] + b[i], m > 1 ? v[i + 1] + b[i + 1] : 0.0,
		          m > 2 ? v[i + 2] + b[i + 2] : 0.0, 0.0 }, s;
		SIGMOID4(s, x);
		v[i] = s[0];
		if (m > 1)
			v[i + 1] = s[1];
		if (m > 2)
			v[i + 2] = s[2];
	}
}

/* The LOG mode's kn_da_forward: the same sums, but each decoder dot product
 * in four interleaved partial sums (a fixed order, so still deterministic:
 * one long chain of dependent additions was most of the time of the output
 * autoencoder), and the fast exp. */
VEC_CLONES void kn_da_forward_fast(const kitnet_da *da, const double *xn, int i0, double *y,
                                   double *z)
{
	int nv = da->n_visible, nh = da->n_hidden;
	const double *W = da->W;

	mat_tvec(W, xn, i0, nv, nh, y);
	sigmoid_fast_v(y, da->hbias, nh);

	/* four rows at a time: four independent chains of additions */
	int i = 0;
	for (; i + 4 <= nv; i += 4) {
		const double *w = W + (size_t)i * nh;
		v4d a0 = { 0.0, 0.0, 0.0, 0.0 }, a1 = a0, a2 = a0, a3 = a0, yj, w0, w1, w2, w3;
		int j = 0;
		for (; j + 4 <= nh; j += 4) {
			LOAD4(yj, y + j);
			LOAD4(w0, w + j);
			LOAD4(w1, w + nh + j);
			LOAD4(w2, w + 2 * nh + j);
			LOAD4(w3, w + 3 * nh + j);
			a0 += yj * w0;
			a1 += yj * w1;
			a2 += yj * w2;
			a3 += yj * w3;
		}
		double s0 = a0[0], s1 = a1[0], s2 = a2[0], s3 = a3[0];
		for (; j < nh; j++) {
			s0 += y[j] * w[j];
			s1 += y[j] * w[nh + j];
			s2 += y[j] * w[2 * nh + j];
			s3 += y[j] * w[3 * nh + j];
		}
		z[i] = (s0 + a0[1]) + (a0[2] + a0[3]);
		z[i + 1] = (s1 + a1[1]) + (a1[2] + a1[3]);
		z[i + 2] = (s2 + a2[1]) + (a2[2] + a2[3]);
		z[i + 3] = (s3 + a3[1]) + (a3[2] + a3[3]);
	}
	for (; i < nv; i++) {
		const double *w = W + (size_t)i * nh;
		v4d acc = { 0.0, 0.0, 0.0, 0.0 }, yj, wj;
		int j = 0;
		for (; j + 4 <= nh; j += 4) {
			LOAD4(yj, y + j);
			LOAD4(wj, w + j);
			acc += yj * wj;
		}
		double s0 = acc[0];
		for (; j < nh; j++)
			s0 += y[j] * w[j];
		z[i] = (s0 + acc[1]) + (acc[2] + acc[3]);
	}
	sigmoid_fast_v(z, da->vbias, nv);
}

/* kn_da_train_lanes() (below) for the commonest shape, one input and one
 * hidden unit: nothing to loop over, all in registers, twice as fast;
 * and the group's parameters in a block of their own (single_blocks()),
 * loaded and stored a vector at a time.
 * kitnet_da_train()'s arithmetic for nv = nh = 1 step by step (0.0 + for
 * the sums that start from 0.0, / 1.0 for the means): the same bits. The
 * m <= 4 autoencoders ae[grp[0 .. m)] learn from the record x; their
 * RMSEs go to S. */
VEC_CLONES void kn_da_train_single4(kitnet *k, const int *grp, int m, const double *x, double *S)
{
	LANE_CONSTS;
	const double lr = k->p.lr;
	double *q = k->ae[grp[0]].W; /* the group's block: lane 0's W */
	v4d xv = zero, mn, mx, W, hb, vb;
	v4d xn, y, z, L2, L1, e;

	for (int l = 0; l < m; l++) {
		k->ae[grp[l]].n++;
		xv[l] = x[k->cache->memo[grp[l]].feat];
	}
	LOAD4(W, q);
	LOAD4(hb, q + 4);
	LOAD4(vb, q + 8);
	LOAD4(mn, q + 12);
	LOAD4(mx, q + 16);
	/* NaN never widens the range */
	mx = SELECT4(xv > mx, xv, mx);
	mn = SELECT4(xv < mn, xv, mn);
	/* da_normalise */
	NORM4(xn, xv, mn, mx);
	for (int l = 0; l < m; l++)
		xn[l] = squash(xn[l]);
	/* kn_da_forward_fast */
	y = (zero + xn * W) + hb;
	SIGMOID4(y, y);
	z = (((zero + y * W) + zero) + (zero + zero)) + vb;
	SIGMOID4(z, z);
	/* back-propagation and the update */
	L2 = xn - z;
	L1 = zero + L2 * W;
	L1 = (L1 * y) * (one - y);
	W += lr * ((xn * L1) + (L2 * y));
	hb += lr * ((zero + (zero + L1)) / one);
	vb += lr * ((zero + (zero + L2)) / one);
	e = (zero + (zero + L2 * L2)) / one;
	STORE4(q, W);
	STORE4(q + 4, hb);
	STORE4(q + 8, vb);
	STORE4(q + 12, mn);
	STORE4(q + 16, mx);
	for (int l = 0; l < m; l++)
		S[grp[l]] = sqrt(e[l]);
}

/* Most of a model's autoencoders are tiny: KitNET gives every feature
 * that correlates with nothing one of its own (one input, one hidden unit:
 * some forty in a conn model), and the other small clusters have two to
 * seven inputs. One at a time each is a chain of dependent divisions and
 * exps; they were two thirds of azw-fit's time. In the LOG mode
 * kitnet_train() trains up to four of one shape at once, one per lane of
 * a vector, with kitnet_da_train()'s arithmetic step by step (every sum in
 * its order from 0.0, the decoder's four partial sums, the means'
 * divisions): the same bits. */

/* b[0..n) += lr * mean(g[0..n)), four lanes: a bias step, with
 * np_mean's sum (from 0.0, in order: pairwise_sum below 8 terms), then
 * 0.0 + the sum, / n. */
static inline void bias_step4(v4d *b, const v4d *g, int n, double lr)
{
	const v4d zero = { 0.0, 0.0, 0.0, 0.0 };
	v4d sum = zero, t;

	for (int i = 0; i < n; i++)
		sum += g[i];
	t = lr * ((zero + sum) / (double)n);
	for (int i = 0; i < n; i++)
		b[i] += t;
}

/* One piece on purpose: kitnet_da_train()'s steps in its order, on
 * vectors kept in registers and on the stack from the gather to the
 * store; split into functions, they would pass (and spill) a dozen arrays
 * of vectors, which target_clones' ABI rules out anyway (kitnet_private.h:
 * no function takes or returns a vector). */
/* kitnet_da_train() of the m <= 4 autoencoders ae[grp[0 .. m)], all of
 * one shape, on their inputs from the record x; their RMSEs into S. */
VEC_CLONES void kn_da_train_lanes(kitnet *k, const int *grp, int m, const double *x, double *S)
{
	LANE_CONSTS;
	const int nv = k->ae[grp[0]].n_visible, nh = k->ae[grp[0]].n_hidden;
	const double lr = k->p.lr;
	v4d xv[LANE_MAX], mn[LANE_MAX], mx[LANE_MAX], vb[LANE_MAX], hb[LANE_MAX];
	v4d xn[LANE_MAX], y[LANE_MAX], z[LANE_MAX], L2[LANE_MAX], L1[LANE_MAX];
	v4d W[LANE_MAX * LANE_MAX]; /* nv x nh, row-major, as kitnet_da's */
	v4d t, sum;

	for (int i = 0; i < nv; i++)
		xv[i] = mn[i] = mx[i] = vb[i] = zero;
	for (int j = 0; j < nh; j++)
		hb[j] = zero;
	for (int q = 0; q < nv * nh; q++)
		W[q] = zero;
	for (int l = 0; l < m; l++) {
		kitnet_da *da = &k->ae[grp[l]];
		const int *idx = k->map + k->ae_off[grp[l]];
		da->n++;
		for (int i = 0; i < nv; i++) {
			double xi = x[idx[i]];
			if (xi > da->norm_max[i]) /* NaN never widens the range */
				da->norm_max[i] = xi;
			if (xi < da->norm_min[i])
				da->norm_min[i] = xi;
			xv[i][l] = xi;
			mn[i][l] = da->norm_min[i];
			mx[i][l] = da->norm_max[i];
			vb[i][l] = da->vbias[i];
		}
		for (int j = 0; j < nh; j++)
			hb[j][l] = da->hbias[j];
		for (int q = 0; q < nv * nh; q++)
			W[q][l] = da->W[q];
	}

	/* da_normalise */
	for (int i = 0; i < nv; i++) {
		NORM4(xn[i], xv[i], mn[i], mx[i]);
		for (int l = 0; l < m; l++)
			xn[i][l] = squash(xn[i][l]);
	}
	/* kn_da_forward_fast: y = sigmoid(xn W + hbias), z = sigmoid(y W^T + vbias) */
	for (int j = 0; j < nh; j++) {
		sum = zero;
		for (int i = 0; i < nv; i++)
			sum += xn[i] * W[i * nh + j];
		t = sum + hb[j];
		SIGMOID4(y[j], t);
	}
	for (int i = 0; i < nv; i++) {
		v4d a0 = zero, a1 = zero, a2 = zero, a3 = zero;
		int j = 0;
		for (; j + 4 <= nh; j += 4) {
			a0 += y[j] * W[i * nh + j];
			a1 += y[j + 1] * W[i * nh + j + 1];
			a2 += y[j + 2] * W[i * nh + j + 2];
			a3 += y[j + 3] * W[i * nh + j + 3];
		}
		for (; j < nh; j++)
			a0 += y[j] * W[i * nh + j];
		t = ((a0 + a1) + (a2 + a3)) + vb[i];
		SIGMOID4(z[i], t);
	}
	/* back-propagation with the weights before the update */
	for (int i = 0; i < nv; i++)
		L2[i] = xn[i] - z[i];
	for (int j = 0; j < nh; j++) {
		sum = zero;
		for (int i = 0; i < nv; i++)
			sum += L2[i] * W[i * nh + j];
		L1[j] = (sum * y[j]) * (one - y[j]);
	}
	for (int i = 0; i < nv; i++)
		for (int j = 0; j < nh; j++)
			W[i * nh + j] += lr * ((xn[i] * L1[j]) + (L2[i] * y[j]));
	bias_step4(hb, L1, nh, lr);
	bias_step4(vb, L2, nv, lr);
	sum = zero;
	for (int i = 0; i < nv; i++)
		sum += L2[i] * L2[i];
	t = (zero + sum) / (double)nv;

	for (int l = 0; l < m; l++) {
		kitnet_da *da = &k->ae[grp[l]];
		for (int i = 0; i < nv; i++)
			da->vbias[i] = vb[i][l];
		for (int j = 0; j < nh; j++)
			da->hbias[j] = hb[j][l];
		for (int q = 0; q < nv * nh; q++)
			da->W[q] = W[q][l];
		S[grp[l]] = sqrt(t[l]);
	}
}

/* The autoencoders kn_da_train_lanes() takes, in groups of at most four of
 * one shape: lane[lane_off[g] .. lane_off[g + 1]) is group g; the groups
 * of one-feature autoencoders first (their parameters are blocks of
 * k->params, kitnet.h), counted in n_single. 0, or -1 out of memory. */
int kn_lane_groups(kitnet *k)
{
	kitnet_cache *c = k->cache;
	int n = 0, g = 0;
	char *taken = calloc((size_t)k->n_ae, 1);

	if (!taken)
		return -1;
	c->n_single = 0;
	for (int pass = 0; pass < 2; pass++)
		for (int a = 0; a < k->n_ae; a++) {
			if (taken[a] || !in_lanes(&k->ae[a]) || is_single(&k->ae[a]) != (pass == 0))
				continue;
			c->lane_off[g++] = n;
			c->n_single += pass == 0;
			for (int b = a, m = 0; b < k->n_ae && m < 4; b++)
				if (!taken[b] && in_lanes(&k->ae[b]) &&
				    k->ae[b].n_visible == k->ae[a].n_visible &&
				    k->ae[b].n_hidden == k->ae[a].n_hidden) {
					taken[b] = 1;
					c->lane[n++] = b;
					m++;
				}
		}
	c->lane_off[g] = n;
	c->n_lane_grp = g;
	free(taken);
	return 0;
}

/* The encoder's sums over xn[0 .. n) alone, into y (nh): kn_da_forward()
 * with i0 = n goes on from them. */
VEC_CLONES static void da_encode_head(const kitnet_da *da, const double *xn, int n, double *y)
{
	mat_tvec(da->W, xn, 0, n, da->n_hidden, y);
}

/* kitnet_da_execute() of ensemble autoencoder a, from the memo when its
 * input has been seen lately (compared bit for bit: -0.0 is not 0.0). */
double kn_ae_execute(kitnet *k, int a, const double *sub, double *tmp)
{
	const kitnet_da *da = &k->ae[a];
	struct kitnet_memo *mo = &k->cache->memo[a];
	size_t bytes = (size_t)da->n_visible * sizeof *sub;
	double rmse;

	if (da->n_visible > KITNET_MEMO_NV)
		return kitnet_da_execute(da, sub, tmp);
	for (int w = 0; w < mo->n_valid; w++)
		if (same_bits(mo->in[w], sub, da->n_visible))
			return mo->rmse[w];
	rmse = kitnet_da_execute(da, sub, tmp);
	memcpy(mo->in[mo->next], sub, bytes);
	mo->rmse[mo->next] = rmse;
	if (mo->n_valid < KITNET_MEMO_WAYS)
		mo->n_valid++;
	mo->next = (mo->next + 1) % KITNET_MEMO_WAYS;
	return rmse;
}

/* kitnet_da_execute() of the output autoencoder on S, with S[0 .. n_pre)
 * normalised and their encoder sums from memory when those inputs have
 * been seen lately (the entry that answered last is asked first). */
double kn_out_execute(kitnet *k, const double *S, double *tmp)
{
	const kitnet_da *da = &k->out;
	int nv = da->n_visible, nh = da->n_hidden, np = k->cache->n_pre, w;
	double *xn = tmp, *z = xn + nv, *e = z + nv, *y = e + nv;
	size_t one = 2 * (size_t)np + (size_t)nh; /* an entry: S, xn, sums */

	if (np == 0)
		return kitnet_da_execute(da, S, tmp);
	w = k->cache->pre_last;
	if (w >= k->cache->pre_valid || !same_bits(k->cache->pre + w * one, S, np))
		for (w = 0; w < k->cache->pre_valid; w++)
			if (w != k->cache->pre_last && same_bits(k->cache->pre + w * one, S, np))
				break;
	if (w < k->cache->pre_valid) {
		memcpy(xn, k->cache->pre + w * one + np, (size_t)np * sizeof *xn);
		memcpy(y, k->cache->pre + w * one + 2 * np, (size_t)nh * sizeof *y);
		kn_da_normalise_from(da, S, np, xn);
	} else {
		da_normalise(da, S, xn);
		da_encode_head(da, xn, np, y);
		w = k->cache->pre_next;
		memcpy(k->cache->pre + w * one, S, (size_t)np * sizeof *S);
		memcpy(k->cache->pre + w * one + np, xn, (size_t)np * sizeof *xn);
		memcpy(k->cache->pre + w * one + 2 * np, y, (size_t)nh * sizeof *y);
		if (k->cache->pre_valid < KITNET_PRE_WAYS)
			k->cache->pre_valid++;
		k->cache->pre_next = (w + 1) % KITNET_PRE_WAYS;
	}
	k->cache->pre_last = w;
	kn_da_forward(da, xn, np, y, z);
	return rmse(xn, z, e, nv);
}
