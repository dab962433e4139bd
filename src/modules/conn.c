/* conn.c - features of Zeek's conn.log.
 *
 * Schema "original": AutoZeekWatch's 34 conn columns, in its order, with the
 * semantics of its preprocess_json_conn() at inference time (one record at
 * a time):
 *
 *   conn_state_*, proto_*, service_*   one-hot per record: a value that is
 *       not one of the listed columns (proto icmp, service "ssl,http" or
 *       "krb_tcp", an unknown conn_state) sets no column of its group;
 *       a missing or null service counts as "other"; a missing or null
 *       conn_state or proto sets none.
 *   traffic_direction_*   from both addresses: private per Python 3.11.2's
 *       ipaddress is_private (Debian's table, see private4[] below);
 *       internal = both private, outgoing = only the originator,
 *       incoming = only the responder, external = neither. If either
 *       address is IPv6 (IPv4-mapped ::ffff:a.b.c.d included) all four
 *       are 0, as the original has no IPv6 column.
 *   local_orig, local_resp   true 1, false 0.
 *   missed_bytes, orig_pkts, orig_ip_bytes, resp_pkts, resp_ip_bytes
 *       the count rounded to float32 (2^24+1 gives 16777216); a JSON
 *       float (3.0) and a numeric string ("5") are accepted.
 *
 * Where the original crashed or gave NaN, azw does this instead:
 *
 *   - a missing or null count gives 0 (Zeek leaves unset fields out; the
 *     original gave NaN);
 *   - a missing or null local_orig / local_resp gives 0, and the strings
 *     "T" / "F" (Zeek TSV's booleans) and the numbers 0 / 1 are accepted
 *     (the original raised TypeError / ValueError);
 *   - a missing id.orig_h or id.resp_h, or one that is not an IPv4 or
 *     IPv6 address, rejects the record (the original raised);
 *   - a field of the wrong type rejects the record: a count that is not a
 *     non-negative number or numeric string, or too large for float32; a
 *     boolean that is not one of the above; a conn_state, proto or service
 *     that is not a string.
 *
 * A rejected record is reported and skipped by azw-extract; it never gets
 * a vector with NaN in it.
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
	S_DIRECTION,
	S_CONN_STATE,
	S_PROTO,
	S_SERVICE,
	S_LOCAL_ORIG,
	S_LOCAL_RESP,
	S_MISSED_BYTES,
	S_ORIG_PKTS,
	S_ORIG_IP_BYTES,
	S_RESP_PKTS,
	S_RESP_IP_BYTES,
	N_SOURCE
};

static const fld_source sources[N_SOURCE] = {
	[S_DIRECTION]     = { "id.orig_h id.resp_h", FLD_DIRECTION, NULL },
	[S_CONN_STATE]    = { "conn_state",    FLD_STRING, NULL },
	[S_PROTO]         = { "proto",         FLD_STRING, NULL },
	[S_SERVICE]       = { "service",       FLD_STRING, "other" },
	[S_LOCAL_ORIG]    = { "local_orig",    FLD_FLAG, NULL },
	[S_LOCAL_RESP]    = { "local_resp",    FLD_FLAG, NULL },
	[S_MISSED_BYTES]  = { "missed_bytes",  FLD_COUNT32, NULL },
	[S_ORIG_PKTS]     = { "orig_pkts",     FLD_COUNT32, NULL },
	[S_ORIG_IP_BYTES] = { "orig_ip_bytes", FLD_COUNT32, NULL },
	[S_RESP_PKTS]     = { "resp_pkts",     FLD_COUNT32, NULL },
	[S_RESP_IP_BYTES] = { "resp_ip_bytes", FLD_COUNT32, NULL },
};

/* The "original" feature table: column name, source, and for a one-hot
 * column the category value that sets it (NULL: the source's number); the
 * source's kind says what it means (fld_describe). */
