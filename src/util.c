/* util.c - error helper, allocation, exact number text. */
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const char *argv0 = "azw";

static void vwarn(const char *fmt, va_list ap)
{
	int saved = errno;
	size_t n = strlen(fmt);

	fprintf(stderr, "%s: ", argv0);
	vfprintf(stderr, fmt, ap);
	if (n > 0 && fmt[n - 1] == ':')
		fprintf(stderr, " %s", strerror(saved));
	fputc('\n', stderr);
}

void weprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
}

void eprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	exit(2);
}

void *emalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		eprintf("out of memory:");
	return p;
}

void *ecalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		eprintf("out of memory:");
	return p;
}

void *erealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		eprintf("out of memory:");
	return p;
}

char *estrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		eprintf("out of memory:");
	return p;
}

int fmt_double(char *buf, double d)
{
	int prec;

	if (isnan(d))
		return (int)(strcpy(buf, "nan"), 3);
	if (isinf(d))
		return d > 0 ? (int)(strcpy(buf, "inf"), 3) : (int)(strcpy(buf, "-inf"), 4);
	/* Most features are small integers: print them without stdio. */
	if (fabs(d) < 1e15 && d == (double)(long long)d && !(d == 0 && signbit(d))) {
		char tmp[24];
		long long v = (long long)d;
		unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
		int n = 0, len = 0;

		do
			tmp[n++] = (char)('0' + u % 10);
		while ((u /= 10) > 0);
		if (v < 0)
			buf[len++] = '-';
		while (n > 0)
			buf[len++] = tmp[--n];
		buf[len] = '\0';
		return len;
	}
	/* Shortest of %.15g..%.17g that reads back to the same bits. */
	for (prec = 15; prec < 17; prec++) {
		int len = snprintf(buf, 32, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			return len;
	}
	return snprintf(buf, 32, "%.17g", d);
}

int parse_double(const char *s, double *out)
{
	char *end;

	if (*s == '\0')
		return -1;
	errno = 0;
	*out = strtod(s, &end);
	if (*end != '\0')
		return -1;
	return 0;
}

int fshut_stdout(void)
{
	int bad = ferror(stdout);

	if (fclose(stdout) == EOF || bad) {
		weprintf("write error on standard output:");
		return -1;
	}
	return 0;
}
