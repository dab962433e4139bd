/* util.c - error helper, allocation, exact number text. */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* ---- exact number text without stdio ------------------------------------
 *
 * The vector stream is mostly small integers and values with at most 6
 * decimals, and a score line is a handful of doubles: printf("%.17g") and
 * strtod were most of azw-score's time. Both fast paths below are exact,
 * not approximations: where they cannot prove the answer they hand over to
 * the C library, so the text is byte for byte what the library writes and
 * reads back as the same double. */

/* 10^0 .. 10^22: every one is exactly a double. */
static const double pow10_exact[23] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Clinger's fast path: a decimal m * 10^q with m <= 2^53 and |q| <= 22 is
 * one IEEE multiplication or division of two exact doubles, so it is
 * correctly rounded, which is what strtod returns. Anything else (more
 * digits, large exponents, hex, nan, inf, blanks, a lone '.') goes to
 * strtod itself. */
static inline double strtod_core(const char *s, char **end, int *plain)
{
	const char *p = s;
	uint64_t m = 0;
	int q = 0, neg = 0;
	double d;
	char *e_slow;

	/* most features are a lone 0 or 1 */
	if (is_digit(p[0]) && (p[1] == '\t' || p[1] == '\0')) {
		if (end)
			*end = (char *)p + 1;
		*plain = 1;
		return (double)(p[0] - '0');
	}
	if (*p == '-') {
		neg = 1;
		p++;
	}
	if (!is_digit(*p))
		goto slow;
	*plain = !(p[0] == '0' && is_digit(p[1])); /* no leading zeros */
	for (; is_digit(*p); p++) {
		if (m > (UINT64_MAX - 9) / 10)
			goto slow;
		m = m * 10 + (uint64_t)(*p - '0');
	}
	if (*p == '.') {
		if (!is_digit(*++p))
			goto slow;
		for (; is_digit(*p); p++, q--) {
			if (m > (UINT64_MAX - 9) / 10)
				goto slow;
			m = m * 10 + (uint64_t)(*p - '0');
		}
	}
	if (*p == 'e' || *p == 'E') {
		const char *e = p + 1;
		int eneg = 0, x = 0;

		if (*e == '-' || *e == '+')
			eneg = *e++ == '-';
		if (!is_digit(*e))
			goto slow;
		for (; is_digit(*e); e++) {
			if (x > 999)
				goto slow;
			x = x * 10 + (*e - '0');
		}
		q += eneg ? -x : x;
		p = e;
	}
	if (*p == 'x' || *p == 'X' || m > (1ULL << 53) || q < -22 || q > 22)
		goto slow; /* "0x..." is hex to strtod */
	d = (double)m;
	d = q < 0 ? d / pow10_exact[-q] : d * pow10_exact[q];
	if (end)
		*end = (char *)p;
	return neg ? -d : d;
slow:
	d = strtod(s, &e_slow);
	if (end)
		*end = e_slow;
	*plain = decimal_len(s) == (size_t)(e_slow - s);
	return d;
}

double strtod_fast(const char *s, char **end)
{
	int plain;

	return strtod_core(s, end, &plain);
}

double strtod_decimal(const char *s, char **end, int *plain)
{
	return strtod_core(s, end, plain);
}

