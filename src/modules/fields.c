/* fields.c - the field decoders, one per Zeek type, shared by every
 * schema: one Zeek field of a record, by name, into a number, a string or
 * an address, or a one-line reason why not; FLD_PY gives the original
 * schema's quirks. Also the original schema's table machinery. */
#include "modules/fields.h"
#include "util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* The reason for a bad field, with (the start of) its value, control
 * characters shown as '?' so that the message stays on one line. */
int fld_bad(char *why, const char *field, const char *what, const zl_value *v)
{
	char show[44];
	size_t i;

	if (!v || (v->type != ZL_STRING && v->type != ZL_NUMBER) || !v->s) {
		snprintf(why, AZW_REASON_MAX, "%s: %s", field, what);
		return -1;
	}
	for (i = 0; i < v->len && i < 40; i++)
		show[i] = (unsigned char)v->s[i] < 32 || v->s[i] == 127 ? '?' : v->s[i];
	show[i] = '\0';
	if (v->type == ZL_STRING)
		snprintf(why, AZW_REASON_MAX, "%s: %s: \"%s%s\"", field, what, show,
		         v->len > 40 ? "..." : "");
	else
		snprintf(why, AZW_REASON_MAX, "%s: %s: %s%s", field, what, show,
		         v->len > 40 ? "..." : "");
	return -1;
}

static const char *type_name(zl_type t)
{
	switch (t) {
	case ZL_ABSENT: return "missing";
	case ZL_NULL:   return "null";
	case ZL_BOOL:   return "a boolean";
	case ZL_NUMBER: return "a number";
	case ZL_STRING: return "a string";
	case ZL_ARRAY:  return "an array";
	default:        return "an object";
	}
}

int fld_wrong_type(char *why, const char *field, const char *want, zl_type got)
{
	snprintf(why, AZW_REASON_MAX, "%s: expected %s, not %s", field, want, type_name(got));
	return -1;
}

int fld_string(zl_rec *rec, const char *field, const char **out, size_t *len, char *why)
{
	zl_value v = zl_get_static(rec, field);

	switch (v.type) {
	case ZL_ABSENT:
	case ZL_NULL:
		*out = NULL;
		*len = 0;
		return 0;
	case ZL_STRING:
		if (!v.s)
			return fld_bad(why, field, "string holds \\u0000", NULL);
		*out = v.s;
		*len = v.len;
		return 0;
	default:
		return fld_wrong_type(why, field, "a string", v.type);
	}
}

int fld_bool(zl_rec *rec, const char *field, int flags, int *out, char *why)
{
	zl_value v = zl_get_static(rec, field);

	switch (v.type) {
	case ZL_ABSENT:
	case ZL_NULL:
		*out = -1;
		return 0;
	case ZL_BOOL:
		*out = v.b != 0;
		return 0;
	case ZL_STRING:
		if (v.s && v.len == 1 && (v.s[0] == 'T' || v.s[0] == 'F')) {
			*out = v.s[0] == 'T';
			return 0;
		}
		return fld_bad(why, field, "not a boolean", &v);
	case ZL_NUMBER:
		if (flags & FLD_PY) { /* Python's int(): 1.0, 0e0 and -0 too */
			double d = strtod_fast(v.s, NULL);

			if (d == 0 || d == 1) {
				*out = d == 1;
				return 0;
			}
		} else if (v.s && (strcmp(v.s, "0") == 0 || strcmp(v.s, "1") == 0)) {
			*out = v.s[0] == '1';
			return 0;
		}
		return fld_bad(why, field, "not a boolean", &v);
	default:
		return fld_wrong_type(why, field, "a boolean", v.type);
	}
}

static int all_digits(const char *s)
{
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

int fld_decimal_text(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!strchr("0123456789+-.eE", *s))
			return 0;
	return 1;
}

/* A short run of digits (what counts and ports mostly are) without strtod:
 * 0 and *out set, or -1 for anything else. Exact below 2^53. */
static int small_uint(const char *s, size_t len, double *out)
{
	uint64_t u = 0;
	size_t i;

	if (len == 0 || len > 15)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		u = u * 10 + (uint64_t)(s[i] - '0');
	}
	*out = (double)u;
	return 0;
}