static const azw_feature original[] = {
	{ "conn_state_OTH",             S_CONN_STATE,   "OTH", NULL },
	{ "conn_state_REJ",             S_CONN_STATE,   "REJ", NULL },
	{ "conn_state_RSTO",            S_CONN_STATE,   "RSTO", NULL },
	{ "conn_state_RSTOS0",          S_CONN_STATE,   "RSTOS0", NULL },
	{ "conn_state_RSTR",            S_CONN_STATE,   "RSTR", NULL },
	{ "conn_state_RSTRH",           S_CONN_STATE,   "RSTRH", NULL },
	{ "conn_state_S0",              S_CONN_STATE,   "S0", NULL },
	{ "conn_state_S1",              S_CONN_STATE,   "S1", NULL },
	{ "conn_state_S2",              S_CONN_STATE,   "S2", NULL },
	{ "conn_state_S3",              S_CONN_STATE,   "S3", NULL },
	{ "conn_state_SF",              S_CONN_STATE,   "SF", NULL },
	{ "conn_state_SH",              S_CONN_STATE,   "SH", NULL },
	{ "conn_state_SHR",             S_CONN_STATE,   "SHR", NULL },
	{ "proto_tcp",                  S_PROTO,        "tcp", NULL },
	{ "proto_udp",                  S_PROTO,        "udp", NULL },
	{ "service_dhcp",               S_SERVICE,      "dhcp", NULL },
	{ "service_dns",                S_SERVICE,      "dns", NULL },
	{ "service_http",               S_SERVICE,      "http", NULL },
	{ "service_irc",                S_SERVICE,      "irc", NULL },
	{ "service_ntp",                S_SERVICE,      "ntp", NULL },
	{ "service_other",              S_SERVICE,      "other", NULL },
	{ "service_ssh",                S_SERVICE,      "ssh", NULL },
	{ "service_ssl",                S_SERVICE,      "ssl", NULL },
	{ "traffic_direction_external", S_DIRECTION,    "external", NULL },
	{ "traffic_direction_incoming", S_DIRECTION,    "incoming", NULL },
	{ "traffic_direction_internal", S_DIRECTION,    "internal", NULL },
	{ "traffic_direction_outgoing", S_DIRECTION,    "outgoing", NULL },
	{ "local_orig",                 S_LOCAL_ORIG,   NULL, NULL },
	{ "local_resp",                 S_LOCAL_RESP,   NULL, NULL },
	{ "missed_bytes",               S_MISSED_BYTES, NULL, NULL },
	{ "orig_pkts",                  S_ORIG_PKTS,    NULL, NULL },
	{ "orig_ip_bytes",              S_ORIG_IP_BYTES, NULL, NULL },
	{ "resp_pkts",                  S_RESP_PKTS,    NULL, NULL },
	{ "resp_ip_bytes",              S_RESP_IP_BYTES, NULL, NULL },
};


/* ---- schema "extended" ----
 *
 * What an autoencoder should see of one connection: every categorical field
 * one-hot over a fixed vocabulary (the rows of its source below) with an
 * `other` column; counts, bytes and durations as log1p(); Zeek's history
 * letters per side; direction from the local networks; ICMP and IPv6 as
 * their own columns. Depends on the record alone (context features per
 * host are another matter). Everything is finite; numbers are rounded to 6
 * decimals (round6).
 *
 * Missing fields (Zeek leaves unset fields out): proto -> proto_other;
 * conn_state -> conn_state_other; service -> service_none; history -> no
 * letter; a count or the duration -> 0; local_orig / local_resp -> the
 * local networks decide for that end; ports -> no port class, icmp_other.
 * Rejected, with the reason: a missing or bad id.orig_h / id.resp_h (as
 * "original"), and a field of the wrong type or a bad value (a negative or
 * non-numeric count, a port that is not 0..65535, a boolean that is not
 * one).
 */
enum xsource {
	X_PROTO, X_IPV6, X_DIR, X_ORIG_LOCAL, X_RESP_LOCAL, X_RESP_MCAST, X_RESP_BCAST,
	X_RESP_PORT, X_ORIG_PORT_WK, X_ICMP,
	X_STATE, X_SERVICE, X_HISTORY,
	X_DURATION, X_ORIG_BYTES, X_RESP_BYTES, X_ORIG_PKTS, X_RESP_PKTS,
	X_ORIG_IP_BYTES, X_RESP_IP_BYTES, X_MISSED_BYTES,
	X_ORIG_PKT_SIZE, X_RESP_PKT_SIZE, X_BYTES_RATIO,
	N_XSOURCE
};

/* One row per feature: name, source, the value(s) of a categorical source
 * that set it ('|' between aliases; EXT_OTHER: any other value; NULL: a
 * number), meaning: what azw-extract --features prints, and azw-features(7)
 * says. */
