/* zeeklog_test - the field view modules see, for every input format: TSV
 * typed by #types, unset and empty values, escapes, sets, extra columns,
 * JSON-streaming, Kafka, ISO 8601 and ts normalisation. TAP output. */
#include "zeeklog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tap.h"

/* Feed one line (copied: the reader writes into it). */
static zl_kind feed(zl_rec *r, const char *text)
{
	static char buf[4096];
	size_t n = strlen(text);

	memcpy(buf, text, n + 1);
	return zl_read(r, buf, n);
}

static int is_str(zl_rec *r, const char *f, const char *want)
{
	zl_value v = zl_get(r, f);
	return v.type == ZL_STRING && v.s && v.len == strlen(want) && !memcmp(v.s, want, v.len);
}

static int is_num(zl_rec *r, const char *f, const char *want)
{
	zl_value v = zl_get(r, f);
	return v.type == ZL_NUMBER && !strcmp(v.s, want) && v.len == strlen(want);
}

static int is_type(zl_rec *r, const char *f, zl_type t)
{
	return zl_get(r, f).type == t;
}

static void header(zl_rec *r, const char *path, const char *fields, const char *types)
{
	char b[1024];

	feed(r, "#separator \\x09");
	feed(r, "#set_separator\t,");
	feed(r, "#empty_field\t(empty)");
	feed(r, "#unset_field\t-");
	snprintf(b, sizeof b, "#path\t%s", path);
	feed(r, b);
	feed(r, "#open\t2024-01-01-00-00-00");
	snprintf(b, sizeof b, "#fields\t%s", fields);
	feed(r, b);
	if (types) {
		snprintf(b, sizeof b, "#types\t%s", types);
		feed(r, b);
	}
}

static void tsv_types(void)
{
	zl_rec *r = zl_rec_new();
	zl_value v;

	header(r, "conn",
	       "ts\tuid\tid.orig_p\tlocal_orig\tservice\ttunnel_parents\tduration\thistory\tproto\tbad_time\tflag",
	       "time\tstring\tport\tbool\tstring\tset[string]\tinterval\tstring\tenum\ttime\tbool");
	ok(zl_rec_format(r) == ZL_FMT_TSV && !strcmp(zl_rec_path(r), "conn"), "tsv: #path read");
	ok(feed(r, "1.5\tC\\x41B\t53\tT\t(empty)\ta,b\\x2cc,d\t-\t\\x2d\t\\\\x\tXXXXXXXXXX.XXXXXX\tmaybe") == ZL_RECORD,
	   "tsv: a row is a record");
	ok(is_num(r, "ts", "1.500000"), "tsv: ts to 6 decimals");
	ok(is_str(r, "uid", "CAB"), "tsv: \\xNN decoded");
	ok(is_num(r, "id.orig_p", "53"), "tsv: port is a number");
	v = zl_get(r, "local_orig");
	ok(v.type == ZL_BOOL && v.b == 1, "tsv: bool T");
	ok(is_str(r, "service", ""), "tsv: (empty) string is \"\"");
	v = zl_get(r, "tunnel_parents");
	ok(v.type == ZL_ARRAY && v.n == 3, "tsv: set of 3 (escaped separator inside one)");
	ok(is_type(r, "duration", ZL_ABSENT), "tsv: - is absent");
	ok(is_str(r, "history", "-"), "tsv: \\x2d is the string \"-\"");
	ok(is_str(r, "proto", "\\x"), "tsv: \\\\ is a backslash");
	ok(is_str(r, "bad_time", "XXXXXXXXXX.XXXXXX"), "tsv: a time that is no number is a string");
	ok(is_str(r, "flag", "maybe"), "tsv: a bool that is no T/F is a string");
	ok(is_type(r, "nosuch", ZL_ABSENT), "tsv: unknown field absent");
	ok(feed(r, "2\tC\t53\tF\tdns\t(empty)\t0.5\tS\tudp\t1\tF") == ZL_RECORD &&
	   zl_get(r, "tunnel_parents").n == 0 && zl_get(r, "tunnel_parents").type == ZL_ARRAY &&
	   zl_get(r, "local_orig").b == 0 && is_num(r, "duration", "0.5"),
	   "tsv: second row, (empty) set has 0 elements");
	ok(feed(r, "2\tC\t53\tF") == ZL_BROKEN && strstr(zl_rec_error(r), "4 columns, but #fields has 11"),
	   "tsv: truncated row is broken");
	ok(feed(r, "1\tC\\x00x\t53\tF\tdns\t(empty)\t0.5\tS\tudp\t1\tF") == ZL_RECORD &&
	   zl_get(r, "uid").type == ZL_STRING && zl_get(r, "uid").s == NULL,
	   "tsv: \\x00 gives a string with s NULL");
	ok(feed(r, "#close\t2024-01-01-00-00-01") == ZL_HEADER &&
	   feed(r, "2\tC\t53\tF\tdns\t(empty)\t0.5\tS\tudp\t1\tF") == ZL_BROKEN &&
	   strstr(zl_rec_error(r), "no #fields header"), "tsv: a row after #close is broken");
	zl_rec_free(r);
}