int fld_number(zl_rec *rec, const char *field, int flags, double *out, char *why)
{
	zl_value v = zl_get_static(rec, field);
	double d;
	float f;

	/* the common case, exact in a double and in one float32 rounding */
	if ((v.type == ZL_NUMBER || v.type == ZL_STRING) && v.s && small_uint(v.s, v.len, &d) == 0) {
		*out = flags & FLD_PY ? (double)(float)d : d;
		return 0;
	}
	switch (v.type) {
	case ZL_ABSENT:
	case ZL_NULL:
		*out = 0;
		return 0;
	case ZL_NUMBER:
		if (!(flags & FLD_PY)) {
			if (parse_double(v.s, &d) < 0)
				return fld_bad(why, field, "not a number", &v);
			break;
		}
		/* astype(float32): a JSON integer goes from int64 straight to
		 * float32 (one rounding), anything else through a double */
		if (all_digits(v.s)) {
			unsigned long long u;

			errno = 0;
			u = strtoull(v.s, NULL, 10);
			if (errno != ERANGE) {
				*out = (double)(float)u + 0.0;
				return 0;
			}
		}
		d = strtod_fast(v.s, NULL);
		break;
	case ZL_STRING:
		if (!v.s || !fld_decimal_text(v.s) || parse_double(v.s, &d) < 0)
			return fld_bad(why, field, "not a number", &v);
		break;
	default:
		return fld_wrong_type(why, field, "a number", v.type);
	}
	if (!(flags & FLD_PY)) {
		if (!isfinite(d))
			return fld_bad(why, field, "not a finite number", &v);
		if (d < 0)
			return fld_bad(why, field, "negative value", &v);
		*out = d + 0.0; /* -0 becomes 0 */
		return 0;
	}
	if (d < 0 && !(flags & FLD_SIGNED))
		return fld_bad(why, field, "negative count", &v);
	f = (float)d;
	if (isinf(f))
		return fld_bad(why, field, "too large for float32", &v);
	*out = (double)f + 0.0; /* -0 becomes 0 */
	return 0;
}

/* An integer 0..65535 or -1 when missing or null; what names it in a
 * reason ("a port number"). */
static int small_int(zl_rec *rec, const char *field, const char *what, int *out, char *why)
{
	zl_value v = zl_get_static(rec, field);
	double d;
	char bad[48];

	switch (v.type) {
	case ZL_ABSENT:
	case ZL_NULL:
		*out = -1;
		return 0;
	case ZL_NUMBER:
	case ZL_STRING:
		if (v.s && v.len <= 5 && small_uint(v.s, v.len, &d) == 0 && d <= 65535) {
			*out = (int)d;
			return 0;
		}
		if (!v.s || !fld_decimal_text(v.s) || parse_double(v.s, &d) < 0 ||
		    !(d >= 0 && d <= 65535) || d != floor(d)) {
			snprintf(bad, sizeof bad, "not %s", what);
			return fld_bad(why, field, bad, &v);
		}
		*out = (int)d;
		return 0;
	default:
		return fld_wrong_type(why, field, what, v.type);
	}
}

int fld_port(zl_rec *rec, const char *field, int *out, char *why)
{
	return small_int(rec, field, "a port number", out, why);
}

int fld_code(zl_rec *rec, const char *field, int *out, char *why)
{
	return small_int(rec, field, "an integer code", out, why);
}

int fld_interval6(zl_rec *rec, const char *field, double *out, int *present, char *why)
{
	zl_value v = zl_get_static(rec, field);
	char buf[32];
	size_t k;

	*out = 0;
	*present = 0;
	switch (v.type) {
	case ZL_ABSENT:
	case ZL_NULL:
		return 0;
	case ZL_NUMBER:
	case ZL_STRING:
		if (!v.s || (v.type == ZL_STRING && !fld_decimal_text(v.s)) ||
		    (k = zl_round6(v.s, v.len, buf)) == 0 || parse_double(buf, out) < 0 ||
		    !isfinite(*out))
			return fld_bad(why, field, "not a number", &v);
		if (*out < 0)
			return fld_bad(why, field, "negative value", &v);
		*out += 0.0;
		*present = 1;
		return 0;
	default:
		return fld_wrong_type(why, field, "a number", v.type);
	}
}

int fld_present(zl_rec *rec, const char *field, double *out, char *why)
{
	zl_type t = zl_get_static(rec, field).type;

	(void)why;
	*out = t != ZL_ABSENT && t != ZL_NULL;
	return 0;
}

int fld_length_py(zl_rec *rec, const char *field, double *out, char *why)
{
	zl_value v = zl_get_static(rec, field);
	size_t i, n = 0;

	switch (v.type) {
	case ZL_ABSENT:
	case ZL_NULL:
		*out = 0;
		return 0;
	case ZL_ARRAY:
		*out = v.n;
		return 0;
	case ZL_STRING:
		if (!v.s)
			return fld_bad(why, field, "string holds \\u0000", NULL);
		for (i = 0; i < v.len; i++) /* code points: skip UTF-8 continuations */
			n += ((unsigned char)v.s[i] & 0xC0) != 0x80;
		*out = (double)n;
		return 0;
	default:
		return fld_wrong_type(why, field, "a list", v.type);
	}
}

