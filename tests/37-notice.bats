#!/usr/bin/env bats
# Zeek's own findings as evidence in azw-alert: a notice record (module
# notice) counts for the host it names whatever its pvalue
# (--notice-weight), the incident line counts them; a record Zeek tied to
# no host is passed over, not an error. Hand-made score lines, the notices
# of tests/data/notice (a real SSH::Password_Guessing with src only, a
# Port_Scan, a CaptureLoss with no host) through extract | fit | score, and
# brim-wrccdc's ssl, notice and weird logs through azw-train and azw-watch.

load helpers

# lines HOST MODULE N PV T0 [STEP]: N score lines of HOST (to 192.0.2.1) of
# MODULE, one every STEP (10) seconds from T0, each at pvalue PV.
lines() {
	awk -v h="$1" -v m="$2" -v n="$3" -v pv="$4" -v t0="$5" -v step="${6:-10}" 'BEGIN {
	for (i = 1; i <= n; i++)
		printf "{\"ts\":%.6f,\"uid\":\"C%s%d\",\"id.orig_h\":\"%s\",\"id.resp_h\":\"192.0.2.1\",\"module\":\"%s\",\"score\":0.1,\"threshold\":0.5,\"anomaly\":false,\"pctl\":0.5,\"pvalue\":%s}\n",
			t0 + i * step, m, i, h, m, pv
	}'
}

@test "azw-alert --help and azw-alert(1) say --notice-weight" {
	run azw-alert --help
	[[ "$output" == *"[--notice-weight W]"* && "$output" == *"-n, --notice-weight W"* ]]
	[[ "$output" == *"records unusual anomalies notices modules"* ]]
	grep -q -- '\\-\\-notice\\-weight' "$BATS_TEST_DIRNAME/../man/azw-alert.1"
	grep -q 'Zeek.s own findings' "$BATS_TEST_DIRNAME/../man/azw.7"
	run azw-alert --notice-weight 0.5 < /dev/null
	[ "$status" -eq 2 ]
	[[ "$output" == *"--notice-weight"*"neither 0 nor from 1 to 10"* ]]
	run azw-alert --notice-weight 11 < /dev/null
	[ "$status" -eq 2 ]
}

@test "notices of ordinary pvalue count as 3 unusual records each: 3 raise an incident; --notice-weight 1 or 0 do not" {
	{
		lines 10.0.0.5 conn 20 0.5 1700000000
		lines 10.0.0.5 notice 3 0.5 1700000200
	} > "$TMP/s"
	# 20 + 9 records, 9 unusual at p0 = 0.01: a tail of about 1e-11, and
	# 3 unusual records (--min-unusual) at the third notice
	run azw-alert "$TMP/s"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	echo "${lines[0]}" | jq -e '.state == "open" and ."id.orig_h" == "10.0.0.5" and .entity == "host"
		and .ts == 1700000210 and .ts_end == 1700000230 and .unusual == 3 and .notices == 3
		and .anomalies == 0 and .modules == ["notice"] and .significance > 10'
	echo "${lines[1]}" | jq -e '.state == "closed" and .notices == 3'
	# weight 1: 3 unusual of 23 records is a tail of 1.8e-3, no incident
	run azw-alert --notice-weight 1 "$TMP/s"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	# 0: by their pvalue (0.5), ordinary records
	run azw-alert --notice-weight 0 "$TMP/s"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	# the same lines of another module are ordinary records at any weight
	sed 's/"module":"notice"/"module":"weird"/' "$TMP/s" > "$TMP/w"
	run azw-alert "$TMP/w"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "one notice and two unusual records of other modules: an incident that counts the notice; without it, none" {
	{
		lines 10.0.0.7 ssh 10 0.5 1700000000
		lines 10.0.0.7 ssh 2 0.005 1700000100
		lines 10.0.0.7 notice 1 0.9 1700000130
	} > "$TMP/s"
	run azw-alert --closed-only "$TMP/s"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '."id.orig_h" == "10.0.0.7" and .unusual == 3 and .notices == 1
		and .modules == ["ssh", "notice"] and .top[0].module == "ssh"'
	run azw-alert --notice-weight 0 "$TMP/s"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	# an incident without notices says notices 0
	lines 10.0.0.8 ssh 5 0.0001 1700000000 > "$TMP/t"
	azw-alert --closed-only "$TMP/t" | jq -e '.notices == 0 and .unusual == 5'
}

@test "real notices through extract | fit | score: src alone names the host; a notice of no host is passed over" {
	N="$DATA/notice/notice.json"
	cat "$N" "$N" "$N" | azw-extract -m notice | azw-fit -q --fm-grace 4 -o "$TMP/m" 2> /dev/null
	azw-extract -m notice "$N" | azw-score "$TMP/m" > "$TMP/n"
	[ "$(wc -l < "$TMP/n")" -eq 4 ]
	# SSH::Password_Guessing has src only: its host, and no responder
	sed -n 1p "$TMP/n" | jq -e '."id.orig_h" == "45.141.84.126" and (has("id.resp_h") | not)
		and .module == "notice"'
	# Scan::Port_Scan: src and dst
	sed -n 2p "$TMP/n" | jq -e '."id.orig_h" == "198.51.100.23" and ."id.resp_h" == "192.168.1.194"'
	# CaptureLoss::Too_Much_Loss: neither
	sed -n 3p "$TMP/n" | jq -e 'has("id.orig_h") | not'
	# the guesser's ssh records, two of them unusual, with its notice
	{
		lines 45.141.84.126 ssh 10 0.5 1599797000
		lines 45.141.84.126 ssh 2 0.005 1599797500
		cat "$TMP/n"
	} > "$TMP/s"
	run azw-alert --stats --closed-only "$TMP/s"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" != *"no id.orig_h"* ]]
	echo "$output" | grep '^{' | jq -e 'select(."id.orig_h" == "45.141.84.126") | .notices == 1
		and .unusual == 3 and (.modules | index("notice")) != null'
	[[ "$output" == *"records without a host 1"* ]]
}

@test "a score line of azw-score without id.orig_h is a record of no host: counted, not an error; without module it is a bad line" {
	lines 10.0.0.9 weird 5 0.5 1700000000 > "$TMP/s"
	echo '{"ts":1700000100.5,"module":"weird","score":0.2,"threshold":0.5,"anomaly":false,"pctl":0.5,"pvalue":0.5}' >> "$TMP/s"
	echo '{"ts":1700000101.5,"module":"notice","score":0.2,"threshold":0.5,"anomaly":false,"pctl":0.5,"pvalue":0.001}' >> "$TMP/s"
	run azw-alert --stats "$TMP/s"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == *"records without a host 2"* ]]
	echo '{"ts":1700000102.5,"pvalue":0.5}' >> "$TMP/s"
	run azw-alert "$TMP/s"
	[ "$status" -eq 1 ]
	[[ "$output" == *"$TMP/s:8: no id.orig_h"* ]]
}

