/* http.c - features of Zeek's http.log.
 *
 * Schema "original": AutoZeekWatch's 16 http columns, in its order, with
 * the semantics of its preprocess_json_http() at inference time (one
 * record at a time):
 *
 *   trans_depth, request_body_len, response_body_len   the count rounded
 *       to float32 (2^24+1 gives 16777216); a JSON float (3.0) and a
 *       numeric string ("5") are accepted.
 *   has_host   1 when host is there and not null (pandas notnull), else 0.
 *   is_destination_broadcast   1 when the text of id.resp_h ends with
 *       "255", else 0.
 *   method_*, status_code_*, version_*   one-hot per record: a value that
 *       is not one of the listed columns (method POST, status 404,
 *       version 1.0, ...) sets no column of its group, nor does a missing
 *       or null one. The column is the one Python's str() names: the
 *       integer 200 and the string "200" set status_code_200, the JSON
 *       float 200.0 sets none (its name would be status_code_200.0).
 *   traffic_direction_*   internal, outgoing, incoming, external from
 *       Python 3.11.2's ipaddress is_private (see fields.c), or IPv6 when
 *       either address is IPv6 (IPv4-mapped included).
 *
 * Inference, not training: status_code_200 is 1 for a record with status
 * 200, as AutoZeekWatch's infer.py computes it (quirk C1). Its train.py,
 * given a batch in which any record lacks status_code, names the column
 * status_code_200.0 and so trained with status_code_200 always 0; azw
 * never reproduces that batch artefact.
 *
 * Where the original gave NaN or crashed, azw does this instead:
 *
 *   - a missing or null trans_depth, request_body_len or response_body_len
 *     gives 0 (the original gave NaN; Zeek leaves the field unset when
 *     there was no such transaction or body);
 *   - a missing id.orig_h or id.resp_h, or one that is not an IPv4 or
 *     IPv6 address, rejects the record (the original raised);
 *   - a field of the wrong type rejects the record: a count that is not a
 *     non-negative number or numeric string, or too large for float32; a
 *     method, version or status_code that is neither a string nor a
 *     number.
 *
 * A rejected record is reported and skipped by azw-extract.
 */
#include "modules/fields.h"
#include "modules/modules.h"

/* What a record yields before it becomes columns. */
enum source {
	S_TRANS_DEPTH,
	S_REQUEST_BODY_LEN,
	S_RESPONSE_BODY_LEN,
	S_HAS_HOST,
	S_BROADCAST,
	S_METHOD,
	S_STATUS_CODE,
	S_VERSION,
	S_DIRECTION,
	N_SOURCE
};

static const fld_source sources[N_SOURCE] = {
	[S_TRANS_DEPTH]       = { "trans_depth",         FLD_COUNT32 },
	[S_REQUEST_BODY_LEN]  = { "request_body_len",    FLD_COUNT32 },
	[S_RESPONSE_BODY_LEN] = { "response_body_len",   FLD_COUNT32 },
	[S_HAS_HOST]          = { "host",                FLD_PRESENT },
	[S_BROADCAST]         = { "id.resp_h",           FLD_BROADCAST },
	[S_METHOD]            = { "method",              FLD_CATEGORY },
	[S_STATUS_CODE]       = { "status_code",         FLD_CATEGORY },
	[S_VERSION]           = { "version",             FLD_CATEGORY },
	[S_DIRECTION]         = { "id.orig_h id.resp_h", FLD_DIRECTION },
};

/* The "original" feature table: column name, source, and for a one-hot
 * column the category value that sets it (NULL: the source's number). */
#define ORIGINAL(F) \
	F("trans_depth",                S_TRANS_DEPTH,       NULL) \
	F("request_body_len",           S_REQUEST_BODY_LEN,  NULL) \
	F("response_body_len",          S_RESPONSE_BODY_LEN, NULL) \
	F("has_host",                   S_HAS_HOST,          NULL) \
	F("is_destination_broadcast",   S_BROADCAST,         NULL) \
	F("method_CONNECT",             S_METHOD,            "CONNECT") \
	F("method_GET",                 S_METHOD,            "GET") \
	F("status_code_0",              S_STATUS_CODE,       "0") \
	F("status_code_200",            S_STATUS_CODE,       "200") \
	F("version_0.9",                S_VERSION,           "0.9") \
	F("version_1.1",                S_VERSION,           "1.1") \
	F("traffic_direction_IPv6",     S_DIRECTION,         "IPv6") \
	F("traffic_direction_external", S_DIRECTION,         "external") \
	F("traffic_direction_incoming", S_DIRECTION,         "incoming") \
	F("traffic_direction_internal", S_DIRECTION,         "internal") \
	F("traffic_direction_outgoing", S_DIRECTION,         "outgoing")

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

static const azw_schema http_schemas[] = {
	{ "original", N_ORIGINAL, original_names, extract_original },
};

const azw_module azw_module_http = {
	"http",
	"Zeek http.log: one record per HTTP request and its reply",
	(int)(sizeof http_schemas / sizeof http_schemas[0]),
	http_schemas,
};
