#!/usr/bin/env bats
# azw-alert: incidents per host from score lines. Hand-made score lines
# (a host with many mildly unusual records, uniform benign pvalues, bad
# lines, many hosts) and real ones (azw-score on a CTU capture); the
# incident lines, their ids, live output, exit statuses, azw-watch
# --incidents.

load helpers

# gen HOST RESP N EVERY PV [T0 [STEP [ANOMALY]]]: N score lines of HOST to
# RESP, one every STEP seconds from T0; record i is unusual (pvalue PV,
# explained by log_duration) when i % EVERY == 0, else pvalue 0.5.
gen() {
	awk -v h="$1" -v r="$2" -v n="$3" -v every="$4" -v pu="$5" -v t0="${6:-1700000000}" \
		-v step="${7:-10}" -v an="${8:-false}" 'BEGIN {
	for (i = 1; i <= n; i++) {
		u = i % every == 0
		printf "{\"ts\":%.6f,\"uid\":\"C%s%d\",\"id.orig_h\":\"%s\",\"id.orig_p\":%d,", t0 + i * step, substr(h, length(h)), i, h, 30000 + i
		if (r != "-")
			printf "\"id.resp_h\":\"%s\",\"id.resp_p\":443,", r
		printf "\"proto\":\"tcp\",\"module\":\"conn\",\"score\":%s,\"threshold\":0.5,\"anomaly\":%s,", u ? "0.4" : "0.1", u ? an : "false"
		printf "\"pctl\":0.5,\"pvalue\":%s,\"explain\":[{\"feature\":\"%s\",\"value\":1,\"error\":0.5}]}\n", u ? pu : "0.5", u ? "log_duration" : "proto_tcp"
	}}'
}

# uniform HOSTS N SEED: N benign score lines over HOSTS hosts (each to one
# of 5 responders), pvalues uniform on (0, 1), one a second.
uniform() {
	awk -v hosts="$1" -v n="$2" -v seed="$3" 'BEGIN {
	srand(seed)
	for (i = 1; i <= n; i++) {
		h = int(rand() * hosts)
		printf "{\"ts\":%d.5,\"uid\":\"U%d\",\"id.orig_h\":\"10.1.%d.%d\",\"id.resp_h\":\"192.0.2.%d\",\"module\":\"dns\",\"score\":0.1,\"pvalue\":%.6f}\n",
			1700000000 + i, i, int(h / 250), h % 250, int(rand() * 5), rand()
	}}'
}

@test "azw-alert --help: the synopsis and every option" {
	run azw-alert --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"usage: azw-alert [--pvalue P] [--alpha A] [--min-unusual N] [--half-life S]"* ]]
	for o in --pvalue --alpha --min-unusual --half-life --quiet --max-span --max-keys \
		--closed-only --stats --help "Exit status: 0 ok, 1 some lines were skipped, 2 usage"; do
		[[ "$output" == *"$o"* ]] || { echo "missing $o"; false; }
	done
}

@test "a host with many mildly unusual records (1 in 5 at pvalue 0.005) raises one incident" {
	gen 10.0.0.66 198.51.100.7 200 5 0.005 > "$TMP/bot"
	run azw-alert "$TMP/bot"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	# Opened at the 6th unusual record (record 30): 6 of ~30 records at
	# p0 = 0.01 is a tail of C(30,6) 1e-12 = 5.9e-7 < 1e-6; 5 of 25 was 5.3e-6.
	echo "${lines[0]}" | jq -e '.state == "open" and .entity == "host" and ."id.orig_h" == "10.0.0.66"
		and ."id.resp_h" == "198.51.100.7" and .ts == 1700000050 and .ts_end == 1700000300
		and .records == 26 and .unusual == 6 and .anomalies == 0 and .modules == ["conn"]
		and .significance > 6 and .significance < 6.3
		and (.top | length) == 3 and .top[0] == {"uid":"C65","score":0.4,"pvalue":0.005,"module":"conn"}
		and .features == [{"feature":"log_duration","count":6}]'
	# Closed at the end of input with the final counts: unusual records 5,
	# 10, ..., 200; records 5..200.
	echo "${lines[1]}" | jq -e '.state == "closed" and .ts == 1700000050 and .ts_end == 1700002000
		and .records == 196 and .unusual == 40 and .features == [{"feature":"log_duration","count":40}]
		and .significance > 30'
	[ "$(echo "${lines[0]}" | jq -r .id)" = "$(echo "${lines[1]}" | jq -r .id)" ]
	[[ "$(echo "${lines[0]}" | jq -r .id)" =~ ^[0-9a-f]{16}$ ]]
}

