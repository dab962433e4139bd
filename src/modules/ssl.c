/* ssl.c - features of Zeek's ssl.log.
 *
 * Schema "original": AutoZeekWatch's 65 ssl columns, in its order, with
 * the semantics of its preprocess_json_ssl() at inference time (one
 * record at a time):
 *
 *   resumed, established, sni_matches_cert   true 1, false 0; a missing
 *       or null sni_matches_cert is 0 (the original's fillna(False)).
 *   cert_chain_fps, client_cert_chain_fps   Python's len(list(value)):
 *       the number of fingerprints in the list, 0 when missing or null;
 *       a string (not what Zeek writes) counts its characters, as in the
 *       original.
 *   has_version, has_cert_chain_fps, has_client_cert_chain_fps,
 *   has_sni_matches_cert, has_validation_status   1 when the field is
 *       there and not null (pandas notnull; an empty list [] counts),
 *       else 0.
 *   is_destination_broadcast   1 when the text of id.resp_h ends with
 *       "255", else 0.
 *   version_TLSv12, version_TLSv13   one-hot per record: any other
 *       version (TLSv10, TLSv11, SSLv3, DTLS...) or none sets neither.
 *   traffic_direction_*   internal, outgoing, incoming, external from
 *       Python 3.11.2's ipaddress is_private (see fields.c); all four 0
 *       when either address is IPv6, as the original has no IPv6 column
 *       here.
 *   ssl_history_has_<c>   1 when ssl_history holds the letter c; all 0
 *       when ssl_history is missing or null. Letters not listed (Z) are
 *       ignored.
 *
 * Column order of the 48 ssl_history_has_<c> columns: the letters in the
 * order of the string "HCSVTXKRNYGFWUABDOPMIJLQhcsvtxkrnygfwuabdopmijlq".
 * The original iterated set() of that string, whose order depends on
 * Python's per-process hash seed, so it had no fixed order at all (a
 * model trained by one process was scored by another with the columns
 * permuted, quirk C5); the golden vectors use the string order and so
 * does azw.
 *
 * Where the original crashed, azw does this instead:
 *
 *   - a missing or null resumed or established gives 0, and the strings
 *     "T" / "F" (Zeek TSV's booleans) and the numbers 0 / 1 are accepted
 *     (the original raised TypeError at astype(int));
 *   - a missing id.orig_h or id.resp_h, or one that is not an IPv4 or
 *     IPv6 address, rejects the record (the original raised);
 *   - a field of the wrong type rejects the record: a boolean that is not
 *     one of the above, a fingerprint chain that is neither a list nor a
 *     string, a version that is neither a string nor a number, an
 *     ssl_history that is not a string.
 *
 * Fields the module does not read (cipher, curve, server_name, _path,
 * _write_ts, ...) are ignored. A rejected record is reported and skipped
 * by azw-extract.
 */
#include "modules/fields.h"
#include "modules/modules.h"

/* What a record yields before it becomes columns. */
enum source {
	S_RESUMED,
	S_ESTABLISHED,
	S_CERT_CHAIN_FPS,
	S_CLIENT_CERT_CHAIN_FPS,
	S_SNI_MATCHES_CERT,
	S_HAS_VERSION,
	S_HAS_CERT_CHAIN_FPS,
	S_HAS_CLIENT_CERT_CHAIN_FPS,
	S_HAS_SNI_MATCHES_CERT,
	S_HAS_VALIDATION_STATUS,
	S_BROADCAST,
	S_VERSION,
	S_DIRECTION,
	S_SSL_HISTORY,
	N_SOURCE
};

static const fld_source sources[N_SOURCE] = {
	[S_RESUMED]                   = { "resumed",               FLD_FLAG },
	[S_ESTABLISHED]               = { "established",           FLD_FLAG },
	[S_CERT_CHAIN_FPS]            = { "cert_chain_fps",        FLD_LENGTH },
	[S_CLIENT_CERT_CHAIN_FPS]     = { "client_cert_chain_fps", FLD_LENGTH },
	[S_SNI_MATCHES_CERT]          = { "sni_matches_cert",      FLD_FLAG },
	[S_HAS_VERSION]               = { "version",               FLD_PRESENT },
	[S_HAS_CERT_CHAIN_FPS]        = { "cert_chain_fps",        FLD_PRESENT },
	[S_HAS_CLIENT_CERT_CHAIN_FPS] = { "client_cert_chain_fps", FLD_PRESENT },
	[S_HAS_SNI_MATCHES_CERT]      = { "sni_matches_cert",      FLD_PRESENT },
	[S_HAS_VALIDATION_STATUS]     = { "validation_status",     FLD_PRESENT },
	[S_BROADCAST]                 = { "id.resp_h",             FLD_BROADCAST },
	[S_VERSION]                   = { "version",               FLD_CATEGORY },
	[S_DIRECTION]                 = { "id.orig_h id.resp_h",   FLD_DIRECTION },
	[S_SSL_HISTORY]               = { "ssl_history",           FLD_LETTERS },
};

/* The "original" feature table: column name, source, and for a one-hot
 * or letter column the value that sets it (NULL: the source's number). */
