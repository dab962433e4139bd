/* tap.h - the unit tests' Test Anything Protocol, one copy for all of them:
 * "ok N - what" or "not ok N - what" per check, a "1..N" plan (before the
 * first check or after the last), exit status 1 if any check failed.
 * tests/run counts the lines and checks the plan. */
#ifndef AZW_TAP_H
#define AZW_TAP_H

#include <stdarg.h>
#include <stdio.h>

static int tap_run, tap_failed; /* checks so far, and failed ones */

/* One check, described printf-style; returns cond. Flushed at once, so
 * that a crash after it leaves the lines before it. */
static inline int okf(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline int okf(int cond, const char *fmt, ...)
{
	va_list ap;

	tap_run++;
	if (!cond)
		tap_failed++;
	printf("%sok %d - ", cond ? "" : "not ", tap_run);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	return cond;
}

/* One check described by a fixed text. */
static inline int ok(int cond, const char *what)
{
	return okf(cond, "%s", what);
}

/* ... and the numbers it compared. */
static inline int ok_num(int cond, const char *what, double got, double want)
{
	return okf(cond, "%s (got %.10g, want %.10g)", what, got, want);
}

/* The plan: n checks. */
static inline void tap_plan(int n)
{
	printf("1..%d\n", n);
}

/* main()'s exit status: 1 if any check failed. */
static inline int tap_status(void)
{
	return tap_failed != 0;
}

#endif