@test "--pvalue, --alpha and --half-life change what is evidence" {
	gen 10.0.0.66 198.51.100.7 200 5 0.005 > "$TMP/bot"
	# records at pvalue 0.005 are not unusual at a cut of 0.004
	run azw-alert --pvalue 0.004 "$TMP/bot"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	# alpha 1e-3: 3 unusual of ~15 records is a tail of about 4e-4
	run azw-alert --alpha 1e-3 "$TMP/bot"
	echo "${lines[0]}" | jq -e '.state == "open" and .unusual == 3 and .records == 11 and .ts_end == 1700000150'
	# half-life 60 s: about 9 records and 2 unusual ones are remembered,
	# never a tail below 1e-6
	run azw-alert --half-life 60 "$TMP/bot"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "benign-looking streams (pvalues uniform on (0,1)) raise no incident" {
	for seed in 1 2 3; do
		uniform 40 20000 $seed > "$TMP/u"
		# the stream really has about p0 = 1% unusual records
		u=$(jq -r 'select(.pvalue < 0.01) | .pvalue' "$TMP/u" | wc -l)
		[ "$u" -gt 120 ] && [ "$u" -lt 300 ]
		run azw-alert "$TMP/u"
		[ "$status" -eq 0 ]
		[ -z "$output" ]
	done
}

@test "a scanner: many responders, each record mildly unusual: a host incident with no id.resp_h" {
	for i in $(seq 1 60); do
		gen 10.0.0.9 "192.0.2.$i" 1 1 0.004 $((1700000000 + i * 7)) 1
	done > "$TMP/scan"
	run azw-alert "$TMP/scan"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	# the counts are compared with p0 = 0.01 (not the records' 0.004): 3 of 3
	# is a tail of exactly 1e-6, not below alpha; 4 of 4 is 1e-8
	echo "${lines[0]}" | jq -e '.entity == "host" and (has("id.resp_h") | not) and .unusual == 4 and .records == 4'
	echo "${lines[1]}" | jq -e '.state == "closed" and .unusual == 60 and .records == 60'
}

@test "pair incidents: only while the host has none open; a host incident names its dominant responder" {
	# A host alone with one responder: the host incident (test above),
	# naming the responder, and no pair incident beside it. Here 10.0.0.5 is
	# busy and ordinary (3000 records, one a second, to 192.0.2.1), and 30
	# records to 203.0.113.50, every third mildly unusual: 10 unusual of
	# ~2500 decayed records is not much for the host (25 expected), but 10
	# of 30 is a lot for the pair.
	{
		gen 10.0.0.5 192.0.2.1 3000 100000 0.5 1700000000 1
		gen 10.0.0.5 203.0.113.50 30 3 0.003 1700001000 10
	} | sort -t: -k2,2n > "$TMP/mix"
	run azw-alert "$TMP/mix"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	echo "$output" | jq -s -e 'all(.[]; .entity == "pair" and ."id.orig_h" == "10.0.0.5" and ."id.resp_h" == "203.0.113.50")
		and .[1].unusual == 10 and .[1].records == 28'
	# The same 30 records alone make a host incident (naming its responder).
	gen 10.0.0.5 203.0.113.50 30 3 0.003 1700001000 10 > "$TMP/alone"
	run azw-alert "$TMP/alone"
	echo "$output" | jq -s -e 'length == 2 and all(.[]; .entity == "host" and ."id.resp_h" == "203.0.113.50")'
}

@test "an anomaly:true record is strong evidence: 3 of 10 raise an incident, as pvalue 1e-6; plain unusual ones do not" {
	gen 10.0.0.7 198.51.100.1 10 3 0.000001 1700000000 10 true > "$TMP/a"
	run azw-alert "$TMP/a"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	echo "${lines[1]}" | jq -e '.anomalies == 3 and .unusual == 3 and .significance > 10'
	gen 10.0.0.7 198.51.100.1 10 3 0.000001 1700000000 10 false > "$TMP/b"
	run azw-alert "$TMP/b"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	# one anomaly alone is jq's job, not an incident (--min-unusual 3)
	gen 10.0.0.7 198.51.100.1 3 3 0 1700000000 10 true > "$TMP/c"
	run azw-alert "$TMP/c"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	# nor at --min-unusual 1: it weighs at most 3 records (p0^3 = alpha)
	run azw-alert --min-unusual 1 "$TMP/c"
	[ -z "$output" ]
	run azw-alert --min-unusual 1 --alpha 1e-4 "$TMP/c"
	[ "${#lines[@]}" -eq 2 ]
}

@test "a slow source: anomalies an hour and a half apart add up to an incident; plain unusual ones do not" {
	# 6 records, one every 5400 s (past --quiet 3600), each an anomaly at
	# pvalue 1e-9 (weight 3): the decayed evidence before each (3 x
	# 2^-1.5 = 1.06 records) carries the span over the gap, so the third
	# makes 3 unusual records in the span and an incident (as ctu-010's
	# slow scanners of the same honeypot, 10-14 records in a day)
	gen 10.0.0.8 198.51.100.2 6 1 0.000000001 1700000000 5400 true > "$TMP/slow"
	run azw-alert "$TMP/slow"
	[ "$status" -eq 0 ]
	# the host's incident opens at the third record, from the first; it
	# closes after --quiet, before the fourth, which goes on in another
	# (jq -e passes on empty input: count the lines first)
	[ "${#lines[@]}" -ge 4 ]
	echo "${lines[0]}" | jq -e '.state == "open" and .entity == "host" and .unusual == 3 and
		.anomalies == 3 and .ts == 1700005400 and .ts_end == 1700016200'
	echo "$output" | jq -s -e 'map(select(.state == "open")) | length >= 2 and
		(map(.ts_end) | max) == 1700032400'
	# 7200 s apart: 3 x 2^-2 = 0.75 record left, less than one: each starts afresh
	gen 10.0.0.8 198.51.100.2 6 1 0.000000001 1700000000 7200 true > "$TMP/slower"
	run azw-alert "$TMP/slower"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	# plain unusual records (weight 1) 5400 s apart never carry a span
	gen 10.0.0.8 198.51.100.2 12 1 0.000000001 1700000000 5400 false > "$TMP/plain"
	run azw-alert "$TMP/plain"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "with two parts the combined pvalue is the test; with a pvalue_context of 1, pvalue_record" {
	# every 5th line: pvalue 0.008, the parts 0.004 and 0.3 (a model of two
	# parts writes pvalue for the smaller, calibrated): unusual
	gen 10.0.0.8 198.51.100.2 100 5 0.008 |
		awk '{ i++; sub(/}$/, i % 5 ? ",\"pvalue_record\":0.6,\"pvalue_context\":0.6}" : ",\"pvalue_record\":0.004,\"pvalue_context\":0.3}"); print }' > "$TMP/c1"
	run azw-alert "$TMP/c1"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	echo "${lines[1]}" | jq -e '.unusual == 20'
	# the parts' own p-values do not count beside it: a small
	# pvalue_context with a combined pvalue above P is no second chance
	sed 's/"pvalue":0.008,/"pvalue":0.02,/; s/"pvalue_context":0.3/"pvalue_context":0.001/' "$TMP/c1" > "$TMP/c2"
	run azw-alert "$TMP/c2"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	# a pvalue_context of 1 is a context part that said nothing (a cold
	# or unknown local source): pvalue_record, the one test, stands for
	# the record, 0.004 < P although the combined pvalue is 0.02
	sed 's/"pvalue_context":0.001/"pvalue_context":1/' "$TMP/c2" > "$TMP/c3"
	run azw-alert "$TMP/c3"
	[ "${#lines[@]}" -eq 2 ]
	echo "${lines[1]}" | jq -e '.unusual == 20'
	# not above P, nor with a context just below 1
	sed 's/"pvalue_record":0.004/"pvalue_record":0.011/' "$TMP/c3" > "$TMP/c4"
	run azw-alert "$TMP/c4"
	[ -z "$output" ]
	sed 's/"pvalue_context":1}/"pvalue_context":0.999999}/' "$TMP/c3" > "$TMP/c5"
	run azw-alert "$TMP/c5"
	[ -z "$output" ]
	# a line without the parts: its pvalue
	sed 's/,"pvalue_record":[^,]*,"pvalue_context":[^}]*}/}/' "$TMP/c1" > "$TMP/c6"
	run azw-alert "$TMP/c6"
	[ "${#lines[@]}" -eq 2 ]
}

@test "--closed-only writes the closed lines alone; every id has one open and one closed line" {
	{
		gen 10.0.0.66 198.51.100.7 200 5 0.005
		gen 10.0.0.67 198.51.100.8 200 4 0.003 1700000005
	} | sort -t: -k2,2n > "$TMP/two"
	azw-alert "$TMP/two" > "$TMP/all"
	[ "$(wc -l < "$TMP/all")" -eq 4 ]
	[ "$(jq -r '.id + " " + .state' "$TMP/all" | sort | uniq | wc -l)" -eq 4 ]
	[ "$(jq -r .id "$TMP/all" | sort | uniq -c | awk '$1 != 2' | wc -l)" -eq 0 ]
	azw-alert --closed-only "$TMP/two" > "$TMP/closed"
	[ "$(wc -l < "$TMP/closed")" -eq 2 ]
	diff <(jq -c 'select(.state == "closed")' "$TMP/all") "$TMP/closed"
	# the same input gives the same ids
	azw-alert < "$TMP/two" | cmp - "$TMP/all"
}

@test "an incident closes after --quiet seconds without an unusual record, and at --max-span" {
	{
		gen 10.0.0.66 198.51.100.7 100 5 0.005 1700000000 10
		gen 10.0.0.2 198.51.100.9 100 5 0.005 1700010000 10
	} > "$TMP/q"
	# quiet (3600 s): the first closes before the second opens
	run azw-alert "$TMP/q"
	[ "$(echo "$output" | jq -r '."id.orig_h" + " " + .state' | tr '\n' ,)" = "10.0.0.66 open,10.0.0.66 closed,10.0.0.2 open,10.0.0.2 closed," ]
	# --quiet 20000: both open before either closes (at the end of input)
	run azw-alert --quiet 20000 "$TMP/q"
	[ "$(echo "$output" | jq -r '."id.orig_h" + " " + .state' | tr '\n' ,)" = "10.0.0.66 open,10.0.0.2 open,10.0.0.66 closed,10.0.0.2 closed," ]
	# --max-span 500: the first closes after 500 s and opens again
	gen 10.0.0.66 198.51.100.7 200 5 0.005 > "$TMP/long"
	run azw-alert --max-span 500 "$TMP/long"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -r .id | sort -u | wc -l)" -ge 3 ]
	echo "$output" | jq -s -e 'map(select(.state == "closed")) | all(.[]; .ts_end - .ts <= 500)'
}

@test "bad lines: one message each with file and line number, capped, skipped; exit 1" {
	gen 10.0.0.66 198.51.100.7 200 5 0.005 > "$TMP/bot"
	{
		sed -n 1,10p "$TMP/bot"
		echo 'not json'
		echo '{"ts":1700000111,"id.orig_h":"10.0.0.66"}'
		echo '{"ts":1700000112,"pvalue":0.5}'
		echo '{"id.orig_h":"10.0.0.66","pvalue":0.5}'
		echo '{"ts":1700000113,"id.orig_h":"10.0.0.66","pvalue":0.5'
		echo ''
		sed -n 11,200p "$TMP/bot"
	} > "$TMP/bad"
	run azw-alert "$TMP/bad"
	[ "$status" -eq 1 ]
	[[ "$output" == *"azw-alert: $TMP/bad:11: not a JSON object"* ]]
	[[ "$output" == *"azw-alert: $TMP/bad:12: no pvalue (score with a calibrated model)"* ]]
	[[ "$output" == *"azw-alert: $TMP/bad:13: no id.orig_h"* ]]
	[[ "$output" == *"azw-alert: $TMP/bad:14: no ts"* ]]
	[[ "$output" == *"azw-alert: $TMP/bad:15: truncated line"* ]]
	[[ "$output" == *"azw-alert: 5 of 205 lines skipped"* ]]
	# the rest went on: the same incident as without the bad lines
	diff <(azw-alert "$TMP/bad" 2> /dev/null) <(azw-alert "$TMP/bot")
	# 25 bad lines: 10 messages, then a count
	for i in $(seq 25); do echo "{bad $i"; done | cat - "$TMP/bot" > "$TMP/many"
	run azw-alert "$TMP/many"
	[ "$status" -eq 1 ]
	[ "$(echo "$output" | grep -c ': bad object$')" -eq 10 ]
	[[ "$output" == *"azw-alert: ... and 15 more bad lines"* ]]
	[[ "$output" == *"azw-alert: 25 of 225 lines skipped"* ]]
}

@test "exit status 2: a bad option or value, a missing file, a write error" {
	run azw-alert --pvalue 2 /dev/null
	[ "$status" -eq 2 ]
	[[ "$output" == *"--pvalue: '2' is not a number in [1e-12, 0.5]"* ]]
	run azw-alert --max-keys 0 /dev/null
	[ "$status" -eq 2 ]
	run azw-alert --no-such-option
	[ "$status" -eq 2 ]
	[[ "$output" == *"Try 'azw-alert --help' for more information."* ]]
	run azw-alert "$TMP/none"
	[ "$status" -eq 2 ]
	[[ "$output" == *"$TMP/none: No such file or directory"* ]]
	run azw-alert < /dev/null
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	gen 10.0.0.66 198.51.100.7 200 5 0.005 > "$TMP/bot"
	run sh -c "azw-alert '$TMP/bot' > /dev/full"
	[ "$status" -eq 2 ]
	[[ "$output" == *"write error on standard output"* ]]
}

@test "the caps bound memory: 50000 hosts with --max-keys 1000 keep 1000 keys; an evicted open incident closes" {
	awk 'BEGIN { for (i = 0; i < 50000; i++)
		printf "{\"ts\":%d,\"id.orig_h\":\"10.%d.%d.%d\",\"id.resp_h\":\"192.0.2.1\",\"pvalue\":0.5}\n",
			1700000000 + i, int(i / 65536), int(i / 256) % 256, i % 256 }' > "$TMP/hosts"
	run azw-alert --max-keys 1000 --stats "$TMP/hosts"
	[ "$status" -eq 0 ]
	[[ "$output" == *"hosts 1000 (evicted 49000), pairs 1000 (evicted 49000), cap 1000;"* ]]
	run azw-alert --stats "$TMP/hosts"
	[[ "$output" == *"hosts 50000 (evicted 0), pairs 50000 (evicted 0), cap 100000;"* ]]
	# an open incident whose host is evicted is closed then, with its counts
	gen 10.0.0.66 198.51.100.7 50 5 0.005 > "$TMP/ev"
	echo '{"ts":1700000600,"id.orig_h":"10.0.0.1","id.resp_h":"10.0.0.2","pvalue":0.5}' >> "$TMP/ev"
	gen 10.0.0.66 198.51.100.7 50 5 0.005 1700000700 >> "$TMP/ev"
	run azw-alert --max-keys 1 "$TMP/ev"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -r '.state + " " + (.unusual | tostring)' | tr '\n' ,)" = "open 6,closed 10,open 6,closed 10," ]
	# peak memory flat in the number of hosts (last: a skip says why)
	[ -x /usr/bin/time ] || skip "no /usr/bin/time: memory not measured"
	/usr/bin/time -f %M -o "$TMP/rss1" azw-alert --max-keys 1000 "$TMP/hosts"
	head -n 5000 "$TMP/hosts" | /usr/bin/time -f %M -o "$TMP/rss2" azw-alert --max-keys 1000
	echo "peak RSS: 50000 hosts $(cat "$TMP/rss1") KB, 5000 hosts $(cat "$TMP/rss2") KB"
	[ "$(cat "$TMP/rss1")" -lt $(( $(cat "$TMP/rss2") + 1024 )) ]
}

