/* rdp.c - features of Zeek's rdp.log: one record per RDP connection.
 *
 * Schema "extended" (the only one): what an analyst of remote desktop
 * abuse looks at in one connection. The cookie (mstshash=, the user name
 * the client offers before any encryption) tells a scanner (nmap, Nessus's
 * plugins) or a brute force against the administrator from a person; the
 * result and the security protocol tell a legacy RDP-security login,
 * which Zeek sees in full, from NLA (HYBRID), whose outcome it cannot see
 * ("encrypted"), and a refused negotiation (a scanner probing what the
 * server allows); the client build, keyboard layout, desktop size, colour
 * depth and channels (clipboard, drive redirection: ways to move files)
 * describe the client, where a tool's defaults (an old build, 800x600, no
 * layout) stand out; the server's certificate and encryption say how
 * weak the session is. Per record only: its context (what a source did
 * lately: many servers, many cookies) is a next step.
 *
 * Missing fields: each categorical field -> its *_none column (cookie,
 * result, security_protocol, client_build, keyboard_layout,
 * requested_color_depth, cert_type, encryption_level, encryption_method),
 * client_channels -> no channel column, a count -> 0, cert_permanent -> 0,
 * client_name -> length and entropy 0.
 * Rejected, with the reason: a missing or bad id.orig_h / id.resp_h, a port
 * that is not one, a count that is negative or not a number, a boolean
 * that is not one, a text field that is not a string.
 */
#include "modules/extended.h"
#include "modules/lateral.h"
#include "modules/modules.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum xsource {
	X_IPV6, X_DIR, X_PORT,
	X_COOKIE, X_RESULT, X_SECURITY, X_BUILD, X_KEYBOARD,
	X_CLIENT_NAME_LEN, X_CLIENT_NAME_ENT, X_WIDTH, X_HEIGHT, X_COLOR,
	X_CHANNEL, X_N_CHANNELS,
	X_CERT_TYPE, X_CERT_COUNT, X_CERT_PERMANENT, X_ENC_LEVEL, X_ENC_METHOD,
	N_XSOURCE
};

