/* context_test - the damped per-key statistics (context.h): decayed counts
 * of hand-made streams with known timings, out-of-order timestamps, means
 * and spreads, gaps, keys that decay to nothing, eviction under the cap,
 * flat memory, determinism of a run, periodicity. TAP. */
#include "context.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include "tap.h"

static int near(double a, double b, double tol)
{
	return fabs(a - b) <= tol;
}

/* A 16-byte key from a number. */
static void key16(unsigned char *k, unsigned v)
{
	memset(k, 0, 16);
	k[12] = (unsigned char)(v >> 24);
	k[13] = (unsigned char)(v >> 16);
	k[14] = (unsigned char)(v >> 8);
	k[15] = (unsigned char)v;
}

static void decayed_counts(void)
{
	double h = 10, v[1] = { 0 }, gap, w, want;
	ctx_acc acc[1] = { { 0, 0, 1, 0 } };
	ctx_table *t = ctx_table_new(16, 1, &h, 1, acc, -1, 100);
	unsigned char k[16];
	ctx_entry *e = NULL;
	int i, is_new;

	key16(k, 1);
	/* one record per second for 10 s: sum of 2^(-j/10), j = 0..9 */
	for (i = 0; i < 10; i++)
		e = ctx_update(t, k, 1000.0 + i, 1, v, NULL, &is_new, &gap);
	want = (1 - 0.5) / (1 - exp2(-0.1));
	w = ctx_weight(t, e, 0);
	printf("# 10 records at 1/s, half-life 10 s: weight %.9f, want %.9f\n", w, want);
	ok(near(w, want, 1e-9), "one record per second for 10 s: the decayed count is sum 2^(-k/10)");
	/* then a gap of one half-life: halved, plus the record itself */
	e = ctx_update(t, k, 1019.0, 1, v, NULL, &is_new, &gap);
	ok(near(ctx_weight(t, e, 0), want / 2 + 1, 1e-9) && gap == 10 && !is_new,
	   "after a gap of one half-life: half the count plus one; the gap is 10 s");
	/* an older record decays by zero, never negatively */
	w = ctx_weight(t, e, 0);
	e = ctx_update(t, k, 1005.0, 1, v, NULL, &is_new, &gap);
	ok(near(ctx_weight(t, e, 0), w + 1, 1e-12) && gap == 0,
	   "a record older than the key's last: no decay (not growth), gap 0");
	e = ctx_update(t, k, 1029.0, 1, v, NULL, &is_new, &gap);
	ok(near(ctx_weight(t, e, 0), (w + 1) / 2 + 1, 1e-9) && gap == 10,
	   "the key's clock stayed at its latest ts: the next record decays from there");
	/* a record without ts decays nothing */
	w = ctx_weight(t, e, 0);
	e = ctx_update(t, k, 0, 0, v, NULL, &is_new, &gap);
	ok(near(ctx_weight(t, e, 0), w + 1, 1e-12) && gap == -1, "a record without ts: no decay, no gap");
	ctx_table_free(t);
}

static void means(void)
{
	double h[2] = { 10, 1e9 }, v[2], gap;
	ctx_acc acc[2] = { { 1, 0, 1, 0 }, { 1, 1, 1, 1 } };
	ctx_table *t = ctx_table_new(16, 2, h, 2, acc, 1, 100);
	unsigned char k[16];
	ctx_entry *e;
	int is_new;

	key16(k, 7);
	v[0] = 1;
	e = ctx_update(t, k, 50, 1, v, NULL, &is_new, &gap);
	ok(is_new && gap == -1 && ctx_mean(t, e, 0) == 1 && ctx_std(t, e, 0) == 0 &&
	   ctx_mean(t, e, 1) == 0 && ctx_std(t, e, 1) == 0,
	   "a new key: mean of its one value, spread 0; no gap yet (0)");
	v[0] = 3;
	e = ctx_update(t, k, 50, 1, v, NULL, &is_new, &gap);
	ok(near(ctx_mean(t, e, 0), 2, 1e-12) && near(ctx_std(t, e, 0), 1, 1e-12),
	   "values 1 and 3 at one time: mean 2, standard deviation 1");
	e = ctx_update(t, k, 50 + expm1(2.0), 1, v, NULL, &is_new, &gap);
	e = ctx_update(t, k, 50 + 2 * expm1(2.0), 1, v, NULL, &is_new, &gap);
	/* gaps 0, e^2-1, e^2-1 (half-life 1e9: no decay worth speaking of) */
	printf("# gap mean %.9f sd %.9f\n", ctx_mean(t, e, 1), ctx_std(t, e, 1));
	ok(near(ctx_mean(t, e, 1), 4.0 / 3, 1e-6) && near(ctx_std(t, e, 1), sqrt(8.0 / 9), 1e-6),
	   "gap statistics: mean and spread of log1p(gap) over the gaps only");
	ctx_table_free(t);
}

