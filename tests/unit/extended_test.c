/* extended_test - the machinery of the extended schemas: local networks
 * (default, --local-nets specs, bad specs), the (source, value) -> column
 * index with aliases, `other`, multi-valued fields and letters. TAP. */
#include "modules/extended.h"
#include "util.h"

#include <arpa/inet.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static int n_test, n_fail;

static void ok(int cond, const char *what)
{
	n_test++;
	if (!cond)
		n_fail++;
	printf("%sok %d - %s\n", cond ? "" : "not ", n_test, what);
}

/* An address as fld_address() gives it, from text. */
static fld_addr addr(const char *s)
{
	fld_addr a;
	unsigned char v4[4];
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	memset(&a, 0, sizeof a);
	if (inet_pton(AF_INET, s, v4) == 1) {
		memcpy(a.b, mapped, 12);
		memcpy(a.b + 12, v4, 4);
	} else if (inet_pton(AF_INET6, s, a.b) == 1) {
		a.v6 = memcmp(a.b, mapped, 12) != 0;
	} else {
		printf("# bad test address %s\n", s);
	}
	return a;
}

static int local(const char *s)
{
	fld_addr a = addr(s);

	return ext_is_local(&a);
}

/* Every address of the list (space-separated) local (want 1) or not. */
static int all_local(const char *list, int want)
{
	char buf[512], *tok, *save = NULL;
	int good = 1;

	snprintf(buf, sizeof buf, "%s", list);
	for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
		if (local(tok) != want) {
			printf("# %s: local %d, want %d\n", tok, !want, want);
			good = 0;
		}
	return good;
}

/* Rows of the default list. */
static int n_default(void)
{
	int n = 0;

	while (ext_local_nets_default[n].cidr)
		n++;
	return n;
}

static void test_nets(void)
{
	char why[AZW_REASON_MAX];
	static const char *const bad[] = {
		"", "10.0.0.0/33", "bogus", "10.0.0.0/8,,192.168.0.0/16", "none,10.0.0.0/8",
		"::/129", "1.2.3.4/", "1.2.3.4/x", "010.0.0.1", "10.0.0.0/8 /8", "10.0.0.0/08x",
		"fe80::1%eth0", ",",
	};
	size_t i;
	int rc, refused = 1;

	/* Before any ext_local_nets_set: the default. */
	ok(all_local("10.1.2.3 172.16.0.1 172.31.255.255 192.168.1.1 100.64.0.1 100.127.255.255 "
	             "127.0.0.1 169.254.1.1 ::1 fe80::1 febf::1 fc00::1 fd12:3456::1 ::ffff:10.0.0.1", 1),
	   "default local nets: RFC 1918, RFC 6598, loopback, link-local, ULA, ::1");
	ok(all_local("8.8.8.8 172.32.0.1 100.128.0.1 192.0.2.1 224.0.0.1 255.255.255.255 "
	             "2001:db8::1 fec0::1 ff02::1 ::2 ::ffff:8.8.8.8", 0),
	   "default local nets: public, multicast and documentation addresses are not local");

	rc = ext_local_nets_set("192.0.2.0/24, 2001:db8::/32", why);
	ok(rc == 0, "set: IPv4 and IPv6 CIDRs, blanks around items");
	ok(all_local("192.0.2.0 192.0.2.255 2001:db8::1 2001:db8:ffff::1", 1) &&
	   all_local("192.0.3.1 10.1.2.3 2001:db9::1 fe80::1", 0),
	   "set: only the listed networks are local");

	rc = ext_local_nets_set("default,198.51.100.0/24", why);
	ok(rc == 0 && all_local("10.1.2.3 fe80::1 198.51.100.7", 1) && all_local("198.51.101.1", 0),
	   "set: 'default' adds the default list");

	rc = ext_local_nets_set("10.1.2.3/8,203.0.113.9,2001:db8::1:2/120", why);
	ok(rc == 0 && all_local("10.200.0.1 203.0.113.9 2001:db8::1:ff", 1) &&
	   all_local("11.0.0.1 203.0.113.10 2001:db8::2:0", 0),
	   "set: host bits are ignored; a bare address is a /32 or /128");

	rc = ext_local_nets_set("0.0.0.0/0", why);
	ok(rc == 0 && all_local("1.2.3.4 255.255.255.255", 1) && all_local("2001:db8::1", 0),
	   "set: 0.0.0.0/0 is every IPv4 address and no IPv6 one");

	rc = ext_local_nets_set("::ffff:0:0/96", why);
	ok(rc == 0 && all_local("1.2.3.4 ::ffff:1.2.3.4", 1) && all_local("::1", 0),
	   "set: IPv4 addresses match ::ffff:0:0/96 (IPv4-mapped)");

	rc = ext_local_nets_set("none", why);
	ok(rc == 0 && all_local("10.1.2.3 ::1 fe80::1", 0), "set: 'none' means nothing is local");

	ext_local_nets_set("192.0.2.0/24", why);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		why[0] = '\0';
		if (ext_local_nets_set(bad[i], why) != -1 || !why[0] || strchr(why, '\n')) {
			printf("# \"%s\" accepted, or no reason\n", bad[i]);
			refused = 0;
		}
	}
	ok(refused, "set: bad specs refused with a one-line reason");
	ok(all_local("192.0.2.1", 1) && all_local("10.1.2.3", 0), "set: a refused spec leaves the list unchanged");
	ext_local_nets_set("10.0.0.0/8, bogus", why);
	ok(strstr(why, "bogus") != NULL, "set: the reason names the bad item");

	ok(ext_local_nets_set("default", why) == 0 && n_default() == 9, "the default list parses");
	ok(all_local("10.1.2.3", 1) && all_local("fd00::1", 1) && all_local("198.51.100.1", 0),
	   "the default list is the private, shared, loopback, link-local and unique local networks");
}

