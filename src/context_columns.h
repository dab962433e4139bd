/* context_columns.h - a schema's context columns as plain data: for each
 * column its name, the key it is kept for, the statistic it reads, the
 * quantity and the half-life. context.c computes them (with a module's
 * observe(), context.h); split.c only needs to know which of a stream's
 * columns they are, and which is the source's longest rate. So the tables
 * live in a file of their own (modules/context_columns.c) that holds no
 * code: azw-fit and azw-score link them and nothing of the modules or the
 * Zeek log reader.
 *
 * A module's schema with context points at a ctx_spec (context.h) that
 * pairs one of the tables below with the module's observe(); the table is
 * also listed by its module and schema names in ctx_columns_find()'s list
 * (context_columns.c), which is how the model side finds it from a vector
 * stream's #module and #schema.
 */
#ifndef AZW_CONTEXT_COLUMNS_H
#define AZW_CONTEXT_COLUMNS_H

/* Key types. */
enum ctx_key {
	CTX_SRC,  /* id.orig_h */
	CTX_PAIR, /* id.orig_h, id.resp_h */
	CTX_DST,  /* id.resp_h */
	CTX_SVC,  /* id.orig_h, proto/id.resp_p */
	/* The same keys counting only the records whose quantity spec->ok_q
	 * is 0 (conn: connections that did not fail); a record that does not
	 * count reads 0 in their columns. A beacon's callbacks succeed; a
	 * scanner's probes do not. */
	CTX_PAIR_OK,
	CTX_SVC_OK,
	CTX_N_KEYS
};

/* Statistics a column reads. */
enum ctx_stat {
	CTX_RATE, /* log1p(decayed count) */
	CTX_MEAN, /* decayed mean of quantity q (0 before any value) */
	CTX_STD,  /* decayed standard deviation of q (0 before two) */
	CTX_CV,   /* std / mean of q, clipped to [0, CTX_CV_MAX]; 0 if mean <= 0 */
	CTX_AGE,  /* log1p(seconds from the key's first record to its latest) */
	/* Periodicity (q must be CTX_Q_GAP): how much a key looks like a
	 * beacon, log1p(decayed count of gaps) * max(0, 1 - sd / CTX_JITTER)
	 * * min(1, age / half-life), with sd the decayed standard deviation of
	 * log1p(gap): many, evenly spaced records over at least one half-life.
	 * 0 for arrivals as irregular as a Poisson process's (sd of about 1.3)
	 * and for a burst younger than the half-life. */
	CTX_PERIODIC
};

/* Built-in quantities (a module's own are 0 .. n_q-1). */
#define CTX_Q_GAP (-1)
#define CTX_Q_NEWPAIR (-2)
#define CTX_Q_NEWSVC (-3)

/* One context feature: a row of a module's table (and of its man page). */
typedef struct {
	const char *name; /* column name in the vector stream */
	int key;          /* enum ctx_key */
	int stat;         /* enum ctx_stat */
	int q;            /* quantity: the module's index or a CTX_Q_*;
	                      unused for CTX_RATE and CTX_AGE */
	double half_life; /* seconds; unused for CTX_AGE */
	const char *doc;  /* its meaning, one line (azw-extract --features) */
} ctx_column;

/* A schema's context columns: n_cols rows, appended to the schema's
 * per-record features in this order. */
typedef struct {
	int n_q;  /* the module's quantities */
	int ok_q; /* the quantity CTX_*_OK keys filter on; -1: none */
	int n_cols;
	const ctx_column *cols;
} ctx_columns;

/* The context columns of a vector stream's module and schema (as its
 * #module and #schema lines name them, case-insensitive), or NULL for a
 * schema without context or one the list does not know. A module the list
 * does not know, with the schema "generic", has the generic module's (a
 * stream of -m rdp names rdp as its module). The same answer as
 * azw_context_find() (modules.h) gives, without the modules' code. */
const ctx_columns *ctx_columns_find(const char *module, const char *schema);

/* Each module's quantities (the q of its rows, which its observe() fills)
 * and its table. */
enum { CONN_Q_FAIL, CONN_Q_OBYTES, CONN_Q_RBYTES, CONN_Q_DUR, CONN_N_Q };
extern const ctx_columns ctx_columns_conn;
enum { DNS_Q_NX, DNS_Q_ERR, DNS_Q_NOREPLY, DNS_Q_QLEN, DNS_Q_ENTROPY, DNS_N_Q };
extern const ctx_columns ctx_columns_dns;
enum { HTTP_Q_4XX, HTTP_Q_5XX, HTTP_Q_NOREPLY, HTTP_Q_RBODY, HTTP_Q_QBODY, HTTP_N_Q };
extern const ctx_columns ctx_columns_http;
enum { SSH_Q_FAIL, SSH_Q_SUCCESS, SSH_Q_UNKNOWN, SSH_Q_ATTEMPTS, SSH_N_Q };
extern const ctx_columns ctx_columns_ssh;
enum { SSL_Q_BADCERT, SSL_Q_RESUMED, SSL_Q_NOSNI, SSL_Q_FAILED, SSL_N_Q };
extern const ctx_columns ctx_columns_ssl;
enum { GENERIC_Q_FAIL, GENERIC_N_Q };
extern const ctx_columns ctx_columns_generic;

#endif
