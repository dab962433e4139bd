/* model_write.c - a model as the text of azw-model(5), checked by reading
 * it back (model_parse) and written atomically (util's write_file_atomic). */
#include "model.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put_nums(FILE *f, const char *key, const double *x, int n)
{
	char buf[32];
	int i;

	fputs(key, f);
	for (i = 0; i < n; i++) {
		fmt_double(buf, x[i]);
		fprintf(f, "\t%s", buf);
	}
	fputc('\n', f);
}

static void put_da(FILE *f, const kitnet_da *da)
{
	int i;

	put_nums(f, "norm_min", da->norm_min, da->n_visible);
	put_nums(f, "norm_max", da->norm_max, da->n_visible);
	put_nums(f, "hbias", da->hbias, da->n_hidden);
	put_nums(f, "vbias", da->vbias, da->n_visible);
	for (i = 0; i < da->n_visible; i++)
		put_nums(f, "W", da->W + (size_t)i * da->n_hidden, da->n_hidden);
}

#define CAL_PER_LINE 100

static void put_calib(FILE *f, const model *m, const calib *cal, double threshold)
{
	char a[32], b[32], c[32];
	long i;

	fprintf(f, "calibration\t%ld\theld_out\t%ld\tevery\t%d\tscores_held_out\t%ld\n", cal->n,
	        m->cal_seen, CALIB_EVERY, m->cal_held);
	fmt_double(a, m->fpr);
	fprintf(f, "fpr\t%s\n", a);
	fmt_double(a, threshold);
	fprintf(f, "threshold\t%s\n", cal->n ? a : "-");
	fmt_double(a, cal->ln_mu);
	fmt_double(b, cal->ln_sigma);
	fprintf(f, "lognormal\t%s\t%s\n", a, b);
	fmt_double(a, cal->tail_u);
	fmt_double(b, cal->tail_sigma);
	fmt_double(c, cal->tail_gamma);
	fprintf(f, "tail\t%ld\t%s\t%s\t%s\n", cal->tail_k, a, b, c);
	for (i = 0; i < cal->n; i += CAL_PER_LINE)
		put_nums(f, "cal", cal->scores + i,
		         (int)(cal->n - i < CAL_PER_LINE ? cal->n - i : CAL_PER_LINE));
}

static void put_kitnet(FILE *f, const kitnet *k)
{
	int a, i;

	fprintf(f, "autoencoders\t%d\n", k->n_ae);
	for (a = 0; a < k->n_ae; a++) {
		const kitnet_da *da = &k->ae[a];

		fprintf(f, "ae\t%d\tvisible\t%d\thidden\t%d\ttrained\t%ld\n", a, da->n_visible,
		        da->n_hidden, da->n);
		fputs("ae_features", f);
		for (i = k->ae_off[a]; i < k->ae_off[a + 1]; i++)
			fprintf(f, "\t%d", k->map[i]);
		fputc('\n', f);
		put_da(f, da);
	}
	fprintf(f, "output\tvisible\t%d\thidden\t%d\ttrained\t%ld\n", k->out.n_visible,
	        k->out.n_hidden, k->out.n);
	put_da(f, &k->out);
}

static void put_model(FILE *f, const model *m)
{
	const kitnet *k = m->n_parts ? &m->part[0].k : &m->k;
	char buf[32];
	int i, j;

	fprintf(f, "azw-model\t%d\n", MODEL_VERSION);
	fprintf(f, "# KitNET anomaly model written by azw-fit; format in azw-fit(1).\n"
	           "# Numbers read back exactly; the checksum covers every line above it.\n");
	fprintf(f, "module\t%s\nschema\t%s\nfeatures\t%d\n", m->h.module, m->h.schema,
	        m->h.n_features);
	for (i = 0; i < m->h.n_features; i++)
		fprintf(f, "feature\t%d\t%s\n", i, m->h.names[i]);
	fmt_double(buf, k->p.lr);
	fprintf(f, "max_ae\t%d\nfm_grace\t%ld\nad_grace\t%ld\nlr\t%s\n", k->p.max_ae, k->p.fm_grace,
	        k->p.ad_grace, buf);
	fmt_double(buf, k->p.hidden_ratio);
	fprintf(f, "hidden_ratio\t%s\nseed\t%lu\nnormalisation\t%s\n", buf,
	        (unsigned long)k->p.seed, k->p.norm == KITNET_NORM_LOG ? "log" : "compat");
	fprintf(f, "records\t%ld\nfm_records\t%ld\nad_records\t%ld\nts_first\t%s\nts_last\t%s\n",
	        m->records, m->fm_records, m->ad_records, m->ts_first[0] ? m->ts_first : "-",
	        m->ts_last[0] ? m->ts_last : "-");
	put_calib(f, m, &m->cal, m->threshold);
	if (m->n_parts == 0) {
		put_kitnet(f, &m->k);
		return;
	}
	fprintf(f, "parts\t%d\n", m->n_parts);
	if (m->n_hosts) {
		fprintf(f, "context_hosts\t%d", m->n_hosts);
		for (i = 0; i < m->n_hosts; i++)
			fprintf(f, "\t%s", m->hosts[i]);
		fputc('\n', f);
	}
	for (j = 0; j < m->n_parts; j++) {
		const model_part *pt = &m->part[j];

		fprintf(f, "part\t%s\tfeatures\t%d\n", model_part_names[j], pt->n);
		fputs("part_features", f);
		for (i = 0; i < pt->n; i++)
			fprintf(f, "\t%d", pt->feat[i]);
		fputc('\n', f);
		put_calib(f, m, &pt->cal, pt->threshold);
		put_kitnet(f, &pt->k);
	}
}

/* What is about to be written must pass model_read()'s own checks: a model
 * azw-score would refuse (a threshold of NaN from vectors of +-1e308) must
 * not replace one it reads. */
static int check_written(const char *path, const char *text, size_t len)
{
	char *copy = emalloc(len + 1);
	model back;
	int rc;

	memcpy(copy, text, len);
	copy[len] = '\0';
	rc = model_parse(&back, path, copy, len);
	if (rc == 0)
		model_free(&back);
	else
		weprintf("%s: not written: the model learned is not one azw-score could read "
		         "(features too large or not finite in the input?); "
		         "the file there is left as it was",
		         path);
	free(copy);
	return rc;
}

int model_write(const model *m, const char *path)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem;
	int rc;

	mem = open_memstream(&text, &len);
	if (!mem) {
		weprintf("%s: cannot build model text:", path);
		return -1;
	}
	put_model(mem, m);
	if (fflush(mem) != 0) {
		weprintf("%s: cannot build model text:", path);
		fclose(mem);
		free(text);
		return -1;
	}
	fprintf(mem, "checksum\tcrc32\t%08lx\n", model_crc32(0, text, len));
	fclose(mem);
	if (check_written(path, text, len) < 0) {
		free(text);
		return -1;
	}

	rc = write_file_atomic(path, text, len, "model", 1);
	free(text);
	return rc;
}
