#!/usr/bin/env bats
# azw-extract --follow: a live log followed across Zeek's rotations (rename
# and a new file, late lines to the old one), copytruncate and a file that
# is not there yet; every line once, each under its own file's TSV header;
# SIGTERM ends it cleanly with everything written.

load helpers

JSON="$DATA/conn/netflowlabeler.head200.conn.json"
TSV="$DATA/formats/rita-missing-host.conn.2blocks.log"

setup() {
	TMP="$BATS_TEST_TMPDIR"
	pid=
}

teardown() {
	if [ -n "$pid" ] && kill -0 "$pid" 2> /dev/null; then
		kill -KILL "$pid"
	fi
}

# Rows (not header lines) in FILE.
rows() {
	grep -vc '^#' "$1" || true
}

# Wait (up to 20 s) until FILE has N rows.
wait_rows() {
	local i
	for i in $(seq 200); do
		[ "$(rows "$1")" -ge "$2" ] && return 0
		sleep 0.1
	done
	echo "timed out: $(rows "$1") rows in $1, waited for $2" >&2
	return 1
}

follow() { # LOG: azw-extract -F LOG in the background, output in $TMP/out
	azw-extract -m conn -F "$1" > "$TMP/out" 2> "$TMP/err" 3>&- &
	pid=$!
}

stop() { # SIGTERM, and its exit status in $status
	kill -TERM "$pid"
	status=0
	wait "$pid" || status=$?
	pid=
}

@test "azw-extract --help shows --follow; --follow with other FILEs is a usage error" {
	run azw-extract --help
	[[ "$output" == *"-F, --follow FILE"* ]]
	[[ "$output" == *"azw-extract [-m MODULE] [--schema SCHEMA] [--format FORMAT]"*"-F FILE"* ]]
	run azw-extract -m conn -F "$JSON" "$JSON"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--follow takes one FILE"* ]]
}

@test "--follow: 200 JSON lines across two rotations, late lines to the old files: 200 rows, each once" {
	log="$TMP/conn.log"
	sed -n 1,50p "$JSON" > "$log"
	follow "$log"
	wait_rows "$TMP/out" 50
	# Rotation 1: Zeek renames the log and starts a new one; a few lines it
	# had buffered still reach the old file.
	mv "$log" "$TMP/conn.1.log"
	sed -n 51,90p "$JSON" > "$log"
	sed -n 91,100p "$JSON" >> "$TMP/conn.1.log"
	wait_rows "$TMP/out" 100
	# Rotation 2, while the first old file is still in its grace period.
	mv "$log" "$TMP/conn.2.log"
	sed -n 101,150p "$JSON" > "$log"
	sed -n 151,160p "$JSON" >> "$TMP/conn.2.log"
	# A line written in two pieces.
	line=$(sed -n 161p "$JSON")
	printf '%s' "${line:0:40}" >> "$log"
	sleep 0.5
	printf '%s\n' "${line:40}" >> "$log"
	sed -n '162,$p' "$JSON" >> "$log"
	wait_rows "$TMP/out" 200
	sleep 0.5
	stop
	[ "$status" -eq 0 ]
	[ "$(rows "$TMP/out")" -eq 200 ]
	# The same records as extracting the file at once: same uids, each once.
	diff <(grep -v '^#' "$TMP/out" | cut -f2 | sort) <(jq -r .uid "$JSON" | sort)
	[ -z "$(grep -v '^#' "$TMP/out" | cut -f2 | sort | uniq -d)" ]
	[ ! -s "$TMP/err" ]
}

@test "--follow: TSV logs, each rotated file read under its own header" {
	log="$TMP/conn.log"
	# Without the _node_name column: another #fields line than the first file's.
	drop_node() {
		awk -F'\t' -v OFS='\t' '/^#(fields|types)/ { $2 = ""; sub(/\t\t/, "\t"); print; next }
			/^#/ { print; next } { $1 = ""; sub(/^\t/, ""); print }'
	}
	sed -n 1,38p "$TSV" > "$log"                       # header, rows 1-30
	follow "$log"
	wait_rows "$TMP/out" 30
	mv "$log" "$TMP/conn.1.log"
	sed -n 70,107p "$TSV" | drop_node > "$log"         # header without _node_name, 30 rows
	sed -n 39,68p "$TSV" >> "$TMP/conn.1.log"          # late: 30 rows with _node_name
	wait_rows "$TMP/out" 90
	mv "$log" "$TMP/conn.2.log"
	{ sed -n 1,8p "$TSV"; sed -n 108,137p "$TSV"; } > "$log"
	wait_rows "$TMP/out" 120
	stop
	[ "$status" -eq 0 ]
	[ ! -s "$TMP/err" ]
	[ "$(rows "$TMP/out")" -eq 120 ]
	diff <(grep -v '^#' "$TMP/out" | cut -f2 | sort) <(grep -v '^#' "$TSV" | cut -f3 | sort)
}

@test "--follow: a truncated file (copytruncate) is read again from its start" {
	log="$TMP/conn.log"
	sed -n 1,60p "$JSON" > "$log"
	follow "$log"
	wait_rows "$TMP/out" 60
	: > "$log"
	sed -n 61,80p "$JSON" >> "$log"
	wait_rows "$TMP/out" 80
	stop
	[ "$(rows "$TMP/out")" -eq 80 ]
	grep -q 'file truncated' "$TMP/err"
}

@test "--follow: a file that is not there yet is waited for, said once" {
	log="$TMP/later/conn.log"
	follow "$log"
	sleep 0.6
	mkdir -p "$TMP/later"
	sed -n 1,10p "$JSON" > "$log"
	wait_rows "$TMP/out" 10
	stop
	[ "$status" -eq 0 ]
	[ "$(grep -c 'waiting' "$TMP/err")" -eq 1 ]
}

@test "--follow: SIGTERM and SIGINT end it at once with status 0, every row written" {
	log="$TMP/conn.log"
	cp "$JSON" "$log"
	follow "$log"
	wait_rows "$TMP/out" 200
	stop
	[ "$status" -eq 0 ]
	[ "$(head -n 1 "$TMP/out")" = "#separator \\x09" ]
	# SIGINT too, when it is not ignored (a shell's background job ignores it).
	( trap - INT; exec azw-extract -m conn -F "$log" > "$TMP/out2" 2>&1 3>&- ) &
	pid=$!
	wait_rows "$TMP/out2" 200
	# a shell cannot un-ignore a signal ignored when it started (tests run
	# under nohup or from a background job): then SIGINT is not the
	# program's to take, and waiting for it would hang
	if [ $((0x$(sed -n 's/^SigIgn:[[:space:]]*//p' "/proc/$pid/status") & 2)) -ne 0 ]; then
		kill "$pid"
		wait "$pid" || true
		pid=
		skip "SIGINT was ignored when the tests started (nohup, a background job)"
	fi
	kill -INT "$pid"
	status=0
	wait "$pid" || status=$?
	pid=
	[ "$status" -eq 0 ]
	[ "$(rows "$TMP/out2")" -eq 200 ]
}
