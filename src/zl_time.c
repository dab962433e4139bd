/* zl_time.c - time stamps (zl_private.h): ISO 8601 date-times and numbers
 * to epoch seconds with 6 decimals, as text, with integer arithmetic only;
 * the record's ts from its raw value, whatever the format. */
#include "zl_private.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Microseconds since the epoch as "S.UUUUUU" (at most 22 bytes with the
 * NUL); returns the length. By hand: snprintf cost as much as the rest of
 * the ts handling together, and every JSON record has a ts. */
static size_t fmt_micros(char *buf, int64_t us)
{
	uint64_t u = us < 0 ? (uint64_t)0 - (uint64_t)us : (uint64_t)us;
	uint64_t sec = u / 1000000;
	uint32_t frac = (uint32_t)(u % 1000000);
	char tmp[20], *p = tmp + sizeof tmp;
	size_t k = 0, nd;
	int i;

	do {
		*--p = (char)('0' + sec % 10);
		sec /= 10;
	} while (sec);
	if (us < 0)
		buf[k++] = '-';
	nd = (size_t)(tmp + sizeof tmp - p);
	memcpy(buf + k, p, nd);
	k += nd;
	buf[k++] = '.';
	for (i = 5; i >= 0; i--) {
		buf[k + (size_t)i] = (char)('0' + frac % 10);
		frac /= 10;
	}
	k += 6;
	buf[k] = '\0';
	return k;
}

/* Digits s[0..k) as a number (k <= 9), or -1 if any is not a digit. */
static long digits(const char *s, int k)
{
	long v = 0;
	int i;

	for (i = 0; i < k; i++) {
		if (!digit(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Days from 1970-01-01 to y-m-d, proleptic Gregorian (H. Hinnant's
 * days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int month_days(long y, long m)
{
	static const int md[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return md[m - 1];
}

/* Fractional seconds at s[*i] ('.' or ',' then digits) to microseconds,
 * rounded half up on the seventh digit. */
static long frac_micros(const char *s, size_t n, size_t *i)
{
	long us = 0;
	int k = 0;

	if (*i >= n || (s[*i] != '.' && s[*i] != ','))
		return 0;
	if (++*i >= n || !digit(s[*i]))
		return -1;
	for (; *i < n && digit(s[*i]); ++*i, k++) {
		if (k < 6)
			us = us * 10 + (s[*i] - '0');
		else if (k == 6 && s[*i] >= '5')
			us++;
	}
	for (; k < 6; k++)
		us *= 10;
	return us;
}

/* Zone at s[*i]: end (UTC), Z, +HH:MM, +HHMM, +HH; offset in seconds. */
static int zone(const char *s, size_t n, size_t i, long *off)
{
	long h, m = 0;
	int sign;

	*off = 0;
	if (i == n)
		return 0;
	if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == n)
		return 0;
	if (s[i] != '+' && s[i] != '-')
		return -1;
	sign = s[i] == '-' ? -1 : 1;
	i++;
	if (n - i < 2 || (h = digits(s + i, 2)) < 0 || h > 23)
		return -1;
	i += 2;
	if (i < n && s[i] == ':')
		i++;
	if (i < n) {
		if (n - i != 2 || (m = digits(s + i, 2)) < 0 || m > 59)
			return -1;
	} else if (s[i - 1] == ':') {
		return -1;
	}
	*off = sign * (h * 3600 + m * 60);
	return 0;
}

size_t zl_iso8601_epoch(const char *s, size_t n, char *buf)
{
	long y, mo, d, h, mi, sec, us, off;
	size_t i = 19;
	int64_t t;

	if (n < 19 || s[4] != '-' || s[7] != '-' || s[13] != ':' || s[16] != ':' ||
	    (s[10] != 'T' && s[10] != 't' && s[10] != ' '))
		return 0;
	y = digits(s, 4);
	mo = digits(s + 5, 2);
	d = digits(s + 8, 2);
	h = digits(s + 11, 2);
	mi = digits(s + 14, 2);
	sec = digits(s + 17, 2);
	if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo) ||
	    h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60)
		return 0;
	if ((us = frac_micros(s, n, &i)) < 0 || zone(s, n, i, &off) < 0)
		return 0;
	t = days_from_civil(y, (int)mo, (int)d) * 86400 + h * 3600 + mi * 60 + sec - off;
	return fmt_micros(buf, t * 1000000 + us);
}

/* Digits, '.', six digits, at most 12 digits before the '.' and no
 * leading zero: what Zeek writes a time as, and already what ts_number()
 * would make of it. */
static int plain_micros(const char *s, size_t n)
{
	size_t i;

	if (n < 8 || n > 19 || s[n - 7] != '.' || (s[0] == '0' && n > 8))
		return 0;
	for (i = 0; i < n; i++)
		if (!digit(s[i]) && i != n - 7)
			return 0;
	return 1;
}

/* A number's text as epoch seconds with 6 decimals (Zeek TSV's "%.6f"),
 * exactly: digits are rounded as text, half up on the seventh decimal.
 * Returns the length, or 0 if s is not a JSON number. */
static size_t ts_number(const char *s, size_t n, char *buf)
{
	const char *dot, *p = s;
	int neg = 0, exp;
	int64_t sec = 0, us = 0;
	size_t k;

	if (plain_micros(s, n)) {
		memcpy(buf, s, n);
		buf[n] = '\0';
		return n;
	}
	if (!number_shape(s, n, &dot, &exp))
		return 0;
	if (exp || n > 24) {
		char tmp[32];
		memcpy(tmp, s, n < 31 ? n : 31);
		tmp[n < 31 ? n : 31] = '\0';
		int k = snprintf(buf, 32, "%.6f", strtod(tmp, NULL));
		/* 1e25 s and up is no time or interval: not cut to 31 bytes */
		return k > 0 && k < 32 ? (size_t)k : 0;
	}
	if (*p == '-') {
		neg = 1;
		p++;
	}
	for (; p < s + n && p != dot; p++) {
		if (sec > (INT64_MAX / 1000000 - 1 - (*p - '0')) / 10)
			return 0; /* past any time: the caller keeps the text */
		sec = sec * 10 + (*p - '0');
	}
	if (dot) {
		size_t i = (size_t)(dot - s);
		us = frac_micros(s, n, &i);
	}
	k = fmt_micros(buf, (sec * 1000000 + us) * (neg ? -1 : 1));
	return k;
}

size_t zl_round6(const char *s, size_t n, char *buf)
{
	return ts_number(s, n, buf);
}

/* The record's ts from its raw value: numbers and ISO 8601 strings to
 * epoch seconds with 6 decimals; anything else is left as it is. */
void zl_ts_set(zl_rec *r, zl_value v)
{
	size_t k = 0;

	r->ts = v;
	if (v.type == ZL_NUMBER || (v.type == ZL_STRING && v.s)) {
		k = ts_number(v.s, v.len, r->tsbuf);
		if (k == 0 && v.type == ZL_STRING)
			k = zl_iso8601_epoch(v.s, v.len, r->tsbuf);
	}
	if (k > 0) {
		r->ts.type = ZL_NUMBER;
		r->ts.s = r->tsbuf;
		r->ts.len = k;
	}
}
