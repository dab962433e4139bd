/* vecrecord.c - a Zeek record's identity columns (see vecrecord.h). */
#include "vecrecord.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An identity column as text (vecrecord.h). */
const char *vec_id_text(zl_rec *rec, const char *name, char *buf, int integer)
{
	zl_value v = zl_get_static(rec, name);
	double d;

	switch (v.type) {
	case ZL_STRING:
		return v.s;
	case ZL_NUMBER:
		/* a port as Zeek writes it, digits without a leading zero, is
		 * already its integer text */
		if (integer && v.len > 0 && v.len < 16 && (v.s[0] != '0' || v.len == 1) &&
		    strspn(v.s, "0123456789") == v.len)
			return v.s;
		d = strtod_fast(v.s, NULL);
		if (integer && d == floor(d) && fabs(d) < 9007199254740992.0) {
			snprintf(buf, 32, "%lld", (long long)d);
			return buf;
		}
		return v.s;
	case ZL_BOOL:
		return v.b ? "T" : "F";
	default:
		return NULL;
	}
}

void vec_record_ids(zl_rec *rec, const char *id[VEC_N_ID], char buf[2][32])
{
	id[0] = vec_id_text(rec, "ts", NULL, 0);
	id[1] = vec_id_text(rec, "uid", NULL, 0);
	id[2] = vec_id_text(rec, "id.orig_h", NULL, 0);
	id[3] = vec_id_text(rec, "id.orig_p", buf[0], 1);
	id[4] = vec_id_text(rec, "id.resp_h", NULL, 0);
	id[5] = vec_id_text(rec, "id.resp_p", buf[1], 1);
	id[6] = vec_id_text(rec, "proto", NULL, 0);
}
