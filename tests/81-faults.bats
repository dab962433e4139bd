#!/usr/bin/env bats
# Faults: damaged and foreign models, full disks and file size limits,
# signals during the model write, closed pipes, hostile input lines among
# good ones. Each asserts the exit status, the message, and that no data is
# lost or damaged (an existing model untouched, every good record scored).

load helpers

BAD="$BATS_TEST_DIRNAME/bad"

# The 2-feature model of tests/bad/_v2.vec: small enough to damage at every
# position, with every section a model has (map, calibration, autoencoders).
tiny_model() {
	azw-fit -q --fm-grace 10 -o "$TMP/m" "$BAD/_v2.vec"
}

# A model's text on stdin, its checksum line recomputed (CRC-32 from gzip's
# trailer, least significant byte first).
fixcrc() {
	grep -v '^checksum	' > "$TMP/fixcrc"
	cat "$TMP/fixcrc"
	printf 'checksum\tcrc32\t%s\n' "$(gzip -c < "$TMP/fixcrc" | tail -c 8 | head -c 4 |
		od -An -tx1 | awk '{ print $4 $3 $2 $1 }')"
}

# azw-score with model $1 must refuse: exit 2, one line naming the model
# and a known reason, nothing on stdout.
refused() {
	azw-score "$1" "$BAD/_v2.vec" > "$TMP/out" 2> "$TMP/err" && return 1
	local rc=$?
	[ "$rc" -eq 2 ] || { echo "exit $rc for $1" >&2; cat "$TMP/err" >&2; return 1; }
	[ ! -s "$TMP/out" ] || { echo "scores written from a bad model" >&2; return 1; }
	[ "$(wc -l < "$TMP/err")" -eq 1 ] || { cat "$TMP/err" >&2; return 1; }
	grep -qE "^azw-score: $1(:[0-9]+)?: (not an azw model file|unsupported model version|damaged model|invalid model)" "$TMP/err" ||
		{ cat "$TMP/err" >&2; return 1; }
}

teardown() {
	if [ -d "$TMP/full" ] && mountpoint -q "$TMP/full"; then
		umount "$TMP/full"
	fi
}

@test "faults: a model truncated at every 61st byte is refused by azw-score, never a crash" {
	tiny_model
	size=$(wc -c < "$TMP/m")
	n=0
	# (every byte in-process: model_test; here the program's exit status
	# and message on a sample; the sanitizer pass every 183rd, each refusal
	# being a whole program run, which costs ten times as much there)
	step=61
	! sanitizer_build || step=183
	for ((cut = 0; cut < size; cut += step)); do
		head -c "$cut" "$TMP/m" > "$TMP/t"
		refused "$TMP/t"
		n=$((n + 1))
	done
	# and a real module's model, every 499th byte
	gzip -dc "$DATA/golden/ssh.input.jsonl.gz" | head -n 400 | azw-extract -m ssh > "$TMP/v"
	azw-fit -q --fm-grace 100 -o "$TMP/big" "$TMP/v"
	size=$(wc -c < "$TMP/big")
	for ((cut = 7; cut < size; cut += 50 * step - 1)); do
		head -c "$cut" "$TMP/big" > "$TMP/t"
		refused "$TMP/t"
		n=$((n + 1))
	done
	echo "$n truncations refused"
	[ "$n" -gt $((1000 / step)) ]
}