static const azw_feature extended[] = {
	{ "is_ipv6",          X_IPV6, NULL, "1 if an address is IPv6" },
	{ "dir_internal",     X_DIR, "internal", "both ends in --local-nets (lateral movement)" },
	{ "dir_outgoing",     X_DIR, "outgoing", "only the client is local" },
	{ "dir_incoming",     X_DIR, "incoming", "only the server is local (RDP exposed to the outside)" },
	{ "dir_external",     X_DIR, "external", "neither end is local" },
	{ "resp_port_3389",   X_PORT, "3389", "server port 3389" },
	{ "resp_port_other",  X_PORT, EXT_OTHER, "any other server port (RDP moved, or tunnelled)" },
	{ "cookie_scanner",   X_COOKIE, "nmap|nessus", "cookie of a scanner: nmap, nessus, or a name ending in .nbin (Nessus's plugins)" },
	{ "cookie_admin",     X_COOKIE, "administrator|administr|admin|root", "cookie administrator (administr: mstsc cuts the cookie to 9 characters), admin or root: the accounts brute forces try" },
	{ "cookie_other",     X_COOKIE, EXT_OTHER, "any other cookie: a user name" },
	{ "cookie_none",      X_COOKIE, "-", "no cookie" },
	{ "result_success",   X_RESULT, "success", "result Success: a legacy RDP-security login Zeek saw complete" },
	{ "result_encrypted", X_RESULT, "encrypted", "result encrypted: TLS or NLA, the outcome hidden" },
	{ "result_negotiation_failure", X_RESULT, "ssl_required_by_server|ssl_not_allowed_by_server|ssl_cert_not_on_server|inconsistent_flags|hybrid_required_by_server|ssl_with_user_auth_required_by_server", "the server refused the security the client asked for (a probe of what it allows)" },
	{ "result_other",     X_RESULT, EXT_OTHER, "any other result (User rejected, Resources not available...)" },
	{ "result_none",      X_RESULT, "-", "no result" },
	{ "security_rdp",     X_SECURITY, "rdp", "security_protocol RDP: legacy RDP security, no TLS, no NLA" },
	{ "security_ssl",     X_SECURITY, "ssl", "security_protocol SSL: TLS without NLA" },
	{ "security_hybrid",  X_SECURITY, "hybrid|hybrid_ex", "security_protocol HYBRID or HYBRID_EX: NLA (CredSSP)" },
	{ "security_other",   X_SECURITY, EXT_OTHER, "any other security_protocol" },
	{ "security_none",    X_SECURITY, "-", "no security_protocol" },
	{ "client_build_legacy", X_BUILD, "rdp 4.0|rdp 5.0|rdp 5.1|rdp 5.2|rdp 6.0|rdp 6.1|rdp 6.2", "client_build RDP 4.0 to 6.2 (XP-era: what rdesktop, FreeRDP and brute-force tools announce)" },
	{ "client_build_7_8", X_BUILD, "rdp 7.0|rdp 7.1|rdp 8.0|rdp 8.1|rdp 8.0 (mac)", "client_build RDP 7.0 to 8.1" },
	{ "client_build_number", X_BUILD, "client_build-", "a build Zeek has no name for (client_build-N: Windows 10 and later)" },
	{ "client_build_other", X_BUILD, EXT_OTHER, "any other client_build" },
	{ "client_build_none", X_BUILD, "-", "no client_build (no client data seen: NLA, or a probe)" },
	{ "keyboard_en_us",   X_KEYBOARD, "english - united states", "keyboard_layout English - United States" },
	{ "keyboard_other",   X_KEYBOARD, EXT_OTHER, "any other keyboard_layout (a foreign operator)" },
	{ "keyboard_none",    X_KEYBOARD, "-", "no keyboard_layout" },
	{ "log_client_name_len", X_CLIENT_NAME_LEN, NULL, "log1p(bytes of client_name)" },
	{ "client_name_entropy", X_CLIENT_NAME_ENT, NULL, "entropy of client_name, bits per byte (random names of tools)" },
	{ "log_desktop_width", X_WIDTH, NULL, "log1p(desktop_width)" },
	{ "log_desktop_height", X_HEIGHT, NULL, "log1p(desktop_height)" },
	{ "color_high",       X_COLOR, "24bit|32bit", "requested_color_depth 24 or 32 bits" },
	{ "color_low",        X_COLOR, "4bit|8bit|15bit|16bit", "requested_color_depth 16 bits or fewer (old or scripted clients)" },
	{ "color_other",      X_COLOR, EXT_OTHER, "any other requested_color_depth" },
	{ "color_none",       X_COLOR, "-", "no requested_color_depth" },
	{ "channel_cliprdr",  X_CHANNEL, "cliprdr", "client_channels has cliprdr: clipboard (copy and paste of files and text)" },
	{ "channel_rdpdr",    X_CHANNEL, "rdpdr", "client_channels has rdpdr: drive and device redirection (file transfer)" },
	{ "channel_rdpsnd",   X_CHANNEL, "rdpsnd", "client_channels has rdpsnd: sound" },
	{ "channel_drdynvc",  X_CHANNEL, "drdynvc", "client_channels has drdynvc: dynamic channels" },
	{ "channel_other",    X_CHANNEL, EXT_OTHER, "client_channels has another channel (one per channel)" },
	{ "log_channels",     X_N_CHANNELS, NULL, "log1p(number of client_channels)" },
	{ "cert_rsa",         X_CERT_TYPE, "rsa", "cert_type RSA: a proprietary server certificate (legacy RDP security)" },
	{ "cert_x509",        X_CERT_TYPE, "x.509", "cert_type X.509" },
	{ "cert_other",       X_CERT_TYPE, EXT_OTHER, "any other cert_type" },
	{ "cert_none",        X_CERT_TYPE, "-", "no cert_type" },
	{ "log_cert_count",   X_CERT_COUNT, NULL, "log1p(cert_count)" },
	{ "cert_permanent",   X_CERT_PERMANENT, NULL, "1 if cert_permanent is true (a certificate issued by a licence server)" },
	{ "enc_level_none_low", X_ENC_LEVEL, "none|low", "encryption_level None or Low (weak)" },
	{ "enc_level_client_compatible", X_ENC_LEVEL, "client compatible", "encryption_level Client compatible" },
	{ "enc_level_high_fips", X_ENC_LEVEL, "high|fips", "encryption_level High or FIPS" },
	{ "enc_level_other",  X_ENC_LEVEL, EXT_OTHER, "any other encryption_level" },
	{ "enc_level_none",   X_ENC_LEVEL, "-", "no encryption_level (TLS: not logged)" },
	{ "enc_method_weak",  X_ENC_METHOD, "none|40bit|56bit", "encryption_method None, 40bit or 56bit" },
	{ "enc_method_128bit", X_ENC_METHOD, "128bit", "encryption_method 128bit" },
	{ "enc_method_fips",  X_ENC_METHOD, "fips", "encryption_method FIPS" },
	{ "enc_method_other", X_ENC_METHOD, EXT_OTHER, "any other encryption_method" },
	{ "enc_method_none",  X_ENC_METHOD, "-", "no encryption_method" },
};

