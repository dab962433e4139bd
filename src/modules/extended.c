/* extended.c - machinery of the "extended" schemas: the (source, value) ->
 * column index of a feature table, number decoders on a log scale,
 * addresses and the local networks. See extended.h. */
#include "modules/extended.h"
#include "modules/fields.h"
#include "util.h"

#include <arpa/inet.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the feature table ---- */

static unsigned hash(int src, const char *s, size_t len)
{
	uint32_t h = 2166136261u ^ (uint32_t)src;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return (unsigned)(h ^ h >> 15);
}

/* memcmp() == 0 for the few bytes of a vocabulary word, without the call
 * (a dozen words a record) */
static int same_word(const char *a, const char *b, size_t len)
{
	for (size_t k = 0; k < len; k++)
		if (a[k] != b[k])
			return 0;
	return 1;
}

static int find_slot(const ext_index *ix, int src, const char *s, size_t len)
{
	unsigned i = hash(src, s, len) & (EXT_HASH - 1), probe;

	for (probe = 0; probe < EXT_HASH; probe++, i = (i + 1) & (EXT_HASH - 1)) {
		if (!ix->slot_col[i])
			return -(int)i - 1; /* free: where it would go */
		if (ix->slot_src[i] == src && ix->slot_len[i] == len &&
		    same_word(ix->slot_word[i], s, len))
			return (int)i;
	}
	return -EXT_HASH - 1; /* full */
}

int ext_index_init(ext_index *ix, const azw_feature *cols, int n)
{
	int c, i;

	if (n > EXT_MAX_COLS)
		return -1;
	memset(ix, 0, sizeof *ix);
	for (i = 0; i < EXT_MAX_SRC; i++)
		ix->other[i] = -1;
	for (c = 0; c < n; c++) {
		const char *w = cols[c].word, *end;
		int src = cols[c].src;

		if (src < 0 || src >= EXT_MAX_SRC)
			return -1;
		if (!w) {
			ix->num_col[ix->n_num] = (short)c;
			ix->num_src[ix->n_num++] = (short)src;
			continue;
		}
		if (strcmp(w, EXT_OTHER) == 0) {
			if (ix->other[src] >= 0)
				return -1;
			ix->other[src] = (short)c;
			continue;
		}
		for (; ; w = end + 1) {
			size_t len;
			int s;

			end = strchr(w, '|');
			len = end ? (size_t)(end - w) : strlen(w);
			if (len == 0 || len > 255)
				return -1;
			s = find_slot(ix, src, w, len);
			if (s >= 0 || s == -EXT_HASH - 1)
				return -1; /* a duplicate, or full */
			s = -s - 1;
			ix->slot_col[s] = (short)(c + 1);
			ix->slot_src[s] = (unsigned char)src;
			ix->slot_word[s] = w;
			ix->slot_len[s] = (unsigned char)len;
			if (!end)
				break;
		}
	}
	ix->cols = cols;
	ix->n = n;
	return 0;
}

void ext_numbers(const ext_index *ix, const double *num, double *x)
{
	int i;

	for (i = 0; i < ix->n_num; i++)
		x[ix->num_col[i]] = round6(num[ix->num_src[i]]);
}

int ext_num_col(const ext_index *ix, int src)
{
	int i;

	for (i = 0; i < ix->n_num; i++)
		if (ix->num_src[i] == src)
			return ix->num_col[i];
	abort(); /* no such column: a programming error */
}

int ext_lookup(const ext_index *ix, int src, const char *s, size_t len)
{
	int i = len <= 255 ? find_slot(ix, src, s, len) : -1;

	return i >= 0 ? ix->slot_col[i] - 1 : ix->other[src];
}

int ext_find(const ext_index *ix, int src, const char *s, size_t len)
{
	int i = len <= 255 ? find_slot(ix, src, s, len) : -1;

	return i >= 0 ? ix->slot_col[i] - 1 : -1;
}

int ext_word_col(const ext_index *ix, int src, const char *word)
{
	int c = ext_find(ix, src, word, strlen(word));

	if (c < 0)
		abort(); /* no such column: a programming error */
	return c;
}

void ext_set(const ext_index *ix, double *x, int src, const char *s, size_t len)
{
	int c = ext_lookup(ix, src, s, len);

	if (c >= 0)
		x[c] = 1;
}

/* Separators of a multi-valued field: Zeek's set separator, and what the
 * raw text of a JSON array adds around its strings. */
static int is_sep(char c)
{
	return c == ',' || c == '[' || c == ']' || c == '"' || c == ' ' || c == '\t';
}

int ext_set_multi(const ext_index *ix, double *x, int src, const char *s, size_t len)
{
	size_t i = 0, j;
	int n = 0;

	while (i < len) {
		while (i < len && is_sep(s[i]))
			i++;
		for (j = i; j < len && !is_sep(s[j]); j++)
			;
		if (j > i) {
			ext_set(ix, x, src, s + i, j - i);
			n++;
		}
		i = j;
	}
	return n;
}

