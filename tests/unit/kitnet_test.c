/* kitnet_test.c - unit tests of src/kitnet.c, TAP on stdout.
 *
 * The golden data (tests/data/golden/, or $AZW_GOLDEN_DIR) comes from the
 * original KitNET-py run with glibc exp(); the scores must agree bit for bit.
 * Run from the repository root.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#include "kitnet.h"
#include "kitnet_private.h" /* the fast path's caches, white-box */
#include "tap.h"

#define NTESTS 39

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p) {
		perror("kitnet_test");
		exit(2);
	}
	return p;
}

/* ---- golden files ------------------------------------------------------ */

static const char *
golden_dir(void)
{
	const char *d = getenv("AZW_GOLDEN_DIR");
	return d && *d ? d : "tests/data/golden";
}

/* The golden files are stored gzipped (name.gz) to keep the repository
 * small; a plain copy is read if there is one. */
static int golden_piped;

static FILE *
open_golden(const char *name)
{
	char path[4096], cmd[4200];
	snprintf(path, sizeof path, "%s/%s", golden_dir(), name);
	FILE *f = fopen(path, "r");
	golden_piped = 0;
	if (f)
		return f;
	snprintf(cmd, sizeof cmd, "gzip -dc '%s.gz'", path);
	snprintf(path + strlen(path), sizeof path - strlen(path), ".gz");
	if (access(path, R_OK) == 0 && (f = popen(cmd, "r")))
		golden_piped = 1;
	else
		fprintf(stderr, "kitnet_test: %s: %s\n", path, strerror(errno));
	return f;
}

static void
close_golden(FILE *f)
{
	if (golden_piped)
		pclose(f);
	else
		fclose(f);
}

/* Reads a whole tab-separated file of numbers, skipping `skip` header lines.
 * Returns the values row-major, the row count and the column count. */
static double *
read_tsv(const char *name, int skip, long *rows, int *cols)
{
	FILE *f = open_golden(name);
	if (!f)
		return NULL;
	size_t cap = 1 << 16, len = 0;
	double *v = xmalloc(cap * sizeof *v);
	char *line = NULL;
	size_t lcap = 0;
	long r = 0;
	int c0 = -1;
	while (getline(&line, &lcap, f) > 0) {
		if (skip > 0) {
			skip--;
			continue;
		}
		int c = 0;
		char *p = line, *end;
		for (;;) {
			double d = strtod(p, &end);
			if (end == p)
				break;
			if (len == cap) {
				cap *= 2;
				double *nv = realloc(v, cap * sizeof *v);
				if (!nv) {
					perror("kitnet_test");
					exit(2);
				}
				v = nv;
			}
			v[len++] = d;
			c++;
			p = end;
		}
		if (c == 0)
			continue;
		if (c0 >= 0 && c != c0) {
			fprintf(stderr, "kitnet_test: %s: ragged row %ld\n", name, r);
			free(v);
			v = NULL;
			break;
		}
		c0 = c;
		r++;
	}
	free(line);
	close_golden(f);
	*rows = r;
	*cols = c0;
	return v;
}

/* Reads a JSON list of lists of integers (the feature map). */
static int
read_featuremap(const char *name, int *map, int *off, int max_n, int *n_ae)
{
	FILE *f = open_golden(name);
	if (!f)
		return -1;
	int depth = 0, ch, na = 0, nm = 0;
	while ((ch = getc(f)) != EOF) {
		if (ch == '[') {
			if (++depth == 2)
				off[na++] = nm;
		} else if (ch == ']') {
			depth--;
		} else if (ch >= '0' && ch <= '9') {
			int v = ch - '0';
			while ((ch = getc(f)) >= '0' && ch <= '9')
				v = 10 * v + (ch - '0');
			ungetc(ch, f);
			if (nm == max_n)
				break;
			map[nm++] = v;
		}
	}
	close_golden(f);
	off[na] = nm;
	*n_ae = na;
	return 0;
}

/* ---- 1. MT19937 and initial weights --------------------------------- */