#define ORIGINAL(F) \
	F("resumed",                    S_RESUMED,                   NULL) \
	F("established",                S_ESTABLISHED,               NULL) \
	F("cert_chain_fps",             S_CERT_CHAIN_FPS,            NULL) \
	F("client_cert_chain_fps",      S_CLIENT_CERT_CHAIN_FPS,     NULL) \
	F("sni_matches_cert",           S_SNI_MATCHES_CERT,          NULL) \
	F("has_version",                S_HAS_VERSION,               NULL) \
	F("has_cert_chain_fps",         S_HAS_CERT_CHAIN_FPS,        NULL) \
	F("has_client_cert_chain_fps",  S_HAS_CLIENT_CERT_CHAIN_FPS, NULL) \
	F("has_sni_matches_cert",       S_HAS_SNI_MATCHES_CERT,      NULL) \
	F("has_validation_status",      S_HAS_VALIDATION_STATUS,     NULL) \
	F("is_destination_broadcast",   S_BROADCAST,                 NULL) \
	F("version_TLSv12",             S_VERSION,                   "TLSv12") \
	F("version_TLSv13",             S_VERSION,                   "TLSv13") \
	F("traffic_direction_external", S_DIRECTION,                 "external") \
	F("traffic_direction_incoming", S_DIRECTION,                 "incoming") \
	F("traffic_direction_internal", S_DIRECTION,                 "internal") \
	F("traffic_direction_outgoing", S_DIRECTION,                 "outgoing") \
	F("ssl_history_has_H",          S_SSL_HISTORY,               "H") \
	F("ssl_history_has_C",          S_SSL_HISTORY,               "C") \
	F("ssl_history_has_S",          S_SSL_HISTORY,               "S") \
	F("ssl_history_has_V",          S_SSL_HISTORY,               "V") \
	F("ssl_history_has_T",          S_SSL_HISTORY,               "T") \
	F("ssl_history_has_X",          S_SSL_HISTORY,               "X") \
	F("ssl_history_has_K",          S_SSL_HISTORY,               "K") \
	F("ssl_history_has_R",          S_SSL_HISTORY,               "R") \
	F("ssl_history_has_N",          S_SSL_HISTORY,               "N") \
	F("ssl_history_has_Y",          S_SSL_HISTORY,               "Y") \
	F("ssl_history_has_G",          S_SSL_HISTORY,               "G") \
	F("ssl_history_has_F",          S_SSL_HISTORY,               "F") \
	F("ssl_history_has_W",          S_SSL_HISTORY,               "W") \
	F("ssl_history_has_U",          S_SSL_HISTORY,               "U") \
	F("ssl_history_has_A",          S_SSL_HISTORY,               "A") \
	F("ssl_history_has_B",          S_SSL_HISTORY,               "B") \
	F("ssl_history_has_D",          S_SSL_HISTORY,               "D") \
	F("ssl_history_has_O",          S_SSL_HISTORY,               "O") \
	F("ssl_history_has_P",          S_SSL_HISTORY,               "P") \
	F("ssl_history_has_M",          S_SSL_HISTORY,               "M") \
	F("ssl_history_has_I",          S_SSL_HISTORY,               "I") \
	F("ssl_history_has_J",          S_SSL_HISTORY,               "J") \
	F("ssl_history_has_L",          S_SSL_HISTORY,               "L") \
	F("ssl_history_has_Q",          S_SSL_HISTORY,               "Q") \
	F("ssl_history_has_h",          S_SSL_HISTORY,               "h") \
	F("ssl_history_has_c",          S_SSL_HISTORY,               "c") \
	F("ssl_history_has_s",          S_SSL_HISTORY,               "s") \
	F("ssl_history_has_v",          S_SSL_HISTORY,               "v") \
	F("ssl_history_has_t",          S_SSL_HISTORY,               "t") \
	F("ssl_history_has_x",          S_SSL_HISTORY,               "x") \
	F("ssl_history_has_k",          S_SSL_HISTORY,               "k") \
	F("ssl_history_has_r",          S_SSL_HISTORY,               "r") \
	F("ssl_history_has_n",          S_SSL_HISTORY,               "n") \
	F("ssl_history_has_y",          S_SSL_HISTORY,               "y") \
	F("ssl_history_has_g",          S_SSL_HISTORY,               "g") \
	F("ssl_history_has_f",          S_SSL_HISTORY,               "f") \
	F("ssl_history_has_w",          S_SSL_HISTORY,               "w") \
	F("ssl_history_has_u",          S_SSL_HISTORY,               "u") \
	F("ssl_history_has_a",          S_SSL_HISTORY,               "a") \
	F("ssl_history_has_b",          S_SSL_HISTORY,               "b") \
	F("ssl_history_has_d",          S_SSL_HISTORY,               "d") \
	F("ssl_history_has_o",          S_SSL_HISTORY,               "o") \
	F("ssl_history_has_p",          S_SSL_HISTORY,               "p") \
	F("ssl_history_has_m",          S_SSL_HISTORY,               "m") \
	F("ssl_history_has_i",          S_SSL_HISTORY,               "i") \
	F("ssl_history_has_j",          S_SSL_HISTORY,               "j") \
	F("ssl_history_has_l",          S_SSL_HISTORY,               "l") \
	F("ssl_history_has_q",          S_SSL_HISTORY,               "q")

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

static const azw_schema ssl_schemas[] = {
	{ "original", N_ORIGINAL, original_names, extract_original },
};

const azw_module azw_module_ssl = {
	"ssl",
	"Zeek ssl.log: one record per TLS/SSL session",
	(int)(sizeof ssl_schemas / sizeof ssl_schemas[0]),
	ssl_schemas,
};