@test "faults: a model with one flipped bit is refused by azw-score, at every 29th byte" {
	tiny_model
	mkdir "$TMP/flip"
	# (as above: every byte in-process in model_test; every 87th byte in
	# the sanitizer pass)
	step=29
	! sanitizer_build || step=87
	# one file per flip: byte p, bit p % 8 (perl: Debian's perl-base)
	perl -e 'local $/; open F, "<", $ARGV[0] or die; binmode F; my $m = <F>;
		for (my $p = 0; $p < length $m; $p += $ARGV[2]) {
			my $t = $m; substr($t, $p, 1) = chr(ord(substr($t, $p, 1)) ^ (1 << ($p % 8)));
			open O, ">", "$ARGV[1]/$p" or die; binmode O; print O $t; close O;
		}' "$TMP/m" "$TMP/flip" "$step"
	n=0
	for t in "$TMP"/flip/*; do
		differ "$TMP/m" "$t"
		refused "$t"
		n=$((n + 1))
	done
	echo "$n flips refused"
	[ "$n" -gt $((900 / step)) ]
}

@test "faults: other model versions are refused by version, even with a valid checksum" {
	tiny_model
	head -n 1 "$TMP/m" | grep -qx 'azw-model	2'
	for v in 0 3 10 1.0 2.0 -1 01 02 ''; do
		sed "1s/^azw-model\t2\$/azw-model\t$v/" "$TMP/m" | fixcrc > "$TMP/t"
		run azw-score "$TMP/t" "$BAD/_v2.vec"
		[ "$status" -eq 2 ]
		[[ "$output" == "azw-score: $TMP/t: unsupported model version $v (this azw reads versions 1 to 2)" ]]
	done
	# the same file with its own version back is read
	sed "1s/^azw-model\t.*/azw-model\t2/" "$TMP/t" | fixcrc > "$TMP/t1"
	azw-score "$TMP/t1" "$BAD/_v2.vec" > /dev/null
}

@test "faults: a model's context_hosts line, malformed, is refused; well formed, read" {
	zcat "$BATS_TEST_DIRNAME/data/conn/ctu-010.conn.json.gz" | grep -F '"id.orig_h":"147.32.83.234"' |
		head -n 300 | azw-extract -m conn > "$TMP/one.v"
	azw-fit -q --fm-grace 100 -o "$TMP/h" "$TMP/one.v"
	grep -qx 'context_hosts	1	147.32.83.234' "$TMP/h"
	local long
	long=$(printf '%050d' 0)
	for edit in 's/^context_hosts\t1\t/context_hosts\t0\t/' 's/^context_hosts\t1\t/context_hosts\t9\t/' \
		's/^context_hosts\t1\t/context_hosts\t2\t/' 's/^context_hosts\t1\t.*/context_hosts\t1\t/' \
		"s/^context_hosts\\t1\\t.*/context_hosts\\t1\\t$long/" 's/^context_hosts\t1\t.*/context_hosts\t1/' \
		's/^context_hosts\t1\t/context_hosts\t01x\t/' 's/^context_hosts\t.*/context_hosts/'; do
		sed "$edit" "$TMP/h" | fixcrc > "$TMP/t"
		differ "$TMP/h" "$TMP/t"
		run azw-score "$TMP/t" "$TMP/one.v"
		[ "$status" -eq 2 ]
		[[ "$output" == "azw-score: $TMP/t:"*": invalid model: "* ]] || { echo "$edit: $output"; false; }
	done
	# before the parts line it is no model's either
	awk '/^parts\t/ { p = $0; next } /^context_hosts\t/ { print; print p; next } { print }' "$TMP/h" | fixcrc > "$TMP/t"
	run azw-score "$TMP/t" "$TMP/one.v"
	[ "$status" -eq 2 ]
	# two hosts, well formed: read, and the line written back as it was
	sed 's/^context_hosts\t1\t\(.*\)/context_hosts\t2\t\1\t2001:db8::1/' "$TMP/h" | fixcrc > "$TMP/t"
	azw-score "$TMP/t" "$TMP/one.v" > /dev/null
	azw-fit -q --calibrate "$TMP/t" -o "$TMP/t2" "$TMP/one.v"
	grep -qx 'context_hosts	2	147.32.83.234	2001:db8::1' "$TMP/t2"
}

@test "faults: a model of another module or schema is refused, naming both" {
	gzip -dc "$DATA/golden/dns.input.jsonl.gz" | head -n 300 | azw-extract -m dns > "$TMP/dns.v"
	azw-fit -q --fm-grace 100 -o "$TMP/dns.m" "$TMP/dns.v"
	gzip -dc "$DATA/golden/conn.input.jsonl.gz" | head -n 300 > "$TMP/conn.json"
	azw-extract -m conn "$TMP/conn.json" > "$TMP/conn.v"
	run azw-score "$TMP/dns.m" "$TMP/conn.v"
	[ "$status" -eq 2 ]
	[[ "$output" == *"does not fit model $TMP/dns.m: module is conn, expected dns"* ]]
	azw-extract -m conn --schema original "$TMP/conn.json" > "$TMP/orig.v"
	azw-fit -q --fm-grace 100 -o "$TMP/orig.m" "$TMP/orig.v"
	run azw-score "$TMP/orig.m" "$TMP/conn.v"
	[ "$status" -eq 2 ]
	[[ "$output" == *"schema is extended, expected original"* ]]
	# nothing scored: stdout stays empty
	azw-score "$TMP/orig.m" "$TMP/conn.v" 2>/dev/null | cmp - /dev/null
}

