/* kitnet.h - KitNET (Mirsky et al., NDSS 2018) in plain C: incremental
 * correlation clustering of features, an ensemble of small sigmoid
 * autoencoders and an output autoencoder over their RMSEs.
 *
 * Numerically the same algorithm as KitNET-py as shipped by pysad 0.2.0
 * (the version AutoZeekWatch used): with libm exp() and the same inputs,
 * every feature map, weight and score is bit for bit the reference's.
 * No I/O here: model.c reads and writes the public fields below.
 *
 * kitnet_ref.c is that reference: MT19937, numpy's summation order, the
 * autoencoder, the clustering; it is also the specification and the test
 * oracle of kitnet_fast.c, which gives the same bits faster (four
 * autoencoders at a time, a fast exp for the LOG mode, memory of recent
 * inputs). kitnet.c is the object: the map, the parameters, train and
 * execute. kitnet_private.h is what those three share.
 */
#ifndef AZW_KITNET_H
#define AZW_KITNET_H

#include <stddef.h>
#include <stdint.h>

/* One denoising-free autoencoder with tied weights (W' = W^T). */
typedef struct {
	int n_visible, n_hidden;
	double *W;        /* n_visible x n_hidden, row-major */
	double *hbias;    /* n_hidden */
	double *vbias;    /* n_visible */
	double *norm_min; /* n_visible, +inf until the first training record */
	double *norm_max; /* n_visible, -inf until the first training record */
	long n;           /* records trained on */
	int norm;         /* KITNET_NORM_*: how inputs are scaled to [0, 1] */
} kitnet_da;

/* Normalisation of each autoencoder input by the training range [min, max].
 * COMPAT is KitNET-py's (x - min) / (max - min + 1e-16): a feature that was
 * constant in training turns any new value into ~1e16 and every score into
 * noise. LOG (azw's default) scales a constant feature by |max| (or 1), and
 * compresses what falls outside [0, 1] logarithmically, v > 1 to 1 + ln v
 * and v < 0 to -ln(1 - v): monotone, continuous with slope 1 at the edges,
 * so a value beyond anything seen in training still stands out, and scores
 * stay finite and ordered. Within the training range both agree (up to the
 * 1e-16). */
enum { KITNET_NORM_COMPAT = 0, KITNET_NORM_LOG = 1 };

typedef struct {
	int max_ae;          /* largest autoencoder, features (>= 1) */
	long fm_grace;       /* records used for the feature map */
	long ad_grace;       /* records used to train the autoencoders; < 0: no limit */
	double lr;           /* SGD learning rate */
	double hidden_ratio; /* hidden units per visible unit, ceil()ed */
	uint32_t seed;       /* MT19937 seed of every autoencoder's weights */
	int norm;            /* KITNET_NORM_COMPAT or KITNET_NORM_LOG */
} kitnet_params;

/* KitNET-py's defaults as AutoZeekWatch used them (ad_grace 50000). */
#define KITNET_PARAMS_DEFAULT { 30, 5000, 50000, 0.001, 0.5, 1234, KITNET_NORM_COMPAT }

/* The clustering that builds the feature map, and the fast path's memory
 * (kitnet_private.h): neither is part of a model. */
typedef struct kitnet_cc kitnet_cc;
typedef struct kitnet_cache kitnet_cache;

typedef struct {
	kitnet_params p;
	int n_features;
	long n_trained;   /* records passed to kitnet_train() */

	/* the feature map: n_ae == 0 until it exists */
	int n_ae;
	int *map;      /* n_features: feature indices, autoencoder by autoencoder */
	int *ae_off;   /* n_ae + 1: ae a owns map[ae_off[a] .. ae_off[a+1]) */
	kitnet_da *ae; /* n_ae ensemble autoencoders */
	kitnet_da out; /* output autoencoder, n_visible = n_ae */

	/* Every parameter of ae[] and out, in one allocation of n_params
	 * doubles into which their pointers point (kitnet_set_map()); freed
	 * with the map, never an autoencoder at a time. In order:
	 *
	 *   single[n_single][5][4]  the one-feature autoencoders (nv = nh = 1)
	 *       that are trained four at a time (the LOG mode's lanes), four
	 *       to a block: W, hbias, vbias, norm_min, norm_max, each a
	 *       vector of four lanes, lane l the group's l-th autoencoder
	 *       (unused lanes 0)
	 *   then each other ensemble autoencoder a, in order, with
	 *       nv = ae[a].n_visible, nh = ae[a].n_hidden:
	 *       W[nv][nh] (row-major), hbias[nh], vbias[nv],
	 *       norm_min[nv], norm_max[nv]
	 *   then the output autoencoder, the same with nv = n_ae
	 *
	 * The n_single groups and their order are the fast path's
	 * (kitnet_fast.c); the model file does not depend on them. */
	double *params;
	size_t n_params;

	kitnet_cc *cc;       /* the clustering; NULL once the map exists */
	kitnet_cache *cache; /* kitnet_execute()'s and kitnet_train()'s */
} kitnet;

