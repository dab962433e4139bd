/* kitnet_private.h - what kitnet.c, kitnet_ref.c and kitnet_fast.c share,
 * and no one else may use but the unit tests (kitnet.h is the interface):
 *
 *   kitnet_ref.c   the reference: MT19937, the autoencoder (KitNET-py's
 *                  dA, and the LOG mode's normalisation), the clustering;
 *                  every sum in numpy's order
 *   kitnet_fast.c  the same bits faster: the LOG mode's fast exp, four
 *                  autoencoders of one shape trained at a time in the
 *                  lanes of a vector, memory of recent inputs
 *   kitnet.c       the object: init, the map and its one allocation of
 *                  parameters, train, execute
 *
 * The small functions below are static inline: the loops of both paths
 * call them per autoencoder or per record.
 */
#ifndef AZW_KITNET_PRIVATE_H
#define AZW_KITNET_PRIVATE_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "kitnet.h"

/* KitNET-py's normalisation guard, 0.0000000000000001 in the source. */
#define NORM_EPS 1e-16
/* corrDist's replacement for a zero denominator (a constant feature). */
#define DEN_EPS 1e-100
/* numpy's pairwise summation block. */
#define PW_BLOCK 128

/* corClust's running sums, until the map exists: N records; c, c_r, c_rs
 * (n_features each) and C (n_features x n_features, row-major) in one
 * block from c. */
struct kitnet_cc {
	long N;
	double *c, *c_r, *c_rs, *C;
};

/* Autoencoders of at most this many features are remembered. */
#define KITNET_MEMO_NV 4
#define KITNET_MEMO_WAYS 2
/* The output encoder's memory is kept for at least this many leading
 * one-feature autoencoders, in this many entries. */
#define KITNET_PRE_MIN 8
#define KITNET_PRE_WAYS 4
/* doubles of a block of four one-feature autoencoders (kitnet.h) */
#define KITNET_SINGLE_BLOCK 20

struct kitnet_memo {
	double in[KITNET_MEMO_WAYS][KITNET_MEMO_NV];
	double rmse[KITNET_MEMO_WAYS];
	int n_valid, next;
	/* the feature of a one-feature autoencoder (map[ae_off[a]]), else
	 * -1: set with the map, read per record by kitnet_execute() and
	 * kn_da_train_single4() instead of two dependent loads */
	int feat;
};

/* What kitnet_train() and kitnet_execute() keep between calls; never
 * saved, and none of it changes a result. */
struct kitnet_cache {
	double *scratch; /* working space for train/execute */
	int scratch_len;

	/* kitnet_execute()'s memory of the last inputs of each small ensemble
	 * autoencoder and their RMSEs (n_ae entries): most features are 0/1
	 * flags that KitNET puts in autoencoders of their own, so the same
	 * sub-vector comes back again and again. A hit gives the very bits a
	 * computation would (same weights, same input bits). kitnet_train()
	 * and kitnet_set_map() empty it; so must anyone who changes the
	 * weights by hand (kitnet_forget()). */
	struct kitnet_memo *memo;

	/* kitnet_execute()'s memory of the output autoencoder's first n_pre
	 * inputs: the RMSEs of the leading one-feature autoencoders, which
	 * come from their memos and seldom change. Each of KITNET_PRE_WAYS
	 * entries holds those inputs, their normalised values and the
	 * encoder's sums over them; a hit goes on from there, with the same
	 * additions in the same order, so the same bits. n_pre 0: not used.
	 * Emptied with the memo. */
	int n_pre, pre_valid, pre_next, pre_last;
	double *pre; /* KITNET_PRE_WAYS x (n_pre S, n_pre xn, out.n_hidden sums) */

	/* the LOG mode's small autoencoders, which kitnet_train() trains four
	 * of a shape at a time: group g is ae[lane[lane_off[g] ..
	 * lane_off[g + 1])] (one allocation: lane_off follows lane); the
	 * groups of one-feature autoencoders come first, and their
	 * parameters are k->params' first n_single blocks (kitnet.h) */
	int *lane, *lane_off;
	int n_lane_grp;
	int n_single;
};

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

#define LANE_MAX 7 /* inputs and hidden units of an autoencoder trained in lanes */

/* numpy's pairwise_sum for doubles (unrolled by 8, blocks of 128). */
static inline double pairwise_sum(const double *a, long n)
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
static inline double np_mean(const double *a, long n)
{
	return (0.0 + pairwise_sum(a, n)) / (double)n;
}

