/* dns.c - features of Zeek's dns.log.
 *
 * Schema "original": AutoZeekWatch's 27 dns columns, in its order, with the
 * semantics of its preprocess_json_dns() at inference time (one record at
 * a time):
 *
 *   rtt   the round trip time rounded to float32; missing or null is 0
 *       (the original's fillna(0)).
 *   AA, TC, RD, RA, rejected   true 1, false 0.
 *   has_rtt, has_qclass_name, has_qtype_name, has_rcode_name   1 when the
 *       field is there and not null (pandas notnull), else 0.
 *   is_destination_broadcast   1 when the text of id.resp_h ends with
 *       "255" (so 10.0.2.255, but also fe80::255 and 10.0.0.255 of a /16),
 *       else 0.
 *   proto_*, qtype_name_*, qclass_name_*, rcode_name_*   one-hot per
 *       record: a value that is not one of the listed columns (qtype MX,
 *       rcode SERVFAIL, ...) sets no column of its group, nor does a
 *       missing or null one. A number names the column Python's str()
 *       gives it (an integer its digits, a float never a listed column).
 *   traffic_direction_*   from both addresses, private per Python
 *       3.11.2's ipaddress is_private (Debian's table, see fields.c):
 *       internal = both private, outgoing = only the originator,
 *       incoming = only the responder, external = neither; IPv6 when
 *       either address is IPv6 (IPv4-mapped ::ffff:a.b.c.d included).
 *
 * Where the original crashed, azw does this instead:
 *
 *   - a missing or null AA, TC, RD, RA or rejected gives 0, and the
 *     strings "T" / "F" (Zeek TSV's booleans) and the numbers 0 / 1 are
 *     accepted (the original raised TypeError at astype(int));
 *   - a missing id.orig_h or id.resp_h, or one that is not an IPv4 or
 *     IPv6 address, rejects the record (the original raised);
 *   - a field of the wrong type rejects the record: rtt not a number or
 *     numeric string, a boolean that is not one of the above, a category
 *     that is neither a string nor a number.
 *
 * Fields the module does not read (query, answers, _path, _write_ts, ...)
 * are ignored. A rejected record is reported and skipped by azw-extract.
 */
#include "context.h"
#include "modules/extended.h"
#include "modules/fields.h"
#include "modules/modules.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* What a record yields before it becomes columns. */
enum source {
	S_RTT,
	S_AA,
	S_TC,
	S_RD,
	S_RA,
	S_REJECTED,
	S_HAS_RTT,
	S_HAS_QCLASS_NAME,
	S_HAS_QTYPE_NAME,
	S_HAS_RCODE_NAME,
	S_BROADCAST,
	S_PROTO,
	S_QTYPE_NAME,
	S_QCLASS_NAME,
	S_RCODE_NAME,
	S_DIRECTION,
	N_SOURCE
};

static const fld_source sources[N_SOURCE] = {
	[S_RTT]             = { "rtt",                 FLD_REAL32, NULL },
	[S_AA]              = { "AA",                  FLD_FLAG, NULL },
	[S_TC]              = { "TC",                  FLD_FLAG, NULL },
	[S_RD]              = { "RD",                  FLD_FLAG, NULL },
	[S_RA]              = { "RA",                  FLD_FLAG, NULL },
	[S_REJECTED]        = { "rejected",            FLD_FLAG, NULL },
	[S_HAS_RTT]         = { "rtt",                 FLD_PRESENT, NULL },
	[S_HAS_QCLASS_NAME] = { "qclass_name",         FLD_PRESENT, NULL },
	[S_HAS_QTYPE_NAME]  = { "qtype_name",          FLD_PRESENT, NULL },
	[S_HAS_RCODE_NAME]  = { "rcode_name",          FLD_PRESENT, NULL },
	[S_BROADCAST]       = { "id.resp_h",           FLD_BROADCAST, NULL },
	[S_PROTO]           = { "proto",               FLD_CATEGORY, NULL },
	[S_QTYPE_NAME]      = { "qtype_name",          FLD_CATEGORY, NULL },
	[S_QCLASS_NAME]     = { "qclass_name",         FLD_CATEGORY, NULL },
	[S_RCODE_NAME]      = { "rcode_name",          FLD_CATEGORY, NULL },
	[S_DIRECTION]       = { "id.orig_h id.resp_h", FLD_DIRECTION, NULL },
};

