/* x509.c - features of Zeek's x509.log: one record per certificate seen
 * (in TLS, in RDP, in files).
 *
 * Schema "extended" (the only one): what an analyst of bad certificates
 * reads in one: a self-signed certificate (issuer equals subject), one
 * expired or not yet valid when seen, a validity of decades or of days,
 * one issued moments ago; a weak key or signature (RSA under 2048 bits,
 * SHA-1 or MD5); the subject's and the issuer's shape (a tool's default
 * certificate has one CN and nothing else; a public CA's has O, C...); the
 * subject alternative names (none, many, a wildcard, an address); a CA
 * certificate served as a host's; a short serial. x509.log has no
 * addresses: its identity columns are the fingerprint as the uid (as the
 * generic module gives them). Per record only: the context (how often a
 * certificate is seen, by how many hosts) is a next step.
 *
 * The validity columns are read against the record's ts. A subject's or
 * issuer's RDNs are counted by their unescaped commas ("CN=a\, b,O=c" has
 * two).
 * Missing fields: a time -> its columns 0; a categorical field -> its
 * *_none column; a count -> 0; a list -> 0; a flag -> 0 (ca -> ca_none).
 * Rejected, with the reason: a time that is not one, a count that is
 * negative or not a number, a boolean that is not one, a list that is not
 * one, a text field that is not a string.
 */
#include "modules/extended.h"
#include "modules/lateral.h"
#include "modules/modules.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum xsource {
	X_VERSION, X_VALIDITY, X_AGE, X_EXPIRED, X_NOT_YET_VALID, X_SELF_SIGNED,
	X_SUBJ_RDNS, X_ISSUER_RDNS, X_SUBJ_LEN, X_SERIAL_LEN,
	X_KEY_TYPE, X_KEY_LEN, X_KEY_WEAK, X_EXPONENT_ODD, X_SIG,
	X_SAN_DNS, X_SAN_IP, X_SAN_EMAIL, X_SAN_URI, X_SAN_WILDCARD, X_NO_SAN,
	X_CA, X_PATH_LEN, X_HOST_CERT, X_CLIENT_CERT,
	N_XSOURCE
};

