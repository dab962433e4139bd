#!/usr/bin/env bats
# azw-extract -m conn, schema original: parity with AutoZeekWatch's vectors,
# the documented choices where it crashed, bad lines, exit statuses.

load helpers

CONN="$DATA/conn"

# Compare the feature columns of an azw-extract stream ($1) with expected
# rows ($2: tab-separated, no header, as the goldens print them: '%.9g' of a
# float32). Exact: a float32 has one '%.9g' text and it reads back to the
# same float32, so ours printed with '%.9g' must be the same text. Prints
# "rows N cells N diff N" and the first differences.
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

# One real record (CTU 008, the base record of the edge set).
base_line() {
	head -n 1 "$GOLDEN/conn.edge.input.jsonl"
}

@test "azw-extract --help prints the synopsis and exits 0" {
	run azw-extract --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"usage: azw-extract [-m MODULE] [--schema SCHEMA] [--format FORMAT]"* ]]
	[[ "$output" == *"[--local-nets CIDR,...] [--context WHICH] [FILE...]"* ]]
	[[ "$output" == *"--schema"* ]]
	[[ "$output" == *"original"* ]]
	[[ "$output" == *"conn"* ]]
}

@test "azw-extract --features: every schema's features at their columns, each with a meaning" {
	run azw-extract --help
	[[ "$output" == *"--features"* ]]
	azw-extract --features > "$TMP/all"
	# five modules with two schemas, eight per-record ones (19b-lateral.bats)
	[ "$(grep -c '^#features	[a-z0-9_]*	[a-z]*	record$' "$TMP/all")" -eq 18 ]
	[ "$(grep -c '^#features	[a-z0-9_]*	extended	context$' "$TMP/all")" -eq 5 ]
	for m in conn dns http ssh ssl smb_mapping smb_files dce_rpc ntlm kerberos rdp smtp x509; do
		for s in extended original; do
			case $m in conn|dns|http|ssh|ssl) ;; *) [ $s = extended ] || continue ;; esac
			# the names and columns are the vector stream's header, in order
			azw-extract -m "$m" --schema "$s" < /dev/null | awk -F'\t' '/^#fields/ {
				for (i = 9; i <= NF; i++) print $i "\t" i - 1 }' > "$TMP/want"
			azw-extract --features -m "$m" --schema "$s" > "$TMP/got"
			grep -v '^#' "$TMP/got" | cut -f1,2 | diff "$TMP/want" -
			# every row says what it means, and nothing else is printed
			[ -z "$(grep -v '^#' "$TMP/got" | awk -F'\t' '$3 == "" || NF < 3 || NF > 4')" ]
			case $m in conn|dns|http|ssh|ssl) n=$([ $s = extended ] && echo 2 || echo 1) ;; *) n=1 ;; esac
			[ "$(grep -c '^#features' "$TMP/got")" -eq "$n" ]
		done
	done
	# a context row has its key; an original row its field
	grep -q '^src_rate_10s	94	.*	the source, id.orig_h; half-life 10 s$' "$TMP/all"
	grep -q '^conn_state_OTH	8	1 if conn_state is OTH\.$' "$TMP/all"
	# the default local networks, the ones --help lists and the ones used
	[ "$(grep -c '^#local-net	' "$TMP/all")" -eq 9 ]
	for n in $(awk -F'\t' '$1 == "#local-net" { print $2 }' "$TMP/all"); do
		azw-extract --help | tr -d '\n' | tr -s ' ' | grep -qF " ${n}"
	done
	printf '{"ts":1,"uid":"C1","id.orig_h":"100.64.0.1","id.orig_p":1,"id.resp_h":"8.8.8.8","id.resp_p":53,"proto":"udp"}\n' > "$TMP/l.json"
	azw-extract -m conn --context none "$TMP/l.json" | awk -F'\t' '/^#fields/ { for (i = 2; i <= NF; i++) c[$i] = i - 1 }
		!/^#/ { exit !($c["dir_outgoing"] == 1) }'
	# a module or schema that is not there is a usage error, as without it
	run azw-extract --features -m no/such
	[ "$status" -eq 2 ]
	run azw-extract --features --schema bogus
	[ "$status" -eq 2 ]
}