/* Integers below 1e15 as digits (the integer features). */
static int fmt_integer(char *buf, double d)
{
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

/* The exact arithmetic below needs 128-bit integers, which GCC and Clang
 * have on every 64-bit target azw builds for (x86-64, ARM64). */
#if defined(__SIZEOF_INT128__)
__extension__ typedef unsigned __int128 u128;

static const uint64_t pow5[28] = {
	1ULL, 5ULL, 25ULL, 125ULL, 625ULL, 3125ULL, 15625ULL, 78125ULL, 390625ULL,
	1953125ULL, 9765625ULL, 48828125ULL, 244140625ULL, 1220703125ULL,
	6103515625ULL, 30517578125ULL, 152587890625ULL, 762939453125ULL,
	3814697265625ULL, 19073486328125ULL, 95367431640625ULL,
	476837158203125ULL, 2384185791015625ULL, 11920928955078125ULL,
	59604644775390625ULL, 298023223876953125ULL, 1490116119384765625ULL,
	7450580596923828125ULL,
};

static const uint64_t pow10_u64[19] = {
	1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL,
	10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL,
	100000000000ULL, 1000000000000ULL, 10000000000000ULL,
	100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
	100000000000000000ULL, 1000000000000000000ULL,
};

/* |d| = m * 2^e (m the 53-bit significand of a normal double, not a power
 * of two). With x = floor(log10 |d|) and k = prec - 1 - x,
 * |d| * 10^k = m * 5^k / 2^s (s = -(e + k)) is exact in 128 bits when
 * 0 <= k <= 27 and 1 <= s <= 69. Then *digits = that value rounded to an
 * integer, half to even (as glibc's printf rounds), prec digits long, and
 * *x the decimal exponent of the first digit after rounding. *exact: the
 * text reads back as d (|digits - |d| 10^k| < half an ulp scaled by 10^k;
 * on a tie, when m is even, as strtod rounds). 0 ok, -1 out of range. */
static int exact_digits(uint64_t m, int e, int prec, int x, uint64_t *digits, int *xout, int *exact)
{
	for (int tries = 0; tries < 3; tries++) {
		int k = prec - 1 - x, s = -(e + k);
		u128 p, q, rem, half, lo = pow10_u64[prec - 1], hi = pow10_u64[prec], diff, twice;

		if (k < 0 || k > 27 || s < 1 || s > 69)
			return -1;
		p = (u128)m * pow5[k];
		q = p >> s;
		if (q < lo) { /* x was one too big */
			x--;
			continue;
		}
		if (q >= hi) {
			x++;
			continue;
		}
		rem = p - (q << s);
		half = (u128)1 << (s - 1);
		if (rem > half || (rem == half && (q & 1)))
			q++;
		/* the round trip: compare 2^(s+1) q with 2p against 5^k */
		twice = q << (s + 1);
		diff = twice > 2 * p ? twice - 2 * p : 2 * p - twice;
		*exact = diff < pow5[k] || (diff == pow5[k] && !(m & 1));
		if (q == hi) { /* 9.99.. rounded up to 10.0.. */
			q = lo;
			x++;
		}
		*digits = (uint64_t)q;
		*xout = x;
		return 0;
	}
	return -1;
}

/* "%.<prec>g" of the value digits * 10^(x - prec + 1) (digits has exactly
 * prec digits), as printf writes it: trailing zeros dropped, exponent
 * form when x < -4 or x >= prec. */
static int fmt_g(char *buf, int neg, uint64_t digits, int x, int prec)
{
	char dig[20];
	int nd = prec, len = 0, i;

	for (i = prec - 1; i >= 0; i--, digits /= 10)
		dig[i] = (char)('0' + digits % 10);
	while (nd > 1 && dig[nd - 1] == '0')
		nd--;
	if (neg)
		buf[len++] = '-';
	if (x < -4 || x >= prec) {
		int ax = x < 0 ? -x : x;

		buf[len++] = dig[0];
		if (nd > 1) {
			buf[len++] = '.';
			memcpy(buf + len, dig + 1, (size_t)nd - 1);
			len += nd - 1;
		}
		buf[len++] = 'e';
		buf[len++] = x < 0 ? '-' : '+';
		if (ax >= 100)
			buf[len++] = (char)('0' + ax / 100);
		buf[len++] = (char)('0' + ax / 10 % 10);
		buf[len++] = (char)('0' + ax % 10);
	} else if (x >= 0) {
		for (i = 0; i <= x; i++)
			buf[len++] = i < nd ? dig[i] : '0';
		if (nd > x + 1) {
			buf[len++] = '.';
			memcpy(buf + len, dig + x + 1, (size_t)(nd - x - 1));
			len += nd - x - 1;
		}
	} else {
		buf[len++] = '0';
		buf[len++] = '.';
		for (i = -1; i > x; i--)
			buf[len++] = '0';
		memcpy(buf + len, dig, (size_t)nd);
		len += nd;
	}
	buf[len] = '\0';
	return len;
}

/* floor(log10 2^(be-1023)) for a double of biased exponent be: log10 |d|
 * is at most one more, and exact_digits() corrects by one either way
 * (78913 / 2^18 ~ log10 2). */
static int dec_exp(int be)
{
	int x = (be - 1023) * 78913;

	return x >= 0 ? x >> 18 : -((-x + (1 << 18) - 1) >> 18); /* floor, portably */
}

/* fmt_double's loop (%.15g, %.16g, else %.17g) in exact integer
 * arithmetic; -1 when d is outside what exact_digits() covers. */
static int fmt_shortest_fast(char *buf, double d)
{
	uint64_t bits, m, digits;
	int be, e, x, prec, xo, exact;

	memcpy(&bits, &d, sizeof bits);
	be = (int)(bits >> 52 & 0x7ff);
	m = bits & ((1ULL << 52) - 1);
	if (be == 0 || m == 0)
		return -1; /* subnormal, or a power of two (its lower gap is half) */
	m |= 1ULL << 52;
	e = be - 1075;
	x = dec_exp(be);
	/* 16 digits first: most doubles that are not short need all 17
	 * (a score does), and when 16 do not read back 15 cannot (15
	 * digits are 16 with a trailing 0, and 16 get at least as close) */
	if (exact_digits(m, e, 16, x, &digits, &xo, &exact) < 0)
		return -1;
	prec = 16;
	if (!exact) {
		prec = 17;
		if (exact_digits(m, e, 17, x, &digits, &xo, &exact) < 0)
			return -1;
	} else {
		uint64_t d15;
		int x15, exact15;

		if (exact_digits(m, e, 15, x, &d15, &x15, &exact15) < 0)
			return -1;
		if (exact15) {
			prec = 15;
			digits = d15;
			xo = x15;
		}
	}
	return fmt_g(buf, d < 0, digits, xo, prec);
}
#else
static int fmt_shortest_fast(char *buf, double d)
{
	(void)buf;
	(void)d;
	return -1;
}
#endif

/* The extended features are rounded to millionths: d = n / 10^6 as the
 * division rounds it. For 1e-4 <= |d| < 1e9, %.15g rounds d at or below
 * the 10^-6 digit, where d differs from n / 10^6 by under half a unit
 * (ulp(d) < 2.3e-15 |d|), so it writes n's digits, without trailing zeros,
 * in fixed notation; and those read back as d. -1 for any other d. */
static int fmt_micro(char *buf, double d)
{
	static const char pairs[] =
		"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
		"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
		"8081828384858687888990919293949596979899";
	double a = fabs(d);
	uint64_t n, ip;
	unsigned frac;
	int len = 0;

	if (!(a >= 1e-4 && a < 1e9))
		return -1;
	n = (uint64_t)(a * 1e6 + 0.5);
	if ((double)n / 1e6 != a)
		return -1;
	if (d < 0)
		buf[len++] = '-';
	ip = n / 1000000;
	frac = (unsigned)(n % 1000000);
	if (ip < 10) {
		buf[len++] = (char)('0' + ip);
	} else {
		char tmp[12];
		int t = 0;
		do
			tmp[t++] = (char)('0' + ip % 10);
		while ((ip /= 10) > 0);
		while (t > 0)
			buf[len++] = tmp[--t];
	}
	if (frac) {
		/* six digits two at a time, then the trailing zeros go */
		buf[len++] = '.';
		memcpy(buf + len, pairs + 2 * (frac / 10000), 2);
		memcpy(buf + len + 2, pairs + 2 * (frac / 100 % 100), 2);
		memcpy(buf + len + 4, pairs + 2 * (frac % 100), 2);
		len += 6;
		while (buf[len - 1] == '0')
			len--;
	}
	buf[len] = '\0';
	return len;
}

int fmt_double(char *buf, double d)
{
	int prec, len;

	/* Most features are 0/1 flags, most others millionths (the extended
	 * schema rounds to them; integers up to 1e9 are millionths too). */
	if (d == 1.0 || (d == 0.0 && !signbit(d))) {
		buf[0] = d == 1.0 ? '1' : '0';
		buf[1] = '\0';
		return 1;
	}
	if ((len = fmt_micro(buf, d)) >= 0)
		return len;
	if (fabs(d) < 1e15 && d == (double)(long long)d && !(d == 0 && signbit(d)))
		return fmt_integer(buf, d);
	if (isnan(d))
		return (int)(strcpy(buf, "nan"), 3);
	if (isinf(d))
		return d > 0 ? (int)(strcpy(buf, "inf"), 3) : (int)(strcpy(buf, "-inf"), 4);
	if ((len = fmt_shortest_fast(buf, d)) >= 0)
		return len;
	/* Shortest of %.15g..%.17g that reads back to the same bits. */
	for (prec = 15; prec < 17; prec++) {
		len = snprintf(buf, 32, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			return len;
	}
	return snprintf(buf, 32, "%.17g", d);
}

int fmt_double_g(char *buf, double d, int prec)
{
#if defined(__SIZEOF_INT128__)
	uint64_t bits, m, digits;
	int be, xo, exact;

	memcpy(&bits, &d, sizeof bits);
	be = (int)(bits >> 52 & 0x7ff);
	m = (bits & ((1ULL << 52) - 1)) | 1ULL << 52;
	if (prec >= 1 && prec <= 17 && be != 0 && be != 0x7ff &&
	    exact_digits(m, be - 1075, prec, dec_exp(be), &digits, &xo, &exact) == 0)
		return fmt_g(buf, d < 0, digits, xo, prec);
#endif
	return snprintf(buf, 32, "%.*g", prec, d);
}

/* The old loop, kept for the tests to compare with. */
int fmt_double_libc(char *buf, double d)
{
	int prec, len;

	if (isnan(d) || isinf(d) || (fabs(d) < 1e15 && d == (double)(long long)d && !(d == 0 && signbit(d))))
		return fmt_double(buf, d);
	for (prec = 15; prec < 17; prec++) {
		len = snprintf(buf, 32, "%.*g", prec, d);
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
	*out = strtod_fast(s, &end); /* exact: strtod where its fast path cannot be */
	if (*end != '\0')
		return -1;
	return 0;
}

size_t decimal_len(const char *s)
{
	const char *p = s;

	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (is_digit(*p))
			p++;
	else
		return 0;
	if (*p == '.') {
		if (!is_digit(p[1]))
			return (size_t)(p - s);
		for (p++; is_digit(*p); p++)
			;
	}
	if (*p == 'e' || *p == 'E') {
		const char *e = p + 1;

		if (*e == '+' || *e == '-')
			e++;
		if (!is_digit(*e))
			return (size_t)(p - s);
		while (is_digit(*e))
			e++;
		p = e;
	}
	return (size_t)(p - s);
}

int parse_decimal(const char *s, double *out)
{
	if (decimal_len(s) != strlen(s))
		return -1;
	return parse_double(s, out);
}

long earg_long(const char *opt, const char *s, long lo, long hi)
{
	const char *d = s + (*s == '-');
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (!is_digit(*d) || end == s || *end || errno || v < lo || v > hi)
		eprintf("%s: '%s' is not an integer in [%ld, %ld]", opt, s, lo, hi);
	return v;
}

double earg_double(const char *opt, const char *s, double lo, double hi, int lo_open)
{
	double v;

	if (parse_decimal(s, &v) < 0 || !(lo_open ? v > lo : v >= lo) || !(v <= hi))
		eprintf("%s: '%s' is not a number in %c%g, %g]", opt, s, lo_open ? '(' : '[', lo, hi);
	return v;
}

int usage_hint(void)
{
	fprintf(stderr, "Try '%s --help' for more information.\n", argv0);
	return 2;
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

static void out_fail(int err) __attribute__((noreturn));
static void out_fail(int err)
{
	fprintf(stderr, "%s: write error on standard output: %s\n", argv0, strerror(err));
	_exit(2); /* not exit(): stdio would try the buffer again */
}

void out_check(FILE *f)
{
	if (ferror(f))
		out_fail(errno ? errno : EIO);
}

int out_gone(int fd)
{
	struct pollfd p = { .fd = fd, .events = 0 };

	return poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP));
}

void out_closed(void)
{
	struct sigaction sa;

	if (sigaction(SIGPIPE, NULL, &sa) == 0 && sa.sa_handler != SIG_IGN) {
		signal(SIGPIPE, SIG_DFL);
		raise(SIGPIPE);
	}
	out_fail(EPIPE);
}

double round6(double x)
{
	double v = x * 1e6, t;

	/* round(), half away from zero, without the libm call (some fifteen a
	 * conn record): below 2^52, v - trunc(v) is exact */
	if (!(fabs(v) < 4503599627370496.0))
		return round(v) / 1e6 + 0.0;
	t = (double)(int64_t)v;
	if (v - t >= 0.5)
		t += 1.0;
	else if (v - t <= -0.5)
		t -= 1.0;
	return t / 1e6 + 0.0; /* -0 becomes 0 */
}

double log1p_count(double x)
{
	static double tab[1024];
	static int ready;

	if (x > 0 && x < 1024 && x == (double)(int)x) {
		if (!ready) {
			for (int i = 0; i < 1024; i++)
				tab[i] = log1p((double)i);
			ready = 1;
		}
		return tab[(int)x];
	}
	return x == 0 ? x : log1p(x); /* log1p(+-0) is +-0 */
}

/* ---- files ---- */

/* Make the rename itself durable (power loss right after azw-fit). Best
 * effort: some file systems refuse fsync on a folder. */
static void sync_dir(const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int fd;

	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else
		snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path);
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* The temporary file being written (write_file_atomic), removed if a
 * signal ends us. */
static char tmp_path[PATH_MAX];

static void on_signal(int sig)
{
	if (tmp_path[0])
		unlink(tmp_path);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* While the temporary file exists: the signals that end a program remove
 * it first (on_signal); over a file size limit (ulimit -f), write() fails
 * with EFBIG rather than SIGXFSZ killing us with the file left behind.
 * The old actions into old[5], for unguard(). */
static const int guarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

static void guard(struct sigaction old[5])
{
	struct sigaction sa, ign;
	int i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < 4; i++)
		sigaddset(&sa.sa_mask, guarded[i]);
	for (i = 0; i < 4; i++)
		sigaction(guarded[i], &sa, &old[i]);
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGXFSZ, &ign, &old[4]);
}

static void unguard(const struct sigaction old[5])
{
	int i;

	for (i = 0; i < 4; i++)
		sigaction(guarded[i], &old[i], NULL);
	sigaction(SIGXFSZ, &old[4], NULL);
}

/* text[0..len) into fd, fsync()ed and closed: 0, or -1 (fd closed too)
 * after a message if say. */
static int write_all(int fd, const char *path, const char *text, size_t len, const char *what,
                     int say)
{
	size_t off;
	ssize_t n;

	for (off = 0; off < len; off += (size_t)n) {
		n = write(fd, text + off, len - off);
		if (n < 0 && errno == EINTR) {
			n = 0;
			continue;
		}
		if (n <= 0)
			goto fail;
	}
	if (fsync(fd) != 0 && errno != EINVAL && errno != EROFS)
		goto fail;
	if (close(fd) != 0) {
		if (say)
			weprintf("%s: cannot write %s:", path, what);
		return -1;
	}
	return 0;
fail:
	if (say)
		weprintf("%s: cannot write %s:", path, what);
	close(fd);
	return -1;
}

int write_file_atomic(const char *path, const char *text, size_t len, const char *what, int say)
{
	struct sigaction old[5];
	struct stat st;
	const char *slash;
	int fd, rc = -1;

	/* Never rename over a device or a directory (azw-fit -o /dev/null as root). */
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode)) {
		if (say)
			weprintf("%s: exists and is not a regular file", path);
		return -1;
	}
	slash = strrchr(path, '/');
	if (strlen(path) + 16 > sizeof tmp_path) {
		if (say)
			weprintf("%s: path too long", path);
		return -1;
	}
	guard(old);
	/* Temporary file in the same folder, so rename() is atomic. */
	snprintf(tmp_path, sizeof tmp_path, "%.*s%s.tmp.XXXXXX",
	         slash ? (int)(slash - path + 1) : 0, path, slash ? slash + 1 : path);
	fd = mkstemp(tmp_path);
	if (fd < 0) {
		if (say)
			weprintf("%s: cannot create temporary file:", tmp_path);
		tmp_path[0] = '\0';
		unguard(old);
		return -1;
	}
	fchmod(fd, 0644);
	if (write_all(fd, path, text, len, what, say) < 0) {
		unlink(tmp_path);
	} else if (rename(tmp_path, path) != 0) {
		if (say)
			weprintf("%s: cannot write %s:", path, what);
		unlink(tmp_path);
	} else {
		tmp_path[0] = '\0';
		sync_dir(path);
		rc = 0;
	}
	tmp_path[0] = '\0';
	unguard(old);
	return rc;
}
