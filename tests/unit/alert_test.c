/* alert_test - azw-alert's arithmetic (alert.h): the binomial tail against
 * exact sums (computed once with exact rational arithmetic, Python's
 * fractions: sum over k >= u of C(n,k) p^k (1-p)^(n-k)), including ones far
 * below DBL_MIN; the decayed counts; the score-line reader. TAP. */
#include "alert.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include "tap.h"

/* log10 of the tail, next to the exact value, to a relative 1e-9 */
static void tail_is(double n, double u, double p, double want_log10, const char *what)
{
	double got = alert_log_tail(n, u, p) / log(10.0);

	printf("# n %g u %g p %g: log10 tail %.15g, want %.15g\n", n, u, p, got, want_log10);
	ok(fabs(got - want_log10) <= 1e-9 * fabs(want_log10) + 1e-12, what);
}

static void tails(void)
{
	tail_is(10, 1, 0.01, -1.019460685181663, "1 of 10 at 0.01: 1 - 0.99^10");
	tail_is(3, 3, 0.01, -6.0, "3 of 3 at 0.01: 1e-6 exactly");
	tail_is(50, 3, 0.01, -1.8595777297735765, "3 of 50 at 0.01");
	tail_is(100, 5, 0.01, -2.464412028153106, "5 of 100 at 0.01");
	tail_is(1000, 30, 0.01, -6.686135130103821, "30 of 1000 at 0.01");
	tail_is(1000, 10, 0.01, -0.2654406523074613, "10 of 1000 at 0.01 (about the mean: the other branch)");
	tail_is(20, 10, 0.5, -0.23054990910407458, "10 of 20 at 0.5");
	tail_is(10000, 140, 0.01, -4.074032158117916, "140 of 10000 at 0.01");
	tail_is(300, 200, 0.01, -318.8153819599064,
	        "200 of 300 at 0.01: 1.5e-319, below DBL_MIN, no underflow");
	ok(isfinite(alert_log_tail(1e6, 1e6, 0.01)) &&
	   fabs(alert_log_tail(1e6, 1e6, 0.01) - 1e6 * log(0.01)) < 1e-6 * 1e6,
	   "a million of a million at 0.01: ln tail = 1e6 ln 0.01, finite");
	ok(alert_log_tail(10, 0, 0.01) == 0, "no unusual record: tail 1 (ln 0)");
	ok(alert_log_tail(0, 0, 0.01) == 0, "no record at all: tail 1");
	/* real (decayed) counts: between the integer neighbours */
	{
		double lo = alert_log_tail(100, 5, 0.01), mid = alert_log_tail(100, 5.5, 0.01),
		       hi = alert_log_tail(100, 6, 0.01);

		ok(hi < mid && mid < lo, "u = 5.5 lies between u = 5 and u = 6");
		ok(alert_log_tail(100.5, 5, 0.01) > lo && alert_log_tail(99.5, 5, 0.01) < lo,
		   "more records for the same unusual count: a larger tail");
	}
	ok(alert_log_tail(3, 5, 0.01) == alert_log_tail(5, 5, 0.01), "u > n reads as u = n");
}

static void decay(void)
{
	alert_counts c = { 0 };
	double want;
	int i;

	/* one record a second for 10 s, half-life 10 s, every other unusual */
	for (i = 0; i < 10; i++)
		alert_count(&c, 10, 1000.0 + i, 1, i % 2 ? 1 : 0);
	want = (1 - 0.5) / (1 - exp2(-0.1));
	printf("# n %.12f want %.12f, u %.12f\n", c.n, want, c.u);
	ok(fabs(c.n - want) < 1e-12, "10 records at 1/s, half-life 10 s: n = sum 2^(-k/10)");
	want = exp2(-0.8) + exp2(-0.6) + exp2(-0.4) + exp2(-0.2) + 1;
	ok(fabs(c.u - want) < 1e-12, "the unusual ones decay the same way");
	want = c.n / 2 + 1;
	alert_count(&c, 10, 1019.0, 1, 0);
	ok(fabs(c.n - want) < 1e-12 && c.last == 1019.0, "one half-life later: half, plus the record");
	want = c.n + 1;
	alert_count(&c, 10, 1005.0, 1, 1);
	ok(fabs(c.n - want) < 1e-12 && c.last == 1019.0,
	   "an older record (out of order) adds without decaying, never negatively");
	alert_count(&c, 10, 1019.0 + 10 * 2000, 0, 0);
	ok(c.n >= 0 && c.n < 1e-300 && c.u >= 0, "2000 half-lives later: nothing left, not negative");
}

