/* score.c - write score lines. */
#include "score.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A line is built here and written with one fwrite. */
static char *buf;
static size_t cap;

static void reserve(size_t need)
{
	if (need > cap) {
		cap = need > 2 * cap ? need : 2 * cap;
		buf = erealloc(buf, cap);
	}
}

static size_t put(size_t at, const char *s, size_t n)
{
	reserve(at + n);
	memcpy(buf + at, s, n);
	return at + n;
}

/* JSON string: escape quotes, backslashes and control bytes; Zeek's own
 * \xNN escapes in the vector stream pass through as text. */
static size_t put_str(size_t at, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	reserve(at + 6 * strlen(s) + 2);
	buf[at++] = '"';
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			buf[at++] = '\\';
			buf[at++] = (char)c;
		} else if (c < 0x20) {
			memcpy(buf + at, "\\u00", 4);
			buf[at + 4] = hex[c >> 4];
			buf[at + 5] = hex[c & 15];
			at += 6;
		} else {
			buf[at++] = (char)c;
		}
	}
	buf[at++] = '"';
	return at;
}

/* A JSON number as written, if the text is one (ts, ports); else a string. */
static size_t put_num_or_str(size_t at, const char *s)
{
	const char *p = s;

	if (*p == '-')
		p++;
	if (*p >= '0' && *p <= '9' && !(p[0] == '0' && p[1] >= '0' && p[1] <= '9')) {
		while (*p >= '0' && *p <= '9')
			p++;
		if (*p == '.' && p[1] >= '0' && p[1] <= '9')
			for (p++; *p >= '0' && *p <= '9'; p++)
				;
		if (*p == '\0')
			return put(at, s, (size_t)(p - s));
	}
	return put_str(at, s);
}

/* ,"key":number (null if not finite) */
static size_t put_num(size_t at, const char *key, double d)
{
	char num[32];
	int n = fmt_double(num, d);

	at = put(at, ",\"", 2);
	at = put(at, key, strlen(key));
	at = put(at, "\":", 2);
	if (num[0] == 'n' || num[0] == 'i' || num[1] == 'i')
		return put(at, "null", 4);
	return put(at, num, (size_t)n);
}

void score_write(FILE *f, char *const id[VEC_N_ID], const char *module, const score_line *s)
{
	static const int numeric[VEC_N_ID] = { 1, 0, 0, 1, 0, 1, 0 };
	size_t at = put(0, "{", 1);
	int i;

	for (i = 0; i < VEC_N_ID; i++) {
		if (strcmp(id[i], "-") == 0)
			continue;
		if (at > 1)
			at = put(at, ",", 1);
		at = put(at, "\"", 1);
		at = put(at, vec_id_names[i], strlen(vec_id_names[i]));
		at = put(at, "\":", 2);
		at = numeric[i] ? put_num_or_str(at, id[i]) : put_str(at, id[i]);
	}
	if (at > 1)
		at = put(at, ",", 1);
	at = put(at, "\"module\":", 9);
	at = put_str(at, module);
	at = put_num(at, "score", s->score);
	if (!isnan(s->threshold)) {
		at = put_num(at, "threshold", s->threshold);
		at = s->score > s->threshold ? put(at, ",\"anomaly\":true", 15)
		                             : put(at, ",\"anomaly\":false", 16);
	}
	if (!isnan(s->pctl)) {
		at = put_num(at, "pctl", s->pctl);
		at = put_num(at, "pvalue", s->pvalue);
	}
	if (s->n_explain > 0) {
		at = put(at, ",\"explain\":[", 12);
		for (i = 0; i < s->n_explain; i++) {
			at = put(at, i ? ",{\"feature\":" : "{\"feature\":", i ? 12 : 11);
			at = put_str(at, s->ex_name[i]);
			at = put_num(at, "value", s->ex_value[i]);
			at = put_num(at, "error", s->ex_error[i]);
			at = put(at, "}", 1);
		}
		at = put(at, "]", 1);
	}
	at = put(at, "}\n", 2);
	fwrite(buf, 1, at, f);
}