@test "azw-extract: unknown option, module or schema is a usage error (exit 2)" {
	run azw-extract --bogus < /dev/null
	[ "$status" -eq 2 ]
	run azw-extract -m no/such < /dev/null
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown module 'no/such'"* ]]
	run azw-extract -m conn --schema nosuch < /dev/null
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown schema 'nosuch'"* ]]
}

@test "azw-extract golden parity: all 10167 conn rows equal AutoZeekWatch's vectors" {
	gzip -dc "$GOLDEN/conn.input.jsonl.gz" | azw-extract -m conn --schema original > "$TMP/out" 2> "$TMP/err"
	[ ! -s "$TMP/err" ]
	# Same feature names, same order.
	gzip -dc "$GOLDEN/conn.vectors.tsv.gz" > "$TMP/golden"
	[ "$(grep '^#fields' "$TMP/out" | cut -f9-)" = "$(head -n 1 "$TMP/golden")" ]
	tail -n +2 "$TMP/golden" > "$TMP/want"
	run compare_features "$TMP/out" "$TMP/want"
	echo "$output"
	[ "${lines[${#lines[@]} - 1]}" = "rows 10167 cells 345678 diff 0" ]
}

@test "azw-extract writes the stream header and the identity columns" {
	base_line | azw-extract -m conn --schema original > "$TMP/out"
	[ "$(sed -n 1p "$TMP/out")" = '#separator \x09' ]
	[ "$(sed -n 2p "$TMP/out")" = "$(printf '#azw-vectors\t1')" ]
	[ "$(sed -n 3p "$TMP/out")" = "$(printf '#module\tconn')" ]
	[ "$(sed -n 4p "$TMP/out")" = "$(printf '#schema\toriginal')" ]
	[ "$(sed -n 5p "$TMP/out" | cut -f1-8)" = "$(printf '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto')" ]
	[ "$(sed -n 6p "$TMP/out" | cut -f1-9)" = "$(printf '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tdouble')" ]
	[ "$(sed -n 7p "$TMP/out" | cut -f1-7)" = "$(printf '1655071198.444458\tCHLXQF2OBY4onAR0Ug\t147.32.81.167\t62771\t40.74.108.123\t443\ttcp')" ]
	# Absent identity fields print "-".
	echo '{"id.orig_h":"10.0.0.1","id.resp_h":"10.0.0.2"}' | azw-extract -m conn --schema original > "$TMP/out"
	[ "$(tail -n 1 "$TMP/out" | cut -f1-7)" = "$(printf -- '-\t-\t10.0.0.1\t-\t10.0.0.2\t-\t-')" ]
}

# The edge set: rows the original processed must match it (a NaN it gave
# for a missing count is 0 here); rows it crashed on follow conn.c's
# documented choices.
@test "azw-extract edge set: original's rows match, crashes follow the documented choices" {
	run bash -c "azw-extract -m conn --schema original '$GOLDEN/conn.edge.input.jsonl' > '$TMP/out' 2> '$TMP/err'"
	[ "$status" -eq 1 ]
	cat "$TMP/err"
	# Rejected: id.resp_h missing (row 4), id.orig_h missing (5), not an IP
	# (6), two objects on one line (36). Row 34, an empty line, and row 35,
	# a TSV header line (azw-extract reads TSV too: a header is no record),
	# are skipped silently. Lines are 1-based.
	f="$GOLDEN/conn.edge.input.jsonl"
	grep -q "^azw-extract: $f:5: id.resp_h: missing address$" "$TMP/err"
	grep -q "^azw-extract: $f:6: id.orig_h: missing address$" "$TMP/err"
	grep -q "^azw-extract: $f:7: id.orig_h: not an IPv4 or IPv6 address" "$TMP/err"
	grep -q "^azw-extract: $f:37: extra data after the JSON object" "$TMP/err"
	grep -q "^azw-extract: 4 of 35 records skipped$" "$TMP/err"
	[ "$(wc -l < "$TMP/err")" -eq 5 ]
	# Expected rows: the golden ones, nan -> 0, and for the crash rows:
	# 1, 3 (local_orig missing, null) -> local_orig 0; 2 (local_resp
	# missing) -> local_resp 0; 33 (local_orig "T") -> local_orig 1.
	awk -F'\t' 'NR == 1 { next }
	NR == 2 { base = $0 }
	{
		row = NR - 2
		if (row == 4 || row == 5 || row == 6 || row == 34 || row == 35 || row == 36)
			next
		if ($1 == "ERROR") {
			n = split(base, v, "\t")
			if (row == 1 || row == 3) v[28] = 0
			else if (row == 2) v[29] = 0
			else if (row == 33) v[28] = 1
			else { print "unexpected ERROR row " row; exit 1 }
			out = v[1]; for (i = 2; i <= n; i++) out = out "\t" v[i]
			print out
			next
		}
		gsub(/nan/, "0")
		print
	}' "$GOLDEN/conn.edge.vectors.tsv" > "$TMP/want"
	run compare_features "$TMP/out" "$TMP/want"
	echo "$output"
	[ "${lines[${#lines[@]} - 1]}" = "rows 31 cells 1054 diff 0" ]
}

