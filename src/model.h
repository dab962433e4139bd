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
#include "kitnet.h"
#include "vecstream.h"

#define MODEL_VERSION 1
#define MODEL_MAX_BYTES (256L << 20) /* larger files are refused */

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
	long cal_seen;      /* records held out (cal.n of them were kept) */
	double fpr;         /* false-positive rate the threshold is set for */
	double threshold;   /* calib_threshold(&cal, fpr); NAN without calibration */
} model;

/* Write m to path atomically: 0, or -1 after a message naming the path.
 * An existing file at path is replaced only when the new one is complete. */
int model_write(const model *m, const char *path);

/* Read and validate a model: 0, or -1 after a message naming the file, the
 * line and the reason. */
int model_read(model *m, const char *path);

void model_free(model *m);

/* CRC-32 (IEEE 802.3), as zlib's crc32(). */
unsigned long model_crc32(unsigned long crc, const void *buf, size_t len);

#endif
