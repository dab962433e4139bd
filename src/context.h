/* context.h - what each host has been doing lately: damped incremental
 * statistics per key (source host, host pair, destination host, source to
 * service), as in Kitsune (Mirsky et al., NDSS 2018, "incStat"), computed
 * from the log stream itself in one pass, in constant time and bounded
 * memory per record.
 *
 * The statistics. A key keeps, per half-life h (seconds of log time, from
 * each record's ts), a weight w (the decayed count of its records) and, per
 * quantity q, a decayed linear sum s and squared sum s2. A record at time t
 * first decays them all by 2^(-(t - last)/h) (last: the key's latest ts so
 * far; a record older than that decays by zero, never negatively), then
 * adds itself (w += 1, s += q, s2 += q*q), then is read: so the statistics
 * a record sees include that record, and extraction stays one pass and
 * deterministic. Decayed count: w; decayed mean: s/w; decayed standard
 * deviation: sqrt(s2/w - (s/w)^2).
 *
 * Built-in quantities besides a module's own:
 *   CTX_Q_GAP      log1p(seconds since the key's previous record): the
 *                  regularity of a key's arrivals (a beacon's gaps have a
 *                  small spread); a first record has no gap, so the gap
 *                  statistics keep their own weight.
 *   CTX_Q_NEWPAIR  1 if the record's (orig_h, resp_h) pair was new (absent,
 *                  or decayed to nothing) when it arrived, else 0: for the
 *                  source key, the share of its recent records that went
 *                  to a new place (fan-out, without keeping sets); for the
 *                  destination key, from a new place (fan-in).
 *   CTX_Q_NEWSVC   the same for the (orig_h, proto/resp_p) key: new ports.
 * and CTX_AGE: seconds from the key's first record (since it was last
 * created) to its latest.
 *
 * Bounded memory. Each key type is one table with a hard cap on keys
 * (CTX_DEFAULT_CAP). When a new key arrives at a full table, the key
 * updated least recently (in stream order) is evicted: oldest first. A key
 * whose weight at its longest half-life has decayed below CTX_GONE (about
 * ten of those half-lives without a record) is gone: it reads as absent
 * (a returning key starts afresh and counts as new), and each record drops
 * up to two such keys from the old end. A table grows by doubling up to its
 * cap, then allocates nothing more: no allocation per record after warm-up.
 * An entry holds only the sums its columns need.
 *
 * Determinism: the output depends on the sequence of records alone. The
 * hash is keyed with a per-process seed (so that an attacker who picks
 * source addresses cannot pile them into one chain), but no result depends
 * on the hash: eviction and dropping follow stream order.
 *
 * A module declares its context features as a table of ctx_column rows
 * (name, key, statistic, quantity, half-life, meaning: context_columns.h,
 * data the model side reads too) plus one function that reads a record's
 * keys and quantities (ctx_spec); everything else is here. The rows are
 * appended to the schema's per-record features.
 */
#ifndef AZW_CONTEXT_H
#define AZW_CONTEXT_H

#include <stddef.h>
#include <stdint.h>

#include "context_columns.h"
#include "zeeklog.h"

#define CTX_DEFAULT_CAP 100000 /* keys per table; hard cap */
#define CTX_GONE 1e-3          /* weight below which a key is dropped */
/* How far ahead of a table's clock (the latest ts it has seen) one record
 * may move it, and its key's latest ts: a record with a far-future ts (a
 * bad clock, an edited log) would otherwise stop its keys' decay, and make
 * every other key look gone, for the rest of the run. A real gap longer
 * than this is caught up with over a few records. */
#define CTX_MAX_AHEAD 86400.0  /* s */
#define CTX_MAX_Q 16           /* a module's own quantities */
#define CTX_MAX_WIN 8          /* distinct half-lives per key type */
#define CTX_MAX_ACC 32         /* sums per key type */
#define CTX_CV_MAX 10.0        /* CTX_CV is clipped to [0, this] */
#define CTX_JITTER 0.5         /* sd of log1p(gap) at which CTX_PERIODIC is 0 */


