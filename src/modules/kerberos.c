/* kerberos.c - features of Zeek's kerberos.log: one record per Kerberos
 * exchange with a KDC (a request and its reply or error).
 *
 * Schema "extended" (the only one): what an analyst of credential abuse
 * reads in one exchange. The request type (AS: a ticket-granting ticket;
 * TGS: a service ticket) and its outcome; the error in the families that
 * mean an attack: a wrong password (spraying, brute force), an unknown
 * user (enumeration), a locked or expired account, an encryption type the
 * KDC refused (a downgrade); the cipher of the ticket, where RC4 in a TGS
 * reply is what Kerberoasting asks for and AS-REP roasting gets; the
 * service, where a custom SPN (a service account's) is the roasting
 * target; the ticket's lifetime (a forged ticket's is years); the flags;
 * PKINIT certificates. Per record only: the context (many TGS requests
 * for many services from one source) is a next step.
 *
 * Missing fields: request_type -> req_none; success -> success_unknown;
 * error_msg -> error_none; cipher -> cipher_none; service -> svc_none;
 * client -> client_none; till (or a till at or before 1970) -> till_none
 * and lifetime 0; a flag -> 0.
 * Rejected, with the reason: a missing or bad id.orig_h / id.resp_h, a port
 * that is not one, a boolean that is not one, a till that is not a time, a
 * text field that is not a string.
 */
#include "modules/extended.h"
#include "modules/lateral.h"
#include "modules/modules.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum xsource {
	X_IPV6, X_DIR, X_PORT, X_REQ, X_SUCCESS, X_ERROR, X_CIPHER, X_SERVICE, X_CLIENT,
	X_FORWARDABLE, X_RENEWABLE, X_LIFETIME, X_TILL_NONE, X_CLIENT_CERT, X_SERVER_CERT,
	N_XSOURCE
};

