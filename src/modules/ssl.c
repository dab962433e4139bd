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
	[S_RESUMED]                   = { "resumed",               FLD_FLAG, NULL },
	[S_ESTABLISHED]               = { "established",           FLD_FLAG, NULL },
	[S_CERT_CHAIN_FPS]            = { "cert_chain_fps",        FLD_LENGTH, NULL },
	[S_CLIENT_CERT_CHAIN_FPS]     = { "client_cert_chain_fps", FLD_LENGTH, NULL },
	[S_SNI_MATCHES_CERT]          = { "sni_matches_cert",      FLD_FLAG, NULL },
	[S_HAS_VERSION]               = { "version",               FLD_PRESENT, NULL },
	[S_HAS_CERT_CHAIN_FPS]        = { "cert_chain_fps",        FLD_PRESENT, NULL },
	[S_HAS_CLIENT_CERT_CHAIN_FPS] = { "client_cert_chain_fps", FLD_PRESENT, NULL },
	[S_HAS_SNI_MATCHES_CERT]      = { "sni_matches_cert",      FLD_PRESENT, NULL },
	[S_HAS_VALIDATION_STATUS]     = { "validation_status",     FLD_PRESENT, NULL },
	[S_BROADCAST]                 = { "id.resp_h",             FLD_BROADCAST, NULL },
	[S_VERSION]                   = { "version",               FLD_CATEGORY, NULL },
	[S_DIRECTION]                 = { "id.orig_h id.resp_h",   FLD_DIRECTION, NULL },
	[S_SSL_HISTORY]               = { "ssl_history",           FLD_LETTERS, NULL },
};

/* The "original" feature table: column name, source, and for a one-hot
 * or letter column the value that sets it (NULL: the source's number);
 * the source's kind says what it means (fld_describe). */
