/* kitnet.c - KitNET, numerically identical to KitNET-py (pysad 0.2.0).
 *
 * Bit-for-bit parity with the reference depends on doing every floating
 * point operation in the reference's order: numpy's reference-BLAS dot
 * products are sequential sums starting from 0.0, numpy's mean is a
 * pairwise sum, scipy's single linkage is Prim's MST plus a stable sort.
 * Do not "simplify" an expression here without re-running the golden test.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kitnet.h"

/* KitNET-py's normalisation guard, 0.0000000000000001 in the source. */
#define NORM_EPS 1e-16
/* corrDist's replacement for a zero denominator (a constant feature). */
#define DEN_EPS 1e-100
/* numpy's pairwise summation block. */
#define PW_BLOCK 128

/* ---- MT19937, as numpy.random.RandomState(seed) ----------------------- */

void
kitnet_mt_seed(kitnet_mt *r, uint32_t seed)
{
	r->mt[0] = seed;
	for (int i = 1; i < 624; i++)
		r->mt[i] = 1812433253u * (r->mt[i - 1] ^ (r->mt[i - 1] >> 30)) + (uint32_t)i;
	r->i = 624;
}

static void
mt_twist(kitnet_mt *r)
{
	uint32_t *mt = r->mt;
	for (int k = 0; k < 624; k++) {
		uint32_t y = (mt[k] & 0x80000000u) | (mt[(k + 1) % 624] & 0x7fffffffu);
		mt[k] = mt[(k + 397) % 624] ^ (y >> 1) ^ ((y & 1u) ? 0x9908b0dfu : 0u);
	}
	r->i = 0;
}

uint32_t
kitnet_mt_next(kitnet_mt *r)
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
double
kitnet_mt_double(kitnet_mt *r)
{
	uint32_t a = kitnet_mt_next(r) >> 5, b = kitnet_mt_next(r) >> 6;
	return ((double)a * 67108864.0 + (double)b) / 9007199254740992.0;
}

/* ---- numpy's summation ------------------------------------------------- */

/* numpy's pairwise_sum for doubles (unrolled by 8, blocks of 128). */
static double
pairwise_sum(const double *a, long n)
{
	if (n < 8) {
		double res = 0.0;
		for (long i = 0; i < n; i++)
			res += a[i];
		return res;
	}
	if (n <= PW_BLOCK) {
		double r[8];
		long i;
		for (int k = 0; k < 8; k++)
			r[k] = a[k];
		for (i = 8; i < n - n % 8; i += 8)
			for (int k = 0; k < 8; k++)
				r[k] += a[i + k];
		double res = ((r[0] + r[1]) + (r[2] + r[3])) +
		             ((r[4] + r[5]) + (r[6] + r[7]));
		for (; i < n; i++)
			res += a[i];
		return res;
	}
	long n2 = n / 2;
	n2 -= n2 % 8;
	return pairwise_sum(a, n2) + pairwise_sum(a + n2, n - n2);
}

/* numpy.mean of a 1-d float64 array: add.reduce starts from the identity. */
static double
np_mean(const double *a, long n)
{
	return (0.0 + pairwise_sum(a, n)) / (double)n;
}

static double
sigmoid(double x)
{
	/* exp() overflows to +inf for large -x, giving exactly 0 as numpy does */
	return 1.0 / (1.0 + exp(-x));
}

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

/* ---- the autoencoder (KitNET-py's dA) ----------------------------------- */

int
kitnet_da_init(kitnet_da *da, int n_visible, int n_hidden, uint32_t seed)
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
	da->n_visible = n_visible;
	da->n_hidden = n_hidden;
	da->W = b;
	da->hbias = b + nv * nh;
	da->vbias = da->hbias + nh;
	da->norm_min = da->vbias + nv;
	da->norm_max = da->norm_min + nv;
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
	return 0;
}

void
kitnet_da_free(kitnet_da *da)
{
	free(da->W);
	memset(da, 0, sizeof *da);
}

