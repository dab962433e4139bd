/* any.c - the generic module (any.h): columns made from a log's own field
 * types, its extract(), its identity columns and its context. */
#include "modules/any.h"
#include "modules/extended.h"
#include "modules/fields.h"
#include "context.h"
#include "util.h"
#include "vecrecord.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* What a field gives, by its type. */
enum kind {
	K_NUM,   /* count int double interval: signed log1p */
	K_TIME,  /* time: signed log1p of seconds from ts */
	K_BOOL,  /* bool: 1 true, -1 false, 0 unset */
	K_ADDR,  /* addr: .local (1 local, -1 not, 0 unset), .v6 */
	K_CAT,   /* enum, "category" strings: ANY_BUCKETS hashed columns */
	K_PORT,  /* port: hashed as a vocabulary (below 1024: its number) */
	K_TEXT,  /* string and the rest: .len log1p(bytes), .ent entropy */
	K_LIST,  /* set[..] vector[..] table[..]: .n log1p(elements) */
	K_N
};

static const int kind_cols[K_N] = { 1, 1, 1, 2, ANY_BUCKETS, ANY_BUCKETS, 2, 1 };

/* What a field says of a record's failure (the context's failure share). */
enum fail_rule {
	F_NONE,
	F_IF_FALSE,  /* a bool success, *_success, established, auth */
	F_IF_TRUE,   /* a bool rejected */
	F_IF_SET,    /* error_msg, failure_reason, exception, error: set */
	F_IF_WORD,   /* result, status, rcode_name, certStatus: a word of
	                failure (fail, error, denied, reject, refus, invalid,
	                unauthori, revoked) */
	F_IF_4XX,    /* status_code, reply_code: 400 or more */
	F_IF_REPLY45 /* last_reply: starts with 4 or 5 (SMTP) */
};

typedef struct {
	char *name;     /* the Zeek field */
	enum kind kind;
	enum fail_rule fail;
	int col;        /* its first column */
} any_field;

static struct {
	int begun;
	int n_fields;
	any_field *f;
	int col_orig_local, col_resp_local; /* -1: the log has no id.*_h */
	int n_cols;
	azw_feature *cols;
	char **texts;   /* column names and docs, to free never (one run) */
} A;

static azw_schema any_schemas[1];

/* ---- the built-in table and the types ---- */

int any_name_ok(const char *name)
{
	size_t n = strlen(name);

	return n > 0 && n < 64 && strspn(name, "abcdefghijklmnopqrstuvwxyz"
	                                 "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") == n;
}

int any_std_known(const char *log)
{
	const any_std_field *t;

	for (t = any_std_fields; log && t->log; t++)
		if (strcasecmp(t->log, log) == 0)
			return 1;
	return 0;
}

static enum kind kind_of_type(const char *t)
{
	static const struct { const char *type; enum kind k; } map[] = {
		{ "count", K_NUM }, { "int", K_NUM }, { "double", K_NUM }, { "interval", K_NUM },
		{ "time", K_TIME }, { "bool", K_BOOL }, { "addr", K_ADDR }, { "port", K_PORT },
		{ "enum", K_CAT }, { "category", K_CAT },
	};
	size_t i;

	for (i = 0; i < sizeof map / sizeof *map; i++)
		if (strcmp(t, map[i].type) == 0)
			return map[i].k;
	if (strncmp(t, "set[", 4) == 0 || strncmp(t, "vector[", 7) == 0 || strncmp(t, "table[", 6) == 0)
		return K_LIST;
	return K_TEXT; /* string, subnet, pattern, and what a package invents */
}

/* A field's kind from its first value, where no type says it: written down
 * in azw-features(7). */
static enum kind kind_of_value(zl_rec *rec, const char *name)
{
	zl_value v = zl_get(rec, name);

	switch (v.type) {
	case ZL_BOOL:   return K_BOOL;
	case ZL_NUMBER: return K_NUM;
	case ZL_ARRAY:
	case ZL_OBJECT: return K_LIST;
	case ZL_STRING:
		/* (not fld_address(): it remembers the name, which is freed) */
		if (v.s && v.len > 0 && v.s[0] != '[' && ext_is_ip_text(v.s, v.len))
			return K_ADDR;
		return K_TEXT;
	default:        return K_TEXT;
	}
}

