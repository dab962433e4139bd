/* conn.c - features of Zeek's conn.log.
 *
 * Schema "original": AutoZeekWatch's 34 conn columns, in its order, with the
 * semantics of its preprocess_json_conn() at inference time (one record at
 * a time):
 *
 *   conn_state_*, proto_*, service_*   one-hot per record: a value that is
 *       not one of the listed columns (proto icmp, service "ssl,http" or
 *       "krb_tcp", an unknown conn_state) sets no column of its group;
 *       a missing or null service counts as "other"; a missing or null
 *       conn_state or proto sets none.
 *   traffic_direction_*   from both addresses: private per Python 3.11.2's
 *       ipaddress is_private (Debian's table, see private4[] below);
 *       internal = both private, outgoing = only the originator,
 *       incoming = only the responder, external = neither. If either
 *       address is IPv6 (IPv4-mapped ::ffff:a.b.c.d included) all four
 *       are 0, as the original has no IPv6 column.
 *   local_orig, local_resp   true 1, false 0.
 *   missed_bytes, orig_pkts, orig_ip_bytes, resp_pkts, resp_ip_bytes
 *       the count rounded to float32 (2^24+1 gives 16777216); a JSON
 *       float (3.0) and a numeric string ("5") are accepted.
 *
 * Where the original crashed or gave NaN, azw does this instead:
 *
 *   - a missing or null count gives 0 (Zeek leaves unset fields out; the
 *     original gave NaN);
 *   - a missing or null local_orig / local_resp gives 0, and the strings
 *     "T" / "F" (Zeek TSV's booleans) and the numbers 0 / 1 are accepted
 *     (the original raised TypeError / ValueError);
 *   - a missing id.orig_h or id.resp_h, or one that is not an IPv4 or
 *     IPv6 address, rejects the record (the original raised);
 *   - a field of the wrong type rejects the record: a count that is not a
 *     non-negative number or numeric string, or too large for float32; a
 *     boolean that is not one of the above; a conn_state, proto or service
 *     that is not a string.
 *
 * A rejected record is reported and skipped by azw-extract; it never gets
 * a vector with NaN in it.
 */
#include "modules/modules.h"
#include "util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a record yields before it becomes columns: categories (a string, or
 * NULL for none) and numbers. */
enum source {
	S_DIRECTION,
	S_CONN_STATE,
	S_PROTO,
	S_SERVICE,
	S_LOCAL_ORIG,
	S_LOCAL_RESP,
	S_MISSED_BYTES,
	S_ORIG_PKTS,
	S_ORIG_IP_BYTES,
	S_RESP_PKTS,
	S_RESP_IP_BYTES,
	N_SOURCE
};

enum kind { CATEGORY, DIRECTION, FLAG, COUNT };

static const struct {
	const char *field;  /* the Zeek field */
	enum kind kind;
	const char *dflt;   /* CATEGORY: value when missing or null */
} sources[N_SOURCE] = {
	[S_DIRECTION]     = { "id.orig_h id.resp_h", DIRECTION, NULL },
	[S_CONN_STATE]    = { "conn_state",    CATEGORY, NULL },
	[S_PROTO]         = { "proto",         CATEGORY, NULL },
	[S_SERVICE]       = { "service",       CATEGORY, "other" },
	[S_LOCAL_ORIG]    = { "local_orig",    FLAG,     NULL },
	[S_LOCAL_RESP]    = { "local_resp",    FLAG,     NULL },
	[S_MISSED_BYTES]  = { "missed_bytes",  COUNT,    NULL },
	[S_ORIG_PKTS]     = { "orig_pkts",     COUNT,    NULL },
	[S_ORIG_IP_BYTES] = { "orig_ip_bytes", COUNT,    NULL },
	[S_RESP_PKTS]     = { "resp_pkts",     COUNT,    NULL },
	[S_RESP_IP_BYTES] = { "resp_ip_bytes", COUNT,    NULL },
};

/* The "original" feature table: column name, source, and for a one-hot
 * column the category value that sets it (NULL: the source's number). */