static void
test_rng(void)
{
	kitnet_mt r;
	kitnet_mt_seed(&r, 1234);
	uint32_t a = kitnet_mt_next(&r), b = kitnet_mt_next(&r), c = kitnet_mt_next(&r);
	okf(a == 822569775u && b == 2137449171u && c == 2671936806u,
	   "MT19937(1234) first outputs %u %u %u", a, b, c);

	kitnet_mt_seed(&r, 1234);
	double u0 = kitnet_mt_double(&r), u1 = kitnet_mt_double(&r), u2 = kitnet_mt_double(&r);
	okf(u0 == 0.1915194503788923 && u1 == 0.6221087710398319 && u2 == 0.4377277390071145,
	   "random_sample: %.17g %.17g %.17g", u0, u1, u2);

	/* beyond the first twist of the state (624 words) */
	kitnet_mt_seed(&r, 1234);
	uint32_t last = 0;
	for (int i = 0; i < 1000; i++)
		last = kitnet_mt_next(&r);
	okf(last == 2266375770u, "MT19937(1234) output 1000 = %u", last);

	kitnet_da da;
	int rc = kitnet_da_init(&da, 30, 15, 1234);
	okf(rc == 0 && da.W[0] == -0.020565369974740514 && da.W[1] == 0.00814058473598879 &&
	   da.W[2] == -0.004151484066192368 && da.hbias[0] == 0 && da.vbias[29] == 0 &&
	   isinf(da.norm_min[0]) && da.norm_min[0] > 0 && isinf(da.norm_max[29]) &&
	   da.norm_max[29] < 0,
	   "dA(30,15) W_init[0..2] = %.17g %.17g %.17g", rc ? 0 : da.W[0],
	   rc ? 0 : da.W[1], rc ? 0 : da.W[2]);
	/* W_init of ae5's 5-visible autoencoder, from state.json */
	kitnet_da d5;
	rc = kitnet_da_init(&d5, 5, 3, 1234);
	okf(rc == 0 && d5.W[0] == -0.12339221984844309 && d5.W[1] == 0.04884350841593274 &&
	   d5.W[2] == -0.024908904397154208,
	   "dA(5,3) W_init[0..2] as the reference");
	if (rc == 0)
		kitnet_da_free(&d5);
	if (kitnet_da_init(&d5, 0, 1, 1) == 0) {
		okf(0, "dA(0,1) rejected");
		kitnet_da_free(&d5);
	} else {
		okf(errno == EINVAL, "dA(0,1) rejected with EINVAL");
	}
	kitnet_da_free(&da);
}

/* ---- 2. the SGD step is gradient descent -------------------------------- */

/* The loss KitNET-py's dA.train descends: the error term L2 = xn - z has no
 * z (1 - z) factor, so it is the cross-entropy of the reconstruction
 * (Theano's dA tutorial, which KitNET-py follows), not the squared error:
 *   E = -sum xn log z + (1 - xn) log(1 - z)
 * With squared = 1 it is 0.5 sum (xn - z)^2 instead (negative control).
 * An independent forward pass; also leaves y and z. */
static int squared;

static double
loss(const kitnet_da *d, const double *xn, double *y, double *z)
{
	int nv = d->n_visible, nh = d->n_hidden;
	for (int j = 0; j < nh; j++) {
		double a = d->hbias[j];
		for (int i = 0; i < nv; i++)
			a += xn[i] * d->W[i * nh + j];
		y[j] = 1 / (1 + exp(-a));
	}
	double e = 0;
	for (int i = 0; i < nv; i++) {
		double a = d->vbias[i];
		for (int j = 0; j < nh; j++)
			a += y[j] * d->W[i * nh + j];
		z[i] = 1 / (1 + exp(-a));
		if (squared)
			e += 0.5 * (xn[i] - z[i]) * (xn[i] - z[i]);
		else
			e -= xn[i] * log(z[i]) + (1 - xn[i]) * log(1 - z[i]);
	}
	return e;
}

/* central difference of the loss in parameter *p */
static double
numgrad(kitnet_da *d, double *p, const double *xn, double *y, double *z)
{
	double h = 1e-5, save = *p;
	*p = save + h;
	double ep = loss(d, xn, y, z);
	*p = save - h;
	double em = loss(d, xn, y, z);
	*p = save;
	return (ep - em) / (2 * h);
}

static double
rel(double a, double b)
{
	double m = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
	return m == 0 ? 0 : fabs(a - b) / m;
}