static const azw_feature extended[] = {
	{ "is_ipv6",         X_IPV6, NULL, "1 if an address is IPv6" },
	{ "dir_internal",    X_DIR, "internal", "both ends in --local-nets" },
	{ "dir_outgoing",    X_DIR, "outgoing", "only the client is local (a KDC outside)" },
	{ "dir_incoming",    X_DIR, "incoming", "only the KDC is local (Kerberos from outside)" },
	{ "dir_external",    X_DIR, "external", "neither end is local" },
	{ "resp_port_88",    X_PORT, "88", "server port 88" },
	{ "resp_port_other", X_PORT, EXT_OTHER, "any other server port (Kerberos inside SMB, HTTP or another protocol), or none" },
	{ "req_as",          X_REQ, "as", "request_type AS: a ticket-granting ticket asked for (a logon)" },
	{ "req_tgs",         X_REQ, "tgs", "request_type TGS: a service ticket asked for" },
	{ "req_other",       X_REQ, EXT_OTHER, "any other request_type" },
	{ "req_none",        X_REQ, "-", "no request_type" },
	{ "success_true",    X_SUCCESS, "T", "success true" },
	{ "success_false",   X_SUCCESS, "F", "success false" },
	{ "success_unknown", X_SUCCESS, "-", "success unset" },
	{ "error_preauth_required", X_ERROR, "kdc_err_preauth_required", "error KDC_ERR_PREAUTH_REQUIRED: the usual first answer to a logon" },
	{ "error_preauth_failed", X_ERROR, "kdc_err_preauth_failed|krb_ap_err_bad_integrity", "error KDC_ERR_PREAUTH_FAILED or KRB_AP_ERR_BAD_INTEGRITY: a wrong password (spraying, brute force)" },
	{ "error_principal_unknown", X_ERROR, "kdc_err_c_principal_unknown", "error KDC_ERR_C_PRINCIPAL_UNKNOWN: no such user (user enumeration)" },
	{ "error_service_unknown", X_ERROR, "kdc_err_s_principal_unknown", "error KDC_ERR_S_PRINCIPAL_UNKNOWN: no such service" },
	{ "error_revoked",   X_ERROR, "kdc_err_client_revoked|kdc_err_key_expired|kdc_err_name_exp|kdc_err_tgt_revoked", "error: the account locked, disabled or expired, its password expired, or the ticket revoked" },
	{ "error_etype",     X_ERROR, "kdc_err_etype_nosupp", "error KDC_ERR_ETYPE_NOSUPP: an encryption type refused (a downgrade asked for)" },
	{ "error_skew",      X_ERROR, "krb_ap_err_skew", "error KRB_AP_ERR_SKEW: the clocks differ" },
	{ "error_other",     X_ERROR, EXT_OTHER, "any other error_msg" },
	{ "error_none",      X_ERROR, "-", "no error_msg" },
	{ "cipher_aes",      X_CIPHER, "aes128-cts-hmac-sha1-96|aes256-cts-hmac-sha1-96|aes128-cts-hmac-sha256-128|aes256-cts-hmac-sha384-192", "cipher AES" },
	{ "cipher_rc4",      X_CIPHER, "rc4-hmac|rc4-hmac-exp", "cipher RC4: what Kerberoasting and AS-REP roasting ask for" },
	{ "cipher_des",      X_CIPHER, "des-cbc-crc|des-cbc-md4|des-cbc-md5|des3-cbc-md5|des3-cbc-sha1|des3-cbc-sha1-kd", "cipher DES or 3DES (broken)" },
	{ "cipher_other",    X_CIPHER, EXT_OTHER, "any other cipher" },
	{ "cipher_none",     X_CIPHER, "-", "no cipher (no ticket: an error)" },
	{ "svc_krbtgt",      X_SERVICE, "krbtgt", "service krbtgt/...: the ticket-granting service" },
	{ "svc_system",      X_SERVICE, "host|cifs|ldap|gc|dns|rpcss|wsman|termsrv|restrictedkrbhost|e3514235-4b06-11d1-ab04-00c04fc2dcd2", "service a machine's own SPN: host, cifs, ldap, gc, dns, rpcss, wsman, termsrv, replication" },
	{ "svc_http",        X_SERVICE, "http", "service HTTP/..." },
	{ "svc_mssql",       X_SERVICE, "mssqlsvc", "service MSSQLSvc/... (a service account: roastable)" },
	{ "svc_other",       X_SERVICE, EXT_OTHER, "any other service: a custom SPN, a service account's (the roasting target), or a user's" },
	{ "svc_none",        X_SERVICE, "-", "no service" },
	{ "client_machine",  X_CLIENT, "$", "client a machine account (its name ends in $)" },
	{ "client_user",     X_CLIENT, EXT_OTHER, "client a user" },
	{ "client_none",     X_CLIENT, "-", "no client name (unset, or only a realm)" },
	{ "forwardable",     X_FORWARDABLE, NULL, "1 if forwardable is true" },
	{ "renewable",       X_RENEWABLE, NULL, "1 if renewable is true" },
	{ "log_lifetime",    X_LIFETIME, NULL, "log1p(till - ts), seconds, 0 if till is before ts: the ticket's (or the requested) lifetime; 10 hours is 10.5, a forged ticket's 10 years 19.6" },
	{ "till_none",       X_TILL_NONE, NULL, "1 if till is unset (or at or before 1970)" },
	{ "has_client_cert", X_CLIENT_CERT, NULL, "1 if a client certificate is logged (PKINIT)" },
	{ "has_server_cert", X_SERVER_CERT, NULL, "1 if a server certificate is logged (PKINIT)" },
};

#define N_EXTENDED AZW_N(extended)

static ext_index xindex;

/* The name before the first '/' or '@' of a principal ("krbtgt/REALM",
 * "alice/REALM", "alice@REALM"). */
static size_t principal_name(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len && s[i] != '/' && s[i] != '@'; i++)
		;
	return i;
}

