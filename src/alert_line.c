/* alert_line.c - an incident's line (alert.h, azw-alert(1)): built in
 * the run's buffer, written with one fwrite. */
#include "alert_private.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- incident lines -------------------------------------------------- */

static void put(alert_run *a, size_t *at, const char *s, size_t n)
{
	if (*at + n > a->cap) {
		a->cap = 2 * (*at + n);
		a->buf = erealloc(a->buf, a->cap);
	}
	memcpy(a->buf + *at, s, n);
	*at += n;
}

static void puts_(alert_run *a, size_t *at, const char *s)
{
	put(a, at, s, strlen(s));
}

/* "text" (text already JSON-escaped, as it was read) */
static void put_q(alert_run *a, size_t *at, const char *s, size_t n)
{
	put(a, at, "\"", 1);
	put(a, at, s, n);
	put(a, at, "\"", 1);
}

static void put_num(alert_run *a, size_t *at, double d, int prec)
{
	char b[32];
	int n;

	if (!isfinite(d)) {
		puts_(a, at, "null");
		return;
	}
	n = prec ? fmt_double_g(b, d, prec) : fmt_double(b, d);
	put(a, at, b, (size_t)n);
}

static void put_long(alert_run *a, size_t *at, long v)
{
	char b[24];
	int n = snprintf(b, sizeof b, "%ld", v);

	put(a, at, b, (size_t)n);
}

/* One piece: the incident line's fields in azw-alert(1)'s order, each a
 * few puts; split, the pieces would only pass the buffer and its end. */
void alert_write_line(alert_run *a, span *sp, const char *state)
{
	table *t = sp->t;
	entity *e = ENT(t, sp->ent);
	size_t at = 0;
	char id[20];
	int i, j, first, order[N_FEAT];

	puts_(a, &at, "{\"ts\":");
	put_num(a, &at, sp->first, 0);
	puts_(a, &at, ",\"ts_end\":");
	put_num(a, &at, sp->last_unusual, 0);
	puts_(a, &at, t->kind == HOST ? ",\"entity\":\"host\",\"id.orig_h\":" : ",\"entity\":\"pair\",\"id.orig_h\":");
	put_q(a, &at, (const char *)e->key + 1, e->key[0]);
	if (t->kind == PAIR) {
		const unsigned char *r = e->key + 1 + e->key[0];

		puts_(a, &at, ",\"id.resp_h\":");
		put_q(a, &at, (const char *)r + 1, r[0]);
	} else {
		/* the dominant responder: one that holds most unusual records
		 * (the vote's count is a lower bound of its share) */
		for (i = 0; i < N_RESP; i++)
			if (sp->resp[i].count > 0 && 2 * sp->resp[i].count > sp->unusual) {
				puts_(a, &at, ",\"id.resp_h\":");
				put_q(a, &at, (const char *)sp->resp[i].text + 1, sp->resp[i].text[0]);
				break;
			}
	}
	puts_(a, &at, ",\"records\":");
	put_long(a, &at, sp->records_at_unusual);
	puts_(a, &at, ",\"unusual\":");
	put_long(a, &at, sp->unusual);
	puts_(a, &at, ",\"anomalies\":");
	put_long(a, &at, sp->anomalies);
	puts_(a, &at, ",\"notices\":");
	put_long(a, &at, sp->notices);
	puts_(a, &at, ",\"modules\":[");
	for (i = 0, first = 1; i < 32 && i < a->modules.n; i++)
		if (sp->modules & (1u << i)) {
			if (!first)
				put(a, &at, ",", 1);
			put_q(a, &at, a->modules.text[i], a->modules.len[i]);
			first = 0;
		}
	puts_(a, &at, "],\"top\":[");
	for (i = 0; i < sp->n_top; i++) {
		puts_(a, &at, i ? ",{" : "{");
		first = 1;
		if (sp->top[i].uid[0]) {
			puts_(a, &at, "\"uid\":");
			put_q(a, &at, sp->top[i].uid, strlen(sp->top[i].uid));
			first = 0;
		}
		if (!isnan(sp->top[i].score)) {
			puts_(a, &at, first ? "\"score\":" : ",\"score\":");
			put_num(a, &at, sp->top[i].score, 0);
			first = 0;
		}
		puts_(a, &at, first ? "\"pvalue\":" : ",\"pvalue\":");
		put_num(a, &at, sp->top[i].pvalue, 0);
		if (sp->top[i].module >= 0) {
			puts_(a, &at, ",\"module\":");
			put_q(a, &at, a->modules.text[sp->top[i].module], a->modules.len[sp->top[i].module]);
		}
		put(a, &at, "}", 1);
	}
	puts_(a, &at, "],\"features\":[");
	/* the 3 most counted, most first (ties: first named first) */
	for (i = 0; i < sp->n_feat; i++) {
		for (j = i; j > 0 && sp->feat[order[j - 1]].count < sp->feat[i].count; j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	for (i = 0; i < sp->n_feat && i < 3; i++) {
		puts_(a, &at, i ? ",{\"feature\":" : "{\"feature\":");
		put_q(a, &at, a->features.text[sp->feat[order[i]].name],
		      a->features.len[sp->feat[order[i]].name]);
		puts_(a, &at, ",\"count\":");
		put_long(a, &at, sp->feat[order[i]].count);
		put(a, &at, "}", 1);
	}
	puts_(a, &at, "],\"significance\":");
	put_num(a, &at, strcmp(state, "open") == 0 ? sp->sig : sp->sig_max, 4);
	puts_(a, &at, ",\"state\":\"");
	puts_(a, &at, state);
	snprintf(id, sizeof id, "%016llx", (unsigned long long)sp->id);
	puts_(a, &at, "\",\"id\":\"");
	puts_(a, &at, id);
	puts_(a, &at, "\"}\n");
	fwrite(a->buf, 1, at, a->out);
}
