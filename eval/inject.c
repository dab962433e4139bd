/* inject.c - write labelled synthetic attack records into a benign Zeek log.
 *
 * Reads a real Zeek conn log (TSV with its #fields header; several header
 * blocks, as in cat of rotated logs, are fine) and writes, into a directory,
 * the same log with the records of one synthetic attack merged in ts order,
 * rendered with the file's own columns, plus a label file "uid<TAB>M" for
 * every injected record and "uid<TAB>B" for every original one. Attacks
 * that Zeek would also log in dns.log, http.log or ssh.log get those records
 * too, with the conn record's uid (merged into --dns/--http/--ssh FILE when
 * given, else written alone under a standard Zeek header).
 *
 * Deterministic: the same input, options and --seed give the same bytes.
 * Original lines are copied byte for byte, in their order; an injected
 * record goes right before the first original row (after it in the file)
 * whose ts is greater than its own. It fakes logs, not packets: see
 * eval/INJECT.md for what each kind and stealth level is and what real Zeek
 * would log differently.
 *
 * Usage: inject -k KIND [options] -o DIR CONN.LOG   (inject --help)
 * Exit status: 0 ok, 2 usage, input or output error.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define NLEVELS 5

static const char *prog = "inject";

static void die(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		die("out of memory");
	return p;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die("out of memory");
	return p;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(xmalloc(n), s, n);
}

/* --- random numbers: splitmix64, the same stream on every machine --------- */
static uint64_t rng_state;

static uint64_t rnd64(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double unif(void)	/* [0, 1) */
{
	return (double)(rnd64() >> 11) / 9007199254740992.0;
}

static long irange(long lo, long hi)	/* [lo, hi] */
{
	return lo + (long)(rnd64() % (uint64_t)(hi - lo + 1));
}

static double expo(double mean)
{
	return -mean * log(1.0 - unif());
}

/* --- a log file in memory --------------------------------------------------- */
typedef struct {
	char **line;		/* without the newline */
	double *ts;		/* per line: the row's ts, NAN for a header line */
	size_t n, cap;
} logfile;

static void readlog(const char *path, logfile *lf)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t bcap = 0;
	ssize_t len;
	int tscol = -1;

	if (!f)
		die("%s: %s", path, strerror(errno));
	memset(lf, 0, sizeof *lf);
	while ((len = getline(&buf, &bcap, f)) >= 0) {
		if (len > 0 && buf[len - 1] == '\n')
			buf[--len] = '\0';
		if (lf->n == lf->cap) {
			lf->cap = lf->cap ? 2 * lf->cap : 4096;
			lf->line = xrealloc(lf->line, lf->cap * sizeof *lf->line);
			lf->ts = xrealloc(lf->ts, lf->cap * sizeof *lf->ts);
		}
		lf->line[lf->n] = xstrdup(buf);
		lf->ts[lf->n] = NAN;
		if (buf[0] == '#') {
			if (strncmp(buf, "#fields\t", 8) == 0) {
				char *p = buf + 8;
				int i = 0;
				tscol = -1;
				for (;;) {
					size_t k = strcspn(p, "\t");
					if (k == 2 && strncmp(p, "ts", 2) == 0)
						tscol = i;
					if (!p[k])
						break;
					p += k + 1;
					i++;
				}
			}
		} else if (tscol >= 0 && buf[0]) {
			char *p = buf;
			for (int i = 0; i < tscol && p; i++) {
				p = strchr(p, '\t');
				if (p)
					p++;
			}
			if (p) {
				char *e;
				double t = strtod(p, &e);
				if (e != p)
					lf->ts[lf->n] = t;
			}
		}
		lf->n++;
	}
	if (ferror(f))
		die("%s: %s", path, strerror(errno));
	free(buf);
	fclose(f);
}

/* split a copy of LINE at tabs; returns the number of fields */
static int splitline(const char *line, char ***out)
{
	char *s = xstrdup(line);
	int n = 1, i = 0;
	for (char *p = s; *p; p++)
		n += *p == '\t';
	char **v = xmalloc((size_t)n * sizeof *v);
	v[i++] = s;
	for (char *p = s; *p; p++)
		if (*p == '\t') {
			*p = '\0';
			v[i++] = p + 1;
		}
	*out = v;
	return n;
}

static void freesplit(char **v)
{
	if (v) {
		free(v[0]);
		free(v);
	}
}

static int colof(char **f, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(f[i], name) == 0)
			return i;
	return -1;
}

/* --- a string set (uids, addresses) ------------------------------------------- */
typedef struct {
	char **k;
	size_t cap, n;
} strset;