/* The autoencoder loops in a second copy for CPUs with AVX2, picked at
 * load time (GNU ifunc): four doubles a vector instead of SSE2's two. No
 * FMA: each lane does the same multiplications and additions in the same
 * order as the SSE2 copy, so both give the same bits. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define VEC_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define VEC_CLONES
#endif

/* Four doubles in GCC's vector extension (two SSE2 or NEON registers, one
 * AVX2 register), the same arithmetic in every lane; loaded and stored
 * with memcpy (no alignment assumed), in macros so that no function takes
 * or returns one (whose ABI differs between the two copies). */
typedef double v4d __attribute__((vector_size(32)));
typedef int64_t v4i __attribute__((vector_size(32)));
typedef uint64_t v4u __attribute__((vector_size(32)));
#define LOAD4(v, p) memcpy(&(v), (p), sizeof(v4d))
#define STORE4(p, v) memcpy((p), &(v), sizeof(v4d))
/* mask ? a : b, lane by lane (mask lanes all ones or all zeros) */
#define SELECT4(mask, a, b) ((v4d)(((v4i)(a) & (mask)) | ((v4i)(b) & ~(mask))))

/* The LOG mode's x scaled by its training range [lo, hi], four lanes at a
 * time (kitnet.h): a feature constant so far (or untrained) is scaled by
 * |hi| if finite and not 0, else by 1. zero, one, inf and sign (the sign
 * bit of each lane) must be in scope. */
#define NORM4(out, x, lo, hi) do { \
	v4d r_ = (hi) - (lo), m_ = (v4d)((v4i)(hi) & ~sign); \
	r_ = SELECT4(r_ > zero, r_, SELECT4((m_ > zero) & (m_ < inf), m_, one)); \
	(out) = ((x) - (lo)) / r_; \
} while (0)

/* ... and what falls outside [0, 1] compressed: v > 1 to 1 + ln v, v < 0
 * to -ln(1 - v) */
static inline double
squash(double v)
{
	return v > 1.0 ? 1.0 + log(v) : v < 0.0 ? -log1p(-v) : v;
}

/* 0-1 normalisation by the training range seen so far (see kitnet.h for
 * the two modes), of x[i0 .. nv) into xn[i0 .. nv): each element alone. */
VEC_CLONES static void
da_normalise_from(const kitnet_da *da, const double *x, int i0, double *xn)
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

/* ... of all of x */
static inline void
da_normalise(const kitnet_da *da, const double *x, double *xn)
{
	da_normalise_from(da, x, 0, xn);
}

/* out[j] = sum over i < nv of x[i] W[i][j] (W nv x nh, row-major), each sum
 * in the order i = 0, 1, ... from 0.0, as reference BLAS dgemv; with
 * i0 > 0, out holds the sums of rows [0, i0) already and rows [i0, nv) are
 * added to them (the same additions in the same order as one pass). Each
 * column's sum is a chain of dependent additions, so speed comes from
 * keeping many columns in flight: up to 32 at once, in eight vectors of
 * four held in registers. With nh not a multiple of four the last vector
 * is loaded at nh - 4, overlapping the one before: its shared lanes compute
 * the same sums again, bit for bit, so storing them twice is harmless. */
#define MT_BLOCK(NB) do { \
	v4d acc_[NB], w_; \
	for (int b_ = 0; b_ < (NB); b_++) { \
		acc_[b_] = (v4d){ 0.0, 0.0, 0.0, 0.0 }; \
		if (i0 > 0) \
			LOAD4(acc_[b_], out + col[b_]); \
	} \
	for (int i_ = i0; i_ < nv; i_++) { \
		const double *row_ = W + (size_t)i_ * nh; \
		double xi_ = x[i_]; \
		for (int b_ = 0; b_ < (NB); b_++) { \
			LOAD4(w_, row_ + col[b_]); \
			acc_[b_] += xi_ * w_; \
		} \
	} \
	for (int b_ = 0; b_ < (NB); b_++) \
		STORE4(out + col[b_], acc_[b_]); \
} while (0)

