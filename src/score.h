/* score.h - score lines: one JSON object per record, Zeek's field names. */
#ifndef AZW_SCORE_H
#define AZW_SCORE_H

#include <stdio.h>

#include "vecstream.h"

/* Write {"ts":..,"uid":..,"id.orig_h":..,"id.orig_p":..,"id.resp_h":..,
 * "id.resp_p":..,"proto":..,"module":..,"score":..} and a newline. Identity
 * columns that are "-" (Zeek had no value) are left out, as Zeek's JSON
 * writer leaves out unset fields. */
void score_write(FILE *f, char *const id[VEC_N_ID], const char *module, double score);

#endif
