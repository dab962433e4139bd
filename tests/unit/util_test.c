/* util_test - the fast number text paths against the C library: strtod_fast
 * must return what strtod returns (value and end), fmt_double must write
 * what the %.15g/%.16g/%.17g loop writes, and everything printed must read
 * back as the same double. TAP output. */
#include "kitnet.h"
#include "util.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tap.h"

static int same_bits(double a, double b)
{
	return memcmp(&a, &b, sizeof a) == 0;
}

static long bad_parse, bad_print, bad_trip;
static char first_bad[160];

static void note(const char *what, const char *text)
{
	if (!first_bad[0])
		snprintf(first_bad, sizeof first_bad, "%s: '%s'", what, text);
}

/* one text: strtod_fast and strtod_decimal agree with strtod, and
 * strtod_decimal's plain flag with decimal_len over what strtod took */
static void check_parse(const char *s)
{
	char *e1, *e2, *e3;
	int plain = -1;
	double a = strtod(s, &e1), b = strtod_fast(s, &e2), c = strtod_decimal(s, &e3, &plain);

	if (e1 != e2 || !(same_bits(a, b) || (isnan(a) && isnan(b)))) {
		bad_parse++;
		note("parse", s);
	}
	if (e1 != e3 || !(same_bits(a, c) || (isnan(a) && isnan(c))) ||
	    plain != (decimal_len(s) == (size_t)(e1 - s))) {
		bad_parse++;
		note("strtod_decimal", s);
	}
}

/* one double: fmt_double as the libc loop, and it reads back */
static void check_print(double d)
{
	char a[40], b[40];
	int la = fmt_double(a, d), lb = fmt_double_libc(b, d);

	if (la != lb || strcmp(a, b) != 0) {
		bad_print++;
		note("print", b);
	}
	if (!isnan(d) && !same_bits(strtod_fast(a, NULL), d)) {
		bad_trip++;
		note("read back", a);
	}
	check_parse(a);
}

static double random_bits(kitnet_mt *r)
{
	uint64_t u = (uint64_t)kitnet_mt_next(r) << 32 | kitnet_mt_next(r);
	double d;

	memcpy(&d, &u, sizeof d);
	return d;
}

