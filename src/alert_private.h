/* alert_private.h - what alert.c and alert_line.c share (alert.h is the
 * interface): the interned names, the entity tables, the spans, the run. */
#ifndef AZW_ALERT_PRIVATE_H
#define AZW_ALERT_PRIVATE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "alert.h"

/* ---- interned names (modules, features) ----------------------------- */

#define NAMES_MAX 1024      /* distinct names kept; later ones are not counted */
#define NAMES_SLOTS 2048

typedef struct {
	char *text[NAMES_MAX];
	size_t len[NAMES_MAX];
	int n;
	int16_t slot[NAMES_SLOTS]; /* index + 1, 0 empty */
} names;

/* ---- entities: capped tables, least recently updated evicted --------- */

#define NIL (-1)
#define N_TOP 3
#define N_FEAT 8   /* feature counters per span (most frequent kept) */
#define N_RESP 2   /* responder candidates per host span (majority vote) */
#define UID_MAX 31

enum { HOST, PAIR };

typedef struct span span;

/* A key: for hosts [len][id.orig_h], for pairs that and [len][id.resp_h],
 * zero-padded. */
#define HOST_KEY 48
#define PAIR_KEY 96

typedef struct {
	int32_t hnext, prev, next; /* hash chain; update order (prev less recent) */
	uint32_t hash;
	alert_counts c;
	span *sp;                  /* the current span, or NULL */
	unsigned char key[];       /* HOST_KEY or PAIR_KEY bytes */
} entity;

typedef struct {
	int kind;
	size_t keylen, stride;
	unsigned char *slab;
	int32_t n_alloc, n_used, cap;
	int32_t *bucket;
	uint32_t mask;
	int32_t head, tail;
	size_t evicted;
} table;

/* What a span knows: its counts, and the details an incident line shows. */
struct span {
	span *prev, *next;   /* open incidents, in opening order; free list */
	table *t;
	int32_t ent;         /* its entity's index in t */
	int open;
	double first, last_unusual;
	long records, records_at_unusual, unusual, anomalies;
	long notices;        /* notice records counted as Zeek's findings */
	double sig, sig_max; /* -log10 tail: now, and the most while open */
	uint64_t id;
	uint32_t modules;    /* bit i: module name i */
	int n_top;
	struct {
		char uid[UID_MAX + 1];
		double score, pvalue;
		int module;
	} top[N_TOP];
	int n_feat;
	struct {
		int name;
		long count;
	} feat[N_FEAT];
	struct {
		unsigned char text[ALERT_MAX_ADDR + 1]; /* [len][text] */
		long count;
	} resp[N_RESP];
};

#define ENT(t, i) ((entity *)((t)->slab + (size_t)(i) * (t)->stride))

struct alert_run {
	alert_opts o;
	FILE *out;
	table host, pair;
	names modules, features;
	span *open_head, *open_tail; /* open incidents, opening order */
	span *free_spans;
	size_t n_spans;
	long opened, closed, n_open;
	double now;                  /* the latest ts seen */
	int have_now;
	double swept;                /* the second of log time last swept */
	double log_alpha, cut, log_cut;
	char *buf;                   /* an incident line is built here */
	size_t cap;
};

/* alert_line.c: span sp's incident line, state "open" or "closed". */
void alert_write_line(alert_run *a, span *sp, const char *state);

#endif
