#!/usr/bin/env bats
# azw-extract -m dns|http|ssh|ssl, schema original: parity with
# AutoZeekWatch's per-record vectors, the edge sets, the documented choices
# where the original crashed or gave NaN, bad records.

load helpers

# Compare the feature columns of an azw-extract stream ($1) with expected
# rows ($2: tab-separated, no header, as the goldens print them: '%.9g' of a
# float32). Exact: a float32 has one '%.9g' text and it reads back to the
# same float32, so ours printed with '%.9g' must be the same text. Prints
# "rows N cells N diff N" and the first differences. (As in 10-extract.bats.)
compare_features() {
	awk -F'\t' '
	NR == FNR { want[++nw] = $0; next }
	/^#/ { next }
	{
		r++
		n = split(want[r], w, "\t")
		if (NF - 7 != n) { bad++; print "row " r ": " NF - 7 " features, expected " n; next }
		for (i = 1; i <= n; i++) {
			cells++
			if ($(i + 7) !~ /^-?[0-9]/ || sprintf("%.9g", $(i + 7)) != w[i]) {
				bad++
				if (bad <= 10) print "row " r " col " i ": " $(i + 7) ", expected " w[i]
			}
		}
	}
	END {
		if (r != nw) { bad++; print "rows " r ", expected " nw }
		print "rows " r " cells " cells " diff " bad + 0
	}' "$2" "$1"
}

# golden_parity MODULE VECTORS: run the golden input, check the names and
# every cell; prints compare_features' summary last.
golden_parity() {
	gzip -dc "$GOLDEN/$1.input.jsonl.gz" | azw-extract -m "$1" --schema original > "$TMP/out" 2> "$TMP/err"
	[ ! -s "$TMP/err" ] || { cat "$TMP/err"; return 1; }
	gzip -dc "$GOLDEN/$2.gz" > "$TMP/golden"
	[ "$(grep '^#fields' "$TMP/out" | cut -f9-)" = "$(head -n 1 "$TMP/golden")" ] || { echo "names differ"; return 1; }
	# (called by run, where set -e is off: each check returns by itself)
	[ "$(grep '^#module' "$TMP/out" | cut -f2)" = "$1" ] || { echo "#module is not $1"; return 1; }
	# The only NaN the real data has is ssh's auth_success (column 1),
	# which azw makes 0; no other golden file has any.
	tail -n +2 "$TMP/golden" | awk -F'\t' -v OFS='\t' '{ if ($1 == "nan") $1 = 0; print }' > "$TMP/want"
	compare_features "$TMP/out" "$TMP/want"
}

# base_line MODULE: the real record each edge set mutates.
base_line() {
	head -n 1 "$GOLDEN/$1.edge.input.jsonl"
}

# features MODULE: azw-extract's feature columns of stdin, no header.
features() {
	azw-extract -m "$1" --schema original | grep -v '^#' | cut -f8-
}

@test "azw-extract --help lists dns, http, ssh and ssl with their summary" {
	run azw-extract --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"dns "*"Zeek dns.log: one record per DNS query and its answer"* ]]
	[[ "$output" == *"http "*"Zeek http.log: one record per HTTP request and its reply"* ]]
	[[ "$output" == *"ssh "*"Zeek ssh.log: one record per SSH session"* ]]
	[[ "$output" == *"ssl "*"Zeek ssl.log: one record per TLS/SSL session"* ]]
}