/* Is a text field set and not empty? -1 on a wrong type. */
static int has_text(zl_rec *rec, const char *field, char *why)
{
	const char *s;
	size_t len;
	int r = ext_text(rec, field, &s, &len, why);

	return r < 0 ? -1 : s && (len > 0 || r == 1);
}

static int extract_extended(const azw_schema *schema, zl_rec *rec, double *x, char *why)
{
	double num[N_XSOURCE] = { 0 }, ts, till;
	const char *s;
	size_t len, n;
	int port, ok, fwd, ren, has_ts, has_till, cc[4], i;
	static const char *const certs[4] = { "client_cert_subject", "client_cert_fuid",
	                                      "server_cert_subject", "server_cert_fuid" };

	(void)schema;
	memset(x, 0, (size_t)N_EXTENDED * sizeof *x);
	if (lat_ends(&xindex, rec, X_DIR, &num[X_IPV6], &port, x, why) < 0 ||
	    fld_bool(rec, "success", 0, &ok, why) < 0 ||
	    fld_bool(rec, "forwardable", 0, &fwd, why) < 0 ||
	    fld_bool(rec, "renewable", 0, &ren, why) < 0 ||
	    lat_time(rec, "ts", &ts, &has_ts, why) < 0 ||
	    lat_time(rec, "till", &till, &has_till, why) < 0 ||
	    lat_category_fold(&xindex, rec, "request_type", X_REQ, x, why) < 0 ||
	    lat_category_fold(&xindex, rec, "error_msg", X_ERROR, x, why) < 0 ||
	    lat_category_fold(&xindex, rec, "cipher", X_CIPHER, x, why) < 0)
		return -1;
	for (i = 0; i < 4; i++)
		if ((cc[i] = has_text(rec, certs[i], why)) < 0)
			return -1;
	s = port == 88 ? "88" : EXT_OTHER;
	ext_set(&xindex, x, X_PORT, s, strlen(s));
	s = ok < 0 ? "-" : ok ? "T" : "F";
	ext_set(&xindex, x, X_SUCCESS, s, 1);

	if (ext_text(rec, "service", &s, &len, why) < 0)
		return -1;
	n = s ? principal_name(s, len) : 0;
	if (!s || len == 0)
		ext_set(&xindex, x, X_SERVICE, "-", 1);
	else
		lat_set_fold(&xindex, x, X_SERVICE, s, n);

	if (ext_text(rec, "client", &s, &len, why) < 0)
		return -1;
	n = s ? principal_name(s, len) : 0;
	if (n == 0)
		ext_set(&xindex, x, X_CLIENT, "-", 1);
	else if (s[n - 1] == '$')
		ext_set(&xindex, x, X_CLIENT, "$", 1);
	else
		ext_set(&xindex, x, X_CLIENT, EXT_OTHER, 1);

	num[X_FORWARDABLE] = fwd == 1;
	num[X_RENEWABLE] = ren == 1;
	if (has_till && till > 0) {
		num[X_LIFETIME] = has_ts && till > ts ? log1p(till - ts) : 0;
	} else {
		num[X_TILL_NONE] = 1;
	}
	num[X_CLIENT_CERT] = cc[0] || cc[1];
	num[X_SERVER_CERT] = cc[2] || cc[3];
	ext_numbers(&xindex, num, x);
	return 0;
}

static void init(void)
{
	if (ext_index_init(&xindex, extended, N_EXTENDED) < 0)
		abort(); /* a malformed table: a programming error */
}

static const azw_schema kerberos_schemas[] = {
	{ "extended", N_EXTENDED, extended, extract_extended, NULL, 0, NULL },
};

const azw_module azw_module_kerberos = {
	"kerberos",
	"Zeek kerberos.log: one record per Kerberos exchange with a KDC",
	init,
	AZW_N(kerberos_schemas),
	kerberos_schemas,
};