@test "azw-extract: -m conn, -m CONN and _path detection give the same stream" {
	azw-extract -m conn "$CONN/ctu-008-mixed.head200.conn.json" > "$TMP/a"
	azw-extract -m CONN "$CONN/ctu-008-mixed.head200.conn.json" > "$TMP/b"
	azw-extract --module=Conn "$CONN/ctu-008-mixed.head200.conn.json" > "$TMP/c"
	sed 's/^{/{"_path":"conn",/' "$CONN/ctu-008-mixed.head200.conn.json" > "$TMP/path.json"
	azw-extract "$TMP/path.json" > "$TMP/d"
	cmp "$TMP/a" "$TMP/b"
	cmp "$TMP/a" "$TMP/c"
	cmp "$TMP/a" "$TMP/d"
	[ "$(grep -vc '^#' "$TMP/a")" -eq 200 ]
}

@test "azw-extract without -m and without _path: a clear error, exit 2" {
	run azw-extract "$CONN/ctu-008-mixed.head200.conn.json"
	[ "$status" -eq 2 ]
	[[ "$output" == *"ctu-008-mixed.head200.conn.json:1: cannot tell the log type"*"use -m"* ]]
	# a log type without a module of its own goes to the generic module
	echo '{"_path":"weird","id.orig_h":"10.0.0.1"}' > "$TMP/weird.json"
	run azw-extract "$TMP/weird.json"
	[ "$status" -eq 0 ]
	[[ "$output" == *$'#module\tweird'* ]]
	[[ "$output" == *$'#schema\tgeneric'* ]]
}

@test "azw-extract with detected type skips and counts records of another _path" {
	{ base_line | sed 's/^{/{"_path":"conn",/'; echo '{"_path":"dns","id.orig_h":"10.0.0.1","id.resp_h":"10.0.0.2"}'; } > "$TMP/mixed.json"
	run bash -c "azw-extract '$TMP/mixed.json' 2>&1 >/dev/null"
	[ "$status" -eq 0 ]
	[ "$output" = "azw-extract: 1 records of other log types (dns) skipped" ]
}

@test "azw-extract: bad lines are reported with file:line and skipped, the others come out" {
	good=$(base_line)
	{
		echo "$good"
		echo 'this is not JSON'
		echo "$good"
		echo '{"ts":1.5,"uid":"Cx","id.orig_h":"10.0.0.1"'
		echo '{"a":1}{"b":2}'
		echo "$good" | sed 's/"orig_pkts":14/"orig_pkts":{"n":14}/'
		echo "$good" | sed 's/"orig_pkts":14/"orig_pkts":"many"/'
		echo "$good" | sed 's/"orig_pkts":14/"orig_pkts":-3/'
		echo '[1,2,3]'
		echo "$good"
	} > "$TMP/bad.json"
	run bash -c "azw-extract -m conn --schema original '$TMP/bad.json' > '$TMP/out' 2> '$TMP/err'"
	[ "$status" -eq 1 ]
	cat "$TMP/err"
	f="$TMP/bad.json"
	grep -q "^azw-extract: $f:2: not a JSON object: \"this is not JSON\"$" "$TMP/err"
	grep -q "^azw-extract: $f:4: truncated JSON" "$TMP/err"
	grep -q "^azw-extract: $f:5: extra data after the JSON object at column 8$" "$TMP/err"
	grep -q "^azw-extract: $f:6: orig_pkts: expected a number, not an object$" "$TMP/err"
	grep -q "^azw-extract: $f:7: orig_pkts: not a number: \"many\"$" "$TMP/err"
	grep -q "^azw-extract: $f:8: orig_pkts: negative count: -3$" "$TMP/err"
	grep -q "^azw-extract: $f:9: not a JSON object: \"\[1,2,3\]\"$" "$TMP/err"
	grep -q "^azw-extract: 7 of 10 records skipped$" "$TMP/err"
	[ "$(grep -vc '^#' "$TMP/out")" -eq 3 ]
}