/* Fields that are no features: the identity columns, the writer's own,
 * and the labels of labelled datasets (which would be the answer). */
static int not_a_feature(const char *name)
{
	static const char *const skip[] = {
		"ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p",
		"_path", "_write_ts", "_node", "_node_name", "_system_name",
		"label", "detailedlabel", "detailed-label", "detailed_label",
	};
	size_t i;

	for (i = 0; i < sizeof skip / sizeof *skip; i++)
		if (strcmp(name, skip[i]) == 0)
			return 1;
	return 0;
}

static int ends_with(const char *s, const char *end)
{
	size_t n = strlen(s), k = strlen(end);

	return n >= k && strcmp(s + n - k, end) == 0;
}

static enum fail_rule fail_rule_of(const char *name, enum kind k)
{
	if (k == K_BOOL)
		return strcmp(name, "success") == 0 || ends_with(name, "_success") ||
		       strcmp(name, "established") == 0 || strcmp(name, "auth") == 0 ? F_IF_FALSE :
		       strcmp(name, "rejected") == 0 ? F_IF_TRUE : F_NONE;
	if (strcmp(name, "error_msg") == 0 || strcmp(name, "failure_reason") == 0 ||
	    strcmp(name, "exception") == 0 || strcmp(name, "error") == 0)
		return F_IF_SET;
	if (strcmp(name, "result") == 0 || strcmp(name, "status") == 0 ||
	    strcmp(name, "rcode_name") == 0 || strcmp(name, "certStatus") == 0)
		return F_IF_WORD;
	if (strcmp(name, "status_code") == 0 || strcmp(name, "reply_code") == 0)
		return F_IF_4XX;
	if (strcmp(name, "last_reply") == 0)
		return F_IF_REPLY45;
	return F_NONE;
}

/* ---- making the columns ---- */

static char *keep(const char *fmt, const char *a, const char *b)
{
	size_t n = strlen(fmt) + strlen(a) + (b ? strlen(b) : 0) + 1;
	char *s = emalloc(n);

	snprintf(s, n, fmt, a, b ? b : "");
	return s;
}

static void add_col(const char *name, const char *doc)
{
	A.cols = erealloc(A.cols, (size_t)(A.n_cols + 1) * sizeof *A.cols);
	A.cols[A.n_cols].name = name;
	A.cols[A.n_cols].src = 0;
	A.cols[A.n_cols].word = NULL;
	A.cols[A.n_cols].doc = doc;
	A.n_cols++;
}

static const char *const kind_doc[K_N] = {
	"%s%s: sign(x) log1p(|x|) (0 when unset)",
	"%s%s: sign(d) log1p(|d|) of d, its seconds after ts (0 when unset)",
	"%s%s: 1 true, -1 false, 0 unset",
	NULL, NULL, NULL, NULL,
	"%s%s: log1p(its elements) (0 when unset or empty)",
};

static void add_field(const char *name, enum kind k)
{
	char sfx[16];
	int i;

	for (i = 0; i < A.n_fields; i++)
		if (strcmp(A.f[i].name, name) == 0)
			return; /* a name twice (a table row and the record) */
	if (A.n_cols + kind_cols[k] > VEC_MAX_FEATURES - 64)
		return; /* a record of thousands of fields: the first ones */
	A.f = erealloc(A.f, (size_t)(A.n_fields + 1) * sizeof *A.f);
	A.f[A.n_fields] = (any_field){ estrdup(name), k, fail_rule_of(name, k), A.n_cols };
	A.n_fields++;
	switch (k) {
	case K_ADDR:
		add_col(keep("%s.local%s", name, NULL), keep("%s%s: 1 in a local network (--local-nets), -1 not, 0 unset", name, NULL));
		add_col(keep("%s.v6%s", name, NULL), keep("%s%s: 1 an IPv6 address", name, NULL));
		break;
	case K_CAT:
	case K_PORT:
		for (i = 0; i < ANY_BUCKETS; i++) {
			snprintf(sfx, sizeof sfx, ".h%d", i);
			add_col(keep("%s%s", name, sfx), keep("%s%s: hashed vocabulary column (a value sets two of its columns; all 0: unset)", name,
			        k == K_PORT ? " (a port: below 1024 its number, else the word 1024+)" : ""));
		}
		break;
	case K_TEXT:
		add_col(keep("%s.len%s", name, NULL), keep("%s%s: log1p(its bytes)", name, NULL));
		add_col(keep("%s.ent%s", name, NULL), keep("%s%s: Shannon entropy of its bytes, bits per byte", name, NULL));
		break;
	case K_LIST:
		add_col(keep("%s.n%s", name, NULL), keep(kind_doc[k], name, NULL));
		break;
	case K_TIME:
		add_col(keep("%s.dt%s", name, NULL), keep(kind_doc[k], name, NULL));
		break;
	default:
		add_col(keep("%s%s", name, NULL), keep(kind_doc[k], name, NULL));
		break;
	}
}