void ext_count_letters(const ext_index *ix, double *x, int src, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		int c = ext_lookup(ix, src, s + i, 1);

		if (c >= 0)
			x[c] += 1;
	}
}

/* ---- field decoders ---- */

int ext_log1p(zl_rec *rec, const char *field, double *out, char *why)
{
	if (fld_number(rec, field, 0, out, why) < 0)
		return -1;
	*out = log1p_count(*out);
	return 0;
}

/* ---- lists ---- */

int ext_list_get(zl_rec *rec, const char *field, ext_list *l, char *why)
{
	zl_value v = zl_get_static(rec, field);

	memset(l, 0, sizeof *l);
	switch (v.type) {
	case ZL_ABSENT:
	case ZL_NULL:
		return 0;
	case ZL_ARRAY:
		l->s = v.s;
		l->len = v.s ? v.len : 0;
		l->n = v.n;
		l->json = l->len > 0 && v.s[0] == '[' && zl_rec_format(rec) == ZL_FMT_JSON;
		if (l->n == 0)
			l->len = 0;
		return 0;
	case ZL_STRING:
		if (!v.s)
			return fld_bad(why, field, "string holds \\u0000", NULL);
		l->s = v.s;
		l->len = v.len;
		if (v.len > 0) {
			size_t i;

			for (l->n = 1, i = 0; i < v.len; i++)
				l->n += v.s[i] == ',';
		}
		return 0;
	default:
		return fld_wrong_type(why, field, "a list", v.type);
	}
}

static int json_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int ext_list_next(ext_list *l, const char **e, size_t *len)
{
	const char *s = l->s;
	size_t i = l->pos, j;

	if (i >= l->len)
		return 0;
	if (!l->json) { /* TSV: a,b,c */
		for (j = i; j < l->len && s[j] != ','; j++)
			;
		*e = s + i;
		*len = j - i;
		l->pos = j + 1; /* past the separator; past the end after the last */
		return 1;
	}
	/* JSON: [ elem , elem ] */
	while (i < l->len && (json_blank(s[i]) || s[i] == '[' || s[i] == ','))
		i++;
	if (i >= l->len || s[i] == ']') {
		l->pos = l->len;
		return 0;
	}
	if (s[i] == '"') {
		for (j = ++i; j < l->len && s[j] != '"'; j++)
			if (s[j] == '\\' && j + 1 < l->len)
				j++;
		*e = s + i;
		*len = j - i;
		l->pos = j + 1;
		return 1;
	}
	for (j = i; j < l->len && s[j] != ',' && s[j] != ']' && !json_blank(s[j]); j++)
		;
	*e = s + i;
	*len = j - i;
	l->pos = j;
	return 1;
}

int ext_list_minmax6(zl_rec *rec, const char *field, double *min, double *max, char *why)
{
	ext_list l;
	const char *e;
	size_t len;
	int first = 1;

	*min = *max = 0;
	if (ext_list_get(rec, field, &l, why) < 0)
		return -1;
	while (ext_list_next(&l, &e, &len)) {
		char buf[32];
		double d;

		if (zl_round6(e, len, buf) == 0 || parse_double(buf, &d) < 0 || !isfinite(d) || d < 0) {
			snprintf(why, AZW_REASON_MAX, "%s: not a list of non-negative numbers: \"%.*s\"",
			         field, (int)(len > 40 ? 40 : len), e);
			return -1;
		}
		d += 0.0;
		if (first || d < *min)
			*min = d;
		if (first || d > *max)
			*max = d;
		first = 0;
	}
	return 0;
}

/* ---- text ---- */

static unsigned char fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* Entropy from byte counts: -sum p log2 p, summed in byte order (so the
 * same string always gives the same double). seen: a bit per byte value
 * that occurs, so that only those are visited (in the same order): the
 * walk over all 256 was a tenth of an http record. */
static double entropy_of(const unsigned *count, const uint64_t seen[4], size_t len)
{
	double h = 0, n = (double)len;

	if (len == 0)
		return 0;
	for (int w = 0; w < 4; w++)
		for (uint64_t b = seen[w]; b; b &= b - 1) {
			double p = count[w * 64 + __builtin_ctzll(b)] / n;

			h -= p * log2(p);
		}
	return h + 0.0;
}

double ext_entropy(const char *s, size_t len)
{
	unsigned count[256] = { 0 };
	uint64_t seen[4] = { 0 };
	size_t i = 0, n = 0;

	while (i < len) {
		unsigned c = fold(ext_xbyte(s, len, &i));

		seen[c >> 6] |= 1ULL << (c & 63);
		count[c]++;
		n++;
	}
	return entropy_of(count, seen, n);
}