static inline double sigmoid(double x)
{
	/* exp() overflows to +inf for large -x, giving exactly 0 as numpy does */
	return 1.0 / (1.0 + exp(-x));
}

/* ... and what falls outside [0, 1] compressed: v > 1 to 1 + ln v, v < 0
 * to -ln(1 - v) */
static inline double squash(double v)
{
	return v > 1.0 ? 1.0 + log(v) : v < 0.0 ? -log1p(-v) : v;
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

static inline int is_single(const kitnet_da *da)
{
	return da->n_visible == 1 && da->n_hidden == 1;
}

static inline int in_lanes(const kitnet_da *da)
{
	return da->n_visible <= LANE_MAX && da->n_hidden <= LANE_MAX && da->norm == KITNET_NORM_LOG;
}

/* The RMSE of the reconstruction z of xn (nv each; e: nv of scratch). */
static inline double rmse(const double *xn, const double *z, double *e, int nv)
{
	for (int i = 0; i < nv; i++) {
		double d = xn[i] - z[i];
		e[i] = d * d;
	}
	return sqrt(np_mean(e, nv));
}

/* memcmp() for a few doubles, inline: the call was a tenth of azw-score's
 * time with some fifty small autoencoders a record */
static inline int same_bits(const double *a, const double *b, int n)
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

static inline int n_hidden_for(int n_visible, double ratio)
{
	/* int(numpy.ceil(n_visible * ratio)); (n + 1) / 2 for ratio 0.5 */
	int h = (int)ceil((double)n_visible * ratio);
	return h < 1 ? 1 : h > n_visible ? n_visible : h;
}

/* Scratch layout after the map exists: S (n_ae), the dA temporaries, and
 * the sub-vector at the very end (n_features; see kitnet_set_map). */
static inline double *sub_space(const kitnet *k)
{
	return k->cache->scratch + k->cache->scratch_len - k->n_features;
}

/* x[map] for autoencoder a, into sub */
static inline const double *gather(const kitnet *k, int a, const double *x, double *sub)
{
	const int *idx = k->map + k->ae_off[a];
	int nv = k->ae_off[a + 1] - k->ae_off[a];
	for (int i = 0; i < nv; i++)
		sub[i] = x[idx[i]];
	return sub;
}

/* kitnet_ref.c */
/* da's parameters at the given places (nv x nh, nh, nv, nv, nv doubles),
 * initialised as KitNET-py does (kitnet_da_init()). */
void kn_da_place(kitnet_da *da, int n_visible, int n_hidden, double *W, double *hbias,
                 double *vbias, double *norm_min, double *norm_max, uint32_t seed);
/* 0-1 normalisation of x[i0 .. nv) into xn[i0 .. nv) (kitnet.h's modes). */
void kn_da_normalise_from(const kitnet_da *da, const double *x, int i0, double *xn);
/* y = sigmoid(xn W + hbias), z = sigmoid(y W^T + vbias); with i0 > 0, y
 * holds the encoder's sums over xn[0 .. i0) already. */
void kn_da_forward(const kitnet_da *da, const double *xn, int i0, double *y, double *z);
/* The clustering: made (0, or -1 out of memory), freed, updated with a
 * record, turned into a map (0, or -1 out of memory). */
int kn_cc_new(kitnet *k);
void kn_cc_free(kitnet *k);
void kn_cc_update(kitnet *k, const double *x);
int kn_cc_cluster(kitnet *k, int *map, int *ae_off, int *n_ae);

/* kitnet_fast.c */
void kn_da_forward_fast(const kitnet_da *da, const double *xn, int i0, double *y, double *z);
void kn_da_train_single4(kitnet *k, const int *grp, int m, const double *x, double *S);
void kn_da_train_lanes(kitnet *k, const int *grp, int m, const double *x, double *S);
/* The lane groups of k->ae (their shapes set): 0, or -1 out of memory. */
int kn_lane_groups(kitnet *k);
double kn_ae_execute(kitnet *k, int a, const double *sub, double *tmp);
double kn_out_execute(kitnet *k, const double *S, double *tmp);

/* ... of all of x */
static inline void da_normalise(const kitnet_da *da, const double *x, double *xn)
{
	kn_da_normalise_from(da, x, 0, xn);
}

#endif