static const azw_feature extended[] = {
	{ "version_3",        X_VERSION, "3", "certificate.version 3" },
	{ "version_other",    X_VERSION, EXT_OTHER, "any other certificate.version (1: no extensions, a hand-made certificate)" },
	{ "version_none",     X_VERSION, "-", "no certificate.version" },
	{ "log_validity_days", X_VALIDITY, NULL, "log1p(days from not_valid_before to not_valid_after); 0 when either is unset or the span negative" },
	{ "log_age_days",     X_AGE, NULL, "log1p(days from not_valid_before to ts), 0 when not yet valid or unset: a certificate issued moments ago" },
	{ "expired",          X_EXPIRED, NULL, "1 if not_valid_after is before ts" },
	{ "not_yet_valid",    X_NOT_YET_VALID, NULL, "1 if not_valid_before is after ts" },
	{ "self_signed",      X_SELF_SIGNED, NULL, "1 if certificate.issuer equals certificate.subject (self-signed, or a root)" },
	{ "log_subject_rdns", X_SUBJ_RDNS, NULL, "log1p(RDNs of the subject: CN, O, OU, C...)" },
	{ "log_issuer_rdns",  X_ISSUER_RDNS, NULL, "log1p(RDNs of the issuer)" },
	{ "log_subject_len",  X_SUBJ_LEN, NULL, "log1p(bytes of the subject)" },
	{ "log_serial_len",   X_SERIAL_LEN, NULL, "log1p(hex digits of certificate.serial): a short serial (01) is a hand-made certificate's" },
	{ "key_rsa",          X_KEY_TYPE, "rsa", "certificate.key_type rsa" },
	{ "key_ecdsa",        X_KEY_TYPE, "ecdsa", "certificate.key_type ecdsa" },
	{ "key_dsa",          X_KEY_TYPE, "dsa", "certificate.key_type dsa (legacy)" },
	{ "key_other",        X_KEY_TYPE, EXT_OTHER, "any other certificate.key_type" },
	{ "key_none",         X_KEY_TYPE, "-", "no certificate.key_type" },
	{ "log_key_length",   X_KEY_LEN, NULL, "log1p(certificate.key_length, bits)" },
	{ "key_weak",         X_KEY_WEAK, NULL, "1 if an RSA or DSA key is shorter than 2048 bits, or an ECDSA key shorter than 224" },
	{ "exponent_odd",     X_EXPONENT_ODD, NULL, "1 if an RSA key's exponent is not 65537 (3, 17: old or hand-made)" },
	{ "sig_sha2",         X_SIG, "sha224withrsaencryption|sha256withrsaencryption|sha384withrsaencryption|sha512withrsaencryption|ecdsa-with-sha224|ecdsa-with-sha256|ecdsa-with-sha384|ecdsa-with-sha512|rsassapss|ed25519|ed448|dsa_with_sha256", "certificate.sig_alg SHA-2 (or RSASSA-PSS, EdDSA)" },
	{ "sig_sha1",         X_SIG, "sha1withrsaencryption|ecdsa-with-sha1|dsawithsha1|sha1withrsa|dsa_with_sha1", "certificate.sig_alg SHA-1 (weak)" },
	{ "sig_md5",          X_SIG, "md5withrsaencryption|md2withrsaencryption|md4withrsaencryption", "certificate.sig_alg MD5, MD4 or MD2 (broken)" },
	{ "sig_other",        X_SIG, EXT_OTHER, "any other certificate.sig_alg" },
	{ "sig_none",         X_SIG, "-", "no certificate.sig_alg" },
	{ "log_san_dns",      X_SAN_DNS, NULL, "log1p(names in san.dns)" },
	{ "log_san_ip",       X_SAN_IP, NULL, "log1p(addresses in san.ip)" },
	{ "log_san_email",    X_SAN_EMAIL, NULL, "log1p(addresses in san.email)" },
	{ "log_san_uri",      X_SAN_URI, NULL, "log1p(URIs in san.uri)" },
	{ "san_wildcard",     X_SAN_WILDCARD, NULL, "1 if a san.dns name starts with *." },
	{ "no_san",           X_NO_SAN, NULL, "1 if the certificate has no subject alternative name at all (browsers refuse it for a host)" },
	{ "ca_true",          X_CA, "T", "basic_constraints.ca true: a CA certificate" },
	{ "ca_false",         X_CA, "F", "basic_constraints.ca false" },
	{ "ca_none",          X_CA, "-", "no basic constraints" },
	{ "log_path_len",     X_PATH_LEN, NULL, "log1p(basic_constraints.path_len)" },
	{ "host_cert",        X_HOST_CERT, NULL, "1 if host_cert is true (the server's chain)" },
	{ "client_cert",      X_CLIENT_CERT, NULL, "1 if client_cert is true (the client's chain)" },
};

#define N_EXTENDED AZW_N(extended)

static ext_index xindex;

/* RDNs of a distinguished name: its commas not escaped by a '\', plus
 * one; 0 for an empty one. */
static int rdns(const char *s, size_t len)
{
	size_t i;
	int n = 1;

	if (!s || len == 0)
		return 0;
	for (i = 0; i < len; i++)
		if (s[i] == '\\')
			i++;
		else if (s[i] == ',')
			n++;
	return n;
}

static int list_n(zl_rec *rec, const char *field, ext_list *l, double *out, char *why)
{
	if (ext_list_get(rec, field, l, why) < 0)
		return -1;
	*out = log1p(l->n);
	return 0;
}

