/* ntlm.c - features of Zeek's ntlm.log: one record per NTLM
 * authentication (over SMB, HTTP, RPC...).
 *
 * Schema "extended" (the only one): the outcome, and what the client said
 * of itself. Pass-the-hash, password spraying and relaying tools announce
 * a workstation name of their own (impacket and Metasploit send
 * WORKSTATION, others NULL or random letters), log on as the
 * administrator or guest, or with a local account (the domain is the
 * host's own name); a password typed into the user name shows as a
 * character Windows forbids there (user:password). The server's names
 * are there when the challenge was seen. Per record only: the context (a
 * source failing on many servers: a spray) is a next step.
 *
 * Missing fields: success -> success_unknown; username -> user_none;
 * hostname -> host_none; domainname -> domain_none; a server name -> its
 * *_none column 1. An empty name, or one holding a NUL byte, is missing.
 * Rejected, with the reason: a missing or bad id.orig_h / id.resp_h, a port
 * that is not one, a success that is not a boolean, a text field that is
 * not a string.
 */
#include "modules/extended.h"
#include "modules/lateral.h"
#include "modules/modules.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum xsource {
	X_IPV6, X_DIR, X_PORT, X_SUCCESS,
	X_USER, X_USER_BAD, X_USER_LEN, X_HOST, X_HOST_LEN, X_HOST_ENT, X_DOMAIN,
	X_NB_NONE, X_DNS_NONE, X_TREE_NONE,
	N_XSOURCE
};

static const azw_feature extended[] = {
	{ "is_ipv6",         X_IPV6, NULL, "1 if an address is IPv6" },
	{ "dir_internal",    X_DIR, "internal", "both ends in --local-nets (lateral movement)" },
	{ "dir_outgoing",    X_DIR, "outgoing", "only the client is local (NTLM sent out: a hash leaked)" },
	{ "dir_incoming",    X_DIR, "incoming", "only the server is local" },
	{ "dir_external",    X_DIR, "external", "neither end is local" },
	{ "resp_port_smb",   X_PORT, "445|139", "server port 445 or 139 (SMB)" },
	{ "resp_port_http",  X_PORT, "80|8080", "server port 80 or 8080 (HTTP: a proxy, Exchange, a relay)" },
	{ "resp_port_other", X_PORT, EXT_OTHER, "any other server port (RPC, SQL...), or none" },
	{ "success_true",    X_SUCCESS, "T", "success true" },
	{ "success_false",   X_SUCCESS, "F", "success false: a failed logon" },
	{ "success_unknown", X_SUCCESS, "-", "success unset: the outcome was not seen" },
	{ "user_none",       X_USER, "-", "no username (an anonymous or null session)" },
	{ "user_admin",      X_USER, "administrator|admin|root", "username administrator, admin or root (any case)" },
	{ "user_guest",      X_USER, "guest", "username guest" },
	{ "user_machine",    X_USER, "$", "a machine account (the name ends in $)" },
	{ "user_other",      X_USER, EXT_OTHER, "any other username" },
	{ "user_bad_chars",  X_USER_BAD, NULL, "1 if the username holds a character Windows forbids in one (\" / \\ [ ] : ; | = , + * ? < >: user:password typed into a tool)" },
	{ "log_user_len",    X_USER_LEN, NULL, "log1p(bytes of username)" },
	{ "host_workstation", X_HOST, "workstation", "hostname WORKSTATION: the default of impacket, Metasploit and their kin" },
	{ "host_null",       X_HOST, "null", "hostname NULL" },
	{ "host_other",      X_HOST, EXT_OTHER, "any other hostname" },
	{ "host_none",       X_HOST, "-", "no hostname" },
	{ "log_host_len",    X_HOST_LEN, NULL, "log1p(bytes of hostname)" },
	{ "host_entropy",    X_HOST_ENT, NULL, "entropy of hostname, bits per byte (random names of tools: 16 random letters give about 3.5 to 4)" },
	{ "domain_is_host",  X_DOMAIN, "=", "domainname equals hostname (any case): a local account, not the domain's" },
	{ "domain_workgroup", X_DOMAIN, "workgroup", "domainname WORKGROUP" },
	{ "domain_other",    X_DOMAIN, EXT_OTHER, "any other domainname" },
	{ "domain_none",     X_DOMAIN, "-", "no domainname" },
	{ "server_nb_none",  X_NB_NONE, NULL, "1 if server_nb_computer_name is unset (the challenge was not seen)" },
	{ "server_dns_none", X_DNS_NONE, NULL, "1 if server_dns_computer_name is unset" },
	{ "server_tree_none", X_TREE_NONE, NULL, "1 if server_tree_name (the forest) is unset: a server outside a domain" },
};