static void gone_and_evicted(void)
{
	double h = 1, v[1] = { 0 }, gap;
	ctx_table *t = ctx_table_new(16, 1, &h, 0, NULL, -1, 3);
	unsigned char k[16];
	ctx_stats st;
	int i, is_new, n_new = 0;

	for (i = 1; i <= 4; i++) {
		key16(k, (unsigned)i);
		ctx_update(t, k, 0, 1, v, NULL, &is_new, &gap);
	}
	ctx_table_stats(t, &st);
	ok(st.keys == 3 && st.evicted == 1, "cap 3, four keys: three held, one evicted");
	key16(k, 1);
	ctx_update(t, k, 0, 1, v, NULL, &is_new, &gap);
	ok(is_new, "the oldest key (the first) was the one evicted");
	/* now 3, 4, 1 are held (2 was evicted by 1): touch 3, add 5: 4 goes */
	key16(k, 3);
	ctx_update(t, k, 0, 1, v, NULL, &is_new, &gap);
	ok(!is_new, "key 3 is still held");
	key16(k, 5);
	ctx_update(t, k, 0, 1, v, NULL, &is_new, &gap);
	key16(k, 4);
	ctx_update(t, k, 0, 1, v, NULL, &is_new, &gap);
	n_new += is_new;
	key16(k, 3);
	ctx_update(t, k, 0, 1, v, NULL, &is_new, &gap);
	ok(n_new == 1 && !is_new, "least recently updated first: 4 was evicted, 3 (touched) was not");
	/* 20 half-lives later every key has decayed to nothing */
	key16(k, 99);
	ctx_update(t, k, 20, 1, v, NULL, &is_new, &gap);
	key16(k, 3);
	ctx_update(t, k, 20.5, 1, v, NULL, &is_new, &gap);
	ok(is_new && gap == -1, "a key that decayed below CTX_GONE reads as new");
	ctx_table_stats(t, &st);
	printf("# keys %zu evicted %zu dropped %zu\n", st.keys, st.evicted, st.dropped);
	ok(st.keys == 2 && st.dropped >= 2, "decayed keys are dropped from the old end");
	ctx_table_free(t);

	/* where a key goes: weight w * 2^(-dt / h) below CTX_GONE (1e-3, 2^-9.97
	 * for a key seen once; 2^-10.97 for one seen twice at once), on both
	 * sides of that and of 9.9 half-lives, before which gone() knows
	 * without exp2() */
	{
		static const struct { int twice; double halves; int gone; } c[] = {
			{ 0, 9.85, 0 }, { 0, 9.95, 0 }, { 0, 9.98, 1 },
			{ 1, 9.98, 0 }, { 1, 10.95, 0 }, { 1, 10.98, 1 },
		};
		int right = 0;

		for (i = 0; i < (int)(sizeof c / sizeof c[0]); i++) {
			h = 100;
			t = ctx_table_new(16, 1, &h, 0, NULL, -1, 10);
			key16(k, 1);
			ctx_update(t, k, 0, 1, v, NULL, &is_new, &gap);
			if (c[i].twice)
				ctx_update(t, k, 0, 1, v, NULL, &is_new, &gap);
			key16(k, 2); /* moves the table's time on: key 1 heads the old end */
			ctx_update(t, k, c[i].halves * h, 1, v, NULL, &is_new, &gap);
			key16(k, 1);
			ctx_update(t, k, c[i].halves * h, 1, v, NULL, &is_new, &gap);
			right += is_new == c[i].gone;
			ctx_table_free(t);
		}
		ok(right == 6, "a key goes exactly when its weight falls below CTX_GONE");
	}
}

static void flat_memory(void)
{
	double h = 100, v[1] = { 1 }, gap;
	ctx_acc acc[1] = { { 0, 0, 1, 0 } };
	ctx_table *t = ctx_table_new(16, 1, &h, 1, acc, -1, 1000);
	unsigned char k[16];
	ctx_stats a, b;
	unsigned i;
	int is_new;

	for (i = 0; i < 5000; i++) {
		key16(k, i);
		ctx_update(t, k, i * 0.001, 1, v, NULL, &is_new, &gap);
	}
	ctx_table_stats(t, &a);
	for (; i < 200000; i++) {
		key16(k, i * 2654435761u);
		ctx_update(t, k, i * 0.001, 1, v, NULL, &is_new, &gap);
	}
	ctx_table_stats(t, &b);
	printf("# bytes after 5000 keys %zu, after 200000 %zu; keys %zu\n", a.bytes, b.bytes, b.keys);
	ok(a.bytes == b.bytes && b.keys == 1000 && a.bytes < 1000 * 200 + 4096 * 4,
	   "200000 distinct keys under a cap of 1000: memory flat after warm-up");
	ctx_table_free(t);
}