# brim-wrccdc (../shared/data): its first 12000 ssl records and the notices
# and weirds of the same 3.6 minutes, trained by azw-train and watched by
# azw-watch --incidents; skipped where the data is absent.
@test "real data: azw-train and azw-watch --modules ssl,notice,weird carry brim-wrccdc's notices into incidents" {
	! sanitizer_build || skip "sanitizer build: the real logs run in the plain pass"
	need_brim
	local d=$BRIM
	PATH="$BATS_TEST_DIRNAME/../scripts:$PATH"
	L="$TMP/logs"
	mkdir -p "$L/current" "$TMP/models"
	gzip -dc "$d/brim_ssl.log.gz" | head -n 12008 > "$L/current/ssl.log"
	for m in notice weird; do
		gzip -dc "$d/other-types/$m.log.gz" | awk -F'\t' '/^#/ || $1 < 1521911936.7' > "$L/current/$m.log"
	done
	[ "$(grep -vc '^#' "$L/current/notice.log")" -eq 99 ]
	[ "$(grep -vc '^#' "$L/current/weird.log")" -eq 423 ]
	run azw-train --log-dir "$L/current" --modules SSL,notice,weird --model-dir "$TMP/models" \
		--fm-grace 200 -j 1
	[ "$status" -eq 0 ]
	for w in 3 0; do
		rm -rf "$TMP/scores" "$TMP/scores.state" "$TMP/inc.$w"
		setsid azw-watch --log-dir "$L" --model-dir "$TMP/models" --modules ssl,notice,weird \
			-o "$TMP/scores" --incidents "$TMP/inc.$w" --alert-option=--notice-weight=$w \
			2> "$TMP/err" 3>&- &
		pid=$!
		wait_for 120 '[ "$(wc -l < "$TMP/scores" 2> /dev/null)" = 12522 ]'
		kill -TERM "$pid"
		wait "$pid"
		[ "$(jq -r .module "$TMP/scores" | sort | uniq -c | tr -s ' ' | tr '\n' ,)" = " 99 notice, 12000 ssl, 423 weird," ]
	done
	# with notices as evidence: incidents that count them, each on a host
	# that notice.log names as src
	jq -r 'select(.state == "closed" and .notices > 0) | ."id.orig_h"' "$TMP/inc.3" | sort -u > "$TMP/h"
	[ "$(wc -l < "$TMP/h")" -ge 5 ]
	grep -v '^#' "$L/current/notice.log" | cut -f14 | sort -u > "$TMP/src"
	[ -z "$(comm -23 "$TMP/h" "$TMP/src")" ]
	# without: none, and fewer incidents
	[ "$(jq -s 'map(select(.notices > 0)) | length' "$TMP/inc.0")" -eq 0 ]
	[ "$(grep -c closed "$TMP/inc.0")" -lt "$(grep -c closed "$TMP/inc.3")" ]
}

@test "azw-watch --alerts-only --incidents: azw-alert still reads every line, notices of ordinary score included" {
	need_brim
	local d=$BRIM
	PATH="$BATS_TEST_DIRNAME/../scripts:$PATH"
	L="$TMP/logs"
	mkdir -p "$L/current" "$TMP/models"
	gzip -dc "$d/other-types/notice.log.gz" > "$L/current/notice.log"
	azw-extract -m notice "$L/current/notice.log" | azw-fit -q --fm-grace 100 -o "$TMP/models/notice.model" 2> /dev/null
	azw-extract -m notice "$L/current/notice.log" | azw-score "$TMP/models/notice.model" > "$TMP/all"
	# most notices are of an ordinary score: only azw-alert makes them count
	a=$(grep -c '"anomaly":true' "$TMP/all")
	[ "$a" -ge 1 ] && [ "$a" -lt 100 ]
	azw-alert --closed-only "$TMP/all" > "$TMP/want"
	[ "$(jq -s 'map(.notices) | add' "$TMP/want")" -gt "$a" ]
	setsid azw-watch --log-dir "$L" --model-dir "$TMP/models" --modules notice --alerts-only \
		-o "$TMP/scores" --incidents "$TMP/inc" 2> "$TMP/err" 3>&- &
	pid=$!
	wait_for 120 '[ "$(wc -l < "$TMP/scores" 2> /dev/null)" = "$a" ]'
	kill -TERM "$pid"
	wait "$pid"
	# the score output: the anomalous lines only; the incidents: of them all
	diff "$TMP/scores" <(grep '"anomaly":true' "$TMP/all")
	diff <(jq -c 'select(.state == "closed")' "$TMP/inc") "$TMP/want"
}