static void
test_gradient(void)
{
	enum { NV = 7, NH = 4 };
	kitnet_da d;
	if (kitnet_da_init(&d, NV, NH, 99) < 0) {
		for (int t = 0; t < 5; t++)
			okf(0, "gradient check: dA init");
		return;
	}
	/* weights and biases large enough for every gradient to matter */
	kitnet_mt r;
	kitnet_mt_seed(&r, 7);
	for (int i = 0; i < NV * NH; i++)
		d.W[i] = 2 * kitnet_mt_double(&r) - 1;
	for (int j = 0; j < NH; j++)
		d.hbias[j] = kitnet_mt_double(&r) - 0.5;
	for (int i = 0; i < NV; i++) {
		d.vbias[i] = kitnet_mt_double(&r) - 0.5;
		d.norm_min[i] = 0; /* xn == x for x in [0, 1]: 1 + 1e-16 == 1 */
		d.norm_max[i] = 1;
	}
	double x[NV] = {0, 1, 0.25, 0.8, 0.5, 0.1, 0.9};
	double y[NH], z[NV], L1[NH], L2[NV], g[NV * NH], gh[NH], gv[NV];

	/* the analytic error terms as KitNET-py computes them */
	double e0 = loss(&d, x, y, z), r0 = 0;
	for (int i = 0; i < NV; i++) {
		L2[i] = x[i] - z[i];
		r0 += L2[i] * L2[i] / NV;
	}
	r0 = sqrt(r0);
	for (int j = 0; j < NH; j++) {
		double s = 0;
		for (int i = 0; i < NV; i++)
			s += L2[i] * d.W[i * NH + j];
		L1[j] = s * y[j] * (1 - y[j]);
	}
	for (int k = 0; k < NV * NH; k++)
		g[k] = numgrad(&d, &d.W[k], x, y, z);
	for (int j = 0; j < NH; j++)
		gh[j] = numgrad(&d, &d.hbias[j], x, y, z);
	for (int i = 0; i < NV; i++)
		gv[i] = numgrad(&d, &d.vbias[i], x, y, z);

	double W0[NV * NH], hb0[NH], vb0[NV], tmp[3 * NV + 2 * NH];
	memcpy(W0, d.W, sizeof W0);
	memcpy(hb0, d.hbias, sizeof hb0);
	memcpy(vb0, d.vbias, sizeof vb0);
	double lr = 0.5;
	double rmse = kitnet_da_train(&d, x, lr, tmp);

	/* W moves by -lr * dE/dW (encoder and decoder paths together) */
	double W1[NV * NH], worst = 0;
	memcpy(W1, d.W, sizeof W1);
	for (int k = 0; k < NV * NH; k++) {
		double step = -(d.W[k] - W0[k]) / lr, e = rel(step, g[k]);
		if (e > worst)
			worst = e;
	}
	okf(worst < 1e-6, "dA.train W step == -lr dE/dW, E = cross-entropy (max rel diff %.3g)", worst);

	/* per unit: the error terms are the negative bias gradients */
	double wh = 0, wv = 0;
	for (int j = 0; j < NH; j++)
		if (rel(-L1[j], gh[j]) > wh)
			wh = rel(-L1[j], gh[j]);
	for (int i = 0; i < NV; i++)
		if (rel(-L2[i], gv[i]) > wv)
			wv = rel(-L2[i], gv[i]);
	okf(wh < 1e-6 && wv < 1e-6, "L1/L2 == -dE/dhbias, -dE/dvbias (max rel %.3g, %.3g)", wh, wv);

	/* KitNET-py's biases move by one scalar: lr * mean of the gradients */
	double mh = 0, mv = 0, bh = 0, bv = 0;
	for (int j = 0; j < NH; j++)
		mh += -gh[j] / NH;
	for (int i = 0; i < NV; i++)
		mv += -gv[i] / NV;
	for (int j = 0; j < NH; j++)
		if (rel((d.hbias[j] - hb0[j]) / lr, mh) > bh)
			bh = rel((d.hbias[j] - hb0[j]) / lr, mh);
	for (int i = 0; i < NV; i++)
		if (rel((d.vbias[i] - vb0[i]) / lr, mv) > bv)
			bv = rel((d.vbias[i] - vb0[i]) / lr, mv);
	okf(bh < 1e-6 && bv < 1e-6, "bias steps == lr * mean(-dE/dbias) (max rel %.3g, %.3g)", bh, bv);

	okf(rel(rmse, r0) < 1e-14 && d.n == 1,
	   "dA.train returns the RMSE before the update (%.17g)", rmse);

	/* execute does not train, and a training step lowered the loss */
	double e1 = loss(&d, x, y, z), r1 = 0;
	for (int i = 0; i < NV; i++)
		r1 += (x[i] - z[i]) * (x[i] - z[i]) / NV;
	r1 = sqrt(r1);
	double ex = kitnet_da_execute(&d, x, tmp);
	okf(rel(ex, r1) < 1e-14 && e1 < e0 && d.n == 1,
	   "dA.execute: RMSE after the step %.6g (before %.6g), loss %.6g < %.6g", ex, r0, e1, e0);

	/* negative control: the check tells the two losses apart */
	memcpy(d.W, W0, sizeof W0);
	memcpy(d.hbias, hb0, sizeof hb0);
	memcpy(d.vbias, vb0, sizeof vb0);
	squared = 1;
	double sq_worst = 0;
	for (int k = 0; k < NV * NH; k++) {
		double e = rel(-lr * numgrad(&d, &d.W[k], x, y, z), W1[k] - W0[k]);
		if (e > sq_worst)
			sq_worst = e;
	}
	squared = 0;
	okf(sq_worst > 1e-2, "the W check fails for the squared-error loss (max rel diff %.3g)",
	   sq_worst);
	kitnet_da_free(&d);
}

/* ---- 3. golden parity -------------------------------------------------- */

static double *X;
static long X_rows;
static int X_cols;

static int
load_input(void)
{
	if (!X)
		X = read_tsv("kitnet-conn.input.tsv", 2, &X_rows, &X_cols);
	return X && X_rows > 0 ? 0 : -1;
}

struct state_check {
	const char *variant;
	int max_ae;
	double outW[3];    /* output AE W[0][0..2] */
	double out_hbias;  /* every output hbias */
	double out_vbias;  /* every output vbias */
	double lastW[3];   /* last ensemble AE W[0][0..2] */
	double last_hbias; /* last ensemble AE hbias[0] */
	double last_vbias; /* last ensemble AE vbias[0] */
};

static const struct state_check golden[] = {
	{"ae30", 30, {-0.46089393202299955, -0.28887495930483686, -0.3596056252067764},
	 0.112013159749883, -0.6557650516502366,
	 {-0.2466833110720266, -0.22090490611622746, -0.2309563045786661},
	 0.18699038062388776, -0.28894204885922714},
	{"ae5", 5, {-0.26585362347515423, -0.23250461640582082, -0.2402442356866095},
	 0.2701993134706121, -0.40261094618986765,
	 {-0.3990195458659739, -0.21567845601730562, -0.29215928027762667},
	 0.10628421914769125, -0.6486713498369555},
};