static const azw_feature original[] = {
	{ "resumed",                    S_RESUMED,                   NULL, NULL },
	{ "established",                S_ESTABLISHED,               NULL, NULL },
	{ "cert_chain_fps",             S_CERT_CHAIN_FPS,            NULL, NULL },
	{ "client_cert_chain_fps",      S_CLIENT_CERT_CHAIN_FPS,     NULL, NULL },
	{ "sni_matches_cert",           S_SNI_MATCHES_CERT,          NULL, NULL },
	{ "has_version",                S_HAS_VERSION,               NULL, NULL },
	{ "has_cert_chain_fps",         S_HAS_CERT_CHAIN_FPS,        NULL, NULL },
	{ "has_client_cert_chain_fps",  S_HAS_CLIENT_CERT_CHAIN_FPS, NULL, NULL },
	{ "has_sni_matches_cert",       S_HAS_SNI_MATCHES_CERT,      NULL, NULL },
	{ "has_validation_status",      S_HAS_VALIDATION_STATUS,     NULL, NULL },
	{ "is_destination_broadcast",   S_BROADCAST,                 NULL, NULL },
	{ "version_TLSv12",             S_VERSION,                   "TLSv12", NULL },
	{ "version_TLSv13",             S_VERSION,                   "TLSv13", NULL },
	{ "traffic_direction_external", S_DIRECTION,                 "external", NULL },
	{ "traffic_direction_incoming", S_DIRECTION,                 "incoming", NULL },
	{ "traffic_direction_internal", S_DIRECTION,                 "internal", NULL },
	{ "traffic_direction_outgoing", S_DIRECTION,                 "outgoing", NULL },
	{ "ssl_history_has_H",          S_SSL_HISTORY,               "H", NULL },
	{ "ssl_history_has_C",          S_SSL_HISTORY,               "C", NULL },
	{ "ssl_history_has_S",          S_SSL_HISTORY,               "S", NULL },
	{ "ssl_history_has_V",          S_SSL_HISTORY,               "V", NULL },
	{ "ssl_history_has_T",          S_SSL_HISTORY,               "T", NULL },
	{ "ssl_history_has_X",          S_SSL_HISTORY,               "X", NULL },
	{ "ssl_history_has_K",          S_SSL_HISTORY,               "K", NULL },
	{ "ssl_history_has_R",          S_SSL_HISTORY,               "R", NULL },
	{ "ssl_history_has_N",          S_SSL_HISTORY,               "N", NULL },
	{ "ssl_history_has_Y",          S_SSL_HISTORY,               "Y", NULL },
	{ "ssl_history_has_G",          S_SSL_HISTORY,               "G", NULL },
	{ "ssl_history_has_F",          S_SSL_HISTORY,               "F", NULL },
	{ "ssl_history_has_W",          S_SSL_HISTORY,               "W", NULL },
	{ "ssl_history_has_U",          S_SSL_HISTORY,               "U", NULL },
	{ "ssl_history_has_A",          S_SSL_HISTORY,               "A", NULL },
	{ "ssl_history_has_B",          S_SSL_HISTORY,               "B", NULL },
	{ "ssl_history_has_D",          S_SSL_HISTORY,               "D", NULL },
	{ "ssl_history_has_O",          S_SSL_HISTORY,               "O", NULL },
	{ "ssl_history_has_P",          S_SSL_HISTORY,               "P", NULL },
	{ "ssl_history_has_M",          S_SSL_HISTORY,               "M", NULL },
	{ "ssl_history_has_I",          S_SSL_HISTORY,               "I", NULL },
	{ "ssl_history_has_J",          S_SSL_HISTORY,               "J", NULL },
	{ "ssl_history_has_L",          S_SSL_HISTORY,               "L", NULL },
	{ "ssl_history_has_Q",          S_SSL_HISTORY,               "Q", NULL },
	{ "ssl_history_has_h",          S_SSL_HISTORY,               "h", NULL },
	{ "ssl_history_has_c",          S_SSL_HISTORY,               "c", NULL },
	{ "ssl_history_has_s",          S_SSL_HISTORY,               "s", NULL },
	{ "ssl_history_has_v",          S_SSL_HISTORY,               "v", NULL },
	{ "ssl_history_has_t",          S_SSL_HISTORY,               "t", NULL },
	{ "ssl_history_has_x",          S_SSL_HISTORY,               "x", NULL },
	{ "ssl_history_has_k",          S_SSL_HISTORY,               "k", NULL },
	{ "ssl_history_has_r",          S_SSL_HISTORY,               "r", NULL },
	{ "ssl_history_has_n",          S_SSL_HISTORY,               "n", NULL },
	{ "ssl_history_has_y",          S_SSL_HISTORY,               "y", NULL },
	{ "ssl_history_has_g",          S_SSL_HISTORY,               "g", NULL },
	{ "ssl_history_has_f",          S_SSL_HISTORY,               "f", NULL },
	{ "ssl_history_has_w",          S_SSL_HISTORY,               "w", NULL },
	{ "ssl_history_has_u",          S_SSL_HISTORY,               "u", NULL },
	{ "ssl_history_has_a",          S_SSL_HISTORY,               "a", NULL },
	{ "ssl_history_has_b",          S_SSL_HISTORY,               "b", NULL },
	{ "ssl_history_has_d",          S_SSL_HISTORY,               "d", NULL },
	{ "ssl_history_has_o",          S_SSL_HISTORY,               "o", NULL },
	{ "ssl_history_has_p",          S_SSL_HISTORY,               "p", NULL },
	{ "ssl_history_has_m",          S_SSL_HISTORY,               "m", NULL },
	{ "ssl_history_has_i",          S_SSL_HISTORY,               "i", NULL },
	{ "ssl_history_has_j",          S_SSL_HISTORY,               "j", NULL },
	{ "ssl_history_has_l",          S_SSL_HISTORY,               "l", NULL },
	{ "ssl_history_has_q",          S_SSL_HISTORY,               "q", NULL },
};


