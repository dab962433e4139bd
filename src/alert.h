/* alert.h - incidents from score lines: the hosts and host pairs whose
 * records are unusual more often than chance, over a span of log time.
 *
 * Evidence. A score line's pvalue is the record's upper-tail probability
 * among held-out benign scores: about uniform on benign records. For a
 * model of two parts it is already the test of both kinds of evidence
 * (the smaller of pvalue_record and pvalue_context, calibrated as such);
 * but a pvalue_context of 1 is a context part that said nothing (a cold or
 * unknown local source, split.h), and then pvalue_record, the one test
 * made, stands for it. A record is unusual when that evidence q < p0, or
 * when it has anomaly:true. Per entity (source host; source and responder
 * pair) two counts decay by log time with one half-life: records n and
 * unusual u. The entity's evidence is the binomial upper tail P(X >= u),
 * X ~ Bin(n, p0), computed for real (decayed) n and u as the regularized
 * incomplete beta function I_p0(u, n - u + 1), in log space (no
 * underflow).
 *
 * A record with anomaly:true and evidence q counts as w = log(q) / log(p0)
 * records that are all unusual, w in [1, ALERT_ANOMALY_WMAX]: a benign
 * record has q < p0^w with probability p0^w, as likely as w unusual records
 * in a row.
 *
 * Incidents. Each entity has a span: it starts at an unusual record when
 * the entity had none for `quiet` seconds (and what it had has decayed
 * below ALERT_CARRY unusual records: strong evidence, anomalies an hour or
 * two apart from a slow scanner, carries a span over a quiet gap) or was,
 * before it, no more unusual than chance (u <= p0 n); it holds the counts
 * and the details an
 * incident line shows. An incident is raised at the unusual record that
 * brings the tail below alpha with at least min_unusual unusual records in
 * the span; a pair's only while its host has none open. It closes when its
 * entity has had no unusual record for `quiet` seconds of log time, when it
 * has lasted max_span, when its entity is evicted, or at alert_finish().
 *
 * Bounded memory: each table (hosts, pairs) holds at most cap keys; a new
 * key at a full table evicts the least recently updated one. No allocation
 * per record once the tables and the span details have grown.
 */
#ifndef AZW_ALERT_H
#define AZW_ALERT_H

#include <stddef.h>
#include <stdio.h>

#define ALERT_DEFAULT_PVALUE 0.01
#define ALERT_DEFAULT_ALPHA 1e-6
#define ALERT_DEFAULT_MIN_UNUSUAL 3
#define ALERT_DEFAULT_HALF_LIFE 3600.0
#define ALERT_DEFAULT_QUIET 3600.0
#define ALERT_DEFAULT_MAX_SPAN 86400.0
#define ALERT_DEFAULT_CAP 100000
#define ALERT_ANOMALY_WMAX 3.0 /* an anomaly:true record counts as at most this many */
#define ALERT_DEFAULT_NOTICE_WEIGHT 3.0 /* a notice record counts as this many */
#define ALERT_CARRY 1.0       /* decayed unusual records that carry a span over a quiet gap */
#define ALERT_MAX_ADDR 46      /* bytes of an id.orig_h / id.resp_h text */
#define ALERT_MAX_EXPLAIN 16   /* explain entries read per line */

/* A string of a score line: its JSON text between the quotes, escapes as
 * written (so it can be written back as it was). len 0 and s NULL: absent. */
typedef struct {
	const char *s;
	size_t len;
} alert_str;

/* What azw-alert reads of one score line. */
typedef struct {
	double ts;
	alert_str uid, orig_h, resp_h, module;
	alert_str score_text;  /* the score's number text (read when needed:
	                          alert_score()); absent, or null: len 0 */
	double pvalue;
	double pvalue_context; /* NAN when absent */
	double pvalue_record;  /* NAN when absent */
	int anomaly;           /* 1 for anomaly:true */
	int notice;            /* 1 for module "notice" (any case): Zeek's own finding */
	int n_explain;
	alert_str explain[ALERT_MAX_EXPLAIN]; /* feature names */
} alert_rec;

/* Parse one score line (a JSON object; line[len] is NUL): 0; 1 for a line
 * of azw-score (it has module, ts and pvalue) without id.orig_h, a record
 * that Zeek tied to no host (a weird outside a connection, a notice with
 * neither src nor id.orig_h): nothing to count it for; or -1 with a reason
 * in *why (a static string) if it is not valid JSON or lacks ts, id.orig_h
 * or pvalue. r's strings point into line. */
int alert_parse(const char *line, size_t len, alert_rec *r, const char **why);

/* The score of a parsed line, NAN when it has none. */
double alert_score(const alert_rec *r);

/* ln P(X >= u) for X ~ Bin(n, p), for real 0 <= u <= n (I_p(u, n-u+1));
 * 0 for u <= 0. Accurate in log space far below DBL_MIN. */
double alert_log_tail(double n, double u, double p);

/* Decayed counts of one entity. */
typedef struct {
	double n, u;   /* records, unusual records */
	double last;   /* ts they are decayed to */
	int has_last;
} alert_counts;

/* Decay c to ts (by 2^(-(ts - last)/half_life); a ts older than last
 * decays nothing, never negatively), then add w records of which uw are
 * unusual. */
void alert_count(alert_counts *c, double half_life, double ts, double w, double uw);

typedef struct {
	double p0;          /* --pvalue */
	double alpha;       /* --alpha */
	double min_unusual; /* --min-unusual */
	double half_life;   /* --half-life, seconds */
	double quiet;       /* --quiet, seconds */
	double max_span;    /* --max-span, seconds */
	size_t cap;         /* --max-keys, per table */
	int closed_only;    /* --closed-only */
	double notice_weight; /* --notice-weight: a notice record counts as this
	                         many unusual records, whatever its pvalue; 0:
	                         by its pvalue, as any other */
} alert_opts;

void alert_opts_default(alert_opts *o);

typedef struct alert_run alert_run;

/* A run writing incident lines to out. Exits on out of memory. */
alert_run *alert_new(const alert_opts *o, FILE *out);
void alert_free(alert_run *a);
/* One record. */
void alert_record(alert_run *a, const alert_rec *r);
/* End of input: close every open incident, in the order they opened. */
void alert_finish(alert_run *a);

typedef struct {
	size_t host_keys, pair_keys;       /* keys held */
	size_t host_evicted, pair_evicted; /* keys evicted under the cap */
	long opened, closed, open;         /* incidents */
	size_t spans;                      /* span details allocated */
} alert_stats;

void alert_get_stats(const alert_run *a, alert_stats *s);

#endif