void any_begin(const char *log, zl_rec *rec)
{
	const any_std_field *t;
	char **names = NULL, **types = NULL;
	int n = rec ? zl_rec_field_list(rec, &names, &types) : 0, i, has_orig = 0, has_resp = 0;

	if (A.begun)
		return;
	A.begun = 1;
	for (t = any_std_fields; log && t->log; t++)
		if (strcasecmp(t->log, log) == 0) {
			has_orig |= strcmp(t->field, "id.orig_h") == 0;
			has_resp |= strcmp(t->field, "id.resp_h") == 0;
		}
	for (i = 0; i < n; i++) {
		has_orig |= strcmp(names[i], "id.orig_h") == 0;
		has_resp |= strcmp(names[i], "id.resp_h") == 0;
	}
	/* the direction first: the split model's gate reads orig_local */
	A.col_orig_local = A.col_resp_local = -1;
	if (has_orig) {
		A.col_orig_local = A.n_cols;
		add_col("orig_local", "id.orig_h: 1 in a local network (--local-nets), else 0");
	}
	if (has_resp) {
		A.col_resp_local = A.n_cols;
		add_col("resp_local", "id.resp_h: 1 in a local network (--local-nets), else 0");
	}
	for (t = any_std_fields; log && t->log; t++)
		if (strcasecmp(t->log, log) == 0 && !not_a_feature(t->field))
			add_field(t->field, kind_of_type(t->type));
	for (i = 0; i < n; i++) {
		if (!not_a_feature(names[i]))
			add_field(names[i], types[i] ? kind_of_type(types[i]) : kind_of_value(rec, names[i]));
		free(names[i]);
		free(types[i]);
	}
	free(names);
	free(types);
	any_schemas[0].n_features = A.n_cols;
	any_schemas[0].features = A.cols;
}

/* ---- per record ---- */

/* FNV-1a, 64 bits, of a value's bytes (\xHH as its byte: JSON and TSV
 * agree). */
static uint64_t hash64(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325u;
	size_t i = 0;

	while (i < len) {
		h ^= ext_xbyte(s, len, &i);
		h *= 0x100000001b3u;
	}
	return h;
}

static double slog1p(double d)
{
	double y = d < 0 ? -log1p(-d) : log1p(d);

	return round(y * 1e6) / 1e6;
}

/* A number's value, rounded to the microsecond as Zeek's TSV writes
 * intervals and times (so JSON's 17 digits give TSV's double): 0, or -1
 * when v is no finite number. */
static int number(zl_value v, double *d)
{
	char buf[40];
	size_t n;

	if (v.type != ZL_NUMBER && !(v.type == ZL_STRING && v.s && fld_decimal_text(v.s)))
		return -1;
	n = zl_round6(v.s, v.len, buf);
	*d = n ? strtod(buf, NULL) : strtod(v.s, NULL);
	return isfinite(*d) ? 0 : -1;
}

/* A value as a word: a string's text, a number's, T/F; NULL if unset. */
static const char *word_of(zl_value v, size_t *len)
{
	switch (v.type) {
	case ZL_STRING:
		*len = v.s ? v.len : 0;
		return v.s ? v.s : "";
	case ZL_NUMBER:
	case ZL_ARRAY:
	case ZL_OBJECT:
		*len = v.len;
		return v.s;
	case ZL_BOOL:
		*len = 1;
		return v.b ? "T" : "F";
	default:
		return NULL;
	}
}

