#!/usr/bin/env bats
# azw-score: score lines, refusals, live output.

load helpers

fit_small() {
	golden_head 3000 > "$TMP/v"
	azw-fit --fm-grace 500 -o "$TMP/m" "$TMP/v"
}

@test "azw-score --help prints the synopsis and exits 0" {
	run azw-score --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"usage: azw-score [--threshold X | --fpr F] [--alerts-only] [--explain[=K]]"* ]]
	[[ "$output" == *"MODEL [FILE]"* ]]
}

@test "azw-score without a model is a usage error" {
	run azw-score
	[ "$status" -eq 2 ]
	run azw-score "$TMP/nonexistent" < /dev/null
	[ "$status" -eq 2 ]
	[[ "$output" == *"nonexistent: cannot open model: No such file or directory"* ]]
}

@test "one JSON object per record, Zeek field names, in input order" {
	fit_small
	azw-score "$TMP/m" "$TMP/v" > "$TMP/s"
	[ "$(wc -l < "$TMP/s")" -eq 3000 ]
	head -n 1 "$TMP/s" | jq -e '
		.ts == 1600000003.000003 and .uid == "C0000003" and ."id.orig_h" == "10.0.0.1"
		and ."id.orig_p" == 1027 and ."id.resp_h" == "192.0.2.7" and ."id.resp_p" == 443
		and .proto == "tcp" and .module == "conn" and (.score | type) == "number"'
	[ "$(jq -r .uid "$TMP/s" | tail -n 1)" = C0003002 ]
	azw-score "$TMP/m" < "$TMP/v" | cmp - "$TMP/s"
}

@test "unset identity columns are left out of the score line, as Zeek's JSON does" {
	fit_small
	head -n 6 "$TMP/v" | awk -F'\t' 'BEGIN{OFS="\t"} /^#/ {print; next} {$2="-"; $4="-"; print}' |
		azw-score "$TMP/m" | jq -e 'has("uid") == false and has("id.orig_p") == false and has("ts")'
}

@test "identity text that is not a number or has quotes stays valid JSON" {
	fit_small
	head -n 6 "$TMP/v" | awk -F'\t' 'BEGIN{OFS="\t"} /^#/ {print; next} {$1="2024-01-01T00:00:00Z"; $2="a\"b\\c"; print}' |
		azw-score "$TMP/m" | jq -e '.ts == "2024-01-01T00:00:00Z" and .uid == "a\"b\\c"'
}

@test "empty input gives no output and exit 0" {
	fit_small
	run azw-score "$TMP/m" < /dev/null
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "a stream of another module is refused, naming the difference" {
	fit_small
	sed 's/^#module\tconn/#module\tdns/' "$TMP/v" > "$TMP/dns"
	run azw-score "$TMP/m" "$TMP/dns"
	[ "$status" -eq 2 ]
	[[ "$output" == *"does not fit model"*"module is dns, expected conn"* ]]
}

@test "a stream of another schema or other features is refused, naming the difference" {
	fit_small
	sed 's/^#schema\toriginal/#schema\textended/' "$TMP/v" > "$TMP/x"
	run azw-score "$TMP/m" "$TMP/x"
	[ "$status" -eq 2 ]
	[[ "$output" == *"schema is extended, expected original"* ]]
	sed 's/\tconn_state_REJ\t/\tconn_state_XYZ\t/' "$TMP/v" > "$TMP/x"
	run azw-score "$TMP/m" "$TMP/x"
	[ "$status" -eq 2 ]
	[[ "$output" == *"column 9 is conn_state_XYZ, expected conn_state_REJ"* ]]
	awk -F'\t' 'BEGIN{OFS="\t"} /^#fields|^[^#]/ {NF--} {print}' "$TMP/v" > "$TMP/x"
	run azw-score "$TMP/m" "$TMP/x"
	[ "$status" -eq 2 ]
	[[ "$output" == *"33 features, expected 34"* ]]
	# one name differing, a later one or only the last: refused as well
	sed '/^#fields/s/\tresp_pkts\t/\tresp_pktz\t/' "$TMP/v" > "$TMP/x"
	run azw-score "$TMP/m" "$TMP/x"
	[ "$status" -eq 2 ]
	[[ "$output" == *"column 40 is resp_pktz, expected resp_pkts"* ]]
	sed '/^#fields/s/\tresp_ip_bytes$/\tresp_ip_bytez/' "$TMP/v" > "$TMP/x"
	differ "$TMP/v" "$TMP/x"
	run azw-score "$TMP/m" "$TMP/x"
	[ "$status" -eq 2 ]
	[[ "$output" == *"column 41 is resp_ip_bytez, expected resp_ip_bytes"* ]]
	[ "$(printf '%s\n' "$output" | grep -c '^{')" -eq 0 ]
}

@test "bad rows are reported, skipped and counted; the others are scored (exit 1)" {
	fit_small
	head -n 25 "$TMP/v" > "$TMP/x"
	sed -i '10s/\t0\t/\tx\t/; 12s/$/\t7/' "$TMP/x"
	run azw-score "$TMP/m" "$TMP/x"
	[ "$status" -eq 1 ]
	[[ "$output" == *"x:10: a feature is not a number, skipped"* ]]
	[[ "$output" == *"x:12: too many columns, skipped"* ]]
	[[ "$output" == *"2 of 20 records skipped"* ]]
	[ "$(azw-score "$TMP/m" "$TMP/x" 2>/dev/null | wc -l)" -eq 18 ]
}

@test "CRLF line ends and a missing final newline are read" {
	fit_small
	head -n 10 "$TMP/v" | sed 's/$/\r/' | head -c -2 > "$TMP/x"
	run azw-score "$TMP/m" "$TMP/x"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | wc -l)" -eq 5 ]
}

