/* hosts.h - the source hosts of a training stream, counted in bounded
 * memory, to say when a model's context columns were learned from too few
 * of them.
 *
 * A context column is a host's own rate, bytes, peers and ports lately: a
 * model learns what its training sources' were. Trained on one host, it
 * finds every other host's rates unusual (make eval's ctu-008to010: one
 * day's benign host against another's, 86 % of benign records flagged
 * where the per-record part alone flags 3 %). azw-fit counts the sources;
 * when the context rests on fewer than HOSTS_FEW of them, the model names
 * them (model.h, split_foreign()) and azw-fit says so.
 *
 * Only the first HOSTS_MAX distinct sources are counted by name; more are
 * counted together (a stream with that many sources has no warning). */
#ifndef AZW_HOSTS_H
#define AZW_HOSTS_H

#include <stdio.h>

#define HOSTS_MAX 8
#define HOSTS_NAME 46 /* an IPv6 address's text, and its NUL */
/* A source counts once it has this many records: what split.h's
 * SPLIT_MIN_HISTORY asks before a local source's context is judged. */
#define HOSTS_MIN_RECORDS 20
/* Fewer counted sources than this: the context may not carry over. */
#define HOSTS_FEW 3

typedef struct {
	int used;                       /* sources named */
	char name[HOSTS_MAX][HOSTS_NAME];
	long n[HOSTS_MAX];              /* records of each */
	long other;                     /* records of the sources past HOSTS_MAX */
} hosts_tally;

void hosts_init(hosts_tally *t);
/* One record of source host (its id.orig_h text; "-" or NULL: none). */
void hosts_add(hosts_tally *t, const char *host);
/* How many sources have HOSTS_MIN_RECORDS records or more; -1 when more
 * than HOSTS_MAX sources were seen (too many to name: enough). */
int hosts_counted(const hosts_tally *t);
/* The counted sources' names into names (at most max of them): how many. */
int hosts_names(const hosts_tally *t, char names[][HOSTS_NAME], int max);
/* Write the counted sources, "A (n records), B (n records)", to f. */
void hosts_print(FILE *f, const hosts_tally *t);

#endif