@test "out-of-order ts (a mixed stream) never decays negatively" {
	gen 10.0.0.66 198.51.100.7 200 5 0.005 > "$TMP/bot"
	# every second pair of lines swapped: ts goes back 10 s each time
	awk 'NR % 2 { held = $0; next } { print; print held }' "$TMP/bot" > "$TMP/swapped"
	run azw-alert "$TMP/swapped"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	echo "${lines[1]}" | jq -e '.unusual == 40 and .ts == 1700000050 and .ts_end == 1700002000 and .significance > 30'
}

@test "live: an incident is written as soon as the line that raised it arrives" {
	gen 10.0.0.66 198.51.100.7 200 5 0.005 > "$TMP/bot"
	mkfifo "$TMP/in"
	azw-alert < "$TMP/in" > "$TMP/out" &
	apid=$!
	exec 7> "$TMP/in"
	head -n 40 "$TMP/bot" >&7
	for i in $(seq 50); do
		[ -s "$TMP/out" ] && break
		sleep 0.1
	done
	# the input is still open: the open line is there, the closed one not yet
	[ "$(wc -l < "$TMP/out")" -eq 1 ]
	jq -e '.state == "open" and .unusual == 6' "$TMP/out"
	exec 7>&-
	wait "$apid"
	[ "$(wc -l < "$TMP/out")" -eq 2 ]
}