static void
test_golden(const struct state_check *g)
{
	char name[256];
	long rows = 0;
	int cols = 0;
	snprintf(name, sizeof name, "kitnet-%s-glibcexp.scores.tsv", g->variant);
	double *want = load_input() == 0 ? read_tsv(name, 1, &rows, &cols) : NULL;
	if (!want || rows != X_rows || cols != 3) {
		for (int t = 0; t < 4; t++)
			okf(0, "%s golden: cannot read data (%s)", g->variant, golden_dir());
		free(want);
		return;
	}

	kitnet k;
	kitnet_params p = {g->max_ae, 500, 2000, 0.001, 0.5, 1234, KITNET_NORM_COMPAT};
	if (kitnet_init(&k, X_cols, &p) < 0) {
		for (int t = 0; t < 4; t++)
			okf(0, "%s golden: kitnet_init", g->variant);
		free(want);
		return;
	}
	double *proc = xmalloc(X_rows * sizeof *proc), *exe = xmalloc(X_rows * sizeof *exe);
	double t0 = now();
	for (long r = 0; r < X_rows; r++)
		proc[r] = kitnet_process(&k, X + r * X_cols);
	double t1 = now();
	for (long r = 0; r < X_rows; r++)
		exe[r] = kitnet_execute(&k, X + r * X_cols, NULL);
	double t2 = now();

	int map[4096], off[4097], n_ae = 0;
	snprintf(name, sizeof name, "kitnet-%s-glibcexp.featuremap.json", g->variant);
	int same = read_featuremap(name, map, off, 4096, &n_ae) == 0 && n_ae == k.n_ae &&
	           off[n_ae] == X_cols;
	for (int a = 0; same && a <= n_ae; a++)
		same = off[a] == k.ae_off[a];
	for (int i = 0; same && i < X_cols; i++)
		same = map[i] == k.map[i];
	okf(same, "%s feature map identical (%d autoencoders)", g->variant, k.n_ae);

	long bad[2] = {0, 0};
	double worst[2] = {0, 0};
	for (long r = 0; r < X_rows; r++) {
		double got[2] = {proc[r], exe[r]};
		for (int c = 0; c < 2; c++) {
			double w = want[r * 3 + 1 + c];
			if (memcmp(&got[c], &w, sizeof w) != 0) {
				bad[c]++;
				double e = rel(got[c], w);
				if (!(e <= worst[c]))
					worst[c] = e;
			}
		}
	}
	okf(bad[0] == 0, "%s process_return bit-identical: %ld/%ld mismatches, max rel diff %.3g",
	   g->variant, bad[0], X_rows, worst[0]);
	okf(bad[1] == 0, "%s execute_score bit-identical: %ld/%ld mismatches, max rel diff %.3g",
	   g->variant, bad[1], X_rows, worst[1]);

	/* trained weights, against the reference's state.json */
	kitnet_da *last = &k.ae[k.n_ae - 1];
	int st = k.n_ae > 0 && k.out.n == 2000 && last->n == 2000;
	for (int j = 0; st && j < 3; j++)
		st = k.out.W[j] == g->outW[j] && last->W[j] == g->lastW[j];
	for (int j = 0; st && j < k.out.n_hidden; j++)
		st = k.out.hbias[j] == g->out_hbias;
	for (int i = 0; st && i < k.out.n_visible; i++)
		st = k.out.vbias[i] == g->out_vbias;
	st = st && last->hbias[0] == g->last_hbias && last->vbias[0] == g->last_vbias;
	okf(st, "%s trained weights and biases as the reference", g->variant);

	printf("# %s: process %ld rows %.3f s, execute %ld rows %.3f s (%.0f rows/s)\n",
	       g->variant, X_rows, t1 - t0, X_rows, t2 - t1, X_rows / (t2 - t1));
	kitnet_free(&k);
	free(proc);
	free(exe);
	free(want);
}

/* ---- 4. edge cases ----------------------------------------------------- */

static int
is_permutation(const kitnet *k)
{
	int n = k->n_features, seen[4096] = {0};
	if (k->n_ae < 1 || k->ae_off[0] != 0 || k->ae_off[k->n_ae] != n)
		return 0;
	for (int a = 0; a < k->n_ae; a++)
		if (k->ae_off[a + 1] <= k->ae_off[a])
			return 0;
	for (int i = 0; i < n; i++) {
		if (k->map[i] < 0 || k->map[i] >= n || seen[k->map[i]])
			return 0;
		seen[k->map[i]] = 1;
	}
	return 1;
}