static void tsv_layouts(void)
{
	zl_rec *r = zl_rec_new();

	/* zeekctl's _node_name first; IoT-23's space-joined last columns */
	header(r, "conn", "_node_name\tts\tuid\ttunnel_parents   label   detailedlabel",
	       "string\ttime\tstring\tset[string]   string   string");
	ok(feed(r, "worker-1\t1713484795.943239\tCY\t(empty)   Malicious   PartOfAHorizontalPortScan") == ZL_RECORD &&
	   is_str(r, "_node_name", "worker-1") && is_num(r, "ts", "1713484795.943239") &&
	   zl_get(r, "tunnel_parents").n == 0 && is_str(r, "label", "Malicious") &&
	   is_str(r, "detailedlabel", "PartOfAHorizontalPortScan"),
	   "tsv: _node_name column and IoT-23 space-joined fields");
	/* no #types: typed by the text */
	feed(r, "#separator \\x09");
	feed(r, "#fields\tts\tn\tb\ts\te");
	ok(zl_rec_path(r) == NULL, "tsv: a new block forgets #path");
	ok(feed(r, "7\t0042\tT\thello\t(empty)") == ZL_RECORD && is_num(r, "ts", "7.000000") &&
	   is_str(r, "n", "0042") && zl_get(r, "b").type == ZL_BOOL && is_str(r, "s", "hello") &&
	   is_str(r, "e", ""), "tsv: without #types, values typed by their text");
	{ /* one buffer, two names: the remembered column goes with the text */
		char nm[4] = "s";
		int first = is_str(r, nm, "hello");
		strcpy(nm, "n");
		ok(first && is_str(r, nm, "0042") && is_str(r, "s", "hello"),
		   "tsv: a name's buffer reused for another name");
	}
	/* a schema change mid-stream: the new #fields rebuilds the index */
	feed(r, "#fields\ts\tts");
	ok(feed(r, "x\t8") == ZL_RECORD && is_str(r, "s", "x") && is_num(r, "ts", "8.000000"),
	   "tsv: a new #fields line, new positions");
	zl_rec_new_file(r);
	ok(feed(r, "x\t8") == ZL_BROKEN, "tsv: a new file forgets the header");
	zl_rec_free(r);
}