@test "real data: conn records of a CTU capture scored by a model of its first 3200 raise an incident on the honeypot" {
	gzip -dc "$DATA/conn/ctu-010.conn.json.gz" > "$TMP/c.json"
	head -n 3200 "$TMP/c.json" | azw-extract -m conn | azw-fit -q --fm-grace 500 -o "$TMP/m"
	azw-extract -m conn "$TMP/c.json" | azw-score --explain "$TMP/m" | tail -n +3201 > "$TMP/s"
	run azw-alert "$TMP/s"
	[ "$status" -eq 0 ]
	echo "$output" | jq -s -e 'length >= 2 and (map(select(.state == "open")) | length) == (map(select(.state == "closed")) | length)'
	# the honeypot's own connections to one server (a model of parts:
	# 15 of its 777 test records below p0, 6 of 17 to 147.32.3.31)
	echo "$output" | jq -s -e 'any(.[]; ."id.orig_h" == "147.32.83.234" and ."id.resp_h" == "147.32.3.31"
		and .state == "closed" and .unusual >= 6 and (.features | length) >= 1 and (.top | length) == 3
		and .modules == ["conn"])'
	# the incidents' hosts had more unusual records than p0 = 1% of theirs
	h=$(echo "$output" | jq -r 'select(.state == "closed") | ."id.orig_h"' | head -n 1)
	jq -r --arg h "$h" 'select(."id.orig_h" == $h) | .pvalue < 0.01' "$TMP/s" | sort | uniq -c
	[ "$(jq -r --arg h "$h" 'select(."id.orig_h" == $h) | .pvalue < 0.01' "$TMP/s" | grep -c true)" -ge 10 ]
}