static int
same_weights(const kitnet *a, const kitnet *b)
{
	if (a->n_ae != b->n_ae || memcmp(a->map, b->map, a->n_features * sizeof(int)))
		return 0;
	for (int e = 0; e <= a->n_ae; e++) {
		const kitnet_da *x = e < a->n_ae ? &a->ae[e] : &a->out;
		const kitnet_da *y = e < a->n_ae ? &b->ae[e] : &b->out;
		size_t nv = x->n_visible, nh = x->n_hidden;
		if (x->n_visible != y->n_visible || x->n_hidden != y->n_hidden || x->n != y->n ||
		    memcmp(x->W, y->W, nv * nh * sizeof(double)) ||
		    memcmp(x->hbias, y->hbias, nh * sizeof(double)) ||
		    memcmp(x->vbias, y->vbias, nv * sizeof(double)) ||
		    memcmp(x->norm_min, y->norm_min, nv * sizeof(double)) ||
		    memcmp(x->norm_max, y->norm_max, nv * sizeof(double)))
			return 0;
	}
	return 1;
}

static void
test_params(void)
{
	kitnet k;
	kitnet_params good = {30, 10, 10, 0.1, 0.75, 1, KITNET_NORM_COMPAT}, p;
	int bad = 0;
	for (int t = 0; t < 9; t++) {
		p = good;
		int n = 5;
		switch (t) {
		case 0: n = 0; break;
		case 1: p.max_ae = 0; break;
		case 2: p.fm_grace = -1; break;
		case 3: p.lr = 0; break;
		case 4: p.lr = INFINITY; break;
		case 5: p.lr = NAN; break;
		case 6: p.hidden_ratio = 0; break;
		case 7: p.hidden_ratio = 1.5; break;
		case 8: p.hidden_ratio = NAN; break;
		}
		errno = 0;
		if (kitnet_init(&k, n, &p) == 0) {
			bad++;
			kitnet_free(&k);
		} else if (errno != EINVAL) {
			bad++;
		}
	}
	int rc = kitnet_init(&k, 5, &good);
	okf(bad == 0 && rc == 0, "kitnet_init rejects bad parameters with EINVAL (%d accepted)", bad);
	if (rc == 0) {
		double x[5] = {1, 2, 3, 4, 5};
		errno = 0;
		int b = kitnet_build_map(&k);
		okf(b == -1 && errno == EINVAL && k.n_ae == 0 &&
		   kitnet_execute(&k, x, NULL) == 0.0,
		   "build_map with no record fails; execute without a map gives 0");
		kitnet_free(&k);
	} else {
		okf(0, "build_map with no record fails");
	}
}

static void
test_one_feature(int norm)
{
	kitnet k;
	kitnet_params p = {30, 5, 10, 0.1, 0.5, 1234, norm};
	if (kitnet_init(&k, 1, &p) < 0) {
		okf(0, "n_features = 1: init");
		return;
	}
	double s = 0, x;
	int finite = 1;
	for (int r = 0; r < 40; r++) {
		x = (r * 37) % 11;
		s = kitnet_process(&k, &x);
		finite &= isfinite(s);
	}
	x = 100;
	double big = kitnet_execute(&k, &x, NULL);
	okf(finite && k.n_ae == 1 && k.map[0] == 0 && k.ae[0].n_visible == 1 &&
	   k.ae[0].n_hidden == 1 && k.out.n_visible == 1 && k.n_trained == 16 &&
	   big > s,
	   "n_features = 1, %s mode: one 1-1 autoencoder, scores %.6g, outlier %.6g",
	   norm == KITNET_NORM_LOG ? "LOG" : "compat", s, big);
	kitnet_free(&k);
}

static void
test_short_stream(void)
{
	/* build_map after 50 records == the map a 49-record grace builds */
	kitnet a, b;
	kitnet_params pa = {5, 1000, -1, 0.001, 0.5, 1234, KITNET_NORM_COMPAT}, pb = pa;
	pb.fm_grace = 49;
	if (load_input() < 0 || kitnet_init(&a, X_cols, &pa) < 0 ||
	    kitnet_init(&b, X_cols, &pb) < 0) {
		okf(0, "short stream: setup");
		okf(0, "short stream: training after build_map");
		return;
	}
	for (long r = 0; r < 50; r++) {
		kitnet_train(&a, X + r * X_cols);
		kitnet_train(&b, X + r * X_cols);
	}
	int rc = kitnet_build_map(&a);
	okf(rc == 0 && a.cc == NULL && b.cc == NULL && is_permutation(&a) &&
	   a.n_ae == b.n_ae && !memcmp(a.map, b.map, X_cols * sizeof(int)) &&
	   !memcmp(a.ae_off, b.ae_off, (a.n_ae + 1) * sizeof(int)),
	   "build_map on 50 of fm_grace 1000 records == fm_grace 49 map (%d AEs)", a.n_ae);
	for (long r = 50; r < 300; r++) {
		double sa = kitnet_train(&a, X + r * X_cols);
		double sb = kitnet_train(&b, X + r * X_cols);
		if (memcmp(&sa, &sb, sizeof sa))
			rc = -1;
	}
	okf(rc == 0 && a.out.n == 250 && same_weights(&a, &b),
	   "after build_map kitnet_train trains the autoencoders (%ld records)", a.out.n);
	kitnet_free(&a);
	kitnet_free(&b);
}

