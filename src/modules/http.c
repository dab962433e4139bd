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
#include "context.h"
#include "modules/extended.h"
#include "modules/fields.h"
#include "modules/modules.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
	[S_TRANS_DEPTH]       = { "trans_depth",         FLD_COUNT32, NULL },
	[S_REQUEST_BODY_LEN]  = { "request_body_len",    FLD_COUNT32, NULL },
	[S_RESPONSE_BODY_LEN] = { "response_body_len",   FLD_COUNT32, NULL },
	[S_HAS_HOST]          = { "host",                FLD_PRESENT, NULL },
	[S_BROADCAST]         = { "id.resp_h",           FLD_BROADCAST, NULL },
	[S_METHOD]            = { "method",              FLD_CATEGORY, NULL },
	[S_STATUS_CODE]       = { "status_code",         FLD_CATEGORY, NULL },
	[S_VERSION]           = { "version",             FLD_CATEGORY, NULL },
	[S_DIRECTION]         = { "id.orig_h id.resp_h", FLD_DIRECTION, NULL },
};

/* The "original" feature table: column name, source, and for a one-hot
 * column the category value that sets it (NULL: the source's number); the
 * source's kind says what it means (fld_describe). */
static const azw_feature original[] = {
	{ "trans_depth",                S_TRANS_DEPTH,       NULL, NULL },
	{ "request_body_len",           S_REQUEST_BODY_LEN,  NULL, NULL },
	{ "response_body_len",          S_RESPONSE_BODY_LEN, NULL, NULL },
	{ "has_host",                   S_HAS_HOST,          NULL, NULL },
	{ "is_destination_broadcast",   S_BROADCAST,         NULL, NULL },
	{ "method_CONNECT",             S_METHOD,            "CONNECT", NULL },
	{ "method_GET",                 S_METHOD,            "GET", NULL },
	{ "status_code_0",              S_STATUS_CODE,       "0", NULL },
	{ "status_code_200",            S_STATUS_CODE,       "200", NULL },
	{ "version_0.9",                S_VERSION,           "0.9", NULL },
	{ "version_1.1",                S_VERSION,           "1.1", NULL },
	{ "traffic_direction_IPv6",     S_DIRECTION,         "IPv6", NULL },
	{ "traffic_direction_external", S_DIRECTION,         "external", NULL },
	{ "traffic_direction_incoming", S_DIRECTION,         "incoming", NULL },
	{ "traffic_direction_internal", S_DIRECTION,         "internal", NULL },
	{ "traffic_direction_outgoing", S_DIRECTION,         "outgoing", NULL },
};


/* ---- schema "extended" ----
 *
 * What an autoencoder should see of one HTTP request and its reply: method,
 * status and version one-hot over fixed vocabularies with an `other`
 * column; the status class and the common exact codes; body sizes and
 * counts on a log scale; the shape of the URI (length, depth, query string,
 * character entropy, an absolute proxy URI); the Host header (missing, a
 * bare IP address: malware skips DNS); the client software family from the
 * User-Agent's first product token (scripts and tools differ from
 * browsers); the MIME types of the replies (executables, archives,
 * scripts); direction from the local networks (--local-nets: http.log has
 * no local_orig / local_resp). Depends on the record alone; everything is
 * finite; numbers are rounded to 6 decimals (round6).
 *
 * Missing fields: method -> method_none; status_code -> status_none (no
 * exact code); version -> version_none; a count or length -> 0; host,
 * user_agent, referrer, username -> their has_ column 0 (an empty
 * user_agent is ua_none too); resp_mime_types -> mime_none; the port ->
 * resp_port_other.
 * Rejected, with the reason: a missing or bad id.orig_h / id.resp_h (as
 * "original"), and a field of the wrong type or a bad value (a negative or
 * non-numeric count, a status that is not an integer 0..65535).
 */
