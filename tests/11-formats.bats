#!/usr/bin/env bats
# azw-extract input formats: Zeek TSV (header blocks, extra columns, unset
# and empty values, escapes), JSON, JSON-streaming, Kafka; the same records
# in two formats give the same vectors; broken input is reported and skipped.

load helpers

FMT="$DATA/formats"
CONN_JSON="$DATA/conn/ctu-008-mixed.head200.conn.json"
CONN_TSV="$FMT/ctu-008-mixed.head200.conn.log.labeled"

has_module() {
	azw-extract --help | grep -q "^  $1 "
}

schemas_of() {
	azw-extract --help | sed -n "s/^  $1 .*schemas: //p"
}

rows() {
	grep -vc '^#' "$1"
}

@test "formats: conn TSV and JSON of the same records give identical streams, every schema" {
	for s in $(schemas_of conn); do
		azw-extract --schema "$s" "$CONN_TSV" > "$TMP/tsv"
		azw-extract -m conn --schema "$s" "$CONN_JSON" > "$TMP/json"
		cmp "$TMP/tsv" "$TMP/json"
		[ "$(rows "$TMP/tsv")" -eq 200 ]
	done
	# ts is the same text in both, 6 decimals.
	[ "$(grep -v '^#' "$TMP/tsv" | head -n 1 | cut -f1)" = 1655071198.444458 ]
}

@test "formats: ssh and ssl JSON-streaming (ISO ts) and TSV give identical streams" {
	for t in ssh ssl; do
		has_module "$t" || skip "no $t module yet"
		for s in $(schemas_of "$t"); do
			gzip -dc "$FMT/brim_$t.head150.json.gz" | azw-extract --schema "$s" > "$TMP/json"
			gzip -dc "$FMT/brim_$t.head150.log.gz" | azw-extract --schema "$s" > "$TMP/tsv"
			cmp "$TMP/json" "$TMP/tsv"
		done
	done
	[ "$(rows "$TMP/tsv")" -eq 150 ]
}

@test "formats: http JSON and TSV (RITA's valid pair) give identical streams" {
	has_module http || skip "no http module yet"
	for s in $(schemas_of http); do
		gzip -dc "$FMT/rita-http.head200.json.gz" | azw-extract --schema "$s" > "$TMP/json"
		gzip -dc "$FMT/rita-http.head200.log.gz" | azw-extract --schema "$s" > "$TMP/tsv"
		cmp "$TMP/json" "$TMP/tsv"
	done
	[ "$(rows "$TMP/tsv")" -eq 200 ]
}

# TSV writes intervals with 6 decimals, JSON with all 17 digits: dns rtt is
# the one column that differs (the original schema must match the
# AutoZeekWatch vectors made from JSON); rounded, it agrees.
@test "formats: dns JSON-streaming and TSV agree, rtt to the microsecond" {
	has_module dns || skip "no dns module yet"
	gzip -dc "$FMT/brim_dns.head150.json.gz" | azw-extract --schema original > "$TMP/json"
	gzip -dc "$FMT/brim_dns.head150.log.gz" | azw-extract --schema original > "$TMP/tsv"
	[ "$(rows "$TMP/tsv")" -eq 150 ]
	col=$(grep '^#fields' "$TMP/tsv" | tr '\t' '\n' | grep -n -x rtt | cut -d: -f1)
	col=$((col - 1))
	if [ "$col" -gt 0 ]; then
		cmp <(cut -f "1-$((col - 1)),$((col + 1))-" "$TMP/json") <(cut -f "1-$((col - 1)),$((col + 1))-" "$TMP/tsv")
		diff <(grep -v '^#' "$TMP/json" | cut -f "$col" | awk '{ printf "%.6f\n", $1 }') \
			<(grep -v '^#' "$TMP/tsv" | cut -f "$col" | awk '{ printf "%.6f\n", $1 }')
	else
		cmp "$TMP/json" "$TMP/tsv"
	fi
}

@test "formats: TSV header blocks one after another, _node_name first (zeekctl)" {
	f="$FMT/rita-missing-host.conn.2blocks.log"
	run bash -c "azw-extract --schema original '$f' > '$TMP/out'"
	[ "$status" -eq 0 ]
	[ "$(rows "$TMP/out")" -eq 120 ]
	# uid and ts by name, whatever their position after _node_name.
	diff <(grep -v '^#' "$TMP/out" | cut -f1,2) <(grep -v '^#' "$f" | cut -f2,3)
}