#define N_EXTENDED AZW_N(extended)

static ext_index xindex;

/* The cookie's word: a name ending in .nbin is a Nessus plugin's. */
static int cookie(zl_rec *rec, double *x, char *why)
{
	const char *s;
	size_t len;
	int r = ext_text(rec, "cookie", &s, &len, why);

	if (r < 0)
		return -1;
	if (r == 0 && (!s || len == 0))
		ext_set(&xindex, x, X_COOKIE, "-", 1);
	else if (len > 5 && lat_same_fold(s + len - 5, 5, ".nbin", 5))
		ext_set(&xindex, x, X_COOKIE, "nmap", 4);
	else
		lat_set_fold(&xindex, x, X_COOKIE, s, len);
	return 0;
}

static int build(zl_rec *rec, double *x, char *why)
{
	const char *s;
	size_t len;

	if (ext_word(rec, "client_build", &s, &len, why) < 0)
		return -1;
	if (!s)
		ext_set(&xindex, x, X_BUILD, "-", 1);
	else if (lat_prefix_fold(s, len, "client_build-"))
		ext_set(&xindex, x, X_BUILD, "client_build-", 13);
	else
		lat_set_fold(&xindex, x, X_BUILD, s, len);
	return 0;
}

static int extract_extended(const azw_schema *schema, zl_rec *rec, double *x, char *why)
{
	double num[N_XSOURCE] = { 0 };
	const char *s;
	size_t len;
	int port, perm, i, r;
	ext_list l;
	static const struct { const char *field; int src; } cats[] = {
		{ "result", X_RESULT }, { "security_protocol", X_SECURITY },
		{ "keyboard_layout", X_KEYBOARD }, { "requested_color_depth", X_COLOR },
		{ "cert_type", X_CERT_TYPE }, { "encryption_level", X_ENC_LEVEL },
		{ "encryption_method", X_ENC_METHOD },
	};

	(void)schema;
	memset(x, 0, (size_t)N_EXTENDED * sizeof *x);
	if (lat_ends(&xindex, rec, X_DIR, &num[X_IPV6], &port, x, why) < 0 ||
	    ext_log1p(rec, "desktop_width", &num[X_WIDTH], why) < 0 ||
	    ext_log1p(rec, "desktop_height", &num[X_HEIGHT], why) < 0 ||
	    ext_log1p(rec, "cert_count", &num[X_CERT_COUNT], why) < 0 ||
	    fld_bool(rec, "cert_permanent", 0, &perm, why) < 0 ||
	    ext_list_get(rec, "client_channels", &l, why) < 0 ||
	    cookie(rec, x, why) < 0 || build(rec, x, why) < 0)
		return -1;
	s = port == 3389 ? "3389" : EXT_OTHER;
	ext_set(&xindex, x, X_PORT, s, strlen(s));
	for (i = 0; i < AZW_N(cats); i++)
		if (lat_category_fold(&xindex, rec, cats[i].field, cats[i].src, x, why) < 0)
			return -1;
	num[X_CERT_PERMANENT] = perm == 1;
	num[X_N_CHANNELS] = log1p(l.n);
	while (ext_list_next(&l, &s, &len))
		lat_set_fold(&xindex, x, X_CHANNEL, s, len);

	r = ext_text(rec, "client_name", &s, &len, why);
	if (r < 0)
		return -1;
	if (s && r == 0) {
		num[X_CLIENT_NAME_LEN] = log1p((double)ext_text_len(s, len));
		num[X_CLIENT_NAME_ENT] = ext_entropy(s, len);
	}
	ext_numbers(&xindex, num, x);
	return 0;
}

static void init(void)
{
	if (ext_index_init(&xindex, extended, N_EXTENDED) < 0)
		abort(); /* a malformed table: a programming error */
}

static const azw_schema rdp_schemas[] = {
	{ "extended", N_EXTENDED, extended, extract_extended, NULL, 0, NULL },
};

const azw_module azw_module_rdp = {
	"rdp",
	"Zeek rdp.log: one record per RDP connection",
	init,
	AZW_N(rdp_schemas),
	rdp_schemas,
};