@test "golden parity: all 3000 dns rows equal AutoZeekWatch's vectors" {
	run golden_parity dns dns.vectors.tsv
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[${#lines[@]} - 1]}" = "rows 3000 cells 81000 diff 0" ]
}

@test "golden parity: all 6721 http rows equal AutoZeekWatch's vectors" {
	run golden_parity http http.vectors.tsv
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[${#lines[@]} - 1]}" = "rows 6721 cells 107536 diff 0" ]
}

@test "golden parity: all 8924 ssh rows equal AutoZeekWatch's (declared 9 columns, NaN auth_success 0)" {
	run golden_parity ssh ssh.vectors.dedup.tsv
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[${#lines[@]} - 1]}" = "rows 8924 cells 80316 diff 0" ]
	# 5176 rows had no auth_success: NaN in the original, 0 here.
	[ "$(gzip -dc "$GOLDEN/ssh.vectors.dedup.tsv.gz" | cut -f1 | grep -c '^nan$')" -eq 5176 ]
}

@test "golden parity: all 3000 ssl rows equal AutoZeekWatch's vectors (history letters in string order)" {
	run golden_parity ssl ssl.vectors.tsv
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[${#lines[@]} - 1]}" = "rows 3000 cells 195000 diff 0" ]
	[ "$(azw-extract -m ssl --schema original < /dev/null | grep '^#fields' | tr '\t' '\n' | sed -n 's/^ssl_history_has_//p' | tr -d '\n')" = \
	  "HCSVTXKRNYGFWUABDOPMIJLQhcsvtxkrnygfwuabdopmijlq" ]
}

# Edge sets: rows the original processed must match it (a NaN it gave is 0
# here); rows it crashed on follow the documented choices.

@test "dns edge set: missing AA/rejected are 0, a missing id.resp_h is rejected" {
	f="$GOLDEN/dns.edge.input.jsonl"
	run bash -c "azw-extract -m dns --schema original '$f' > '$TMP/out' 2> '$TMP/err'"
	[ "$status" -eq 1 ]
	cat "$TMP/err"
	grep -q "^azw-extract: $f:20: id.resp_h: missing address$" "$TMP/err"
	grep -q "^azw-extract: 1 of 20 records skipped$" "$TMP/err"
	[ "$(wc -l < "$TMP/err")" -eq 2 ]
	# Rows 1 (AA missing) and 2 (rejected missing) crashed the original:
	# here the flag is 0, which is also the base record's value.
	awk -F'\t' 'NR == 1 { next }
	NR == 2 { base = $0 }
	{
		row = NR - 2
		if (row == 19) next
		if ($1 == "ERROR") {
			if (row != 1 && row != 2) { print "unexpected ERROR row " row; exit 1 }
			n = split(base, v, "\t")
			if (row == 1) v[2] = 0; else v[6] = 0
			out = v[1]; for (i = 2; i <= n; i++) out = out "\t" v[i]
			print out
			next
		}
		print
	}' "$GOLDEN/dns.edge.vectors.tsv" > "$TMP/want"
	run compare_features "$TMP/out" "$TMP/want"
	echo "$output"
	[ "${lines[${#lines[@]} - 1]}" = "rows 19 cells 513 diff 0" ]
}

@test "http edge set: every row matches, missing counts are 0 (NaN in the original)" {
	f="$GOLDEN/http.edge.input.jsonl"
	run bash -c "azw-extract -m http --schema original '$f' > '$TMP/out' 2> '$TMP/err'"
	[ "$status" -eq 0 ]
	[ ! -s "$TMP/err" ]
	tail -n +2 "$GOLDEN/http.edge.vectors.tsv" | sed 's/nan/0/g' > "$TMP/want"
	run compare_features "$TMP/out" "$TMP/want"
	echo "$output"
	[ "${lines[${#lines[@]} - 1]}" = "rows 18 cells 288 diff 0" ]
	# Quirk C1, per record: 200 -> 1, "200" -> 1, 200.0 -> 0, missing -> 0.
	[ "$(grep -v '^#' "$TMP/out" | sed -n '1p;2p;5p;6p' | cut -f16)" = "$(printf '1\n0\n1\n0')" ]
}

@test "ssh edge set: nine columns always, missing auth_success/attempts/direction are 0" {
	f="$GOLDEN/ssh.edge.input.jsonl"
	run bash -c "azw-extract -m ssh --schema original '$f' > '$TMP/out' 2> '$TMP/err'"
	[ "$status" -eq 0 ]
	[ ! -s "$TMP/err" ]
	# The original returned 10 columns for records with a version (quirk
	# B4); the dedup file holds the declared 9.
	[ "$(awk -F'\t' 'NR > 1 { print NF }' "$GOLDEN/ssh.edge.vectors.tsv" | sort -nu | tr '\n' ' ')" = "9 10 " ]
	tail -n +2 "$GOLDEN/ssh.edge.vectors.dedup.tsv" | sed 's/nan/0/g' > "$TMP/want"
	run compare_features "$TMP/out" "$TMP/want"
	echo "$output"
	[ "${lines[${#lines[@]} - 1]}" = "rows 12 cells 108 diff 0" ]
	# Row 4 (auth_success missing) and row 5 (false) both give 0.
	[ "$(grep -v '^#' "$TMP/out" | sed -n '5p;6p' | cut -f8)" = "$(printf '0\n0')" ]
}

@test "ssl edge set: missing resumed/established are 0, string chains count characters" {
	f="$GOLDEN/ssl.edge.input.jsonl"
	run bash -c "azw-extract -m ssl --schema original '$f' > '$TMP/out' 2> '$TMP/err'"
	[ "$status" -eq 0 ]
	[ ! -s "$TMP/err" ]
	# Rows 1 (resumed missing) and 2 (established missing) crashed the
	# original: here the flag is 0.
	awk -F'\t' 'NR == 1 { next }
	NR == 2 { base = $0 }
	{
		row = NR - 2
		if ($1 == "ERROR") {
			if (row != 1 && row != 2) { print "unexpected ERROR row " row; exit 1 }
			n = split(base, v, "\t")
			if (row == 1) v[1] = 0; else v[2] = 0
			out = v[1]; for (i = 2; i <= n; i++) out = out "\t" v[i]
			print out
			next
		}
		print
	}' "$GOLDEN/ssl.edge.vectors.tsv" > "$TMP/want"
	run compare_features "$TMP/out" "$TMP/want"
	echo "$output"
	[ "${lines[${#lines[@]} - 1]}" = "rows 18 cells 1170 diff 0" ]
	[ "$(grep -v '^#' "$TMP/out" | sed -n 3p | cut -f8,9)" = "$(printf '0\t0')" ]
	[ "$(grep -v '^#' "$TMP/out" | sed -n 9p | cut -f10)" = "3" ]
}

@test "azw-extract: -m DNS, -m dns and _path detection give the same stream" {
	f="$GOLDEN/dns.edge.input.jsonl"
	head -n 19 "$f" > "$TMP/dns.json"
	azw-extract -m dns "$TMP/dns.json" > "$TMP/a"
	azw-extract -m DNS "$TMP/dns.json" > "$TMP/b"
	azw-extract --module=Dns "$TMP/dns.json" > "$TMP/c"
	azw-extract "$TMP/dns.json" > "$TMP/d"
	cmp "$TMP/a" "$TMP/b"
	cmp "$TMP/a" "$TMP/c"
	cmp "$TMP/a" "$TMP/d"
	[ "$(grep -vc '^#' "$TMP/a")" -eq 19 ]
	[ "$(grep '^#module' "$TMP/a" | cut -f2)" = "dns" ]
	head -n 3 "$GOLDEN/ssl.edge.input.jsonl" > "$TMP/ssl.json"
	azw-extract -m SSL "$TMP/ssl.json" > "$TMP/e"
	azw-extract "$TMP/ssl.json" > "$TMP/f"
	cmp "$TMP/e" "$TMP/f"
	for m in HTTP Ssh; do
		base_line "$(echo "$m" | tr A-Z a-z)" | azw-extract -m "$m" > "$TMP/g"
		[ "$(grep -vc '^#' "$TMP/g")" -eq 1 ]
	done
}

@test "dns bad records are reported with file:line and skipped" {
	good=$(base_line dns)
	{
		echo "$good"
		echo "$good" | sed 's/"AA":false/"AA":"yes"/'
		echo "$good" | sed 's/"rtt":0.0008699893951416016/"rtt":"fast"/'
		echo "$good" | sed 's/"qtype_name":"A"/"qtype_name":["A"]/'
		echo "$good" | sed 's/"id.orig_h":"10.47.1.100"/"id.orig_h":"nope"/'
		echo '{"_path":"dns",'
		echo "$good"
	} > "$TMP/bad.json"
	run bash -c "azw-extract -m dns --schema original '$TMP/bad.json' > '$TMP/out' 2> '$TMP/err'"
	[ "$status" -eq 1 ]
	cat "$TMP/err"
	f="$TMP/bad.json"
	grep -q "^azw-extract: $f:2: AA: not a boolean: \"yes\"$" "$TMP/err"
	grep -q "^azw-extract: $f:3: rtt: not a number: \"fast\"$" "$TMP/err"
	grep -q "^azw-extract: $f:4: qtype_name: expected a string or a number, not an array$" "$TMP/err"
	grep -q "^azw-extract: $f:5: id.orig_h: not an IPv4 or IPv6 address: \"nope\"$" "$TMP/err"
	grep -q "^azw-extract: $f:6: truncated JSON" "$TMP/err"
	grep -q "^azw-extract: 5 of 7 records skipped$" "$TMP/err"
	[ "$(grep -vc '^#' "$TMP/out")" -eq 2 ]
}

@test "http bad records are reported with file:line and skipped" {
	good=$(base_line http)
	{
		echo "$good" | sed 's/"request_body_len":0/"request_body_len":-1/'
		echo "$good" | sed 's/"method":"GET"/"method":{"verb":"GET"}/'
		echo "$good" | sed 's/"id.resp_h":"69.195.128.18",//'
		echo "$good" | sed 's/"trans_depth":1/"trans_depth":"one"/'
		echo "$good"
	} > "$TMP/bad.json"
	run bash -c "azw-extract -m http --schema original '$TMP/bad.json' > '$TMP/out' 2> '$TMP/err'"
	[ "$status" -eq 1 ]
	cat "$TMP/err"
	f="$TMP/bad.json"
	grep -q "^azw-extract: $f:1: request_body_len: negative count: -1$" "$TMP/err"
	grep -q "^azw-extract: $f:2: method: expected a string or a number, not an object$" "$TMP/err"
	grep -q "^azw-extract: $f:3: id.resp_h: missing address$" "$TMP/err"
	grep -q "^azw-extract: $f:4: trans_depth: not a number: \"one\"$" "$TMP/err"
	grep -q "^azw-extract: 4 of 5 records skipped$" "$TMP/err"
	[ "$(grep -vc '^#' "$TMP/out")" -eq 1 ]
}

@test "ssh bad records are reported with file:line and skipped" {
	good=$(base_line ssh)
	{
		echo "$good" | sed 's/"auth_success":true/"auth_success":"maybe"/'
		echo "$good" | sed 's/"auth_attempts":1/"auth_attempts":[1]/'
		echo "$good" | sed 's/"version":2/"version":true/'
		echo "$good" | sed 's/"id.orig_h":"217.23.13.125"/"id.orig_h":"217.23.13.256"/'
		echo "$good"
		echo 'not json at all'
	} > "$TMP/bad.json"
	run bash -c "azw-extract -m ssh --schema original '$TMP/bad.json' > '$TMP/out' 2> '$TMP/err'"
	[ "$status" -eq 1 ]
	cat "$TMP/err"
	f="$TMP/bad.json"
	grep -q "^azw-extract: $f:1: auth_success: not a boolean: \"maybe\"$" "$TMP/err"
	grep -q "^azw-extract: $f:2: auth_attempts: expected a number, not an array$" "$TMP/err"
	grep -q "^azw-extract: $f:3: version: expected a string or a number, not a boolean$" "$TMP/err"
	grep -q "^azw-extract: $f:4: id.orig_h: not an IPv4 or IPv6 address: \"217.23.13.256\"$" "$TMP/err"
	grep -q "^azw-extract: $f:6: not a JSON object" "$TMP/err"
	grep -q "^azw-extract: 5 of 6 records skipped$" "$TMP/err"
	[ "$(grep -vc '^#' "$TMP/out")" -eq 1 ]
}

@test "ssl bad records are reported with file:line and skipped" {
	good=$(base_line ssl)
	{
		echo "$good" | sed 's/"cert_chain_fps":\[[^]]*\]/"cert_chain_fps":5/'
		echo "$good" | sed 's/"ssl_history":"CsxknGIti"/"ssl_history":7/'
		echo "$good" | sed 's/"established":true/"established":2/'
		echo "$good" | sed 's/"id.resp_h":"216.58.193.195"/"id.resp_h":null/'
		echo "$good"
	} > "$TMP/bad.json"
	run bash -c "azw-extract -m ssl --schema original '$TMP/bad.json' > '$TMP/out' 2> '$TMP/err'"
	[ "$status" -eq 1 ]
	cat "$TMP/err"
	f="$TMP/bad.json"
	grep -q "^azw-extract: $f:1: cert_chain_fps: expected a list, not a number$" "$TMP/err"
	grep -q "^azw-extract: $f:2: ssl_history: expected a string, not a number$" "$TMP/err"
	grep -q "^azw-extract: $f:3: established: not a boolean: 2$" "$TMP/err"
	grep -q "^azw-extract: $f:4: id.resp_h: missing address$" "$TMP/err"
	grep -q "^azw-extract: 4 of 5 records skipped$" "$TMP/err"
	[ "$(grep -vc '^#' "$TMP/out")" -eq 1 ]
}

@test "documented choices: categories as Python's str(), TSV booleans, unknown values" {
	# http columns: 6-7 method, 8-9 status 0/200, 10-11 version 0.9/1.1
	good=$(base_line http)
	{
		echo "$good" | sed 's/"status_code":200/"status_code":-0/'
		echo "$good" | sed 's/"version":"1.1"/"version":1.1/'
		echo "$good" | sed 's/"version":"1.1"/"version":"1.10"/'
		echo "$good" | sed 's/"version":"1.1"/"version":0.90/'
		echo "$good" | sed 's/"status_code":200/"status_code":2e2/'
	} | features http | cut -f8-11 > "$TMP/http"
	[ "$(cat "$TMP/http")" = "$(printf '1\t0\t0\t1\n0\t1\t0\t1\n0\t1\t0\t0\n0\t1\t1\t0\n0\t0\t0\t1')" ]
	# ssh columns: 1 auth_success, 2 auth_attempts, 3 direction, 5 version_2
	good=$(base_line ssh)
	{
		echo "$good" | sed 's/"auth_success":true,//; s/"auth_attempts":1/"auth_attempts":3/'
		echo "$good" | sed 's/"auth_success":true/"auth_success":"T"/; s/"direction":"INBOUND"/"direction":"OUTBOUND"/'
		echo "$good" | sed 's/"auth_success":true/"auth_success":"F"/; s/"direction":"INBOUND"/"direction":"BIDIRECTIONAL"/'
		echo "$good" | sed 's/"version":2/"version":"2"/'
		echo "$good" | sed 's/"version":2/"version":2.0/'
	} | features ssh | cut -f1-3,5 > "$TMP/ssh"
	[ "$(cat "$TMP/ssh")" = "$(printf '0\t3\t0\t1\n1\t1\t1\t1\n0\t1\t0\t1\n1\t1\t0\t1\n1\t1\t0\t0')" ]
	# dns: T/F strings and 0/1 numbers as booleans (Zeek TSV), a missing
	# rtt 0 with has_rtt 0, broadcast on the text of id.resp_h.
	good=$(base_line dns)
	{
		echo "$good" | sed 's/"AA":false/"AA":"T"/; s/"RD":true/"RD":0/; s/"rejected":false/"rejected":1/'
		echo "$good" | sed 's/"rtt":0.0008699893951416016,//; s/"id.resp_h":"10.0.0.100"/"id.resp_h":"fe80::255"/'
	} | features dns | cut -f1-2,4,6-7,11,23 > "$TMP/dns"
	[ "$(cat "$TMP/dns")" = "$(printf '0.0008699893951416016\t1\t0\t1\t1\t0\t0\n0\t0\t1\t0\t0\t1\t1')" ]
	# ssl: chains count elements, a string its characters (code points);
	# [] is present (has_ 1) with length 0; TLSv10 sets no version column.
	good=$(base_line ssl)
	{
		echo "$good" | sed 's/"cert_chain_fps":\[[^]]*\]/"cert_chain_fps":"h\\u00e9"/; s/"version":"TLSv12"/"version":"TLSv10"/'
		echo "$good" | sed 's/"client_cert_chain_fps":\[\]/"client_cert_chain_fps":["a","b","c","d"]/; s/"sni_matches_cert":true,//'
	} | features ssl | cut -f3-5,7-9,12-13 > "$TMP/ssl"
	[ "$(cat "$TMP/ssl")" = "$(printf '2\t0\t1\t1\t1\t1\t0\t0\n2\t4\t0\t1\t1\t0\t1\t0')" ]
}
