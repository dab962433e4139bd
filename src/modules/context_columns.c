/* context_columns.c - every schema's context columns, and the list that
 * finds them by module and schema name (context_columns.h). Data only: no
 * module code, nothing of the Zeek log reader, so that the model side
 * (split.c) can link it. The per-module comments say what each quantity
 * is; each module's observe() (its .c) fills them from a record.
 */
#include "context_columns.h"

#include <stddef.h>
#include <strings.h>

#define N(a) ((int)(sizeof(a) / sizeof(a)[0]))

/* The tables are aligned by hand, a row a line. */
/* clang-format off */
/* ---- conn, the extended schema ----
 *
 * What a source, a pair, a destination and a source's service (port) have
 * been doing lately, as damped statistics over half-lives of 10 s to
 * 10000 s of log time (context.h; azw-extract --context none leaves them
 * out). Quantities per connection:
 *
 *   fail    1 if conn_state says the connection failed or was refused:
 *           S0, REJ, RSTO, RSTOS0, RSTR, RSTRH, SH, SHR, OTH (scans,
 *           brute force, unreachable C2); else 0 (SF, S1-S3, none)
 *   obytes  log1p(orig_bytes), rbytes log1p(resp_bytes), dur
 *           log1p(duration in seconds): the record's own log_* columns
 *   gap     log1p(seconds since the key's previous connection): its mean
 *           is the period, its spread the jitter (a beacon calls home
 *           every few minutes with a small spread; scanners and people
 *           arrive in bursts, with a spread of about 1.3, an exponential's).
 *           The spread enters only through the periodicity, which is high
 *           for a small spread and 0 for any large one: a spread of its
 *           own made irregular use suspicious, and a pair's first gap
 *           longer than any in training (a host that looks up 8.8.8.8
 *           again after 37 minutes, in a 25-minute training capture)
 *           outscored a RAT's C2 connections (make eval, njrat-001).
 *   new pair / new port  whether this connection's (orig_h, resp_h) or
 *           (orig_h, proto/resp_p) key was new: fan-out and fan-in without
 *           keeping sets
 *
 * Rates are log1p(decayed count): a source sending one connection per
 * second has a 10 s rate of log1p(14.9) = 2.77 in the steady state
 * (sum of 2^(-k/10) over k >= 0). Means of 0/1 quantities are shares in
 * [0, 1]; means and spreads of log quantities are in log units.
 */

/* One row per context feature: name, key, statistic, quantity, half-life
 * (s), meaning. */
static const ctx_column conn_cols[] = {
	{ "src_rate_10s",       CTX_SRC,  CTX_RATE, 0, 10,    "source: log1p(decayed count of its connections), half-life 10 s" },
	{ "src_rate_100s",      CTX_SRC,  CTX_RATE, 0, 100,   "source: the same, half-life 100 s" },
	{ "src_rate_1000s",     CTX_SRC,  CTX_RATE, 0, 1000,  "source: the same, half-life 1000 s" },
	{ "src_rate_10000s",    CTX_SRC,  CTX_RATE, 0, 10000, "source: the same, half-life 10000 s" },
	{ "src_fail_100s",      CTX_SRC,  CTX_MEAN, CONN_Q_FAIL, 100,  "source: decayed share of failed or refused connections (S0 REJ RST* SH SHR OTH), 100 s" },
	{ "src_fail_1000s",     CTX_SRC,  CTX_MEAN, CONN_Q_FAIL, 1000, "source: the same, 1000 s" },
	{ "src_new_pair_1000s", CTX_SRC,  CTX_MEAN, CTX_Q_NEWPAIR, 1000, "source: decayed share of its connections to a responder it had not talked to (fan-out), 1000 s" },
	{ "src_new_port_100s",  CTX_SRC,  CTX_MEAN, CTX_Q_NEWSVC, 100,   "source: decayed share of its connections to a proto/port it had not used (port scan), 100 s" },
	{ "src_new_port_1000s", CTX_SRC,  CTX_MEAN, CTX_Q_NEWSVC, 1000,  "source: the same, 1000 s" },
	{ "src_orig_bytes_1000s", CTX_SRC, CTX_MEAN, CONN_Q_OBYTES, 1000, "source: decayed mean of log1p(orig_bytes), 1000 s" },
	{ "src_resp_bytes_1000s", CTX_SRC, CTX_MEAN, CONN_Q_RBYTES, 1000, "source: decayed mean of log1p(resp_bytes), 1000 s" },
	{ "src_duration_1000s", CTX_SRC,  CTX_MEAN, CONN_Q_DUR, 1000,   "source: decayed mean of log1p(duration), 1000 s" },
	{ "pair_ok_rate_10000s", CTX_PAIR_OK, CTX_RATE, 0, 10000, "pair, connections that did not fail (0 for one that did): log1p(decayed count), 10000 s" },
	{ "pair_ok_gap_10000s", CTX_PAIR_OK, CTX_MEAN, CTX_Q_GAP, 10000, "pair, connections that did not fail: decayed mean of log1p(gap in seconds), 10000 s" },
	{ "pair_ok_periodic_10000s", CTX_PAIR_OK, CTX_PERIODIC, CTX_Q_GAP, 10000, "pair, connections that did not fail: periodicity (many, evenly spaced, for at least 10000 s: a beacon)" },
	{ "svc_ok_periodic_10000s", CTX_SVC_OK, CTX_PERIODIC, CTX_Q_GAP, 10000, "source to port, connections that did not fail: periodicity, 10000 s" },
};
const ctx_columns ctx_columns_conn = {
	CONN_N_Q, CONN_Q_FAIL, N(conn_cols), conn_cols,
};