@test "formats: a schema change mid-stream (old Bro conn, then a newer one)" {
	old="$FMT/zat.conn.head12.log"
	azw-extract -m conn --schema original "$old" > "$TMP/a"
	azw-extract -m conn --schema original "$CONN_TSV" > "$TMP/b"
	cat "$old" "$CONN_TSV" | azw-extract -m conn --schema original > "$TMP/ab"
	[ "$(rows "$TMP/ab")" -eq 212 ]
	diff <(grep -v '^#' "$TMP/ab") <(cat "$TMP/a" "$TMP/b" | grep -v '^#')
	# the old schema has no local_resp: 0
	[ "$(grep -v '^#' "$TMP/a" | cut -f36 | sort -u)" = 0 ]
}

@test "formats: IoT-23's three space-joined columns read like separate ones" {
	azw-extract --schema original "$FMT/iot23-layout.head20.conn.log.labeled" > "$TMP/iot"
	head -n 28 "$CONN_TSV" | azw-extract --schema original > "$TMP/tab"
	cmp "$TMP/iot" "$TMP/tab"
	[ "$(rows "$TMP/iot")" -eq 20 ]
}

@test "formats: unset (-) and (empty) read as JSON's left-out fields" {
	# Unset counts and booleans in TSV; the same fields left out of JSON.
	awk -F'\t' 'BEGIN { OFS = "\t" } /^#/ { print; next } { $13 = "-"; $17 = "-"; $18 = "-"; print }' \
		"$CONN_TSV" > "$TMP/unset.log"
	jq -c 'del(.local_orig, .orig_pkts, .orig_ip_bytes)' "$CONN_JSON" > "$TMP/unset.json"
	azw-extract --schema original "$TMP/unset.log" > "$TMP/a"
	azw-extract -m conn --schema original "$TMP/unset.json" > "$TMP/b"
	cmp "$TMP/a" "$TMP/b"
	# "(empty)" (an empty set or string) in tunnel_parents and service: read
	# without an error, as JSON's empty string
	[ "$(grep -v '^#' "$CONN_TSV" | cut -f21 | sort -u)" = "(empty)" ]
	awk -F'\t' 'BEGIN { OFS = "\t" } /^#/ { print; next } { $8 = "(empty)"; print }' "$CONN_TSV" > "$TMP/empty.log"
	jq -c '.service = ""' "$CONN_JSON" > "$TMP/empty.json"
	for schema in original extended; do
		azw-extract --schema "$schema" "$TMP/empty.log" > "$TMP/a" 2> "$TMP/err"
		[ ! -s "$TMP/err" ]
		[ "$(rows "$TMP/a")" -eq 200 ]
		azw-extract -m conn --schema "$schema" "$TMP/empty.json" | cmp - "$TMP/a"
		# and not as the services the records had
		azw-extract --schema "$schema" "$CONN_TSV" | differ - "$TMP/a"
	done
}

@test "formats: \\xNN escapes are decoded before the modules see a value" {
	{
		head -n 8 "$CONN_TSV"
		grep -v '^#' "$CONN_TSV" | head -n 1 |
			awk -F'\t' 'BEGIN { OFS = "\t" } { $2 = "C\\x09x\\x5c"; $7 = "\\x74cp"; print }'
	} > "$TMP/esc.log"
	azw-extract --schema original "$TMP/esc.log" > "$TMP/out"
	# uid decoded, then written back Zeek-style; proto "tcp" sets proto_tcp.
	[ "$(grep -v '^#' "$TMP/out" | cut -f2,7)" = "$(printf 'C\\x09x\\x5c\ttcp')" ]
	col=$(grep '^#fields' "$TMP/out" | tr '\t' '\n' | grep -n -x proto_tcp | cut -d: -f1)
	[ "$(grep -v '^#' "$TMP/out" | cut -f $((col - 1)))" = 1 ]
}