static void test_addr_classes(void)
{
	fld_addr a;

	a = addr("224.0.0.251");
	ok(ext_is_multicast(&a), "224.0.0.251 is multicast");
	a = addr("239.255.255.250");
	ok(ext_is_multicast(&a), "239.255.255.250 is multicast");
	a = addr("ff02::fb");
	ok(ext_is_multicast(&a), "ff02::fb is multicast");
	a = addr("240.0.0.1");
	ok(!ext_is_multicast(&a), "240.0.0.1 is not multicast");
	a = addr("192.168.1.255");
	ok(ext_is_broadcast(&a), "192.168.1.255 is broadcast");
	a = addr("255.255.255.255");
	ok(ext_is_broadcast(&a), "255.255.255.255 is broadcast");
	a = addr("fe80::255");
	ok(!ext_is_broadcast(&a), "fe80::255 is not broadcast (the original's test was)");
}

enum { S_A, S_B, S_L };

static const azw_feature cols[] = {
	{ "a_x",     S_A, "x",     "" },
	{ "a_yz",    S_A, "y|zz",  "" },
	{ "a_other", S_A, EXT_OTHER, "" },
	{ "num",     S_A, NULL,    "" },
	{ "b_x",     S_B, "x",     "" },
	{ "l_S",     S_L, "S",     "" },
	{ "l_s",     S_L, "s",     "" },
	{ "l_t",     S_L, "t",     "" },
};
#define N_COLS ((int)(sizeof cols / sizeof cols[0]))

static void test_index(void)
{
	static ext_index ix;
	static const azw_feature dup[] = {
		{ "a", 0, "x", "" }, { "b", 0, "y|x", "" },
	};
	static const azw_feature two_other[] = {
		{ "a", 0, EXT_OTHER, "" }, { "b", 0, EXT_OTHER, "" },
	};
	static ext_index bad;
	double x[N_COLS];

	ok(ext_index_init(&ix, cols, N_COLS) == 0, "index: a table builds");
	ok(ext_index_init(&bad, dup, 2) == -1, "index: a duplicate value in a source is refused");
	memset(&bad, 0, sizeof bad);
	ok(ext_index_init(&bad, two_other, 2) == -1, "index: two other columns in a source are refused");

	ok(ext_lookup(&ix, S_A, "x", 1) == 0 && ext_lookup(&ix, S_B, "x", 1) == 4,
	   "lookup: the same value in two sources gives each its column");
	ok(ext_lookup(&ix, S_A, "y", 1) == 1 && ext_lookup(&ix, S_A, "zz", 2) == 1,
	   "lookup: aliases give the same column");
	ok(ext_lookup(&ix, S_A, "z", 1) == 2 && ext_lookup(&ix, S_A, "", 0) == 2 &&
	   ext_lookup(&ix, S_A, "xx", 2) == 2 && ext_lookup(&ix, S_A, "X", 1) == 2,
	   "lookup: an unknown value (or a prefix, or another case) gives other");
	ok(ext_lookup(&ix, S_B, "q", 1) == -1, "lookup: unknown in a source without other: -1");

	memset(x, 0, sizeof x);
	ok(ext_set_multi(&ix, x, S_A, "x,zz", 4) == 2 && x[0] == 1 && x[1] == 1 && x[2] == 0,
	   "multi: \"x,zz\" sets two columns");
	memset(x, 0, sizeof x);
	ok(ext_set_multi(&ix, x, S_A, "[\"y\",\"w\"]", 9) == 2 && x[1] == 1 && x[2] == 1 && x[0] == 0,
	   "multi: a JSON array's text, an unknown value sets other");
	memset(x, 0, sizeof x);
	ok(ext_set_multi(&ix, x, S_A, ",,", 2) == 0 && x[0] + x[1] + x[2] == 0,
	   "multi: no values sets nothing");

	memset(x, 0, sizeof x);
	ext_count_letters(&ix, x, S_L, "Sstttx", 6);
	ok(x[5] == 1 && x[6] == 1 && x[7] == 3, "letters: counted per case; unknown ones ignored");

	ok(ext_log_ratio(0, 0) == 0 && fabs(ext_log_ratio(9, 0) - log(10)) < 1e-12 &&
	   ext_log_ratio(0, 9) == -ext_log_ratio(9, 0), "log ratio");
}