/* ---- schema "extended" ----
 *
 * What an autoencoder should see of one TLS session: version, cipher
 * family, key exchange, curve, ALPN and certificate validation one-hot over
 * fixed vocabularies with an `other` column (old and weak choices stand
 * out) and a `none` column when unset; the outcome (established, resumed,
 * an alert); the SNI (missing, a bare IP address, its length and character
 * entropy); the certificate chains; the handshake messages of ssl_history
 * counted by kind and side; the responder port class; direction from the
 * local networks (--local-nets: ssl.log has no local_orig / local_resp).
 * Depends on the record alone; everything is finite; numbers are rounded
 * to 6 decimals (round6).
 *
 * The cipher family and key exchange come from the '_'-separated words of
 * the IANA name: a weak word (RC4, 3DES, DES, NULL, EXPORT, anon...) makes
 * it cipher_weak whatever else it holds; else GCM, CHACHA20 or CBC names
 * the family. The key exchange is the word after TLS_ / SSL_ in a name
 * with _WITH_; a TLS 1.3 suite (no _WITH_) is kx_tls13.
 *
 * Missing fields: version -> version_none; cipher -> cipher_none and no kx
 * column; curve -> curve_none; next_protocol -> alpn_none;
 * validation_status -> validation_none; sni_matches_cert -> sni_match_unset;
 * resumed, established -> 0; a chain -> 0; ssl_history -> no letter; the
 * port -> resp_port_other.
 * Rejected, with the reason: a missing or bad id.orig_h / id.resp_h (as
 * "original"), and a field of the wrong type or a bad value (a boolean that
 * is not one, a chain that is not a list).
 */
enum xsource {
	X_IPV6, X_DIR, X_PORT,
	X_VERSION, X_CIPHER, X_KX, X_CURVE, X_ALPN,
	X_ESTABLISHED, X_RESUMED, X_HAS_ALERT,
	X_HAS_SNI, X_SNI_IP, X_SNI_LEN, X_SNI_ENTROPY,
	X_SNI_MATCH, X_VALIDATION, X_CHAIN, X_CLIENT_CERT,
	X_HISTORY,
	N_XSOURCE
};

/* One row per feature: name, source, the value(s) of a categorical source
 * that set it ('|' between aliases; EXT_OTHER: any other value; NULL: a
 * number), meaning: what azw-extract --features prints, and azw-features(7)
 * says. */
