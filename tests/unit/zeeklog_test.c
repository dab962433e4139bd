/* zeeklog_test - the field view modules see, for every input format: TSV
 * typed by #types, unset and empty values, escapes, sets, extra columns,
 * JSON-streaming, Kafka, ISO 8601 and ts normalisation. TAP output. */
#include "zeeklog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int n_test, n_fail;

static void ok(int cond, const char *what)
{
	n_test++;
	if (!cond)
		n_fail++;
	printf("%sok %d - %s\n", cond ? "" : "not ", n_test, what);
}

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

int main(void)
{
	tsv_types();
	tsv_layouts();
	json_forms();
	forced();
	printf("1..%d\n", n_test);
	return n_fail != 0;
}