#define ORIGINAL(F) \
	F("conn_state_OTH",             S_CONN_STATE,   "OTH") \
	F("conn_state_REJ",             S_CONN_STATE,   "REJ") \
	F("conn_state_RSTO",            S_CONN_STATE,   "RSTO") \
	F("conn_state_RSTOS0",          S_CONN_STATE,   "RSTOS0") \
	F("conn_state_RSTR",            S_CONN_STATE,   "RSTR") \
	F("conn_state_RSTRH",           S_CONN_STATE,   "RSTRH") \
	F("conn_state_S0",              S_CONN_STATE,   "S0") \
	F("conn_state_S1",              S_CONN_STATE,   "S1") \
	F("conn_state_S2",              S_CONN_STATE,   "S2") \
	F("conn_state_S3",              S_CONN_STATE,   "S3") \
	F("conn_state_SF",              S_CONN_STATE,   "SF") \
	F("conn_state_SH",              S_CONN_STATE,   "SH") \
	F("conn_state_SHR",             S_CONN_STATE,   "SHR") \
	F("proto_tcp",                  S_PROTO,        "tcp") \
	F("proto_udp",                  S_PROTO,        "udp") \
	F("service_dhcp",               S_SERVICE,      "dhcp") \
	F("service_dns",                S_SERVICE,      "dns") \
	F("service_http",               S_SERVICE,      "http") \
	F("service_irc",                S_SERVICE,      "irc") \
	F("service_ntp",                S_SERVICE,      "ntp") \
	F("service_other",              S_SERVICE,      "other") \
	F("service_ssh",                S_SERVICE,      "ssh") \
	F("service_ssl",                S_SERVICE,      "ssl") \
	F("traffic_direction_external", S_DIRECTION,    "external") \
	F("traffic_direction_incoming", S_DIRECTION,    "incoming") \
	F("traffic_direction_internal", S_DIRECTION,    "internal") \
	F("traffic_direction_outgoing", S_DIRECTION,    "outgoing") \
	F("local_orig",                 S_LOCAL_ORIG,   NULL) \
	F("local_resp",                 S_LOCAL_RESP,   NULL) \
	F("missed_bytes",               S_MISSED_BYTES, NULL) \
	F("orig_pkts",                  S_ORIG_PKTS,    NULL) \
	F("orig_ip_bytes",              S_ORIG_IP_BYTES, NULL) \
	F("resp_pkts",                  S_RESP_PKTS,    NULL) \
	F("resp_ip_bytes",              S_RESP_IP_BYTES, NULL)

struct column {
	enum source src;
	const char *value;
};

#define NAME(name, src, value) name,
#define COLUMN(name, src, value) { src, value },
static const char *const original_names[] = { ORIGINAL(NAME) };
static const struct column original_columns[] = { ORIGINAL(COLUMN) };
#define N_ORIGINAL ((int)(sizeof original_columns / sizeof original_columns[0]))

struct values {
	const char *cat[N_SOURCE];
	double num[N_SOURCE];
};

/* ---- field decoders: 0 ok, -1 with a reason in why ---- */

/* The reason for a bad field, with (the start of) its value, control
 * characters shown as '?' so that the message stays on one line. */
static int bad(char *why, const char *field, const char *what, const zl_value *v)
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

static int wrong_type(char *why, const char *field, const char *want, zl_type got)
{
	snprintf(why, AZW_REASON_MAX, "%s: expected %s, not %s", field, want, type_name(got));
	return -1;
}

static int category(zl_json *rec, const char *field, const char *dflt,
                    const char **out, char *why)
{
	zl_value v = zl_get(rec, field);

	switch (v.type) {
	case ZL_ABSENT:
	case ZL_NULL:
		*out = dflt;
		return 0;
	case ZL_STRING:
		if (!v.s)
			return bad(why, field, "string holds \\u0000", NULL);
		*out = v.s;
		return 0;
	default:
		return wrong_type(why, field, "a string", v.type);
	}
}

static int flag(zl_json *rec, const char *field, double *out, char *why)
{
	zl_value v = zl_get(rec, field);

	switch (v.type) {
	case ZL_ABSENT:
	case ZL_NULL:
		*out = 0;
		return 0;
	case ZL_BOOL:
		*out = v.b;
		return 0;
	case ZL_STRING:
		if (v.s && (!strcmp(v.s, "T") || !strcmp(v.s, "F"))) {
			*out = v.s[0] == 'T';
			return 0;
		}
		return bad(why, field, "not a boolean", &v);
	case ZL_NUMBER: {
		double d = strtod(v.s, NULL);
		if (d == 0 || d == 1) {
			*out = d + 0.0;
			return 0;
		}
		return bad(why, field, "not a boolean", &v);
	}
	default:
		return wrong_type(why, field, "a boolean", v.type);
	}
}

static int all_digits(const char *s)
{
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* What Python's float() takes, less nan, inf, blanks and '_'. */
static int decimal_text(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!strchr("0123456789+-.eE", *s))
			return 0;
	return 1;
}