static uint64_t hashs(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static int set_add(strset *s, const char *key)	/* 1 if new */
{
	if (2 * (s->n + 1) > s->cap) {
		strset t = { NULL, s->cap ? 2 * s->cap : 1024, 0 };
		t.k = xmalloc(t.cap * sizeof *t.k);
		memset(t.k, 0, t.cap * sizeof *t.k);
		for (size_t i = 0; i < s->cap; i++)
			if (s->k[i]) {
				size_t j = hashs(s->k[i]) & (t.cap - 1);
				while (t.k[j])
					j = (j + 1) & (t.cap - 1);
				t.k[j] = s->k[i];
				t.n++;
			}
		free(s->k);
		*s = t;
	}
	size_t j = hashs(key) & (s->cap - 1);
	while (s->k[j]) {
		if (strcmp(s->k[j], key) == 0)
			return 0;
		j = (j + 1) & (s->cap - 1);
	}
	s->k[j] = xstrdup(key);
	s->n++;
	return 1;
}

static int set_has(const strset *s, const char *key)
{
	if (!s->cap)
		return 0;
	size_t j = hashs(key) & (s->cap - 1);
	while (s->k[j]) {
		if (strcmp(s->k[j], key) == 0)
			return 1;
		j = (j + 1) & (s->cap - 1);
	}
	return 0;
}

/* --- what the background tells us ---------------------------------------------- */
static strset uids, addrs, locals;	/* every uid, every address, local ones */
static int has_local;		/* the file fills local_orig/local_resp */
static double ts_min = INFINITY, ts_max = -INFINITY;

typedef struct {
	char *key;
	long n;
} counter;

static counter *cnt;
static size_t ncnt;

static void count(const char *key)
{
	for (size_t i = 0; i < ncnt; i++)
		if (strcmp(cnt[i].key, key) == 0) {
			cnt[i].n++;
			return;
		}
	cnt = xrealloc(cnt, (ncnt + 1) * sizeof *cnt);
	cnt[ncnt].key = xstrdup(key);
	cnt[ncnt++].n = 1;
}

static const char *top(void)	/* most counted, first seen on ties */
{
	size_t b = 0;
	if (!ncnt)
		return NULL;
	for (size_t i = 1; i < ncnt; i++)
		if (cnt[i].n > cnt[b].n)
			b = i;
	return cnt[b].key;
}

static void count_reset(void)
{
	for (size_t i = 0; i < ncnt; i++)
		free(cnt[i].key);
	free(cnt);
	cnt = NULL;
	ncnt = 0;
}

static int private4(const char *a)
{
	unsigned x, y;
	if (sscanf(a, "%u.%u", &x, &y) != 2)
		return strncmp(a, "fe80:", 5) == 0 || strncmp(a, "fd", 2) == 0;
	return x == 10 || (x == 172 && y >= 16 && y < 32) || (x == 192 && y == 168);
}

/* LOCAL as this file would say it: T/F where the file fills the columns */
static int is_local(const char *a)
{
	if (set_has(&locals, a))
		return 1;
	if (!has_local)
		return private4(a);
	/* a new address in the /24 of a local one is local too */
	char pfx[64];
	unsigned x, y, z, w;
	if (sscanf(a, "%u.%u.%u.%u", &x, &y, &z, &w) != 4)
		return 0;
	for (size_t i = 0; i < locals.cap; i++) {
		if (!locals.k[i])
			continue;
		snprintf(pfx, sizeof pfx, "%u.%u.%u.", x, y, z);
		if (strncmp(locals.k[i], pfx, strlen(pfx)) == 0)
			return 1;
	}
	return 0;
}

/* --- injected records ---------------------------------------------------------------- */
enum { AUX_NONE, AUX_DNS, AUX_HTTP, AUX_SSH };

typedef struct {
	double ts, dur;		/* dur < 0: unset */
	char uid[20];
	char oh[48], rh[48];
	int op, rp;
	const char *proto, *service, *state, *hist;
	long ob, rb;		/* < 0: unset */
	long opk, oipb, rpk, ripb;
	int aux;
	/* dns */
	char query[96];
	int trans_id;
	double rtt;
	/* http */
	const char *method;
	char host[96], uri[160], fuid[20];
	long reqlen, resplen;
	int status;
	/* ssh */
	int auth_ok, attempts;
	size_t seq;
} rec;

static rec *R;
static size_t nR;
static const char *kindname, *detail;

static const char B62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

static void newid(char *out, char first)
{
	do {
		out[0] = first;
		for (int i = 1; i <= 17; i++)
			out[i] = B62[rnd64() % 62];
		out[18] = '\0';
	} while (!set_add(&uids, out));
}

static rec *newrec(double ts, const char *oh, const char *rh, int rp, const char *proto)
{
	R = xrealloc(R, (nR + 1) * sizeof *R);
	rec *r = &R[nR];
	memset(r, 0, sizeof *r);
	r->seq = nR++;
	r->ts = ts;
	newid(r->uid, 'C');
	snprintf(r->oh, sizeof r->oh, "%s", oh);
	snprintf(r->rh, sizeof r->rh, "%s", rh);
	r->op = (int)irange(32768, 60999);	/* Linux's ephemeral ports */
	r->rp = rp;
	r->proto = proto;
	r->service = "-";
	return r;
}

/* TCP, answered and closed: data both ways in segments of 1448 bytes,
 * delayed ACKs, SYN 60 bytes, other packets 52 bytes of headers */
static void tcp_sf(rec *r, long ob, long rb, double rtt, double dur)
{
	long os = (ob + 1447) / 1448, rs = (rb + 1447) / 1448;
	r->state = "SF";
	r->hist = ob && rb ? "ShADadFf" : ob ? "ShADaFf" : rb ? "ShAdaFf" : "ShAaFf";
	r->ob = ob;
	r->rb = rb;
	r->opk = 3 + os + rs / 2;
	r->rpk = 2 + rs + (os + 1) / 2;
	r->oipb = ob + 60 + 52 * (r->opk - 1);
	r->ripb = rb + 60 + 52 * (r->rpk - 1);
	r->dur = dur > 3 * rtt ? dur : 3 * rtt;
}

/* TCP, SYN never answered: TRIES SYNs, retransmitted after 1 s, 2 s, ... */
static void tcp_s0(rec *r, int tries)
{
	r->state = "S0";
	r->hist = "S";
	r->opk = tries;
	r->oipb = 60L * tries;
	r->rpk = r->ripb = 0;
	if (tries == 1) {	/* one packet: Zeek leaves duration and bytes unset */
		r->dur = -1;
		r->ob = r->rb = -1;
	} else {
		r->dur = (double)((1L << (tries - 1)) - 1) + unif() * 0.01;
		r->ob = r->rb = 0;
	}
}

static void tcp_rej(rec *r, double rtt)
{
	r->state = "REJ";
	r->hist = "Sr";
	r->ob = r->rb = 0;
	r->opk = 1;
	r->oipb = 60;
	r->rpk = 1;
	r->ripb = 40;
	r->dur = rtt;
}

/* connect() scan of an open port: handshake, then the scanner resets */
static void tcp_open_reset(rec *r, double rtt)
{
	r->state = "RSTO";
	r->hist = "ShAR";
	r->ob = r->rb = 0;
	r->opk = 3;
	r->oipb = 60 + 52 + 40;
	r->rpk = 1;
	r->ripb = 60;
	r->dur = rtt * 1.05;
}

static void udp_sf(rec *r, long ob, long rb, double rtt)
{
	r->state = "SF";
	r->hist = "Dd";
	r->ob = ob;
	r->rb = rb;
	r->opk = r->rpk = 1;
	r->oipb = ob + 28;
	r->ripb = rb + 28;
	r->dur = rtt;
}

static void udp_s0(rec *r, long per, int n)
{
	r->state = "S0";
	r->hist = "D";
	r->opk = n;
	r->oipb = (per + 28) * n;
	r->rpk = r->ripb = 0;
	r->rb = n == 1 ? -1 : 0;
	r->ob = n == 1 ? -1 : per * n;
	r->dur = n == 1 ? -1 : 1.0 + unif();
}

/* an address that no line of the files holds; public unless PRIVATE_NET */
static void newaddr(char *out, size_t sz, const char *net24)
{
	static const int first[] = { 23, 31, 45, 46, 62, 77, 79, 85, 91, 103, 104, 138, 141, 146, 159, 176, 178, 185, 188, 193, 194, 212, 213, 217 };
	do {
		if (net24)
			snprintf(out, sz, "%s%ld", net24, irange(2, 254));
		else
			snprintf(out, sz, "%d.%ld.%ld.%ld", first[rnd64() % (sizeof first / sizeof *first)],
				irange(0, 255), irange(0, 255), irange(1, 254));
	} while (!set_add(&addrs, out));
}

static void randname(char *out, size_t sz, int lo, int hi)
{
	static const char *tld[] = { "com", "net", "org", "info", "biz", "ru", "top", "xyz" };
	int n = (int)irange(lo, hi), i;
	for (i = 0; i < n && (size_t)i < sz - 8; i++)
		out[i] = "abcdefghijklmnopqrstuvwxyz"[rnd64() % 26];
	out[i] = '\0';
	snprintf(out + i, sz - (size_t)i, ".%s", tld[rnd64() % 8]);
}

/* --- the attacks -------------------------------------------------------------------- */
typedef struct {
	const char *kind;
	int level;
	double start, end;
	const char *src;
	double period, jitter;	/* beacon; < 0: from the level */
	const char *via, *sizes;
	int unanswered, succeed;
	const char *resolver;
	char dst[48];		/* the attack's new address, for the summary */
	int dport;
} attack;

static const double beacon_jitter[NLEVELS] = { 0, 0.10, 0.20, 0.30, 0.50 };
static const double fanout_gap[NLEVELS] = { 0.5, 5, 30, 90, 300 };
static const double slowscan_gap[NLEVELS] = { 1, 10, 60, 180, 600 };
static const long fastscan_ports[NLEVELS] = { 1000, 300, 100, 30, 10 };
static const double brute_gap[NLEVELS] = { 1, 10, 60, 300, 900 };
static const double exfil_bytes[NLEVELS] = { 2e9, 5e8, 1e8, 2e7, 5e6 };
static const double drip_bytes[NLEVELS] = { 4e6, 1e6, 256e3, 64e3, 16e3 };
static const double drip_gap[NLEVELS] = { 60, 120, 300, 600, 900 };
static const double dga_gap[NLEVELS] = { 0.2, 1, 10, 60, 300 };
static const long dga_max[NLEVELS] = { 500, 300, 200, 100, 50 };

static double rtt_to(const char *a)
{
	return is_local(a) ? 0.0005 + unif() * 0.002 : 0.015 + unif() * 0.12;
}

static void beacon(attack *a)
{
	double P = a->period > 0 ? a->period : 300;
	double J = a->jitter >= 0 ? a->jitter : beacon_jitter[a->level];
	int http = strcmp(a->via, "http") == 0, tls = strcmp(a->via, "tls") == 0;
	int vary = strcmp(a->sizes, "vary") == 0;
	char host[96], path[32];
	double rtt = 0.02 + unif() * 0.1;

	newaddr(a->dst, sizeof a->dst, NULL);
	a->dport = http ? 80 : tls ? 443 : 8443;
	randname(host, sizeof host, 6, 10);
	snprintf(path, sizeof path, "/%c%c%c%c%c%c", B62[rnd64() % 62], B62[rnd64() % 62], B62[rnd64() % 62],
		B62[rnd64() % 62], B62[rnd64() % 62], B62[rnd64() % 62]);
	for (double t = a->start; t < a->end; t += P * (1 + J * (2 * unif() - 1))) {
		rec *r = newrec(t, a->src, a->dst, a->dport, "tcp");
		if (a->unanswered) {
			tcp_s0(r, (int)irange(1, 3));
			continue;
		}
		long ob = vary ? irange(180, 1500) : 220, rb = vary ? (long)exp(log(300) + unif() * log(60)) : 1180;
		if (tls) {	/* the handshake's bytes on top (session resumption) */
			ob += 517 + 64;
			rb += 240 + 51;
		}
		tcp_sf(r, ob, rb, rtt, 3 * rtt + 0.02 + unif() * 0.2);
		r->service = http ? "http" : tls ? "ssl" : "-";
		if (http) {
			r->aux = AUX_HTTP;
			r->method = vary && unif() < 0.5 ? "POST" : "GET";
			snprintf(r->host, sizeof r->host, "%s", host);
			snprintf(r->uri, sizeof r->uri, "%s?id=%08lx", path, (long)(rnd64() & 0x7fffffff));
			r->reqlen = r->method[0] == 'P' ? ob > 400 ? ob - 200 : 0 : 0;
			r->resplen = rb > 200 ? rb - 180 : 0;
			r->status = 200;
			newid(r->fuid, 'F');
		}
	}
}

static void fanout(attack *a)
{
	enum { NPEERS = 400 };
	static char peer[NPEERS][48];
	static int pport[NPEERS], pudp[NPEERS];
	double gap = fanout_gap[a->level];
	long n = 0;

	for (int i = 0; i < NPEERS; i++) {
		newaddr(peer[i], sizeof peer[i], NULL);
		pport[i] = (int)irange(10000, 65000);
		pudp[i] = unif() < 0.6;
	}
	snprintf(a->dst, sizeof a->dst, "%d peers", NPEERS);
	a->dport = 0;
	for (double t = a->start; t < a->end && n < 3000; t += expo(gap), n++) {
		int i = (int)(rnd64() % NPEERS);
		double u = unif(), rtt = rtt_to(peer[i]);
		rec *r = newrec(t, a->src, peer[i], pport[i], pudp[i] ? "udp" : "tcp");
		if (pudp[i]) {
			if (u < 0.75)
				udp_s0(r, irange(20, 120), (int)irange(1, 2));
			else
				udp_sf(r, irange(20, 120), irange(20, 300), rtt);
		} else if (u < 0.7)
			tcp_s0(r, (int)irange(1, 3));
		else if (u < 0.85)
			tcp_rej(r, rtt);
		else
			tcp_sf(r, irange(68, 300), irange(68, 300), rtt, 3 * rtt + unif() * 0.5);
	}
}

/* the /24 of the source, "a.b.c." */
static void net24(const char *src, char *out, size_t sz)
{
	unsigned x, y, z, w;
	if (sscanf(src, "%u.%u.%u.%u", &x, &y, &z, &w) == 4)
		snprintf(out, sz, "%u.%u.%u.", x, y, z);
	else
		snprintf(out, sz, "10.%u.%u.", (unsigned)irange(0, 255), (unsigned)irange(0, 255));
}

static void slowscan(attack *a)
{
	double gap = slowscan_gap[a->level];
	char net[32];
	long n = 0;
	strset seen = { 0 };

	net24(a->src, net, sizeof net);
	snprintf(a->dst, sizeof a->dst, "%s0/24", net);
	a->dport = 22;
	for (double t = a->start; t < a->end && n < 253; t += gap * (0.8 + 0.4 * unif()), n++) {
		char h[48];
		do	/* each host of the /24 once, in random order (old ones too) */
			snprintf(h, sizeof h, "%s%ld", net, irange(1, 254));
		while (strcmp(h, a->src) == 0 || !set_add(&seen, h));
		set_add(&addrs, h);
		rec *r = newrec(t, a->src, h, a->dport, "tcp");
		double u = unif(), rtt = rtt_to(h);
		if (u < 0.85)
			tcp_s0(r, 2);
		else if (u < 0.95)
			tcp_rej(r, rtt);
		else
			tcp_open_reset(r, rtt);
	}
}

static void fastscan(attack *a)
{
	long ports = fastscan_ports[a->level], n;
	char net[32];
	static unsigned char used[65536];

	net24(a->src, net, sizeof net);
	newaddr(a->dst, sizeof a->dst, net);
	a->dport = 0;
	memset(used, 0, sizeof used);
	double t = a->start, rtt = rtt_to(a->dst);
	for (n = 0; n < ports && t < a->end; n++, t += 0.002 + expo(0.01)) {
		/* the well-known ports first, then the first 1024, then any */
		static const int well[] = { 22, 80, 443, 21, 23, 25, 53, 110, 139, 445, 3389, 8080 };
		int p;
		if (n < (long)(sizeof well / sizeof *well))
			p = well[n];
		else
			do
				p = (int)(n < 300 ? irange(1, 1024) : irange(1025, 65535));
			while (used[p]);
		used[p] = 1;
		rec *r = newrec(t, a->src, a->dst, p, "tcp");
		double u = unif();
		if (u < 0.93)
			tcp_rej(r, rtt);
		else if (u < 0.98)
			tcp_s0(r, 1);
		else
			tcp_open_reset(r, rtt);
	}
}

static void bruteforce(attack *a)
{
	double gap = brute_gap[a->level];
	long n = 0, max = 500;
	double rtt = 0.02 + unif() * 0.1;

	newaddr(a->dst, sizeof a->dst, NULL);
	a->dport = 22;
	double t = a->start;
	for (; t < a->end && n < max; t += gap * (0.7 + 0.6 * unif()), n++) {
		rec *r = newrec(t, a->src, a->dst, 22, "tcp");
		int last = a->succeed && (n + 1 == max || t + gap * 1.3 >= a->end);
		if (last) {	/* it got in: an interactive session of minutes */
			tcp_sf(r, irange(20000, 100000), irange(50000, 500000), rtt, 300 + unif() * 1500);
			r->auth_ok = 1;
			r->attempts = 1;
		} else {
			tcp_sf(r, irange(1200, 2200), irange(1600, 2600), rtt, 2 + unif() * 4);
			r->attempts = (int)irange(1, 3);
		}
		r->service = "ssh";
		r->aux = AUX_SSH;
		if (last)
			break;
	}
}

static void exfil(attack *a)
{
	long ob = (long)(exfil_bytes[a->level] * (0.9 + 0.2 * unif()));
	double rtt = 0.02 + unif() * 0.1, rate = 2e6 + unif() * 8e6;

	newaddr(a->dst, sizeof a->dst, NULL);
	a->dport = 443;
	rec *r = newrec(a->start, a->src, a->dst, 443, "tcp");
	tcp_sf(r, ob, irange(4000, 20000), rtt, ob / rate);
	r->service = "ssl";
}

static void drip(attack *a)
{
	double gap = drip_gap[a->level], chunk = drip_bytes[a->level];
	double rtt = 0.02 + unif() * 0.1;

	newaddr(a->dst, sizeof a->dst, NULL);
	a->dport = 443;
	for (double t = a->start; t < a->end; t += gap * (0.7 + 0.6 * unif())) {
		rec *r = newrec(t, a->src, a->dst, 443, "tcp");
		long ob = (long)(chunk * (0.8 + 0.4 * unif())) + 600;
		tcp_sf(r, ob, irange(4000, 8000), rtt, 3 * rtt + ob / (2e6 + unif() * 4e6));
		r->service = "ssl";
	}
}

static void dga(attack *a)
{
	double gap = dga_gap[a->level];
	long n = 0;
	double rtt = rtt_to(a->resolver);

	snprintf(a->dst, sizeof a->dst, "%s", a->resolver);
	a->dport = 53;
	for (double t = a->start; t < a->end && n < dga_max[a->level]; t += gap * (0.5 + unif()), n++) {
		rec *r = newrec(t, a->src, a->resolver, 53, "udp");
		randname(r->query, sizeof r->query, 10, 20);
		long q = 12 + (long)strlen(r->query) + 2 + 4 + 11;	/* header, name, type+class, EDNS */
		double d = rtt * (1 + unif() * 3);
		udp_sf(r, q, q + 75, d);	/* NXDOMAIN with the zone's SOA */
		r->service = "dns";
		r->aux = AUX_DNS;
		r->trans_id = (int)irange(0, 65535);
		r->rtt = d;
	}
}

/* --- rendering ----------------------------------------------------------------------------- */
static void put_num(FILE *o, long v)
{
	if (v < 0)
		fputs("-", o);
	else
		fprintf(o, "%ld", v);
}

static void put_dur(FILE *o, double v)
{
	if (v < 0)
		fputs("-", o);
	else
		fprintf(o, "%.6f", v);
}

/* one field (one word of a column name) of conn record R; TEMPLATE: the value
 * of an original row, for columns this program does not know */
static void conn_field(FILE *o, const rec *r, const char *name, const char *template)
{
	if (!strcmp(name, "ts"))
		fprintf(o, "%.6f", r->ts);
	else if (!strcmp(name, "uid"))
		fputs(r->uid, o);
	else if (!strcmp(name, "id.orig_h"))
		fputs(r->oh, o);
	else if (!strcmp(name, "id.orig_p"))
		fprintf(o, "%d", r->op);
	else if (!strcmp(name, "id.resp_h"))
		fputs(r->rh, o);
	else if (!strcmp(name, "id.resp_p"))
		fprintf(o, "%d", r->rp);
	else if (!strcmp(name, "proto"))
		fputs(r->proto, o);
	else if (!strcmp(name, "service"))
		fputs(r->service, o);
	else if (!strcmp(name, "duration"))
		put_dur(o, r->dur);
	else if (!strcmp(name, "orig_bytes"))
		put_num(o, r->ob);
	else if (!strcmp(name, "resp_bytes"))
		put_num(o, r->rb);
	else if (!strcmp(name, "conn_state"))
		fputs(r->state, o);
	else if (!strcmp(name, "local_orig"))
		fputs(has_local ? is_local(r->oh) ? "T" : "F" : "-", o);
	else if (!strcmp(name, "local_resp"))
		fputs(has_local ? is_local(r->rh) ? "T" : "F" : "-", o);
	else if (!strcmp(name, "missed_bytes"))
		fputs("0", o);
	else if (!strcmp(name, "history"))
		fputs(r->hist, o);
	else if (!strcmp(name, "orig_pkts"))
		fprintf(o, "%ld", r->opk);
	else if (!strcmp(name, "orig_ip_bytes"))
		fprintf(o, "%ld", r->oipb);
	else if (!strcmp(name, "resp_pkts"))
		fprintf(o, "%ld", r->rpk);
	else if (!strcmp(name, "resp_ip_bytes"))
		fprintf(o, "%ld", r->ripb);
	else if (!strcmp(name, "ip_proto"))
		fputs(r->proto[0] == 'u' ? "17" : "6", o);
	else if (!strcmp(name, "label"))
		fputs("Malicious", o);
	else if (!strcmp(name, "detailedlabel") || !strcmp(name, "detailed-label"))
		fprintf(o, "Injected-%s", detail);
	else if (!strcmp(name, "tunnel_parents"))	/* empty: as this Zeek writes an empty set */
		fputs(template && !strcmp(template, "(empty)") ? "(empty)" : "-", o);
	else if (!strcmp(name, "community_id") ||
		 !strcmp(name, "orig_l2_addr") || !strcmp(name, "resp_l2_addr") || !strcmp(name, "vlan") ||
		 !strcmp(name, "inner_vlan") || !strncmp(name, "orig_cc", 7) || !strncmp(name, "resp_cc", 7))
		fputs("-", o);
	else
		fputs(template ? template : "-", o);
}

static void aux_field(FILE *o, const rec *r, const char *name)
{
	/* shared identity */
	if (!strcmp(name, "ts")) {
		double ts = r->ts + (r->aux == AUX_HTTP ? r->dur / 3 : 0);
		fprintf(o, "%.6f", ts);
	} else if (!strcmp(name, "uid"))
		fputs(r->uid, o);
	else if (!strcmp(name, "id.orig_h"))
		fputs(r->oh, o);
	else if (!strcmp(name, "id.orig_p"))
		fprintf(o, "%d", r->op);
	else if (!strcmp(name, "id.resp_h"))
		fputs(r->rh, o);
	else if (!strcmp(name, "id.resp_p"))
		fprintf(o, "%d", r->rp);
	else if (!strcmp(name, "proto"))
		fputs(r->proto, o);
	/* dns */
	else if (!strcmp(name, "trans_id"))
		fprintf(o, "%d", r->trans_id);
	else if (!strcmp(name, "rtt"))
		fprintf(o, "%.6f", r->rtt);
	else if (!strcmp(name, "query"))
		fputs(r->query, o);
	else if (!strcmp(name, "qclass") || !strcmp(name, "qtype"))
		fputs("1", o);
	else if (!strcmp(name, "qclass_name"))
		fputs("C_INTERNET", o);
	else if (!strcmp(name, "qtype_name"))
		fputs("A", o);
	else if (!strcmp(name, "rcode"))
		fputs("3", o);
	else if (!strcmp(name, "rcode_name"))
		fputs("NXDOMAIN", o);
	else if (!strcmp(name, "AA") || !strcmp(name, "TC") || !strcmp(name, "rejected"))
		fputs("F", o);
	else if (!strcmp(name, "RD") || !strcmp(name, "RA"))
		fputs("T", o);
	else if (!strcmp(name, "Z"))
		fputs("0", o);
	/* http */
	else if (!strcmp(name, "trans_depth"))
		fputs("1", o);
	else if (!strcmp(name, "method"))
		fputs(r->method, o);
	else if (!strcmp(name, "host"))
		fputs(r->host, o);
	else if (!strcmp(name, "uri"))
		fputs(r->uri, o);
	else if (!strcmp(name, "user_agent"))
		fputs("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/110.0.0.0 Safari/537.36", o);
	else if (!strcmp(name, "request_body_len"))
		fprintf(o, "%ld", r->reqlen);
	else if (!strcmp(name, "response_body_len"))
		fprintf(o, "%ld", r->resplen);
	else if (!strcmp(name, "status_code"))
		fprintf(o, "%d", r->status);
	else if (!strcmp(name, "status_msg"))
		fputs("OK", o);
	else if (!strcmp(name, "tags"))
		fputs("(empty)", o);
	else if (!strcmp(name, "resp_fuids"))
		fputs(r->resplen > 0 ? r->fuid : "-", o);
	else if (!strcmp(name, "resp_mime_types"))
		fputs(r->resplen > 0 ? "text/plain" : "-", o);
	else if (!strcmp(name, "version") && r->aux == AUX_HTTP)
		fputs("1.1", o);
	/* ssh */
	else if (!strcmp(name, "version"))
		fputs("2", o);
	else if (!strcmp(name, "auth_success"))
		fputs(r->auth_ok ? "T" : "F", o);
	else if (!strcmp(name, "auth_attempts"))
		fprintf(o, "%d", r->attempts);
	else if (!strcmp(name, "direction"))
		fputs(!has_local ? "-" : is_local(r->oh) && !is_local(r->rh) ? "OUTBOUND"
				 : !is_local(r->oh) && is_local(r->rh) ? "INBOUND" : "-", o);
	else if (!strcmp(name, "client"))
		fputs("SSH-2.0-Go", o);
	else if (!strcmp(name, "server"))
		fputs("SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.1", o);
	else if (!strcmp(name, "cipher_alg"))
		fputs("aes128-ctr", o);
	else if (!strcmp(name, "mac_alg"))
		fputs("hmac-sha2-256", o);
	else if (!strcmp(name, "compression_alg"))
		fputs("none", o);
	else if (!strcmp(name, "kex_alg"))
		fputs("curve25519-sha256", o);
	else if (!strcmp(name, "host_key_alg"))
		fputs("ecdsa-sha2-nistp256", o);
	else if (!strcmp(name, "label"))
		fputs("Malicious", o);
	else if (!strcmp(name, "detailedlabel") || !strcmp(name, "detailed-label"))
		fprintf(o, "Injected-%s", detail);
	else
		fputs("-", o);
}

/* write record R with the column names F[0..NF) (a column named
 * "a   b   c", as IoT-23 copies have, gets its values joined the same way) */
static void render(FILE *o, const rec *r, char **f, int nf, char **tmpl, int ntmpl, int aux)
{
	for (int i = 0; i < nf; i++) {
		if (i)
			fputc('\t', o);
		char *name = xstrdup(f[i]), *save = NULL;
		int w = 0;
		for (char *tok = strtok_r(name, " ", &save); tok; tok = strtok_r(NULL, " ", &save), w++) {
			if (w)
				fputs("   ", o);
			if (aux)
				aux_field(o, r, tok);
			else
				conn_field(o, r, tok, i < ntmpl ? tmpl[i] : NULL);
		}
		free(name);
	}
	fputc('\n', o);
}

static int by_ts(const void *x, const void *y)
{
	const rec *a = *(rec *const *)x, *b = *(rec *const *)y;
	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

/* write LF (may be empty: then HEADER) with the records P[0..np) merged in;
 * LABELS (conn only) gets every row's uid and class */
static void merge(const char *path, const logfile *lf, rec **p, size_t np, int aux, const char *header, FILE *labels,
		  const char *src)
{
	FILE *o = fopen(path, "w");
	char **f = NULL, **tmpl = NULL;
	int nf = 0, ntmpl = 0, ucol = -1, ocol = -1;
	size_t k = 0, lastrow = 0;
	int any = 0;

	if (!o)
		die("%s: %s", path, strerror(errno));
	for (size_t i = 0; i < lf->n; i++)
		if (!isnan(lf->ts[i])) {
			lastrow = i;
			any = 1;
		}
	if (!any) {	/* no rows: the header (given or standard), then the records */
		logfile h = { 0 };
		const char *s = header;
		for (size_t i = 0; i < lf->n; i++)
			if (strncmp(lf->line[i], "#close", 6) != 0)
				fprintf(o, "%s\n", lf->line[i]);
		if (!lf->n)
			fputs(s, o);
		for (size_t i = 0; i < lf->n; i++)
			if (!strncmp(lf->line[i], "#fields\t", 8)) {
				freesplit(f);
				nf = splitline(lf->line[i] + 8, &f);
			}
		if (!lf->n) {
			const char *q = strstr(header, "#fields\t");
			const char *e = strchr(q, '\n');
			char *fl = xmalloc((size_t)(e - q) + 1);
			memcpy(fl, q, (size_t)(e - q));
			fl[e - q] = '\0';
			nf = splitline(fl + 8, &f);
			free(fl);
		}
		for (; k < np; k++)
			render(o, p[k], f, nf, NULL, 0, aux);
		(void)h;
		freesplit(f);
		if (fclose(o))
			die("%s: %s", path, strerror(errno));
		return;
	}
	for (size_t i = 0; i < lf->n; i++) {
		const char *l = lf->line[i];
		if (l[0] == '#') {
			if (!strncmp(l, "#fields\t", 8)) {
				freesplit(f);
				nf = splitline(l + 8, &f);
				ucol = colof(f, nf, "uid");
				ocol = colof(f, nf, "id.orig_h");
			}
		} else if (!isnan(lf->ts[i])) {
			while (k < np && p[k]->ts < lf->ts[i]) {
				render(o, p[k], f, nf, tmpl, ntmpl, aux);
				if (labels)
					fprintf(labels, "%s\tM\n", p[k]->uid);
				k++;
			}
			if (!aux) {	/* a row of the source host: the template of unknown columns */
				char **v;
				int n = splitline(l, &v);
				if (!tmpl || (ocol >= 0 && ocol < n && !strcmp(v[ocol], src))) {
					freesplit(tmpl);
					tmpl = v;
					ntmpl = n;
				} else
					freesplit(v);
			}
			if (labels && ucol >= 0) {
				const char *u = l;
				for (int c = 0; c < ucol && u; c++)
					if ((u = strchr(u, '\t')))
						u++;
				if (u)
					fprintf(labels, "%.*s\tB\n", (int)strcspn(u, "\t"), u);
			}
		}
		fprintf(o, "%s\n", l);
		if (i == lastrow)
			for (; k < np; k++) {
				render(o, p[k], f, nf, tmpl, ntmpl, aux);
				if (labels)
					fprintf(labels, "%s\tM\n", p[k]->uid);
			}
	}
	freesplit(f);
	freesplit(tmpl);
	if (fclose(o))
		die("%s: %s", path, strerror(errno));
}

static const char *HDR_DNS =
	"#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tdns\n"
	"#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ttrans_id\trtt\tquery\tqclass\tqclass_name\tqtype\tqtype_name\trcode\trcode_name\tAA\tTC\tRD\tRA\tZ\tanswers\tTTLs\trejected\n"
	"#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tcount\tinterval\tstring\tcount\tstring\tcount\tstring\tcount\tstring\tbool\tbool\tbool\tbool\tcount\tvector[string]\tvector[interval]\tbool\n";
static const char *HDR_HTTP =
	"#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\thttp\n"
	"#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\ttrans_depth\tmethod\thost\turi\treferrer\tversion\tuser_agent\torigin\trequest_body_len\tresponse_body_len\tstatus_code\tstatus_msg\tinfo_code\tinfo_msg\ttags\tusername\tpassword\tproxied\torig_fuids\torig_filenames\torig_mime_types\tresp_fuids\tresp_filenames\tresp_mime_types\n"
	"#types\ttime\tstring\taddr\tport\taddr\tport\tcount\tstring\tstring\tstring\tstring\tstring\tstring\tstring\tcount\tcount\tcount\tstring\tcount\tstring\tset[enum]\tstring\tstring\tset[string]\tvector[string]\tvector[string]\tvector[string]\tvector[string]\tvector[string]\tvector[string]\n";
static const char *HDR_SSH =
	"#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tssh\n"
	"#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tversion\tauth_success\tauth_attempts\tdirection\tclient\tserver\tcipher_alg\tmac_alg\tcompression_alg\tkex_alg\thost_key_alg\thost_key\n"
	"#types\ttime\tstring\taddr\tport\taddr\tport\tcount\tbool\tcount\tenum\tstring\tstring\tstring\tstring\tstring\tstring\tstring\tstring\n";

static void usage(FILE *o)
{
	fputs("usage: inject -k KIND [-s LEVEL] [--seed N] [--src ADDR] [--start TS | --start-frac F]\n"
	      "              [--duration SEC] [--period SEC] [--jitter F] [--via http|tls|tcp]\n"
	      "              [--sizes fixed|vary] [--unanswered] [--succeed] [--resolver ADDR]\n"
	      "              [--dns FILE] [--http FILE] [--ssh FILE] -o DIR CONN.LOG\n"
	      "Write CONN.LOG (Zeek TSV) with the records of one synthetic attack merged in\n"
	      "ts order into DIR/conn.log, DIR/labels.tsv (uid<TAB>M injected, uid<TAB>B\n"
	      "original), DIR/inject.info (what was injected) and, for the kinds that\n"
	      "need them, DIR/dns.log, DIR/http.log, DIR/ssh.log (the --dns/--http/--ssh\n"
	      "FILE with the attack's records merged in, or those records alone).\n"
	      "KIND, and what stealth LEVEL 0 (loudest) .. 4 (stealthiest) changes:\n"
	      "  beacon      jitter 0, 10, 20, 30, 50 % of --period (300 s); --via http\n"
	      "              (default), tls or tcp; --sizes fixed (default) or vary;\n"
	      "              --unanswered: SYNs that nobody answers\n"
	      "  fanout      P2P: UDP/TCP to 400 new peers, most failing, mean gap\n"
	      "              0.5, 5, 30, 90, 300 s (at most 3000 records)\n"
	      "  slowscan    port 22 of the source's /24, one host every 1, 10, 60,\n"
	      "              180, 600 s (+-20 %; at most 253 hosts)\n"
	      "  fastscan    1000, 300, 100, 30, 10 ports of one new host of the /24, ~80/s\n"
	      "  bruteforce  SSH logins to a new address every 1, 10, 60, 300, 900 s\n"
	      "              (+-30 %; at most 500); --succeed: the last one gets in\n"
	      "  exfil       one TLS upload of 2 GB, 500, 100, 20, 5 MB to a new address\n"
	      "  drip        TLS uploads of 4 MB, 1 MB, 256, 64, 16 kB every 60, 120,\n"
	      "              300, 600, 900 s (+-30 %)\n"
	      "  dga         NXDOMAIN lookups of random names via the source's resolver,\n"
	      "              500, 300, 200, 100, 50 of them, every 0.2, 1, 10, 60, 300 s\n"
	      "Defaults: --seed 1; --src the busiest local host of the file; --start at\n"
	      "--start-frac 0.65 of the file's ts span; --duration up to 0.3 of the span\n"
	      "(never past its end); --jitter overrides the level's.\n", o);
}

int main(int argc, char **argv)
{
	attack a = { 0 };
	const char *outdir = NULL, *in = NULL, *auxin[4] = { 0 };
	double start = NAN, sfrac = 0.65, duration = NAN;
	unsigned long long seed = 1;

	a.kind = NULL;
	a.via = "http";
	a.sizes = "fixed";
	a.period = -1;
	a.jitter = -1;
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i];
#define ARG() (i + 1 < argc ? argv[++i] : (die("%s needs a value", o), ""))
		if (!strcmp(o, "-h") || !strcmp(o, "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(o, "-k") || !strcmp(o, "--kind"))
			a.kind = ARG();
		else if (!strcmp(o, "-s") || !strcmp(o, "--stealth"))
			a.level = atoi(ARG());
		else if (!strcmp(o, "--seed"))
			seed = strtoull(ARG(), NULL, 10);
		else if (!strcmp(o, "--src"))
			a.src = ARG();
		else if (!strcmp(o, "--start"))
			start = atof(ARG());
		else if (!strcmp(o, "--start-frac"))
			sfrac = atof(ARG());
		else if (!strcmp(o, "--duration"))
			duration = atof(ARG());
		else if (!strcmp(o, "--period"))
			a.period = atof(ARG());
		else if (!strcmp(o, "--jitter"))
			a.jitter = atof(ARG());
		else if (!strcmp(o, "--via"))
			a.via = ARG();
		else if (!strcmp(o, "--sizes"))
			a.sizes = ARG();
		else if (!strcmp(o, "--unanswered"))
			a.unanswered = 1;
		else if (!strcmp(o, "--succeed"))
			a.succeed = 1;
		else if (!strcmp(o, "--resolver"))
			a.resolver = ARG();
		else if (!strcmp(o, "--dns"))
			auxin[AUX_DNS] = ARG();
		else if (!strcmp(o, "--http"))
			auxin[AUX_HTTP] = ARG();
		else if (!strcmp(o, "--ssh"))
			auxin[AUX_SSH] = ARG();
		else if (!strcmp(o, "-o"))
			outdir = ARG();
		else if (o[0] == '-' && o[1]) {
			usage(stderr);
			die("unknown option %s", o);
		} else if (!in)
			in = o;
		else
			die("one conn log only (%s)", o);
#undef ARG
	}
	if (!a.kind || !outdir || !in) {
		usage(stderr);
		die("-k KIND, -o DIR and a conn log are needed");
	}
	if (a.level < 0 || a.level >= NLEVELS)
		die("stealth level %d: 0..%d", a.level, NLEVELS - 1);
	if (strcmp(a.via, "http") && strcmp(a.via, "tls") && strcmp(a.via, "tcp"))
		die("--via %s: http, tls or tcp", a.via);
	if (strcmp(a.sizes, "fixed") && strcmp(a.sizes, "vary"))
		die("--sizes %s: fixed or vary", a.sizes);
	if (a.jitter > 1)
		die("--jitter %g: at most 1", a.jitter);
	void (*gen)(attack *) = !strcmp(a.kind, "beacon") ? beacon : !strcmp(a.kind, "fanout") ? fanout
		: !strcmp(a.kind, "slowscan") ? slowscan : !strcmp(a.kind, "fastscan") ? fastscan
		: !strcmp(a.kind, "bruteforce") ? bruteforce : !strcmp(a.kind, "exfil") ? exfil
		: !strcmp(a.kind, "drip") ? drip : !strcmp(a.kind, "dga") ? dga : NULL;
	if (!gen)
		die("unknown kind %s (inject --help)", a.kind);
	rng_state = seed;

	/* the background: uids, addresses, local hosts, span, busiest local host */
	logfile lf;
	readlog(in, &lf);
	{
		char **f = NULL, **v;
		int nf = 0, cu = -1, co = -1, cr = -1, clo = -1, clr = -1, crp = -1;
		for (size_t i = 0; i < lf.n; i++) {
			const char *l = lf.line[i];
			if (!strncmp(l, "#fields\t", 8)) {
				freesplit(f);
				nf = splitline(l + 8, &f);
				cu = colof(f, nf, "uid");
				co = colof(f, nf, "id.orig_h");
				cr = colof(f, nf, "id.resp_h");
				crp = colof(f, nf, "id.resp_p");
				clo = colof(f, nf, "local_orig");
				clr = colof(f, nf, "local_resp");
				if (cu < 0 || co < 0 || cr < 0 || colof(f, nf, "conn_state") < 0)
					die("%s: not a conn log (no uid, id.orig_h, id.resp_h, conn_state in #fields)", in);
				continue;
			}
			if (isnan(lf.ts[i]))
				continue;
			int n = splitline(l, &v);
			if (n == nf) {
				if (lf.ts[i] < ts_min)
					ts_min = lf.ts[i];
				if (lf.ts[i] > ts_max)
					ts_max = lf.ts[i];
				set_add(&uids, v[cu]);
				set_add(&addrs, v[co]);
				set_add(&addrs, v[cr]);
				if (clo >= 0 && (!strcmp(v[clo], "T") || !strcmp(v[clo], "F")))
					has_local = 1;
				if (clo >= 0 && !strcmp(v[clo], "T"))
					set_add(&locals, v[co]);
				if (clr >= 0 && !strcmp(v[clr], "T"))
					set_add(&locals, v[cr]);
			}
			freesplit(v);
		}
		if (!(ts_max >= ts_min))
			die("%s: no conn records", in);
		if (!a.src) {	/* the busiest local host, as originator or responder */
			for (size_t i = 0, ok = 0; i < lf.n; i++) {
				if (!strncmp(lf.line[i], "#fields\t", 8)) {
					freesplit(f);
					nf = splitline(lf.line[i] + 8, &f);
					co = colof(f, nf, "id.orig_h");
					cr = colof(f, nf, "id.resp_h");
					ok = 1;
				}
				if (!ok || isnan(lf.ts[i]))
					continue;
				int n = splitline(lf.line[i], &v);
				if (n == nf) {
					if (is_local(v[co]))
						count(v[co]);
					if (is_local(v[cr]))
						count(v[cr]);
				}
				freesplit(v);
			}
			if (!top())
				die("%s: no local host (give --src)", in);
			a.src = xstrdup(top());
			count_reset();
		}
		if (!a.resolver && !strcmp(a.kind, "dga")) {	/* the source's usual resolver */
			for (size_t i = 0; i < lf.n; i++) {
				if (!strncmp(lf.line[i], "#fields\t", 8)) {
					freesplit(f);
					nf = splitline(lf.line[i] + 8, &f);
					co = colof(f, nf, "id.orig_h");
					cr = colof(f, nf, "id.resp_h");
					crp = colof(f, nf, "id.resp_p");
				}
				if (isnan(lf.ts[i]) || crp < 0)
					continue;
				int n = splitline(lf.line[i], &v);
				if (n == nf && !strcmp(v[crp], "53") && !strcmp(v[co], a.src))
					count(v[cr]);
				freesplit(v);
			}
			a.resolver = top() ? xstrdup(top()) : "8.8.8.8";
			count_reset();
		}
		freesplit(f);
	}
	double span = ts_max - ts_min;
	a.start = isnan(start) ? ts_min + sfrac * span : start;
	a.end = a.start + (isnan(duration) ? 0.3 * span : duration);
	if (isnan(duration) && a.end > ts_max)
		a.end = ts_max;
	if (a.end <= a.start)
		a.end = a.start + 1e-6;	/* one record at least */

	char det[160];
	snprintf(det, sizeof det, "%s%s%s-s%d", a.kind, a.unanswered ? "-unanswered" : "", a.succeed ? "-succeed" : "",
		 a.level);
	detail = det;
	kindname = a.kind;
	gen(&a);

	/* sort, write */
	rec **p = xmalloc(nR * sizeof *p);
	for (size_t i = 0; i < nR; i++)
		p[i] = &R[i];
	qsort(p, nR, sizeof *p, by_ts);
	if (mkdir(outdir, 0777) && errno != EEXIST)
		die("%s: %s", outdir, strerror(errno));
	char path[4096];
	snprintf(path, sizeof path, "%s/labels.tsv", outdir);
	FILE *lab = fopen(path, "w");
	if (!lab)
		die("%s: %s", path, strerror(errno));
	snprintf(path, sizeof path, "%s/conn.log", outdir);
	merge(path, &lf, p, nR, 0, NULL, lab, a.src);
	if (fclose(lab))
		die("labels: %s", strerror(errno));

	static const char *auxname[4] = { NULL, "dns", "http", "ssh" };
	const char *auxhdr[4] = { NULL, HDR_DNS, HDR_HTTP, HDR_SSH };
	for (int x = AUX_DNS; x <= AUX_SSH; x++) {
		size_t m = 0;
		rec **q = xmalloc((nR ? nR : 1) * sizeof *q);
		for (size_t i = 0; i < nR; i++)
			if (p[i]->aux == x)
				q[m++] = p[i];
		if (m || auxin[x]) {
			logfile al = { 0 };
			if (auxin[x])
				readlog(auxin[x], &al);
			snprintf(path, sizeof path, "%s/%s.log", outdir, auxname[x]);
			merge(path, &al, q, m, x, auxhdr[x], NULL, a.src);
		}
		free(q);
	}

	snprintf(path, sizeof path, "%s/inject.info", outdir);
	FILE *info = fopen(path, "w");
	if (!info)
		die("%s: %s", path, strerror(errno));
	fprintf(info, "kind\t%s\nlevel\t%d\nseed\t%llu\nsrc\t%s\ndst\t%s\ndport\t%d\nrecords\t%zu\nstart\t%.6f\nend\t%.6f\n",
		det, a.level, seed, a.src, a.dst, a.dport, nR, nR ? p[0]->ts : a.start,
		nR ? p[nR - 1]->ts : a.start);
	if (fclose(info))
		die("%s: %s", path, strerror(errno));
	fprintf(stderr, "inject: %s: %zu records from %s to %s, %.0f s from %.6f\n", det, nR, a.src, a.dst,
		nR ? p[nR - 1]->ts - p[0]->ts : 0.0, nR ? p[0]->ts : a.start);
	free(p);
	return 0;
}
