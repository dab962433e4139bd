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
#include "context.h"
#include "modules/extended.h"
#include "modules/fields.h"
#include "modules/modules.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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
	[S_AUTH_SUCCESS]   = { "auth_success",        FLD_FLAG, NULL },
	[S_AUTH_ATTEMPTS]  = { "auth_attempts",       FLD_COUNT32, NULL },
	[S_ZEEK_DIRECTION] = { "direction",           FLD_CATEGORY, NULL },
	[S_BROADCAST]      = { "id.resp_h",           FLD_BROADCAST, NULL },
	[S_VERSION]        = { "version",             FLD_CATEGORY, NULL },
	[S_DIRECTION]      = { "id.orig_h id.resp_h", FLD_DIRECTION, NULL },
};

/* The "original" feature table: column name, source, and for a one-hot
 * column the category value that sets it (NULL: the source's number); the
 * source's kind says what it means (fld_describe). */
static const azw_feature original[] = {
	{ "auth_success",               S_AUTH_SUCCESS,   NULL, NULL },
	{ "auth_attempts",              S_AUTH_ATTEMPTS,  NULL, NULL },
	{ "direction",                  S_ZEEK_DIRECTION, "OUTBOUND", NULL },
	{ "is_destination_broadcast",   S_BROADCAST,      NULL, NULL },
	{ "version_2",                  S_VERSION,        "2", NULL },
	{ "traffic_direction_external", S_DIRECTION,      "external", NULL },
	{ "traffic_direction_incoming", S_DIRECTION,      "incoming", NULL },
	{ "traffic_direction_internal", S_DIRECTION,      "internal", NULL },
	{ "traffic_direction_outgoing", S_DIRECTION,      "outgoing", NULL },
};


/* ---- schema "extended" ----
 *
 * What an autoencoder should see of one SSH session: the outcome of
 * authentication as three columns (success, failure, unknown: a scanner or
 * banner grab leaves it unset) and the attempts on a log scale; the
 * protocol version; the client and server software families from their
 * banners (brute-force tools use libssh, Go, paramiko...); the negotiated
 * algorithms in small families with an `other` column (old or odd
 * algorithms, and Zeek's "Algorithm negotiation failed", land there) and
 * a `none` column when unset (no key exchange seen); Zeek's own direction
 * and the direction from the local networks (--local-nets). Depends on the
 * record alone; everything is finite; numbers are rounded to 6 decimals.
 *
 * Missing fields: auth_success -> auth_unknown; auth_attempts -> 0;
 * direction -> zeek_dir_none; version -> version_none; client / server
 * -> *_none (a banner holding a NUL byte is *_other); an algorithm -> its
 * *_none column; the port -> resp_port_other. A text field holding a NUL
 * byte is not rejected (ext_text).
 * Rejected, with the reason: a missing or bad id.orig_h / id.resp_h (as
 * "original"), and a field of the wrong type or a bad value (a negative or
 * non-numeric auth_attempts, a boolean that is not one).
 */
enum xsource {
	X_IPV6, X_DIR, X_ZEEK_DIR, X_PORT,
	X_AUTH, X_ATTEMPTS, X_VERSION,
	X_CLIENT, X_SERVER,
	X_CIPHER, X_MAC, X_KEX, X_HOSTKEY, X_COMPRESSION,
	X_HAS_HASSH,
	N_XSOURCE
};

/* One row per feature: name, source, the value(s) of a categorical source
 * that set it ('|' between aliases; EXT_OTHER: any other value; NULL: a
 * number), meaning: what azw-extract --features prints, and azw-features(7)
 * says. */