static const azw_feature extended[] = {
	{ "proto_tcp",            X_PROTO, "tcp",  "proto is tcp" },
	{ "proto_udp",            X_PROTO, "udp",  "proto is udp" },
	{ "proto_icmp",           X_PROTO, "icmp", "proto is icmp (ICMP or ICMPv6)" },
	{ "proto_other",          X_PROTO, EXT_OTHER, "any other proto (unknown_transport), or none" },
	{ "is_ipv6",              X_IPV6,  NULL, "1 if an address is IPv6 (IPv4-mapped ::ffff:a.b.c.d is IPv4)" },
	{ "dir_internal",         X_DIR, "internal", "both ends local: local_orig/local_resp where logged, else --local-nets" },
	{ "dir_outgoing",         X_DIR, "outgoing", "only the originator is local" },
	{ "dir_incoming",         X_DIR, "incoming", "only the responder is local" },
	{ "dir_external",         X_DIR, "external", "neither end is local" },
	{ "orig_local",           X_ORIG_LOCAL, NULL, "the originator is local (local_orig, else --local-nets)" },
	{ "resp_local",           X_RESP_LOCAL, NULL, "the responder is local (local_resp, else --local-nets)" },
	{ "resp_multicast",       X_RESP_MCAST, NULL, "responder in 224.0.0.0/4 or ff00::/8" },
	{ "resp_broadcast",       X_RESP_BCAST, NULL, "responder is an IPv4 address ending in .255" },
	{ "resp_port_wellknown",  X_RESP_PORT, "wellknown",  "tcp/udp responder port 0-1023" },
	{ "resp_port_registered", X_RESP_PORT, "registered", "tcp/udp responder port 1024-49151" },
	{ "resp_port_ephemeral",  X_RESP_PORT, "ephemeral",  "tcp/udp responder port 49152-65535" },
	{ "orig_port_wellknown",  X_ORIG_PORT_WK, NULL, "tcp/udp originator port 0-1023" },
	{ "icmp_echo",            X_ICMP, "echo",    "icmp echo request or reply (type id.orig_p 8, 0; ICMPv6 128, 129)" },
	{ "icmp_unreachable",     X_ICMP, "unreach", "icmp destination unreachable (3; ICMPv6 1)" },
	{ "icmp_other",           X_ICMP, EXT_OTHER, "any other icmp type (time exceeded, neighbour discovery...)" },
	{ "conn_state_S0",        X_STATE, "S0",     "attempt seen, no reply" },
	{ "conn_state_S1",        X_STATE, "S1",     "established, not terminated" },
	{ "conn_state_SF",        X_STATE, "SF",     "normal establishment and termination" },
	{ "conn_state_REJ",       X_STATE, "REJ",    "attempt rejected" },
	{ "conn_state_S2",        X_STATE, "S2",     "established, close attempt by originator only" },
	{ "conn_state_S3",        X_STATE, "S3",     "established, close attempt by responder only" },
	{ "conn_state_RSTO",      X_STATE, "RSTO",   "established, originator aborted (RST)" },
	{ "conn_state_RSTR",      X_STATE, "RSTR",   "responder sent a RST" },
	{ "conn_state_RSTOS0",    X_STATE, "RSTOS0", "originator sent SYN then RST, no SYN-ACK" },
	{ "conn_state_RSTRH",     X_STATE, "RSTRH",  "responder sent SYN-ACK then RST, no SYN seen" },
	{ "conn_state_SH",        X_STATE, "SH",     "originator sent SYN then FIN, no SYN-ACK" },
	{ "conn_state_SHR",       X_STATE, "SHR",    "responder sent SYN-ACK then FIN, no SYN seen" },
	{ "conn_state_OTH",       X_STATE, "OTH",    "no SYN seen, midstream traffic" },
	{ "conn_state_other",     X_STATE, EXT_OTHER, "any other conn_state, or none" },
	{ "service_none",         X_SERVICE, "-",    "no service recognised (service unset)" },
	{ "service_dns",          X_SERVICE, "dns",  "service dns (each value of a multi-valued service sets its column)" },
	{ "service_http",         X_SERVICE, "http", "service http" },
	{ "service_ssl",          X_SERVICE, "ssl|dtls", "service ssl or dtls" },
	{ "service_quic",         X_SERVICE, "quic", "service quic" },
	{ "service_ssh",          X_SERVICE, "ssh",  "service ssh" },
	{ "service_dhcp",         X_SERVICE, "dhcp", "service dhcp" },
	{ "service_ntp",          X_SERVICE, "ntp",  "service ntp" },
	{ "service_mail",         X_SERVICE, "smtp|pop3|imap", "service smtp, pop3 or imap" },
	{ "service_ftp",          X_SERVICE, "ftp|ftp-data", "service ftp or ftp-data" },
	{ "service_sip",          X_SERVICE, "sip",  "service sip" },
	{ "service_irc",          X_SERVICE, "irc",  "service irc" },
	{ "service_krb",          X_SERVICE, "krb|krb_tcp", "service krb or krb_tcp" },
	{ "service_smb",          X_SERVICE, "smb|dce_rpc|ntlm|gssapi", "service smb, dce_rpc, ntlm or gssapi" },
	{ "service_rdp",          X_SERVICE, "rdp|rfb", "service rdp or rfb (VNC)" },
	{ "service_other",        X_SERVICE, EXT_OTHER, "any other service value" },
	{ "hist_orig_syn",        X_HISTORY, "S", "history S: originator sent a SYN without ACK" },
	{ "hist_resp_syn",        X_HISTORY, "s", "history s: responder sent a SYN without ACK" },
	{ "hist_orig_synack",     X_HISTORY, "H", "history H: originator sent a SYN-ACK" },
	{ "hist_resp_synack",     X_HISTORY, "h", "history h: responder sent a SYN-ACK" },
	{ "hist_orig_ack",        X_HISTORY, "A", "history A: originator sent a pure ACK" },
	{ "hist_resp_ack",        X_HISTORY, "a", "history a: responder sent a pure ACK" },
	{ "hist_orig_data",       X_HISTORY, "D", "history D: originator sent payload" },
	{ "hist_resp_data",       X_HISTORY, "d", "history d: responder sent payload" },
	{ "hist_orig_fin",        X_HISTORY, "F", "history F: originator sent a FIN" },
	{ "hist_resp_fin",        X_HISTORY, "f", "history f: responder sent a FIN" },
	{ "hist_orig_rst",        X_HISTORY, "R", "history R: originator sent a RST" },
	{ "hist_resp_rst",        X_HISTORY, "r", "history r: responder sent a RST" },
	{ "hist_orig_badsum",     X_HISTORY, "C", "history C: bad checksums from the originator (a count: Zeek repeats the letter at 1, 10, 100... so about 1+log10)" },
	{ "hist_resp_badsum",     X_HISTORY, "c", "history c: bad checksums from the responder (count, as C)" },
	{ "hist_orig_gap",        X_HISTORY, "G", "history G: content gaps from the originator (count, as C)" },
	{ "hist_resp_gap",        X_HISTORY, "g", "history g: content gaps from the responder (count, as C)" },
	{ "hist_orig_retrans",    X_HISTORY, "T", "history T: retransmissions by the originator (count, as C)" },
	{ "hist_resp_retrans",    X_HISTORY, "t", "history t: retransmissions by the responder (count, as C)" },
	{ "hist_orig_zerowin",    X_HISTORY, "W", "history W: zero windows from the originator (count, as C)" },
	{ "hist_resp_zerowin",    X_HISTORY, "w", "history w: zero windows from the responder (count, as C)" },
	{ "hist_orig_inconsistent", X_HISTORY, "I", "history I: inconsistent packet (e.g. FIN+RST) from the originator" },
	{ "hist_resp_inconsistent", X_HISTORY, "i", "history i: inconsistent packet from the responder" },
	{ "hist_orig_multiflag",  X_HISTORY, "Q", "history Q: multi-flag packet (SYN+FIN or SYN+RST) from the originator" },
	{ "hist_resp_multiflag",  X_HISTORY, "q", "history q: multi-flag packet from the responder" },
	{ "hist_flipped",         X_HISTORY, "^", "history ^: Zeek flipped the direction of the connection" },
	{ "log_duration",         X_DURATION,      NULL, "log1p(duration in seconds)" },
	{ "log_orig_bytes",       X_ORIG_BYTES,    NULL, "log1p(orig_bytes): payload bytes sent by the originator" },
	{ "log_resp_bytes",       X_RESP_BYTES,    NULL, "log1p(resp_bytes)" },
	{ "log_orig_pkts",        X_ORIG_PKTS,     NULL, "log1p(orig_pkts)" },
	{ "log_resp_pkts",        X_RESP_PKTS,     NULL, "log1p(resp_pkts)" },
	{ "log_orig_ip_bytes",    X_ORIG_IP_BYTES, NULL, "log1p(orig_ip_bytes): IP-level bytes sent by the originator" },
	{ "log_resp_ip_bytes",    X_RESP_IP_BYTES, NULL, "log1p(resp_ip_bytes)" },
	{ "log_missed_bytes",     X_MISSED_BYTES,  NULL, "log1p(missed_bytes): bytes lost to gaps" },
	{ "log_orig_pkt_size",    X_ORIG_PKT_SIZE, NULL, "log1p(orig_ip_bytes / orig_pkts), 0 without packets" },
	{ "log_resp_pkt_size",    X_RESP_PKT_SIZE, NULL, "log1p(resp_ip_bytes / resp_pkts), 0 without packets" },
	{ "bytes_log_ratio",      X_BYTES_RATIO,   NULL, "log1p(orig_bytes) - log1p(resp_bytes): > 0 when the originator sends more" },
};