@test "formats: JSON-streaming with other log types: skipped, counted once, exit 0" {
	has_module ssl || skip "no ssl module yet"
	{
		gzip -dc "$FMT/brim_dns.head150.json.gz" | head -n 10
		gzip -dc "$FMT/brim_ssl.head150.json.gz"
		gzip -dc "$FMT/brim_ssh.head150.json.gz"
		gzip -dc "$FMT/brim_dns.head150.json.gz" | tail -n 140
	} > "$TMP/mixed.json"
	run bash -c "azw-extract -m SSL --schema original '$TMP/mixed.json' 2> '$TMP/err' > '$TMP/out'"
	[ "$status" -eq 0 ]
	[ "$(rows "$TMP/out")" -eq 150 ]
	[ "$(cat "$TMP/err")" = "azw-extract: 172 records of other log types (dns, ssh) skipped" ]
	# Without -m the first record decides: dns.
	if has_module dns; then
		run bash -c "azw-extract --schema original '$TMP/mixed.json' 2> '$TMP/err' > '$TMP/out'"
		[ "$status" -eq 0 ]
		grep -qx "$(printf '#module\tdns')" "$TMP/out"
		[ "$(rows "$TMP/out")" -eq 150 ]
		[ "$(cat "$TMP/err")" = "azw-extract: 172 records of other log types (ssl, ssh) skipped" ]
	fi
}

@test "formats: cat of TSV logs of several types with -m: other #path blocks counted" {
	cat "$FMT/rita-missing-host.dns.head20.log" "$FMT/rita-missing-host.conn.2blocks.log" > "$TMP/all.log"
	run bash -c "azw-extract -m conn --schema original '$TMP/all.log' 2> '$TMP/err' > '$TMP/out'"
	[ "$status" -eq 0 ]
	[ "$(rows "$TMP/out")" -eq 120 ]
	[ "$(cat "$TMP/err")" = "azw-extract: 20 records of other log types (dns) skipped" ]
	# A TSV file without #path is the module's; without -m, a clear error.
	grep -v '^#path' "$CONN_TSV" > "$TMP/nopath.log"
	azw-extract -m conn --schema original "$TMP/nopath.log" | cmp - <(azw-extract --schema original "$CONN_TSV")
	run azw-extract --schema original "$TMP/nopath.log"
	[ "$status" -eq 2 ]
	[[ "$output" == *"nopath.log:8: cannot tell the log type (no #path header): use -m MODULE"* ]]
}

@test "formats: ISO 8601 ts, any offset and precision, to the microsecond" {
	while IFS='|' read -r ts want; do
		echo "{\"ts\":$ts,\"id.orig_h\":\"10.0.0.1\",\"id.resp_h\":\"10.0.0.2\"}" |
			azw-extract -m conn --schema original | tail -n 1 | cut -f1 > "$TMP/got"
		echo "$ts -> $(cat "$TMP/got"), want $want"
		[ "$(cat "$TMP/got")" = "$want" ]
	done <<-'EOF'
	"2022-06-12T21:59:58.444458Z"|1655071198.444458
	"2022-06-12T23:59:58.444458+02:00"|1655071198.444458
	"2022-06-12T19:29:58.444458-0230"|1655071198.444458
	"2022-06-12T21:59:58.4444585Z"|1655071198.444459
	"2022-06-12T21:59:58.4Z"|1655071198.400000
	"2022-06-12 21:59:58Z"|1655071198.000000
	1655071198.4|1655071198.400000
	1655071198|1655071198.000000
	EOF
}

@test "formats: zeek-kafka's {\"conn\": {...}} records, module from the key" {
	sed 's/^/{"conn": /; s/$/}/' "$CONN_JSON" > "$TMP/kafka.json"
	azw-extract --schema original "$TMP/kafka.json" > "$TMP/a"
	azw-extract -m conn --schema original "$CONN_JSON" > "$TMP/b"
	cmp "$TMP/a" "$TMP/b"
	{ head -n 3 "$TMP/kafka.json"; head -n 2 "$TMP/kafka.json" | sed 's/^{"conn"/{"dns"/'; } > "$TMP/k2.json"
	run bash -c "azw-extract --schema original '$TMP/k2.json' 2>&1 >/dev/null"
	[ "$status" -eq 0 ]
	[ "$output" = "azw-extract: 2 records of other log types (dns) skipped" ]
}