int main(void)
{
	static const char *texts[] = {
		"0", "-0", "1", "-1", "0.5", "1e-05", "1E5", "1e+22", "1e23", "1e-22", "1e-23",
		"9007199254740992", "9007199254740993", "18446744073709551615",
		"184467440737095516150", "0.000000000000000000000000001", "123456.789012",
		"1.", ".5", "-.5", "+1", " 1", "0x10", "0X1p3", "1e", "1e+", "1e-x", "nan",
		"inf", "-inf", "infinity", "1.5e-400", "2.2250738585072014e-308",
		"4.9406564584124654e-324", "1.7976931348623157e308", "00012", "1.0e0000000001",
		"12abc", "-", "", "0.1\t2", "3.14159265358979323846", "1e-7", "7e22", "8e22",
		"01", "-01", "00", "-00.5", "0.0", "1.5e05", "0\t1", "7\t", "-0.0e-0", "010e2",
	};
	kitnet_mt r;
	long i;
	char buf[64];

	tap_plan(9);
	kitnet_mt_seed(&r, 42);

	for (i = 0; i < (long)(sizeof texts / sizeof *texts); i++)
		check_parse(texts[i]);
	ok(bad_parse == 0, "strtod_fast agrees with strtod on odd texts");
	if (first_bad[0])
		printf("# first difference: %s\n", first_bad);

	/* values with up to 6 decimals, as round6 makes them; integers */
	bad_parse = 0;
	first_bad[0] = '\0';
	for (i = 0; i < 75000; i++) {
		long long m = (long long)(kitnet_mt_next(&r) % 100000000000ULL) - 50000000000LL;
		int dec = (int)(kitnet_mt_next(&r) % 7);
		snprintf(buf, sizeof buf, "%.*f", dec, (double)m / 1e6);
		check_parse(buf);
		check_print(strtod(buf, NULL));
		/* millionths up to 1e9 and beyond, where fmt_double's fast path ends */
		check_print((double)((int64_t)(((uint64_t)kitnet_mt_next(&r) << 32 | kitnet_mt_next(&r)) % 400000000000000000ULL) - 200000000000000000LL) / 1e6);
		snprintf(buf, sizeof buf, "%lld", m >> (kitnet_mt_next(&r) % 40));
		check_parse(buf);
	}
	ok(bad_parse == 0 && bad_print == 0 && bad_trip == 0,
	   "6-decimal values and integers: parse and print as libc, read back exactly");
	if (first_bad[0])
		printf("# first difference: %s\n", first_bad);

	/* any bit pattern: subnormals, huge, NaN, negative zero included */
	first_bad[0] = '\0';
	for (i = 0; i < 75000; i++)
		check_print(random_bits(&r));
	check_print(0.0);
	check_print(-0.0);
	check_print(4.9406564584124654e-324);
	check_print(2.2250738585072014e-308);
	check_print(1.7976931348623157e308);
	check_print(INFINITY);
	check_print(-INFINITY);
	ok(bad_print == 0 && bad_trip == 0 && bad_parse == 0, "random bit patterns");
	if (first_bad[0])
		printf("# first difference: %s\n", first_bad);

	/* what scores look like: (0, 10), uniform and log-uniform */
	first_bad[0] = '\0';
	for (i = 0; i < 75000; i++) {
		check_print(kitnet_mt_double(&r) * 10);
		check_print(exp(-30 * kitnet_mt_double(&r)));
		check_print(-exp(40 * kitnet_mt_double(&r) - 20));
	}
	ok(bad_print == 0 && bad_trip == 0 && bad_parse == 0, "score-like values");
	if (first_bad[0])
		printf("# first difference: %s\n", first_bad);

	/* neighbours of round decimals, where 15/16/17 digits and ties switch */
	first_bad[0] = '\0';
	for (i = 0; i < 50000; i++) {
		double d = (double)(kitnet_mt_next(&r) % 2000000) / pow(10, kitnet_mt_next(&r) % 12);
		check_print(d);
		check_print(nextafter(d, INFINITY));
		check_print(nextafter(d, -INFINITY));
		check_print(ldexp((double)(kitnet_mt_next(&r) | 1), -(int)(kitnet_mt_next(&r) % 60)));
		/* 16 to 18 significant digits ending in 5: ties at 15 to 17 */
		check_print(ldexp((double)(((uint64_t)kitnet_mt_next(&r) << 20 | kitnet_mt_next(&r) >> 12) | 1),
		                  -(int)(1 + kitnet_mt_next(&r) % 6)));
	}
	ok(bad_print == 0 && bad_trip == 0 && bad_parse == 0, "neighbours of round decimals, dyadic ties");
	if (first_bad[0])
		printf("# first difference: %s\n", first_bad);

	/* decimals of exactly 15 and 16 significant digits, which read back
	 * in 15, 16 or 17 */
	first_bad[0] = '\0';
	for (i = 0; i < 50000; i++) {
		uint64_t mant = ((uint64_t)kitnet_mt_next(&r) << 32 | kitnet_mt_next(&r)) %
		                9000000000000000ULL + 1000000000000000ULL;
		if (i % 2)
			mant /= 10;
		snprintf(buf, sizeof buf, "%llue%d", (unsigned long long)mant,
		         (int)(kitnet_mt_next(&r) % 60) - 45);
		check_print(strtod(buf, NULL));
	}
	ok(bad_print == 0 && bad_trip == 0 && bad_parse == 0, "15 and 16 significant digits");
	if (first_bad[0])
		printf("# first difference: %s\n", first_bad);

	/* fmt_double_g is printf's %.<prec>g */
	{
		long bad = 0;
		char a[40], b[40];

		for (i = 0; i < 100000; i++) {
			int prec = 1 + (int)(kitnet_mt_next(&r) % 17);
			double d = i % 3 == 0 ? random_bits(&r)
			         : i % 3 == 1 ? kitnet_mt_double(&r) : exp(-60 * kitnet_mt_double(&r));
			fmt_double_g(a, d, prec);
			snprintf(b, sizeof b, "%.*g", prec, d);
			if (strcmp(a, b) != 0 && !bad++)
				printf("# first difference: %s, printf %s\n", a, b);
		}
		ok(bad == 0, "fmt_double_g writes what printf's %.*g writes");
	}

	/* log1p_count is log1p, bit for bit, in its table and around it */
	{
		long bad = 0;
		static const double odd[] = { -0.0, 0.5, 1023.0, 1023.5, 1024.0, 1e300, -0.5, 2147483648.0 };

		for (i = 0; i < 1100; i++)
			bad += memcmp(&(double){ log1p_count((double)i) }, &(double){ log1p((double)i) }, sizeof(double)) != 0;
		for (i = 0; i < (long)(sizeof odd / sizeof odd[0]); i++)
			bad += memcmp(&(double){ log1p_count(odd[i]) }, &(double){ log1p(odd[i]) }, sizeof(double)) != 0;
		bad += !isnan(log1p_count(NAN));
		ok(bad == 0, "log1p_count gives log1p's bits");
	}

	check_print(0.1);
	check_print(1.0 / 3);
	check_print(123456789.123456789);
	check_print(9.999999999999999e22);
	check_print(1e-5);
	check_print(0.0001);
	check_print(999999999999999.9);
	ok(bad_print == 0 && bad_trip == 0, "hand-picked values");
	if (first_bad[0])
		printf("# first difference: %s\n", first_bad);
	return tap_status();
}
