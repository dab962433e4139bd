/* model_parse.c - a model's text read back with every check: the file's
 * magic, version and checksum, then each section in azw-model(5)'s order
 * (header, parameters, history, calibration, one KitNET or the parts),
 * each number parsed and bounded, each autoencoder's shape checked
 * against the feature map. */
#include "model.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	const char *path;
	char *p, *end; /* unread text */
	long lineno;
	char *f[4096 + 2]; /* fields of the current line: a key and up to 4096
	                      numbers (an autoencoder's widest row) */
	int nf;
	const char *why;
	int version; /* of the file: 1 has no tail line */
} mreader;

/* Split the next line into tab-separated fields. 0, or -1 at end. */
static int next_line(mreader *r)
{
	char *nl, *s;

	do {
		if (r->p >= r->end)
			return -1;
		nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
		if (!nl)
			nl = r->end;
		*nl = '\0';
		s = r->p;
		r->p = nl + 1;
		r->lineno++;
	} while (s[0] == '#');
	r->nf = 0;
	for (;;) {
		if (r->nf == (int)(sizeof r->f / sizeof r->f[0])) {
			r->why = "too many fields on a line";
			return -1;
		}
		r->f[r->nf++] = s;
		s = strchr(s, '\t');
		if (!s)
			break;
		*s++ = '\0';
	}
	return 0;
}

static int bad(mreader *r, const char *why)
{
	if (!r->why)
		r->why = why;
	return -1;
}

/* Next line must be "key" with n more fields. */
static int expect(mreader *r, const char *key, int n)
{
	if (next_line(r) < 0)
		return bad(r, "file ends early");
	if (strcmp(r->f[0], key) != 0) {
		static char msg[128];
		snprintf(msg, sizeof msg, "expected '%.40s', found '%.40s'", key, r->f[0]);
		return bad(r, msg);
	}
	if (n >= 0 && r->nf != n + 1)
		return bad(r, "wrong number of values");
	return 0;
}

/* A decimal integer as azw-fit writes them: an optional '-' and digits,
 * nothing else (no sign '+', no spaces, no hexadecimal), within [lo, hi].
 * By hand, not strtol(): that accepts more, and GCC 12 at -O3 has been
 * seen to drop the errno = 0 before it here. */
static int get_long(mreader *r, const char *s, long lo, long hi, long *out)
{
	unsigned long v = 0, lim;
	long val;
	int neg = *s == '-';
	const char *p = s + neg;

	lim = neg ? (unsigned long)LONG_MAX + 1 : (unsigned long)LONG_MAX;
	if (*p < '0' || *p > '9')
		return bad(r, "integer out of range or malformed");
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (lim - (unsigned long)(*p - '0')) / 10)
			return bad(r, "integer out of range or malformed");
		v = v * 10 + (unsigned long)(*p - '0');
	}
	if (*p)
		return bad(r, "integer out of range or malformed");
	val = !neg ? (long)v : v > (unsigned long)LONG_MAX ? LONG_MIN : -(long)v;
	if (val < lo || val > hi)
		return bad(r, "integer out of range or malformed");
	*out = val;
	return 0;
}

static int get_double(mreader *r, const char *s, double *out)
{
	if (parse_double(s, out) < 0)
		return bad(r, "malformed number");
	return 0;
}

static int key_long(mreader *r, const char *key, long lo, long hi, long *out)
{
	if (expect(r, key, 1) < 0)
		return -1;
	return get_long(r, r->f[1], lo, hi, out);
}