static void
test_fm_grace_zero(void)
{
	kitnet k;
	kitnet_params p = {3, 0, 5, 0.1, 0.5, 1234, KITNET_NORM_COMPAT};
	if (load_input() < 0 || kitnet_init(&k, X_cols, &p) < 0) {
		okf(0, "fm_grace = 0: setup");
		return;
	}
	double s0 = kitnet_train(&k, X);
	int built = k.n_ae > 0 && k.cc == NULL && k.n_trained == 1 && is_permutation(&k);
	double s1 = kitnet_train(&k, X + X_cols);
	double s2 = kitnet_process(&k, X + 2 * X_cols);
	okf(s0 == 0.0 && built && s1 > 0 && isfinite(s1) && s2 == 0 && k.n_trained == 3 &&
	   k.ae[0].n == 2,
	   "fm_grace = 0: the first record builds the map (%d AEs), the second trains", k.n_ae);
	kitnet_free(&k);
}

static void
test_constant_features(void)
{
	/* features: constant, t, 2t (perfectly correlated), constant 0. Worked by
	 * hand through scipy single linkage: D(1,2) ~ 0, all else 1 (0/1e-100),
	 * giving the map [[3], [0], [1, 2]] for max_ae 2. */
	kitnet k;
	kitnet_params p = {2, 20, 30, 0.1, 0.5, 1234, KITNET_NORM_COMPAT};
	if (kitnet_init(&k, 4, &p) < 0) {
		okf(0, "constant features: init");
		return;
	}
	double x[4], s = 0;
	int finite = 1;
	for (int r = 0; r < 60; r++) {
		double t = (r * 7) % 13 - 3.5;
		x[0] = 5;
		x[1] = t;
		x[2] = 2 * t;
		x[3] = 0;
		s = kitnet_process(&k, x);
		finite &= isfinite(s);
	}
	int want_map[4] = {3, 0, 1, 2}, want_off[4] = {0, 1, 2, 4};
	int map_ok = k.n_ae == 3 && !memcmp(k.map, want_map, sizeof want_map) &&
	             !memcmp(k.ae_off, want_off, sizeof want_off);
	/* a constant that changes normalises through 1e-16: a huge score */
	x[0] = 6;
	double jump = kitnet_execute(&k, x, NULL);
	okf(map_ok && finite && s > 0 && jump > 1e10,
	   "constant features: map [[3],[0],[1,2]], score %.6g, changed constant %.3g", s, jump);
	kitnet_free(&k);
}

static void
test_nan(void)
{
	kitnet k;
	kitnet_params p = {4, 30, 30, 0.1, 0.5, 1234, KITNET_NORM_COMPAT};
	int n = 6;
	if (kitnet_init(&k, n, &p) < 0) {
		okf(0, "NaN: init");
		okf(0, "NaN: init");
		return;
	}
	double x[6];
	for (int r = 0; r < 100; r++) {
		for (int i = 0; i < n; i++)
			x[i] = (r * (i + 3)) % 17;
		if (r % 10 == 3)
			x[r % n] = NAN;
		if (r == 50)
			x[1] = INFINITY;
		kitnet_process(&k, x);
	}
	for (int i = 0; i < n; i++)
		x[i] = NAN;
	double s = kitnet_execute(&k, x, NULL);
	okf(is_permutation(&k) && k.n_trained == 61 && isnan(s),
	   "NaN/inf in the input: no crash, a valid map (%d AEs), NaN score", k.n_ae);
	kitnet_free(&k);

	/* NaN in every corClust record of feature 0: all its distances are NaN */
	if (kitnet_init(&k, n, &p) < 0) {
		okf(0, "NaN: init");
		return;
	}
	for (int r = 0; r < 40; r++) {
		for (int i = 0; i < n; i++)
			x[i] = i == 0 ? NAN : (r * (i + 3)) % 17;
		kitnet_train(&k, x);
	}
	okf(is_permutation(&k) && k.ae[0].n == 9,
	   "NaN feature throughout the feature-mapping phase: valid map (%d AEs)", k.n_ae);
	kitnet_free(&k);
}

static void
test_set_map(void)
{
	kitnet k;
	kitnet_params p = KITNET_PARAMS_DEFAULT;
	int map[5] = {4, 0, 2, 1, 3}, off[3] = {0, 2, 5}, badoff[3] = {0, 2, 4};
	if (kitnet_init(&k, 5, &p) < 0) {
		okf(0, "set_map: init");
		return;
	}
	errno = 0;
	int bad = kitnet_set_map(&k, 2, map, badoff);
	int bad_errno = errno;
	int rc = kitnet_set_map(&k, 2, map, off);
	double x[5] = {1, 2, 3, 4, 5};
	double s = rc == 0 ? kitnet_train(&k, x) : -1;
	okf(bad == -1 && bad_errno == EINVAL && rc == 0 && k.n_ae == 2 &&
	   k.ae[0].n_visible == 2 && k.ae[1].n_visible == 3 && k.ae[1].n_hidden == 2 &&
	   k.out.n_visible == 2 && k.out.n_hidden == 1 && k.ae[0].n == 1 && s >= 0 &&
	   k.cc == NULL,
	   "set_map: validates, allocates the autoencoders, trains at once");
	kitnet_free(&k);
}

/* ---- 5. determinism ---------------------------------------------------- */