# watch_setup: azw-watch on PATH, a conn model in $TMP/models and a live
# log of 2000 CTU records in $L/current
watch_setup() {
	PATH="$BATS_TEST_DIRNAME/../scripts:$PATH"
	L="$TMP/logs"
	mkdir -p "$L/current" "$TMP/models"
	azw-extract -m conn "$DATA/conn/netflowlabeler.head200.conn.json" |
		azw-fit -q --fm-grace 50 -o "$TMP/models/conn.model" 2> /dev/null
	gzip -dc "$DATA/conn/ctu-010.conn.json.gz" | head -n 2000 > "$L/current/conn.log"
}

@test "azw-watch --incidents appends incidents to FILE, score lines go on; --incidents-only" {
	watch_setup
	azw-score "$TMP/models/conn.model" <(azw-extract -m conn "$L/current/conn.log") |
		azw-alert --closed-only > "$TMP/want"
	[ -s "$TMP/want" ]
	run azw-watch --help
	[[ "$output" == *"--incidents FILE"* && "$output" == *"--incidents-only"* ]]
	run azw-watch --log-dir "$L" --model-dir "$TMP/models" --modules conn --incidents x --incidents-only
	[ "$status" -eq 2 ]
	for mode in incidents only; do
		rm -f "$TMP/scores" "$TMP/inc"
		if [ $mode = incidents ]; then
			setsid azw-watch --log-dir "$L" --model-dir "$TMP/models" --modules conn \
				-o "$TMP/scores" --incidents "$TMP/inc" 2> "$TMP/err" 3>&- &
		else
			setsid azw-watch --log-dir "$L" --model-dir "$TMP/models" --modules conn \
				--incidents-only > "$TMP/inc" 2> "$TMP/err" 3>&- &
		fi
		pid=$!
		for i in $(seq 200); do
			[ -s "$TMP/inc" ] && break
			sleep 0.1
		done
		[ -s "$TMP/inc" ]
		sleep 1
		kill -TERM "$pid"
		wait "$pid"
		[ -z "$(pgrep -g "$pid")" ]
		# SIGTERM: azw-alert closes the incidents at the end of its input
		diff <(jq -c 'select(.state == "closed")' "$TMP/inc") "$TMP/want"
		if [ $mode = incidents ]; then
			[ "$(wc -l < "$TMP/scores")" -eq 2000 ]
			[ "$(jq -c . "$TMP/scores" | wc -l)" -eq 2000 ]
		fi
	done
}

