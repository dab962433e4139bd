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
	[S_RTT]             = { "rtt",                 FLD_REAL32 },
	[S_AA]              = { "AA",                  FLD_FLAG },
	[S_TC]              = { "TC",                  FLD_FLAG },
	[S_RD]              = { "RD",                  FLD_FLAG },
	[S_RA]              = { "RA",                  FLD_FLAG },
	[S_REJECTED]        = { "rejected",            FLD_FLAG },
	[S_HAS_RTT]         = { "rtt",                 FLD_PRESENT },
	[S_HAS_QCLASS_NAME] = { "qclass_name",         FLD_PRESENT },
	[S_HAS_QTYPE_NAME]  = { "qtype_name",          FLD_PRESENT },
	[S_HAS_RCODE_NAME]  = { "rcode_name",          FLD_PRESENT },
	[S_BROADCAST]       = { "id.resp_h",           FLD_BROADCAST },
	[S_PROTO]           = { "proto",               FLD_CATEGORY },
	[S_QTYPE_NAME]      = { "qtype_name",          FLD_CATEGORY },
	[S_QCLASS_NAME]     = { "qclass_name",         FLD_CATEGORY },
	[S_RCODE_NAME]      = { "rcode_name",          FLD_CATEGORY },
	[S_DIRECTION]       = { "id.orig_h id.resp_h", FLD_DIRECTION },
};

/* The "original" feature table: column name, source, and for a one-hot
 * column the category value that sets it (NULL: the source's number). */
#define ORIGINAL(F) \
	F("rtt",                        S_RTT,             NULL) \
	F("AA",                         S_AA,              NULL) \
	F("TC",                         S_TC,              NULL) \
	F("RD",                         S_RD,              NULL) \
	F("RA",                         S_RA,              NULL) \
	F("rejected",                   S_REJECTED,        NULL) \
	F("has_rtt",                    S_HAS_RTT,         NULL) \
	F("has_qclass_name",            S_HAS_QCLASS_NAME, NULL) \
	F("has_qtype_name",             S_HAS_QTYPE_NAME,  NULL) \
	F("has_rcode_name",             S_HAS_RCODE_NAME,  NULL) \
	F("is_destination_broadcast",   S_BROADCAST,       NULL) \
	F("proto_tcp",                  S_PROTO,           "tcp") \
	F("proto_udp",                  S_PROTO,           "udp") \
	F("qtype_name_*",               S_QTYPE_NAME,      "*") \
	F("qtype_name_A",               S_QTYPE_NAME,      "A") \
	F("qtype_name_AAAA",            S_QTYPE_NAME,      "AAAA") \
	F("qtype_name_HTTPS",           S_QTYPE_NAME,      "HTTPS") \
	F("qtype_name_PTR",             S_QTYPE_NAME,      "PTR") \
	F("qclass_name_C_INTERNET",     S_QCLASS_NAME,     "C_INTERNET") \
	F("qclass_name_qclass-32769",   S_QCLASS_NAME,     "qclass-32769") \
	F("rcode_name_NOERROR",         S_RCODE_NAME,      "NOERROR") \
	F("rcode_name_NXDOMAIN",        S_RCODE_NAME,      "NXDOMAIN") \
	F("traffic_direction_IPv6",     S_DIRECTION,       "IPv6") \
	F("traffic_direction_external", S_DIRECTION,       "external") \
	F("traffic_direction_incoming", S_DIRECTION,       "incoming") \
	F("traffic_direction_internal", S_DIRECTION,       "internal") \
	F("traffic_direction_outgoing", S_DIRECTION,       "outgoing")

#define NAME(name, src, value) name,
#define COLUMN(name, src, value) { src, value },
static const char *const original_names[] = { ORIGINAL(NAME) };
static const fld_column original_columns[] = { ORIGINAL(COLUMN) };
#define N_ORIGINAL ((int)(sizeof original_columns / sizeof original_columns[0]))

static int extract_original(zl_rec *rec, double *x, char *why)
{
	return fld_extract(rec, sources, N_SOURCE, original_columns, N_ORIGINAL, x, why);
}

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
 * number), meaning. The man page lists the same table. */