static int key_nums(mreader *r, const char *key, double *x, int n, int finite)
{
	int i;

	if (expect(r, key, n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (get_double(r, r->f[i + 1], &x[i]) < 0)
			return -1;
		if (finite && !isfinite(x[i]))
			return bad(r, "weight is not a finite number");
	}
	return 0;
}

/* A calibration block into c; the shared facts (held out, fpr) into m,
 * and the threshold into *threshold. */
static int get_calib(mreader *r, model *m, calib *c, double *threshold)
{
	long n, seen, every, i, got;
	double *s;

	/* version 1: the scores are all of held-out records */
	if (expect(r, "calibration", r->version >= 2 ? 7 : 5) < 0 ||
	    get_long(r, r->f[1], 0, CALIB_MAX, &n) < 0 || strcmp(r->f[2], "held_out") ||
	    get_long(r, r->f[3], 0, LONG_MAX, &seen) < 0 || strcmp(r->f[4], "every") ||
	    get_long(r, r->f[5], 1, INT_MAX, &every) < 0 ||
	    (r->version >= 2 &&
	     (strcmp(r->f[6], "scores_held_out") || get_long(r, r->f[7], 0, n, &m->cal_held) < 0)))
		return bad(r, "malformed calibration line");
	if (r->version < 2)
		m->cal_held = n;
	if (m->cal_held > seen)
		return bad(r, "more held-out scores than records held out");
	m->cal_seen = seen;
	if (expect(r, "fpr", 1) < 0 || get_double(r, r->f[1], &m->fpr) < 0)
		return -1;
	if (!(m->fpr > 0 && m->fpr < 1))
		return bad(r, "fpr is not in (0, 1)");
	if (expect(r, "threshold", 1) < 0)
		return -1;
	if (strcmp(r->f[1], "-") == 0)
		*threshold = NAN;
	else if (get_double(r, r->f[1], threshold) < 0)
		return -1;
	if (expect(r, "lognormal", 2) < 0 || get_double(r, r->f[1], &c->ln_mu) < 0 ||
	    get_double(r, r->f[2], &c->ln_sigma) < 0)
		return -1;
	if (r->version >= 2) {
		if (expect(r, "tail", 4) < 0 || get_long(r, r->f[1], 0, n, &c->tail_k) < 0 ||
		    get_double(r, r->f[2], &c->tail_u) < 0 ||
		    get_double(r, r->f[3], &c->tail_sigma) < 0 ||
		    get_double(r, r->f[4], &c->tail_gamma) < 0)
			return -1;
		if (!isfinite(c->tail_u) || !(c->tail_sigma >= 0) ||
		    !(c->tail_gamma >= CALIB_GAMMA_MIN && c->tail_gamma <= CALIB_GAMMA_MAX))
			return bad(r, "tail parameters out of range");
	}
	s = emalloc((size_t)(n ? n : 1) * sizeof *s);
	for (got = 0; got < n; got += i) {
		if (expect(r, "cal", -1) < 0) {
			free(s);
			return -1;
		}
		for (i = 0; i + 1 < r->nf && got + i < n; i++) {
			if (get_double(r, r->f[i + 1], &s[got + i]) < 0 || !isfinite(s[got + i])) {
				free(s);
				return bad(r, "calibration score is not a finite number");
			}
		}
		if (i == 0 || i + 1 != r->nf) {
			free(s);
			return bad(r, "wrong number of calibration scores");
		}
	}
	for (i = 1; i < n; i++)
		if (s[i] < s[i - 1]) {
			free(s);
			return bad(r, "calibration scores are not sorted");
		}
	c->n = n;
	c->scores = s;
	if (r->version < 2)
		calib_fit_tail(c); /* an older file: the tail from its scores */
	calib_index(c);
	return 0;
}

/* "ae <a> visible <n> hidden <h> trained <t>" or "output visible..." */
static int da_head(mreader *r, const char *key, int a, int *nv, int *nh, long *trained)
{
	int o = strcmp(key, "ae") == 0;
	long v;

	if (expect(r, key, o + 6) < 0)
		return -1;
	if (o && (get_long(r, r->f[1], a, a, &v) < 0))
		return -1;
	if (strcmp(r->f[o + 1], "visible") || strcmp(r->f[o + 3], "hidden") ||
	    strcmp(r->f[o + 5], "trained"))
		return bad(r, "malformed autoencoder line");
	if (get_long(r, r->f[o + 2], 1, 4096, &v) < 0)
		return -1;
	*nv = (int)v;
	if (get_long(r, r->f[o + 4], 1, 4096, &v) < 0)
		return -1;
	*nh = (int)v;
	return get_long(r, r->f[o + 6], 0, LONG_MAX, trained);
}

/* Copy what the file holds of one autoencoder into kitnet's. */
static int da_copy(kitnet_da *to, const kitnet_da *from)
{
	size_t nv = (size_t)from->n_visible, nh = (size_t)from->n_hidden;

	if (to->n_visible != from->n_visible || to->n_hidden != from->n_hidden)
		return -1;
	memcpy(to->W, from->W, nv * nh * sizeof *to->W);
	memcpy(to->hbias, from->hbias, nh * sizeof *to->hbias);
	memcpy(to->vbias, from->vbias, nv * sizeof *to->vbias);
	memcpy(to->norm_min, from->norm_min, nv * sizeof *to->norm_min);
	memcpy(to->norm_max, from->norm_max, nv * sizeof *to->norm_max);
	to->n = from->n;
	return 0;
}

static int da_body(mreader *r, kitnet_da *da)
{
	int i;

	if (key_nums(r, "norm_min", da->norm_min, da->n_visible, 0) < 0 ||
	    key_nums(r, "norm_max", da->norm_max, da->n_visible, 0) < 0 ||
	    key_nums(r, "hbias", da->hbias, da->n_hidden, 1) < 0 ||
	    key_nums(r, "vbias", da->vbias, da->n_visible, 1) < 0)
		return -1;
	for (i = 0; i < da->n_visible; i++)
		if (key_nums(r, "W", da->W + (size_t)i * da->n_hidden, da->n_hidden, 1) < 0)
			return -1;
	return 0;
}

/* The autoencoders and the output autoencoder of a KitNET of nf features,
 * into k (initialised here with parameters p). */
static int get_kitnet(mreader *r, kitnet *k, long nf, const kitnet_params *p)
{
	long v, n_ae, trained;
	int *map = NULL, *off = NULL;
	kitnet_da *tmp = NULL;
	char *seen = NULL;
	int a, i, nv, nh, n_tmp = 0, rc = -1;

	if (kitnet_init(k, (int)nf, p) < 0)
		return bad(r, "invalid KitNET parameters");
	if (key_long(r, "autoencoders", 1, nf, &n_ae) < 0)
		return -1;

	/* Read each autoencoder into its own kitnet_da, then hand the map to
	 * kitnet (which sizes its autoencoders from it) and copy the weights. */
	map = emalloc((size_t)nf * sizeof *map);
	off = emalloc(((size_t)n_ae + 1) * sizeof *off);
	tmp = ecalloc((size_t)n_ae, sizeof *tmp);
	seen = ecalloc((size_t)nf, 1);
	off[0] = 0;
	for (a = 0; a < n_ae; a++) {
		if (da_head(r, "ae", a, &nv, &nh, &trained) < 0 || expect(r, "ae_features", nv) < 0)
			goto out;
		if (off[a] + nv > nf) {
			bad(r, "autoencoders hold more features than the model has");
			goto out;
		}
		for (i = 0; i < nv; i++) {
			if (get_long(r, r->f[i + 1], 0, nf - 1, &v) < 0)
				goto out;
			if (seen[v]++) {
				bad(r, "a feature is in two autoencoders");
				goto out;
			}
			map[off[a] + i] = (int)v;
		}
		off[a + 1] = off[a] + nv;
		if (kitnet_da_init(&tmp[a], nv, nh, p->seed) < 0) {
			bad(r, "out of memory");
			goto out;
		}
		n_tmp = a + 1;
		tmp[a].n = trained;
		if (da_body(r, &tmp[a]) < 0)
			goto out;
	}
	if (off[n_ae] != nf) {
		bad(r, "some features are in no autoencoder");
		goto out;
	}
	if (kitnet_set_map(k, (int)n_ae, map, off) < 0) {
		bad(r, "cannot build the autoencoders");
		goto out;
	}
	for (a = 0; a < n_ae; a++) {
		if (da_copy(&k->ae[a], &tmp[a]) < 0) {
			bad(r, "autoencoder shape does not match hidden_ratio");
			goto out;
		}
	}
	if (da_head(r, "output", 0, &nv, &nh, &trained) < 0)
		goto out;
	if (nv != k->out.n_visible || nh != k->out.n_hidden) {
		bad(r, "output autoencoder shape does not match the parameters");
		goto out;
	}
	k->out.n = trained;
	if (da_body(r, &k->out) < 0)
		goto out;
	rc = 0;
out:
	for (a = 0; a < n_tmp; a++)
		kitnet_da_free(&tmp[a]);
	free(tmp);
	free(seen);
	free(map);
	free(off);
	return rc;
}

/* Is the next line (comments skipped) "key..."? Reads nothing. */
static int peek(const mreader *r, const char *key)
{
	const char *q = r->p;
	size_t n = strlen(key);

	while (q < r->end && *q == '#') {
		q = memchr(q, '\n', (size_t)(r->end - q));
		if (!q)
			return 0;
		q++;
	}
	return (size_t)(r->end - q) > n && strncmp(q, key, n) == 0 && q[n] == '\t';
}

static int end_of_model(mreader *r)
{
	if (next_line(r) < 0 || strcmp(r->f[0], "checksum") != 0)
		return bad(r, "expected 'checksum' after the output autoencoder");
	return 0;
}

/* The model's first lines: version, module, schema, features and their
 * names (into m->h); *nf the number of features. */
static int get_header(mreader *r, model *m, long *nf)
{
	long v;
	int i;

	if (next_line(r) < 0 || strcmp(r->f[0], "azw-model") != 0 || r->nf != 2)
		return bad(r, "not an azw model file");
	if (strcmp(r->f[1], "1") != 0 && strcmp(r->f[1], "2") != 0)
		return bad(r, "unsupported model version (this azw reads versions 1 and 2)");
	r->version = r->f[1][0] - '0';
	if (expect(r, "module", 1) < 0)
		return -1;
	m->h.module = estrdup(r->f[1]);
	if (expect(r, "schema", 1) < 0)
		return -1;
	m->h.schema = estrdup(r->f[1]);
	if (key_long(r, "features", 1, VEC_MAX_FEATURES, nf) < 0)
		return -1;
	m->h.names = ecalloc((size_t)*nf, sizeof *m->h.names);
	for (i = 0; i < *nf; i++) {
		if (expect(r, "feature", 2) < 0 || get_long(r, r->f[1], i, i, &v) < 0)
			return -1;
		m->h.names[i] = estrdup(r->f[2]);
		m->h.n_features = i + 1;
	}
	return 0;
}

/* KitNET's parameters, max_ae to normalisation, into *p. */
static int get_params(mreader *r, kitnet_params *p)
{
	long v;

	if (key_long(r, "max_ae", 1, INT_MAX, &v) < 0)
		return -1;
	p->max_ae = (int)v;
	if (key_long(r, "fm_grace", 0, LONG_MAX, &p->fm_grace) < 0 ||
	    key_long(r, "ad_grace", -1, LONG_MAX, &p->ad_grace) < 0)
		return -1;
	if (expect(r, "lr", 1) < 0 || get_double(r, r->f[1], &p->lr) < 0)
		return -1;
	if (expect(r, "hidden_ratio", 1) < 0 || get_double(r, r->f[1], &p->hidden_ratio) < 0)
		return -1;
	if (key_long(r, "seed", 0, 0xffffffffL, &v) < 0)
		return -1;
	p->seed = (uint32_t)v;
	if (expect(r, "normalisation", 1) < 0)
		return -1;
	if (strcmp(r->f[1], "log") == 0)
		p->norm = KITNET_NORM_LOG;
	else if (strcmp(r->f[1], "compat") == 0)
		p->norm = KITNET_NORM_COMPAT;
	else
		return bad(r, "normalisation is neither log nor compat");
	return 0;
}

/* What the model was trained on: records, fm_records, ad_records,
 * ts_first, ts_last. */
static int get_history(mreader *r, model *m)
{
	if (key_long(r, "records", 0, LONG_MAX, &m->records) < 0 ||
	    key_long(r, "fm_records", 0, LONG_MAX, &m->fm_records) < 0 ||
	    key_long(r, "ad_records", 0, LONG_MAX, &m->ad_records) < 0)
		return -1;
	if (expect(r, "ts_first", 1) < 0)
		return -1;
	snprintf(m->ts_first, sizeof m->ts_first, "%s", r->f[1]);
	if (expect(r, "ts_last", 1) < 0)
		return -1;
	snprintf(m->ts_last, sizeof m->ts_last, "%s", r->f[1]);
	return 0;
}

/* A model of parts (version 2): the parts line, then each part's
 * features, calibration and KitNET; every feature in exactly one part. */
static int get_parts(mreader *r, model *m, long nf, const kitnet_params *p)
{
	char *seen;
	long v;
	int a, i, rc = -1;

	if (r->version < 2 || key_long(r, "parts", MODEL_MAX_PARTS, MODEL_MAX_PARTS, &v) < 0)
		return bad(r, "malformed parts line");
	m->n_parts = (int)v;
	if (peek(r, "context_hosts")) {
		if (expect(r, "context_hosts", -1) < 0 || r->nf < 2 ||
		    get_long(r, r->f[1], 1, HOSTS_MAX, &v) < 0)
			return r->why ? -1 : bad(r, "malformed context_hosts line");
		if (r->nf != v + 2)
			return bad(r, "wrong number of context hosts");
		for (i = 0; i < v; i++) {
			size_t len = strlen(r->f[i + 2]);

			if (len == 0 || len >= HOSTS_NAME)
				return bad(r, "a context host's name is empty or too long");
			memcpy(m->hosts[i], r->f[i + 2], len + 1);
		}
		m->n_hosts = (int)v;
	}
	seen = ecalloc((size_t)nf, 1);
	for (a = 0; a < m->n_parts; a++) {
		model_part *pt = &m->part[a];
		double thr;
		long n;

		if (expect(r, "part", 3) < 0 || strcmp(r->f[1], model_part_names[a]) ||
		    strcmp(r->f[2], "features") || get_long(r, r->f[3], 1, nf, &n) < 0) {
			bad(r, "malformed part line");
			goto out;
		}
		pt->n = (int)n;
		pt->feat = emalloc((size_t)n * sizeof *pt->feat);
		if (expect(r, "part_features", (int)n) < 0)
			goto out;
		for (i = 0; i < n; i++) {
			if (get_long(r, r->f[i + 1], 0, nf - 1, &v) < 0)
				goto out;
			if (seen[v]++) {
				bad(r, "a feature is in two parts");
				goto out;
			}
			pt->feat[i] = (int)v;
		}
		if (get_calib(r, m, &pt->cal, &thr) < 0)
			goto out;
		pt->threshold = thr;
		if (get_kitnet(r, &pt->k, n, p) < 0)
			goto out;
	}
	for (i = 0; i < nf; i++)
		if (!seen[i]) {
			bad(r, "a feature is in no part");
			goto out;
		}
	rc = 0;
out:
	free(seen);
	return rc;
}

/* The model, in azw-model(5)'s order: header, parameters, history,
 * calibration, then one KitNET or the parts, then the checksum line. */
static int parse_model(mreader *r, model *m)
{
	kitnet_params p;
	long nf;

	if (get_header(r, m, &nf) < 0 || get_params(r, &p) < 0 || get_history(r, m) < 0 ||
	    get_calib(r, m, &m->cal, &m->threshold) < 0)
		return -1;
	if (!peek(r, "parts"))
		return get_kitnet(r, &m->k, nf, &p) < 0 ? -1 : end_of_model(r);
	return get_parts(r, m, nf, &p) < 0 ? -1 : end_of_model(r);
}

/* The checks of model_read() on a model's text (model.h). The file-level
 * checks first: a newer azw's model says so before it is called damaged. */
int model_parse(model *m, const char *path, char *text, size_t len)
{
	mreader r;
	char *last, want[32];
	int rc = -1;

	memset(m, 0, sizeof *m);
	/* Say "wrong version" before "damaged": a newer azw's model is not damaged. */
	if (strncmp(text, "azw-model\t", 10) != 0) {
		weprintf("%s: not an azw model file", path);
		goto done;
	}
	if (strncmp(text + 10, "1\n", 2) != 0 && strncmp(text + 10, "2\n", 2) != 0) {
		weprintf("%s: unsupported model version %.*s (this azw reads versions 1 to %d)",
		         path, (int)strcspn(text + 10, "\n\t"), text + 10, MODEL_VERSION);
		goto done;
	}
	/* The last line must be the checksum of everything before it. */
	if (len < 2 || text[len - 1] != '\n' || memchr(text, '\0', len)) {
		weprintf("%s: damaged model (truncated or not text): refit it with azw-fit", path);
		goto done;
	}
	for (last = text + len - 2; last > text && last[-1] != '\n'; last--)
		;
	snprintf(want, sizeof want, "checksum\tcrc32\t%08lx\n",
	         model_crc32(0, text, (size_t)(last - text)));
	if (strncmp(last, "checksum\t", 9) != 0) {
		weprintf("%s: damaged model: no checksum line at the end (truncated?)", path);
		goto done;
	}
	if (strcmp(last, want) != 0) {
		weprintf("%s: damaged model: checksum mismatch (the file was truncated or edited)",
		         path);
		goto done;
	}
	memset(&r, 0, sizeof r);
	r.path = path;
	r.p = text;
	r.end = text + len;
	if (parse_model(&r, m) < 0) {
		weprintf("%s:%ld: invalid model: %s", path, r.lineno, r.why ? r.why : "malformed");
		model_free(m);
		goto done;
	}
	rc = 0;
done:
	return rc;
}
