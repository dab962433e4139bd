#!/usr/bin/env bats
# azw-fit: training, the model file, refusals.

load helpers

@test "azw-fit --help prints the synopsis and exits 0" {
	run azw-fit --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"usage: azw-fit -o MODEL"* ]]
	[[ "$output" == *"--fm-grace"* ]]
	# every option, in the help and in the man page
	for o in --calibrate --warmup --report --joint --compat --fpr --seed; do
		[[ "$output" == *"$o"* ]]
		grep -qF -- "${o//-/\\-}" "$BATS_TEST_DIRNAME/../man/azw-fit.1"
	done
	[[ "$output" == *"azw-fit --calibrate MODEL [-o OUT]"* ]]
	[[ "$output" == *"fewer than 3 source hosts: the model names them"* ]]
	grep -q '^\.BI context_hosts' "$BATS_TEST_DIRNAME/../man/azw-fit.1"
}

@test "azw-fit without -o is a usage error (exit 2)" {
	run azw-fit < /dev/null
	[ "$status" -eq 2 ]
	[[ "$output" == *"use -o MODEL"* ]]
}

@test "azw-fit rejects an unknown option and a bad number" {
	run azw-fit --bogus -o "$TMP/m"
	[ "$status" -eq 2 ]
	run azw-fit --max-ae 0 -o "$TMP/m"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--max-ae"* ]]
	run azw-fit --lr abc -o "$TMP/m"
	[ "$status" -eq 2 ]
	[ ! -e "$TMP/m" ]
}

@test "azw-fit writes a readable, versioned, checksummed model" {
	golden_head 3000 > "$TMP/v"
	run azw-fit --fm-grace 500 -o "$TMP/m" "$TMP/v"
	[ "$status" -eq 0 ]
	[ -z "$output" ] # quiet when stderr is not a terminal
	head -n 1 "$TMP/m" | grep -qx 'azw-model	2'
	grep -qx 'module	conn' "$TMP/m"
	grep -qx 'schema	original' "$TMP/m"
	grep -qx 'features	34' "$TMP/m"
	grep -qx 'feature	0	conn_state_OTH' "$TMP/m"
	grep -qx 'records	3000' "$TMP/m"
	grep -qx 'fm_records	501' "$TMP/m"
	# every 10th of the 2499 records after the window is held out; the
	# calibration scores those 249 and the 2250 trained on
	grep -qx 'ad_records	2250' "$TMP/m"
	grep -qx 'calibration	2499	held_out	249	every	10	scores_held_out	249' "$TMP/m"
	grep -Eq '^tail	50	0\.[0-9]+	0\.[0-9]+	0$' "$TMP/m" # 2 % of 2499: 50 < CALIB_TAIL_MLE peaks, exponential
	grep -qx 'normalisation	log' "$TMP/m"
	grep -qx 'fpr	0.001' "$TMP/m"
	grep -Eq '^threshold	0\.[0-9]+$' "$TMP/m"
	[ "$(grep -c '^cal	' "$TMP/m")" -eq 25 ]
	grep -qx 'ts_first	1600000003.000003' "$TMP/m"
	grep -qx 'ts_last	1600003002.003002' "$TMP/m"
	tail -n 1 "$TMP/m" | grep -Eq '^checksum	crc32	[0-9a-f]{8}$'
	[ "$(ls -A "$TMP" | sort | tr '\n' ' ')" = "m v " ] # no temporary file left
}

@test "same input and seed give a byte-identical model; another seed does not" {
	golden_head 2000 > "$TMP/v"
	azw-fit --fm-grace 500 -o "$TMP/m1" "$TMP/v"
	azw-fit --fm-grace 500 -o "$TMP/m2" < "$TMP/v"
	cmp "$TMP/m1" "$TMP/m2"
	azw-fit --fm-grace 500 --seed 7 -o "$TMP/m3" "$TMP/v"
	differ "$TMP/m1" "$TMP/m3"
}

@test "--ad-grace caps training like the original's 50000; the default learns from all" {
	golden_head 3000 > "$TMP/v"
	azw-fit --fm-grace 500 --ad-grace 1000 -o "$TMP/m" "$TMP/v"
	grep -qx 'ad_records	1000' "$TMP/m"
	grep -qx 'ad_grace	1000' "$TMP/m"
	# held out: every 10th after the window (111) and all past the cap
	# (1388), not the window (501, the cold start); the 1000 trained on
	# top the calibration up
	grep -qx 'calibration	2499	held_out	1499	every	10	scores_held_out	1499' "$TMP/m"
	azw-fit --fm-grace 500 -o "$TMP/m" "$TMP/v"
	grep -qx 'ad_records	2250' "$TMP/m"
	grep -qx 'ad_grace	-1' "$TMP/m"
}