enum xsource {
	X_IPV6, X_DIR, X_PORT,
	X_METHOD, X_STATUS_CLASS, X_STATUS, X_VERSION,
	X_TRANS_DEPTH, X_REQ_BODY, X_RESP_BODY,
	X_URI_LEN, X_URI_DEPTH, X_URI_QUERY, X_URI_ENTROPY, X_URI_ABSOLUTE,
	X_HAS_HOST, X_HOST_IP,
	X_HAS_UA, X_UA_LEN, X_UA,
	X_HAS_REFERRER, X_HAS_USER, X_PROXIED, X_ORIG_FILES, X_RESP_FILES,
	X_MIME,
	N_XSOURCE
};

/* One row per feature: name, source, the value(s) of a categorical source
 * that set it ('|' between aliases; EXT_OTHER: any other value; NULL: a
 * number), meaning: what azw-extract --features prints, and azw-features(7)
 * says. */
static const azw_feature extended[] = {
	{ "is_ipv6",          X_IPV6, NULL, "1 if an address is IPv6 (IPv4-mapped ::ffff:a.b.c.d is IPv4)" },
	{ "dir_internal",     X_DIR, "internal", "both ends in --local-nets" },
	{ "dir_outgoing",     X_DIR, "outgoing", "only the originator is local (a client inside)" },
	{ "dir_incoming",     X_DIR, "incoming", "only the responder is local (a server inside)" },
	{ "dir_external",     X_DIR, "external", "neither end is local" },
	{ "resp_port_80",     X_PORT, "80",  "responder port 80" },
	{ "resp_port_alt",    X_PORT, "8080|8000|8008|8888|3128", "responder port 8080, 8000, 8008, 8888 or 3128 (alternative HTTP, proxies)" },
	{ "resp_port_443",    X_PORT, "443", "responder port 443 (plain HTTP there: proxies, CONNECT, odd clients)" },
	{ "resp_port_other",  X_PORT, EXT_OTHER, "any other responder port, or none" },
	{ "method_GET",       X_METHOD, "GET",     "method GET" },
	{ "method_POST",      X_METHOD, "POST",    "method POST" },
	{ "method_HEAD",      X_METHOD, "HEAD",    "method HEAD" },
	{ "method_PUT",       X_METHOD, "PUT",     "method PUT" },
	{ "method_DELETE",    X_METHOD, "DELETE",  "method DELETE" },
	{ "method_OPTIONS",   X_METHOD, "OPTIONS", "method OPTIONS" },
	{ "method_CONNECT",   X_METHOD, "CONNECT", "method CONNECT (a proxy tunnel)" },
	{ "method_PATCH",     X_METHOD, "PATCH",   "method PATCH" },
	{ "method_other",     X_METHOD, EXT_OTHER, "any other method (PROPFIND, PRI, garbage from scanners...)" },
	{ "method_none",      X_METHOD, "-",       "no method (a reply without a request)" },
	{ "status_1xx",       X_STATUS_CLASS, "1xx", "status_code 100-199" },
	{ "status_2xx",       X_STATUS_CLASS, "2xx", "status_code 200-299" },
	{ "status_3xx",       X_STATUS_CLASS, "3xx", "status_code 300-399" },
	{ "status_4xx",       X_STATUS_CLASS, "4xx", "status_code 400-499" },
	{ "status_5xx",       X_STATUS_CLASS, "5xx", "status_code 500-599" },
	{ "status_other",     X_STATUS_CLASS, EXT_OTHER, "any other status_code (below 100, or 600 and up)" },
	{ "status_none",      X_STATUS_CLASS, "-",   "no status_code (no reply seen)" },
	{ "status_200",       X_STATUS, "200", "status_code 200 OK (besides its class)" },
	{ "status_204",       X_STATUS, "204", "status_code 204 No Content" },
	{ "status_301",       X_STATUS, "301", "status_code 301 Moved Permanently" },
	{ "status_302",       X_STATUS, "302", "status_code 302 Found" },
	{ "status_304",       X_STATUS, "304", "status_code 304 Not Modified" },
	{ "status_400",       X_STATUS, "400", "status_code 400 Bad Request" },
	{ "status_401",       X_STATUS, "401", "status_code 401 Unauthorized" },
	{ "status_403",       X_STATUS, "403", "status_code 403 Forbidden" },
	{ "status_404",       X_STATUS, "404", "status_code 404 Not Found (scanners)" },
	{ "status_500",       X_STATUS, "500", "status_code 500 Internal Server Error" },
	{ "version_0.9",      X_VERSION, "0.9", "version 0.9" },
	{ "version_1.0",      X_VERSION, "1.0", "version 1.0 (old clients, many tools)" },
	{ "version_1.1",      X_VERSION, "1.1", "version 1.1" },
	{ "version_2",        X_VERSION, "2|2.0", "version 2" },
	{ "version_other",    X_VERSION, EXT_OTHER, "any other version" },
	{ "version_none",     X_VERSION, "-", "no version" },
	{ "log_trans_depth",  X_TRANS_DEPTH, NULL, "log1p(trans_depth): the request's place in its connection" },
	{ "log_request_body_len",  X_REQ_BODY,  NULL, "log1p(request_body_len): bytes uploaded" },
	{ "log_response_body_len", X_RESP_BODY, NULL, "log1p(response_body_len): bytes downloaded" },
	{ "log_uri_len",      X_URI_LEN,     NULL, "log1p(bytes of the uri), 0 without" },
	{ "log_uri_depth",    X_URI_DEPTH,   NULL, "log1p(number of '/' in the uri's path, before any '?')" },
	{ "log_uri_query_len", X_URI_QUERY,  NULL, "log1p(bytes after the first '?'), 0 without a query string" },
	{ "uri_entropy",      X_URI_ENTROPY, NULL, "Shannon entropy of the uri's characters (case folded), bits per character (encoded payloads are high)" },
	{ "uri_absolute",     X_URI_ABSOLUTE, NULL, "the uri holds \"://\" before any '?' (a request to a proxy)" },
	{ "has_host",         X_HAS_HOST, NULL, "the Host header is set and not empty" },
	{ "host_is_ip",       X_HOST_IP,  NULL, "the Host header is an IPv4 or IPv6 address (with or without a port)" },
	{ "has_user_agent",   X_HAS_UA,   NULL, "user_agent is set and not empty" },
	{ "log_user_agent_len", X_UA_LEN, NULL, "log1p(bytes of user_agent)" },
	{ "ua_browser",       X_UA, "Mozilla|Opera", "User-Agent product Mozilla or Opera (browsers, and what imitates them)" },
	{ "ua_powershell",    X_UA, "powershell", "a Mozilla User-Agent naming WindowsPowerShell (Invoke-WebRequest)" },
	{ "ua_windows",       X_UA, "Microsoft-CryptoAPI|Windows-Update-Agent|Microsoft-Delivery-Optimization|Microsoft-WNS|Microsoft|MICROSOFT_DEVICE_METADATA_RETRIEVAL_CLIENT|WinHttp|Windows", "Windows system services (CryptoAPI, Windows Update, Delivery Optimization...)" },
	{ "ua_curl_wget",     X_UA, "curl|Wget|libcurl|Wget2", "curl or wget" },
	{ "ua_python",        X_UA, "python-requests|Python-urllib|python-urllib3|aiohttp|python-httpx|Python", "Python libraries" },
	{ "ua_library",       X_UA, "Go-http-client|Java|okhttp|Apache-HttpClient|axios|node-fetch|node|libwww-perl|Ruby|Dalvik|Dart", "other HTTP libraries (Go, Java, Node, Perl, Ruby, Android)" },
	{ "ua_other",         X_UA, EXT_OTHER, "any other first product token" },
	{ "ua_none",          X_UA, "-", "no user_agent, or an empty one" },
	{ "has_referrer",     X_HAS_REFERRER, NULL, "referrer is set and not empty" },
	{ "has_username",     X_HAS_USER, NULL, "username is set and not empty (basic authentication)" },
	{ "proxied",          X_PROXIED, NULL, "proxied holds at least one header (the request came through a proxy)" },
	{ "log_orig_files",   X_ORIG_FILES, NULL, "log1p(number of files the client sent: orig_fuids)" },
	{ "log_resp_files",   X_RESP_FILES, NULL, "log1p(number of files the server sent: resp_fuids)" },
	{ "mime_html",        X_MIME, "text/html", "a reply file is text/html (each of resp_mime_types sets its column)" },
	{ "mime_text",        X_MIME, "text/plain|text/xml|application/xml|text/css|text/csv", "plain text, XML or CSS" },
	{ "mime_json",        X_MIME, "application/json|text/json", "JSON" },
	{ "mime_script",      X_MIME, "application/javascript|text/javascript|application/x-javascript|application/ecmascript|text/x-php|text/x-python|text/x-shellscript|text/x-perl", "a script" },
	{ "mime_image",       X_MIME, "image", "any image/..." },
	{ "mime_exe",         X_MIME, "application/x-dosexec|application/x-executable|application/x-mach-o-executable|application/x-sharedlib|application/x-elf|application/vnd.microsoft.portable-executable|application/x-msdownload|application/x-java-applet", "an executable (Windows PE, ELF, Mach-O)" },
	{ "mime_archive",     X_MIME, "application/zip|application/x-gzip|application/gzip|application/x-rar|application/x-7z-compressed|application/x-tar|application/vnd.ms-cab-compressed|application/x-bzip2|application/x-xz|application/java-archive", "an archive (zip, gzip, rar, 7z, cab, jar...)" },
	{ "mime_document",    X_MIME, "application/pdf|application/msword|application/vnd.ms-excel|application/vnd.ms-powerpoint|application/rtf|text/rtf|application/vnd.openxmlformats-officedocument.wordprocessingml.document|application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "a document (PDF, Office, RTF)" },
	{ "mime_pki",         X_MIME, "application/ocsp-response|application/ocsp-request|application/pkix-cert|application/x-x509-ca-cert|application/pkix-crl|application/x-pkcs7-crl", "OCSP, certificates, CRLs" },
	{ "mime_other",       X_MIME, EXT_OTHER, "any other MIME type" },
	{ "mime_none",        X_MIME, "-", "no resp_mime_types (no body, or not identified)" },
};

#define N_EXTENDED AZW_N(extended)

/* The counts, by source. */
static const char *const count_field[N_XSOURCE] = {
	[X_TRANS_DEPTH] = "trans_depth",
	[X_REQ_BODY] = "request_body_len",
	[X_RESP_BODY] = "response_body_len",
};

static ext_index xindex;

/* Does s[0..len) contain the NUL-terminated word w? */
static int contains(const char *s, size_t len, const char *w)
{
	size_t n = strlen(w), i;

	for (i = 0; i + n <= len; i++)
		if (s[i] == w[0] && memcmp(s + i, w, n) == 0)
			return 1;
	return 0;
}

/* The first product token of a User-Agent: up to '/', ' ', ';' or '('. */
static size_t ua_token(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] == '/' || s[i] == ' ' || s[i] == ';' || s[i] == '(')
			break;
	return i;
}