@test "formats: --format forces one reader; bad --format is a usage error" {
	azw-extract --schema original --format tsv "$CONN_TSV" | cmp - <(azw-extract --schema original "$CONN_TSV")
	azw-extract --schema original --format json -m conn "$CONN_JSON" | cmp - <(azw-extract -m conn --schema original "$CONN_JSON")
	run bash -c "azw-extract --schema original --format json -m conn '$CONN_TSV' 2> '$TMP/err' > '$TMP/out'"
	[ "$status" -eq 1 ]
	grep -q "^azw-extract: $CONN_TSV:7: not a JSON object: \"#fields?ts?uid?id.or...\"$" "$TMP/err"
	grep -q "^azw-extract: 208 of 208 records skipped$" "$TMP/err"
	run bash -c "azw-extract --schema original --format tsv -m conn '$CONN_JSON' 2> '$TMP/err'"
	[ "$status" -eq 1 ]
	grep -q "$CONN_JSON:1: a TSV row with no #fields header before it" "$TMP/err"
	run azw-extract --format xml -m conn < /dev/null
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown format 'xml'"* ]]
}

@test "formats: RITA's broken files: every bad line reported and skipped, the rest read" {
	e="$FMT/rita-edgecases"
	run bash -c "azw-extract -m conn --schema original '$e/truncated_conn_top_noheader.log' 2> '$TMP/err' > '$TMP/out'"
	[ "$status" -eq 1 ]
	[ "$(rows "$TMP/out")" -eq 0 ]
	[ "$(grep -c ': a TSV row with no #fields header before it (a live log through tail -F? read it with azw-extract -F FILE, or tail -n +1 -F)$' "$TMP/err")" -eq 12 ]
	run bash -c "azw-extract --schema original '$e/truncated_conn.log' 2> '$TMP/err' > '$TMP/out'"
	[ "$status" -eq 1 ]
	[ "$(rows "$TMP/out")" -eq 58 ]
	grep -q "^azw-extract: $e/truncated_conn.log:67: 9 columns, but #fields has 21 (a truncated line?)$" "$TMP/err"
	grep -q "^azw-extract: 1 of 59 records skipped$" "$TMP/err"
	run bash -c "azw-extract -m conn --schema original '$e/truncated_conn_json_synthetic.log' 2> '$TMP/err' > '$TMP/out'"
	[ "$status" -eq 1 ]
	[ "$(rows "$TMP/out")" -eq 3 ]
	grep -q "synthetic.log:4: truncated JSON" "$TMP/err"
	run bash -c "azw-extract -m conn --schema original '$e/not_zeek_lorem_conn.log' 2> '$TMP/err' > '$TMP/out'"
	[ "$status" -eq 1 ]
	grep -q "lorem_conn.log:1: not a Zeek log line (no JSON object, no TSV header): \"Lorem ipsum dolor si...\"" "$TMP/err"
	grep -q "^azw-extract: 5 of 5 records skipped$" "$TMP/err"
	if has_module http; then
		# An unknown column and type (i_dont_exist, int64) are fine; one row
		# lacks that column.
		run bash -c "azw-extract --schema original '$e/has_unknown_field_http.log' 2> '$TMP/err' > '$TMP/out'"
		[ "$status" -eq 1 ]
		[ "$(rows "$TMP/out")" -eq 4 ]
		grep -q "http.log:9: 29 columns, but #fields has 30" "$TMP/err"
	fi
}

@test "formats: a line over 1 MiB and a NUL byte in TSV: reported, the stream goes on" {
	{
		head -n 9 "$CONN_TSV"
		grep -v '^#' "$CONN_TSV" | sed -n 2p | awk -F'\t' 'BEGIN { OFS = "\t" } { s = "S"; while (length(s) < 1100000) s = s s; $16 = s; print }'
		grep -v '^#' "$CONN_TSV" | sed -n 3p | tr 'S' '\0'
		grep -v '^#' "$CONN_TSV" | sed -n 4,10p
	} > "$TMP/hostile.log"
	run bash -c "azw-extract --schema original '$TMP/hostile.log' 2> '$TMP/err' > '$TMP/out'"
	[ "$status" -eq 1 ]
	cat "$TMP/err"
	grep -q "hostile.log:10: line longer than 1048576 bytes" "$TMP/err"
	grep -q "hostile.log:11: NUL byte at column" "$TMP/err"
	grep -q "^azw-extract: 2 of 10 records skipped$" "$TMP/err"
	[ "$(rows "$TMP/out")" -eq 8 ]
	# a long line that is still arriving when the limit passes: the same
	rc=0
	{ head -n 9 "$CONN_TSV"; head -c 3000000 /dev/zero | tr '\0' 'x'; echo; grep -v '^#' "$CONN_TSV" | sed -n 2p; } |
		azw-extract --schema original 2> "$TMP/err" > "$TMP/out" || rc=$?
	[ "$rc" -eq 1 ]
	grep -q "stdin:10: line longer than 1048576 bytes" "$TMP/err"
	[ "$(rows "$TMP/out")" -eq 2 ]
}