/* ---- categories as pandas get_dummies names them ---- */

int fld_category_py(zl_rec *rec, const char *field, fld_cat *out, char *why)
{
	zl_value v = zl_get_static(rec, field);
	const char *p;

	out->s = NULL;
	out->form = FLD_CAT_TEXT;
	out->d = 0;
	switch (v.type) {
	case ZL_ABSENT:
	case ZL_NULL:
		return 0;
	case ZL_STRING:
		if (!v.s)
			return fld_bad(why, field, "string holds \\u0000", NULL);
		out->s = v.s;
		return 0;
	case ZL_NUMBER:
		/* Python's json: an integer stays an int, str() gives its digits
		 * ("-0" is 0); anything with a point or an exponent is a float. */
		p = v.s[0] == '-' ? v.s + 1 : v.s;
		if (*p && all_digits(p)) {
			out->s = strspn(p, "0") == strlen(p) ? "0" : v.s;
			return 0;
		}
		if (parse_double(v.s, &out->d) < 0)
			return fld_bad(why, field, "not a number", &v);
		out->s = v.s;
		out->form = FLD_CAT_FLOAT;
		return 0;
	default:
		return fld_wrong_type(why, field, "a string or a number", v.type);
	}
}

/* A float's str() is its shortest repr, which always has a point or an
 * exponent: it names a column only if the column has a point and is the
 * same double (the column texts are their own shortest reprs). */
int fld_cat_is(const fld_cat *c, const char *col)
{
	double d;

	if (!c->s)
		return 0;
	if (c->form == FLD_CAT_FLOAT)
		return strchr(col, '.') && fld_decimal_text(col) && parse_double(col, &d) == 0 &&
		       d == c->d;
	return strcmp(c->s, col) == 0;
}

/* ---- addresses ---- */

static int parse_ipv4(const char *s, uint32_t *out)
{
	uint32_t a = 0;
	int part;

	for (part = 0; part < 4; part++) {
		unsigned v = 0;
		int n = 0;

		if (part > 0 && *s++ != '.')
			return -1;
		if (s[0] == '0' && s[1] >= '0' && s[1] <= '9')
			return -1; /* Python refuses leading zeros */
		while (*s >= '0' && *s <= '9' && n < 4) {
			v = v * 10 + (unsigned)(*s++ - '0');
			n++;
		}
		if (n == 0 || n > 3 || v > 255)
			return -1;
		a = a << 8 | v;
	}
	if (*s)
		return -1;
	*out = a;
	return 0;
}

/* Python's IPv6 text, a "%scope" suffix included. */
static int is_ipv6(const char *s, size_t len)
{
	char buf[64];
	const char *pct = memchr(s, '%', len);
	unsigned char addr[16];

	if (pct) {
		if (pct[1] == '\0' || strchr(pct + 1, '%') || strchr(pct + 1, '/'))
			return 0;
		len = (size_t)(pct - s);
	}
	if (len >= sizeof buf)
		return 0;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return inet_pton(AF_INET6, buf, addr) == 1;
}

/* ipaddress.IPv4Address.is_private of Debian's Python 3.11.2
 * (3.11.2-6+deb12u6), the interpreter of the golden files. */
static const struct {
	uint32_t net;
	int bits;
} private4[] = {
	{ 0x00000000u, 8 },  /* 0.0.0.0/8 */
	{ 0x0A000000u, 8 },  /* 10.0.0.0/8 */
	{ 0x7F000000u, 8 },  /* 127.0.0.0/8 */
	{ 0xA9FE0000u, 16 }, /* 169.254.0.0/16 */
	{ 0xAC100000u, 12 }, /* 172.16.0.0/12 */
	{ 0xC0000000u, 24 }, /* 192.0.0.0/24, less the exceptions below */
	{ 0xC00000AAu, 31 }, /* 192.0.0.170/31 */
	{ 0xC0000200u, 24 }, /* 192.0.2.0/24 */
	{ 0xC0A80000u, 16 }, /* 192.168.0.0/16 */
	{ 0xC6120000u, 15 }, /* 198.18.0.0/15 */
	{ 0xC6336400u, 24 }, /* 198.51.100.0/24 */
	{ 0xCB007100u, 24 }, /* 203.0.113.0/24 */
	{ 0xF0000000u, 4 },  /* 240.0.0.0/4 */
	{ 0xFFFFFFFFu, 32 }, /* 255.255.255.255/32 */
};

