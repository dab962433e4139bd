#!/usr/bin/env bats
# azw-watch over a simulated Zeek log folder: two modules followed across
# two rotations (the log moved away, a new one, lines appended to both) give
# exactly one whole score line per record; SIGTERM stops every process it
# started; a missing model or log is refused by name.

load helpers

JSON="$DATA/conn/netflowlabeler.head200.conn.json"
DNS="$DATA/formats/rita-missing-host.dns.head20.log"

setup() {
	TMP="$BATS_TEST_TMPDIR"
	PATH="$BATS_TEST_DIRNAME/../scripts:$PATH"
	L="$TMP/logs"
	mkdir -p "$L/current" "$TMP/models"
	azw-extract -m conn "$JSON" | azw-fit -q --fm-grace 50 -o "$TMP/models/conn.model" 2> /dev/null
	azw-extract -m dns "$DNS" | azw-fit -q --fm-grace 5 -o "$TMP/models/dns.model" 2> /dev/null
	pid=
}

teardown() {
	if [ -n "$pid" ] && kill -0 "$pid" 2> /dev/null; then
		kill -TERM "$pid"
		sleep 1
		pkill -KILL -g "$pid" 2> /dev/null || true
	fi
}

# Wait (up to 20 s) until FILE has N lines.
wait_lines() {
	local i
	for i in $(seq 200); do
		[ "$(wc -l < "$1" 2> /dev/null || echo 0)" -ge "$2" ] && return 0
		sleep 0.1
	done
	echo "timed out: $(wc -l < "$1") lines in $1, waited for $2" >&2
	return 1
}

watch() { # azw-watch in its own process group (setsid), pid in $pid
	setsid azw-watch --log-dir "$L" --model-dir "$TMP/models" "$@" 2> "$TMP/err" 3>&- &
	pid=$!
}

@test "azw-watch --help: the synopsis and every option" {
	run azw-watch --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"usage: azw-watch --log-dir DIR --modules MODULE... [--model-dir DIR] [-o FILE]"* ]]
	for o in --log-dir --modules --model-dir --output --threshold --fpr --alerts-only --explain \
		--local-nets --context; do
		[[ "$output" == *"$o"* ]] || { echo "missing $o"; false; }
	done
}

@test "azw-watch: 200 conn and 11 dns lines across two rotations give exactly 211 whole score lines" {
	sed -n 1,50p "$JSON" > "$L/current/conn.log"
	sed -n 1,14p "$DNS" > "$L/current/dns.log"         # TSV: header and 6 records
	watch --modules CONN dns -o "$TMP/scores.jsonl"
	wait_lines "$TMP/scores.jsonl" 56
	# Rotation 1 of both logs; late lines to the old files.
	mv "$L/current/conn.log" "$L/conn.1.log"
	mv "$L/current/dns.log" "$L/dns.1.log"
	sed -n 51,120p "$JSON" > "$L/current/conn.log"
	sed -n 121,130p "$JSON" >> "$L/conn.1.log"
	{ sed -n 1,8p "$DNS"; sed -n 15,17p "$DNS"; } > "$L/current/dns.log"
	sed -n 18,19p "$DNS" >> "$L/dns.1.log"
	wait_lines "$TMP/scores.jsonl" 141
	# Rotation 2 of conn.
	mv "$L/current/conn.log" "$L/conn.2.log"
	sed -n 131,190p "$JSON" > "$L/current/conn.log"
	sed -n 191,200p "$JSON" >> "$L/conn.2.log"
	wait_lines "$TMP/scores.jsonl" 211
	sleep 1
	kill -TERM "$pid"
	wait "$pid"
	pid=
	[ "$(wc -l < "$TMP/scores.jsonl")" -eq 211 ]
	# Whole lines: each is one JSON object.
	[ "$(jq -c . "$TMP/scores.jsonl" | wc -l)" -eq 211 ]
	[ "$(jq -r 'select(.module == "conn") | .uid' "$TMP/scores.jsonl" | sort -u | wc -l)" -eq 200 ]
	diff <(jq -r 'select(.module == "conn") | .uid' "$TMP/scores.jsonl" | sort) <(jq -r .uid "$JSON" | sort)
	[ "$(jq -r 'select(.module == "dns") | .uid' "$TMP/scores.jsonl" | wc -l)" -eq 11 ]
}