static void uri_shape(const char *s, size_t len, double *num)
{
	size_t i = 0, n = 0, path = 0;
	int depth = 0, query = 0;
	const char *q;

	while (i < len) {
		size_t at = i;
		unsigned char c = ext_xbyte(s, len, &i);

		n++;
		if (query)
			continue;
		if (c == '?' && i == at + 1) {
			query = 1;
			path = n - 1;
			continue;
		}
		depth += c == '/';
	}
	if (!query)
		path = n;
	num[X_URI_LEN] = log1p_count((double)n);
	num[X_URI_DEPTH] = log1p_count(depth);
	num[X_URI_QUERY] = query ? log1p_count((double)(n - path - 1)) : 0;
	num[X_URI_ENTROPY] = ext_entropy(s, len);
	q = memchr(s, '?', len);
	num[X_URI_ABSOLUTE] = contains(s, q ? (size_t)(q - s) : len, "://");
}

/* A non-empty string field: 1 if set and not empty, with *s, *len. */
static int text(zl_rec *rec, const char *field, const char **s, size_t *len, int *has, char *why)
{
	if (ext_text(rec, field, s, len, why) < 0)
		return -1;
	*has = *s && *len > 0;
	return 0;
}

/* The port column: the port's digits for the usual web ports, else other. */
static void port_column(int port, double *x)
{
	if (port == 80 || port == 443 || port == 8080 || port == 8000 ||
	    port == 8008 || port == 8888 || port == 3128) {
		char buf[8];
		int n = 0, p;

		for (p = port; p; p /= 10)
			n++;
		buf[n] = '\0';
		for (p = port; p; p /= 10)
			buf[--n] = (char)('0' + p % 10);
		ext_set(&xindex, x, X_PORT, buf, strlen(buf));
	} else {
		ext_set(&xindex, x, X_PORT, EXT_OTHER, 1);
	}
}