@test "--max-ae splits the features into more autoencoders" {
	golden_head 3000 > "$TMP/v"
	azw-fit --fm-grace 500 --max-ae 30 -o "$TMP/m30" "$TMP/v"
	azw-fit --fm-grace 500 --max-ae 5 -o "$TMP/m5" "$TMP/v"
	grep -qx 'autoencoders	5' "$TMP/m30"
	grep -qx 'autoencoders	27' "$TMP/m5"
}

@test "a stream shorter than --fm-grace still makes a model, with a warning" {
	golden_head 200 > "$TMP/v"
	run azw-fit -o "$TMP/m" "$TMP/v"
	[ "$status" -eq 0 ]
	[[ "$output" == *"warning: only 200 records"* ]]
	grep -qx 'fm_records	200' "$TMP/m"
	grep -qx 'ad_records	180' "$TMP/m"
	# every 10th held out (20); the 180 trained on join them in the calibration
	grep -qx 'calibration	200	held_out	20	every	10	scores_held_out	20' "$TMP/m"
	[[ "$output" != *"records to calibrate on"* ]]
	golden_head 20 | azw-score "$TMP/m" | jq -s -e 'length == 20 and all(.score | type == "number")' > /dev/null
}

@test "fewer records than the minimum is an error and writes nothing" {
	golden_head 9 > "$TMP/v"
	run azw-fit -o "$TMP/m" "$TMP/v"
	[ "$status" -eq 2 ]
	[[ "$output" == *"only 9 records: a model needs at least 10"* ]]
	[ ! -e "$TMP/m" ]
	[ -z "$(ls "$TMP" | grep tmp)" ]
}

@test "empty input is an error: nothing to learn from" {
	run azw-fit -o "$TMP/m" < /dev/null
	[ "$status" -eq 2 ]
	[[ "$output" == *"empty input"* ]]
	[ ! -e "$TMP/m" ]
}

@test "a Zeek log instead of a vector stream is refused with a hint" {
	printf '{"ts":1.0,"uid":"C1"}\n' > "$TMP/conn.log"
	run azw-fit -o "$TMP/m" "$TMP/conn.log"
	[ "$status" -eq 2 ]
	[[ "$output" == *"conn.log:1: not an azw vector stream"*"azw-extract"* ]]
}

@test "bad rows are reported with file and line, skipped, and the model is still written (exit 1)" {
	golden_head 600 > "$TMP/v"
	sed -i '10s/\t0\t/\tzero\t/; 20s/\t[0-9]*$//' "$TMP/v"
	run azw-fit --fm-grace 100 -o "$TMP/m" "$TMP/v"
	[ "$status" -eq 1 ]
	[[ "$output" == *"v:10: a feature is not a number, skipped"* ]]
	[[ "$output" == *"v:20: too few columns, skipped"* ]]
	[[ "$output" == *"2 of 600 records skipped"* ]]
	grep -qx 'records	598' "$TMP/m"
}

@test "NaN and infinity in a vector stream are refused per row" {
	golden_head 300 > "$TMP/v"
	sed -i '8s/\t0\t/\tnan\t/; 9s/\t0\t/\tinf\t/' "$TMP/v"
	run azw-fit --fm-grace 100 -o "$TMP/m" "$TMP/v"
	[ "$status" -eq 1 ]
	[[ "$output" == *"v:8: a feature is NaN or infinite"* ]]
	[[ "$output" == *"v:9: a feature is NaN or infinite"* ]]
}

@test "a repeated identical header is allowed; a different one skips its rows" {
	golden_head 300 > "$TMP/a"
	golden_head 300 > "$TMP/b"
	cat "$TMP/a" "$TMP/b" | azw-fit --fm-grace 100 -o "$TMP/m"
	grep -qx 'records	600' "$TMP/m"
	sed 's/^#module\tconn/#module\tdns/' "$TMP/b" > "$TMP/c"
	run sh -c "cat '$TMP/a' '$TMP/c' | azw-fit --fm-grace 100 -o '$TMP/m'"
	[ "$status" -eq 1 ]
	[[ "$output" == *"stdin:306: header differs from the first one (module is dns, expected conn)"* ]]
	grep -qx 'records	300' "$TMP/m"
}