#define EXTENDED(F) \
	F("proto_udp",          X_PROTO, "udp", "proto is udp") \
	F("proto_tcp",          X_PROTO, "tcp", "proto is tcp (zone transfers, large answers, some tunnels)") \
	F("proto_other",        X_PROTO, EXT_OTHER, "any other proto, or none") \
	F("is_ipv6",            X_IPV6, NULL, "1 if an address is IPv6 (IPv4-mapped ::ffff:a.b.c.d is IPv4)") \
	F("dir_internal",       X_DIR, "internal", "both ends in --local-nets") \
	F("dir_outgoing",       X_DIR, "outgoing", "only the originator is local (a resolver outside)") \
	F("dir_incoming",       X_DIR, "incoming", "only the responder is local") \
	F("dir_external",       X_DIR, "external", "neither end is local") \
	F("resp_multicast",     X_RESP_MCAST, NULL, "responder in 224.0.0.0/4 or ff00::/8 (mDNS, LLMNR)") \
	F("resp_port_dns",      X_PORT, "dns",     "responder port 53") \
	F("resp_port_mdns",     X_PORT, "mdns",    "responder port 5353 (multicast DNS)") \
	F("resp_port_llmnr",    X_PORT, "llmnr",   "responder port 5355 (LLMNR)") \
	F("resp_port_netbios",  X_PORT, "netbios", "responder port 137 (NetBIOS name service)") \
	F("resp_port_other",    X_PORT, EXT_OTHER, "any other responder port, or none") \
	F("qtype_A",            X_QTYPE, "A",     "qtype_name A") \
	F("qtype_AAAA",         X_QTYPE, "AAAA",  "qtype_name AAAA") \
	F("qtype_PTR",          X_QTYPE, "PTR",   "qtype_name PTR (reverse lookups, service discovery)") \
	F("qtype_CNAME",        X_QTYPE, "CNAME", "qtype_name CNAME") \
	F("qtype_MX",           X_QTYPE, "MX",    "qtype_name MX") \
	F("qtype_TXT",          X_QTYPE, "TXT",   "qtype_name TXT (tunnels carry data here)") \
	F("qtype_NS",           X_QTYPE, "NS",    "qtype_name NS") \
	F("qtype_SOA",          X_QTYPE, "SOA",   "qtype_name SOA") \
	F("qtype_SRV",          X_QTYPE, "SRV",   "qtype_name SRV") \
	F("qtype_HTTPS",        X_QTYPE, "HTTPS", "qtype_name HTTPS (type 65)") \
	F("qtype_SVCB",         X_QTYPE, "SVCB",  "qtype_name SVCB (type 64)") \
	F("qtype_ANY",          X_QTYPE, "*|ANY", "qtype_name * (Zeek's name of ANY, type 255)") \
	F("qtype_NULL",         X_QTYPE, "NULL",  "qtype_name NULL (a tunnelling favourite)") \
	F("qtype_NBSTAT",       X_QTYPE, "NBSTAT", "qtype_name NBSTAT (NetBIOS node status)") \
	F("qtype_other",        X_QTYPE, EXT_OTHER, "any other qtype_name (AXFR, DNSKEY, query-N...)") \
	F("qtype_none",         X_QTYPE, "-",     "no qtype_name (no question seen)") \
	F("qclass_internet",    X_QCLASS, "C_INTERNET", "qclass_name C_INTERNET") \
	F("qclass_other",       X_QCLASS, EXT_OTHER, "any other qclass_name (mDNS's qclass-32769, CHAOS...); none sets neither") \
	F("rcode_NOERROR",      X_RCODE, "NOERROR",  "rcode_name NOERROR") \
	F("rcode_NXDOMAIN",     X_RCODE, "NXDOMAIN", "rcode_name NXDOMAIN (no such name: DGA, typos)") \
	F("rcode_SERVFAIL",     X_RCODE, "SERVFAIL", "rcode_name SERVFAIL") \
	F("rcode_REFUSED",      X_RCODE, "REFUSED",  "rcode_name REFUSED") \
	F("rcode_FORMERR",      X_RCODE, "FORMERR",  "rcode_name FORMERR") \
	F("rcode_other",        X_RCODE, EXT_OTHER,  "any other rcode_name (NOTIMP, NOTAUTH...)") \
	F("rcode_none",         X_RCODE, "-",        "no rcode_name (no reply seen)") \
	F("AA",                 X_AA, NULL, "authoritative answer flag (missing: 0)") \
	F("TC",                 X_TC, NULL, "truncation flag") \
	F("RD",                 X_RD, NULL, "recursion desired flag") \
	F("RA",                 X_RA, NULL, "recursion available flag") \
	F("Z_nonzero",          X_Z, NULL, "the reserved Z field is not 0") \
	F("rejected",           X_REJECTED, NULL, "the server rejected the query") \
	F("has_rtt",            X_HAS_RTT, NULL, "rtt is set (a reply was seen)") \
	F("log_rtt_ms",         X_RTT, NULL, "log1p(rtt in milliseconds), 0 without rtt") \
	F("has_query",          X_HAS_QUERY, NULL, "query is set") \
	F("log_query_len",      X_QLEN, NULL, "log1p(bytes of the query name)") \
	F("log_query_labels",   X_QLABELS, NULL, "log1p(number of non-empty dot-separated labels)") \
	F("log_query_max_label", X_QMAXLABEL, NULL, "log1p(bytes of the longest label)") \
	F("query_digit_ratio",  X_QDIGITS, NULL, "digits / bytes of the query name, 0 without one") \
	F("query_entropy",      X_QENTROPY, NULL, "Shannon entropy of the query's characters (case folded), bits per character") \
	F("query_reverse",      X_QREVERSE, NULL, "the query ends in .in-addr.arpa or .ip6.arpa") \
	F("log_answers",        X_ANSWERS, NULL, "log1p(number of answers)") \
	F("log_ttl_min",        X_TTL_MIN, NULL, "log1p(smallest TTL of the answers, seconds), 0 without") \
	F("log_ttl_max",        X_TTL_MAX, NULL, "log1p(largest TTL of the answers, seconds), 0 without")