/* The status class column ("4xx"), and the code's own column where it has
 * one; status < 0: no status. */
static void status_columns(int status, double *x)
{
	if (status < 0) {
		ext_set(&xindex, x, X_STATUS_CLASS, "-", 1);
	} else {
		char cls[4] = { (char)('0' + status / 100), 'x', 'x', '\0' };
		char code[4] = { (char)('0' + status / 100), (char)('0' + status / 10 % 10),
		                 (char)('0' + status % 10), '\0' };

		if (status >= 100 && status < 600) {
			ext_set(&xindex, x, X_STATUS_CLASS, cls, 3);
			ext_set(&xindex, x, X_STATUS, code, 3); /* no other column */
		} else {
			ext_set(&xindex, x, X_STATUS_CLASS, EXT_OTHER, 1);
		}
	}
}

/* The user agent's length and its first token's column (PowerShell's
 * "Mozilla/..." by name); s NULL: none. */
static void ua_columns(const char *s, size_t len, double *num, double *x)
{
	if (s) {
		size_t t = ua_token(s, len);

		num[X_UA_LEN] = log1p_count((double)ext_text_len(s, len));
		if (t == 7 && memcmp(s, "Mozilla", 7) == 0 && contains(s, len, "WindowsPowerShell"))
			ext_set(&xindex, x, X_UA, "powershell", 10);
		else
			ext_set(&xindex, x, X_UA, s, t);
	} else {
		ext_set(&xindex, x, X_UA, "-", 1);
	}
}

