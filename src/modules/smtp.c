/* smtp.c - features of Zeek's smtp.log: one record per message (SMTP
 * transaction) of a connection.
 *
 * Schema "extended" (the only one): what an analyst of mail abuse reads in
 * one transaction. Spoofing and business e-mail compromise: the envelope
 * sender's domain (mailfrom) differs from the From header's, a Reply-To
 * elsewhere; bulk and tools: many recipients, no Date or Message-ID, a
 * HELO that is an address or a single word; phishing: attachments (the
 * files Zeek extracted), a subject's shape (long, encoded, random); the
 * path the message came along (relays), webmail and its originating
 * address, TLS, and the server's last reply (a relay refused, an
 * authentication asked for: an open-relay probe). Per record only: the
 * context (a sender's volume, new recipients) is a next step.
 *
 * Addresses are compared by their domain (after the last '@', up to '>'),
 * without case; a header without '@' has no domain and counts as no
 * mismatch.
 * Missing fields: a list -> 0; a text field -> its none or 0; tls and
 * is_webmail -> 0; last_reply -> reply_none; trans_depth -> 0.
 * Rejected, with the reason: a missing or bad id.orig_h / id.resp_h, a port
 * that is not one, a count that is negative or not a number, a boolean
 * that is not one, a list that is not one, a text field that is not a
 * string.
 */
#include "modules/extended.h"
#include "modules/lateral.h"
#include "modules/modules.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum xsource {
	X_IPV6, X_DIR, X_PORT, X_DEPTH, X_HELO, X_MAILFROM, X_RCPT, X_TO, X_CC,
	X_FROM_MISMATCH, X_REPLY_TO_DIFFERS, X_NO_DATE, X_NO_MSG_ID, X_IN_REPLY_TO,
	X_SUBJ_LEN, X_SUBJ_ENT, X_SUBJ_ENCODED, X_X_ORIG_IP, X_PATH, X_UA, X_TLS,
	X_FUIDS, X_WEBMAIL, X_REPLY,
	N_XSOURCE
};