static inline __attribute__((always_inline)) void
mat_tvec(const double *W, const double *x, int i0, int nv, int nh, double *out)
{
	int nvec = (nh + 3) / 4;

	if (nh < 4) {
		for (int j = 0; j < nh; j++) {
			double a = i0 > 0 ? out[j] : 0.0;
			for (int i = i0; i < nv; i++)
				a += x[i] * W[(size_t)i * nh + j];
			out[j] = a;
		}
		return;
	}
	for (int k0 = 0; k0 < nvec; k0 += 8) {
		int col[8], nb = nvec - k0 < 8 ? nvec - k0 : 8;
		for (int b = 0; b < nb; b++)
			col[b] = 4 * (k0 + b) + 4 <= nh ? 4 * (k0 + b) : nh - 4;
		switch (nb) {
		case 1: MT_BLOCK(1); break;
		case 2: MT_BLOCK(2); break;
		case 3: MT_BLOCK(3); break;
		case 4: MT_BLOCK(4); break;
		case 5: MT_BLOCK(5); break;
		case 6: MT_BLOCK(6); break;
		case 7: MT_BLOCK(7); break;
		default: MT_BLOCK(8); break;
		}
	}
}

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

/* The LOG mode's da_forward: the same sums, but each decoder dot product
 * in four interleaved partial sums (a fixed order, so still deterministic:
 * one long chain of dependent additions was most of the time of the output
 * autoencoder), and the fast exp. */
VEC_CLONES static void
da_forward_fast(const kitnet_da *da, const double *xn, int i0, double *y, double *z)
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

/* y = sigmoid(xn W + hbias) (nh), z = sigmoid(y W^T + vbias) (nv).
 * Each dot product is a sequential sum from 0.0, as reference BLAS dgemv.
 * With i0 > 0, y holds the encoder's sums over xn[0 .. i0) already
 * (da_encode_head()). */