static void buckets(double *x, const char *w, size_t len)
{
	uint64_t h = hash64(w, len);

	x[h % ANY_BUCKETS] = 1;
	x[(h >> 32) % ANY_BUCKETS] = 1;
}

static void port_word(double *x, zl_value v)
{
	double d;
	char buf[16];

	if (number(v, &d) < 0)
		return;
	if (d >= 0 && d < 1024) {
		snprintf(buf, sizeof buf, "%d", (int)d);
		buckets(x, buf, strlen(buf));
	} else {
		buckets(x, "1024+", 5);
	}
}

static double list_count(zl_value v)
{
	if (v.type == ZL_ARRAY || v.type == ZL_OBJECT)
		return v.n;
	if (v.type == ZL_STRING && v.s && v.len > 0) { /* a TSV list without #types */
		size_t i;
		int n = 1;

		for (i = 0; i < v.len; i++)
			n += v.s[i] == ',';
		return n;
	}
	return 0;
}

static void field_cols(zl_rec *rec, const any_field *f, double ts, int has_ts, double *x)
{
	zl_value v = zl_get_static(rec, f->name);
	char why[AZW_REASON_MAX];
	const char *w;
	size_t len;
	fld_addr a;
	double d;

	switch (f->kind) {
	case K_NUM:
		if (number(v, &d) == 0)
			x[0] = slog1p(d);
		break;
	case K_TIME:
		if (number(v, &d) == 0 && has_ts)
			x[0] = slog1p(d - ts);
		break;
	case K_BOOL:
		if (v.type == ZL_BOOL)
			x[0] = v.b ? 1 : -1;
		else if (v.type == ZL_NUMBER && number(v, &d) == 0)
			x[0] = d != 0 ? 1 : -1;
		break;
	case K_ADDR:
		if (v.type == ZL_STRING && fld_address(rec, f->name, &a, why) >= 0) {
			x[0] = ext_is_local(&a) ? 1 : -1;
			x[1] = a.v6;
		}
		break;
	case K_CAT:
		if ((w = word_of(v, &len)) != NULL)
			buckets(x, w, len);
		break;
	case K_PORT:
		port_word(x, v);
		break;
	case K_TEXT:
		if ((w = word_of(v, &len)) != NULL) {
			x[0] = round(log1p((double)ext_text_len(w, len)) * 1e6) / 1e6;
			x[1] = round(ext_entropy(w, len) * 1e6) / 1e6;
		}
		break;
	case K_LIST:
		x[0] = slog1p(list_count(v));
		break;
	default:
		break;
	}
}

static int local_flag(zl_rec *rec, const char *name)
{
	char why[AZW_REASON_MAX];
	fld_addr a;

	return fld_address(rec, name, &a, why) >= 0 && ext_is_local(&a);
}

static int extract_any(const azw_schema *s, zl_rec *rec, double *x, char *why)
{
	zl_value tv = zl_get_static(rec, "ts");
	double ts = 0;
	int i, has_ts = number(tv, &ts) == 0;

	(void)why;
	memset(x, 0, (size_t)s->n_features * sizeof *x);
	if (A.col_orig_local >= 0)
		x[A.col_orig_local] = local_flag(rec, "id.orig_h");
	if (A.col_resp_local >= 0)
		x[A.col_resp_local] = local_flag(rec, "id.resp_h");
	for (i = 0; i < A.n_fields; i++)
		field_cols(rec, &A.f[i], ts, has_ts, x + A.f[i].col);
	return 0;
}

/* ---- identity ---- */

/* The first of the fields that the record has, as identity text. */
static const char *first_id(zl_rec *rec, const char *const *names, char *buf, int integer)
{
	const char *s;

	for (; *names; names++)
		if ((s = vec_id_text(rec, *names, buf, integer)) != NULL)
			return s;
	return NULL;
}