/* ---- dns, the extended schema ----
 *
 * What a source has been asking lately, as damped statistics over
 * half-lives of 10 s to 1000 s of log time (context.h; azw-extract
 * --context none leaves them out). Quantities per DNS transaction:
 *
 *   nxdomain  1 if rcode_name is NXDOMAIN (a DGA bot asks for names that
 *             mostly do not exist), else 0
 *   error     1 for any other error answer: SERVFAIL, REFUSED, FORMERR or
 *             another rcode that is not NOERROR / NXDOMAIN
 *   noreply   1 if no rcode was seen (no answer: dead resolvers, sinkholes,
 *             blocked DGA lookups), else 0
 *   qlen, entropy  the record's log_query_len and query_entropy (DGA names
 *             and tunnelled data are long and random)
 *   new name  whether this (source, query name) key was new: the query name
 *             (case folded, \xHH as its byte) is hashed to 32 bits into the
 *             source-to-service key in place of a port, so the share of a
 *             source's recent queries for names it had not asked within
 *             about 10000 s needs no set beyond the capped key table (a
 *             DGA's names are all new; a person's mostly repeat)
 *   new server whether this (source, resolver) pair was new
 *
 * Rates are log1p(decayed count); means of 0/1 quantities are shares in
 * [0, 1]; query length in log1p(bytes), entropy in bits per character.
 */

/* One row per context feature: name, key, statistic, quantity, half-life
 * (s), meaning. */