#define N_EXTENDED AZW_N(extended)

/* The numbers a record yields, by source. */
static const char *const count_field[N_XSOURCE] = {
	[X_DURATION] = "duration",
	[X_ORIG_BYTES] = "orig_bytes",
	[X_RESP_BYTES] = "resp_bytes",
	[X_ORIG_PKTS] = "orig_pkts",
	[X_RESP_PKTS] = "resp_pkts",
	[X_ORIG_IP_BYTES] = "orig_ip_bytes",
	[X_RESP_IP_BYTES] = "resp_ip_bytes",
	[X_MISSED_BYTES] = "missed_bytes",
};

static ext_index xindex;
static int col_tcp, col_udp, col_icmp; /* of the proto columns */

static const char *port_class(int p)
{
	return p < 1024 ? "wellknown" : p < 49152 ? "registered" : "ephemeral";
}

static const char *icmp_class(int type, int v6)
{
	if (v6)
		return type == 128 || type == 129 ? "echo" : type == 1 ? "unreach" : EXT_OTHER;
	return type == 8 || type == 0 ? "echo" : type == 3 ? "unreach" : EXT_OTHER;
}

/* The side's local flag: Zeek's field when logged, else the networks. */
static int is_local(int zeek, const fld_addr *a)
{
	return zeek >= 0 ? zeek : ext_is_local(a);
}