static const azw_feature extended[] = {
	{ "is_ipv6",          X_IPV6, NULL, "1 if an address is IPv6 (IPv4-mapped ::ffff:a.b.c.d is IPv4)" },
	{ "dir_internal",     X_DIR, "internal", "both ends in --local-nets" },
	{ "dir_outgoing",     X_DIR, "outgoing", "only the originator is local" },
	{ "dir_incoming",     X_DIR, "incoming", "only the responder is local (a login from outside)" },
	{ "dir_external",     X_DIR, "external", "neither end is local" },
	{ "zeek_dir_inbound", X_ZEEK_DIR, "INBOUND",  "Zeek's direction INBOUND (per its Site::local_nets)" },
	{ "zeek_dir_outbound", X_ZEEK_DIR, "OUTBOUND", "Zeek's direction OUTBOUND" },
	{ "zeek_dir_other",   X_ZEEK_DIR, EXT_OTHER, "any other direction (BIDIRECTIONAL, NO_DIRECTION)" },
	{ "zeek_dir_none",    X_ZEEK_DIR, "-", "no direction (the originator neither local nor remote to Zeek)" },
	{ "resp_port_22",     X_PORT, "22",   "responder port 22" },
	{ "resp_port_2222",   X_PORT, "2222", "responder port 2222" },
	{ "resp_port_other",  X_PORT, EXT_OTHER, "any other responder port, or none" },
	{ "auth_success",     X_AUTH, "T", "auth_success true: Zeek saw a successful login" },
	{ "auth_failure",     X_AUTH, "F", "auth_success false: authentication failed" },
	{ "auth_unknown",     X_AUTH, "-", "auth_success unset: no authentication seen, or Zeek could not tell" },
	{ "log_auth_attempts", X_ATTEMPTS, NULL, "log1p(auth_attempts)" },
	{ "version_2",        X_VERSION, "2", "protocol version 2" },
	{ "version_1",        X_VERSION, "1", "protocol version 1 (obsolete)" },
	{ "version_other",    X_VERSION, EXT_OTHER, "any other version" },
	{ "version_none",     X_VERSION, "-", "no version (the handshake was not seen: a banner grab, a scanner)" },
	{ "client_openssh",   X_CLIENT, "OpenSSH|OPENSSH", "client banner SSH-x-OpenSSH..." },
	{ "client_libssh",    X_CLIENT, "libssh|libssh2", "client libssh or libssh2 (scripts, brute-force tools)" },
	{ "client_putty",     X_CLIENT, "PuTTY|WinSCP|PuTTY-Release", "client PuTTY or WinSCP" },
	{ "client_paramiko",  X_CLIENT, "paramiko", "client paramiko (Python)" },
	{ "client_go",        X_CLIENT, "Go", "client Go's x/crypto/ssh" },
	{ "client_other",     X_CLIENT, EXT_OTHER, "any other client software" },
	{ "client_none",      X_CLIENT, "-", "no client banner" },
	{ "server_openssh",   X_SERVER, "OpenSSH", "server OpenSSH" },
	{ "server_dropbear",  X_SERVER, "dropbear", "server dropbear (embedded devices, routers)" },
	{ "server_libssh",    X_SERVER, "libssh|libssh2", "server libssh" },
	{ "server_other",     X_SERVER, EXT_OTHER, "any other server software (honeypots, appliances)" },
	{ "server_none",      X_SERVER, "-", "no server banner" },
	{ "cipher_chacha20",  X_CIPHER, "chacha20-poly1305@openssh.com", "cipher_alg chacha20-poly1305" },
	{ "cipher_aes_gcm",   X_CIPHER, "aes128-gcm@openssh.com|aes256-gcm@openssh.com", "cipher_alg AES-GCM" },
	{ "cipher_aes_ctr",   X_CIPHER, "aes128-ctr|aes192-ctr|aes256-ctr", "cipher_alg AES-CTR" },
	{ "cipher_cbc",       X_CIPHER, "aes128-cbc|aes192-cbc|aes256-cbc|3des-cbc|blowfish-cbc|cast128-cbc|rijndael-cbc@lysator.liu.se", "cipher_alg a CBC mode (legacy)" },
	{ "cipher_other",     X_CIPHER, EXT_OTHER, "any other cipher_alg (arcfour, none, negotiation failed...)" },
	{ "cipher_none",      X_CIPHER, "-", "no cipher_alg" },
	{ "mac_etm",          X_MAC, "hmac-sha2-256-etm@openssh.com|hmac-sha2-512-etm@openssh.com|umac-64-etm@openssh.com|umac-128-etm@openssh.com|hmac-sha1-etm@openssh.com", "mac_alg encrypt-then-MAC" },
	{ "mac_sha2",         X_MAC, "hmac-sha2-256|hmac-sha2-512|umac-64@openssh.com|umac-128@openssh.com", "mac_alg HMAC-SHA2 or UMAC" },
	{ "mac_legacy",       X_MAC, "hmac-sha1|hmac-sha1-96|hmac-md5|hmac-md5-96|hmac-ripemd160", "mac_alg SHA-1 or MD5 (legacy)" },
	{ "mac_other",        X_MAC, EXT_OTHER, "any other mac_alg" },
	{ "mac_none",         X_MAC, "-", "no mac_alg" },
	{ "kex_curve25519",   X_KEX, "curve25519-sha256|curve25519-sha256@libssh.org", "kex_alg curve25519" },
	{ "kex_pq_hybrid",    X_KEX, "sntrup761x25519-sha512@openssh.com|sntrup761x25519-sha512|mlkem768x25519-sha256", "kex_alg a post-quantum hybrid" },
	{ "kex_ecdh",         X_KEX, "ecdh-sha2-nistp256|ecdh-sha2-nistp384|ecdh-sha2-nistp521", "kex_alg ECDH on a NIST curve" },
	{ "kex_dh_gex",       X_KEX, "diffie-hellman-group-exchange-sha256|diffie-hellman-group-exchange-sha1", "kex_alg Diffie-Hellman group exchange" },
	{ "kex_dh_group",     X_KEX, "diffie-hellman-group14-sha256|diffie-hellman-group14-sha1|diffie-hellman-group16-sha512|diffie-hellman-group18-sha512", "kex_alg Diffie-Hellman group 14, 16 or 18" },
	{ "kex_dh_legacy",    X_KEX, "diffie-hellman-group1-sha1", "kex_alg Diffie-Hellman group 1 (broken, old tools)" },
	{ "kex_other",        X_KEX, EXT_OTHER, "any other kex_alg (negotiation failed...)" },
	{ "kex_none",         X_KEX, "-", "no kex_alg" },
	{ "hostkey_ed25519",  X_HOSTKEY, "ssh-ed25519", "host_key_alg ssh-ed25519" },
	{ "hostkey_ecdsa",    X_HOSTKEY, "ecdsa-sha2-nistp256|ecdsa-sha2-nistp384|ecdsa-sha2-nistp521", "host_key_alg ECDSA" },
	{ "hostkey_rsa",      X_HOSTKEY, "ssh-rsa|rsa-sha2-256|rsa-sha2-512", "host_key_alg RSA" },
	{ "hostkey_dss",      X_HOSTKEY, "ssh-dss", "host_key_alg DSA (legacy)" },
	{ "hostkey_other",    X_HOSTKEY, EXT_OTHER, "any other host_key_alg (certificates, negotiation failed...)" },
	{ "hostkey_none",     X_HOSTKEY, "-", "no host_key_alg" },
	{ "compression_none", X_COMPRESSION, "none", "compression_alg none" },
	{ "compression_zlib", X_COMPRESSION, "zlib|zlib@openssh.com", "compression_alg zlib" },
	{ "compression_other", X_COMPRESSION, EXT_OTHER, "any other compression_alg, or none logged" },
	{ "has_hassh",        X_HAS_HASSH, NULL, "a HASSH client fingerprint is logged (hassh package)" },
};