/* A table far below its cap keeps an index for the keys it has, not for
 * the cap, and finds every key again as the index grows. */
static void index_grows(void)
{
	double h = 1000, v[1] = { 1 }, gap;
	ctx_acc acc[1] = { { 0, 0, 1, 0 } };
	ctx_table *t = ctx_table_new(16, 1, &h, 1, acc, -1, 100000);
	unsigned char k[16];
	ctx_stats st;
	unsigned i, found = 0, twice = 0;
	int is_new;

	for (i = 0; i < 3000; i++) {
		key16(k, i * 2654435761u);
		ctx_update(t, k, 1.0, 1, v, NULL, &is_new, &gap);
	}
	for (i = 0; i < 3000; i++) {
		ctx_entry *e;

		key16(k, i * 2654435761u);
		e = ctx_update(t, k, 1.0, 1, v, NULL, &is_new, &gap);
		found += !is_new;
		twice += ctx_weight(t, e, 0) == 2;
	}
	ctx_table_stats(t, &st);
	printf("# 3000 keys under a cap of 100000: %zu bytes, %u found again\n", st.bytes, found);
	ok(found == 3000 && twice == 3000 && st.keys == 3000,
	   "3000 keys, the index grown six times: every key found again");
	ok(st.bytes < 100000 * sizeof(int32_t),
	   "3000 keys under a cap of 100000: less memory than an index for the cap");
	ctx_table_free(t);
}

/* A run over a spec with every key type and statistic. */
enum { Q_A, Q_B, N_Q };

static const ctx_column cols[] = {
	{ "src_rate_10", CTX_SRC, CTX_RATE, 0, 10, "" },
	{ "src_rate_1000", CTX_SRC, CTX_RATE, 0, 1000, "" },
	{ "src_a_100", CTX_SRC, CTX_MEAN, Q_A, 100, "" },
	{ "src_new_pair", CTX_SRC, CTX_MEAN, CTX_Q_NEWPAIR, 100, "" },
	{ "src_new_svc", CTX_SRC, CTX_MEAN, CTX_Q_NEWSVC, 100, "" },
	{ "pair_gap", CTX_PAIR, CTX_MEAN, CTX_Q_GAP, 1000, "" },
	{ "pair_gap_sd", CTX_PAIR, CTX_STD, CTX_Q_GAP, 1000, "" },
	{ "pair_b_cv", CTX_PAIR, CTX_CV, Q_B, 1000, "" },
	{ "pair_age", CTX_PAIR, CTX_AGE, 0, 0, "" },
	{ "dst_rate", CTX_DST, CTX_RATE, 0, 100, "" },
	{ "svc_rate", CTX_SVC, CTX_RATE, 0, 100, "" },
	{ "pairok_periodic", CTX_PAIR_OK, CTX_PERIODIC, CTX_Q_GAP, 1000, "" },
	{ "svcok_rate", CTX_SVC_OK, CTX_RATE, 0, 1000, "" },
};
#define N_COLS ((int)(sizeof cols / sizeof cols[0]))

static int no_observe(zl_rec *rec, const double *x, ctx_obs *o, char *why)
{
	(void)rec, (void)x, (void)o, (void)why;
	return 0;
}

static const ctx_columns columns = { N_Q, Q_A, N_COLS, cols };
static const ctx_spec spec = { &columns, no_observe };

/* A pseudo-random stream (a fixed LCG): the same every time. */
static void stream_obs(unsigned long *seed, int i, ctx_obs *o)
{
	unsigned long r;

	memset(o, 0, sizeof *o);
	*seed = *seed * 6364136223846793005ul + 1442695040888963407ul;
	r = *seed >> 33;
	o->ts = 1.6e9 + i * 0.37 - (r % 7 == 0 ? 30 : 0); /* some out of order */
	o->has_ts = 1;
	key16(o->orig, (unsigned)(r % 50));
	key16(o->resp, (unsigned)(r / 50 % 20));
	o->svc = (unsigned)(r / 1000 % 5);
	o->q[Q_A] = r % 3 == 0;
	o->q[Q_B] = (double)(r % 1000) / 100;
}

