/* split.h - record and context evidence kept apart, then combined.
 *
 * A schema with context columns (what each host has been doing lately)
 * gives a record two kinds of evidence: is it unusual in itself, and is
 * its host's recent behaviour unusual. One KitNET over all of them lets
 * either dilute the other: its output autoencoder averages a beacon's two
 * extreme context columns with a hundred ordinary ones. So azw-fit trains
 * two parts (model.h), one KitNET over the per-record columns and one over
 * the context columns, calibrates each on the same benign records, and
 * the model's score combines their p-values (calib_pvalue):
 *
 *   score = -log10(min(p_record, p_context))    (at most -log10 SPLIT_P_MIN)
 *
 * a record is as unusual as its more unusual kind of evidence. The
 * combined scores of the calibration records are calibrated in turn (the
 * model's cal), so the threshold holds its false-positive rate whatever
 * the two parts' correlation. No I/O.
 */
#ifndef AZW_SPLIT_H
#define AZW_SPLIT_H

#include "model.h"
#include "vecstream.h"

#define SPLIT_P_MIN 1e-300
/* A local source (orig_local 1) with fewer records than this (decayed,
 * in its longest rate window) has no history for its context to be
 * measured against: every connection of a device's first few goes to a
 * new peer and a new port, and a device that joins the network (a phone,
 * an Echo waking up, an IPv6 address renewed) looks like a scanner. For
 * such a record the context part says nothing (its p-value counts as 1).
 * A new *outside* source is judged on its context from its first record:
 * that is how an Internet scanner shows. */
#define SPLIT_MIN_HISTORY 20

/* Where the gate reads: the feature index of h's source-rate context
 * column of the longest half-life (log1p of the source's decayed record
 * count) and of orig_local (local), or, in a schema without it (dns,
 * http, ssh, ssl), of dir_internal and dir_outgoing (local, local2: the
 * originator is local when either is 1); -1 where the stream has none. */
typedef model_gate split_gate;

void split_gate_find(const vec_header *h, split_gate *g);
/* Whether record x (all of h's features) comes from a local source with
 * too little history for its context: 0 when the stream lacks either
 * column. */
int split_cold(const split_gate *g, const double *x);

/* Whether record x, of source host orig_h (its id.orig_h text; NULL:
 * unknown), comes from a local source that m's context part does not
 * know: m's context was learned from a few hosts only (m->n_hosts > 0,
 * model.h) and orig_h is none of them. Such a model's context columns
 * describe its hosts' habits, not the network's: judged by them, another
 * host's every record looks unusual (make eval's ctu-008to010: 85 % of
 * the benign records of day 010's host flagged by a model of day 008's).
 * So, as for a cold source, its context part says nothing. An outside
 * source is judged on its context as always (a scanner shows there). */
int split_foreign(const model *m, const char *orig_h, const double *x);

/* Whether m's context part says nothing of x: its source is cold
 * (split_cold) or foreign (split_foreign); its context p-value is then 1. */
int split_silent(const model *m, const char *orig_h, const double *x);

/* Which of h's features are its module's context columns (context.h):
 * is_ctx[i] set to 1 or 0; returns how many are. 0 for a schema without
 * context, or a stream cut without them. */
int split_context_features(const vec_header *h, char *is_ctx);

/* The combined score of a record whose parts gave p-values p_rec, p_ctx
 * (a NaN, a part without calibration, counts as 1). */
double split_combine(double p_rec, double p_ctx);

/* What a model says of one record. pvalue[MODEL_PART_CONTEXT] is 1 for a
 * record its context part says nothing of (split_silent). */
typedef struct {
	double score;                   /* the model's score */
	double part[MODEL_MAX_PARTS];   /* each part's RMSE (parts only) */
	double pvalue[MODEL_MAX_PARTS]; /* and its p-value */
} split_scores;

/* Score x (the model's n_features values; orig_h its source host's text,
 * or NULL) with m: KitNET's RMSE for a model of one KitNET, else the
 * combined score of its parts (and out, if not NULL, gets the parts').
 * Uses m->xbuf. */
double split_score(model *m, const double *x, const char *orig_h, split_scores *out);

/* Why x scored as it did: err[i] for every feature i, as kitnet_explain()
 * gives it within the KitNET (or part) that holds feature i. */
void split_explain(model *m, const double *x, double *err);

/* Calibrate m's parts on n records, as azw-fit and azw-fit --calibrate
 * do: raw[j][i] is part j's RMSE of record i, cold[i] whether its source
 * was cold (split_cold). Each part's cal and threshold (for fpr) from its
 * scores, and into s the n records' combined scores as split_score()
 * gives them (cold[i]: split_silent). */
void split_calibrate(model *m, double *const raw[MODEL_MAX_PARTS], const char *cold, long n,
                     double fpr, double *s);

/* x's values of part pt's features, into xp (pt->n values). */
void split_gather(const model_part *pt, const double *x, double *xp);

#endif