#define XNAME(name, src, word, doc) name,
#define XCOLUMN(name, src, word, doc) { name, src, word, doc },
static const char *const extended_names[] = { EXTENDED(XNAME) };
static const ext_column extended_columns[] = { EXTENDED(XCOLUMN) };
#define N_EXTENDED ((int)(sizeof extended_columns / sizeof extended_columns[0]))

/* The booleans, by source. */
static const char *const flag_field[N_XSOURCE] = {
	[X_AA] = "AA", [X_TC] = "TC", [X_RD] = "RD", [X_RA] = "RA",
	[X_REJECTED] = "rejected",
};

static ext_index xindex;
static int num_col[EXT_MAX_COLS], num_src[EXT_MAX_COLS], n_num;

static void extended_init(void)
{
	int c;

	if (ext_index_init(&xindex, extended_columns, N_EXTENDED) < 0)
		abort(); /* a malformed table: a programming error */
	for (c = 0; c < N_EXTENDED; c++)
		if (!extended_columns[c].word) {
			num_col[n_num] = c;
			num_src[n_num++] = extended_columns[c].src;
		}
}

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

static int extract_extended(zl_rec *rec, double *x, char *why)
{
	double num[N_XSOURCE] = { 0 };
	fld_addr orig, resp;
	ext_list answers;
	const char *s;
	size_t len;
	int port, z, i, has;

	if (!xindex.ready)
		extended_init();
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
	for (i = 0; i < n_num; i++)
		x[num_col[i]] = round6(num[num_src[i]]);
	return 0;
}

/* ---- context features of the extended schema ----
 *
 * What a source has been asking lately, as damped statistics over
 * half-lives of 10 s to 1000 s of log time (context.h; azw-extract
 * --context none leaves them out). Quantities per DNS transaction:
 *
 *   nxdomain  1 if rcode_name is NXDOMAIN (a DGA bot asks for names that
 *             mostly do not exist), else 0
 *   error     1 for any other error answer: SERVFAIL, REFUSED, FORMERR or
 *             another rcode that is not NOERROR / NXDOMAIN
 *   noreply   1 if no rcode was seen (no answer: dead resolvers, sinkholes,
 *             blocked DGA lookups), else 0
 *   qlen, entropy  the record's log_query_len and query_entropy (DGA names
 *             and tunnelled data are long and random)
 *   new name  whether this (source, query name) key was new: the query name
 *             (case folded, \xHH as its byte) is hashed to 32 bits into the
 *             source-to-service key in place of a port, so the share of a
 *             source's recent queries for names it had not asked within
 *             about 10000 s needs no set beyond the capped key table (a
 *             DGA's names are all new; a person's mostly repeat)
 *   new server whether this (source, resolver) pair was new
 *
 * Rates are log1p(decayed count); means of 0/1 quantities are shares in
 * [0, 1]; query length in log1p(bytes), entropy in bits per character.
 */