static void json_forms(void)
{
	zl_rec *r = zl_rec_new();
	char buf[64];
	size_t n;

	ok(feed(r, "{\"_path\":\"dns\",\"_write_ts\":\"2018-03-24T17:15:20.866586Z\","
	           "\"ts\":\"2018-03-24T17:15:20.865716Z\",\"AA\":false,\"answers\":[\"a\",\"b\"]}") == ZL_RECORD &&
	   !strcmp(zl_rec_path(r), "dns") && zl_rec_format(r) == ZL_FMT_JSON,
	   "json-streaming: _path");
	ok(is_num(r, "ts", "1521911720.865716"), "json-streaming: ISO ts to epoch");
	ok(is_num(r, "_write_ts", "1521911720.866586"), "json-streaming: any ISO time to epoch");
	ok(zl_get(r, "answers").n == 2 && zl_get(r, "AA").type == ZL_BOOL, "json: arrays, bools");
	ok(feed(r, "{\"conn\": {\"ts\":1655071198.444458,\"uid\":\"C1\",\"orig_pkts\":3}}") == ZL_RECORD &&
	   !strcmp(zl_rec_path(r), "conn") && is_str(r, "uid", "C1") && is_num(r, "orig_pkts", "3") &&
	   is_type(r, "conn", ZL_ABSENT), "kafka: the key is the log type, the inner object the record");
	ok(feed(r, "{\"ts\":1.25,\"uid\":\"C\\u00e9\"}") == ZL_RECORD && zl_rec_path(r) == NULL &&
	   is_num(r, "ts", "1.250000") && is_str(r, "uid", "C\xc3\xa9"), "json: ts padded, no _path");
	ok(feed(r, "{\"ts\":\"\\\\xc3(\"}") == ZL_RECORD && is_str(r, "ts", "\\xc3("),
	   "json: a ts that is no time stays a string");
	ok(feed(r, "{\"s\":\"\xff\xfe\"}") == ZL_RECORD && is_str(r, "s", "\xff\xfe"),
	   "json: invalid UTF-8 bytes kept");
	ok(feed(r, "{\"a\":1") == ZL_BROKEN && strstr(zl_rec_error(r), "truncated"), "json: truncated");
	ok(feed(r, "### BTest baseline") == ZL_HEADER, "a # comment is no record");

	n = zl_iso8601_epoch("2020-01-01T12:34:56.123456Z", 27, buf);
	ok(n && !strcmp(buf, "1577882096.123456"), "iso: Z");
	n = zl_iso8601_epoch("2020-01-01T13:34:56.1234565+01:00", 33, buf);
	ok(n && !strcmp(buf, "1577882096.123457"), "iso: offset, 7 digits rounded");
	n = zl_iso8601_epoch("2020-01-01T12:34:56+0000", 24, buf);
	ok(n && !strcmp(buf, "1577882096.000000"), "iso: no fraction, +0000");
	n = zl_iso8601_epoch("1969-12-31T23:59:59.5Z", 22, buf);
	ok(n && !strcmp(buf, "-0.500000"), "iso: before 1970");
	n = zl_iso8601_epoch("2024-02-29T00:00:00.999999999Z", 30, buf);
	ok(n && !strcmp(buf, "1709164801.000000"), "iso: leap day, carry");
	ok(!zl_iso8601_epoch("2023-02-29T00:00:00Z", 20, buf) &&
	   !zl_iso8601_epoch("2023-01-01T00:00:00Zjunk", 24, buf) &&
	   !zl_iso8601_epoch("2023-01-01", 10, buf), "iso: refuses bad dates and trailing text");
	n = zl_round6("0.0008699893951416016", 21, buf);
	ok(n && !strcmp(buf, "0.000870"), "round6: rtt as Zeek's TSV writes it");
	n = zl_round6("1.5e3", 5, buf);
	ok(n == 11 && !strcmp(buf, "1500.000000"), "round6: an exponent");
	ok(zl_round6("1e300", 5, buf) == 0 && zl_round6("123456789012345678901234567", 27, buf) == 0,
	   "round6: 1e25 and up is refused, not cut to the buffer (its length was 300)");
	zl_rec_free(r);
}

static void forced(void)
{
	zl_rec *r = zl_rec_new();

	zl_rec_set_format(r, ZL_FMT_JSON);
	ok(feed(r, "#fields\tts") == ZL_BROKEN && strstr(zl_rec_error(r), "not a JSON object"),
	   "--format json: a header line is broken");
	zl_rec_set_format(r, ZL_FMT_TSV);
	ok(feed(r, "{\"ts\":1}") == ZL_BROKEN && strstr(zl_rec_error(r), "no #fields header"),
	   "--format tsv: a JSON line is a row");
	zl_rec_free(r);
}

/* The JSON reader's shortcuts give what the general paths gave: names of
 * every length (the hash reads words), escaped keys, blanks between tokens,
 * the errors at the same columns, ts already in Zeek's form or not. */
