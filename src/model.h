/* model.h - the model file: what azw-fit learned, for azw-score.
 *
 * A text file anyone can read with less: tab-separated "key value..." lines,
 * numbers printed so that they read back bit for bit, a CRC-32 over
 * everything before the last line so that a truncated or edited file is
 * refused, and written atomically (temporary file, fsync, rename). The
 * format is described in azw-fit(1).
 */
#ifndef AZW_MODEL_H
#define AZW_MODEL_H

#include "calib.h"
#include "hosts.h"
#include "kitnet.h"
#include "vecstream.h"

/* split.h's gate: where it reads a record's history (set with xbuf) */
typedef struct {
	int rate, local, local2;
} model_gate;

#define MODEL_VERSION 2
#define MODEL_MAX_BYTES (256L << 20) /* larger files are refused */

/* A model may be one KitNET over every feature, or two parts, each a
 * KitNET over some of the features with its own calibration: the record
 * part (what a record says of itself) and the context part (what its
 * host has been doing lately, the context columns of azw-extract), so that
 * neither kind of evidence dilutes the other (split.h). */
#define MODEL_MAX_PARTS 2
enum { MODEL_PART_RECORD, MODEL_PART_CONTEXT };
extern const char *const model_part_names[MODEL_MAX_PARTS]; /* "record", "context" */

typedef struct {
	int n;              /* features of this part */
	int *feat;          /* n: their indices among the model's features */
	kitnet k;           /* over those n features, in that order */
	calib cal;          /* its RMSEs of the calibration records */
	double threshold;   /* calib_threshold(&cal, fpr): shown, not used */
} model_part;

typedef struct {
	vec_header h;       /* module, schema, feature names trained on */
	kitnet k;           /* parameters, map and weights */
	/* training facts */
	long records;       /* records read */
	long fm_records;    /* used for the feature map */
	long ad_records;    /* used to train the autoencoders */
	char ts_first[32];  /* smallest and largest ts of the records learned */
	char ts_last[32];
	/* calibration (cal.n == 0: none, as with --compat) */
	calib cal;          /* held-out benign scores */
	long cal_seen;      /* records held out of training */
	long cal_held;      /* of cal.n scores, how many are of held-out records
	                       (the rest: of trained records; see fit.c) */
	double fpr;         /* false-positive rate the threshold is set for */
	double threshold;   /* calib_threshold(&cal, fpr); NAN without calibration */
	/* parts (n_parts 0: one KitNET, k). With parts, k is empty and cal
	 * holds the combined scores of the calibration records (split.h) */
	int n_parts;
	model_part part[MODEL_MAX_PARTS];
	/* The local sources the context part was learned from, when they were
	 * fewer than HOSTS_FEW (hosts.h): its context describes those hosts
	 * alone, so another local source's context says nothing (split.h).
	 * 0: learned from enough sources, or no parts. */
	int n_hosts;
	char hosts[HOSTS_MAX][HOSTS_NAME];
	double *xbuf;       /* 2 x n_features: scratch of split.c, never saved */
	model_gate gate;    /* split_gate_find(&h), set with xbuf */
} model;

/* Write m to path atomically: 0, or -1 after a message naming the path.
 * An existing file at path is replaced only when the new one is complete. */
int model_write(const model *m, const char *path);

/* Read and validate a model: 0, or -1 after a message naming the file, the
 * line and the reason. */
int model_read(model *m, const char *path);

/* model_read()'s checks and parsing on a model's text (NUL-terminated, len
 * bytes, parsed in place), path naming it in messages; model_write() reads
 * back what it is about to write with it. */
int model_parse(model *m, const char *path, char *text, size_t len);

void model_free(model *m);

/* CRC-32 (IEEE 802.3), as zlib's crc32(). */
unsigned long model_crc32(unsigned long crc, const void *buf, size_t len);

#endif