static int extract_extended(const azw_schema *schema, zl_rec *rec, double *x, char *why)
{
	double num[N_XSOURCE] = { 0 }, ts, nb, na, klen;
	const char *subj, *iss, *s, *kt;
	size_t slen, ilen, len, ktlen;
	int has_ts, has_nb, has_na, ca, host, client, rs, ri;
	ext_list dns, ip, email, uri;

	(void)schema;
	memset(x, 0, (size_t)N_EXTENDED * sizeof *x);
	if (lat_time(rec, "ts", &ts, &has_ts, why) < 0 ||
	    lat_time(rec, "certificate.not_valid_before", &nb, &has_nb, why) < 0 ||
	    lat_time(rec, "certificate.not_valid_after", &na, &has_na, why) < 0 ||
	    fld_number(rec, "certificate.key_length", 0, &klen, why) < 0 ||
	    ext_log1p(rec, "basic_constraints.path_len", &num[X_PATH_LEN], why) < 0 ||
	    fld_bool(rec, "basic_constraints.ca", 0, &ca, why) < 0 ||
	    fld_bool(rec, "host_cert", 0, &host, why) < 0 ||
	    fld_bool(rec, "client_cert", 0, &client, why) < 0 ||
	    list_n(rec, "san.dns", &dns, &num[X_SAN_DNS], why) < 0 ||
	    list_n(rec, "san.ip", &ip, &num[X_SAN_IP], why) < 0 ||
	    list_n(rec, "san.email", &email, &num[X_SAN_EMAIL], why) < 0 ||
	    list_n(rec, "san.uri", &uri, &num[X_SAN_URI], why) < 0 ||
	    ext_category(&xindex, rec, "certificate.version", X_VERSION, "-", x, why) < 0 ||
	    lat_category_fold(&xindex, rec, "certificate.sig_alg", X_SIG, x, why) < 0 ||
	    (rs = ext_text(rec, "certificate.subject", &subj, &slen, why)) < 0 ||
	    (ri = ext_text(rec, "certificate.issuer", &iss, &ilen, why)) < 0 ||
	    ext_text(rec, "certificate.key_type", &kt, &ktlen, why) < 0)
		return -1;

	if (has_nb && has_na && na > nb)
		num[X_VALIDITY] = log1p((na - nb) / 86400);
	if (has_nb && has_ts && ts > nb)
		num[X_AGE] = log1p((ts - nb) / 86400);
	num[X_EXPIRED] = has_na && has_ts && na < ts;
	num[X_NOT_YET_VALID] = has_nb && has_ts && nb > ts;
	num[X_SELF_SIGNED] = subj && iss && rs == 0 && ri == 0 && slen > 0 && slen == ilen &&
	                     memcmp(subj, iss, slen) == 0;
	num[X_SUBJ_RDNS] = log1p(rdns(subj, slen));
	num[X_ISSUER_RDNS] = log1p(rdns(iss, ilen));
	num[X_SUBJ_LEN] = subj ? log1p((double)ext_text_len(subj, slen)) : 0;
	if (ext_text(rec, "certificate.serial", &s, &len, why) < 0)
		return -1;
	num[X_SERIAL_LEN] = s ? log1p((double)len) : 0;

	if (!kt || ktlen == 0)
		ext_set(&xindex, x, X_KEY_TYPE, "-", 1);
	else
		lat_set_fold(&xindex, x, X_KEY_TYPE, kt, ktlen);
	num[X_KEY_LEN] = log1p(klen);
	if (kt && klen > 0) {
		if (lat_same_fold(kt, ktlen, "rsa", 3) || lat_same_fold(kt, ktlen, "dsa", 3))
			num[X_KEY_WEAK] = klen < 2048;
		else if (lat_same_fold(kt, ktlen, "ecdsa", 5))
			num[X_KEY_WEAK] = klen < 224;
	}
	if (ext_word(rec, "certificate.exponent", &s, &len, why) < 0)
		return -1;
	num[X_EXPONENT_ODD] = kt && lat_same_fold(kt, ktlen, "rsa", 3) && s &&
	                      !(len == 5 && memcmp(s, "65537", 5) == 0);

	while (ext_list_next(&dns, &s, &len))
		if (len >= 2 && s[0] == '*' && s[1] == '.')
			num[X_SAN_WILDCARD] = 1;
	num[X_NO_SAN] = dns.n + ip.n + email.n + uri.n == 0;
	s = ca < 0 ? "-" : ca ? "T" : "F";
	ext_set(&xindex, x, X_CA, s, 1);
	num[X_HOST_CERT] = host == 1;
	num[X_CLIENT_CERT] = client == 1;
	ext_numbers(&xindex, num, x);
	return 0;
}

static void init(void)
{
	if (ext_index_init(&xindex, extended, N_EXTENDED) < 0)
		abort(); /* a malformed table: a programming error */
}

static const azw_schema x509_schemas[] = {
	{ "extended", N_EXTENDED, extended, extract_extended, NULL, 0, NULL },
};

const azw_module azw_module_x509 = {
	"x509",
	"Zeek x509.log: one record per certificate seen",
	init,
	AZW_N(x509_schemas),
	x509_schemas,
};