@test "azw-watch --alert-option passes options to azw-alert, checked before the start" {
	watch_setup
	# the options change what azw-alert finds: --min-unusual=50 --alpha=1e-30
	# leave fewer incidents than the defaults, and the same as azw-alert's own
	azw-score "$TMP/models/conn.model" <(azw-extract -m conn "$L/current/conn.log") > "$TMP/s"
	azw-alert --closed-only < "$TMP/s" > "$TMP/want0"
	azw-alert --closed-only --min-unusual=50 --alpha=1e-30 < "$TMP/s" > "$TMP/want"
	[ "$(wc -l < "$TMP/want")" -lt "$(wc -l < "$TMP/want0")" ]
	n=$(wc -l < "$TMP/want")
	[ "$n" -ge 1 ]
	setsid azw-watch --log-dir "$L" --model-dir "$TMP/models" --modules conn \
		-o "$TMP/scores" --incidents "$TMP/inc" \
		--alert-option --min-unusual=50 --alert-option=--alpha=1e-30 2> "$TMP/err" 3>&- &
	pid=$!
	# every record scored (and so on its way to azw-alert, which reads to
	# the end of its input when azw-watch stops)
	wait_for 120 '[ "$(wc -l < "$TMP/scores" 2> /dev/null)" = 2000 ]'
	kill -TERM "$pid"
	wait "$pid"
	diff <(jq -c 'select(.state == "closed")' "$TMP/inc") "$TMP/want"
	# a bad option, an option with a blank, one without --incidents: exit 2 at once
	run azw-watch --log-dir "$L" --model-dir "$TMP/models" --modules conn --incidents-only \
		--alert-option --pvalue=2
	[ "$status" -eq 2 ]
	[[ "$output" == *"--alert-option"*"pvalue"* ]]
	run azw-watch --log-dir "$L" --model-dir "$TMP/models" --modules conn --incidents-only \
		--alert-option "--pvalue 0.1"
	[ "$status" -eq 2 ]
	run azw-watch --log-dir "$L" --model-dir "$TMP/models" --modules conn --alert-option --pvalue=0.1
	[ "$status" -eq 2 ]
	[[ "$output" == *"needs --incidents"* ]]
	azw-watch --help | grep -q -- "--alert-option OPT"
	grep -q -- '\\-\\-alert\\-option' "$BATS_TEST_DIRNAME/../man/azw-watch.1"
}