@test "azw-extract documented choices: missing counts and booleans are 0, T/F and strings accepted" {
	good=$(base_line)
	{
		echo "$good" | sed 's/"orig_pkts":14,//; s/"missed_bytes":5138,//; s/"local_orig":true,//'
		echo "$good" | sed 's/"orig_pkts":14/"orig_pkts":null/; s/"local_orig":true/"local_orig":"F"/; s/"local_resp":false/"local_resp":"T"/'
		echo "$good" | sed 's/"orig_pkts":14/"orig_pkts":"5"/; s/"resp_pkts":16/"resp_pkts":3.0/; s/"orig_ip_bytes":1016/"orig_ip_bytes":16777217/'
		echo "$good" | sed 's/"id.resp_h":"40.74.108.123"/"id.resp_h":"::ffff:10.0.0.1"/'
		echo "$good" | sed 's/"proto":"tcp"/"proto":"icmp"/; s/"service":"ssl"/"service":"ssl,http"/; s/"conn_state":"SF"/"conn_state":"XX"/'
		echo "$good" | sed 's/"service":"ssl"/"service":null/'
	} > "$TMP/choices.json"
	azw-extract -m conn --schema original "$TMP/choices.json" | grep -v '^#' | cut -f8- > "$TMP/out"
	# columns: 1-13 conn_state, 14-15 proto, 16-23 service, 24-27 direction
	# (ext inc int out), 28 local_orig, 29 local_resp, 30 missed_bytes,
	# 31 orig_pkts, 32 orig_ip_bytes, 33 resp_pkts, 34 resp_ip_bytes
	[ "$(sed -n 1p "$TMP/out" | cut -f28-34)" = "$(printf '0\t0\t0\t0\t1016\t16\t1226')" ]
	[ "$(sed -n 2p "$TMP/out" | cut -f28-34)" = "$(printf '0\t1\t5138\t0\t1016\t16\t1226')" ]
	[ "$(sed -n 3p "$TMP/out" | cut -f30-34)" = "$(printf '5138\t5\t16777216\t3\t1226')" ]
	[ "$(sed -n 4p "$TMP/out" | cut -f24-27)" = "$(printf '0\t0\t0\t0')" ]
	[ "$(sed -n 5p "$TMP/out" | cut -f1-23 | tr -d '\t0')" = "" ]
	[ "$(sed -n 6p "$TMP/out" | cut -f16-23)" = "$(printf '0\t0\t0\t0\t0\t1\t0\t0')" ]
}