static const azw_feature extended[] = {
	{ "is_ipv6",            X_IPV6, NULL, "1 if an address is IPv6 (IPv4-mapped ::ffff:a.b.c.d is IPv4)" },
	{ "dir_internal",       X_DIR, "internal", "both ends in --local-nets" },
	{ "dir_outgoing",       X_DIR, "outgoing", "only the originator is local (a client inside)" },
	{ "dir_incoming",       X_DIR, "incoming", "only the responder is local (a server inside)" },
	{ "dir_external",       X_DIR, "external", "neither end is local" },
	{ "resp_port_443",      X_PORT, "443",  "responder port 443" },
	{ "resp_port_8443",     X_PORT, "8443", "responder port 8443" },
	{ "resp_port_mail",     X_PORT, "mail", "responder port 993, 995, 465, 587, 143, 110 or 25 (mail over TLS)" },
	{ "resp_port_other",    X_PORT, EXT_OTHER, "any other responder port, or none" },
	{ "version_SSLv3",      X_VERSION, "SSLv3|SSLv2", "version SSLv3 or SSLv2 (broken)" },
	{ "version_TLSv10",     X_VERSION, "TLSv10", "version TLS 1.0 (deprecated)" },
	{ "version_TLSv11",     X_VERSION, "TLSv11", "version TLS 1.1 (deprecated)" },
	{ "version_TLSv12",     X_VERSION, "TLSv12", "version TLS 1.2" },
	{ "version_TLSv13",     X_VERSION, "TLSv13", "version TLS 1.3 (its drafts TLSv13-draftN too)" },
	{ "version_DTLS",       X_VERSION, "DTLSv10|DTLSv12|DTLSv13", "DTLS, any version" },
	{ "version_other",      X_VERSION, EXT_OTHER, "any other version" },
	{ "version_none",       X_VERSION, "-", "no version (no server hello seen)" },
	{ "cipher_gcm",         X_CIPHER, "GCM", "an AEAD GCM suite (AES-GCM, mostly)" },
	{ "cipher_chacha20",    X_CIPHER, "CHACHA20", "a ChaCha20-Poly1305 suite" },
	{ "cipher_cbc",         X_CIPHER, "CBC", "a CBC suite (AES, Camellia...; not 3DES or DES)" },
	{ "cipher_weak",        X_CIPHER, "RC4|3DES|DES|DES40|NULL|EXPORT|EXPORT1024|anon|RC2|IDEA", "a weak suite: RC4, 3DES, DES, NULL, EXPORT, anonymous, RC2, IDEA" },
	{ "cipher_other",       X_CIPHER, EXT_OTHER, "any other cipher (CCM, GOST, unknown-N...)" },
	{ "cipher_none",        X_CIPHER, "-", "no cipher (no server hello seen)" },
	{ "kx_ecdhe",           X_KX, "ECDHE", "key exchange ECDHE (forward secret)" },
	{ "kx_dhe",             X_KX, "DHE|EDH", "key exchange DHE (forward secret)" },
	{ "kx_rsa",             X_KX, "RSA", "key exchange RSA (no forward secrecy)" },
	{ "kx_tls13",           X_KX, "tls13", "a TLS 1.3 suite (key exchange not in the name)" },
	{ "kx_other",           X_KX, EXT_OTHER, "any other key exchange (DH, ECDH, PSK, SRP...)" },
	{ "curve_x25519",       X_CURVE, "x25519|X25519", "curve x25519" },
	{ "curve_secp256r1",    X_CURVE, "secp256r1", "curve secp256r1 (P-256)" },
	{ "curve_secp384r1",    X_CURVE, "secp384r1", "curve secp384r1 (P-384)" },
	{ "curve_pq_hybrid",    X_CURVE, "X25519MLKEM768|x25519_mlkem768|X25519Kyber768Draft00|x25519_kyber768", "a post-quantum hybrid group (X25519MLKEM768...)" },
	{ "curve_other",        X_CURVE, EXT_OTHER, "any other curve (secp521r1, x448, sect*...)" },
	{ "curve_none",         X_CURVE, "-", "no curve (no ECDHE)" },
	{ "alpn_h2",            X_ALPN, "h2", "next_protocol h2" },
	{ "alpn_http11",        X_ALPN, "http/1.1", "next_protocol http/1.1" },
	{ "alpn_other",         X_ALPN, EXT_OTHER, "any other next_protocol" },
	{ "alpn_none",          X_ALPN, "-", "no next_protocol" },
	{ "established",        X_ESTABLISHED, NULL, "the handshake completed (missing: 0)" },
	{ "resumed",            X_RESUMED, NULL, "the session was resumed (missing: 0)" },
	{ "has_alert",          X_HAS_ALERT, NULL, "last_alert is set and not empty (a handshake failure, unknown CA...)" },
	{ "has_sni",            X_HAS_SNI, NULL, "server_name (SNI) is set and not empty" },
	{ "sni_is_ip",          X_SNI_IP, NULL, "the SNI is an IP address" },
	{ "log_sni_len",        X_SNI_LEN, NULL, "log1p(bytes of the SNI)" },
	{ "sni_entropy",        X_SNI_ENTROPY, NULL, "Shannon entropy of the SNI's characters (case folded), bits per character" },
	{ "sni_match_true",     X_SNI_MATCH, "T", "sni_matches_cert true" },
	{ "sni_match_false",    X_SNI_MATCH, "F", "sni_matches_cert false: the certificate is for another name" },
	{ "sni_match_unset",    X_SNI_MATCH, "-", "sni_matches_cert unset (no SNI or no certificate)" },
	{ "validation_ok",      X_VALIDATION, "ok", "validation_status ok" },
	{ "validation_self_signed", X_VALIDATION, "self signed certificate|self signed certificate in certificate chain", "validation_status self signed" },
	{ "validation_no_issuer", X_VALIDATION, "unable to get local issuer certificate|unable to get issuer certificate", "validation_status unable to get (local) issuer certificate" },
	{ "validation_expired", X_VALIDATION, "certificate has expired|certificate is not yet valid", "validation_status expired or not yet valid" },
	{ "validation_other",   X_VALIDATION, EXT_OTHER, "any other validation_status" },
	{ "validation_none",    X_VALIDATION, "-", "no validation_status (not validated, or TLS 1.3 with the certificate encrypted)" },
	{ "log_cert_chain_len", X_CHAIN, NULL, "log1p(certificates the server sent: cert_chain_fps, or cert_chain_fuids)" },
	{ "has_client_cert",    X_CLIENT_CERT, NULL, "the client sent a certificate (client_cert_chain_fps or _fuids not empty)" },
	{ "hist_client_hello",  X_HISTORY, "C", "ssl_history C: client hellos (counts, as all hist_ columns)" },
	{ "hist_server_hello",  X_HISTORY, "s", "ssl_history s: server hellos" },
	{ "hist_hello_verify",  X_HISTORY, "v|V", "ssl_history v/V: DTLS hello verify requests" },
	{ "hist_hello_retry",   X_HISTORY, "j|J", "ssl_history j/J: TLS 1.3 hello retry requests" },
	{ "hist_session_ticket", X_HISTORY, "t", "ssl_history t: session tickets from the server" },
	{ "hist_server_cert",   X_HISTORY, "x", "ssl_history x: certificates from the server" },
	{ "hist_client_cert",   X_HISTORY, "X", "ssl_history X: certificates from the client" },
	{ "hist_server_kex",    X_HISTORY, "k", "ssl_history k: server key exchanges" },
	{ "hist_cert_request",  X_HISTORY, "r", "ssl_history r: certificate requests from the server" },
	{ "hist_cert_status",   X_HISTORY, "u|U", "ssl_history u/U: certificate status (OCSP stapling)" },
	{ "hist_server_done",   X_HISTORY, "n", "ssl_history n: server hello done" },
	{ "hist_client_kex",    X_HISTORY, "G", "ssl_history G: client key exchanges" },
	{ "hist_cert_verify",   X_HISTORY, "Y", "ssl_history Y: certificate verify from the client" },
	{ "hist_finished",      X_HISTORY, "F|f", "ssl_history F/f: finished messages seen in clear" },
	{ "hist_client_ccs",    X_HISTORY, "I", "ssl_history I: change cipher spec from the client" },
	{ "hist_server_ccs",    X_HISTORY, "i", "ssl_history i: change cipher spec from the server" },
	{ "hist_client_data",   X_HISTORY, "D", "ssl_history D: application data from the client" },
	{ "hist_server_data",   X_HISTORY, "d", "ssl_history d: application data from the server" },
	{ "hist_client_alert",  X_HISTORY, "L", "ssl_history L: alerts from the client" },
	{ "hist_server_alert",  X_HISTORY, "l", "ssl_history l: alerts from the server" },
	{ "hist_heartbeat",     X_HISTORY, "B|b", "ssl_history B/b: heartbeats (Heartbleed)" },
	{ "hist_other",         X_HISTORY, EXT_OTHER, "ssl_history: any other letter (hello request, key update, unknown content...)" },
};