static const ctx_column dns_cols[] = {
	{ "src_rate_10s",        CTX_SRC, CTX_RATE, 0, 10,   "source: log1p(decayed count of its queries), half-life 10 s" },
	{ "src_rate_100s",       CTX_SRC, CTX_RATE, 0, 100,  "source: the same, half-life 100 s" },
	{ "src_rate_1000s",      CTX_SRC, CTX_RATE, 0, 1000, "source: the same, half-life 1000 s" },
	{ "src_nxdomain_100s",   CTX_SRC, CTX_MEAN, DNS_Q_NX, 100,  "source: decayed share of NXDOMAIN answers, 100 s" },
	{ "src_nxdomain_1000s",  CTX_SRC, CTX_MEAN, DNS_Q_NX, 1000, "source: the same, 1000 s" },
	{ "src_error_1000s",     CTX_SRC, CTX_MEAN, DNS_Q_ERR, 1000, "source: decayed share of other error answers (SERVFAIL, REFUSED, FORMERR...), 1000 s" },
	{ "src_no_reply_1000s",  CTX_SRC, CTX_MEAN, DNS_Q_NOREPLY, 1000, "source: decayed share of queries without an answer (no rcode), 1000 s" },
	{ "src_query_len_1000s", CTX_SRC, CTX_MEAN, DNS_Q_QLEN, 1000, "source: decayed mean of log_query_len, 1000 s" },
	{ "src_query_entropy_1000s", CTX_SRC, CTX_MEAN, DNS_Q_ENTROPY, 1000, "source: decayed mean of query_entropy, 1000 s" },
	{ "src_new_name_100s",   CTX_SRC, CTX_MEAN, CTX_Q_NEWSVC, 100,  "source: decayed share of queries for a name it had not asked lately (hashed, no sets kept), 100 s" },
	{ "src_new_name_1000s",  CTX_SRC, CTX_MEAN, CTX_Q_NEWSVC, 1000, "source: the same, 1000 s" },
	{ "src_new_server_1000s", CTX_SRC, CTX_MEAN, CTX_Q_NEWPAIR, 1000, "source: decayed share of queries to a responder it had not asked (fan-out), 1000 s" },
};
const ctx_columns ctx_columns_dns = {
	DNS_N_Q, -1, N(dns_cols), dns_cols,
};

/* ---- http, the extended schema ----
 *
 * What a client, and a client with its server, have been doing lately, as
 * damped statistics over half-lives of 10 s to 10000 s of log time
 * (context.h; azw-extract --context none leaves them out). Quantities per
 * request:
 *
 *   4xx, 5xx  1 if the status is a client or server error (scanners and
 *             brute force collect 404s and 401s; broken or probing clients
 *             500s), else 0
 *   noreply   1 if no status was seen (no reply)
 *   rbody, qbody  the record's log_response_body_len and
 *             log_request_body_len (exfiltration uploads; beacons fetch
 *             the same few bytes)
 *   new host  whether this (client, Host header) key was new: the Host
 *             (case folded, \xHH as its byte; none and empty are one value)
 *             is hashed to 32 bits into the source-to-service key in place
 *             of a port: the share of a client's recent requests for a site
 *             it had not asked within about 10000 s, without sets
 *   new server whether this (client, server) pair was new
 *   gap       log1p(seconds since the pair's previous request): its spread
 *             and the periodicity score (context.h) show a beacon
 *
 * Rates are log1p(decayed count); means of 0/1 quantities are shares in
 * [0, 1]; sizes in log1p(bytes).
 */

/* One row per context feature: name, key, statistic, quantity, half-life
 * (s), meaning. */
static const ctx_column http_cols[] = {
	{ "src_rate_10s",          CTX_SRC, CTX_RATE, 0, 10,   "client: log1p(decayed count of its requests), half-life 10 s" },
	{ "src_rate_100s",         CTX_SRC, CTX_RATE, 0, 100,  "client: the same, half-life 100 s" },
	{ "src_rate_1000s",        CTX_SRC, CTX_RATE, 0, 1000, "client: the same, half-life 1000 s" },
	{ "src_status_4xx_100s",   CTX_SRC, CTX_MEAN, HTTP_Q_4XX, 100,  "client: decayed share of 4xx answers (scanning, guessing), 100 s" },
	{ "src_status_4xx_1000s",  CTX_SRC, CTX_MEAN, HTTP_Q_4XX, 1000, "client: the same, 1000 s" },
	{ "src_status_5xx_1000s",  CTX_SRC, CTX_MEAN, HTTP_Q_5XX, 1000, "client: decayed share of 5xx answers, 1000 s" },
	{ "src_no_reply_1000s",    CTX_SRC, CTX_MEAN, HTTP_Q_NOREPLY, 1000, "client: decayed share of requests without a reply (no status), 1000 s" },
	{ "src_resp_body_1000s",   CTX_SRC, CTX_MEAN, HTTP_Q_RBODY, 1000, "client: decayed mean of log_response_body_len, 1000 s" },
	{ "src_req_body_1000s",    CTX_SRC, CTX_MEAN, HTTP_Q_QBODY, 1000, "client: decayed mean of log_request_body_len (uploads), 1000 s" },
	{ "src_new_host_1000s",    CTX_SRC, CTX_MEAN, CTX_Q_NEWSVC, 1000, "client: decayed share of requests for a Host it had not asked lately (hashed, no sets kept), 1000 s" },
	{ "src_new_server_1000s",  CTX_SRC, CTX_MEAN, CTX_Q_NEWPAIR, 1000, "client: decayed share of requests to a server it had not used, 1000 s" },
	{ "pair_rate_10000s",      CTX_PAIR, CTX_RATE, 0, 10000, "client and server: log1p(decayed count of requests), 10000 s" },
	{ "pair_gap_sd_10000s",    CTX_PAIR, CTX_STD, CTX_Q_GAP, 10000, "client and server: decayed standard deviation of log1p(gap in seconds), 10000 s" },
	{ "pair_periodic_10000s",  CTX_PAIR, CTX_PERIODIC, CTX_Q_GAP, 10000, "client and server: periodicity (many, evenly spaced, for at least 10000 s: a beacon)" },
};
const ctx_columns ctx_columns_http = {
	HTTP_N_Q, -1, N(http_cols), http_cols,
};

