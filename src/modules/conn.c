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
#include "modules/fields.h"
#include "modules/modules.h"

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

/* ---- the record ---- */

static int read_values(zl_rec *rec, struct values *v, char *why)
{
	int i;

	for (i = 0; i < N_SOURCE; i++) {
		int r = 0;

		switch (sources[i].kind) {
		case DIRECTION:
			r = fld_direction_original(rec, &v->cat[i], why);
			break;
		case CATEGORY:
			r = fld_category(rec, sources[i].field, sources[i].dflt, &v->cat[i], why);
			break;
		case FLAG:
			r = fld_flag(rec, sources[i].field, &v->num[i], why);
			break;
		case COUNT:
			r = fld_count32(rec, sources[i].field, &v->num[i], why);
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

static int extract_original(zl_rec *rec, double *x, char *why)
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
