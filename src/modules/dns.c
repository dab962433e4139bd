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
#include "modules/fields.h"
#include "modules/modules.h"

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
	fld_slot v[N_SOURCE];

	if (fld_read(rec, sources, N_SOURCE, v, why) < 0)
		return -1;
	fld_columns(sources, original_columns, N_ORIGINAL, v, x);
	return 0;
}

static const azw_schema dns_schemas[] = {
	{ "original", N_ORIGINAL, original_names, extract_original },
};

const azw_module azw_module_dns = {
	"dns",
	"Zeek dns.log: one record per DNS query and its answer",
	(int)(sizeof dns_schemas / sizeof dns_schemas[0]),
	dns_schemas,
};