#define N_EXTENDED AZW_N(extended)

static ext_index xindex;

/* The software of a banner "SSH-2.0-OpenSSH_8.2p1 Ubuntu": the token after
 * the second '-', up to '_', '-', ' ' or the end ("OpenSSH"); a banner
 * without the "SSH-" prefix gives its own first token. */
static int software(zl_rec *rec, const char *field, int src, double *x, char *why)
{
	const char *s;
	size_t len, i = 0, j;

	int r = ext_text(rec, field, &s, &len, why);

	if (r < 0)
		return -1;
	if (r == 1) { /* holds a NUL byte */
		ext_set(&xindex, x, src, EXT_OTHER, 1);
		return 0;
	}
	if (!s || len == 0) {
		ext_set(&xindex, x, src, "-", 1);
		return 0;
	}
	if (len > 4 && memcmp(s, "SSH-", 4) == 0) {
		for (i = 4; i < len && s[i] != '-'; i++)
			;
		i = i < len ? i + 1 : 4;
	}
	for (j = i; j < len && s[j] != '_' && s[j] != '-' && s[j] != ' '; j++)
		;
	ext_set(&xindex, x, src, s + i, j - i);
	return 0;
}

static int extract_extended(const azw_schema *schema, zl_rec *rec, double *x, char *why)
{
	double num[N_XSOURCE] = { 0 };
	fld_addr orig, resp;
	const char *s;
	size_t len;
	int port, auth, i;
	static const struct { const char *field; int src; } algs[] = {
		{ "cipher_alg", X_CIPHER }, { "mac_alg", X_MAC }, { "kex_alg", X_KEX },
		{ "host_key_alg", X_HOSTKEY },
	};

	(void)schema;
	if (fld_address(rec, "id.orig_h", &orig, why) < 0 ||
	    fld_address(rec, "id.resp_h", &resp, why) < 0 ||
	    fld_port(rec, "id.resp_p", &port, why) < 0 ||
	    fld_bool(rec, "auth_success", 0, &auth, why) < 0 ||
	    ext_log1p(rec, "auth_attempts", &num[X_ATTEMPTS], why) < 0)
		return -1;
	memset(x, 0, (size_t)N_EXTENDED * sizeof *x);

	num[X_IPV6] = orig.v6 || resp.v6;
	s = ext_direction(&orig, &resp);
	ext_set(&xindex, x, X_DIR, s, strlen(s));
	s = port == 22 ? "22" : port == 2222 ? "2222" : EXT_OTHER;
	ext_set(&xindex, x, X_PORT, s, strlen(s));
	s = auth < 0 ? "-" : auth ? "T" : "F";
	ext_set(&xindex, x, X_AUTH, s, 1);

	if (ext_category(&xindex, rec, "direction", X_ZEEK_DIR, "-", x, why) < 0 ||
	    ext_category(&xindex, rec, "version", X_VERSION, "-", x, why) < 0 ||
	    software(rec, "client", X_CLIENT, x, why) < 0 ||
	    software(rec, "server", X_SERVER, x, why) < 0 ||
	    ext_category(&xindex, rec, "compression_alg", X_COMPRESSION, EXT_OTHER, x, why) < 0)
		return -1;
	for (i = 0; i < (int)(sizeof algs / sizeof algs[0]); i++)
		if (ext_category(&xindex, rec, algs[i].field, algs[i].src, "-", x, why) < 0)
			return -1;

	if (ext_text(rec, "hassh", &s, &len, why) < 0)
		return -1;
	num[X_HAS_HASSH] = s && len > 0;

	ext_numbers(&xindex, num, x);
	return 0;
}