size_t ext_text_len(const char *s, size_t len)
{
	size_t i = 0, n = 0;

	while (i < len) {
		ext_xbyte(s, len, &i);
		n++;
	}
	return n;
}

void ext_name_stats(const char *s, size_t len, ext_name *out)
{
	unsigned count[256] = { 0 };
	uint64_t seen[4] = { 0 };
	size_t i = 0, n = 0;
	int label = 0;

	memset(out, 0, sizeof *out);
	while (i < len) {
		unsigned char c = ext_xbyte(s, len, &i);
		unsigned f = fold(c);

		n++;
		seen[f >> 6] |= 1ULL << (f & 63);
		count[f]++;
		if (c == '.') {
			if (label > 0)
				out->labels++;
			label = 0;
			continue;
		}
		label++;
		if (label > out->max_label)
			out->max_label = label;
		out->digits += c >= '0' && c <= '9';
	}
	if (label > 0)
		out->labels++;
	out->len = (int)n; /* a line is at most ZL_MAX_LINE */
	out->entropy = entropy_of(count, seen, n);
}

int ext_is_ip_text(const char *s, size_t len)
{
	char buf[64];
	unsigned char b[16];
	const char *colon;

	if (len == 0 || len >= sizeof buf)
		return 0;
	if (s[0] == '[') { /* [v6] or [v6]:port */
		const char *end = memchr(s, ']', len);

		if (!end)
			return 0;
		len = (size_t)(end - s - 1);
		s++;
	}
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (inet_pton(AF_INET6, buf, b) == 1)
		return 1;
	colon = memchr(buf, ':', len);
	if (colon && !memchr(colon + 1, ':', len - (size_t)(colon - buf) - 1))
		buf[colon - buf] = '\0'; /* a.b.c.d:port */
	return inet_pton(AF_INET, buf, b) == 1;
}

int ext_text(zl_rec *rec, const char *field, const char **out, size_t *len, char *why)
{
	zl_value v = zl_get_static(rec, field);

	if (v.type == ZL_STRING && !v.s) {
		*out = "";
		*len = 0;
		return 1;
	}
	return fld_string(rec, field, out, len, why);
}

int ext_word(zl_rec *rec, const char *field, const char **out, size_t *len, char *why)
{
	zl_value v = zl_get_static(rec, field);

	if (v.type == ZL_NUMBER) {
		*out = v.s;
		*len = v.len;
		return 0;
	}
	return ext_text(rec, field, out, len, why) < 0 ? -1 : 0;
}

int ext_category(const ext_index *ix, zl_rec *rec, const char *field, int src,
                 const char *dflt, double *x, char *why)
{
	const char *s = NULL;
	size_t len = 0;

	if (ext_word(rec, field, &s, &len, why) < 0)
		return -1;
	if (s)
		ext_set(ix, x, src, s, len);
	else if (dflt)
		ext_set(ix, x, src, dflt, strlen(dflt));
	return 0;
}

double ext_log_ratio(double a, double b)
{
	return log1p_count(a) - log1p_count(b);
}

/* ---- addresses ---- */

static const unsigned char v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

int ext_obs_ends(zl_rec *rec, ctx_obs *o, char *why)
{
	fld_addr orig, resp;

	if (fld_address(rec, "id.orig_h", &orig, why) < 0 ||
	    fld_address(rec, "id.resp_h", &resp, why) < 0)
		return -1;
	ctx_obs_ts(rec, o);
	memcpy(o->orig, orig.b, 16);
	memcpy(o->resp, resp.b, 16);
	return 0;
}

/* ---- local networks ---- */

typedef struct {
	unsigned char b[16]; /* host bits cleared */
	int bits;            /* of the 128 (IPv4: 96 + its prefix length) */
} net;

const ext_net ext_local_nets_default[] = {
	{ "10.0.0.0/8",     "private (RFC 1918)" },
	{ "172.16.0.0/12",  "private (RFC 1918)" },
	{ "192.168.0.0/16", "private (RFC 1918)" },
	{ "100.64.0.0/10",  "shared address space (RFC 6598)" },
	{ "127.0.0.0/8",    "loopback" },
	{ "169.254.0.0/16", "link-local" },
	{ "::1/128",        "IPv6 loopback" },
	{ "fe80::/10",      "IPv6 link-local" },
	{ "fc00::/7",       "IPv6 unique local" },
	{ NULL, NULL },
};

static net nets[EXT_MAX_NETS];
static int n_nets = -1; /* -1: not set yet, the default applies */

static int in_net(const unsigned char *b, const net *n)
{
	int full = n->bits / 8, rest = n->bits % 8;

	if (memcmp(b, n->b, (size_t)full) != 0)
		return 0;
	return rest == 0 || ((b[full] ^ n->b[full]) & (0xff00 >> rest) & 0xff) == 0;
}

