/* ssh.c - features of Zeek's ssh.log.
 *
 * Schema "original": AutoZeekWatch's 9 declared ssh columns, in its order,
 * with the semantics of its preprocess_json_ssh() at inference time (one
 * record at a time):
 *
 *   auth_success   true 1, false 0.
 *   auth_attempts  the count rounded to float32; a JSON float and a
 *       numeric string are accepted.
 *   direction      1 for OUTBOUND, 0 for INBOUND (Zeek's own direction,
 *       from Site::local_nets).
 *   is_destination_broadcast   1 when the text of id.resp_h ends with
 *       "255", else 0.
 *   version_2      1 for protocol version 2 (the integer 2 or the string
 *       "2"); 0 for 1, for a JSON float 2.0 (Python names it version_2.0)
 *       and when version is missing.
 *   traffic_direction_*   internal, outgoing, incoming, external from
 *       Python 3.11.2's ipaddress is_private (see fields.c); all four 0
 *       when either address is IPv6, as the original has no IPv6 column
 *       here. A "traffic_direction" field in the record is ignored (the
 *       original overwrote it too).
 *
 * Nine columns, always. The original listed "version" twice in its
 * fields, so for a record with a version it returned a tenth column, a
 * second version_2 equal to the first, which shifted nothing KitNET read
 * (quirk B4); azw writes the declared nine.
 *
 * Inference, not training: version_2 is 1 for a version 2 record, as
 * infer.py computes it (quirk C2). train.py, given a batch in which any
 * record lacks version, names the column version_2.0 and trained with
 * version_2 always 0; azw never reproduces that batch artefact.
 *
 * Where the original gave NaN or crashed, azw does this instead:
 *
 *   - auth_success missing or null gives 0 (the original gave NaN, which
 *     then crashed its KitNET training, quirk D). Zeek leaves it unset when
 *     it could not tell whether a login succeeded: most often no
 *     authentication happened at all (a banner grab, a scanner, a client
 *     that gave up; auth_attempts is then 0), otherwise the heuristics
 *     could not decide. The column says "Zeek saw a successful login"; an
 *     unknown outcome is not one, so it is 0, as the original itself
 *     treats a missing ssl sni_matches_cert. It is not read as "failed":
 *     auth_attempts, which stays its own column, still tells a session
 *     without attempts from one with failed attempts. (A third level such
 *     as 0.5 would be a value no Zeek field has, and min-max normalised
 *     by KitNET it would look like a half-success.) The strings "T" / "F"
 *     (Zeek TSV) and the numbers 0 / 1 are accepted too.
 *   - auth_attempts missing or null gives 0 (the original gave NaN).
 *   - direction missing or null gives 0 (the original gave NaN): the
 *     column says "outbound", and Zeek omits direction when the
 *     originator is neither local nor remote per Site::local_nets. Any
 *     other direction text (Zeek's Direction enum also has BIDIRECTIONAL
 *     and NO_DIRECTION; the original crashed on them) gives 0 as well.
 *   - a missing id.orig_h or id.resp_h, or one that is not an IPv4 or
 *     IPv6 address, rejects the record (the original raised);
 *   - a field of the wrong type rejects the record: auth_success that is
 *     not a boolean as above, auth_attempts that is not a non-negative
 *     number or numeric string, a direction or version that is neither a
 *     string nor a number.
 *
 * A rejected record is reported and skipped by azw-extract.
 */
#include "modules/fields.h"
#include "modules/modules.h"

/* What a record yields before it becomes columns. */
enum source {
	S_AUTH_SUCCESS,
	S_AUTH_ATTEMPTS,
	S_ZEEK_DIRECTION,
	S_BROADCAST,
	S_VERSION,
	S_DIRECTION,
	N_SOURCE
};

static const fld_source sources[N_SOURCE] = {
	[S_AUTH_SUCCESS]   = { "auth_success",        FLD_FLAG },
	[S_AUTH_ATTEMPTS]  = { "auth_attempts",       FLD_COUNT32 },
	[S_ZEEK_DIRECTION] = { "direction",           FLD_CATEGORY },
	[S_BROADCAST]      = { "id.resp_h",           FLD_BROADCAST },
	[S_VERSION]        = { "version",             FLD_CATEGORY },
	[S_DIRECTION]      = { "id.orig_h id.resp_h", FLD_DIRECTION },
};

/* The "original" feature table: column name, source, and for a one-hot
 * column the category value that sets it (NULL: the source's number). */
#define ORIGINAL(F) \
	F("auth_success",               S_AUTH_SUCCESS,   NULL) \
	F("auth_attempts",              S_AUTH_ATTEMPTS,  NULL) \
	F("direction",                  S_ZEEK_DIRECTION, "OUTBOUND") \
	F("is_destination_broadcast",   S_BROADCAST,      NULL) \
	F("version_2",                  S_VERSION,        "2") \
	F("traffic_direction_external", S_DIRECTION,      "external") \
	F("traffic_direction_incoming", S_DIRECTION,      "incoming") \
	F("traffic_direction_internal", S_DIRECTION,      "internal") \
	F("traffic_direction_outgoing", S_DIRECTION,      "outgoing")

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

static const azw_schema ssh_schemas[] = {
	{ "original", N_ORIGINAL, original_names, extract_original },
};

const azw_module azw_module_ssh = {
	"ssh",
	"Zeek ssh.log: one record per SSH session",
	(int)(sizeof ssh_schemas / sizeof ssh_schemas[0]),
	ssh_schemas,
};