/* A count as the original's astype(float32): a JSON integer goes from
 * int64 straight to float32 (one rounding), anything else through a
 * double. */
static int count(zl_json *rec, const char *field, double *out, char *why)
{
	zl_value v = zl_get(rec, field);
	double d;
	float f;

	switch (v.type) {
	case ZL_ABSENT:
	case ZL_NULL:
		*out = 0;
		return 0;
	case ZL_NUMBER:
		if (all_digits(v.s)) {
			unsigned long long u;
			errno = 0;
			u = strtoull(v.s, NULL, 10);
			if (errno != ERANGE) {
				f = (float)u;
				break;
			}
		}
		d = strtod(v.s, NULL);
		if (d < 0)
			return bad(why, field, "negative count", &v);
		f = (float)d;
		break;
	case ZL_STRING:
		if (!v.s || !decimal_text(v.s) || parse_double(v.s, &d) < 0)
			return bad(why, field, "not a number", &v);
		if (d < 0)
			return bad(why, field, "negative count", &v);
		f = (float)d;
		break;
	default:
		return wrong_type(why, field, "a number", v.type);
	}
	if (isinf(f))
		return bad(why, field, "too large for float32", &v);
	*out = (double)f + 0.0; /* -0 becomes 0 */
	return 0;
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

static int is_private4(uint32_t a)
{
	size_t i;

	if (a == 0xC0000009u || a == 0xC000000Au) /* 192.0.0.9, 192.0.0.10 */
		return 0;
	for (i = 0; i < sizeof private4 / sizeof private4[0]; i++)
		if (a >> (32 - private4[i].bits) == private4[i].net >> (32 - private4[i].bits))
			return 1;
	return 0;
}

/* 4 (with *a4 set), 6, or -1 with a reason. */
static int address(zl_json *rec, const char *field, uint32_t *a4, char *why)
{
	zl_value v = zl_get(rec, field);

	if (v.type == ZL_ABSENT || v.type == ZL_NULL)
		return bad(why, field, "missing address", NULL);
	if (v.type != ZL_STRING)
		return wrong_type(why, field, "an address", v.type);
	if (v.s && parse_ipv4(v.s, a4) == 0)
		return 4;
	if (v.s && is_ipv6(v.s, v.len))
		return 6;
	return bad(why, field, "not an IPv4 or IPv6 address", &v);
}

static int direction(zl_json *rec, const char **out, char *why)
{
	uint32_t src, dst;
	int vs, vd, ps, pd;

	if ((vs = address(rec, "id.orig_h", &src, why)) < 0 ||
	    (vd = address(rec, "id.resp_h", &dst, why)) < 0)
		return -1;
	if (vs == 6 || vd == 6) {
		*out = NULL;
		return 0;
	}
	ps = is_private4(src);
	pd = is_private4(dst);
	*out = ps && pd ? "internal" : ps ? "outgoing" : pd ? "incoming" : "external";
	return 0;
}

/* ---- the record ---- */

static int read_values(zl_json *rec, struct values *v, char *why)
{
	int i;

	for (i = 0; i < N_SOURCE; i++) {
		int r = 0;

		switch (sources[i].kind) {
		case DIRECTION:
			r = direction(rec, &v->cat[i], why);
			break;
		case CATEGORY:
			r = category(rec, sources[i].field, sources[i].dflt, &v->cat[i], why);
			break;
		case FLAG:
			r = flag(rec, sources[i].field, &v->num[i], why);
			break;
		case COUNT:
			r = count(rec, sources[i].field, &v->num[i], why);
			break;
		}
		if (r < 0)
			return -1;
	}
	return 0;
}

static int columns(const struct column *col, int n, const struct values *v, double *x)
{
	int i;

	for (i = 0; i < n; i++) {
		const char *c = v->cat[col[i].src];

		if (col[i].value)
			x[i] = c && strcmp(c, col[i].value) == 0;
		else
			x[i] = v->num[col[i].src];
	}
	return 0;
}

static int extract_original(zl_json *rec, double *x, char *why)
{
	struct values v = { { NULL }, { 0 } };

	if (read_values(rec, &v, why) < 0)
		return -1;
	return columns(original_columns, N_ORIGINAL, &v, x);
}

static const azw_schema conn_schemas[] = {
	{ "original", N_ORIGINAL, original_names, extract_original },
};

const azw_module azw_module_conn = {
	"conn",
	"Zeek conn.log: one record per connection",
	(int)(sizeof conn_schemas / sizeof conn_schemas[0]),
	conn_schemas,
};