#define N_EXTENDED AZW_N(extended)

static ext_index xindex;

/* A text field: 0 with *s (NULL when missing, empty, or holding a NUL
 * byte), -1 on a wrong type. */
static int text(zl_rec *rec, const char *field, const char **s, size_t *len, char *why)
{
	int r = ext_text(rec, field, s, len, why);

	if (r < 0)
		return -1;
	if (*s && *len == 0)
		*s = NULL;
	return 0;
}

static int extract_extended(const azw_schema *schema, zl_rec *rec, double *x, char *why)
{
	double num[N_XSOURCE] = { 0 };
	const char *u, *h, *d, *s;
	size_t ulen, hlen, dlen, len, i;
	int port, ok;

	(void)schema;
	memset(x, 0, (size_t)N_EXTENDED * sizeof *x);
	if (lat_ends(&xindex, rec, X_DIR, &num[X_IPV6], &port, x, why) < 0 ||
	    fld_bool(rec, "success", 0, &ok, why) < 0 ||
	    text(rec, "username", &u, &ulen, why) < 0 ||
	    text(rec, "hostname", &h, &hlen, why) < 0 ||
	    text(rec, "domainname", &d, &dlen, why) < 0)
		return -1;
	s = port == 445 ? "445" : port == 139 ? "139" : port == 80 ? "80" : port == 8080 ? "8080" : EXT_OTHER;
	ext_set(&xindex, x, X_PORT, s, strlen(s));
	s = ok < 0 ? "-" : ok ? "T" : "F";
	ext_set(&xindex, x, X_SUCCESS, s, 1);

	if (!u)
		ext_set(&xindex, x, X_USER, "-", 1);
	else if (u[ulen - 1] == '$')
		ext_set(&xindex, x, X_USER, "$", 1);
	else
		lat_set_fold(&xindex, x, X_USER, u, ulen);
	for (i = 0; u && i < ulen; i++)
		if (strchr("\"/\\[]:;|=,+*?<>", u[i]))
			num[X_USER_BAD] = 1;
	num[X_USER_LEN] = u ? log1p((double)ext_text_len(u, ulen)) : 0;

	if (!h)
		ext_set(&xindex, x, X_HOST, "-", 1);
	else
		lat_set_fold(&xindex, x, X_HOST, h, hlen);
	num[X_HOST_LEN] = h ? log1p((double)ext_text_len(h, hlen)) : 0;
	num[X_HOST_ENT] = h ? ext_entropy(h, hlen) : 0;

	if (!d)
		ext_set(&xindex, x, X_DOMAIN, "-", 1);
	else if (h && lat_same_fold(d, dlen, h, hlen))
		ext_set(&xindex, x, X_DOMAIN, "=", 1);
	else
		lat_set_fold(&xindex, x, X_DOMAIN, d, dlen);

	if (text(rec, "server_nb_computer_name", &s, &len, why) < 0)
		return -1;
	num[X_NB_NONE] = !s;
	if (text(rec, "server_dns_computer_name", &s, &len, why) < 0)
		return -1;
	num[X_DNS_NONE] = !s;
	if (text(rec, "server_tree_name", &s, &len, why) < 0)
		return -1;
	num[X_TREE_NONE] = !s;
	ext_numbers(&xindex, num, x);
	return 0;
}

static void init(void)
{
	if (ext_index_init(&xindex, extended, N_EXTENDED) < 0)
		abort(); /* a malformed table: a programming error */
}

static const azw_schema ntlm_schemas[] = {
	{ "extended", N_EXTENDED, extended, extract_extended, NULL, 0, NULL },
};

const azw_module azw_module_ntlm = {
	"ntlm",
	"Zeek ntlm.log: one record per NTLM authentication",
	init,
	AZW_N(ntlm_schemas),
	ntlm_schemas,
};