@test "formats: a record line of exactly 1 MiB is read; one byte longer is reported and skipped" {
	# JSON conn records padded (a field no module reads) to 1048576 and
	# 1048577 bytes, newline not counted; twice, so each comes both
	# as the first thing read and after another long line
	awk 'BEGIN {
		r = "{\"ts\":1600000000,\"uid\":\"C1\",\"id.orig_h\":\"10.0.0.1\",\"id.orig_p\":1,\"id.resp_h\":\"10.0.0.2\",\"id.resp_p\":80,\"proto\":\"tcp\",\"pad\":\""
		t = "\"}"; s = "x"; while (length(s) < 1100000) s = s s
		for (i = 0; i < 4; i++) { n = 1048576 + i % 2; printf "%s%s%s\n", r, substr(s, 1, n - length(r) - length(t)), t }
	}' > "$TMP/big.json"
	[ "$(awk '{ printf "%d ", length }' "$TMP/big.json")" = "1048576 1048577 1048576 1048577 " ]
	run sh -c "azw-extract -m conn '$TMP/big.json' > '$TMP/out' 2> '$TMP/err'"
	cat "$TMP/err"
	[ "$status" -eq 1 ]
	[ "$(grep -c 'line longer than 1048576 bytes' "$TMP/err")" -eq 2 ]
	grep -q "big.json:2: line longer than 1048576 bytes" "$TMP/err"
	grep -q "big.json:4: line longer than 1048576 bytes" "$TMP/err"
	grep -q "2 of 4 records skipped" "$TMP/err"
	[ "$(rows "$TMP/out")" -eq 2 ]
}

@test "formats: every Zeek btest baseline is read without a reader error" {
	for f in "$FMT"/zeek-btest/*.log; do
		b=${f##*/}
		t=$(echo "${b#*__}" | grep -o -E 'conn|dns|http|ssh|ssl' | head -n 1)
		has_module "$t" || continue
		run bash -c "azw-extract -m '$t' --schema original '$f' 2> '$TMP/err' > '$TMP/out'"
		echo "$b: status $status"; cat "$TMP/err"
		n=$(grep -c -v -E '^[[:space:]]*(#|$)' "$f")
		case $b in
		*testrecord.json.log)
			# JSON escaping test records {"s": ...}, no ssh fields: every
			# line parsed, each refused by the module, not by the reader.
			[ "$(grep -c 'id.resp_h: missing address$' "$TMP/err")" -eq "$n" ]
			;;
		*)
			[ "$status" -eq 0 ]
			[ ! -s "$TMP/err" ]
			[ "$(rows "$TMP/out")" -eq "$n" ]
			;;
		esac
	done
}

# Every file of ../shared/data, each through its own module and through
# the generic one on to azw-fit and azw-score (about a minute); skipped
# where it is absent (CI) or with AZW_SKIP_SWEEP=1. data-sweep.sh runs the
# plain build's programs (bin/) whatever the PATH: in the sanitizer pass it
# would only repeat the plain pass's run.
@test "formats: the data sweep over ../shared/data loses no record, by its own module and by -m any | fit | score" {
	[ -z "$AZW_SKIP_SWEEP" ] || skip "AZW_SKIP_SWEEP set"
	! sanitizer_build || skip "sanitizer build: the data sweep runs bin/'s programs, in the plain pass"
	run sh "$BATS_TEST_DIRNAME/data-sweep.sh"
	[ "$status" -ne 77 ] || skip "no ../shared/data"
	echo "$output" | grep -v ' ok$' | grep -v ' ok few$'
	[ "$status" -eq 0 ]
	# every file that the generic module read was scored, and the other
	# types of brim-wrccdc are there, under their own names
	[[ "$output" =~ "all by -m any: "([0-9]+)" out, "[0-9]+" skipped, "[0-9]+" of other log types, "([0-9]+)" scored" ]]
	[ "${BASH_REMATCH[1]}" -gt 500000 ]
	for t in rdp smtp ntlm kerberos x509 notice weird smb_mapping dce_rpc; do
		grep -q "other-types/$t.log.gz  *tsv  *[0-9]* .* $t  *[0-9]" <<< "$output" || { echo "no $t"; return 1; }
	done
}