/* The "original" feature table: column name, source, and for a one-hot
 * column the category value that sets it (NULL: the source's number); the
 * source's kind says what it means (fld_describe). */
static const azw_feature original[] = {
	{ "rtt",                        S_RTT,             NULL, NULL },
	{ "AA",                         S_AA,              NULL, NULL },
	{ "TC",                         S_TC,              NULL, NULL },
	{ "RD",                         S_RD,              NULL, NULL },
	{ "RA",                         S_RA,              NULL, NULL },
	{ "rejected",                   S_REJECTED,        NULL, NULL },
	{ "has_rtt",                    S_HAS_RTT,         NULL, NULL },
	{ "has_qclass_name",            S_HAS_QCLASS_NAME, NULL, NULL },
	{ "has_qtype_name",             S_HAS_QTYPE_NAME,  NULL, NULL },
	{ "has_rcode_name",             S_HAS_RCODE_NAME,  NULL, NULL },
	{ "is_destination_broadcast",   S_BROADCAST,       NULL, NULL },
	{ "proto_tcp",                  S_PROTO,           "tcp", NULL },
	{ "proto_udp",                  S_PROTO,           "udp", NULL },
	{ "qtype_name_*",               S_QTYPE_NAME,      "*", NULL },
	{ "qtype_name_A",               S_QTYPE_NAME,      "A", NULL },
	{ "qtype_name_AAAA",            S_QTYPE_NAME,      "AAAA", NULL },
	{ "qtype_name_HTTPS",           S_QTYPE_NAME,      "HTTPS", NULL },
	{ "qtype_name_PTR",             S_QTYPE_NAME,      "PTR", NULL },
	{ "qclass_name_C_INTERNET",     S_QCLASS_NAME,     "C_INTERNET", NULL },
	{ "qclass_name_qclass-32769",   S_QCLASS_NAME,     "qclass-32769", NULL },
	{ "rcode_name_NOERROR",         S_RCODE_NAME,      "NOERROR", NULL },
	{ "rcode_name_NXDOMAIN",        S_RCODE_NAME,      "NXDOMAIN", NULL },
	{ "traffic_direction_IPv6",     S_DIRECTION,       "IPv6", NULL },
	{ "traffic_direction_external", S_DIRECTION,       "external", NULL },
	{ "traffic_direction_incoming", S_DIRECTION,       "incoming", NULL },
	{ "traffic_direction_internal", S_DIRECTION,       "internal", NULL },
	{ "traffic_direction_outgoing", S_DIRECTION,       "outgoing", NULL },
};


/* ---- schema "extended" ----
 *
 * What an autoencoder should see of one DNS transaction: the categorical
 * fields one-hot over a fixed vocabulary (the rows of their source below)
 * with an `other` column; the header flags; the round trip time in
 * milliseconds and counts on a log scale; the shape of the query name (its
 * length, labels, digits and character entropy: DGA names and DNS
 * tunnelling show there); the answers and their TTLs (fast flux gives short
 * TTLs); direction from the local networks (--local-nets: dns.log has no
 * local_orig / local_resp). Depends on the record alone; everything is
 * finite; numbers are rounded to 6 decimals (round6).
 *
 * JSON and TSV give the same vector: rtt and the TTLs are rounded to the
 * microsecond from their text (ext_interval6, ext_list_minmax6), the
 * answers are counted by element.
 *
 * Missing fields: proto -> proto_other; qtype_name -> qtype_none;
 * qclass_name -> neither qclass column; rcode_name -> rcode_none; a flag
 * -> 0; rtt -> has_rtt 0 and log_rtt_ms 0; query -> has_query 0 and its
 * shape 0; answers / TTLs -> 0; the port -> resp_port_other.
 * Rejected, with the reason: a missing or bad id.orig_h / id.resp_h (as
 * "original"), and a field of the wrong type or a bad value (a negative rtt
 * or TTL, a port that is not 0..65535, a boolean that is not one).
 */
enum xsource {
	X_PROTO, X_IPV6, X_DIR, X_RESP_MCAST, X_PORT,
	X_QTYPE, X_QCLASS, X_RCODE,
	X_AA, X_TC, X_RD, X_RA, X_Z, X_REJECTED,
	X_HAS_RTT, X_RTT,
	X_HAS_QUERY, X_QLEN, X_QLABELS, X_QMAXLABEL, X_QDIGITS, X_QENTROPY, X_QREVERSE,
	X_ANSWERS, X_TTL_MIN, X_TTL_MAX,
	N_XSOURCE
};