@test "faults: azw-fit on a full disk: error, no partial file, an existing model untouched" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to mount a small tmpfs"
	mkdir "$TMP/full"
	mount -t tmpfs -o size=64k tmpfs "$TMP/full" 2>/dev/null || skip "cannot mount a tmpfs here"
	# a model of the extended schema: over 64 KiB
	gzip -dc "$DATA/golden/conn.input.jsonl.gz" | head -n 3000 | azw-extract -m conn > "$TMP/v"
	tiny_model
	cp "$TMP/m" "$TMP/full/model"
	cp "$TMP/m" "$TMP/full/model.orig"
	run azw-fit -q --fm-grace 500 -o "$TMP/full/model" "$TMP/v"
	st=$status
	ls_after=$(ls -A "$TMP/full")
	same=0
	cmp "$TMP/full/model" "$TMP/m" || same=1
	run azw-fit -q --fm-grace 500 -o "$TMP/full/new" "$TMP/v"
	st2=$status
	ls_after2=$(ls -A "$TMP/full")
	umount "$TMP/full"
	[ "$st" -eq 2 ] && [ "$st2" -eq 2 ]
	[[ "$output" == *"$TMP/full/new: cannot write model: No space left on device"* ]]
	[ "$same" -eq 0 ]
	[ "$ls_after" = "$(printf 'model\nmodel.orig')" ]
	[ "$ls_after2" = "$ls_after" ]
}

@test "faults: azw-fit over a file size limit (ulimit -f): error, no temporary file" {
	golden_head 3000 > "$TMP/v"
	mkdir "$TMP/d"
	tiny_model
	cp "$TMP/m" "$TMP/d/model"
	run bash -c "ulimit -f 20 && azw-fit -q --fm-grace 500 -o '$TMP/d/model' '$TMP/v'"
	[ "$status" -eq 2 ]
	[[ "$output" == "azw-fit: $TMP/d/model: cannot write model: File too large" ]]
	cmp "$TMP/d/model" "$TMP/m"
	[ "$(ls -A "$TMP/d")" = model ]
}

@test "faults: azw-fit -o a directory or a FIFO is refused; the path is left as it was" {
	golden_head 100 > "$TMP/v"
	mkdir "$TMP/dir"
	run azw-fit -q --fm-grace 50 -o "$TMP/dir" "$TMP/v"
	[ "$status" -eq 2 ]
	[[ "$output" == *"$TMP/dir: exists and is not a regular file"* ]]
	[ -d "$TMP/dir" ] && [ -z "$(ls -A "$TMP/dir")" ]
	mkfifo "$TMP/fifo"
	run azw-fit -q --fm-grace 50 -o "$TMP/fifo" "$TMP/v"
	[ "$status" -eq 2 ]
	[[ "$output" == *"$TMP/fifo: exists and is not a regular file"* ]]
	[ -p "$TMP/fifo" ]
	[ "$(ls -A "$TMP" | grep -c '\.tmp\.')" -eq 0 ]
}