/* The response MIME types' columns (every image type as "image"), "-"
 * for none. */
static void mime_columns(ext_list *mime, double *x)
{
	const char *e;
	size_t elen;
	int has = 0;

	while (ext_list_next(mime, &e, &elen)) {
		if (elen > 6 && memcmp(e, "image/", 6) == 0)
			ext_set(&xindex, x, X_MIME, "image", 5);
		else if (elen > 0)
			ext_set(&xindex, x, X_MIME, e, elen);
		else
			continue;
		has = 1;
	}
	if (!has)
		ext_set(&xindex, x, X_MIME, "-", 1);
}

static int extract_extended(const azw_schema *schema, zl_rec *rec, double *x, char *why)
{
	double num[N_XSOURCE] = { 0 };
	fld_addr orig, resp;
	ext_list proxied, orig_files, resp_files, mime;
	const char *s;
	size_t len;
	int port, status, has, i;

	(void)schema;
	if (fld_address(rec, "id.orig_h", &orig, why) < 0 ||
	    fld_address(rec, "id.resp_h", &resp, why) < 0 ||
	    fld_port(rec, "id.resp_p", &port, why) < 0 ||
	    fld_code(rec, "status_code", &status, why) < 0 ||
	    ext_list_get(rec, "proxied", &proxied, why) < 0 ||
	    ext_list_get(rec, "orig_fuids", &orig_files, why) < 0 ||
	    ext_list_get(rec, "resp_fuids", &resp_files, why) < 0 ||
	    ext_list_get(rec, "resp_mime_types", &mime, why) < 0)
		return -1;
	for (i = 0; i < N_XSOURCE; i++)
		if (count_field[i] && ext_log1p(rec, count_field[i], &num[i], why) < 0)
			return -1;
	memset(x, 0, (size_t)N_EXTENDED * sizeof *x);

	num[X_IPV6] = orig.v6 || resp.v6;
	s = ext_direction(&orig, &resp);
	ext_set(&xindex, x, X_DIR, s, strlen(s));
	port_column(port, x);

	if (ext_category(&xindex, rec, "method", X_METHOD, "-", x, why) < 0 ||
	    ext_category(&xindex, rec, "version", X_VERSION, "-", x, why) < 0)
		return -1;
	status_columns(status, x);

	if (ext_text(rec, "uri", &s, &len, why) < 0)
		return -1;
	if (s)
		uri_shape(s, len, num);

	if (text(rec, "host", &s, &len, &has, why) < 0)
		return -1;
	num[X_HAS_HOST] = has;
	num[X_HOST_IP] = has && ext_is_ip_text(s, len);

	if (text(rec, "user_agent", &s, &len, &has, why) < 0)
		return -1;
	num[X_HAS_UA] = has;
	ua_columns(has ? s : NULL, len, num, x);

	if (text(rec, "referrer", &s, &len, &has, why) < 0)
		return -1;
	num[X_HAS_REFERRER] = has;
	if (text(rec, "username", &s, &len, &has, why) < 0)
		return -1;
	num[X_HAS_USER] = has;
	num[X_PROXIED] = proxied.n > 0;
	num[X_ORIG_FILES] = log1p_count(orig_files.n);
	num[X_RESP_FILES] = log1p_count(resp_files.n);

	mime_columns(&mime, x);
	ext_numbers(&xindex, num, x);
	return 0;
}