static void
test_determinism(void)
{
	kitnet a, b;
	kitnet_params p = {5, 300, 1000, 0.01, 0.5, 42, KITNET_NORM_COMPAT};
	if (load_input() < 0 || kitnet_init(&a, X_cols, &p) < 0 ||
	    kitnet_init(&b, X_cols, &p) < 0) {
		okf(0, "determinism: setup");
		return;
	}
	for (long r = 0; r < 2000; r++)
		kitnet_train(&a, X + r * X_cols);
	for (long r = 0; r < 2000; r++)
		kitnet_train(&b, X + r * X_cols);
	okf(same_weights(&a, &b) && a.out.n == 1699,
	   "two runs give identical maps, weights, biases and norms (memcmp)");
	kitnet_free(&a);
	kitnet_free(&b);
}

/* kitnet_train() trains the LOG mode's small autoencoders (up to 7 inputs
 * and hidden units) four of a shape at a time (da_train_lanes); it must
 * give the bits kitnet_da_train() gives one by one, on values inside and
 * outside the training range (the log compression), negative, zero and
 * NaN. Ratio 1 gives the 7-input autoencoder 7 hidden units: the
 * decoder's four partial sums and their tail. */
static void
test_lanes(double ratio)
{
	enum { NF = 29, NAE = 12 };
	kitnet a, b;
	kitnet_params p = {5, 0, -1, 0.01, ratio, 7, KITNET_NORM_LOG};
	/* seven singletons (groups of four and three), one of 3 inputs, two of
	 * 2, one of 7, and one of 8 (too big for lanes) */
	int map[NF], off[NAE + 1] = {0, 1, 2, 3, 4, 5, 6, 7, 10, 12, 14, 21, 29};
	double x[NF], sub[NF], S[NAE], tmp[512], sa = 0, sb = 0;
	kitnet_mt r;
	int same = 1;

	for (int i = 0; i < NF; i++)
		map[i] = (i * 7) % NF;
	if (kitnet_init(&a, NF, &p) < 0 || kitnet_init(&b, NF, &p) < 0 ||
	    kitnet_set_map(&a, NAE, map, off) < 0 || kitnet_set_map(&b, NAE, map, off) < 0) {
		okf(0, "lanes: setup");
		return;
	}
	kitnet_mt_seed(&r, 99);
	for (int t = 0; t < 3000 && same; t++) {
		for (int i = 0; i < NF; i++) {
			double u = kitnet_mt_double(&r);
			x[i] = t < 50 ? u : (u - 0.3) * (t % 97 == 0 ? 1e6 : 3);
		}
		if (t % 211 == 0)
			x[t % NF] = NAN;
		sa = kitnet_train(&a, x);
		for (int e = 0; e < b.n_ae; e++) {
			int nv = b.ae_off[e + 1] - b.ae_off[e];
			for (int i = 0; i < nv; i++)
				sub[i] = x[b.map[b.ae_off[e] + i]];
			S[e] = kitnet_da_train(&b.ae[e], sub, p.lr, tmp);
		}
		b.n_trained++;
		sb = kitnet_da_train(&b.out, S, p.lr, tmp);
		same = memcmp(&sa, &sb, sizeof sa) == 0 && same_weights(&a, &b);
	}
	okf(same && a.cache->n_lane_grp == 5 && a.ae[10].n_hidden == (ratio == 1 ? 7 : 4),
	   "LOG mode, hidden ratio %g: small autoencoders trained four of a shape at a time give "
	   "kitnet_da_train()'s bits", ratio);
	kitnet_free(&a);
	kitnet_free(&b);
}

/* kitnet_execute()'s answer worked out one autoencoder at a time, with
 * nothing remembered (up to 32 features and 32 autoencoders). */
static double
execute_by_hand(const kitnet *k, const double *x)
{
	double sub[32], S[32], tmp[512];

	for (int e = 0; e < k->n_ae; e++) {
		for (int i = k->ae_off[e]; i < k->ae_off[e + 1]; i++)
			sub[i - k->ae_off[e]] = x[k->map[i]];
		S[e] = kitnet_da_execute(&k->ae[e], sub, tmp);
	}
	return kitnet_da_execute(&k->out, S, tmp);
}

/* kitnet_execute() remembers: each small autoencoder's last inputs and
 * RMSEs, and the output autoencoder's normalised inputs and encoder sums
 * over its leading one-feature autoencoders. Both must give the bits the
 * computation gives (kitnet_da_execute() one by one), whether they hit or
 * not, and kitnet_forget() must drop them when the weights change. */
