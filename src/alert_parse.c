/* alert_parse.c - a score line read (alert.h's alert_parse): the JSON
 * object azw-score writes, read field by field into an alert_rec, without
 * copying; anything else is refused with a reason. */
#include "alert.h"
#include "util.h"
#include "zeeklog.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- reading a score line ------------------------------------------- */

typedef struct {
	const char *p, *end;
	const char *why;
} scan;

static void ws(scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\r' || *s->p == '\n'))
		s->p++;
}

static int fail(scan *s, const char *why)
{
	if (!s->why)
		s->why = why;
	return -1;
}

static int hexdig(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* A JSON string at s->p ('"'): its text between the quotes into *out. */
static int str(scan *s, alert_str *out)
{
	const char *q = ++s->p;

	for (;;) {
		const char *r = q;

		while (r < s->end && *r != '"' && *r != '\\' && (unsigned char)*r >= 0x20)
			r++;
		if (r >= s->end)
			return fail(s, "unterminated string");
		if (*r == '"') {
			out->s = s->p;
			out->len = (size_t)(r - s->p);
			s->p = r + 1;
			return 0;
		}
		if ((unsigned char)*r < 0x20)
			return fail(s, "control character in a string");
		/* a backslash */
		if (r + 1 >= s->end)
			return fail(s, "unterminated string");
		switch (r[1]) {
		case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
			q = r + 2;
			break;
		case 'u':
			if (r + 6 > s->end || !hexdig(r[2]) || !hexdig(r[3]) || !hexdig(r[4]) || !hexdig(r[5]))
				return fail(s, "bad \\u escape in a string");
			q = r + 6;
			break;
		default:
			return fail(s, "bad escape in a string");
		}
	}
}

/* A JSON number at s->p: its value into *v. */
static int num(scan *s, double *v)
{
	const char *q = s->p, *start = q;
	char *e;

	if (q < s->end && *q == '-')
		q++;
	if (q >= s->end || *q < '0' || *q > '9')
		return fail(s, "not a JSON value");
	if (*q == '0')
		q++;
	else
		while (q < s->end && *q >= '0' && *q <= '9')
			q++;
	if (q < s->end && *q == '.') {
		if (++q >= s->end || *q < '0' || *q > '9')
			return fail(s, "bad number");
		while (q < s->end && *q >= '0' && *q <= '9')
			q++;
	}
	if (q < s->end && (*q == 'e' || *q == 'E')) {
		q++;
		if (q < s->end && (*q == '+' || *q == '-'))
			q++;
		if (q >= s->end || *q < '0' || *q > '9')
			return fail(s, "bad number");
		while (q < s->end && *q >= '0' && *q <= '9')
			q++;
	}
	if (v) {
		*v = strtod_fast(start, &e);
		if (e != q)
			return fail(s, "bad number");
	}
	s->p = q;
	return 0;
}

static int word(scan *s, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(s->end - s->p) < n || memcmp(s->p, w, n) != 0)
		return fail(s, "not a JSON value");
	s->p += n;
	return 0;
}

/* After the opening bracket: 1 (consumed) if close comes at once. */
static int closes_at_once(scan *s, char close)
{
	ws(s);
	if (s->p < s->end && *s->p == close) {
		s->p++;
		return 1;
	}
	return 0;
}

/* An object member's key and its ':' into k: 0, or -1 ("bad object"). */
static int member_key(scan *s, alert_str *k)
{
	ws(s);
	if (s->p >= s->end || *s->p != '"')
		return fail(s, "bad object");
	if (str(s, k) < 0)
		return -1;
	ws(s);
	if (s->p >= s->end || *s->p != ':')
		return fail(s, "bad object");
	s->p++;
	return 0;
}

/* After a member or element: 1 on ',' (another follows), 0 on close
 * (consumed), else -1: why_end at the end of the line, else why. */
static int next_item(scan *s, char close, const char *why_end, const char *why)
{
	ws(s);
	if (s->p < s->end && *s->p == ',') {
		s->p++;
		return 1;
	}
	if (s->p < s->end && *s->p == close) {
		s->p++;
		return 0;
	}
	return fail(s, s->p >= s->end ? why_end : why);
}