@test "damaged models are refused with a message, never a crash" {
	fit_small
	size=$(wc -c < "$TMP/m")
	for cut in 0 1 20 100 $((size / 2)) $((size - 30)) $((size - 1)); do
		head -c "$cut" "$TMP/m" > "$TMP/t"
		run azw-score "$TMP/t" < "$TMP/v"
		[ "$status" -eq 2 ]
		[[ "$output" == *"t: "* ]]
		[ "$(printf '%s\n' "$output" | wc -l)" -eq 1 ]
	done
	# one changed digit
	sed '20s/[0-9]/9/' "$TMP/m" > "$TMP/t"
	cmp -s "$TMP/m" "$TMP/t" && sed -i '20s/[0-9]/8/' "$TMP/t"
	run azw-score "$TMP/t" < "$TMP/v"
	[ "$status" -eq 2 ]
	[[ "$output" == *"checksum mismatch"* ]]
}

@test "a version 1 model (before the fitted tail) is still read, its threshold kept" {
	# tests/data/models/conn-original-v1.model: written by azw-fit at cbf093d
	m=$BATS_TEST_DIRNAME/data/models/conn-original-v1.model
	head -n 1 "$m" | grep -qx 'azw-model	1'
	gzip -dc "$BATS_TEST_DIRNAME/data/golden/conn.input.jsonl.gz" | head -n 300 |
		azw-extract -m conn --schema original > "$TMP/v"
	run azw-score "$m" "$TMP/v"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 300 ]
	t=$(awk -F'\t' '$1 == "threshold" { print $2; exit }' "$m")
	printf '%s\n' "${lines[@]}" | jq -e --argjson t "$t" 'select(.threshold != $t or (.pvalue | . < 0 or . > 1))' > "$TMP/bad" || true
	[ ! -s "$TMP/bad" ]
	# the first line's score, as the azw that wrote the model gave it
	[[ "${lines[0]}" == *'"score":0.3286974839924814,"threshold":0.35817880330280405,"anomaly":false'* ]]
}

@test "a model of another version or not a model at all is refused" {
	fit_small
	sed '1s/2$/3/' "$TMP/m" > "$TMP/t"
	run azw-score "$TMP/t" < "$TMP/v"
	[ "$status" -eq 2 ]
	[[ "$output" == *"unsupported model version 3 (this azw reads versions 1 to 2)"* ]]
	run azw-score "$TMP/v" < "$TMP/v"
	[ "$status" -eq 2 ]
	[[ "$output" == *"not an azw model file"* ]]
	run azw-score "$TMP" < "$TMP/v"
	[ "$status" -eq 2 ]
	[[ "$output" == *"not a regular file"* ]]
}

@test "stdout closed early (| head -n 1) ends quietly" {
	fit_small
	run sh -c "azw-score '$TMP/m' '$TMP/v' | head -n 1"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | wc -l)" -eq 1 ]
	[[ "$output" == "{"* ]]
}