static const azw_feature extended[] = {
	{ "is_ipv6",         X_IPV6, NULL, "1 if an address is IPv6" },
	{ "dir_internal",    X_DIR, "internal", "both ends in --local-nets" },
	{ "dir_outgoing",    X_DIR, "outgoing", "only the client is local (mail sent out: spam from a bot, exfiltration)" },
	{ "dir_incoming",    X_DIR, "incoming", "only the server is local (mail coming in)" },
	{ "dir_external",    X_DIR, "external", "neither end is local" },
	{ "resp_port_25",    X_PORT, "25", "server port 25 (relay)" },
	{ "resp_port_587",   X_PORT, "587", "server port 587 (submission)" },
	{ "resp_port_465",   X_PORT, "465", "server port 465 (submission over TLS)" },
	{ "resp_port_other", X_PORT, EXT_OTHER, "any other server port, or none" },
	{ "log_trans_depth", X_DEPTH, NULL, "log1p(trans_depth): the message's rank in its connection" },
	{ "helo_address",    X_HELO, "ip", "helo is an address literal ([10.1.2.3] or bare)" },
	{ "helo_single_label", X_HELO, "label", "helo is a single word, no dot (a bot's, or a tool's)" },
	{ "helo_name",       X_HELO, EXT_OTHER, "helo is a dotted name" },
	{ "helo_none",       X_HELO, "-", "no helo" },
	{ "mailfrom_set",    X_MAILFROM, "set", "mailfrom set" },
	{ "mailfrom_empty",  X_MAILFROM, "empty", "mailfrom empty (<>: a bounce)" },
	{ "mailfrom_none",   X_MAILFROM, "-", "no mailfrom (no MAIL FROM seen: a probe, a refused session)" },
	{ "log_rcptto",      X_RCPT, NULL, "log1p(recipients in rcptto, the envelope)" },
	{ "log_to",          X_TO, NULL, "log1p(addresses in the To header)" },
	{ "log_cc",          X_CC, NULL, "log1p(addresses in the Cc header)" },
	{ "from_mismatch",   X_FROM_MISMATCH, NULL, "1 if the domains of mailfrom and of the From header are both there and differ (spoofing, or a mailing list)" },
	{ "reply_to_differs", X_REPLY_TO_DIFFERS, NULL, "1 if reply_to's domain is there and differs from the From header's (business e-mail compromise)" },
	{ "no_date",         X_NO_DATE, NULL, "1 if the message has From but no Date header (a tool's)" },
	{ "no_msg_id",       X_NO_MSG_ID, NULL, "1 if the message has From but no Message-ID header (a tool's)" },
	{ "is_reply",        X_IN_REPLY_TO, NULL, "1 if in_reply_to is set" },
	{ "log_subject_len", X_SUBJ_LEN, NULL, "log1p(bytes of subject)" },
	{ "subject_entropy", X_SUBJ_ENT, NULL, "entropy of subject, bits per byte" },
	{ "subject_encoded", X_SUBJ_ENCODED, NULL, "1 if subject holds a MIME encoded word (=?charset?...?=)" },
	{ "has_x_originating_ip", X_X_ORIG_IP, NULL, "1 if x_originating_ip is set (sent from webmail, the client's address)" },
	{ "log_path",        X_PATH, NULL, "log1p(addresses in path: the hops, Received headers and the connection)" },
	{ "has_user_agent",  X_UA, NULL, "1 if user_agent (the mailer) is set" },
	{ "tls",             X_TLS, NULL, "1 if the connection switched to TLS (STARTTLS)" },
	{ "log_fuids",       X_FUIDS, NULL, "log1p(files Zeek extracted from the message: bodies and attachments)" },
	{ "is_webmail",      X_WEBMAIL, NULL, "1 if Zeek saw a webmail's mark (is_webmail)" },
	{ "reply_2xx",       X_REPLY, "2", "last_reply 2xx: accepted" },
	{ "reply_3xx",       X_REPLY, "3", "last_reply 3xx: more data wanted (the session cut before the end)" },
	{ "reply_4xx",       X_REPLY, "4", "last_reply 4xx: a temporary refusal (greylisting, a rate limit)" },
	{ "reply_5xx",       X_REPLY, "5", "last_reply 5xx: refused (no relay, authentication required, a bad address)" },
	{ "reply_other",     X_REPLY, EXT_OTHER, "last_reply that does not start with a digit 2 to 5" },
	{ "reply_none",      X_REPLY, "-", "no last_reply" },
};

#define N_EXTENDED AZW_N(extended)

static ext_index xindex;

/* A text field, NULL when missing, empty or holding a NUL byte; -1 on a
 * wrong type. */
static int text(zl_rec *rec, const char *field, const char **s, size_t *len, char *why)
{
	if (ext_text(rec, field, s, len, why) < 0)
		return -1;
	if (*s && *len == 0)
		*s = NULL;
	return 0;
}

/* log1p(elements of a list field). */
static int count(zl_rec *rec, const char *field, double *out, char *why)
{
	ext_list l;

	if (ext_list_get(rec, field, &l, why) < 0)
		return -1;
	*out = log1p(l.n);
	return 0;
}

/* Do two header addresses have domains that differ? 0 when either has
 * none. */
static int domains_differ(const char *a, size_t alen, const char *b, size_t blen)
{
	const char *da, *db;
	size_t la, lb;

	if (!a || !b)
		return 0;
	lat_mail_domain(a, alen, &da, &la);
	lat_mail_domain(b, blen, &db, &lb);
	return la > 0 && lb > 0 && !lat_same_fold(da, la, db, lb);
}

/* One piece, though long: the fields read once, then the columns set in
 * the table's order, a few lines each; split, each part would take the
 * same dozen values as arguments. */