static void
test_execute_memory(int norm)
{
	enum { NF = 16, NAE = 12 };
	kitnet k;
	kitnet_params p = {5, 0, -1, 0.01, 0.5, 11, norm};
	/* ten one-feature autoencoders first (the output's remembered
	 * inputs), then one of 2 and one of 4 */
	int map[NF], pos[NF], off[NAE + 1] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 16};
	double x[NF];
	kitnet_mt r;
	int same = 1, n = 0;

	for (int i = 0; i < NF; i++) {
		map[i] = (i * 5) % NF;
		pos[map[i]] = i;
	}
	if (kitnet_init(&k, NF, &p) < 0 || kitnet_set_map(&k, NAE, map, off) < 0) {
		okf(0, "execute memory: setup");
		okf(0, "execute memory: setup");
		return;
	}
	kitnet_mt_seed(&r, 5);
	for (int t = 0; t < 4000; t++) {
		for (int i = 0; i < NF; i++) {
			double u = kitnet_mt_double(&r);
			/* the one-feature inputs take few values, the rest any */
			x[i] = pos[i] < 10 ? (double)(int)(u * 3) : u * 4 - 1;
		}
		if (t < 3000) {
			kitnet_train(&k, x);
			continue;
		}
		if (t % 100 == 0)
			x[map[t % 10]] = -7; /* below the training range: squashed */
		if (t % 4 != 0) /* else the ten take 3^10 combinations */
			for (int i = 0; i < NF; i++)
				if (pos[i] < 10 && pos[i] != t % 3)
					x[i] = 1;
		double s = kitnet_execute(&k, x, NULL), want = execute_by_hand(&k, x);
		same &= memcmp(&s, &want, sizeof s) == 0;
		n++;
	}
	okf(same && n == 1000 && k.cache->n_pre == 10,
	   "%s mode: kitnet_execute() from its memories gives kitnet_da_execute()'s bits",
	   norm == KITNET_NORM_LOG ? "LOG" : "compat");

	/* new weights of the output autoencoder (its first input's row: the
	 * remembered sums), then of a one-feature autoencoder (its memo) */
	double prev = kitnet_execute(&k, x, NULL);
	int followed = 1;
	for (int step = 0; step < 2; step++) {
		if (step == 0)
			k.out.W[0] += 0.25;
		else
			k.ae[3].W[0] -= 0.5;
		kitnet_forget(&k);
		double now = kitnet_execute(&k, x, NULL), want = execute_by_hand(&k, x);
		followed &= memcmp(&now, &want, sizeof want) == 0 && now != prev;
		prev = now;
	}
	okf(followed, "%s mode: kitnet_forget() drops what kitnet_execute() remembered",
	   norm == KITNET_NORM_LOG ? "LOG" : "compat");
	kitnet_free(&k);
}

/* The LOG mode's sigmoid (its own exp, four lanes at a time, and one to
 * three left over), read off a hidden layer whose pre-activations are the
 * biases alone: within 2 ulp of 1 / (1 + exp(-v)) where |v| <= 708, exactly
 * 0 and 1 beyond, NaN kept. */
static void
test_log_sigmoid(void)
{
	static const double v[] = {
		-INFINITY, -1000, -708.5, -708, -707.5, -30, -1, -1e-9, 0,
		1e-9, 0.5, 1, 30, 707.5, 708, 708.5, 1000, INFINITY
	};
	enum { NH = sizeof v / sizeof v[0] };
	double tmp[3 + 2 * NH], x = 1; /* kitnet_da_execute(): xn, z, e, then y */
	int bad = 0, nan_ok;
	kitnet_da d;

	if (kitnet_da_init(&d, 1, NH, 5) < 0) {
		okf(0, "LOG sigmoid: dA init");
		return;
	}
	d.norm = KITNET_NORM_LOG;
	d.norm_min[0] = 0; /* xn == x == 1 */
	d.norm_max[0] = 1;
	for (int j = 0; j < NH; j++) {
		d.W[j] = 0; /* y[j] = sigmoid(0 * 1 + v[j]) */
		d.hbias[j] = v[j];
	}
	kitnet_da_execute(&d, &x, tmp);
	for (int j = 0; j < NH; j++) {
		double y = tmp[3 + j], want = 1 / (1 + exp(-v[j]));

		if (v[j] > 708)
			want = 1;
		else if (v[j] < -708)
			want = 0;
		if (fabs(v[j]) > 708 ? y != want : !(fabs(y - want) <= 2 * nextafter(want, INFINITY) - 2 * want)) {
			printf("# sigmoid(%g) = %.17g, want %.17g\n", v[j], y, want);
			bad++;
		}
	}
	d.hbias[0] = NAN;
	kitnet_da_execute(&d, &x, tmp);
	nan_ok = isnan(tmp[3]);
	okf(bad == 0 && nan_ok, "LOG mode sigmoid: %d values within 2 ulp of libm's, 0 and 1 beyond +-708, NaN kept", NH);
	kitnet_da_free(&d);
}

int
main(void)
{
	printf("1..%d\n", NTESTS);
	test_rng();
	test_gradient();
	for (size_t g = 0; g < sizeof golden / sizeof golden[0]; g++)
		test_golden(&golden[g]);
	test_params();
	test_one_feature(KITNET_NORM_COMPAT);
	test_one_feature(KITNET_NORM_LOG);
	test_short_stream();
	test_fm_grace_zero();
	test_constant_features();
	test_nan();
	test_set_map();
	test_determinism();
	test_lanes(0.5);
	test_lanes(1.0);
	test_execute_memory(KITNET_NORM_LOG);
	test_execute_memory(KITNET_NORM_COMPAT);
	test_log_sigmoid();
	free(X);
	if (tap_run != NTESTS) {
		printf("# planned %d tests, ran %d\n", NTESTS, tap_run);
		return 1;
	}
	return tap_status();
}