@test "azw-watch: to standard output; SIGTERM leaves no process of its group behind" {
	cp "$JSON" "$L/current/conn.log"
	sed -n 1,14p "$DNS" > "$L/current/dns.log"
	# --threshold 1e-9: every record an anomaly, so that there are lines
	setsid azw-watch --log-dir "$L" --model-dir "$TMP/models" --modules conn dns --alerts-only --explain=2 \
		--threshold 1e-9 > "$TMP/out" 2> "$TMP/err" 3>&- &
	pid=$!
	# azw-watch, and for each module azw-extract, azw-score (and awk); and
	# every record scored (200 conn, 6 dns): waited for, up to 60 s
	wait_for 60 '[ "$(pgrep -g "$pid" -c)" -ge 5 ] && [ "$(wc -l < "$TMP/out")" -ge 206 ]'
	pgrep -g "$pid" -f 'azw-extract -m conn --schema [a-z]* --follow' > /dev/null
	kill -TERM "$pid"
	wait "$pid"
	pid_was=$pid
	pid=
	[ -z "$(pgrep -g "$pid_was")" ]
	# --alerts-only --explain=2 were passed on: only anomalies, each explained.
	[ "$(wc -l < "$TMP/out")" -eq 206 ]
	[ "$(jq -c 'select(.anomaly != true or (.explain | length) != 2)' "$TMP/out" | wc -l)" -eq 0 ]
}

@test "azw-watch refuses a missing model, log or folder by name, and starts nothing" {
	sed -n 1,5p "$JSON" > "$L/current/conn.log"
	run azw-watch --log-dir "$L" --model-dir "$TMP/models" --modules conn ssh
	[ "$status" -eq 2 ]
	[[ "$output" == *"$TMP/models/ssh.model: no model for ssh (train one with azw-train)"* ]]
	run azw-watch --log-dir "$L" --model-dir "$TMP/models" --modules conn dns
	[ "$status" -eq 2 ]
	[[ "$output" == *"$L/current/dns.log: no such file"* ]]
	run azw-watch --log-dir "$TMP/none" --modules conn
	[ "$status" -eq 2 ]
	[[ "$output" == *"$TMP/none: no such folder"* ]]
	rm -r "$L/current"
	run azw-watch --log-dir "$L" --modules conn
	[ "$status" -eq 2 ]
	[[ "$output" == *"$L/current: no such folder"* ]]
	mkdir "$L/current"
	cp "$TMP/models/dns.model" "$TMP/models/ssh.model"
	touch "$L/current/ssh.log"
	run azw-watch --log-dir "$L" --model-dir "$TMP/models" --modules ssh
	[ "$status" -eq 2 ]
	[[ "$output" == *"ssh.model: a model of dns, not of ssh"* ]]
	echo damaged >> "$TMP/models/conn.model"
	run azw-watch --log-dir "$L" --model-dir "$TMP/models" --modules conn
	[ "$status" -eq 2 ]
	[[ "$output" == *"conn.model: damaged model"* ]]
	run azw-watch --log-dir "$L" --modules conn --bogus
	[ "$status" -eq 2 ]
	[ -z "$(pgrep -f "azw-extract -m conn --schema [a-z]* --follow $L/current")" ]
}