int fld_is_private4_py(uint32_t a)
{
	size_t i;

	if (a == 0xC0000009u || a == 0xC000000Au) /* 192.0.0.9, 192.0.0.10 */
		return 0;
	for (i = 0; i < sizeof private4 / sizeof private4[0]; i++)
		if (a >> (32 - private4[i].bits) == private4[i].net >> (32 - private4[i].bits))
			return 1;
	return 0;
}

static const unsigned char v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

/* The text of an address field: 4 or 6 with a set, or -1 with a reason. */
static int address(zl_rec *rec, const char *field, fld_addr *a, char *why)
{
	zl_value v = zl_get_static(rec, field);
	uint32_t v4;
	char buf[64];
	size_t len;
	const char *pct;

	if (v.type == ZL_ABSENT || v.type == ZL_NULL)
		return fld_bad(why, field, "missing address", NULL);
	if (v.type != ZL_STRING)
		return fld_wrong_type(why, field, "an address", v.type);
	if (v.s && parse_ipv4(v.s, &v4) == 0) {
		memcpy(a->b, v4mapped, 12);
		a->b[12] = (unsigned char)(v4 >> 24);
		a->b[13] = (unsigned char)(v4 >> 16);
		a->b[14] = (unsigned char)(v4 >> 8);
		a->b[15] = (unsigned char)v4;
		a->v6 = 0;
		return 4;
	}
	if (!v.s || !is_ipv6(v.s, v.len))
		return fld_bad(why, field, "not an IPv4 or IPv6 address", &v);
	pct = memchr(v.s, '%', v.len);
	len = pct ? (size_t)(pct - v.s) : v.len;
	if (len >= sizeof buf)
		return fld_bad(why, field, "not an IPv4 or IPv6 address", &v);
	memcpy(buf, v.s, len);
	buf[len] = '\0';
	if (inet_pton(AF_INET6, buf, a->b) != 1)
		return fld_bad(why, field, "not an IPv4 or IPv6 address", &v);
	a->v6 = memcmp(a->b, v4mapped, 12) != 0;
	return 6;
}

/* The last addresses read, by record and field: a module reads id.orig_h
 * and id.resp_h for its features, then again for the context (each read
 * was 2% of conn's extraction). */
static struct {
	const zl_rec *rec;
	unsigned long long serial;
	const char *field;
	fld_addr a;
	int family;
} addr_memo[2];

int fld_address(zl_rec *rec, const char *field, fld_addr *a, char *why)
{
	unsigned long long serial = zl_rec_serial(rec);
	int i, family;

	for (i = 0; i < 2; i++)
		if (addr_memo[i].rec == rec && addr_memo[i].serial == serial &&
		    (addr_memo[i].field == field || strcmp(addr_memo[i].field, field) == 0)) {
			*a = addr_memo[i].a;
			return addr_memo[i].family;
		}
	if ((family = address(rec, field, a, why)) < 0)
		return -1;
	i = addr_memo[0].rec == rec && addr_memo[0].serial == serial; /* keep this record's other */
	addr_memo[i].rec = rec;
	addr_memo[i].serial = serial;
	addr_memo[i].field = field;
	addr_memo[i].a = *a;
	addr_memo[i].family = family;
	return family;
}

/* An IPv4 address as a number, host order. */
static uint32_t v4_of(const fld_addr *a)
{
	return (uint32_t)a->b[12] << 24 | (uint32_t)a->b[13] << 16 | (uint32_t)a->b[14] << 8 | a->b[15];
}

int fld_direction_py(zl_rec *rec, const char **out, char *why)
{
	fld_addr src, dst;
	int vs, vd, ps, pd;

	if ((vs = fld_address(rec, "id.orig_h", &src, why)) < 0 ||
	    (vd = fld_address(rec, "id.resp_h", &dst, why)) < 0)
		return -1;
	if (vs == 6 || vd == 6) {
		*out = "IPv6";
		return 0;
	}
	ps = fld_is_private4_py(v4_of(&src));
	pd = fld_is_private4_py(v4_of(&dst));
	*out = ps && pd ? "internal" : ps ? "outgoing" : pd ? "incoming" : "external";
	return 0;
}

int fld_broadcast(zl_rec *rec, double *out, char *why)
{
	fld_addr a;
	zl_value v;

	if (fld_address(rec, "id.resp_h", &a, why) < 0)
		return -1;
	v = zl_get_static(rec, "id.resp_h");
	*out = v.len >= 3 && memcmp(v.s + v.len - 3, "255", 3) == 0;
	return 0;
}