@test "faults: SIGINT and SIGTERM during the model write: old model untouched, no temporary file" {
	# No race: strace stops azw-fit (SIGSTOP) at its fsync(2) of the
	# temporary file (the whole model written, not yet renamed); it is
	# signalled there, then continued.
	command -v strace > /dev/null || skip "strace is not installed"
	gzip -dc "$DATA/golden/conn.input.jsonl.gz" | head -n 3000 | azw-extract -m conn > "$TMP/v"
	mkdir "$TMP/d"
	tiny_model
	for sig in INT TERM; do
		cp "$TMP/m" "$TMP/d/model"
		# (LeakSanitizer cannot run under ptrace; env: a background job
		# ignores SIGINT)
		ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0" strace -f -o /dev/null -e trace=fsync \
			-e inject=fsync:signal=STOP \
			env --default-signal=INT azw-fit -q --fm-grace 300 -o "$TMP/d/model" "$TMP/v" &
		spid=$!
		# stopped, with the temporary file written: under strace a
		# tracee also shows 't' for a moment at other system calls, so
		# the state alone could come before the file (seen under load)
		wait_for 120 'compgen -G "$TMP/d/model.tmp.*" > /dev/null && p=$(pgrep -P "$spid") && case $(ps -o stat= -p "$p") in [Tt]*) true ;; *) false ;; esac'
		kill -s "$sig" "$p"
		kill -CONT "$p"
		rc=0
		wait "$spid" || rc=$?
		echo "SIG$sig: exit status $rc"
		[ "$rc" -eq $((128 + $(kill -l "$sig"))) ]
		cmp "$TMP/d/model" "$TMP/m"
		[ "$(ls -A "$TMP/d")" = model ]
	done
}

@test "faults: stdout closed early (| head -n 1): all three programs end quietly" {
	gzip -dc "$DATA/golden/conn.input.jsonl.gz" | head -n 5000 > "$TMP/log"
	azw-extract -m conn "$TMP/log" > "$TMP/v"
	azw-fit -q --fm-grace 500 -o "$TMP/m" "$TMP/v"
	run bash -c "azw-extract -m conn '$TMP/log' 2> '$TMP/e1' | head -n 1"
	[ "$output" = "#separator \\x09" ]
	[ ! -s "$TMP/e1" ]
	run bash -c "azw-score '$TMP/m' '$TMP/v' 2> '$TMP/e2' | head -n 1"
	[[ "$output" == '{"ts":'* ]]
	[ ! -s "$TMP/e2" ]
	run bash -c "azw-fit -q --fm-grace 500 -o '$TMP/m2' '$TMP/v' 2> '$TMP/e3' | head -n 1"
	[ -z "$output" ]
	[ ! -s "$TMP/e3" ]
	cmp "$TMP/m" "$TMP/m2"
	# the whole pipeline, its end closed early
	run bash -c "azw-extract -m conn '$TMP/log' 2> '$TMP/e4' | azw-score '$TMP/m' 2>> '$TMP/e4' | head -n 2"
	[ "$(printf '%s\n' "$output" | wc -l)" -eq 2 ]
	[ ! -s "$TMP/e4" ]
}

