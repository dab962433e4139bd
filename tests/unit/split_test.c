/* split_test - models of two parts (split.h): which columns are context,
 * the combined score, training through the fitter, the model file round
 * trip bit for bit, and recalibration of the parts. TAP output. */
#include "fit.h"
#include "model.h"
#include "split.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tap.h"

/* conn's extended header: 4 record columns and 2 of conn's context
 * columns, by name, in a mixed order */
static const char *names[] = { "proto_tcp", "src_rate_10s", "log_duration", "conn_state_S0",
                               "pair_ok_periodic_10000s", "orig_local" };
#define NF 6

static void header(vec_header *h)
{
	int i;

	h->module = estrdup("conn");
	h->schema = estrdup("extended");
	h->n_features = NF;
	h->names = ecalloc(NF, sizeof *h->names);
	for (i = 0; i < NF; i++)
		h->names[i] = estrdup(names[i]);
}

/* a smooth benign record i: record columns from one phase, context
 * columns from another */
static void record(long i, double *x)
{
	x[0] = 1;
	/* the gate: a source with history (above log1p(SPLIT_MIN_HISTORY)) */
	x[1] = log1p(2.0 * SPLIT_MIN_HISTORY) + 0.4 * sin(i * 0.37);
	x[2] = 1 + 0.5 * cos(i * 0.11);
	x[3] = (i % 7) == 0;
	x[4] = 0.3 + 0.2 * sin(i * 0.05);
	x[5] = 1;
}