/* ---- a module's feature table ---- */

int fld_read(zl_rec *rec, const fld_source *src, int n, fld_slot *slot, char *why)
{
	int i;

	for (i = 0; i < n; i++) {
		fld_slot *v = &slot[i];
		const char *f = src[i].field;
		size_t len;
		int r = 0, b;

		v->cat.s = NULL;
		v->cat.form = FLD_CAT_TEXT;
		v->num = 0;
		switch (src[i].kind) {
		case FLD_CATEGORY:  r = fld_category_py(rec, f, &v->cat, why); break;
		case FLD_DIRECTION: r = fld_direction_py(rec, &v->cat.s, why); break;
		case FLD_BROADCAST: r = fld_broadcast(rec, &v->num, why); break;
		case FLD_FLAG:      r = fld_bool(rec, f, FLD_PY, &b, why); v->num = b > 0; break;
		case FLD_COUNT32:   r = fld_number(rec, f, FLD_PY, &v->num, why); break;
		case FLD_REAL32:    r = fld_number(rec, f, FLD_PY | FLD_SIGNED, &v->num, why); break;
		case FLD_PRESENT:   r = fld_present(rec, f, &v->num, why); break;
		case FLD_LENGTH:    r = fld_length_py(rec, f, &v->num, why); break;
		case FLD_LETTERS:   r = fld_string(rec, f, &v->cat.s, &len, why); break;
		case FLD_STRING:
			r = fld_string(rec, f, &v->cat.s, &len, why);
			if (!v->cat.s)
				v->cat.s = src[i].dflt;
			break;
		}
		if (r < 0)
			return -1;
	}
	return 0;
}

void fld_columns(const fld_source *src, const azw_feature *col, int n,
                 const fld_slot *slot, double *x)
{
	int i;

	for (i = 0; i < n; i++) {
		const fld_slot *v = &slot[col[i].src];

		if (!col[i].word)
			x[i] = v->num;
		else if (src[col[i].src].kind == FLD_LETTERS) /* Python: value in text */
			x[i] = v->cat.s && strstr(v->cat.s, col[i].word);
		else
			x[i] = fld_cat_is(&v->cat, col[i].word);
	}
}

int fld_extract_schema(const azw_schema *s, zl_rec *rec, double *x, char *why)
{
	fld_slot slot[FLD_MAX_SOURCES];

	if (s->n_sources > FLD_MAX_SOURCES)
		abort(); /* a module table larger than the slots: a programming error */
	if (fld_read(rec, s->sources, s->n_sources, slot, why) < 0)
		return -1;
	fld_columns(s->sources, s->features, s->n_features, slot, x);
	return 0;
}

void fld_describe(const fld_source *src, const azw_feature *col, char *buf, size_t size)
{
	const fld_source *s = &src[col->src];
	const char *f = s->field, *w = col->word;

	switch (s->kind) {
	case FLD_CATEGORY:
	case FLD_STRING:
		if (s->dflt && strcmp(w, s->dflt) == 0)
			snprintf(buf, size, "1 if %s is %s, or is missing or null.", f, w);
		else
			snprintf(buf, size, "1 if %s is %s.", f, w);
		break;
	case FLD_DIRECTION:
		if (strcmp(w, "IPv6") == 0)
			snprintf(buf, size, "1 if either address is IPv6 (an IPv4-mapped one included).");
		else if (strcmp(w, "internal") == 0)
			snprintf(buf, size, "1 if both addresses are private.");
		else if (strcmp(w, "outgoing") == 0)
			snprintf(buf, size, "1 if only the originator's address is private.");
		else if (strcmp(w, "incoming") == 0)
			snprintf(buf, size, "1 if only the responder's address is private.");
		else
			snprintf(buf, size, "1 if neither address is private.");
		break;
	case FLD_BROADCAST:
		snprintf(buf, size, "1 if the text of %s ends in 255.", f);
		break;
	case FLD_FLAG:
		snprintf(buf, size, "%s: 1 if true, 0 if false or missing.", f);
		break;
	case FLD_COUNT32:
	case FLD_REAL32:
		snprintf(buf, size, "%s as a float32; 0 if missing.", f);
		break;
	case FLD_PRESENT:
		snprintf(buf, size, "1 if %s is there and not null.", f);
		break;
	case FLD_LENGTH:
		snprintf(buf, size, "the number of elements of %s (of characters, if it is a "
		         "string); 0 if missing.", f);
		break;
	case FLD_LETTERS:
		snprintf(buf, size, "1 if %s holds the letter %s.", f, w);
		break;
	}
}