@test "faults: hostile lines among good ones: every good record extracted and scored, in order" {
	gzip -dc "$DATA/golden/conn.input.jsonl.gz" | head -n 2000 > "$TMP/train"
	azw-extract -m conn "$TMP/train" | azw-fit -q --fm-grace 300 -o "$TMP/m"
	gzip -dc "$DATA/golden/conn.input.jsonl.gz" | sed -n '2001,2040p' > "$TMP/good"
	g() { sed -n "${1}p" "$TMP/good"; }
	{
		g 1; printf '{"ts":1.0,"uid":"C\000NUL"}\n'
		g 2; printf '{"ts":1.0,"uid":"Clong","x":"'; head -c 16777216 /dev/zero | tr '\0' A; echo '"}'
		g 3; printf '{"ts":1.0,"x":'; printf '[%.0s' $(seq 10000); printf ']%.0s' $(seq 10000); echo '}'
		g 4 | sed 's/"uid":"\([^"]*\)"/"uid":"\1\xff\xfe\xc3("/'     # invalid UTF-8: still a good record
		g 5 | sed 's/"duration":[0-9.e-]*/"duration":1e400/'          # skipped
		g 6 | sed 's/"orig_bytes":[0-9]*/"orig_bytes":-0/'            # -0 is 0: good
		g 7 | sed 's/"orig_pkts":[0-9]*/"orig_pkts":-5/'              # negative count: skipped
		g 8 | sed 's/"resp_bytes":[0-9]*/"resp_bytes":1e300/'         # absurd but finite: good
		g 9 | sed 's/$/\r/'                                           # CRLF: good
		printf '\xff\xfe\x00\x01garbage\n{"ts":\n[]\n{}\n'
		for i in $(seq 10 39); do g "$i"; done
		g 40 | tr -d '\n'                                             # no final newline: good
	} > "$TMP/log"
	rc=0
	azw-extract -m conn "$TMP/log" > "$TMP/v" 2> "$TMP/err" || rc=$?
	[ "$rc" -eq 1 ]
	grep -qa ':2: NUL byte at column' "$TMP/err"
	grep -qa ':4: line longer than 1048576 bytes' "$TMP/err"
	grep -qa ':6: JSON nested deeper than 64 levels' "$TMP/err"
	grep -qa ':8: duration: not a finite number' "$TMP/err"
	grep -qa ':10: orig_pkts: negative value' "$TMP/err"
	grep -qa '9 of 47 records skipped' "$TMP/err"
	# the good records' uids, in order (the invalid UTF-8 one as its bytes)
	for i in 1 2 3 4 6 8 9 $(seq 10 40); do g "$i"; done | jq -r .uid |
		LC_ALL=C sed '4s/$/\xff\xfe\xc3(/' > "$TMP/want"
	grep -va '^#' "$TMP/v" | cut -f2 > "$TMP/got"
	[ "$(wc -l < "$TMP/got")" -eq 38 ]
	cmp "$TMP/want" "$TMP/got"
	# NaN and infinities slipped into the vector stream are skipped there
	LC_ALL=C awk -F'\t' 'BEGIN { OFS = "\t" } /^#/ { print; next } { print; n++ }
	            n == 5 { $8 = "nan"; $2 = "Cnan"; print; $8 = "inf"; $2 = "Cinf"; print }' "$TMP/v" > "$TMP/v2"
	rc=0
	azw-score "$TMP/m" "$TMP/v2" > "$TMP/s" 2> "$TMP/err" || rc=$?
	[ "$rc" -eq 1 ]
	[ "$(grep -c 'a feature is NaN or infinite, skipped' "$TMP/err")" -eq 2 ]
	grep -q '2 of 40 records skipped' "$TMP/err"
	[ "$(wc -l < "$TMP/s")" -eq 38 ]
	# valid JSON (and UTF-8) whatever the bytes of the uid, as Zeek writes
	# them: \xNN; a finite score on every line
	iconv -f UTF-8 -t UTF-8 "$TMP/s" > /dev/null
	[ "$(jq -r .uid "$TMP/s" | sed -n 4p)" = "$(g 4 | jq -r .uid)\\xff\\xfe\\xc3(" ]
	[ "$(jq -c 'select((.score | type) == "number")' "$TMP/s" | wc -l)" -eq 38 ]
	[ "$(jq -r .uid "$TMP/s" | grep -c .)" -eq 38 ]
}

@test "faults: oversized input is refused early, in bounded memory" {
	sanitizer_build && skip "memory is measured on the plain build"
	command -v /usr/bin/time > /dev/null || skip "no /usr/bin/time"
	export BAD
	# a vector stream header of a million feature names
	bash "$BAD/103-fit-million-features.gen" > "$TMP/wide.v"
	run /usr/bin/time -f 'rss %M' azw-fit -o "$TMP/m" "$TMP/wide.v"
	[ "$status" -eq 2 ]
	[[ "$output" == *"#fields names 1000000 feature columns, more than 4096"* ]]
	[ "$(printf '%s\n' "$output" | sed -n 's/^rss //p')" -lt 100000 ]
	[ ! -e "$TMP/m" ]
	# JSON lines of 100k keys and 16 MiB, a TSV header of 5000 fields
	{ bash "$BAD/015-json-100k-keys.gen"; bash "$BAD/016-json-16mib-line.gen"; } > "$TMP/log"
	run /usr/bin/time -f 'rss %M' azw-extract -m conn "$TMP/log"
	[ "$status" -eq 1 ]
	[[ "$output" == *"2 of 6 records skipped"* ]]
	[ "$(printf '%s\n' "$output" | sed -n 's/^rss //p')" -lt 100000 ]
}