static int extract_extended(const azw_schema *schema, zl_rec *rec, double *x, char *why)
{
	double num[N_XSOURCE] = { 0 };
	const char *s, *mf, *from, *rt;
	size_t len, mflen, fromlen, rtlen, i;
	int port, tls, web, r;
	zl_value v;

	(void)schema;
	memset(x, 0, (size_t)N_EXTENDED * sizeof *x);
	if (lat_ends(&xindex, rec, X_DIR, &num[X_IPV6], &port, x, why) < 0 ||
	    ext_log1p(rec, "trans_depth", &num[X_DEPTH], why) < 0 ||
	    count(rec, "rcptto", &num[X_RCPT], why) < 0 ||
	    count(rec, "to", &num[X_TO], why) < 0 ||
	    count(rec, "cc", &num[X_CC], why) < 0 ||
	    count(rec, "path", &num[X_PATH], why) < 0 ||
	    count(rec, "fuids", &num[X_FUIDS], why) < 0 ||
	    fld_bool(rec, "tls", 0, &tls, why) < 0 ||
	    fld_bool(rec, "is_webmail", 0, &web, why) < 0 ||
	    text(rec, "from", &from, &fromlen, why) < 0 ||
	    text(rec, "reply_to", &rt, &rtlen, why) < 0)
		return -1;
	s = port == 25 ? "25" : port == 587 ? "587" : port == 465 ? "465" : EXT_OTHER;
	ext_set(&xindex, x, X_PORT, s, strlen(s));
	num[X_TLS] = tls == 1;
	num[X_WEBMAIL] = web == 1;

	if (text(rec, "helo", &s, &len, why) < 0)
		return -1;
	if (!s)
		ext_set(&xindex, x, X_HELO, "-", 1);
	else if (ext_is_ip_text(s, len) ||
	         (len > 2 && s[0] == '[' && s[len - 1] == ']' && ext_is_ip_text(s + 1, len - 2)))
		ext_set(&xindex, x, X_HELO, "ip", 2);
	else if (!memchr(s, '.', len))
		ext_set(&xindex, x, X_HELO, "label", 5);
	else
		ext_set(&xindex, x, X_HELO, EXT_OTHER, 1);

	/* mailfrom: the empty reverse path <> is set but empty */
	if ((r = ext_text(rec, "mailfrom", &mf, &mflen, why)) < 0)
		return -1;
	if (!mf)
		ext_set(&xindex, x, X_MAILFROM, "-", 1);
	else if (r == 0 && (mflen == 0 || (mflen == 2 && memcmp(mf, "<>", 2) == 0)))
		ext_set(&xindex, x, X_MAILFROM, "empty", 5);
	else
		ext_set(&xindex, x, X_MAILFROM, "set", 3);
	num[X_FROM_MISMATCH] = domains_differ(mf, mflen, from, fromlen);
	num[X_REPLY_TO_DIFFERS] = domains_differ(rt, rtlen, from, fromlen);

	if (from) {
		if (text(rec, "date", &s, &len, why) < 0)
			return -1;
		num[X_NO_DATE] = !s;
		if (text(rec, "msg_id", &s, &len, why) < 0)
			return -1;
		num[X_NO_MSG_ID] = !s;
	}
	if (text(rec, "in_reply_to", &s, &len, why) < 0)
		return -1;
	num[X_IN_REPLY_TO] = s != NULL;
	if (text(rec, "subject", &s, &len, why) < 0)
		return -1;
	if (s) {
		num[X_SUBJ_LEN] = log1p((double)ext_text_len(s, len));
		num[X_SUBJ_ENT] = ext_entropy(s, len);
		for (i = 0; i + 1 < len; i++)
			if (s[i] == '=' && s[i + 1] == '?')
				num[X_SUBJ_ENCODED] = 1;
	}
	v = zl_get_static(rec, "x_originating_ip");
	num[X_X_ORIG_IP] = v.type != ZL_ABSENT && v.type != ZL_NULL;
	if (text(rec, "user_agent", &s, &len, why) < 0)
		return -1;
	num[X_UA] = s != NULL;

	if (text(rec, "last_reply", &s, &len, why) < 0)
		return -1;
	if (!s)
		ext_set(&xindex, x, X_REPLY, "-", 1);
	else
		ext_set(&xindex, x, X_REPLY, s, 1);
	ext_numbers(&xindex, num, x);
	return 0;
}

static void init(void)
{
	if (ext_index_init(&xindex, extended, N_EXTENDED) < 0)
		abort(); /* a malformed table: a programming error */
}

static const azw_schema smtp_schemas[] = {
	{ "extended", N_EXTENDED, extended, extract_extended, NULL, 0, NULL },
};

const azw_module azw_module_smtp = {
	"smtp",
	"Zeek smtp.log: one record per mail transaction",
	init,
	AZW_N(smtp_schemas),
	smtp_schemas,
};
