/* model_test - the model file: save/load round trip bit for bit, and damaged
 * files refused. TAP output; run from the repository root. */
#include "kitnet.h"
#include "model.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tap.h"

static int same(const double *a, const double *b, size_t n)
{
	return memcmp(a, b, n * sizeof *a) == 0;
}

static int same_da(const kitnet_da *a, const kitnet_da *b)
{
	size_t v = (size_t)a->n_visible, h = (size_t)a->n_hidden;

	return a->n_visible == b->n_visible && a->n_hidden == b->n_hidden && a->n == b->n &&
	       same(a->W, b->W, v * h) && same(a->hbias, b->hbias, h) &&
	       same(a->vbias, b->vbias, v) && same(a->norm_min, b->norm_min, v) &&
	       same(a->norm_max, b->norm_max, v);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	*len = fread(buf, 1, (size_t)n, f);
	fclose(f);
	return buf;
}

/* A model trained on awkward numbers: tiny, huge, negative, non-round. */
static void train(model *m, int n_features, int max_ae)
{
	kitnet_params p = KITNET_PARAMS_DEFAULT;
	double *x = malloc((size_t)n_features * sizeof *x);
	int i, j;

	memset(m, 0, sizeof *m);
	p.fm_grace = 50;
	p.ad_grace = -1;
	p.max_ae = max_ae;
	kitnet_init(&m->k, n_features, &p);
	srand(42);
	for (i = 0; i < 400; i++) {
		for (j = 0; j < n_features; j++)
			x[j] = (j % 3 == 0) ? rand() / 3.0e7 : (j % 3 == 1) ? -1e-300 * (rand() % 5) : (double)(i % 7) * 1e15 / 3;
		kitnet_train(&m->k, x);
	}
	free(x);
	m->h.module = estrdup("conn");
	m->h.schema = estrdup("original");
	m->h.n_features = n_features;
	m->h.names = calloc((size_t)n_features, sizeof *m->h.names);
	for (j = 0; j < n_features; j++) {
		char name[32];
		snprintf(name, sizeof name, "f%d", j);
		m->h.names[j] = estrdup(name);
	}
	m->records = 400;
	m->fm_records = 51;
	m->ad_records = 349;
	strcpy(m->ts_first, "1655071198.444458");
	strcpy(m->ts_last, "1655079999.000001");
	{
		/* 250 held-out scores: more than one "cal" line */
		double *s = malloc(250 * sizeof *s);
		for (i = 0; i < 250; i++)
			s[i] = 1.0 / (i + 3.0) + i * 1e-3;
		calib_init(&m->cal, s, 250);
		m->cal_seen = 260;
		m->fpr = 0.001;
		m->threshold = calib_threshold(&m->cal, m->fpr);
	}
}

int main(void)
{
	/* in memory where there is a tmpfs: the damage tests below write
	 * the file once per byte */
	char dir[] = "/dev/shm/azw-model-test.XXXXXX", dir2[] = "/tmp/azw-model-test.XXXXXX";
	char *d, p1[64], p2[64];
	model a, b;
	size_t l1, l2;
	char *t1 = NULL, *t2 = NULL;
	int i, all;

	argv0 = "model_test";
	tap_plan(8);
	if (!(d = mkdtemp(dir)) && !(d = mkdtemp(dir2)))
		return 1;
	snprintf(p1, sizeof p1, "%s/a.model", d);
	snprintf(p2, sizeof p2, "%s/b.model", d);

	train(&a, 12, 4);
	ok(model_write(&a, p1) == 0, "model_write succeeds");
	ok(model_read(&b, p1) == 0, "model_read reads it back");
	all = b.k.n_ae == a.k.n_ae && b.k.n_features == a.k.n_features &&
	      memcmp(b.k.map, a.k.map, (size_t)a.k.n_features * sizeof *a.k.map) == 0 &&
	      memcmp(b.k.ae_off, a.k.ae_off, ((size_t)a.k.n_ae + 1) * sizeof *a.k.ae_off) == 0 &&
	      same_da(&a.k.out, &b.k.out);
	for (i = 0; all && i < a.k.n_ae; i++)
		all = same_da(&a.k.ae[i], &b.k.ae[i]);
	ok(all, "every weight, bias and bound round-trips bit for bit");
	/* field by field: memcmp would compare the struct's padding too */
	all = a.k.p.max_ae == b.k.p.max_ae && a.k.p.fm_grace == b.k.p.fm_grace &&
	      a.k.p.ad_grace == b.k.p.ad_grace && same(&a.k.p.lr, &b.k.p.lr, 1) &&
	      same(&a.k.p.hidden_ratio, &b.k.p.hidden_ratio, 1) && a.k.p.seed == b.k.p.seed &&
	      a.k.p.norm == b.k.p.norm && a.records == b.records &&
	      a.cal.n == b.cal.n && same(a.cal.scores, b.cal.scores, (size_t)a.cal.n) &&
	      same(&a.cal.ln_mu, &b.cal.ln_mu, 1) && same(&a.cal.ln_sigma, &b.cal.ln_sigma, 1) &&
	      same(&a.threshold, &b.threshold, 1) && a.fpr == b.fpr && a.cal_seen == b.cal_seen &&
	      strcmp(a.ts_first, b.ts_first) == 0 && strcmp(a.h.names[11], b.h.names[11]) == 0;
	ok(all, "parameters, calibration, training facts and feature names round-trip");
	{
		double x[12], s1, s2;
		for (i = 0; i < 12; i++)
			x[i] = i * 0.37 - 2;
		s1 = kitnet_execute(&a.k, x, NULL);
		s2 = kitnet_execute(&b.k, x, NULL);
		ok(memcmp(&s1, &s2, sizeof s1) == 0 && isfinite(s1), "the loaded model scores identically");
	}
	ok(model_write(&b, p2) == 0 && (t1 = slurp(p1, &l1)) && (t2 = slurp(p2, &l2)) &&
	   l1 == l2 && memcmp(t1, t2, l1) == 0, "saving the loaded model gives the same bytes");
	{
		/* Every truncation, and one flipped bit at every byte (bit p % 8
		 * of byte p), is refused and never crashes: in-process, so every
		 * position (81-faults.bats runs azw-score on a sample of them,
		 * for its exit status and message). */
		FILE *f;
		int refused = 0, tries = 0, frefused = 0, ftries = 0;
		model c;

		freopen("/dev/null", "w", stderr);
		for (size_t cut = 0; t1 && cut < l1; cut++) {
			f = fopen(p2, "wb");
			fwrite(t1, 1, cut, f);
			fclose(f);
			tries++;
			if (model_read(&c, p2) < 0)
				refused++;
			else
				model_free(&c);
		}
		ok(tries > 0 && refused == tries, "a model truncated at every byte is refused");
		for (size_t p = 0; t1 && p < l1; p++) {
			t1[p] ^= (char)(1 << (p % 8));
			f = fopen(p2, "wb");
			fwrite(t1, 1, l1, f);
			fclose(f);
			t1[p] ^= (char)(1 << (p % 8));
			ftries++;
			if (model_read(&c, p2) < 0)
				frefused++;
			else
				model_free(&c);
		}
		ok(ftries > 0 && frefused == ftries, "a model with one flipped bit, at every byte, is refused");
	}
	free(t1);
	free(t2);
	unlink(p1);
	unlink(p2);
	rmdir(d);
	model_free(&a);
	model_free(&b);
	return tap_status();
}
