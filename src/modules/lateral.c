/* lateral.c - what the schemas of the logs of lateral movement and mail
 * share (lateral.h). */
#include "modules/lateral.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "modules/fields.h"

int lat_ends(const ext_index *ix, zl_rec *rec, int dir_src, double *ipv6, int *port, double *x,
             char *why)
{
	fld_addr orig, resp;
	const char *d;

	if (fld_address(rec, "id.orig_h", &orig, why) < 0 ||
	    fld_address(rec, "id.resp_h", &resp, why) < 0 ||
	    fld_port(rec, "id.resp_p", port, why) < 0)
		return -1;
	*ipv6 = orig.v6 || resp.v6;
	d = ext_direction(&orig, &resp);
	ext_set(ix, x, dir_src, d, strlen(d));
	return 0;
}

static char fold(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

void lat_set_fold(const ext_index *ix, double *x, int src, const char *s, size_t len)
{
	char low[128];
	size_t i;

	if (len >= sizeof low) {
		ext_set(ix, x, src, EXT_OTHER, 1);
		return;
	}
	for (i = 0; i < len; i++)
		low[i] = fold(s[i]);
	ext_set(ix, x, src, low, len);
}

int lat_category_fold(const ext_index *ix, zl_rec *rec, const char *field, int src, double *x,
                      char *why)
{
	const char *s;
	size_t len;

	if (ext_word(rec, field, &s, &len, why) < 0)
		return -1;
	if (!s)
		ext_set(ix, x, src, "-", 1);
	else
		lat_set_fold(ix, x, src, s, len);
	return 0;
}

int lat_prefix_fold(const char *s, size_t len, const char *prefix)
{
	size_t i, n = strlen(prefix);

	if (len < n)
		return 0;
	for (i = 0; i < n; i++)
		if (fold(s[i]) != fold(prefix[i]))
			return 0;
	return 1;
}

int lat_same_fold(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i;

	if (alen != blen)
		return 0;
	for (i = 0; i < alen; i++)
		if (fold(a[i]) != fold(b[i]))
			return 0;
	return 1;
}

static int is_slash(char c)
{
	return c == '\\' || c == '/';
}

void lat_path_tail(const char *s, size_t len, const char **tail, size_t *tlen)
{
	size_t i = len;

	while (i > 0 && !is_slash(s[i - 1]))
		i--;
	*tail = s + i;
	*tlen = len - i;
}

/* The next non-empty component of s from *i: 1 with *c, *clen, or 0. */
static int component(const char *s, size_t len, size_t *i, const char **c, size_t *clen)
{
	size_t j;

	while (*i < len && is_slash(s[*i]))
		(*i)++;
	if (*i >= len)
		return 0;
	for (j = *i; j < len && !is_slash(s[j]); j++)
		;
	*c = s + *i;
	*clen = j - *i;
	*i = j;
	return 1;
}

int lat_components(const char *s, size_t len)
{
	const char *c;
	size_t i = 0, clen;
	int n = 0;

	while (component(s, len, &i, &c, &clen))
		n++;
	return n;
}

void lat_unc_parse(const char *s, size_t len, lat_unc *u)
{
	const char *c;
	size_t i = 0, clen;

	u->host = u->share = "";
	u->host_len = u->share_len = 0;
	u->depth = 0;
	if (len >= 2 && is_slash(s[0]) && is_slash(s[1]) && component(s, len, &i, &c, &clen)) {
		u->host = c;
		u->host_len = clen;
	}
	if (component(s, len, &i, &c, &clen)) {
		u->share = c;
		u->share_len = clen;
	}
	while (component(s, len, &i, &c, &clen))
		u->depth++;
}

void lat_extension(const char *s, size_t len, const char **ext, size_t *elen)
{
	const char *t;
	size_t tlen, i;

	lat_path_tail(s, len, &t, &tlen);
	for (i = tlen; i > 0 && t[i - 1] != '.'; i--)
		;
	if (i <= 1) { /* no dot, or a leading one (".profile") */
		*ext = t + tlen;
		*elen = 0;
		return;
	}
	*ext = t + i;
	*elen = tlen - i;
}

void lat_mail_domain(const char *s, size_t len, const char **dom, size_t *dlen)
{
	size_t i = len, j;

	while (i > 0 && s[i - 1] != '@')
		i--;
	if (i == 0) {
		*dom = s + len;
		*dlen = 0;
		return;
	}
	for (j = i; j < len && s[j] != '>' && s[j] != ' ' && s[j] != '\t'; j++)
		;
	*dom = s + i;
	*dlen = j - i;
}

int lat_time(zl_rec *rec, const char *field, double *out, int *present, char *why)
{
	zl_value v = zl_get_static(rec, field);
	char buf[40];
	size_t n;

	*out = 0;
	*present = 0;
	if (v.type == ZL_ABSENT || v.type == ZL_NULL)
		return 0;
	if (v.type != ZL_NUMBER && !(v.type == ZL_STRING && v.s && fld_decimal_text(v.s)))
		return fld_bad(why, field, "not a time", &v);
	n = zl_round6(v.s, v.len, buf);
	*out = n ? strtod(buf, NULL) : strtod(v.s, NULL);
	if (!isfinite(*out))
		return fld_bad(why, field, "not a time", &v);
	*present = 1;
	return 0;
}

double lat_slog1p(double d)
{
	return d < 0 ? -log1p(-d) : log1p(d);
}