static void json_paths(void)
{
	zl_rec *r = zl_rec_new();
	char line[4000], name[32];
	size_t n, k;
	int all = 1;

	/* keys of 2..24 bytes differing only in their last or first byte */
	n = (size_t)snprintf(line, sizeof line, "{");
	for (k = 2; k <= 24; k++) {
		memset(name, 'k', k);
		name[k] = '\0';
		n += (size_t)snprintf(line + n, sizeof line - n, "\"%s\":%zu,\"%.*sz\":%zu,\"z%s\":%zu,",
		                      name, k, (int)k - 1, name, 100 + k, name + 1, 200 + k);
	}
	line[n - 1] = '}';
	ok(feed(r, line) == ZL_RECORD, "json: 69 keys of 2..24 bytes read");
	for (k = 2; k <= 24; k++) {
		char want[8];
		memset(name, 'k', k);
		name[k] = '\0';
		snprintf(want, sizeof want, "%zu", k);
		all &= is_num(r, name, want);
		name[k - 1] = 'z';
		snprintf(want, sizeof want, "%zu", 100 + k);
		all &= is_num(r, name, want);
		name[k - 1] = 'k';
		name[0] = 'z';
		snprintf(want, sizeof want, "%zu", 200 + k);
		all &= is_num(r, name, want);
	}
	memset(name, 'k', 25);
	name[25] = '\0';
	ok(all && is_type(r, name, ZL_ABSENT) && is_type(r, "q", ZL_ABSENT) && is_type(r, "", ZL_ABSENT),
	   "json: each of them found by its name, others not");
	ok(feed(r, "{\"a\\u0062\":1,\"a\\\\b\":2,\"x\\\"y\":3,\"id.orig_h\\u0000\":4}") == ZL_RECORD &&
	   is_num(r, "ab", "1") && is_num(r, "a\\b", "2") && is_num(r, "x\"y", "3") &&
	   is_type(r, "id.orig_h", ZL_ABSENT), "json: escaped keys are found unescaped, \\u0000 keys never");
	ok(feed(r, " { \"a\" : [ 1 , { \"b\" : null } ] ,\t\"c\":true\r} ") == ZL_RECORD &&
	   zl_get(r, "a").n == 2 && zl_get(r, "c").b == 1, "json: blanks between all tokens");
	ok(feed(r, "{\"a\":1 ,, \"b\":2}") == ZL_BROKEN &&
	   !strcmp(zl_rec_error(r), "invalid JSON at column 9"), "json: a doubled comma, its column");
	ok(feed(r, "{\"a\" 1}") == ZL_BROKEN && !strcmp(zl_rec_error(r), "invalid JSON at column 6"),
	   "json: a missing colon, its column");
	ok(feed(r, "{\"a\":[1 2]}") == ZL_BROKEN && !strcmp(zl_rec_error(r), "invalid JSON at column 9"),
	   "json: a missing comma in an array, its column");
	ok(feed(r, "{\"a\":1,\"b\"}") == ZL_BROKEN &&
	   !strcmp(zl_rec_error(r), "invalid JSON at column 11: a key without a value"), "json: a key without a value");
	ok(feed(r, "{\"a\":01}") == ZL_BROKEN && feed(r, "{\"a\":1.}") == ZL_BROKEN &&
	   feed(r, "{\"a\":-}") == ZL_BROKEN && feed(r, "{\"a\":1e}") == ZL_BROKEN &&
	   !strcmp(zl_rec_error(r), "invalid JSON at column 6: not a number, true, false or null") &&
	   feed(r, "{\"a\":-0.5e+3,\"b\":0,\"c\":1E-2}") == ZL_RECORD, "json: numbers checked as RFC 8259 says");
	ok(feed(r, "{\"a\":1} 2 ") == ZL_BROKEN &&
	   !strcmp(zl_rec_error(r), "extra data after the JSON object at column 9"), "json: extra data, its column");
	ok(feed(r, "{\"ts\":1655071198.444458}") == ZL_RECORD && is_num(r, "ts", "1655071198.444458") &&
	   feed(r, "{\"ts\":0.000001}") == ZL_RECORD && is_num(r, "ts", "0.000001") &&
	   feed(r, "{\"ts\":-0.0000006}") == ZL_RECORD && is_num(r, "ts", "-0.000001") &&
	   feed(r, "{\"ts\":-0.000000}") == ZL_RECORD && is_num(r, "ts", "0.000000") &&
	   feed(r, "{\"ts\":123456789012.123456}") == ZL_RECORD && is_num(r, "ts", "123456789012.123456") &&
	   feed(r, "{\"ts\":1234567890123.1234565}") == ZL_RECORD && is_num(r, "ts", "1234567890123.123457") &&
	   feed(r, "{\"ts\":1.5e3}") == ZL_RECORD && is_num(r, "ts", "1500.000000") &&
	   feed(r, "{\"ts\":\"1.5\"}") == ZL_RECORD && is_num(r, "ts", "1.500000"),
	   "json: ts in Zeek's form kept, others rounded to 6 decimals");
	zl_rec_free(r);
}

