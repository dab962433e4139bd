/* score.c - write score lines. */
#include "score.h"
#include "util.h"

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

void score_write(FILE *f, char *const id[VEC_N_ID], const char *module, double score)
{
	static const int numeric[VEC_N_ID] = { 1, 0, 0, 1, 0, 1, 0 };
	char num[32];
	size_t at = put(0, "{", 1);
	int i, n;

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
	at = put(at, ",\"score\":", 9);
	n = fmt_double(num, score);
	/* JSON has no NaN or infinity: such a score is written as null */
	if (num[0] == 'n' || num[0] == 'i' || num[1] == 'i')
		at = put(at, "null", 4);
	else
		at = put(at, num, (size_t)n);
	at = put(at, "}\n", 2);
	fwrite(buf, 1, at, f);
}