#define N_EXTENDED AZW_N(extended)

static ext_index xindex;
static int col_weak; /* RC4 */

static const char *port_class(int p)
{
	switch (p) {
	case 443: return "443";
	case 8443: return "8443";
	case 993: case 995: case 465: case 587: case 143: case 110: case 25: return "mail";
	default: return EXT_OTHER;
	}
}

/* The cipher family and key exchange of an IANA suite name. */
static void cipher(const char *s, size_t len, double *x)
{
	size_t i = 0, j;
	int family = -1, word = 0, with = 0;
	const char *kx = NULL;
	size_t kx_len = 0;

	if (len == 0) { /* "", or a NUL byte in it */
		ext_set(&xindex, x, X_CIPHER, EXT_OTHER, 1);
		return;
	}
	while (i <= len) {
		int c;

		for (j = i; j < len && s[j] != '_'; j++)
			;
		if (j - i == 4 && memcmp(s + i, "WITH", 4) == 0)
			with = 1;
		else if (word == 1)
			kx = s + i, kx_len = j - i;
		c = ext_find(&xindex, X_CIPHER, s + i, j - i);
		if (c == col_weak)
			family = c;
		else if (c >= 0 && family < 0)
			family = c;
		word++;
		i = j + 1;
	}
	if (family < 0)
		family = ext_lookup(&xindex, X_CIPHER, EXT_OTHER, 1);
	x[family] = 1;
	if (!with)
		ext_set(&xindex, x, X_KX, "tls13", 5);
	else
		ext_set(&xindex, x, X_KX, kx ? kx : "", kx_len);
}

