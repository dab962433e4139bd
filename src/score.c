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
	buf = egrow(buf, &cap, need);
}

static size_t put(size_t at, const char *s, size_t n)
{
	reserve(at + n);
	memcpy(buf + at, s, n);
	return at + n;
}

/* The length of the well-formed UTF-8 sequence at s (RFC 3629: no
 * overlong forms, no surrogates, at most U+10FFFF), or 0. */
static int utf8_len(const unsigned char *s)
{
	unsigned c = s[0];

	if (c >= 0xC2 && c <= 0xDF)
		return (s[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		if ((s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
		    (c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F))
			return 0;
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if ((s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80 ||
		    (c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] > 0x8F))
			return 0;
		return 4;
	}
	return 0;
}

/* JSON string: escape quotes, backslashes and control bytes; Zeek's own
 * \xNN escapes in the vector stream pass through as text. A byte that is
 * not part of well-formed UTF-8 is written as the text \xNN, as Zeek's JSON
 * writer does, so that every line is valid JSON for strict parsers. */
static size_t put_str(size_t at, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	reserve(at + 6 * strlen(s) + 2);
	buf[at++] = '"';
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		int k;

		if (c >= 0x80) {
			k = utf8_len((const unsigned char *)s);
			if (k == 0) {
				memcpy(buf + at, "\\\\x", 3);
				buf[at + 3] = hex[c >> 4];
				buf[at + 4] = hex[c & 15];
				at += 5;
			} else {
				memcpy(buf + at, s, (size_t)k);
				at += (size_t)k;
				s += k - 1;
			}
		} else if (c == '"' || c == '\\') {
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

/* Significant digits of pctl and pvalue: they are estimates (a mid-rank
 * over at most CALIB_MAX held-out scores, a fitted tail), and 6 digits
 * tell every rank apart; all 17 cost more than the rest of the line. */
#define ESTIMATE_DIGITS 6

/* ,"key":number (null if not finite); prec 0: exact (fmt_double), else
 * that many significant digits */
static size_t put_num_prec(size_t at, const char *key, double d, int prec)
{
	char num[32];
	int n;

	at = put(at, ",\"", 2);
	at = put(at, key, strlen(key));
	at = put(at, "\":", 2);
	if (!isfinite(d))
		return put(at, "null", 4);
	n = prec ? fmt_double_g(num, d, prec) : fmt_double(num, d);
	return put(at, num, (size_t)n);
}

static size_t put_num(size_t at, const char *key, double d)
{
	return put_num_prec(at, key, d, 0);
}

/* ,"threshold":X: the same for every line of a run, so formatted once
 * (again only if it changes). */
static size_t put_threshold(size_t at, double t)
{
	static char text[64]; /* 13 bytes of key, at most 24 of number */
	static size_t len;
	static double last;

	if (len == 0 || memcmp(&last, &t, sizeof t) != 0) {
		size_t end = put_num(at, "threshold", t);

		len = end - at;
		memcpy(text, buf + at, len);
		last = t;
		return end;
	}
	return put(at, text, len);
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
		at = put_threshold(at, s->threshold);
		at = s->score > s->threshold ? put(at, ",\"anomaly\":true", 15)
		                             : put(at, ",\"anomaly\":false", 16);
	}
	if (!isnan(s->pctl)) {
		at = put_num_prec(at, "pctl", s->pctl, ESTIMATE_DIGITS);
		at = put_num_prec(at, "pvalue", s->pvalue, ESTIMATE_DIGITS);
	}
	for (i = 0; i < s->n_parts; i++)
		at = put_num_prec(at, s->part_name[i], s->part_pvalue[i], ESTIMATE_DIGITS);
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