@test "a failed fit leaves an existing model untouched" {
	golden_head 600 > "$TMP/v"
	azw-fit --fm-grace 100 -o "$TMP/m" "$TMP/v"
	cp "$TMP/m" "$TMP/m.orig"
	run azw-fit -o "$TMP/m" < /dev/null
	[ "$status" -eq 2 ]
	cmp "$TMP/m" "$TMP/m.orig"
	golden_head 5 > "$TMP/short"
	run azw-fit -o "$TMP/m" "$TMP/short"
	[ "$status" -eq 2 ]
	cmp "$TMP/m" "$TMP/m.orig"
}

@test "azw-fit -o into a missing folder or onto a device fails cleanly" {
	golden_head 100 > "$TMP/v"
	run azw-fit --fm-grace 50 -o "$TMP/nodir/m" "$TMP/v"
	[ "$status" -eq 2 ]
	# said before reading a record, in one line
	[ "$output" = "azw-fit: cannot write $TMP/nodir/m: $TMP/nodir: No such file or directory" ]
	run azw-fit --fm-grace 50 -o /dev/full "$TMP/v"
	[ "$status" -eq 2 ]
	[[ "$output" == *"/dev/full: exists and is not a regular file"* ]]
	[ -c /dev/full ]
}

@test "SIGINT or SIGTERM while azw-fit reads leaves the old model and no temporary file" {
	golden_head 600 > "$TMP/v"
	azw-fit --fm-grace 100 -o "$TMP/m" "$TMP/v"
	cp "$TMP/m" "$TMP/m.orig"
	for sig in INT TERM; do
		mkfifo "$TMP/fifo"
		# async commands of a script start with SIGINT ignored: restore it
		env --default-signal=INT azw-fit --fm-grace 100 -o "$TMP/m" "$TMP/fifo" &
		pid=$!
		exec 7> "$TMP/fifo"
		head -n 300 "$TMP/v" >&7
		sleep 0.3
		kill -s "$sig" "$pid"
		exec 7>&-
		wait "$pid" || true
		rm "$TMP/fifo"
		cmp "$TMP/m" "$TMP/m.orig"
		[ -z "$(ls "$TMP" | grep '\.tmp\.')" ]
	done
}

@test "azw-fit learns from more than the original's 55,001 records in flat memory" {
	# 40 copies of the golden stream: 406,680 records
	golden_vectors > "$TMP/v"
	for i in $(seq 40); do tail -n +6 "$TMP/v"; done | cat <(head -n 5 "$TMP/v") - |
		azw-fit --fm-grace 500 -o "$TMP/m"
	grep -qx 'records	406680' "$TMP/m"
	grep -qx 'ad_records	365562' "$TMP/m"
	# the reservoir keeps 10,000 of the 40,617 held out after the window
	grep -qx 'calibration	10000	held_out	40617	every	10	scores_held_out	10000' "$TMP/m"
}

@test "on a terminal azw-fit shows its progress on stderr; -q silences it" {
	command -v script > /dev/null || skip "script(1) not installed"
	golden_head 3000 > "$TMP/v"
	script -qec "azw-fit --fm-grace 500 -o '$TMP/m' '$TMP/v'" /dev/null > "$TMP/tty"
	grep -q 'azw-fit: training autoencoders: 3000 records, [0-9]* records/s' "$TMP/tty"
	script -qec "azw-fit -q --fm-grace 500 -o '$TMP/m' '$TMP/v'" /dev/null > "$TMP/tty"
	[ "$(grep -c 'records/s' "$TMP/tty")" -eq 0 ]
}