/* A list's element count, from the first of two fields that is set. */
static int chain(zl_rec *rec, const char *f1, const char *f2, int *n, char *why)
{
	ext_list l;

	if (ext_list_get(rec, f1, &l, why) < 0)
		return -1;
	if (l.n == 0 && zl_get_static(rec, f1).type == ZL_ABSENT && ext_list_get(rec, f2, &l, why) < 0)
		return -1;
	*n = l.n;
	return 0;
}

static int extract_extended(const azw_schema *schema, zl_rec *rec, double *x, char *why)
{
	double num[N_XSOURCE] = { 0 };
	fld_addr orig, resp;
	const char *s;
	size_t len;
	int port, est, res, match, n;

	(void)schema;
	if (fld_address(rec, "id.orig_h", &orig, why) < 0 ||
	    fld_address(rec, "id.resp_h", &resp, why) < 0 ||
	    fld_port(rec, "id.resp_p", &port, why) < 0 ||
	    fld_bool(rec, "established", 0, &est, why) < 0 ||
	    fld_bool(rec, "resumed", 0, &res, why) < 0 ||
	    fld_bool(rec, "sni_matches_cert", 0, &match, why) < 0)
		return -1;
	memset(x, 0, (size_t)N_EXTENDED * sizeof *x);

	num[X_IPV6] = orig.v6 || resp.v6;
	s = ext_direction(&orig, &resp);
	ext_set(&xindex, x, X_DIR, s, strlen(s));
	s = port_class(port);
	ext_set(&xindex, x, X_PORT, s, strlen(s));
	num[X_ESTABLISHED] = est > 0;
	num[X_RESUMED] = res > 0;
	s = match < 0 ? "-" : match ? "T" : "F";
	ext_set(&xindex, x, X_SNI_MATCH, s, 1);

	if (ext_text(rec, "version", &s, &len, why) < 0)
		return -1;
	if (!s)
		ext_set(&xindex, x, X_VERSION, "-", 1);
	else if (len > 6 && memcmp(s, "TLSv13", 6) == 0)
		ext_set(&xindex, x, X_VERSION, "TLSv13", 6); /* TLSv13-draft23 */
	else
		ext_set(&xindex, x, X_VERSION, s, len);

	if (ext_text(rec, "cipher", &s, &len, why) < 0)
		return -1;
	if (s)
		cipher(s, len, x);
	else
		ext_set(&xindex, x, X_CIPHER, "-", 1);

	if (ext_category(&xindex, rec, "curve", X_CURVE, "-", x, why) < 0 ||
	    ext_category(&xindex, rec, "next_protocol", X_ALPN, "-", x, why) < 0 ||
	    ext_category(&xindex, rec, "validation_status", X_VALIDATION, "-", x, why) < 0)
		return -1;

	if (ext_text(rec, "last_alert", &s, &len, why) < 0)
		return -1;
	num[X_HAS_ALERT] = s && len > 0;

	if (ext_text(rec, "server_name", &s, &len, why) < 0)
		return -1;
	if (s && len > 0) {
		num[X_HAS_SNI] = 1;
		num[X_SNI_IP] = ext_is_ip_text(s, len);
		num[X_SNI_LEN] = log1p_count((double)ext_text_len(s, len));
		num[X_SNI_ENTROPY] = ext_entropy(s, len);
	}

	if (chain(rec, "cert_chain_fps", "cert_chain_fuids", &n, why) < 0)
		return -1;
	num[X_CHAIN] = log1p_count(n);
	if (chain(rec, "client_cert_chain_fps", "client_cert_chain_fuids", &n, why) < 0)
		return -1;
	num[X_CLIENT_CERT] = n > 0;

	if (ext_text(rec, "ssl_history", &s, &len, why) < 0)
		return -1;
	if (s)
		ext_count_letters(&xindex, x, X_HISTORY, s, len);

	ext_numbers(&xindex, num, x);
	return 0;
}