@test "azw-extract traffic direction follows Python 3.11.2's is_private" {
	good=$(base_line)
	dir() { # orig resp -> the four direction columns (ext inc int out)
		echo "$good" | sed "s/\"id.orig_h\":\"147.32.81.167\"/\"id.orig_h\":\"$1\"/; s/\"id.resp_h\":\"40.74.108.123\"/\"id.resp_h\":\"$2\"/" |
			azw-extract -m conn --schema original | tail -n 1 | cut -f31-34
	}
	[ "$(dir 10.1.2.3 192.168.1.1)" = "$(printf '0\t0\t1\t0')" ]
	[ "$(dir 8.8.8.8 172.16.0.1)" = "$(printf '0\t1\t0\t0')" ]
	[ "$(dir 172.31.255.255 8.8.8.8)" = "$(printf '0\t0\t0\t1')" ]
	[ "$(dir 100.64.0.1 8.8.8.8)" = "$(printf '1\t0\t0\t0')" ]
	[ "$(dir 192.0.0.8 192.0.0.9)" = "$(printf '0\t0\t0\t1')" ]
	[ "$(dir 8.8.8.8 224.0.0.251)" = "$(printf '1\t0\t0\t0')" ]
	[ "$(dir 0.0.0.0 255.255.255.255)" = "$(printf '0\t0\t1\t0')" ]
	[ "$(dir 169.254.1.1 240.0.0.1)" = "$(printf '0\t0\t1\t0')" ]
	[ "$(dir 2001:db8::1 10.0.0.1)" = "$(printf '0\t0\t0\t0')" ]
	[ "$(dir fe80::1%eth0 fe80::2)" = "$(printf '0\t0\t0\t0')" ]
	run bash -c "echo '$good' | sed 's/\"id.orig_h\":\"147.32.81.167\"/\"id.orig_h\":\"010.0.0.1\"/' | azw-extract -m conn --schema original"
	[ "$status" -eq 1 ]
	[[ "$output" == *"id.orig_h: not an IPv4 or IPv6 address: \"010.0.0.1\""* ]]
}

@test "azw-extract on real conn logs: every record, counts as jq reads them" {
	for f in "$CONN/ctu-008-mixed.head200.conn.json" "$CONN/netflowlabeler.head200.conn.json"; do
		run bash -c "azw-extract -m conn --schema original '$f' > '$TMP/out'"
		[ "$status" -eq 0 ]
		[ "$(grep -vc '^#' "$TMP/out")" -eq 200 ]
		grep -v '^#' "$TMP/out" | cut -f2,37-41 > "$TMP/got"
		jq -r '[.uid, .missed_bytes // 0, .orig_pkts // 0, .orig_ip_bytes // 0, .resp_pkts // 0, .resp_ip_bytes // 0] | @tsv' "$f" > "$TMP/want"
		cmp "$TMP/got" "$TMP/want"
	done
	# netflowlabeler has no local_orig / local_resp: 0.
	[ "$(grep -v '^#' "$TMP/out" | cut -f35,36 | sort -u)" = "$(printf '0\t0')" ]
}

@test "azw-extract: empty input gives just the header and exit 0" {
	run bash -c "azw-extract -m conn < /dev/null"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 6 ]
	[ "${lines[4]%%	*}" = "#fields" ]
	# Blank lines are no records.
	run bash -c "printf '\n  \n\r\n' | azw-extract -m conn"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 6 ]
}

@test "azw-extract reads stdin, '-' and several files in order; CRLF is fine" {
	f="$CONN/ctu-008-mixed.head200.conn.json"
	azw-extract -m conn "$f" > "$TMP/one"
	azw-extract -m conn < "$f" > "$TMP/stdin"
	cmp "$TMP/one" "$TMP/stdin"
	head -n 50 "$f" > "$TMP/p1"
	tail -n +51 "$f" | head -n 100 > "$TMP/p2"
	tail -n +151 "$f" | sed 's/$/\r/' > "$TMP/p3"
	azw-extract -m conn "$TMP/p1" - "$TMP/p3" < "$TMP/p2" > "$TMP/parts"
	cmp "$TMP/one" "$TMP/parts"
	# A last line without a newline counts.
	printf '%s' "$(head -n 1 "$f")" | azw-extract -m conn | grep -vc '^#' | grep -qx 1
}

@test "azw-extract: an unreadable file is reported, the others are read, exit 2" {
	f="$CONN/ctu-008-mixed.head200.conn.json"
	run bash -c "azw-extract -m conn '$TMP/nonexistent' '$f' 2>'$TMP/err' > '$TMP/out'"
	[ "$status" -eq 2 ]
	grep -q "^azw-extract: $TMP/nonexistent: No such file or directory$" "$TMP/err"
	[ "$(grep -vc '^#' "$TMP/out")" -eq 200 ]
}

