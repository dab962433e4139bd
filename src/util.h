/* util.h - the few things every azw program shares: one error helper,
 * checked allocation, exact number formatting. */
#ifndef AZW_UTIL_H
#define AZW_UTIL_H

#include <stdio.h>
#include <stddef.h>

extern const char *argv0; /* program name for messages, set by main() */

/* Print "argv0: message" on stderr; if fmt ends with ':', append the errno
 * text. weprintf returns, eprintf exits with status 2 (usage/system error). */
void weprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void eprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

void *emalloc(size_t n);
void *ecalloc(size_t n, size_t size);
void *erealloc(void *p, size_t n);
/* A byte buffer p of *cap bytes grown to hold at least need (doubling, so
 * that appending costs amortised constant time); the buffer, *cap updated. */
static inline void *egrow(void *p, size_t *cap, size_t need)
{
	if (need > *cap) {
		*cap = need > 2 * *cap ? need : 2 * *cap;
		p = erealloc(p, *cap);
	}
	return p;
}
char *estrdup(const char *s);

/* Write the shortest decimal text that reads back (strtod) as exactly d;
 * integers print without exponent or point, NaN as "nan", infinities as
 * "inf"/"-inf". buf holds at least 32 bytes. Returns the length. */
int fmt_double(char *buf, double d);
/* The same text the slow way (snprintf %.15g..%.17g + strtod), for tests. */
int fmt_double_libc(char *buf, double d);

/* snprintf(buf, 32, "%.*g", prec, d), byte for byte, faster (prec 1..17). */
int fmt_double_g(char *buf, double d, int prec);

/* x rounded to 6 decimals (the double nearest to that decimal; round()'s
 * half away from zero; -0 becomes 0): plenty for a feature on a log scale
 * (a relative 1e-6 of the count), and it prints as a short text in one
 * try, where a full double takes 17 digits and three. */
double round6(double x);
/* log1p(x), the same bits; the integers 0..1023 that most counts are
 * (packets, small payloads) from a table of log1p()'s own values. */
double log1p_count(double x);

/* strtod(s, end), exactly (same value, same end), faster for the plain
 * decimals the vector stream is made of. */
double strtod_fast(const char *s, char **end);
/* strtod_fast(), and *plain = 1 when what it took, s up to *end, is a
 * plain decimal (decimal_len() below), without scanning it twice. */
double strtod_decimal(const char *s, char **end, int *plain);

/* Parse a whole string as a double: 0 on success, -1 if s is not entirely
 * a number. Accepts what strtod accepts (nan, inf included). */
int parse_double(const char *s, double *out);

/* The length of the plain decimal number at the start of s, as JSON and
 * the vector stream write them: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?;
 * 0 if s does not start with one. What strtod also takes (leading blanks,
 * a +, hexadecimal, leading zeros, nan, inf) is not one. */
size_t decimal_len(const char *s);
/* parse_double() of a whole plain decimal (decimal_len) only: for options. */
int parse_decimal(const char *s, double *out);

/* An option's integer argument in [lo, hi] (digits, a leading - at most:
 * no blanks, +, or hexadecimal), or exit 2 with a message that names the
 * option and the range. */
long earg_long(const char *opt, const char *s, long lo, long hi);
/* An option's number in [lo, hi] ((lo, hi] with lo_open), a plain decimal
 * (parse_decimal), or exit 2 with a message that names the option and the
 * range. */
double earg_double(const char *opt, const char *s, double lo, double hi, int lo_open);
/* After a usage error said in one line: a second line, where the rest is
 * (--help). Returns 2, the exit status. */
int usage_hint(void);

/* Close stdout and report a write error (full disk, closed pipe is not one:
 * SIGPIPE stays at its default). Returns 0 or -1 after a message. */
int fshut_stdout(void);

/* Streaming output is checked as it goes, not only at exit: after each
 * record written and each flush, out_check() ends the program at the first
 * write error (a full disk; a reader gone while SIGPIPE is ignored, as
 * under systemd) with "write error on standard output: REASON" and exit
 * status 2, writing nothing more (a later write could glue a cut line to
 * the next record). */
void out_check(FILE *f);
/* Has the reader of fd (a pipe, a socket) gone? Asks without writing
 * (poll's POLLERR/POLLHUP); a file or terminal never has. */
int out_gone(int fd);
/* The reader of standard output has gone: end as a write to it would,
 * killed by SIGPIPE unless SIGPIPE is ignored, then as out_check(). */
void out_closed(void) __attribute__((noreturn));

/* Replace the file at path with text[0..len) atomically: written to a
 * temporary file in the same folder (removed if a signal ends us
 * meanwhile), fsync()ed, renamed over path, the folder synced. Refuses a
 * path that exists and is not a regular file (or a link to one). 0, or -1
 * after a message if say ("PATH: cannot write WHAT: REASON"); path is as
 * it was then. */
int write_file_atomic(const char *path, const char *text, size_t len, const char *what, int say);

#endif