/* ---- context features of the extended schema ----
 *
 * The columns and what each quantity means: ctx_columns_ssh in
 * context_columns.c; observe_ssh() below fills the quantities. */

/* Columns of the per-record vector the quantities come from. */
static int col_fail, col_success, col_unknown, col_attempts;

/* A record's keys and quantities; x: its extended per-record features. */
static int observe_ssh(zl_rec *rec, const double *x, ctx_obs *o, char *why)
{
	if (ext_obs_ends(rec, o, why) < 0)
		return -1;
	o->q[SSH_Q_FAIL] = x[col_fail] != 0;
	o->q[SSH_Q_SUCCESS] = x[col_success] != 0;
	o->q[SSH_Q_UNKNOWN] = x[col_unknown] != 0;
	o->q[SSH_Q_ATTEMPTS] = x[col_attempts];
	return 0;
}

static const ctx_spec ssh_context = { &ctx_columns_ssh, observe_ssh };

static void init(void)
{
	if (ext_index_init(&xindex, extended, N_EXTENDED) < 0)
		abort(); /* a malformed table: a programming error */
	col_fail = ext_word_col(&xindex, X_AUTH, "F");
	col_success = ext_word_col(&xindex, X_AUTH, "T");
	col_unknown = ext_word_col(&xindex, X_AUTH, "-");
	col_attempts = ext_num_col(&xindex, X_ATTEMPTS);
}

static const azw_schema ssh_schemas[] = {
	{ "extended", N_EXTENDED, extended, extract_extended, &ssh_context, 0, NULL }, /* the default */
	{ "original", AZW_N(original), original, fld_extract_schema, NULL, N_SOURCE, sources },
};

const azw_module azw_module_ssh = {
	"ssh",
	"Zeek ssh.log: one record per SSH session",
	init,
	AZW_N(ssh_schemas),
	ssh_schemas,
};