static void runs(void)
{
	ctx_run *a = ctx_run_new(&spec, 64), *b = ctx_run_new(&spec, 64);
	double xa[N_COLS], xb[N_COLS];
	unsigned long sa = 1, sb = 1;
	int i, j, same = 1, finite = 1;
	ctx_obs o;

	for (i = 0; i < 20000; i++) {
		stream_obs(&sa, i, &o);
		ctx_run_obs(a, &o, xa);
		stream_obs(&sb, i, &o);
		ctx_run_obs(b, &o, xb);
		same &= memcmp(xa, xb, sizeof xa) == 0;
		for (j = 0; j < N_COLS; j++)
			finite &= isfinite(xa[j]) && xa[j] >= 0 && xa[j] < 100;
	}
	ok(same, "two runs over the same stream: identical columns, record by record");
	ok(finite, "every column finite, non-negative, on a small scale");
	ctx_run_free(a);
	ctx_run_free(b);
}

/* A beacon: one successful record every 270 +- 10 s for a day, beside a
 * source that fails: periodicity high for the first, 0 for the other. */
static void periodic(void)
{
	ctx_run *r = ctx_run_new(&spec, 0);
	double x[N_COLS];
	ctx_obs o;
	int i;

	for (i = 0; i < 320; i++) {
		memset(&o, 0, sizeof o);
		o.ts = 1e9 + i * 270.0 + (i % 3 - 1) * 10;
		o.has_ts = 1;
		key16(o.orig, 1);
		key16(o.resp, 2);
		ctx_run_obs(r, &o, x);
	}
	printf("# beacon: periodic %.6f gap %.6f (log1p 270 = %.6f) sd %.6f age %.6f\n",
	       x[11], x[5], log1p(270.0), x[6], x[8]);
	ok(x[11] > 1.5 && near(x[5], log1p(270.0), 0.05) && x[6] < 0.1,
	   "a beacon: high periodicity, mean log-gap log1p(270), small spread");
	memset(&o, 0, sizeof o);
	o.ts = 1e9 + 320 * 270.0;
	o.has_ts = 1;
	key16(o.orig, 1);
	key16(o.resp, 2);
	o.q[Q_A] = 1; /* a failed record: the _OK keys do not count it */
	ctx_run_obs(r, &o, x);
	ok(x[11] == 0 && x[12] == 0, "a record that fails reads 0 in the OK-key columns");
	ctx_run_free(r);
}

/* One record with a far-future ts (issue 18, item 8) moves a table's clock
 * and its key's latest ts by at most CTX_MAX_AHEAD: the key's later records
 * still decay, and other keys are not made to look gone. */
static void far_future(void)
{
	double h = 10000, v[1] = { 0 }, gap, w, want;
	ctx_acc acc[1] = { { 0, 0, 1, 0 } };
	ctx_table *t = ctx_table_new(16, 1, &h, 1, acc, -1, 100);
	unsigned char a[16], b[16];
	ctx_entry *e = NULL;
	int i, is_new;

	key16(a, 1);
	key16(b, 2);
	ctx_update(t, b, 1000.0, 1, v, NULL, &is_new, &gap);
	ctx_update(t, a, 1000.0, 1, v, NULL, &is_new, &gap);
	e = ctx_update(t, a, 4e9, 1, v, NULL, &is_new, &gap); /* year 2096 */
	ok(gap == CTX_MAX_AHEAD, "a far-future record: its gap is at most CTX_MAX_AHEAD");
	/* b, 8.6 half-lives behind the clock as bounded: still there */
	e = ctx_update(t, b, 1000.0 + 500, 1, v, NULL, &is_new, &gap);
	ok(!is_new, "another key is not made to look gone by a far-future record");
	/* a's records an hour apart after the bound: each decays the last */
	for (i = 1; i <= 50; i++)
		e = ctx_update(t, a, 1000.0 + CTX_MAX_AHEAD + 3600.0 * i, 1, v, NULL, &is_new, &gap);
	w = ctx_weight(t, e, 0);
	want = 1 / (1 - exp2(-0.36)); /* the steady state of one record an hour */
	printf("# records an hour apart after a far-future one, half-life 10000 s: weight %.9f, "
	       "want %.9f\n", w, want);
	ok(near(w, want, 1e-3) && gap == 3600.0,
	   "after a far-future record, the key's records an hour apart still decay");
	ctx_table_free(t);
}

int main(void)
{
	far_future();
	decayed_counts();
	means();
	gone_and_evicted();
	flat_memory();
	index_grows();
	runs();
	periodic();
	tap_plan(tap_run);
	return tap_status();
}