/* One row per feature: name, source, the value(s) of a categorical source
 * that set it ('|' between aliases; EXT_OTHER: any other value; NULL: a
 * number), meaning: what azw-extract --features prints, and azw-features(7)
 * says. */
static const azw_feature extended[] = {
	{ "proto_udp",          X_PROTO, "udp", "proto is udp" },
	{ "proto_tcp",          X_PROTO, "tcp", "proto is tcp (zone transfers, large answers, some tunnels)" },
	{ "proto_other",        X_PROTO, EXT_OTHER, "any other proto, or none" },
	{ "is_ipv6",            X_IPV6, NULL, "1 if an address is IPv6 (IPv4-mapped ::ffff:a.b.c.d is IPv4)" },
	{ "dir_internal",       X_DIR, "internal", "both ends in --local-nets" },
	{ "dir_outgoing",       X_DIR, "outgoing", "only the originator is local (a resolver outside)" },
	{ "dir_incoming",       X_DIR, "incoming", "only the responder is local" },
	{ "dir_external",       X_DIR, "external", "neither end is local" },
	{ "resp_multicast",     X_RESP_MCAST, NULL, "responder in 224.0.0.0/4 or ff00::/8 (mDNS, LLMNR)" },
	{ "resp_port_dns",      X_PORT, "dns",     "responder port 53" },
	{ "resp_port_mdns",     X_PORT, "mdns",    "responder port 5353 (multicast DNS)" },
	{ "resp_port_llmnr",    X_PORT, "llmnr",   "responder port 5355 (LLMNR)" },
	{ "resp_port_netbios",  X_PORT, "netbios", "responder port 137 (NetBIOS name service)" },
	{ "resp_port_other",    X_PORT, EXT_OTHER, "any other responder port, or none" },
	{ "qtype_A",            X_QTYPE, "A",     "qtype_name A" },
	{ "qtype_AAAA",         X_QTYPE, "AAAA",  "qtype_name AAAA" },
	{ "qtype_PTR",          X_QTYPE, "PTR",   "qtype_name PTR (reverse lookups, service discovery)" },
	{ "qtype_CNAME",        X_QTYPE, "CNAME", "qtype_name CNAME" },
	{ "qtype_MX",           X_QTYPE, "MX",    "qtype_name MX" },
	{ "qtype_TXT",          X_QTYPE, "TXT",   "qtype_name TXT (tunnels carry data here)" },
	{ "qtype_NS",           X_QTYPE, "NS",    "qtype_name NS" },
	{ "qtype_SOA",          X_QTYPE, "SOA",   "qtype_name SOA" },
	{ "qtype_SRV",          X_QTYPE, "SRV",   "qtype_name SRV" },
	{ "qtype_HTTPS",        X_QTYPE, "HTTPS", "qtype_name HTTPS (type 65)" },
	{ "qtype_SVCB",         X_QTYPE, "SVCB",  "qtype_name SVCB (type 64)" },
	{ "qtype_ANY",          X_QTYPE, "*|ANY", "qtype_name * (Zeek's name of ANY, type 255)" },
	{ "qtype_NULL",         X_QTYPE, "NULL",  "qtype_name NULL (a tunnelling favourite)" },
	{ "qtype_NBSTAT",       X_QTYPE, "NBSTAT", "qtype_name NBSTAT (NetBIOS node status)" },
	{ "qtype_other",        X_QTYPE, EXT_OTHER, "any other qtype_name (AXFR, DNSKEY, query-N...)" },
	{ "qtype_none",         X_QTYPE, "-",     "no qtype_name (no question seen)" },
	{ "qclass_internet",    X_QCLASS, "C_INTERNET", "qclass_name C_INTERNET" },
	{ "qclass_other",       X_QCLASS, EXT_OTHER, "any other qclass_name (mDNS's qclass-32769, CHAOS...); none sets neither" },
	{ "rcode_NOERROR",      X_RCODE, "NOERROR",  "rcode_name NOERROR" },
	{ "rcode_NXDOMAIN",     X_RCODE, "NXDOMAIN", "rcode_name NXDOMAIN (no such name: DGA, typos)" },
	{ "rcode_SERVFAIL",     X_RCODE, "SERVFAIL", "rcode_name SERVFAIL" },
	{ "rcode_REFUSED",      X_RCODE, "REFUSED",  "rcode_name REFUSED" },
	{ "rcode_FORMERR",      X_RCODE, "FORMERR",  "rcode_name FORMERR" },
	{ "rcode_other",        X_RCODE, EXT_OTHER,  "any other rcode_name (NOTIMP, NOTAUTH...)" },
	{ "rcode_none",         X_RCODE, "-",        "no rcode_name (no reply seen)" },
	{ "AA",                 X_AA, NULL, "authoritative answer flag (missing: 0)" },
	{ "TC",                 X_TC, NULL, "truncation flag" },
	{ "RD",                 X_RD, NULL, "recursion desired flag" },
	{ "RA",                 X_RA, NULL, "recursion available flag" },
	{ "Z_nonzero",          X_Z, NULL, "the reserved Z field is not 0" },
	{ "rejected",           X_REJECTED, NULL, "the server rejected the query" },
	{ "has_rtt",            X_HAS_RTT, NULL, "rtt is set (a reply was seen)" },
	{ "log_rtt_ms",         X_RTT, NULL, "log1p(rtt in milliseconds), 0 without rtt" },
	{ "has_query",          X_HAS_QUERY, NULL, "query is set" },
	{ "log_query_len",      X_QLEN, NULL, "log1p(bytes of the query name)" },
	{ "log_query_labels",   X_QLABELS, NULL, "log1p(number of non-empty dot-separated labels)" },
	{ "log_query_max_label", X_QMAXLABEL, NULL, "log1p(bytes of the longest label)" },
	{ "query_digit_ratio",  X_QDIGITS, NULL, "digits / bytes of the query name, 0 without one" },
	{ "query_entropy",      X_QENTROPY, NULL, "Shannon entropy of the query's characters (case folded), bits per character" },
	{ "query_reverse",      X_QREVERSE, NULL, "the query ends in .in-addr.arpa or .ip6.arpa" },
	{ "log_answers",        X_ANSWERS, NULL, "log1p(number of answers)" },
	{ "log_ttl_min",        X_TTL_MIN, NULL, "log1p(smallest TTL of the answers, seconds), 0 without" },
	{ "log_ttl_max",        X_TTL_MAX, NULL, "log1p(largest TTL of the answers, seconds), 0 without" },
};