/* zl_get_static() answers as zl_get() does, record after record, while the
 * records' keys come and go and change places (where a name was found
 * last is only a hint), in JSON and TSV. */
static void static_names(void)
{
	static const char *const names[] = { "ts", "uid", "a", "b", "c", "id.orig_h", "zz", "" };
	static const char *const lines[] = {
		"{\"ts\":1.5,\"uid\":\"C1\",\"a\":1,\"b\":\"x\",\"id.orig_h\":\"10.0.0.1\"}",
		"{\"b\":\"y\",\"a\":2,\"uid\":\"C2\"}",
		"{\"c\":[1,2],\"id.orig_h\":\"10.0.0.2\",\"a\":3,\"a\":4}",
		"{\"a\":5,\"c\":true}",
		"{\"conn\":{\"uid\":\"C3\",\"b\":\"z\",\"a\":6}}",
		"#separator \\x09",
		"#fields\tts\tuid\ta\tc",
		"#types\ttime\tstring\tcount\tbool",
		"2.5\tC4\t7\tT",
		"#fields\tc\tzz\ta\tuid", /* columns move, zz appears, ts goes */
		"#types\tbool\tstring\tcount\tstring",
		"F\tq\t8\tC6",
		"{\"uid\":\"C5\",\"c\":null,\"b\":\"\\u0041\"}",
	};
	zl_rec *r = zl_rec_new();
	size_t i, k;
	int same = 1;

	for (i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		if (feed(r, lines[i]) != ZL_RECORD)
			continue;
		for (k = 0; k < sizeof names / sizeof names[0]; k++) {
			zl_value a = zl_get(r, names[k]), b = zl_get_static(r, names[k]);
			same &= a.type == b.type && a.len == b.len && a.n == b.n && a.b == b.b &&
			        (a.s == b.s || (a.s && b.s && !strcmp(a.s, b.s)));
		}
	}
	ok(same && feed(r, lines[2]) == ZL_RECORD && is_num(r, "a", "4") &&
	   zl_get_static(r, "a").s && !strcmp(zl_get_static(r, "a").s, "4"),
	   "json, tsv: names known by their address read as by their text");
	zl_rec_free(r);
}

/* The fast path for lines in Zeek's own JSON form (json_flat() in
 * zeeklog.c) against jsmn and the validating walk: the same tokens and
 * keys, or the line left to them. */