/* round6 is round(x * 1e6) / 1e6 + 0.0, bit for bit: ties at every
 * scale, their neighbours, huge values, NaN */
static void test_round6(void)
{
	static const double fixed[] = { 0.0, -0.0, 0.5e-6, -0.5e-6, 2.5e-6, 1.5e-6, 0.49999999999999994e-6,
	                                4503599627.3704955, 4503599627.3704965, 1e300, -1e300, INFINITY };
	unsigned long long st = 88172645463325252ULL;
	int bad = 0;

	for (int i = 0; i < 2000000; i++) {
		double x, a, b;
		if (i < (int)(sizeof fixed / sizeof fixed[0])) {
			x = fixed[i];
		} else {
			st ^= st << 13; st ^= st >> 7; st ^= st << 17; /* xorshift64 */
			x = (double)(long long)(st >> 20) / 1e6 * ((st & 3) ? 1.0 : 1e-3);
			if (st & 4)
				x = -x;
			if (st & 8)
				x = nextafter(x, (st & 16) ? INFINITY : -INFINITY);
			if ((st & 0xe0) == 0)
				x = ldexp((double)(st >> 40), -(int)(st >> 58)) + 0.5e-6 * (double)(st & 1);
		}
		a = round6(x);
		b = round(x * 1e6) / 1e6 + 0.0;
		if (memcmp(&a, &b, sizeof a) != 0)
			bad++;
	}
	if (bad)
		printf("# %d differ\n", bad);
	ok(bad == 0 && isnan(round6(NAN)), "round6 is libm's round to millionths");
}

/* The address of field f of the JSON record text on a new line of r. */
static int read_addr(zl_rec *r, const char *text, const char *f, fld_addr *a)
{
	static char line[256];
	char why[AZW_REASON_MAX];

	snprintf(line, sizeof line, "%s", text);
	if (zl_read(r, line, strlen(line)) != ZL_RECORD)
		return -1;
	return fld_address(r, f, a, why);
}

/* fld_address() keeps the last record's addresses: never another
 * record's, not even one read by a zl_rec made where a freed one was. */
static void test_addr_memo(void)
{
	zl_rec *r = zl_rec_new();
	fld_addr a, b, c, d;
	char why[AZW_REASON_MAX];
	int bad = 0;

	bad |= read_addr(r, "{\"id.orig_h\":\"10.0.0.1\",\"id.resp_h\":\"10.0.0.9\"}", "id.orig_h", &a) < 0;
	zl_rec_free(r);
	r = zl_rec_new(); /* mostly where the freed one was */
	bad |= read_addr(r, "{\"id.orig_h\":\"2001:db8::1\"}", "id.orig_h", &d) < 0;
	ok(!bad && !memcmp(a.b, addr("10.0.0.1").b, 16) && !memcmp(d.b, addr("2001:db8::1").b, 16) && d.v6,
	   "addresses: a new zl_rec's first record's, not a freed one's");
	bad |= read_addr(r, "{\"id.orig_h\":\"10.0.0.1\",\"id.resp_h\":\"10.0.0.9\"}", "id.orig_h", &a) < 0;
	bad |= fld_address(r, "id.resp_h", &b, why) < 0;
	bad |= fld_address(r, "id.orig_h", &c, why) < 0;
	ok(!bad && !memcmp(a.b, addr("10.0.0.1").b, 16) && !memcmp(b.b, addr("10.0.0.9").b, 16) &&
	   !memcmp(c.b, a.b, 16), "addresses: both of a record, asked twice");
	bad |= read_addr(r, "{\"id.orig_h\":\"10.0.0.2\"}", "id.orig_h", &d) < 0;
	ok(!bad && !memcmp(d.b, addr("10.0.0.2").b, 16), "addresses: the next record's, not the last one's");
	zl_rec_free(r);
}

int main(void)
{
	test_nets();
	test_addr_classes();
	test_index();
	test_round6();
	test_addr_memo();
	printf("1..%d\n", n_test);
	return n_fail != 0;
}