static const char *const id_uid[] = { "uid", "fuid", "fingerprint", "id", NULL };
static const char *const id_orig_h[] = { "id.orig_h", "host", "src", "client_addr", NULL };
static const char *const id_orig_p[] = { "id.orig_p", "host_p", "port_num", NULL };
static const char *const id_resp_h[] = { "id.resp_h", "dst", "server_addr", NULL };
static const char *const id_resp_p[] = { "id.resp_p", "p", NULL };
static const char *const id_proto[] = { "proto", "port_proto", NULL };

void any_record_ids(zl_rec *rec, const char *id[VEC_N_ID], char buf[2][32])
{
	id[0] = vec_id_text(rec, "ts", NULL, 0);
	id[1] = first_id(rec, id_uid, NULL, 0);
	id[2] = first_id(rec, id_orig_h, NULL, 0);
	id[3] = first_id(rec, id_orig_p, buf[0], 1);
	id[4] = first_id(rec, id_resp_h, NULL, 0);
	id[5] = first_id(rec, id_resp_p, buf[1], 1);
	id[6] = first_id(rec, id_proto, NULL, 0);
}

/* ---- context ----
 *
 * The columns: ctx_columns_generic in context_columns.c;
 * observe_any() below fills the quantities. */

/* A key's 16 bytes: an address field of the record, else the hash of a
 * key text (x509's fingerprint: a certificate as the "source"), else all
 * zeros (the whole log as one source). */
static void obs_key(zl_rec *rec, const char *const *addrs, const char *const *texts,
                    unsigned char out[16])
{
	char why[AZW_REASON_MAX];
	const char *s;
	fld_addr a;
	uint64_t h;

	memset(out, 0, 16);
	for (; *addrs; addrs++)
		if (fld_address(rec, *addrs, &a, why) >= 0) {
			memcpy(out, a.b, 16);
			return;
		}
	if (texts && (s = first_id(rec, texts, NULL, 0)) != NULL) {
		h = hash64(s, strlen(s));
		out[0] = 0xfe; /* no address starts so, IPv4 is ::ffff:... */
		memcpy(out + 8, &h, 8);
	}
}

static int word_fails(const char *w, size_t len)
{
	static const char *const bad[] = { "fail", "error", "denied", "reject", "refus",
	                                   "invalid", "unauthori", "revoked" };
	char low[128];
	size_t i, n = len < sizeof low - 1 ? len : sizeof low - 1;

	for (i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)w[i]);
	low[n] = '\0';
	for (i = 0; i < sizeof bad / sizeof *bad; i++)
		if (strstr(low, bad[i]))
			return 1;
	return 0;
}

static int field_fails(zl_rec *rec, const any_field *f)
{
	zl_value v;
	const char *w;
	size_t len;
	double d;

	if (f->fail == F_NONE)
		return 0;
	v = zl_get_static(rec, f->name);
	switch (f->fail) {
	case F_IF_FALSE:   return v.type == ZL_BOOL && !v.b;
	case F_IF_TRUE:    return v.type == ZL_BOOL && v.b;
	case F_IF_SET:     return (w = word_of(v, &len)) != NULL && len > 0;
	case F_IF_WORD:    return (w = word_of(v, &len)) != NULL && word_fails(w, len);
	case F_IF_4XX:     return number(v, &d) == 0 && d >= 400;
	case F_IF_REPLY45: return (w = word_of(v, &len)) != NULL && len > 0 && (w[0] == '4' || w[0] == '5');
	default:           return 0;
	}
}

static int observe_any(zl_rec *rec, const double *x, ctx_obs *o, char *why)
{
	static const char *const orig[] = { "id.orig_h", "host", "src", "client_addr", NULL };
	static const char *const resp[] = { "id.resp_h", "dst", "server_addr", NULL };
	static const char *const none[] = { NULL };
	zl_value p = zl_get_static(rec, "id.resp_p"), pr = zl_get_static(rec, "proto");
	size_t len;
	const char *w;
	double d;
	int i;

	(void)x;
	(void)why;
	ctx_obs_ts(rec, o);
	obs_key(rec, orig, id_uid + 1, o->orig); /* fuid, fingerprint, id: not uid */
	obs_key(rec, resp, none, o->resp);
	o->svc = 0;
	if (number(p, &d) == 0 && d >= 0 && d < 65536)
		o->svc = (uint32_t)d;
	if ((w = word_of(pr, &len)) != NULL)
		o->svc |= (uint32_t)(hash64(w, len) & 0x7fff) << 17;
	o->q[GENERIC_Q_FAIL] = 0;
	for (i = 0; i < A.n_fields; i++)
		if (field_fails(rec, &A.f[i])) {
			o->q[GENERIC_Q_FAIL] = 1;
			break;
		}
	return 0;
}