static int extract_extended(const azw_schema *schema, zl_rec *rec, double *x, char *why)
{
	double num[N_XSOURCE] = { 0 };
	fld_addr orig, resp;
	const char *s;
	size_t len;
	int lo, lr, po, pr, i, proto, v6;

	(void)schema;
	if (fld_address(rec, "id.orig_h", &orig, why) < 0 ||
	    fld_address(rec, "id.resp_h", &resp, why) < 0 ||
	    fld_bool(rec, "local_orig", 0, &lo, why) < 0 ||
	    fld_bool(rec, "local_resp", 0, &lr, why) < 0 ||
	    fld_port(rec, "id.orig_p", &po, why) < 0 ||
	    fld_port(rec, "id.resp_p", &pr, why) < 0)
		return -1;
	for (i = 0; i < N_XSOURCE; i++)
		if (count_field[i] && fld_number(rec, count_field[i], 0, &num[i], why) < 0)
			return -1;
	memset(x, 0, (size_t)N_EXTENDED * sizeof *x);

	if (fld_string(rec, "proto", &s, &len, why) < 0)
		return -1;
	proto = ext_lookup(&xindex, X_PROTO, s ? s : "", len);
	if (proto >= 0)
		x[proto] = 1;

	v6 = orig.v6 || resp.v6;
	num[X_IPV6] = v6;
	lo = is_local(lo, &orig);
	lr = is_local(lr, &resp);
	num[X_ORIG_LOCAL] = lo;
	num[X_RESP_LOCAL] = lr;
	s = lo && lr ? "internal" : lo ? "outgoing" : lr ? "incoming" : "external";
	ext_set(&xindex, x, X_DIR, s, strlen(s));
	num[X_RESP_MCAST] = ext_is_multicast(&resp);
	num[X_RESP_BCAST] = ext_is_broadcast(&resp);
	if (proto == col_tcp || proto == col_udp) {
		if (pr >= 0) {
			s = port_class(pr);
			ext_set(&xindex, x, X_RESP_PORT, s, strlen(s));
		}
		num[X_ORIG_PORT_WK] = po >= 0 && po < 1024;
	} else if (proto == col_icmp) {
		s = po >= 0 ? icmp_class(po, v6) : EXT_OTHER;
		ext_set(&xindex, x, X_ICMP, s, strlen(s));
	}

	if (fld_string(rec, "conn_state", &s, &len, why) < 0)
		return -1;
	ext_set(&xindex, x, X_STATE, s ? s : "", len);

	if (fld_string(rec, "service", &s, &len, why) < 0)
		return -1;
	if (!s || ext_set_multi(&xindex, x, X_SERVICE, s, len) == 0)
		ext_set(&xindex, x, X_SERVICE, "-", 1);

	if (fld_string(rec, "history", &s, &len, why) < 0)
		return -1;
	if (s)
		ext_count_letters(&xindex, x, X_HISTORY, s, len);

	num[X_ORIG_PKT_SIZE] = num[X_ORIG_PKTS] > 0 ? log1p_count(num[X_ORIG_IP_BYTES] / num[X_ORIG_PKTS]) : 0;
	num[X_RESP_PKT_SIZE] = num[X_RESP_PKTS] > 0 ? log1p_count(num[X_RESP_IP_BYTES] / num[X_RESP_PKTS]) : 0;
	num[X_BYTES_RATIO] = ext_log_ratio(num[X_ORIG_BYTES], num[X_RESP_BYTES]);
	for (i = 0; i < N_XSOURCE; i++)
		if (count_field[i])
			num[i] = log1p_count(num[i]);
	ext_numbers(&xindex, num, x);
	return 0;
}