static void parse(void)
{
	char line[512];
	alert_rec r;
	const char *why = NULL;

	snprintf(line, sizeof line,
	         "{\"ts\":1676851429.98,\"uid\":\"Cwgb6g4u\",\"id.orig_h\":\"192.168.1.109\","
	         "\"id.orig_p\":34606,\"id.resp_h\":\"185.125.190.17\",\"id.resp_p\":80,"
	         "\"proto\":\"tcp\",\"module\":\"conn\",\"score\":0.0312,\"threshold\":0.21,"
	         "\"anomaly\":true,\"pctl\":0.5312,\"pvalue\":0.4688,\"pvalue_context\":1e-3,"
	         "\"explain\":[{\"feature\":\"log_duration\",\"value\":3.1,\"error\":0.8},"
	         "{\"feature\":\"a\\\"b\",\"value\":null,\"error\":[1,{\"x\":2}]}]}");
	ok(alert_parse(line, strlen(line), &r, &why) == 0, "a score line reads");
	ok(r.ts == 1676851429.98 && r.pvalue == 0.4688 && r.pvalue_context == 1e-3 &&
	   alert_score(&r) == 0.0312 && r.anomaly == 1, "its numbers and anomaly flag");
	ok(r.orig_h.len == 13 && memcmp(r.orig_h.s, "192.168.1.109", 13) == 0 &&
	   r.resp_h.len == 14 && r.uid.len == 8 && r.module.len == 4,
	   "its strings, between the quotes");
	ok(r.n_explain == 2 && r.explain[0].len == 12 && r.explain[1].len == 4 &&
	   memcmp(r.explain[1].s, "a\\\"b", 4) == 0, "the explained feature names, escapes as written");
	strcpy(line, "{\"ts\":1,\"id.orig_h\":\"h\",\"pvalue\":0.5");
	ok(alert_parse(line, strlen(line), &r, &why) < 0 && strcmp(why, "truncated line") == 0,
	   "a truncated line: truncated line");
	strcpy(line, "{\"ts\":1,\"id.orig_h\":\"h\"}");
	ok(alert_parse(line, strlen(line), &r, &why) < 0 &&
	   strcmp(why, "no pvalue (score with a calibrated model)") == 0, "no pvalue");
	strcpy(line, "{\"ts\":\"2023-02-20T00:03:49.980000Z\",\"id.orig_h\":\"h\",\"pvalue\":0}");
	ok(alert_parse(line, strlen(line), &r, &why) == 0 && r.ts == 1676851429.98 &&
	   isnan(r.pvalue_context) && isnan(alert_score(&r)), "an ISO 8601 ts reads as epoch seconds");
	strcpy(line, "{\"ts\":1,\"id.orig_h\":\"h\",\"pvalue\":1.5}");
	ok(alert_parse(line, strlen(line), &r, &why) < 0 && strcmp(why, "pvalue is not in [0, 1]") == 0,
	   "a pvalue out of [0, 1]");
	strcpy(line, "{\"ts\":01,\"id.orig_h\":\"h\",\"pvalue\":0.5}");
	ok(alert_parse(line, strlen(line), &r, &why) < 0, "a number with a leading zero is not JSON");
	strcpy(line, "{\"ts\":1,\"id.orig_h\":\"h\",\"pvalue\":0.5} x");
	ok(alert_parse(line, strlen(line), &r, &why) < 0 && strcmp(why, "text after the JSON object") == 0,
	   "text after the object");
	strcpy(line, "{\"ts\":1,\"module\":\"weird\",\"pvalue\":0.5}");
	ok(alert_parse(line, strlen(line), &r, &why) == 1, "azw-score's line of no host: 1, not an error");
	strcpy(line, "{\"ts\":1,\"module\":\"weird\",\"pvalue\":2}");
	ok(alert_parse(line, strlen(line), &r, &why) < 0 && strcmp(why, "pvalue is not in [0, 1]") == 0,
	   "a line of no host is checked all the same");
	strcpy(line, "{\"ts\":1,\"id.orig_h\":\"h\",\"module\":\"notice\",\"pvalue\":0.5}");
	ok(alert_parse(line, strlen(line), &r, &why) == 0 && r.notice == 1, "module notice: a notice");
	strcpy(line, "{\"ts\":1,\"id.orig_h\":\"h\",\"module\":\"NOTICE\",\"pvalue\":0.5}");
	ok(alert_parse(line, strlen(line), &r, &why) == 0 && r.notice == 1,
	   "module NOTICE (azw-extract -m NOTICE): a notice");
	strcpy(line, "{\"ts\":1,\"id.orig_h\":\"h\",\"module\":\"notices\",\"pvalue\":0.5}");
	ok(alert_parse(line, strlen(line), &r, &why) == 0 && r.notice == 0, "module notices: not one");
}

int main(void)
{
	tails();
	decay();
	parse();
	tap_plan(tap_run);
	return tap_status();
}