@test "context learned from fewer than 3 source hosts: the model names them, a warning says so; not with many, -q or no context" {
	local log=$BATS_TEST_DIRNAME/data/conn/ctu-010.conn.json.gz
	# one host's records (147.32.83.234, the day's benign host): its rates
	# are all the context part learns
	zcat "$log" | grep -F '"id.orig_h":"147.32.83.234"' | azw-extract -m conn > "$TMP/one"
	run azw-fit --fm-grace 300 -o "$TMP/m" "$TMP/one"
	[ "$status" -eq 0 ]
	[[ "$output" == *"azw-fit: warning: the context columns were learned from 1 source host with 20 records or more: 147.32.83.234 (1974 records); this model judges other local hosts on their records alone"* ]]
	[ "$(grep '^context_hosts' "$TMP/m")" = "context_hosts	1	147.32.83.234" ]
	# --calibrate keeps them
	azw-fit -q --calibrate "$TMP/m" -o "$TMP/m.recal" "$TMP/one"
	[ "$(grep '^context_hosts' "$TMP/m.recal")" = "context_hosts	1	147.32.83.234" ]
	# two hosts with 20 records or more (and one with fewer, not named)
	zcat "$log" | grep -E '"id.orig_h":"(147.32.83.234|102.22.193.101|5.188.87.3)"' |
		azw-extract -m conn > "$TMP/two"
	run azw-fit --fm-grace 300 -o "$TMP/m" "$TMP/two"
	[ "$status" -eq 0 ]
	[[ "$output" == *"from 2 source hosts with 20 records or more: 147.32.83.234 (1974 records), 102.22.193.101 (382 records)"* ]]
	[[ "$output" != *"5.188.87.3"* ]] # 17 records
	[ "$(grep '^context_hosts' "$TMP/m")" = "context_hosts	2	147.32.83.234	102.22.193.101" ]
	# the whole day: its scanners are many sources
	zcat "$log" | azw-extract -m conn > "$TMP/all"
	run azw-fit --fm-grace 300 -o "$TMP/m" "$TMP/all"
	[ "$status" -eq 0 ]
	[[ "$output" != *"context columns were learned"* ]]
	! grep -q '^context_hosts' "$TMP/m"
	# -q says nothing of it (the model names the host all the same)
	run azw-fit -q --fm-grace 300 -o "$TMP/m" "$TMP/one"
	[[ "$output" != *"context columns were learned"* ]]
	grep -q '^context_hosts	1	147.32.83.234$' "$TMP/m"
	# and a model without a context part has neither
	zcat "$log" | grep -F '"id.orig_h":"147.32.83.234"' | azw-extract -m conn --context none > "$TMP/none"
	run azw-fit --fm-grace 300 -o "$TMP/m" "$TMP/none"
	[ "$status" -eq 0 ]
	[[ "$output" != *"context columns were learned"* ]]
	! grep -q '^context_hosts' "$TMP/m"
}

@test "a model of one host: other local hosts' records are judged without their context, outside sources with it" {
	# ctu-008's benign host, then day 010 (another benign host, local by
	# the log's local_orig; attacks from outside) scored with its model
	local d8=$BATS_TEST_DIRNAME/data/conn/ctu-008-mixed.head200.conn.json d10=$BATS_TEST_DIRNAME/data/conn/ctu-010.conn.json.gz
	grep -F '"id.orig_h":"147.32.81.167"' "$d8" | azw-extract -m conn > "$TMP/train"
	azw-fit -q --fm-grace 20 -o "$TMP/m" "$TMP/train"
	grep -qx 'context_hosts	1	147.32.81.167' "$TMP/m"
	zcat "$d10" | azw-extract -m conn | azw-score "$TMP/m" > "$TMP/s"
	# every record of the day's local host: its context says nothing
	jq -r 'select(."id.orig_h" == "147.32.83.234") | .pvalue_context' "$TMP/s" | sort -u > "$TMP/p"
	[ "$(cat "$TMP/p")" = "1" ]
	# the outside sources' context speaks: some below 0.001
	[ "$(jq -r 'select(."id.orig_h" != "147.32.83.234" and .pvalue_context < 0.001) | .uid' "$TMP/s" | wc -l)" -gt 100 ]
	# the same host's own records, scored by a model without the line, are judged on their context
	grep -v '^context_hosts' "$TMP/m" | grep -v '^checksum' > "$TMP/m2.body"
	{ cat "$TMP/m2.body"; printf 'checksum\tcrc32\t%s\n' "$(gzip -c < "$TMP/m2.body" | tail -c 8 | head -c 4 | od -An -tx1 | awk '{ print $4 $3 $2 $1 }')"; } > "$TMP/m2"
	zcat "$d10" | azw-extract -m conn | azw-score "$TMP/m2" > "$TMP/s2"
	[ "$(jq -r 'select(."id.orig_h" == "147.32.83.234" and .pvalue_context < 1) | .uid' "$TMP/s2" | wc -l)" -gt 1000 ]
}