/* ---- context features of the extended schema ----
 *
 * The columns and what each quantity means: ctx_columns_http in
 * context_columns.c; observe_http() below fills the quantities. */

/* Columns of the per-record vector the quantities come from. */
static int col_4xx, col_5xx, col_none, col_rbody, col_qbody;

/* A record's keys and quantities; x: its extended per-record features. */
static int observe_http(zl_rec *rec, const double *x, ctx_obs *o, char *why)
{
	const char *s;
	size_t len;

	if (ext_obs_ends(rec, o, why) < 0 ||
	    ext_text(rec, "host", &s, &len, why) < 0)
		return -1;
	o->svc = s ? ext_name_hash(s, len) : ext_name_hash("", 0);
	o->q[HTTP_Q_4XX] = x[col_4xx] != 0;
	o->q[HTTP_Q_5XX] = x[col_5xx] != 0;
	o->q[HTTP_Q_NOREPLY] = x[col_none] != 0;
	o->q[HTTP_Q_RBODY] = x[col_rbody];
	o->q[HTTP_Q_QBODY] = x[col_qbody];
	return 0;
}

static const ctx_spec http_context = { &ctx_columns_http, observe_http };

static void init(void)
{
	if (ext_index_init(&xindex, extended, N_EXTENDED) < 0)
		abort(); /* a malformed table: a programming error */
	col_4xx = ext_word_col(&xindex, X_STATUS_CLASS, "4xx");
	col_5xx = ext_word_col(&xindex, X_STATUS_CLASS, "5xx");
	col_none = ext_word_col(&xindex, X_STATUS_CLASS, "-");
	col_rbody = ext_num_col(&xindex, X_RESP_BODY);
	col_qbody = ext_num_col(&xindex, X_REQ_BODY);
}

static const azw_schema http_schemas[] = {
	{ "extended", N_EXTENDED, extended, extract_extended, &http_context, 0, NULL }, /* the default */
	{ "original", AZW_N(original), original, fld_extract_schema, NULL, N_SOURCE, sources },
};

const azw_module azw_module_http = {
	"http",
	"Zeek http.log: one record per HTTP request and its reply",
	init,
	AZW_N(http_schemas),
	http_schemas,
};