/* ---- ssh, the extended schema ----
 *
 * What a client, and a client with its server, have been doing lately, as
 * damped statistics over half-lives of 10 s to 10000 s of log time
 * (context.h; azw-extract --context none leaves them out). A brute force
 * is many sessions from one source, most failing or ending before
 * authentication; a scan or a password spray is one source reaching many
 * servers. Quantities per session:
 *
 *   fail, success, unknown  auth_success false, true, unset (the
 *             record's auth_failure, auth_success, auth_unknown)
 *   attempts  the record's log_auth_attempts
 *   new server whether this (client, server) pair was new: the share of a
 *             client's recent sessions to a server it had not tried
 *             (scanning, spraying), without sets
 *
 * Rates are log1p(decayed count); means of 0/1 quantities are shares in
 * [0, 1]; attempts in log1p(count).
 */

/* One row per context feature: name, key, statistic, quantity, half-life
 * (s), meaning. */
static const ctx_column ssh_cols[] = {
	{ "src_rate_10s",          CTX_SRC, CTX_RATE, 0, 10,    "client: log1p(decayed count of its sessions), half-life 10 s" },
	{ "src_rate_100s",         CTX_SRC, CTX_RATE, 0, 100,   "client: the same, half-life 100 s" },
	{ "src_rate_1000s",        CTX_SRC, CTX_RATE, 0, 1000,  "client: the same, half-life 1000 s" },
	{ "src_rate_10000s",       CTX_SRC, CTX_RATE, 0, 10000, "client: the same, half-life 10000 s" },
	{ "src_auth_fail_1000s",   CTX_SRC, CTX_MEAN, SSH_Q_FAIL, 1000,    "client: decayed share of sessions whose authentication failed, 1000 s" },
	{ "src_auth_fail_10000s",  CTX_SRC, CTX_MEAN, SSH_Q_FAIL, 10000,   "client: the same, 10000 s" },
	{ "src_auth_success_1000s", CTX_SRC, CTX_MEAN, SSH_Q_SUCCESS, 1000, "client: decayed share of sessions that logged in, 1000 s" },
	{ "src_auth_unknown_1000s", CTX_SRC, CTX_MEAN, SSH_Q_UNKNOWN, 1000, "client: decayed share of sessions without an authentication outcome (banner grabs, dropped tries), 1000 s" },
	{ "src_attempts_1000s",    CTX_SRC, CTX_MEAN, SSH_Q_ATTEMPTS, 1000, "client: decayed mean of log_auth_attempts, 1000 s" },
	{ "src_new_server_1000s",  CTX_SRC, CTX_MEAN, CTX_Q_NEWPAIR, 1000,  "client: decayed share of sessions to a server it had not tried (scan, spray), 1000 s" },
	{ "src_new_server_10000s", CTX_SRC, CTX_MEAN, CTX_Q_NEWPAIR, 10000, "client: the same, 10000 s" },
	{ "pair_rate_1000s",       CTX_PAIR, CTX_RATE, 0, 1000, "client and server: log1p(decayed count of sessions), 1000 s" },
	{ "pair_attempts_10000s",  CTX_PAIR, CTX_MEAN, SSH_Q_ATTEMPTS, 10000, "client and server: decayed mean of log_auth_attempts, 10000 s" },
};
const ctx_columns ctx_columns_ssh = {
	SSH_N_Q, -1, N(ssh_cols), ssh_cols,
};