@test "azw-extract: exit status 2 (an unreadable file) wins over 1 (skipped records), in either order" {
	f="$CONN/ctu-008-mixed.head200.conn.json"
	{ head -n 3 "$f"; echo '{"a":tru}'; sed -n 4,5p "$f"; } > "$TMP/some-bad.json"
	# alone: 1, one record skipped
	run bash -c "azw-extract -m conn '$TMP/some-bad.json' 2>'$TMP/err' > '$TMP/out'"
	[ "$status" -eq 1 ]
	grep -q "^azw-extract: 1 of 6 records skipped$" "$TMP/err"
	for files in "'$TMP/nonexistent' '$TMP/some-bad.json'" "'$TMP/some-bad.json' '$TMP/nonexistent'"; do
		run bash -c "azw-extract -m conn $files 2>'$TMP/err' > '$TMP/out'"
		[ "$status" -eq 2 ]
		grep -q "^azw-extract: $TMP/nonexistent: No such file or directory$" "$TMP/err"
		grep -q "^azw-extract: 1 of 6 records skipped$" "$TMP/err"
		[ "$(grep -vc '^#' "$TMP/out")" -eq 5 ]
	done
}

@test "azw-extract survives hostile lines: huge, deep, NUL bytes, escapes" {
	good=$(base_line)
	{
		echo "$good"
		head -c 40000000 /dev/zero | tr '\0' 'x'; echo
		awk 'BEGIN { for (i = 0; i < 200000; i++) printf "["; for (i = 0; i < 200000; i++) printf "]"; print "" }'
		awk 'BEGIN { printf "{\"a\":"; for (i = 0; i < 100; i++) printf "["; for (i = 0; i < 100; i++) printf "]"; print "}" }'
		printf '{"a":"x\0y"}\n'
		awk 'BEGIN { printf "{\"a\":["; for (i = 0; i < 400000; i++) printf "1,"; print "1]}" }'
		echo '{"uid":"C\u0000x","id.orig_h":"10.0.0.1","id.resp_h":"10.0.0.2","proto":"t\tc\"p\u00e9\ud83d\ude00"}'
		echo '{"a":1,}'
		echo '{"a" 1}'
		echo '{"a":tru}'
		echo "$good"
	} > "$TMP/hostile.json"
	run bash -c "timeout 60 azw-extract -m conn '$TMP/hostile.json' > '$TMP/out' 2> '$TMP/err'"
	[ "$status" -eq 1 ]
	cat "$TMP/err"
	f="$TMP/hostile.json"
	grep -q "$f:2: line longer than" "$TMP/err"
	grep -q "$f:3: JSON nested deeper than 64 levels" "$TMP/err"
	grep -q "$f:4: JSON nested deeper than 64 levels" "$TMP/err"
	grep -q "$f:5: NUL byte at column 8" "$TMP/err"
	# 400k values under 1 MiB: parsed (a record without addresses)
	grep -q "$f:6: id.orig_h: missing address" "$TMP/err"
	run grep -q "$f:7:" "$TMP/err"
	[ "$status" -ne 0 ]
	grep -q "$f:8: invalid JSON" "$TMP/err"
	grep -q "$f:9: invalid JSON" "$TMP/err"
	grep -q "$f:10: invalid JSON" "$TMP/err"
	grep -q "8 of 11 records skipped" "$TMP/err"
	# Line 7 comes out, its odd strings unescaped and re-escaped Zeek-style.
	[ "$(grep -vc '^#' "$TMP/out")" -eq 3 ]
	[ "$(grep -v '^#' "$TMP/out" | sed -n 2p | cut -f1-7)" = "$(printf -- '-\t-\t10.0.0.1\t-\t10.0.0.2\t-\tt\\x09c"p\xc3\xa9\xf0\x9f\x98\x80')" ]
}

@test "azw-extract writes each record while the input is idle (tail -F | azw-extract)" {
	mkfifo "$TMP/fifo"
	azw-extract -m conn < "$TMP/fifo" > "$TMP/out" &
	pid=$!
	exec 7> "$TMP/fifo"
	base_line >&7
	# (up to 60 s, however loaded the machine: a record held back until
	# the input ends never comes while the pipe is open)
	rc=0
	wait_for 60 '[ "$(grep -vc "^#" "$TMP/out")" -ge 1 ]' || rc=1
	n=$(grep -vc '^#' "$TMP/out")
	exec 7>&-
	wait "$pid"
	[ "$rc" -eq 0 ] && [ "$n" -eq 1 ]
}