enum { Q_NX, Q_ERR, Q_NOREPLY, Q_QLEN, Q_ENTROPY, N_Q };

#define CONTEXT(F) \
	F("src_rate_10s",        CTX_SRC, CTX_RATE, 0, 10,   "source: log1p(decayed count of its queries), half-life 10 s") \
	F("src_rate_100s",       CTX_SRC, CTX_RATE, 0, 100,  "source: the same, half-life 100 s") \
	F("src_rate_1000s",      CTX_SRC, CTX_RATE, 0, 1000, "source: the same, half-life 1000 s") \
	F("src_nxdomain_100s",   CTX_SRC, CTX_MEAN, Q_NX, 100,  "source: decayed share of NXDOMAIN answers, 100 s") \
	F("src_nxdomain_1000s",  CTX_SRC, CTX_MEAN, Q_NX, 1000, "source: the same, 1000 s") \
	F("src_error_1000s",     CTX_SRC, CTX_MEAN, Q_ERR, 1000, "source: decayed share of other error answers (SERVFAIL, REFUSED, FORMERR...), 1000 s") \
	F("src_no_reply_1000s",  CTX_SRC, CTX_MEAN, Q_NOREPLY, 1000, "source: decayed share of queries without an answer (no rcode), 1000 s") \
	F("src_query_len_1000s", CTX_SRC, CTX_MEAN, Q_QLEN, 1000, "source: decayed mean of log_query_len, 1000 s") \
	F("src_query_entropy_1000s", CTX_SRC, CTX_MEAN, Q_ENTROPY, 1000, "source: decayed mean of query_entropy, 1000 s") \
	F("src_new_name_100s",   CTX_SRC, CTX_MEAN, CTX_Q_NEWSVC, 100,  "source: decayed share of queries for a name it had not asked lately (hashed, no sets kept), 100 s") \
	F("src_new_name_1000s",  CTX_SRC, CTX_MEAN, CTX_Q_NEWSVC, 1000, "source: the same, 1000 s") \
	F("src_new_server_1000s", CTX_SRC, CTX_MEAN, CTX_Q_NEWPAIR, 1000, "source: decayed share of queries to a responder it had not asked (fan-out), 1000 s") \

#define CNAME(name, key, stat, q, h, doc) name,
#define CCOLUMN(name, key, stat, q, h, doc) { name, key, stat, q, h, doc },
static const char *const context_names[] = { CONTEXT(CNAME) };
static const ctx_column context_columns[] = { CONTEXT(CCOLUMN) };
#define N_CONTEXT ((int)(sizeof context_columns / sizeof context_columns[0]))

/* Columns of the per-record vector the quantities come from. */
static int col_nx, col_noerror, col_none, col_qlen, col_entropy, context_ready;

static int column(const char *name)
{
	return ext_column_of(extended_names, N_EXTENDED, name);
}

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

	if (!context_ready) {
		if (!xindex.ready)
			extended_init();
		col_nx = column("rcode_NXDOMAIN");
		col_noerror = column("rcode_NOERROR");
		col_none = column("rcode_none");
		col_qlen = column("log_query_len");
		col_entropy = column("query_entropy");
		context_ready = 1;
	}
	if (ext_obs_ends(rec, o, why) < 0 ||
	    ext_text(rec, "query", &s, &len, why) < 0)
		return -1;
	o->svc = s ? name_hash(s, len) : 0;
	o->q[Q_NX] = x[col_nx] != 0;
	o->q[Q_NOREPLY] = x[col_none] != 0;
	o->q[Q_ERR] = !o->q[Q_NX] && !o->q[Q_NOREPLY] && x[col_noerror] == 0;
	o->q[Q_QLEN] = x[col_qlen];
	o->q[Q_ENTROPY] = x[col_entropy];
	return 0;
}

static const ctx_spec dns_context = {
	N_Q, -1, N_CONTEXT, context_columns, context_names, observe_dns,
};

const azw_context azw_context_dns = { "dns", "extended", &dns_context };

static const azw_schema dns_schemas[] = {
	{ "extended", N_EXTENDED, extended_names, extract_extended }, /* the default */
	{ "original", N_ORIGINAL, original_names, extract_original },
};

const azw_module azw_module_dns = {
	"dns",
	"Zeek dns.log: one record per DNS query and its answer",
	(int)(sizeof dns_schemas / sizeof dns_schemas[0]),
	dns_schemas,
};
