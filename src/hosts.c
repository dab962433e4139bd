/* hosts.c - the source hosts of a training stream (hosts.h). */
#include "hosts.h"

#include <string.h>

void hosts_init(hosts_tally *t)
{
	memset(t, 0, sizeof *t);
}

void hosts_add(hosts_tally *t, const char *host)
{
	int i;

	if (!host || strcmp(host, "-") == 0)
		return;
	for (i = 0; i < t->used; i++)
		if (strcmp(t->name[i], host) == 0) {
			t->n[i]++;
			return;
		}
	if (t->used == HOSTS_MAX || strlen(host) >= HOSTS_NAME) {
		t->other++;
		return;
	}
	strcpy(t->name[t->used], host);
	t->n[t->used++] = 1;
}

int hosts_counted(const hosts_tally *t)
{
	int i, k = 0;

	if (t->other)
		return -1;
	for (i = 0; i < t->used; i++)
		k += t->n[i] >= HOSTS_MIN_RECORDS;
	return k;
}

int hosts_names(const hosts_tally *t, char names[][HOSTS_NAME], int max)
{
	int i, k = 0;

	for (i = 0; i < t->used && k < max; i++)
		if (t->n[i] >= HOSTS_MIN_RECORDS)
			memcpy(names[k++], t->name[i], HOSTS_NAME);
	return k;
}

void hosts_print(FILE *f, const hosts_tally *t)
{
	const char *sep = "";
	int i;

	for (i = 0; i < t->used; i++)
		if (t->n[i] >= HOSTS_MIN_RECORDS) {
			fprintf(f, "%s%s (%ld records)", sep, t->name[i], t->n[i]);
			sep = ", ";
		}
}