static void json_fast(void)
{
	static const char *const zeek_form[] = {
		"{\"ts\":1.5,\"uid\":\"C1\",\"id.orig_p\":80,\"proto\":\"tcp\"}",
		"{\"a\":[],\"b\":[\"x\",\"y\"],\"c\":[1,2.5e-3,-0,true],\"d\":null}",
		"{\"AA\":true,\"TC\":false,\"n\":-12.75E+2,\"s\":\"\",\"u\":\"caf\xc3\xa9 \xff\"}",
		"{\"a\":1,\"a\":\"again\",\"b\":\"a string longer than sixteen bytes, with / and :\"}",
		"{\"x\":0}",
		"{\"long key, more than sixteen bytes\":\"sixteen bytes and more \xc3\xa9\xff\x80 to the end\"}",
	};
	static const char *const other_form[] = {
		"{}", " {\"a\":1}", "{\"a\": 1}", "{\"a\":1} ", "{\"a\":1}\r",
		"{\"a\":\"tab\\there\"}", "{\"k\\u0041\":1}", "{\"a\":\"x\ty\"}",
		"{\"a\":{\"b\":1}}", "{\"conn\":{\"ts\":1}}", "{\"a\":[[1]]}", "{\"a\":[{}]}",
		"{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":+1}", "{\"a\":tru}", "{\"a\":nulll}",
		"{\"a\":1,}", "{\"a\":1,,\"b\":2}", "{\"a\"1}", "{\"a\":}", "{\"a\"}", "{\"a\":1",
		"{\"a\":\"open", "{\"a\":[1,2}", "{\"a\":[1 2]}", "{\"a\":1}{\"b\":2}", "[1,2]",
		"{\"a\":1]", "{\"a\":[1}]", "{1:2}", "{\"a\":t", "{\"a\":fals", "{\"a\":nul}",
		"{\"a\":\"sixteen bytes and more\\tthen a tab\"}", "{\"a\":\"sixteen bytes and more\x01\"}",
		"{\"a\":\"sixteen bytes and more, never closed", "{\"sixteen bytes and more\x7f\x1f\":1}",
		"{\"a\":-", "{\"a\":-}", "{\"a\":1e", "{\"a\":1e+}", "{\"a\":2.", "{\"a\":[", "{\"a\":[1,",
	};
	size_t k;
	int fast = 1, declined = 1, n = 0, same = 0, differ = 0;

	for (k = 0; k < sizeof zeek_form / sizeof zeek_form[0]; k++)
		fast &= zl_json_check_fast(zeek_form[k], strlen(zeek_form[k])) == 0;
	ok(fast, "json fast path: Zeek's form read as jsmn and the walk read it");
	for (k = 0; k < sizeof other_form / sizeof other_form[0]; k++)
		declined &= zl_json_check_fast(other_form[k], strlen(other_form[k])) == -1;
	{ /* a NUL byte inside a string */
		static const char nul[] = "{\"a\":\"x\0y\"}";
		declined &= zl_json_check_fast(nul, sizeof nul - 1) == -1;
	}
	ok(declined, "json fast path: blanks, escapes, nesting, bad JSON left to the general path");

	/* every line of the real logs in tests/data */
	static const char *const files[] = {
		"tests/data/golden/conn.input.jsonl.gz", "tests/data/golden/dns.input.jsonl.gz",
		"tests/data/golden/http.input.jsonl.gz", "tests/data/golden/ssh.input.jsonl.gz",
		"tests/data/golden/ssl.input.jsonl.gz", "tests/data/formats/brim_dns.head150.json.gz",
		"tests/data/formats/brim_ssh.head150.json.gz", "tests/data/formats/brim_ssl.head150.json.gz",
		"tests/data/formats/rita-http.head200.json.gz",
	};
	static char line[1 << 16];
	for (k = 0; k < sizeof files / sizeof files[0]; k++) {
		char cmd[256];
		FILE *f;

		snprintf(cmd, sizeof cmd, "gzip -dc %s", files[k]);
		if (!(f = popen(cmd, "r")))
			continue;
		while (fgets(line, sizeof line, f)) {
			size_t len = strlen(line);
			int rc;
			if (len && line[len - 1] == '\n')
				line[--len] = '\0';
			rc = zl_json_check_fast(line, len);
			n++;
			same += rc == 0;
			differ += rc == 1;
		}
		pclose(f);
	}
	printf("# json fast path: %d of %d real lines, %d differ\n", same, n, differ);
	ok(n > 1000 && differ == 0 && same > n * 9 / 10,
	   "json fast path: real lines read the same, nine in ten or more by the fast path");
}

/* A stream of JSON lines through one reader, which indexes a line's keys
 * from its memory of the last line's where they are the same: every value
 * as a fresh reader sees it. */