/* Any JSON value, skipped; depth counts nesting. */
static int skip(scan *s, int depth)
{
	alert_str t;
	int more;

	if (depth > 32)
		return fail(s, "nested too deeply");
	ws(s);
	if (s->p >= s->end)
		return fail(s, "truncated line");
	switch (*s->p) {
	case '"':
		return str(s, &t);
	case 't':
		return word(s, "true");
	case 'f':
		return word(s, "false");
	case 'n':
		return word(s, "null");
	case '[':
		s->p++;
		if (closes_at_once(s, ']'))
			return 0;
		do {
			if (skip(s, depth + 1) < 0)
				return -1;
		} while ((more = next_item(s, ']', "bad array", "bad array")) == 1);
		return more;
	case '{':
		s->p++;
		if (closes_at_once(s, '}'))
			return 0;
		do {
			if (member_key(s, &t) < 0 || skip(s, depth + 1) < 0)
				return -1;
		} while ((more = next_item(s, '}', "bad object", "bad object")) == 1);
		return more;
	default:
		return num(s, NULL);
	}
}

static int key_is(const alert_str *k, const char *name, size_t n)
{
	return k->len == n && memcmp(k->s, name, n) == 0;
}

/* One entry of the explain array, after its '{': its "feature" name into
 * r, the other members skipped, through its '}'. */
static int explain_entry(scan *s, alert_rec *r)
{
	alert_str k, v;
	int more;

	do {
		if (member_key(s, &k) < 0)
			return -1;
		ws(s);
		if (key_is(&k, "feature", 7) && s->p < s->end && *s->p == '"') {
			if (str(s, &v) < 0)
				return -1;
			if (r->n_explain < ALERT_MAX_EXPLAIN)
				r->explain[r->n_explain++] = v;
		} else if (skip(s, 3) < 0) {
			return -1;
		}
	} while ((more = next_item(s, '}', "bad object", "bad object")) == 1);
	return more;
}

/* The explain array: each entry's "feature" name into r. */
static int explain(scan *s, alert_rec *r)
{
	int more;

	ws(s);
	if (s->p >= s->end || *s->p != '[')
		return skip(s, 1);
	s->p++;
	if (closes_at_once(s, ']'))
		return 0;
	do {
		ws(s);
		if (s->p < s->end && *s->p == '{') {
			s->p++;
			if (!closes_at_once(s, '}') && explain_entry(s, r) < 0)
				return -1;
		} else if (skip(s, 2) < 0) {
			return -1;
		}
	} while ((more = next_item(s, ']', "bad array", "bad array")) == 1);
	return more;
}

/* A number field; a JSON null reads as NAN (score.c writes null for a
 * number that is not finite). */
static int number_or_null(scan *s, double *v, const char *why)
{
	ws(s);
	if (s->p < s->end && *s->p == 'n') {
		*v = NAN;
		return word(s, "null");
	}
	if (s->p >= s->end || (*s->p != '-' && (*s->p < '0' || *s->p > '9')))
		return fail(s, why);
	return num(s, v);
}

/* One piece: one pass over the object's members, each key handled where
 * it is met, with the scanner's position and what has been seen (ts,
 * pvalue) shared by all of them; pieces would pass all of that along. */