/* ---- ssl, the extended schema ----
 *
 * What a client has been doing lately over TLS, as damped statistics over
 * half-lives of 10 s to 1000 s of log time (context.h; azw-extract
 * --context none leaves them out). Quantities per session:
 *
 *   badcert   1 if the certificate failed validation: validation_status
 *             set and not ok (self signed, no issuer, expired, other);
 *             unset (not validated, TLS 1.3) is 0
 *   resumed   the record's resumed (C2 frameworks and scanners rarely
 *             resume; browsers often do)
 *   nosni     1 without an SNI (malware and scanners that connect to bare
 *             addresses)
 *   failed    1 if the handshake did not complete (established false) or
 *             an alert was logged
 *   new name  whether this (client, SNI) key was new: the SNI (case folded,
 *             \xHH as its byte; none is one value) is hashed to 32 bits
 *             into the source-to-service key in place of a port: the share
 *             of a client's recent sessions to a name it had not used
 *             within about 10000 s, without sets
 *   new server whether this (client, server) pair was new
 *
 * Rates are log1p(decayed count); means of 0/1 quantities are shares in
 * [0, 1].
 */

/* One row per context feature: name, key, statistic, quantity, half-life
 * (s), meaning. */
static const ctx_column ssl_cols[] = {
	{ "src_rate_10s",           CTX_SRC, CTX_RATE, 0, 10,   "client: log1p(decayed count of its sessions), half-life 10 s" },
	{ "src_rate_100s",          CTX_SRC, CTX_RATE, 0, 100,  "client: the same, half-life 100 s" },
	{ "src_rate_1000s",         CTX_SRC, CTX_RATE, 0, 1000, "client: the same, half-life 1000 s" },
	{ "src_validation_fail_1000s", CTX_SRC, CTX_MEAN, SSL_Q_BADCERT, 1000, "client: decayed share of sessions whose certificate failed validation (validation_status set, not ok), 1000 s" },
	{ "src_resumed_1000s",      CTX_SRC, CTX_MEAN, SSL_Q_RESUMED, 1000, "client: decayed share of resumed sessions, 1000 s" },
	{ "src_no_sni_100s",        CTX_SRC, CTX_MEAN, SSL_Q_NOSNI, 100,  "client: decayed share of sessions without an SNI, 100 s" },
	{ "src_no_sni_1000s",       CTX_SRC, CTX_MEAN, SSL_Q_NOSNI, 1000, "client: the same, 1000 s" },
	{ "src_failed_1000s",       CTX_SRC, CTX_MEAN, SSL_Q_FAILED, 1000, "client: decayed share of handshakes not established or with an alert, 1000 s" },
	{ "src_new_sni_1000s",      CTX_SRC, CTX_MEAN, CTX_Q_NEWSVC, 1000,  "client: decayed share of sessions to an SNI it had not used lately (hashed, no sets kept), 1000 s" },
	{ "src_new_server_1000s",   CTX_SRC, CTX_MEAN, CTX_Q_NEWPAIR, 1000, "client: decayed share of sessions to a server it had not used, 1000 s" },
};
const ctx_columns ctx_columns_ssl = {
	SSL_N_Q, -1, N(ssl_cols), ssl_cols,
};

/* ---- the generic module (-m any, -m LOGTYPE): one quantity, whether
 * the record failed by the log's failure-like fields (modules/any.c) ---- */