@test "azw-watch passes every azw-score and azw-extract option on, in each of its spellings" {
	sed -n 1,5p "$JSON" > "$L/current/conn.log"
	# azw-score and azw-extract, first on PATH, write their arguments down
	mkdir "$TMP/wrap"
	for p in azw-score azw-extract; do
		printf '#!/bin/sh\nprintf "%%s\\n" "$*" >> "%s"\nexec "%s" "$@"\n' "$TMP/$p.args" "$(command -v "$p")" > "$TMP/wrap/$p"
		chmod +x "$TMP/wrap/$p"
	done
	PATH="$TMP/wrap:$PATH"
	m="$TMP/models/conn.model"
	schema=$(sed -n 's/^schema\t//p' "$m")
	# OPTIONS | what the scorer gets | what the extractor gets (before --follow)
	while IFS='|' read -r opts score extract; do
		rm -f "$TMP"/*.args
		# shellcheck disable=SC2086
		setsid azw-watch --log-dir "$L" --model-dir "$TMP/models" --modules conn $opts > /dev/null 2> "$TMP/err" 3>&- &
		pid=$!
		wait_for 60 '! kill -0 "$pid" 2> /dev/null || { grep -q -- "--line-buffered" "$TMP/azw-score.args" && grep -q -- "--follow" "$TMP/azw-extract.args"; } 2> /dev/null'
		kill -TERM "$pid"
		wait "$pid" || true
		pid=
		echo "$opts: $(grep -- --line-buffered "$TMP/azw-score.args")"
		[ "$(grep -- --line-buffered "$TMP/azw-score.args")" = "$score --line-buffered $m" ]
		[ "$(grep -- --follow "$TMP/azw-extract.args")" = "-m conn --schema $schema$extract --follow $L/current/conn.log" ]
	done <<-EOT
	-t 0.5 -a -e|--threshold 0.5 --alerts-only --explain|
	--threshold 0.25 --explain=2 --local-nets 10.0.0.0/8|--threshold 0.25 --explain=2| --local-nets 10.0.0.0/8
	--threshold=0.125 -e4 --context default|--threshold 0.125 --explain=4| --context default
	--fpr 0.01 --alerts-only --explain --local-nets=192.168.0.0/16 --context=default|--fpr 0.01 --alerts-only --explain| --local-nets 192.168.0.0/16 --context default
	-f 0.02 --explain|--fpr 0.02 --explain|
	--fpr=0.03|--fpr 0.03|
	EOT
}

@test "azw-watch: a log type without a module of its own (weird) is watched with its generic model" {
	LOG="$DATA/any/weird.log"
	azw-extract -m weird "$LOG" | azw-fit -q --fm-grace 5 -o "$TMP/models/weird.model" 2> /dev/null
	# the live log: its header block and the first 10 records, then 30 more
	head -n 18 "$LOG" > "$L/current/weird.log"
	watch --modules weird -o "$TMP/scores.jsonl"
	wait_lines "$TMP/scores.jsonl" 10
	grep -v '^#' "$LOG" | sed -n 11,40p >> "$L/current/weird.log"
	wait_lines "$TMP/scores.jsonl" 40
	sleep 1
	kill -TERM "$pid"
	wait "$pid"
	pid=
	[ "$(wc -l < "$TMP/scores.jsonl")" -eq 40 ]
	[ "$(jq -r .module "$TMP/scores.jsonl" | sort -u)" = weird ]
	diff <(jq -r '.uid // "-"' "$TMP/scores.jsonl") <(grep -v '^#' "$LOG" | cut -f2)
	# a generic model whose columns the live log no longer gives (a
	# package added a field) is refused (timeout: a bug here must not hang)
	awk -F'\t' -v OFS='\t' '/^#fields/ { $0 = $0 OFS "extra" } /^#types/ { $0 = $0 OFS "count" }
		!/^#/ { $0 = $0 OFS "1" } { print }' "$LOG" > "$L/current/weird.log"
	run timeout 60 azw-watch --log-dir "$L" --model-dir "$TMP/models" --modules weird
	[ "$status" -eq 2 ]
	[[ "$output" == *"weird.model: its"*"features are not what azw-extract -m weird"* ]]
}