/* One item "ADDR[/BITS]" of length len into *n. */
static int parse_net(const char *s, size_t len, net *n, char *why)
{
	char buf[64];
	const char *slash;
	size_t alen;
	int max, bits, i;

	slash = memchr(s, '/', len);
	alen = slash ? (size_t)(slash - s) : len;
	if (alen == 0 || alen >= sizeof buf)
		goto bad;
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	if (strchr(buf, ':')) {
		if (inet_pton(AF_INET6, buf, n->b) != 1)
			goto bad;
		max = 128;
	} else {
		unsigned char v4[4];

		if (inet_pton(AF_INET, buf, v4) != 1)
			goto bad;
		memcpy(n->b, v4mapped, 12);
		memcpy(n->b + 12, v4, 4);
		max = 32;
	}
	bits = max;
	if (slash) {
		const char *p = slash + 1, *end = s + len;

		if (p == end || end - p > 3)
			goto bad;
		for (bits = 0; p < end; p++) {
			if (*p < '0' || *p > '9')
				goto bad;
			bits = bits * 10 + (*p - '0');
		}
		if (bits > max)
			goto bad;
	}
	n->bits = bits + (128 - max);
	for (i = n->bits; i < 128; i++) /* clear host bits */
		n->b[i / 8] &= (unsigned char)~(0x80 >> (i % 8));
	return 0;
bad:
	snprintf(why, AZW_REASON_MAX, "not a network (CIDR): \"%.*s\"",
	         (int)(len > 60 ? 60 : len), s);
	return -1;
}

/* Parse spec into list[*n] (appending). */
static int parse_spec(const char *spec, net *list, int *n, int *saw_none, char *why)
{
	const char *p = spec;

	for (;;) {
		const char *end = strchr(p, ','), *a, *b;
		size_t len;

		if (!end)
			end = p + strlen(p);
		for (a = p; a < end && (*a == ' ' || *a == '\t'); a++)
			;
		for (b = end; b > a && (b[-1] == ' ' || b[-1] == '\t'); b--)
			;
		len = (size_t)(b - a);
		if (len == 0) {
			snprintf(why, AZW_REASON_MAX, "empty item in the network list");
			return -1;
		}
		if (len == 7 && strncmp(a, "default", 7) == 0) {
			const ext_net *d;

			for (d = ext_local_nets_default; d->cidr; d++)
				if (parse_spec(d->cidr, list, n, saw_none, why) < 0)
					return -1;
		} else if (len == 4 && strncmp(a, "none", 4) == 0) {
			*saw_none = 1;
		} else {
			if (*n >= EXT_MAX_NETS) {
				snprintf(why, AZW_REASON_MAX, "more than %d networks", EXT_MAX_NETS);
				return -1;
			}
			if (parse_net(a, len, &list[*n], why) < 0)
				return -1;
			++*n;
		}
		if (!*end)
			return 0;
		p = end + 1;
	}
}

int ext_local_nets_set(const char *spec, char *why)
{
	net list[EXT_MAX_NETS];
	int n = 0, saw_none = 0;

	if (parse_spec(spec, list, &n, &saw_none, why) < 0)
		return -1;
	if (saw_none && n > 0) {
		snprintf(why, AZW_REASON_MAX, "'none' cannot be combined with networks");
		return -1;
	}
	memcpy(nets, list, (size_t)n * sizeof *list);
	n_nets = n;
	return 0;
}

int ext_is_local(const fld_addr *a)
{
	int i;

	if (n_nets < 0) {
		char why[AZW_REASON_MAX];

		if (ext_local_nets_set("default", why) < 0)
			abort(); /* the default is well-formed */
	}
	for (i = 0; i < n_nets; i++)
		if (in_net(a->b, &nets[i]))
			return 1;
	return 0;
}

const char *ext_direction(const fld_addr *orig, const fld_addr *resp)
{
	int lo = ext_is_local(orig), lr = ext_is_local(resp);

	return lo && lr ? "internal" : lo ? "outgoing" : lr ? "incoming" : "external";
}

int ext_is_multicast(const fld_addr *a)
{
	if (a->v6)
		return a->b[0] == 0xff;
	return memcmp(a->b, v4mapped, 12) == 0 && (a->b[12] & 0xf0) == 0xe0;
}

int ext_is_broadcast(const fld_addr *a)
{
	return !a->v6 && memcmp(a->b, v4mapped, 12) == 0 && a->b[15] == 255;
}

uint32_t ext_name_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i = 0;

	while (i < len) {
		unsigned char c = ext_xbyte(s, len, &i);

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		h = (h ^ c) * 16777619u;
	}
	return h;
}