/* ---- context features of the extended schema ----
 *
 * The columns and what each quantity means: ctx_columns_ssl in
 * context_columns.c; observe_ssl() below fills the quantities. */

/* Columns of the per-record vector the quantities come from. */
static int col_ok, col_vnone, col_resumed, col_sni, col_est, col_alert;

/* A record's keys and quantities; x: its extended per-record features. */
static int observe_ssl(zl_rec *rec, const double *x, ctx_obs *o, char *why)
{
	const char *s;
	size_t len;

	if (ext_obs_ends(rec, o, why) < 0 ||
	    ext_text(rec, "server_name", &s, &len, why) < 0)
		return -1;
	o->svc = s ? ext_name_hash(s, len) : ext_name_hash("", 0);
	o->q[SSL_Q_BADCERT] = x[col_ok] == 0 && x[col_vnone] == 0;
	o->q[SSL_Q_RESUMED] = x[col_resumed] != 0;
	o->q[SSL_Q_NOSNI] = x[col_sni] == 0;
	o->q[SSL_Q_FAILED] = x[col_est] == 0 || x[col_alert] != 0;
	return 0;
}

static const ctx_spec ssl_context = { &ctx_columns_ssl, observe_ssl };

static void init(void)
{
	if (ext_index_init(&xindex, extended, N_EXTENDED) < 0)
		abort(); /* a malformed table: a programming error */
	col_weak = ext_find(&xindex, X_CIPHER, "RC4", 3);
	col_ok = ext_word_col(&xindex, X_VALIDATION, "ok");
	col_vnone = ext_word_col(&xindex, X_VALIDATION, "-");
	col_resumed = ext_num_col(&xindex, X_RESUMED);
	col_sni = ext_num_col(&xindex, X_HAS_SNI);
	col_est = ext_num_col(&xindex, X_ESTABLISHED);
	col_alert = ext_num_col(&xindex, X_HAS_ALERT);
}

static const azw_schema ssl_schemas[] = {
	{ "extended", N_EXTENDED, extended, extract_extended, &ssl_context, 0, NULL }, /* the default */
	{ "original", AZW_N(original), original, fld_extract_schema, NULL, N_SOURCE, sources },
};

const azw_module azw_module_ssl = {
	"ssl",
	"Zeek ssl.log: one record per TLS/SSL session",
	init,
	AZW_N(ssl_schemas),
	ssl_schemas,
};