/* Forget what kitnet_execute() remembers of recent inputs (it gives the
 * very bits a computation would, for the weights it was made with): after
 * changing weights by hand. kitnet_train() and kitnet_set_map() do. */
void kitnet_forget(kitnet *k);

/* 0 on success, -1 on bad parameters or out of memory (errno set). */
int kitnet_init(kitnet *k, int n_features, const kitnet_params *p);
void kitnet_free(kitnet *k);

/* KitNET.train(): while no map exists, update the correlation clustering and
 * build the map when n_trained reaches fm_grace; afterwards train every
 * ensemble autoencoder on its sub-vector and the output autoencoder on their
 * RMSEs. Returns the output autoencoder's RMSE before the update (0 in the
 * feature-mapping phase). x has n_features values. */
double kitnet_train(kitnet *k, const double *x);

/* Build the feature map now from the records seen so far (for streams shorter
 * than fm_grace). Returns 0, or -1 when no record has been seen or memory
 * runs out. Does nothing if the map exists. */
int kitnet_build_map(kitnet *k);

/* Allocate the autoencoders for a given map (used by the model loader):
 * map has n_features entries, ae_off n_ae + 1. The weights are initialised as
 * KitNET-py does; the caller then overwrites them. 0 or -1. */
int kitnet_set_map(kitnet *k, int n_ae, const int *map, const int *ae_off);

/* KitNET.execute(): the anomaly score (output RMSE) of x; the model is not
 * changed. If layer1 is not NULL it receives the n_ae ensemble RMSEs. The map
 * must exist. */
double kitnet_execute(kitnet *k, const double *x, double *layer1);

/* Why x scored as it did: err[i] (n_features values, feature order) is the
 * normalised reconstruction error xn - z of feature i in its autoencoder.
 * The map must exist. */
void kitnet_explain(kitnet *k, const double *x, double *err);

/* KitNET.process(): train while n_trained <= fm_grace + ad_grace (returning
 * 0.0), execute afterwards. For parity with the reference only. */
double kitnet_process(kitnet *k, const double *x);

/* numpy.random.RandomState's MT19937, exposed for tests: kitnet_mt_double
 * is random_sample(); every autoencoder's W is uniform(-1/n, 1/n) from a
 * fresh generator seeded with p.seed. */
typedef struct {
	uint32_t mt[624];
	int i;
} kitnet_mt;
void kitnet_mt_seed(kitnet_mt *r, uint32_t seed);
uint32_t kitnet_mt_next(kitnet_mt *r);
double kitnet_mt_double(kitnet_mt *r);

/* The single autoencoder, exposed for tests (gradient checks) and the
 * model reader: kitnet_da_init() allocates its parameters in one block,
 * which kitnet_da_free() frees. (A kitnet's autoencoders live in its
 * params: never kitnet_da_free() one of those.) */
int kitnet_da_init(kitnet_da *da, int n_visible, int n_hidden, uint32_t seed);
void kitnet_da_free(kitnet_da *da);
/* One SGD step on x (n_visible values); returns the RMSE before the update.
 * tmp holds at least 3 * n_visible + 2 * n_hidden doubles. */
double kitnet_da_train(kitnet_da *da, const double *x, double lr, double *tmp);
/* RMSE of the reconstruction of x. tmp as for kitnet_da_train. */
double kitnet_da_execute(const kitnet_da *da, const double *x, double *tmp);

#endif