@test "live input: each score is written as soon as its line arrives" {
	fit_small
	mkfifo "$TMP/in"
	azw-score "$TMP/m" < "$TMP/in" > "$TMP/out" &
	pid=$!
	exec 7> "$TMP/in"
	head -n 8 "$TMP/v" >&7
	# the writer keeps the pipe open (tail -F); scores must not wait for
	# more (waited for up to 60 s, however loaded the machine: a score held
	# back until the input ends never comes while the pipe is open)
	rc=0
	wait_for 60 '[ "$(wc -l < "$TMP/out")" -ge 3 ]' || rc=1
	n1=$(wc -l < "$TMP/out")
	sed -n 9p "$TMP/v" >&7
	[ "$rc" -eq 1 ] || wait_for 60 '[ "$(wc -l < "$TMP/out")" -ge 4 ]' || rc=1
	n2=$(wc -l < "$TMP/out")
	exec 7>&-
	wait "$pid"
	[ "$rc" -eq 0 ] && [ "$n1" -eq 3 ] && [ "$n2" -eq 4 ]
}

@test "--line-buffered writes each score line with one write(2)" {
	command -v strace > /dev/null || skip "strace is not installed"
	fit_small
	head -n 105 "$TMP/v" > "$TMP/x"
	# LeakSanitizer cannot run under ptrace: leak checking off for this one
	ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0" strace -f -e trace=write -o "$TMP/st" azw-score --line-buffered "$TMP/m" "$TMP/x" > "$TMP/out"
	[ "$(grep -c 'write(1,' "$TMP/st")" -eq 100 ]
	[ "$(wc -l < "$TMP/out")" -eq 100 ]
	ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0" strace -f -e trace=write -o "$TMP/st" azw-score "$TMP/m" "$TMP/x" > "$TMP/out"
	[ "$(grep -c 'write(1,' "$TMP/st")" -lt 10 ]
}

@test "every control byte 0x00-0x1f in uid, proto and addresses: extract | score | jq gives valid JSON" {
	fit_small
	# for each byte B: a uid C<B>x, a proto t<B>cp, an address 10.0.0.<B>1
	for i in $(seq 0 31); do
		h=$(printf '%02x' "$i")
		printf '{"ts":1600000000.%d,"uid":"C\\u00%sx","id.orig_h":"10.0.0.1","id.orig_p":5,"id.resp_h":"192.0.2.1","id.resp_p":80,"proto":"tcp","conn_state":"SF"}\n' "$i" "$h"
		printf '{"ts":1600000001.%d,"uid":"P%s","id.orig_h":"10.0.0.1","id.orig_p":5,"id.resp_h":"192.0.2.1","id.resp_p":80,"proto":"t\\u00%scp","conn_state":"SF"}\n' "$i" "$h" "$h"
		printf '{"ts":1600000002.%d,"uid":"A%s","id.orig_h":"10.0.0.\\u00%s1","id.orig_p":5,"id.resp_h":"192.0.2.1","id.resp_p":80,"proto":"tcp","conn_state":"SF"}\n' "$i" "$h" "$h"
	done > "$TMP/in"
	run sh -c "azw-extract -m conn --schema original '$TMP/in' > '$TMP/x' 2> '$TMP/err'"
	[ "$status" -eq 1 ]
	# no address has a control byte: those 32 are refused, by line
	[ "$(grep -c ': id.orig_h: not an IPv4 or IPv6 address' "$TMP/err")" -eq 32 ]
	# (the message shows each control byte as ?; the NUL one ends the text)
	[ "$(grep -c ': id.orig_h: not an IPv4 or IPv6 address: "10\.0\.0\.?1"$' "$TMP/err")" -eq 31 ]
	[ "$(tr -d '\n\t' < "$TMP/err" | tr -d '\040-\176' | wc -c)" -eq 0 ]
	azw-score "$TMP/m" "$TMP/x" > "$TMP/s"
	n=$(wc -l < "$TMP/s")
	[ "$n" -ge 62 ]
	# every line one valid JSON object
	[ "$(jq -c . "$TMP/s" | wc -l)" -eq "$n" ]
	# bytes 1-31 come back: as themselves, or (tab, newline, CR, which a
	# vector stream cannot hold) as Zeek's \xNN
	for i in $(seq 1 31); do
		h=$(printf '%02x' "$i")
		case $i in 9 | 10 | 13) u="\"C\\\\x${h}x\"" p="\"t\\\\x${h}cp\"" ;; *) u="[67,$i,120] | implode" p="[116,$i,99,112] | implode" ;; esac
		jq -s -e --arg id "P$h" "map(select(.uid == ($u))) | length == 1" "$TMP/s" > /dev/null ||
			{ echo "uid with byte $i"; false; }
		jq -s -e --arg id "P$h" "map(select(.uid == \$id)) | length == 1 and .[0].proto == ($p)" "$TMP/s" > /dev/null ||
			{ echo "proto with byte $i"; false; }
	done
}