int alert_parse(const char *line, size_t len, alert_rec *r, const char **why)
{
	scan s = { line, line + len, NULL };
	alert_str k, v;
	int has_ts = 0, has_p = 0;

	r->uid.s = r->orig_h.s = r->resp_h.s = r->module.s = NULL;
	r->uid.len = r->orig_h.len = r->resp_h.len = r->module.len = 0;
	r->score_text.s = NULL;
	r->score_text.len = 0;
	r->pvalue_context = r->pvalue_record = NAN;
	r->anomaly = r->notice = 0;
	r->n_explain = 0;
	ws(&s);
	if (s.p >= s.end || *s.p != '{') {
		*why = "not a JSON object";
		return -1;
	}
	s.p++;
	if (closes_at_once(&s, '}'))
		goto done;
	for (;;) {
		if (member_key(&s, &k) < 0)
			break;
		ws(&s);
		if (key_is(&k, "ts", 2)) {
			if (s.p < s.end && *s.p == '"') {
				/* an ISO 8601 time (a JSON-streaming log's) */
				char buf[32];

				if (str(&s, &v) < 0)
					break;
				if (v.len >= 64 || zl_iso8601_epoch(v.s, v.len, buf) == 0) {
					fail(&s, "ts is not a time");
					break;
				}
				r->ts = strtod(buf, NULL);
			} else if (number_or_null(&s, &r->ts, "ts is not a number") < 0) {
				break;
			}
			has_ts = 1;
		} else if (key_is(&k, "pvalue", 6)) {
			if (number_or_null(&s, &r->pvalue, "pvalue is not a number") < 0)
				break;
			has_p = 1;
		} else if (key_is(&k, "pvalue_context", 14)) {
			if (number_or_null(&s, &r->pvalue_context, "pvalue_context is not a number") < 0)
				break;
		} else if (key_is(&k, "pvalue_record", 13)) {
			if (number_or_null(&s, &r->pvalue_record, "pvalue_record is not a number") < 0)
				break;
		} else if (key_is(&k, "score", 5)) {
			/* checked now, converted only for the few lines that need it */
			const char *at = s.p;

			r->score_text.len = 0;
			if (s.p < s.end && *s.p == 'n') {
				if (word(&s, "null") < 0)
					break;
			} else if (s.p >= s.end || (*s.p != '-' && (*s.p < '0' || *s.p > '9'))) {
				fail(&s, "score is not a number");
				break;
			} else if (num(&s, NULL) < 0) {
				break;
			} else {
				r->score_text.s = at;
				r->score_text.len = (size_t)(s.p - at);
			}
		} else if (key_is(&k, "anomaly", 7)) {
			if (s.p < s.end && *s.p == 't') {
				if (word(&s, "true") < 0)
					break;
				r->anomaly = 1;
			} else if (s.p < s.end && *s.p == 'f') {
				if (word(&s, "false") < 0)
					break;
				r->anomaly = 0;
			} else {
				fail(&s, "anomaly is not true or false");
				break;
			}
		} else if (key_is(&k, "explain", 7)) {
			r->n_explain = 0;
			if (explain(&s, r) < 0)
				break;
		} else if (s.p < s.end && *s.p == '"' &&
		           (key_is(&k, "id.orig_h", 9) || key_is(&k, "id.resp_h", 9) ||
		            key_is(&k, "uid", 3) || key_is(&k, "module", 6))) {
			if (str(&s, &v) < 0)
				break;
			if (k.len == 9 && k.s[3] == 'o')
				r->orig_h = v;
			else if (k.len == 9)
				r->resp_h = v;
			else if (k.len == 3)
				r->uid = v;
			else
				r->module = v;
		} else if (key_is(&k, "id.orig_h", 9)) {
			fail(&s, "id.orig_h is not a string");
			break;
		} else if (skip(&s, 1) < 0) {
			break;
		}
		if (next_item(&s, '}', "truncated line", "bad object") != 1)
			break;
	}
	if (s.why) {
		*why = s.why;
		return -1;
	}
done:
	ws(&s);
	if (s.p != s.end)
		*why = "text after the JSON object";
	else if (!has_ts)
		*why = "no ts";
	else if (!r->orig_h.s && !r->module.s)
		*why = "no id.orig_h";
	else if (!has_p)
		*why = "no pvalue (score with a calibrated model)";
	else if (!isfinite(r->ts))
		*why = "ts is not a finite number";
	else if (!(r->pvalue >= 0 && r->pvalue <= 1))
		*why = "pvalue is not in [0, 1]";
	else if (!r->orig_h.s)
		return 1; /* azw-score's line of a record Zeek tied to no host */
	else if (r->orig_h.len == 0 || r->orig_h.len > ALERT_MAX_ADDR)
		*why = "id.orig_h is empty or too long for an address";
	else if (r->resp_h.len > ALERT_MAX_ADDR)
		*why = "id.resp_h is too long for an address";
	else {
		if (!(r->pvalue_context >= 0 && r->pvalue_context <= 1))
			r->pvalue_context = NAN;
		if (!(r->pvalue_record >= 0 && r->pvalue_record <= 1))
			r->pvalue_record = NAN;
		r->notice = r->module.len == 6 && strncasecmp(r->module.s, "notice", 6) == 0;
		return 0;
	}
	return -1;
}

double alert_score(const alert_rec *r)
{
	char buf[64], *end;
	double v;

	if (r->score_text.len == 0 || r->score_text.len >= sizeof buf)
		return r->score_text.len ? strtod(r->score_text.s, NULL) : NAN;
	memcpy(buf, r->score_text.s, r->score_text.len);
	buf[r->score_text.len] = '\0';
	v = strtod_fast(buf, &end);
	return v;
}