static void json_shapes(void)
{
	static char wide[3][2048], huge[2][8192], longk[2][4096];
	static char bufr[8192], buff[8192];
	const char *seq[32];
	char names[81][128];
	size_t n = 0, i, k, nn = 0;
	zl_rec *r = zl_rec_new();
	int same = 1, records = 0;

	/* 40 keys (the table grows past 32), 70 (more than are remembered),
	 * and keys of 1100 bytes in all (more text than is remembered) */
	for (i = 0; i < 3; i++) { /* wide[2] has an escape: jsmn's path */
		int at = sprintf(wide[i], i < 2 ? "{\"ts\":%zu" : "{\"e\":\"\\u0041\",\"ts\":%zu", i);
		for (k = 0; k < 40; k++)
			at += sprintf(wide[i] + at, ",\"k%zu\":%zu", k, k * (i + 1));
		strcpy(wide[i] + at, "}");
	}
	for (i = 0; i < 2; i++) {
		int at = sprintf(huge[i], "{\"ts\":%zu", i);
		for (k = 0; k < 70; k++)
			at += sprintf(huge[i] + at, ",\"k%zu\":\"v%zu\"", k, k + i);
		strcpy(huge[i] + at, "}");
		at = sprintf(longk[i], "{\"uid\":\"L%zu\"", i);
		for (k = 0; k < 11; k++)
			at += sprintf(longk[i] + at, ",\"%c%099d\":%zu", (char)('p' + k), 0, k + i);
		strcpy(longk[i] + at, "}");
	}
	static const char *const base[] = {
		"{\"ts\":1.5,\"uid\":\"C1\",\"a\":1,\"b\":\"x\"}",
		"{\"ts\":2.5,\"uid\":\"C22\",\"a\":\"a longer value\",\"b\":[1,2]}",
		"{\"ts\":3.5,\"uid\":\"C3\",\"b\":\"y\",\"a\":2}",
		"{\"ts\":4.5,\"uid\":\"C4\",\"a\":1,\"a\":2,\"b\":\"z\"}",
		"{\"ts\":4.6,\"uid\":\"C5\",\"a\":3,\"a\":4,\"b\":\"w\"}",
		"{\"ts\":5.5,\"uid\":\"C6\",\"a\":1}",
		"{\"ts\":5.5,\"uid\":\"C6\",\"a\":1,\"b\":2,\"c\":3}",
		"{\"ts\":5.7,\"uid\":\"C7\",\"a\":true,\"b\":null,\"c\":\"2022-06-12T21:59:58.444458Z\"}",
		"{\"ts\":6.5,\"uid\":\"C\\u0038\",\"a\":1,\"b\":\"x\"}", /* an escape: jsmn's path */
		"{\"ts\":1.5,\"uid\":\"C9\",\"a\":9,\"b\":\"q\"}",
		"{\"ts\":1.5,\"uid\":\"C9\",\"a\":9,\"bb\":\"q\"}", /* one key longer */
		"{\"ts\":1.5,\"uid\":\"C9\",\"a\":9,\"c\":\"q\"}",  /* one key other */
	};
	/* remembered, then the table grows under a line jsmn reads */
	seq[n++] = base[0];
	seq[n++] = base[0];
	seq[n++] = wide[2];
	seq[n++] = base[0];
	for (i = 0; i < sizeof base / sizeof base[0]; i++)
		seq[n++] = base[i];
	seq[n++] = wide[0];
	seq[n++] = wide[1];
	seq[n++] = base[0]; /* the table is larger now */
	seq[n++] = base[9];
	seq[n++] = huge[0];
	seq[n++] = huge[1];
	seq[n++] = longk[0];
	seq[n++] = longk[1];
	seq[n++] = base[0];

	for (k = 0; k < 70; k++)
		snprintf(names[nn++], sizeof names[0], "k%zu", k);
	for (k = 0; k < 11; k++)
		snprintf(names[nn++], sizeof names[0], "%c%099d", (char)('p' + k), 0);
	for (i = 0; i < n; i++) {
		static const char *const fixed[] = { "ts", "uid", "a", "b", "bb", "c", "e", "zz" };
		zl_rec *f = zl_rec_new();
		size_t len = strlen(seq[i]);

		memcpy(bufr, seq[i], len + 1);
		memcpy(buff, seq[i], len + 1);
		if (zl_read(r, bufr, len) != ZL_RECORD || zl_read(f, buff, len) != ZL_RECORD) {
			same = 0;
			zl_rec_free(f);
			continue;
		}
		records++;
		for (k = 0; k < nn + sizeof fixed / sizeof fixed[0]; k++) {
			const char *name = k < nn ? names[k] : fixed[k - nn];
			zl_value a = zl_get(r, name), b = zl_get(f, name);

			if (a.type != b.type || a.len != b.len || a.n != b.n || a.b != b.b ||
			    !(a.s == b.s || (a.s && b.s && !strcmp(a.s, b.s)))) {
				printf("# line %zu, %.20s: differs\n", i, name);
				same = 0;
			}
		}
		zl_rec_free(f);
	}
	ok(same && records == (int)n,
	   "json: keys indexed from the last line's (same, reordered, doubled, more, fewer) read as afresh");
	zl_rec_free(r);
}

int main(void)
{
	tsv_types();
	tsv_layouts();
	json_forms();
	json_paths();
	json_fast();
	json_shapes();
	forced();
	static_names();
	tap_plan(tap_run);
	return tap_status();
}
