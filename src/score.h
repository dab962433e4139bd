/* score.h - score lines: one JSON object per record, Zeek's field names. */
#ifndef AZW_SCORE_H
#define AZW_SCORE_H

#include <stdio.h>

#include "vecstream.h"

/* What is known of one record's score. */
typedef struct {
	double score;       /* KitNET's RMSE */
	double threshold;   /* NAN: no threshold, no "anomaly" field */
	double pctl;        /* NAN: no calibration, no "pctl"/"pvalue" fields */
	double pvalue;
	/* a model of parts (split.h): each part's p-value, in the order of
	 * model_part_names, under the keys part_name ("pvalue_record", ...);
	 * n_parts 0: none */
	int n_parts;
	const char *const *part_name;
	const double *part_pvalue;
	int n_explain;      /* explanation entries, most to least unexpected */
	const char *const *ex_name;
	const double *ex_value, *ex_error;
} score_line;

/* Write {"ts":..,"uid":..,"id.orig_h":..,"id.orig_p":..,"id.resp_h":..,
 * "id.resp_p":..,"proto":..,"module":..,"score":..[,"threshold":..,
 * "anomaly":..][,"pctl":..,"pvalue":..][,"pvalue_record":..,
 * "pvalue_context":..]
 * [,"explain":[{"feature":..,"value":..,"error":..},..]]} and a newline. Identity columns that are "-"
 * (Zeek had no value) are left out, as Zeek's JSON writer leaves out unset
 * fields. Non-finite numbers are written as null. */
void score_write(FILE *f, char *const id[VEC_N_ID], const char *module, const score_line *s);

#endif