/* What a record gives the context: its time, its keys and its quantities. */
typedef struct {
	double ts;                 /* epoch seconds */
	int has_ts;                /* 0: no usable ts, the record decays nothing */
	unsigned char orig[16];    /* id.orig_h, IPv4 as ::ffff:a.b.c.d */
	unsigned char resp[16];    /* id.resp_h */
	uint32_t svc;              /* proto << 16 | id.resp_p (0..65535); dns,
	                              http, ssl: a 32-bit hash of the query
	                              name, Host, SNI (CTX_Q_NEWSVC: new names) */
	double q[CTX_MAX_Q];       /* the module's quantities */
} ctx_obs;

/* A schema's context features: its columns (plain data, in
 * modules/context_columns.c) and the module's function that reads a
 * record's keys and quantities. */
typedef struct ctx_spec {
	const ctx_columns *columns;
	/* Fill o from a record whose per-record features x the schema's
	 * extract() has just written: 0, or -1 with a reason in
	 * why[AZW_REASON_MAX] (then the record is skipped). */
	int (*observe)(zl_rec *rec, const double *x, ctx_obs *o, char *why);
} ctx_spec;

/* ---- the keyed table of damped statistics (the machinery) ---- */

typedef struct ctx_table ctx_table;

/* A table for keys of keylen bytes (<= 32) with n_win half-lives (seconds,
 * > 0) and n_acc sums, each for (half-life index, quantity slot): sq asks
 * for the squared sum too, own_w for a weight of its own (a quantity that
 * a record may lack). The values of slot gap_slot (-1: none) are not
 * given but made by ctx_update(): log1p(seconds since the key's previous
 * record), missing for a new key. cap: keys at most (>= 1). NULL on a bad
 * argument; exits on out of memory. */
typedef struct {
	int win;   /* index into the half-lives */
	int slot;  /* index into the values given to ctx_update() */
	int sq;
	int own_w;
} ctx_acc;

ctx_table *ctx_table_new(size_t keylen, int n_win, const double *half_life,
                         int n_acc, const ctx_acc *acc, int gap_slot, size_t cap);
void ctx_table_free(ctx_table *t);

/* An entry, as ctx_update() leaves it (valid until the next update). */
typedef struct ctx_entry ctx_entry;

/* Count one record of a key at time ts (has_ts 0: no decay): decay, add
 * v[slot] to the sums that ask for it (present[slot] 0: that value is
 * missing and its own-weight sums skip it; present NULL: all present),
 * and return the entry. *is_new: 1 if the key was absent or gone; *gap:
 * seconds since its previous record (-1 if new). */
ctx_entry *ctx_update(ctx_table *t, const void *key, double ts, int has_ts,
                      const double *v, const int *present, int *is_new, double *gap);

/* Read an entry: the weight of half-life index win; sum acc's mean and
 * standard deviation (0 without weight); the seconds from its first
 * record to its latest. */
double ctx_weight(const ctx_table *t, const ctx_entry *e, int win);
double ctx_mean(const ctx_table *t, const ctx_entry *e, int acc);
double ctx_std(const ctx_table *t, const ctx_entry *e, int acc);
double ctx_age(const ctx_entry *e);

/* Keys held, evicted under the cap, dropped after decaying, and the bytes
 * allocated (entries and buckets). */
typedef struct {
	size_t keys, evicted, dropped, bytes;
} ctx_stats;

void ctx_table_stats(const ctx_table *t, ctx_stats *s);

/* ---- a run: the tables a spec needs, fed record by record ---- */

typedef struct ctx_run ctx_run;

/* The state of one extraction run (create once; it is the context).
 * cap: keys per table (0: CTX_DEFAULT_CAP). Exits on a malformed spec (a
 * programming error) or out of memory. */
ctx_run *ctx_run_new(const ctx_spec *spec, size_t cap);
void ctx_run_free(ctx_run *r);

/* One record: its observation o (from spec->observe) into the tables,
 * then the spec's n_cols columns into out (finite, rounded to 6
 * decimals). */
void ctx_run_obs(ctx_run *r, const ctx_obs *o, double *out);

/* spec->observe, then ctx_run_obs(): 0, or -1 with a reason. */
int ctx_run_record(ctx_run *r, zl_rec *rec, const double *x, double *out, char *why);

/* The sum of the tables' statistics. */
void ctx_run_stats(const ctx_run *r, ctx_stats *s);

/* The ts of a record into o->ts, for a spec's observe(): o->has_ts 0 when
 * it is missing or not a number (the record then decays nothing). Returns
 * 0. */
int ctx_obs_ts(zl_rec *rec, ctx_obs *o);

#endif