#define N_EXTENDED AZW_N(extended)

/* The booleans, by source. */
static const char *const flag_field[N_XSOURCE] = {
	[X_AA] = "AA", [X_TC] = "TC", [X_RD] = "RD", [X_RA] = "RA",
	[X_REJECTED] = "rejected",
};

static ext_index xindex;

static const char *port_class(int p)
{
	switch (p) {
	case 53: return "dns";
	case 5353: return "mdns";
	case 5355: return "llmnr";
	case 137: return "netbios";
	default: return EXT_OTHER;
	}
}

static int ends_with(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	while (len > 0 && s[len - 1] == '.') /* a trailing root dot */
		len--;
	return len >= n && strncasecmp(s + len - n, suffix, n) == 0;
}

static int extract_extended(const azw_schema *schema, zl_rec *rec, double *x, char *why)
{
	double num[N_XSOURCE] = { 0 };
	fld_addr orig, resp;
	ext_list answers;
	const char *s;
	size_t len;
	int port, z, i, has;

	(void)schema;
	if (fld_address(rec, "id.orig_h", &orig, why) < 0 ||
	    fld_address(rec, "id.resp_h", &resp, why) < 0 ||
	    fld_port(rec, "id.resp_p", &port, why) < 0 ||
	    fld_code(rec, "Z", &z, why) < 0 ||
	    fld_interval6(rec, "rtt", &num[X_RTT], &has, why) < 0 ||
	    ext_list_get(rec, "answers", &answers, why) < 0 ||
	    ext_list_minmax6(rec, "TTLs", &num[X_TTL_MIN], &num[X_TTL_MAX], why) < 0)
		return -1;
	num[X_HAS_RTT] = has;
	num[X_RTT] = log1p_count(num[X_RTT] * 1000);
	num[X_Z] = z > 0;
	for (i = 0; i < N_XSOURCE; i++)
		if (flag_field[i]) {
			int b;

			if (fld_bool(rec, flag_field[i], 0, &b, why) < 0)
				return -1;
			num[i] = b > 0;
		}
	memset(x, 0, (size_t)N_EXTENDED * sizeof *x);

	if (ext_category(&xindex, rec, "proto", X_PROTO, "", x, why) < 0 ||
	    ext_category(&xindex, rec, "qtype_name", X_QTYPE, "-", x, why) < 0 ||
	    ext_category(&xindex, rec, "qclass_name", X_QCLASS, NULL, x, why) < 0 ||
	    ext_category(&xindex, rec, "rcode_name", X_RCODE, "-", x, why) < 0)
		return -1;

	num[X_IPV6] = orig.v6 || resp.v6;
	s = ext_direction(&orig, &resp);
	ext_set(&xindex, x, X_DIR, s, strlen(s));
	num[X_RESP_MCAST] = ext_is_multicast(&resp);
	s = port_class(port);
	ext_set(&xindex, x, X_PORT, s, strlen(s));

	if (ext_text(rec, "query", &s, &len, why) < 0)
		return -1;
	if (s) {
		ext_name q;

		ext_name_stats(s, len, &q);
		num[X_HAS_QUERY] = 1;
		num[X_QLEN] = log1p_count(q.len);
		num[X_QLABELS] = log1p_count(q.labels);
		num[X_QMAXLABEL] = log1p_count(q.max_label);
		num[X_QDIGITS] = q.len > 0 ? (double)q.digits / q.len : 0;
		num[X_QENTROPY] = q.entropy;
		num[X_QREVERSE] = ends_with(s, len, ".in-addr.arpa") || ends_with(s, len, ".ip6.arpa");
	}
	num[X_ANSWERS] = log1p_count(answers.n);
	num[X_TTL_MIN] = log1p_count(num[X_TTL_MIN]);
	num[X_TTL_MAX] = log1p_count(num[X_TTL_MAX]);
	ext_numbers(&xindex, num, x);
	return 0;
}

