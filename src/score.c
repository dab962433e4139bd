/* score.c - write score lines. */
#include "score.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* JSON string body: escape quotes, backslashes and control bytes; Zeek's
 * own \xNN escapes in the vector stream pass through as text. */
static void put_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* A JSON number as written, if the text is one (ts, ports); else a string. */
static void put_num_or_str(FILE *f, const char *s)
{
	const char *p = s;

	if (*p == '-')
		p++;
	if (*p >= '0' && *p <= '9' && !(p[0] == '0' && p[1] >= '0' && p[1] <= '9')) {
		while (*p >= '0' && *p <= '9')
			p++;
		if (*p == '.' && p[1] >= '0' && p[1] <= '9')
			for (p++; *p >= '0' && *p <= '9'; p++)
				;
		if (*p == '\0') {
			fputs(s, f);
			return;
		}
	}
	put_str(f, s);
}

void score_write(FILE *f, char *const id[VEC_N_ID], const char *module, double score)
{
	static const int numeric[VEC_N_ID] = { 1, 0, 0, 1, 0, 1, 0 };
	char buf[32];
	int i, first = 1;

	fputc('{', f);
	for (i = 0; i < VEC_N_ID; i++) {
		if (strcmp(id[i], "-") == 0)
			continue;
		fprintf(f, "%s\"%s\":", first ? "" : ",", vec_id_names[i]);
		first = 0;
		if (numeric[i])
			put_num_or_str(f, id[i]);
		else
			put_str(f, id[i]);
	}
	fprintf(f, "%s\"module\":", first ? "" : ",");
	put_str(f, module);
	fmt_double(buf, score);
	/* JSON has no NaN or infinity: such a score is written as null */
	fprintf(f, ",\"score\":%s}\n", (buf[0] == 'n' || buf[0] == 'i' || buf[1] == 'i') ? "null" : buf);
}