int main(void)
{
	char is_ctx[NF], dir[] = "/tmp/azw-split-test.XXXXXX", path[64];
	kitnet_params p = KITNET_PARAMS_DEFAULT;
	vec_header h;
	fitter ft;
	model m, r;
	split_scores a, b;
	recalibrator rc;
	double x[NF], s1, s2, err[NF], warm;
	long i;
	int n, same;

	argv0 = "split_test";
	tap_plan(22);
	header(&h);
	n = split_context_features(&h, is_ctx);
	ok_num(n == 2 && is_ctx[1] && is_ctx[4] && !is_ctx[0] && !is_ctx[2] && !is_ctx[3] && !is_ctx[5],
	   "conn's context columns are found by name", n, 2);
	free(h.schema);
	h.schema = estrdup("original");
	ok_num(split_context_features(&h, is_ctx) == 0, "a schema without context has none", 0, 0);
	free(h.schema);
	h.schema = estrdup("extended");

	{
		/* dns, http, ssh, ssl: no orig_local; the originator is local
		 * when dir_internal or dir_outgoing is 1 */
		static const char *dns[] = { "dir_internal", "dir_outgoing", "dir_incoming",
		                             "src_rate_10s", "src_rate_1000s" };
		vec_header d = { 0 };
		split_gate g;
		double y[5] = { 0, 1, 0, 1, log1p(SPLIT_MIN_HISTORY) - 0.01 };
		int c1, c2, c3;

		d.module = estrdup("dns");
		d.schema = estrdup("extended");
		d.n_features = 5;
		d.names = ecalloc(5, sizeof *d.names);
		for (i = 0; i < 5; i++)
			d.names[i] = estrdup(dns[i]);
		split_gate_find(&d, &g);
		c1 = split_cold(&g, y);   /* outgoing, little history: cold */
		y[1] = 0;
		y[0] = 1;
		c2 = split_cold(&g, y);   /* internal: cold */
		y[0] = 0;
		y[2] = 1;
		c3 = split_cold(&g, y);   /* incoming: an outside source, never */
		ok_num(g.local == 0 && g.local2 == 1 && g.rate == 4 && c1 && c2 && !c3,
		   "without orig_local, dir_internal and dir_outgoing say the originator is local",
		   g.local2, 1);
		vec_header_free(&d);
	}
	ok_num(split_combine(0.5, 0.001) == 3 && split_combine(0.01, 0.2) == 2,
	   "the combined score is -log10 of the smaller p-value", split_combine(0.5, 0.001), 3);
	ok_num(split_combine(1, 1) == 0 && split_combine(0, 0.5) == 300 &&
	   split_combine(NAN, 0.5) == -log10(0.5) && split_combine(0.5, NAN) == -log10(0.5),
	   "0 for p 1, 300 at most; a part without a p-value says nothing", split_combine(0, 0.5), 300);

	/* train through the fitter: two parts, calibrated */
	p.norm = KITNET_NORM_LOG;
	p.lr = 0.005;
	p.fm_grace = 100;
	p.ad_grace = -1;
	if (fit_init(&ft, &h, &p, 1, 0.01, 1, 0) < 0)
		return 1;
	for (i = 0; i < 2000; i++) {
		record(i, x);
		fit_record(&ft, "-", x);
	}
	if (fit_finish(&ft, &m) < 0)
		return 1;
	fit_free(&ft);
	ok_num(m.n_parts == 2 && m.part[0].n == 4 && m.part[1].n == 2 && m.part[1].feat[0] == 1 &&
	   m.part[1].feat[1] == 4 && m.k.n_ae == 0, "two parts: 4 record and 2 context features",
	   m.n_parts, 2);
	ok_num(m.cal.n == 1899 && m.part[0].cal.n == 1899 && m.part[1].cal.n == 1899,
	   "each part and the combination calibrated on the 1899 records after the window",
	   (double)m.cal.n, 1899);
	ok_num(m.threshold > 0 && m.threshold == calib_threshold(&m.cal, 0.01),
	   "the threshold is the combined scores' quantile", m.threshold, calib_threshold(&m.cal, 0.01));

	/* a record whose context alone is extreme: its context p-value is
	 * tiny, its record p-value ordinary, the score the context's */
	record(3, x);
	x[4] = 50;
	s1 = split_score(&m, x, NULL, &a);
	ok_num(a.pvalue[1] < 1e-6 && a.pvalue[0] > 0.01 && s1 == split_combine(a.pvalue[0], a.pvalue[1]),
	   "context evidence alone gives the score", a.pvalue[1], 0);
	/* the same record from a local source without history (its rate
	 * below log1p(SPLIT_MIN_HISTORY)): its context says nothing; from
	 * an outside source it does */
	warm = x[1];
	x[1] = log(1 + SPLIT_MIN_HISTORY) - 0.01;
	split_score(&m, x, NULL, &b);
	ok_num(b.pvalue[1] == 1 && b.score == split_combine(b.pvalue[0], 1) && m.gate.rate == 1 &&
	   m.gate.local == 5, "a cold local source's context evidence counts as p 1", b.pvalue[1], 1);
	x[5] = 0;
	split_score(&m, x, NULL, &b);
	ok_num(b.pvalue[1] < 1e-6, "a cold outside source's context still speaks", b.pvalue[1], 0);
	/* exactly SPLIT_MIN_HISTORY records: no longer cold */
	x[5] = 1;
	x[1] = log1p((double)SPLIT_MIN_HISTORY);
	split_score(&m, x, NULL, &b);
	ok_num(b.pvalue[1] < 1e-6, "a local source with exactly SPLIT_MIN_HISTORY records is not cold",
	   b.pvalue[1], 0);
	/* a model of one host: another local source's context says nothing,
	 * its own host's and an outside source's do */
	x[1] = warm;
	x[5] = 1;
	m.n_hosts = 1;
	strcpy(m.hosts[0], "10.0.0.1");
	split_score(&m, x, "10.0.0.2", &b);
	ok_num(b.pvalue[1] == 1 && b.score == split_combine(b.pvalue[0], 1) &&
	   split_foreign(&m, "10.0.0.2", x) && !split_foreign(&m, NULL, x),
	   "a model of one host: another local source's context counts as p 1", b.pvalue[1], 1);
	split_score(&m, x, "10.0.0.1", &b);
	ok_num(b.pvalue[1] < 1e-6 && !split_foreign(&m, "10.0.0.1", x),
	   "the host it knows is judged on its context", b.pvalue[1], 0);
	x[5] = 0;
	split_score(&m, x, "198.51.100.7", &b);
	ok_num(b.pvalue[1] < 1e-6, "an outside source is judged on its context", b.pvalue[1], 0);
	x[5] = 1;
	m.n_hosts = 0;
	split_score(&m, x, "10.0.0.2", &b);
	ok_num(b.pvalue[1] < 1e-6, "a model of enough hosts judges every source on its context",
	   b.pvalue[1], 0);
	m.n_hosts = 2;
	strcpy(m.hosts[1], "2001:db8::1");
	x[5] = 1;
	x[1] = warm;
	split_explain(&m, x, err);
	ok_num(fabs(err[4]) > fabs(err[0]) && fabs(err[4]) > fabs(err[2]),
	   "explain names the context column", err[4], 0);

	/* round trip through the model file, bit for bit */
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof path, "%s/m", dir);
	ok_num(model_write(&m, path) == 0 && model_read(&r, path) == 0, "a model of parts is written and read",
	   0, 0);
	s2 = split_score(&r, x, NULL, &b);
	same = memcmp(&s1, &s2, sizeof s1) == 0 && memcmp(a.part, b.part, sizeof a.part) == 0 &&
	       memcmp(a.pvalue, b.pvalue, sizeof a.pvalue) == 0;
	ok_num(same && r.n_parts == 2 && r.part[1].feat[1] == 4 && r.n_hosts == 2 &&
	   strcmp(r.hosts[0], "10.0.0.1") == 0 && strcmp(r.hosts[1], "2001:db8::1") == 0,
	   "the read model, and the hosts it names, score bit for bit the same", s2, s1);

	/* recalibration of a model of parts: on records of another phase
	 * the parts' calibrations and the threshold change, the KitNETs not */
	recal_init(&rc, &r, 10);
	for (i = 0; i < 500; i++) {
		record(i + 100000, x);
		x[2] += 0.3;
		recal_record(&rc, NULL, x);
	}
	n = recal_finish(&rc, 0.01);
	ok_num(n == 0 && r.cal.n == 490 && r.part[0].cal.n == 490 &&
	   r.part[1].cal.n == 490, "recalibration scores the 490 after the warm-up, per part", (double)r.cal.n, 490);
	record(3, x);
	x[4] = 50;
	s2 = split_score(&r, x, NULL, &b);
	ok_num(memcmp(a.part, b.part, sizeof a.part) == 0, "the parts' KitNETs are untouched", b.part[0], a.part[0]);
	ok_num(r.threshold == calib_threshold(&r.cal, 0.01) && r.threshold != m.threshold,
	   "the threshold is the new calibration's", r.threshold, m.threshold);
	unlink(path);
	rmdir(dir);
	model_free(&m);
	model_free(&r);
	vec_header_free(&h);
	return tap_status();
}