/* ---- context features of the extended schema ----
 *
 * The columns and what each quantity means: ctx_columns_conn in
 * context_columns.c; observe_conn() below fills the quantities. */

/* Columns of the per-record vector the quantities come from. */
static int col_fail[16], n_col_fail, col_q[CONN_N_Q];

/* A record's keys and quantities; x: its extended per-record features. */
static int observe_conn(zl_rec *rec, const double *x, ctx_obs *o, char *why)
{
	uint32_t proto;
	int i, pr;

	if (ext_obs_ends(rec, o, why) < 0 ||
	    fld_port(rec, "id.resp_p", &pr, why) < 0)
		return -1;
	/* the service key: proto (1 tcp, 2 udp, 3 icmp, 0 other) and the port
	 * (for ICMP Zeek's resp_p is the code); a missing port is 0x1ffff */
	proto = x[col_tcp] ? 1 : x[col_udp] ? 2 : x[col_icmp] ? 3 : 0;
	o->svc = proto << 17 | (pr >= 0 ? (uint32_t)pr : 0x1ffffu);
	o->q[CONN_Q_FAIL] = 0;
	for (i = 0; i < n_col_fail; i++)
		if (x[col_fail[i]] != 0)
			o->q[CONN_Q_FAIL] = 1;
	o->q[CONN_Q_OBYTES] = x[col_q[CONN_Q_OBYTES]];
	o->q[CONN_Q_RBYTES] = x[col_q[CONN_Q_RBYTES]];
	o->q[CONN_Q_DUR] = x[col_q[CONN_Q_DUR]];
	return 0;
}

static const ctx_spec conn_context = { &ctx_columns_conn, observe_conn };

static void init(void)
{
	/* the conn_state values of a connection that failed */
	static const char *const fail[] = {
		"S0", "REJ", "RSTO", "RSTOS0", "RSTR", "RSTRH", "SH", "SHR", "OTH"
	};
	int k;

	if (ext_index_init(&xindex, extended, N_EXTENDED) < 0)
		abort(); /* a malformed table: a programming error */
	col_tcp = ext_word_col(&xindex, X_PROTO, "tcp");
	col_udp = ext_word_col(&xindex, X_PROTO, "udp");
	col_icmp = ext_word_col(&xindex, X_PROTO, "icmp");
	for (k = 0; k < AZW_N(fail); k++)
		col_fail[n_col_fail++] = ext_word_col(&xindex, X_STATE, fail[k]);
	col_q[CONN_Q_OBYTES] = ext_num_col(&xindex, X_ORIG_BYTES);
	col_q[CONN_Q_RBYTES] = ext_num_col(&xindex, X_RESP_BYTES);
	col_q[CONN_Q_DUR] = ext_num_col(&xindex, X_DURATION);
}

static const azw_schema conn_schemas[] = {
	{ "extended", N_EXTENDED, extended, extract_extended, &conn_context, 0, NULL }, /* the default */
	{ "original", AZW_N(original), original, fld_extract_schema, NULL, N_SOURCE, sources },
};

const azw_module azw_module_conn = {
	"conn",
	"Zeek conn.log: one record per connection",
	init,
	AZW_N(conn_schemas),
	conn_schemas,
};