static void
da_forward(const kitnet_da *da, const double *xn, int i0, double *y, double *z)
{
	int nv = da->n_visible, nh = da->n_hidden;
	const double *W = da->W;

	if (da->norm != KITNET_NORM_COMPAT) {
		da_forward_fast(da, xn, i0, y, z);
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
VEC_CLONES double
kitnet_da_train(kitnet_da *da, const double *x, double lr, double *tmp)
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
	da_forward(da, xn, 0, y, z);

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

/* da_train_lanes() (below) for the commonest shape, one input and one
 * hidden unit: nothing to loop over, all in registers, twice as fast;
 * and the group's parameters in a block of their own (single_blocks()),
 * loaded and stored a vector at a time.
 * kitnet_da_train()'s arithmetic for nv = nh = 1 step by step (0.0 + for
 * the sums that start from 0.0, / 1.0 for the means): the same bits. The
 * m <= 4 autoencoders ae[grp[0 .. m)] learn from the record x; their
 * RMSEs go to S. */
VEC_CLONES static void
da_train_single4(kitnet *k, const int *grp, int m, const double *x, double *S)
{
	LANE_CONSTS;
	const double lr = k->p.lr;
	double *q = k->ae[grp[0]].W; /* the group's block: lane 0's W */
	v4d xv = zero, mn, mx, W, hb, vb;
	v4d xn, y, z, L2, L1, e;

	for (int l = 0; l < m; l++) {
		k->ae[grp[l]].n++;
		xv[l] = x[k->memo[grp[l]].feat];
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
	/* da_forward_fast */
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
#define LANE_MAX 7 /* inputs and hidden units of an autoencoder trained in lanes */

/* b[0..n) += lr * mean(g[0..n)), four lanes: a bias step, with
 * np_mean's sum (from 0.0, in order: pairwise_sum below 8 terms), then
 * 0.0 + the sum, / n. */
static inline void
bias_step4(v4d *b, const v4d *g, int n, double lr)
{
	const v4d zero = { 0.0, 0.0, 0.0, 0.0 };
	v4d sum = zero, t;

	for (int i = 0; i < n; i++)
		sum += g[i];
	t = lr * ((zero + sum) / (double)n);
	for (int i = 0; i < n; i++)
		b[i] += t;
}

static int
is_single(const kitnet_da *da)
{
	return da->n_visible == 1 && da->n_hidden == 1;
}

static int
in_lanes(const kitnet_da *da)
{
	return da->n_visible <= LANE_MAX && da->n_hidden <= LANE_MAX && da->norm == KITNET_NORM_LOG;
}

/* kitnet_da_train() of the m <= 4 autoencoders ae[grp[0 .. m)], all of
 * one shape, on their inputs from the record x; their RMSEs into S. */
VEC_CLONES static void
da_train_lanes(kitnet *k, const int *grp, int m, const double *x, double *S)
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
	/* da_forward_fast: y = sigmoid(xn W + hbias), z = sigmoid(y W^T + vbias) */
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

/* The encoder's sums over xn[0 .. n) alone, into y (nh): da_forward()
 * with i0 = n goes on from them. */
VEC_CLONES static void
da_encode_head(const kitnet_da *da, const double *xn, int n, double *y)
{
	mat_tvec(da->W, xn, 0, n, da->n_hidden, y);
}

/* The RMSE of the reconstruction z of xn (nv each; e: nv of scratch). */
static double
rmse(const double *xn, const double *z, double *e, int nv)
{
	for (int i = 0; i < nv; i++) {
		double d = xn[i] - z[i];
		e[i] = d * d;
	}
	return sqrt(np_mean(e, nv));
}

double
kitnet_da_execute(const kitnet_da *da, const double *x, double *tmp)
{
	int nv = da->n_visible;
	double *xn = tmp, *z = xn + nv, *e = z + nv, *y = e + nv;

	da_normalise(da, x, xn);
	da_forward(da, xn, 0, y, z);
	return rmse(xn, z, e, nv);
}

/* ---- the feature map (corClust + scipy single linkage) ----------------- */

static int
n_hidden_for(int n_visible, double ratio)
{
	/* int(numpy.ceil(n_visible * ratio)); (n + 1) / 2 for ratio 0.5 */
	int h = (int)ceil((double)n_visible * ratio);
	return h < 1 ? 1 : h > n_visible ? n_visible : h;
}

static void
cc_free(kitnet *k)
{
	free(k->cc_c); /* one block holds c, c_r, c_rs and C */
	k->cc_c = k->cc_c_r = k->cc_c_rs = k->cc_C = NULL;
}

/* corClust.update(): running sums of the residuals from the running mean.
 * scratch holds ct (n). */
static void
cc_update(kitnet *k, const double *x)
{
	int n = k->n_features;
	double *ct = k->scratch;

	k->cc_N++;
	for (int i = 0; i < n; i++) {
		k->cc_c[i] += x[i];
		ct[i] = x[i] - k->cc_c[i] / (double)k->cc_N;
		k->cc_c_r[i] += ct[i];
		k->cc_c_rs[i] += ct[i] * ct[i];
	}
	for (int i = 0; i < n; i++) {
		double *row = k->cc_C + (size_t)i * n;
		double ci = ct[i];
		for (int j = 0; j < n; j++)
			row[j] += ci * ct[j];
	}
}

/* corrDist() for i < j: 1 - correlation, clipped at 0 (NaN kept). */
static double
cc_dist(const kitnet *k, const double *s, int i, int j)
{
	int n = k->n_features;
	double den = s[i] * s[j];
	if (den == 0.0)
		den = DEN_EPS;
	double d = 1.0 - k->cc_C[(size_t)i * n + j] / den;
	return d < 0.0 ? 0.0 : d;
}

/* numpy argsort order for floats: NaN last */
static int
dist_less(double a, double b)
{
	return a < b || (isnan(b) && !isnan(a));
}

static int
uf_find(int *parent, int x)
{
	while (parent[x] != x) {
		parent[x] = parent[parent[x]];
		x = parent[x];
	}
	return x;
}

/* Cluster the features as scipy.cluster.hierarchy.linkage(method='single')
 * + to_tree + KitNET-py's __breakClust__, and store the resulting map. */
static int
cc_cluster(kitnet *k, int *map, int *ae_off, int *n_ae)
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
		sroot[i] = sqrt(k->cc_c_rs[i]);

	/* Prim's minimum spanning tree over the distance graph */
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

	/* stable insertion sort of the rows by distance (numpy mergesort) */
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

	/* relabel with cluster ids: row r makes node n + r */
	for (int i = 0; i < 2 * n - 1; i++) {
		parent[i] = i;
		size[i] = 1;
	}
	for (size_t r = 0; r < nz; r++) {
		int a = uf_find(parent, zl[r]), b = uf_find(parent, zr[r]);
		int id = n + (int)r;
		zl[r] = a < b ? a : b;
		zr[r] = a < b ? b : a;
		parent[a] = parent[b] = id;
		size[id] = size[a] + size[b];
	}

	/* __breakClust__: depth first, left first; a subtree of at most m
	 * leaves becomes one autoencoder, its leaves in pre-order */
	int *stack = merged; /* n entries suffice: stacked subtrees are disjoint */
	int *leaves = parent; /* reused: the union-find is done */
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
	free(dbuf);
	free(ibuf);
	return 0;
}

/* ---- KitNET ---------------------------------------------------------- */

/* Does the autoencoder keep its parameters in k->single? */
static int
in_single_block(const kitnet *k, const kitnet_da *da)
{
	return k->single && da->W >= k->single &&
	       da->W < k->single + (size_t)k->n_single * KITNET_SINGLE_BLOCK;
}

static void
free_aes(kitnet *k)
{
	for (int a = 0; a < k->n_ae; a++)
		if (in_single_block(k, &k->ae[a]))
			memset(&k->ae[a], 0, sizeof k->ae[a]);
		else
			kitnet_da_free(&k->ae[a]);
	free(k->single);
	k->single = NULL;
	k->n_single = 0;
	kitnet_da_free(&k->out);
	free(k->ae);
	free(k->map);
	free(k->ae_off);
	free(k->memo);
	free(k->lane);
	free(k->pre);
	k->pre = NULL;
	k->n_pre = k->pre_valid = 0;
	k->memo = NULL;
	k->lane = k->lane_off = NULL;
	k->n_lane_grp = 0;
	k->ae = NULL;
	k->map = k->ae_off = NULL;
	k->n_ae = 0;
}

/* scratch: S (n_ae), the sub-vector (largest AE) and the dA temporaries
 * for the largest autoencoder; at least n_features for corClust. */
static int
ensure_scratch(kitnet *k, int need)
{
	if (need <= k->scratch_len)
		return 0;
	double *s = realloc(k->scratch, (size_t)need * sizeof *s);
	if (!s)
		return -1;
	k->scratch = s;
	k->scratch_len = need;
	return 0;
}

int
kitnet_init(kitnet *k, int n_features, const kitnet_params *p)
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
	size_t n = (size_t)n_features;
	double *cc = calloc(3 * n + n * n, sizeof *cc);
	if (!cc)
		return -1;
	k->cc_c = cc;
	k->cc_c_r = cc + n;
	k->cc_c_rs = cc + 2 * n;
	k->cc_C = cc + 3 * n;
	if (ensure_scratch(k, n_features) < 0) {
		cc_free(k);
		return -1;
	}
	return 0;
}

void
kitnet_free(kitnet *k)
{
	free_aes(k);
	cc_free(k);
	free(k->scratch);
	memset(k, 0, sizeof *k);
}

/* Move the parameters of each lane group of one-feature autoencoders
 * into a block of its own (kitnet.h), lane l of the group in lane l of
 * each vector; lanes without an autoencoder hold harmless values. 0, or
 * -1 out of memory. */
static int
single_blocks(kitnet *k)
{
	int ng = 0, b = 0;

	for (int g = 0; g < k->n_lane_grp; g++)
		ng += is_single(&k->ae[k->lane[k->lane_off[g]]]);
	if (ng == 0)
		return 0;
	k->single = malloc((size_t)ng * KITNET_SINGLE_BLOCK * sizeof *k->single);
	if (!k->single)
		return -1;
	k->n_single = ng;
	for (int g = 0; g < k->n_lane_grp; g++) {
		const int *grp = k->lane + k->lane_off[g];
		int m = k->lane_off[g + 1] - k->lane_off[g];
		double *q = k->single + (size_t)b * KITNET_SINGLE_BLOCK;

		if (!is_single(&k->ae[grp[0]]))
			continue;
		b++;
		for (int l = 0; l < 4; l++) {
			kitnet_da *d;

			if (l >= m) {
				for (int i = 0; i < 5; i++)
					q[4 * i + l] = 0.0;
				continue;
			}
			d = &k->ae[grp[l]];
			q[l] = d->W[0];
			q[4 + l] = d->hbias[0];
			q[8 + l] = d->vbias[0];
			q[12 + l] = d->norm_min[0];
			q[16 + l] = d->norm_max[0];
			free(d->W); /* its own block (kitnet_da_init) */
			d->W = q + l;
			d->hbias = q + 4 + l;
			d->vbias = q + 8 + l;
			d->norm_min = q + 12 + l;
			d->norm_max = q + 16 + l;
		}
	}
	return 0;
}

/* The autoencoders da_train_lanes() takes, in groups of at most four of
 * one shape: lane[lane_off[g] .. lane_off[g + 1]) is group g. 0, or -1
 * out of memory. */
static int
lane_groups(kitnet *k)
{
	int n = 0, g = 0;
	char *taken = calloc((size_t)k->n_ae, 1);

	if (!taken)
		return -1;
	for (int a = 0; a < k->n_ae; a++) {
		if (taken[a] || !in_lanes(&k->ae[a]))
			continue;
		k->lane_off[g++] = n;
		for (int b = a, m = 0; b < k->n_ae && m < 4; b++)
			if (!taken[b] && in_lanes(&k->ae[b]) &&
			    k->ae[b].n_visible == k->ae[a].n_visible &&
			    k->ae[b].n_hidden == k->ae[a].n_hidden) {
				taken[b] = 1;
				k->lane[n++] = b;
				m++;
			}
	}
	k->lane_off[g] = n;
	k->n_lane_grp = g;
	free(taken);
	return single_blocks(k);
}

int
kitnet_set_map(kitnet *k, int n_ae, const int *map, const int *ae_off)
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
	k->map = malloc((size_t)n * sizeof *k->map);
	k->ae_off = malloc(((size_t)n_ae + 1) * sizeof *k->ae_off);
	k->ae = calloc((size_t)n_ae, sizeof *k->ae);
	k->memo = calloc((size_t)n_ae, sizeof *k->memo); /* n_valid 0: empty */
	k->lane = malloc((2 * (size_t)n_ae + 1) * sizeof *k->lane);
	if (!k->map || !k->ae_off || !k->ae || !k->memo || !k->lane)
		goto fail;
	k->lane_off = k->lane + n_ae;
	memcpy(k->map, map, (size_t)n * sizeof *map);
	memcpy(k->ae_off, ae_off, ((size_t)n_ae + 1) * sizeof *ae_off);
	for (int a = 0; a < n_ae; a++) {
		int nv = ae_off[a + 1] - ae_off[a];
		if (kitnet_da_init(&k->ae[a], nv, n_hidden_for(nv, k->p.hidden_ratio),
		                   k->p.seed) < 0) {
			k->n_ae = a; /* free what exists */
			goto fail;
		}
		k->ae[a].norm = k->p.norm;
		k->memo[a].feat = nv == 1 ? map[ae_off[a]] : -1;
	}
	k->n_ae = n_ae;
	if (lane_groups(k) < 0)
		goto fail;
	if (kitnet_da_init(&k->out, n_ae, n_hidden_for(n_ae, k->p.hidden_ratio),
	                   k->p.seed) < 0)
		goto fail;
	k->out.norm = k->p.norm;
	int np = 0;
	while (np < n_ae && k->memo[np].feat >= 0)
		np++;
	if (np >= KITNET_PRE_MIN) {
		k->pre = malloc((size_t)KITNET_PRE_WAYS * (size_t)(2 * np + k->out.n_hidden) *
		                sizeof *k->pre);
		if (!k->pre)
			goto fail;
		k->n_pre = np;
	}
	/* a given map ends the feature-mapping phase for good */
	cc_free(k);
	return 0;
fail:
	{
		int e = errno;
		free_aes(k);
		errno = e;
	}
	return -1;
}

int
kitnet_build_map(kitnet *k)
{
	if (k->n_ae > 0)
		return 0;
	if (!k->cc_c || k->cc_N < 1) {
		errno = EINVAL;
		return -1;
	}
	int n = k->n_features, n_ae;
	int *map = malloc((size_t)n * sizeof *map);
	int *off = malloc(((size_t)n + 1) * sizeof *off);
	int rc = -1;
	if (map && off && cc_cluster(k, map, off, &n_ae) == 0)
		rc = kitnet_set_map(k, n_ae, map, off);
	free(map);
	free(off);
	return rc;
}

/* Scratch layout after the map exists: S (n_ae), the dA temporaries, and
 * the sub-vector at the very end (n_features; see kitnet_set_map). */
static double *
sub_space(const kitnet *k)
{
	return k->scratch + k->scratch_len - k->n_features;
}

/* x[map] for autoencoder a, into sub */
static const double *
gather(const kitnet *k, int a, const double *x, double *sub)
{
	const int *idx = k->map + k->ae_off[a];
	int nv = k->ae_off[a + 1] - k->ae_off[a];
	for (int i = 0; i < nv; i++)
		sub[i] = x[idx[i]];
	return sub;
}

double
kitnet_train(kitnet *k, const double *x)
{
	if (k->n_ae == 0 && k->n_trained <= k->p.fm_grace) {
		cc_update(k, x);
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
	double *S = k->scratch, *tmp = S + na, *sub = sub_space(k);
	kitnet_forget(k);
	/* the small ones first, four of a shape at a time */
	for (int g = 0; g < k->n_lane_grp; g++) {
		const int *grp = k->lane + k->lane_off[g];
		int m = k->lane_off[g + 1] - k->lane_off[g];
		if (is_single(&k->ae[grp[0]]))
			da_train_single4(k, grp, m, x, S);
		else
			da_train_lanes(k, grp, m, x, S);
	}
	for (int a = 0; a < na; a++)
		if (!in_lanes(&k->ae[a]))
			S[a] = kitnet_da_train(&k->ae[a], gather(k, a, x, sub), k->p.lr, tmp);
	k->n_trained++;
	return kitnet_da_train(&k->out, S, k->p.lr, tmp);
}

void
kitnet_forget(kitnet *k)
{
	for (int a = 0; a < k->n_ae; a++)
		k->memo[a].n_valid = 0;
	k->pre_valid = 0;
}

/* memcmp() for a few doubles, inline: the call was a tenth of azw-score's
 * time with some fifty small autoencoders a record */
static int
same_bits(const double *a, const double *b, int n)
{
	for (int i = 0; i < n; i++) {
		uint64_t x, y;
		memcpy(&x, a + i, sizeof x);
		memcpy(&y, b + i, sizeof y);
		if (x != y)
			return 0;
	}
	return 1;
}

/* kitnet_da_execute() of ensemble autoencoder a, from the memo when its
 * input has been seen lately (compared bit for bit: -0.0 is not 0.0). */
static double
ae_execute(kitnet *k, int a, const double *sub, double *tmp)
{
	const kitnet_da *da = &k->ae[a];
	struct kitnet_memo *mo = &k->memo[a];
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
static double
out_execute(kitnet *k, const double *S, double *tmp)
{
	const kitnet_da *da = &k->out;
	int nv = da->n_visible, nh = da->n_hidden, np = k->n_pre, w;
	double *xn = tmp, *z = xn + nv, *e = z + nv, *y = e + nv;
	size_t one = 2 * (size_t)np + (size_t)nh; /* an entry: S, xn, sums */

	if (np == 0)
		return kitnet_da_execute(da, S, tmp);
	w = k->pre_last;
	if (w >= k->pre_valid || !same_bits(k->pre + w * one, S, np))
		for (w = 0; w < k->pre_valid; w++)
			if (w != k->pre_last && same_bits(k->pre + w * one, S, np))
				break;
	if (w < k->pre_valid) {
		memcpy(xn, k->pre + w * one + np, (size_t)np * sizeof *xn);
		memcpy(y, k->pre + w * one + 2 * np, (size_t)nh * sizeof *y);
		da_normalise_from(da, S, np, xn);
	} else {
		da_normalise(da, S, xn);
		da_encode_head(da, xn, np, y);
		w = k->pre_next;
		memcpy(k->pre + w * one, S, (size_t)np * sizeof *S);
		memcpy(k->pre + w * one + np, xn, (size_t)np * sizeof *xn);
		memcpy(k->pre + w * one + 2 * np, y, (size_t)nh * sizeof *y);
		if (k->pre_valid < KITNET_PRE_WAYS)
			k->pre_valid++;
		k->pre_next = (w + 1) % KITNET_PRE_WAYS;
	}
	k->pre_last = w;
	da_forward(da, xn, np, y, z);
	return rmse(xn, z, e, nv);
}

double
kitnet_execute(kitnet *k, const double *x, double *layer1)
{
	int na = k->n_ae;
	if (na == 0)
		return 0.0; /* pysad's score_partial before the map exists */
	double *S = k->scratch, *tmp = S + na, *sub = sub_space(k);
	for (int a = 0; a < na; a++) {
		/* Most autoencoders have one feature (one that correlates
		 * with no other) and most such features few values: their
		 * memo, compared here without the calls, answers. */
		const struct kitnet_memo *mo = &k->memo[a];
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
		S[a] = ae_execute(k, a, gather(k, a, x, sub), tmp);
	}
	if (layer1)
		memcpy(layer1, S, (size_t)na * sizeof *S);
	return out_execute(k, S, tmp);
}

void
kitnet_explain(kitnet *k, const double *x, double *err)
{
	double *S = k->scratch, *tmp = S + k->n_ae, *sub = sub_space(k);

	for (int a = 0; a < k->n_ae; a++) {
		const kitnet_da *da = &k->ae[a];
		int nv = da->n_visible, off = k->ae_off[a];
		double *xn = tmp, *z = xn + nv, *y = z + 2 * nv;

		da_normalise(da, gather(k, a, x, sub), xn);
		da_forward(da, xn, 0, y, z);
		for (int i = 0; i < nv; i++)
			err[k->map[off + i]] = xn[i] - z[i];
	}
}

double
kitnet_process(kitnet *k, const double *x)
{
	if (k->p.ad_grace >= 0 && k->n_trained > k->p.fm_grace + k->p.ad_grace)
		return kitnet_execute(k, x, NULL);
	kitnet_train(k, x);
	return 0.0;
}