static const ctx_spec any_context = { &ctx_columns_generic, observe_any };

/* ---- the rules, for --features ---- */

void any_rules_print(FILE *f)
{
	static const char *const rules[][3] = {
		{ "count, int, double, interval", "FIELD", "sign(x) log1p(|x|), rounded to 6 decimals; 0 when unset or not a number" },
		{ "time", "FIELD.dt", "sign(d) log1p(|d|) of d, the time's seconds after the record's ts (a certificate's not_valid_after, a Kerberos ticket's till); 0 when unset" },
		{ "bool", "FIELD", "1 true, -1 false, 0 unset" },
		{ "addr", "FIELD.local FIELD.v6", "local: 1 in a local network (--local-nets), -1 not, 0 unset; v6: 1 an IPv6 address. id.orig_h and id.resp_h give orig_local and resp_local (1 local, else 0), first" },
		{ "enum, and the strings the built-in table marks as a vocabulary", "FIELD.h0 ... FIELD.h7", "the value hashed (FNV-1a, 64 bits, of its bytes) into 8 columns: two of them (the hash's low and high halves, mod 8) are 1, the rest 0; all 0 when unset. Two values share both columns with a probability of about 1/36" },
		{ "port", "FIELD.h0 ... FIELD.h7", "as a vocabulary: a port below 1024 by its number, any other as the one word 1024+" },
		{ "string, subnet, pattern, and any other type", "FIELD.len FIELD.ent", "log1p(its bytes), and the Shannon entropy of its bytes in bits per byte (letters folded to lower case); 0 and 0 when unset" },
		{ "set[...], vector[...], table[...]", "FIELD.n", "log1p(its elements); 0 when unset or empty" },
		{ "JSON field without a type", "by its first value", "a JSON number as count, true/false as bool, an IP address text as addr, any other string as string, an array or object as a set (its elements)" },
		{ "failure-like fields", "src_fail_*", "a record failed when a bool success, *_success, established or auth is false, a bool rejected is true, error_msg, failure_reason, exception or error is set, result, status, rcode_name or certStatus holds fail, error, denied, reject, refus, invalid, unauthori or revoked, status_code or reply_code is 400 or more, or last_reply starts with 4 or 5" },
		{ "not features", "-", "ts, uid, id.orig_h, id.orig_p, id.resp_h, id.resp_p (the identity columns), _path, _write_ts, _node, _node_name, _system_name, and label, detailedlabel, detailed-label (a labelled dataset's answers)" },
		{ "identity columns", "uid id.orig_h id.orig_p id.resp_h id.resp_p proto", "the log's own where it has them, else: uid from fuid, fingerprint or id; id.orig_h from host, src or client_addr; id.orig_p from host_p or port_num; id.resp_h from dst or server_addr; id.resp_p from p; proto from port_proto. The context's source is id.orig_h or its stand-in, else the hash of fuid, fingerprint or id, else one source for the whole log" },
	};
	size_t i;

	fprintf(f, "#features\tany\tgeneric\trules\n");
	for (i = 0; i < sizeof rules / sizeof *rules; i++)
		fprintf(f, "%s\t%s\t%s\n", rules[i][0], rules[i][1], rules[i][2]);
}

static void init(void)
{
}

static azw_schema any_schemas[1] = {
	{ "generic", 0, NULL, extract_any, &any_context, 0, NULL },
};

const azw_module azw_module_any = {
	"any",
	"any other Zeek log (notice, weird, ocsp, a package's...): -m any or -m LOGTYPE; features from the log's own field types",
	init,
	AZW_N(any_schemas),
	any_schemas,
};