static const ctx_column any_cols[] = {
	{ "src_rate_100s",       CTX_SRC, CTX_RATE, 0, 100,   "source: log1p(decayed count of its records), half-life 100 s" },
	{ "src_rate_1000s",      CTX_SRC, CTX_RATE, 0, 1000,  "source: the same, half-life 1000 s" },
	{ "src_rate_10000s",     CTX_SRC, CTX_RATE, 0, 10000, "source: the same, half-life 10000 s" },
	{ "src_fail_1000s",      CTX_SRC, CTX_MEAN, GENERIC_Q_FAIL, 1000,  "source: decayed share of its records that failed, by the log's failure-like fields (azw-features(7)); 0 in a log without any, 1000 s" },
	{ "src_fail_10000s",     CTX_SRC, CTX_MEAN, GENERIC_Q_FAIL, 10000, "source: the same, 10000 s" },
	{ "src_new_dst_1000s",   CTX_SRC, CTX_MEAN, CTX_Q_NEWPAIR, 1000, "source: decayed share of its records to a destination it had not used lately (fan-out), 1000 s" },
	{ "src_new_svc_1000s",   CTX_SRC, CTX_MEAN, CTX_Q_NEWSVC, 1000,  "source: decayed share of its records to a service (proto and id.resp_p) it had not used lately, 1000 s" },
	{ "src_gap_std_1000s",   CTX_SRC, CTX_STD, CTX_Q_GAP, 1000,       "source: decayed standard deviation of log1p(seconds between its records), 1000 s" },
	{ "src_periodic_10000s", CTX_SRC, CTX_PERIODIC, CTX_Q_GAP, 10000, "source: periodicity (many, evenly spaced records for at least 10000 s: a beacon)" },
	{ "pair_rate_1000s",     CTX_PAIR, CTX_RATE, 0, 1000, "source and destination: log1p(decayed count of their records), 1000 s" },
	{ "pair_ok_rate_1000s",  CTX_PAIR_OK, CTX_RATE, 0, 1000, "source and destination, records that did not fail: log1p(decayed count), 1000 s" },
	{ "dst_rate_1000s",      CTX_DST, CTX_RATE, 0, 1000,  "destination: log1p(decayed count of its records), 1000 s" },
	{ "dst_new_src_1000s",   CTX_DST, CTX_MEAN, CTX_Q_NEWPAIR, 1000, "destination: decayed share of its records from a source it had not seen lately (fan-in), 1000 s" },
};
const ctx_columns ctx_columns_generic = {
	GENERIC_N_Q, GENERIC_Q_FAIL, N(any_cols), any_cols,
};

/* clang-format on */

/* Every module's schemas by name, with their columns (NULL: a schema
 * without context); a test checks it against the modules' own
 * (tests/unit/context_columns_test.c). */
static const struct {
	const char *module, *schema;
	const ctx_columns *columns;
} known[] = {
	{ "conn", "extended", &ctx_columns_conn },  { "conn", "original", NULL },
	{ "dns", "extended", &ctx_columns_dns },    { "dns", "original", NULL },
	{ "http", "extended", &ctx_columns_http },  { "http", "original", NULL },
	{ "ssh", "extended", &ctx_columns_ssh },    { "ssh", "original", NULL },
	{ "ssl", "extended", &ctx_columns_ssl },    { "ssl", "original", NULL },
	{ "any", "generic", &ctx_columns_generic },
	/* the logs of lateral movement and mail: per-record schemas */
	{ "smb_mapping", "extended", NULL }, { "smb_files", "extended", NULL },
	{ "dce_rpc", "extended", NULL },     { "ntlm", "extended", NULL },
	{ "kerberos", "extended", NULL },    { "rdp", "extended", NULL },
	{ "smtp", "extended", NULL },        { "x509", "extended", NULL },
};

const ctx_columns *ctx_columns_find(const char *module, const char *schema)
{
	int i;

	/* the generic module's stream of any log, with or without a module
	 * of its own (modules.h, azw_context_find) */
	if (!schema)
		return NULL;
	if (strcasecmp(schema, "generic") == 0)
		return &ctx_columns_generic;
	for (i = 0; i < N(known); i++)
		if (strcasecmp(known[i].module, module) == 0 &&
		    strcasecmp(known[i].schema, schema) == 0)
			return known[i].columns;
	return NULL;
}