/* ---- context features of the extended schema ----
 *
 * The columns and what each quantity means: ctx_columns_dns in
 * context_columns.c; observe_dns() below fills the quantities. */

/* Columns of the per-record vector the quantities come from. */
static int col_nx, col_noerror, col_none, col_qlen, col_entropy;

/* A query name's hash (ext_name_hash), a trailing dot dropped. */
static uint32_t name_hash(const char *s, size_t len)
{
	while (len > 0 && s[len - 1] == '.')
		len--;
	return ext_name_hash(s, len);
}

/* A record's keys and quantities; x: its extended per-record features. */
static int observe_dns(zl_rec *rec, const double *x, ctx_obs *o, char *why)
{
	const char *s;
	size_t len;

	if (ext_obs_ends(rec, o, why) < 0 ||
	    ext_text(rec, "query", &s, &len, why) < 0)
		return -1;
	o->svc = s ? name_hash(s, len) : 0;
	o->q[DNS_Q_NX] = x[col_nx] != 0;
	o->q[DNS_Q_NOREPLY] = x[col_none] != 0;
	o->q[DNS_Q_ERR] = !o->q[DNS_Q_NX] && !o->q[DNS_Q_NOREPLY] && x[col_noerror] == 0;
	o->q[DNS_Q_QLEN] = x[col_qlen];
	o->q[DNS_Q_ENTROPY] = x[col_entropy];
	return 0;
}

static const ctx_spec dns_context = { &ctx_columns_dns, observe_dns };

static void init(void)
{
	if (ext_index_init(&xindex, extended, N_EXTENDED) < 0)
		abort(); /* a malformed table: a programming error */
	col_nx = ext_word_col(&xindex, X_RCODE, "NXDOMAIN");
	col_noerror = ext_word_col(&xindex, X_RCODE, "NOERROR");
	col_none = ext_word_col(&xindex, X_RCODE, "-");
	col_qlen = ext_num_col(&xindex, X_QLEN);
	col_entropy = ext_num_col(&xindex, X_QENTROPY);
}

static const azw_schema dns_schemas[] = {
	{ "extended", N_EXTENDED, extended, extract_extended, &dns_context, 0, NULL }, /* the default */
	{ "original", AZW_N(original), original, fld_extract_schema, NULL, N_SOURCE, sources },
};

const azw_module azw_module_dns = {
	"dns",
	"Zeek dns.log: one record per DNS query and its answer",
	init,
	AZW_N(dns_schemas),
	dns_schemas,
};
