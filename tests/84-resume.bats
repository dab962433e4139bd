#!/usr/bin/env bats
# Restarts resume (issue 18, item 9): azw-extract -F --position POSFILE |
# azw-score --position POSFILE, stopped and started again, scores each record
# once: the same file read on, a file rotated or copytruncated while
# stopped, a file replaced; a file gone is said with the bytes lost
# (item 3); --from-end; azw-watch's state folder. Each waits for a
# condition, with a generous deadline, never a fixed sleep.

load helpers

JSON="$DATA/conn/netflowlabeler.head200.conn.json"
TSV="$DATA/formats/rita-missing-host.conn.2blocks.log"

setup() {
	TMP="$BATS_TEST_TMPDIR"
	PATH="$BATS_TEST_DIRNAME/../scripts:$PATH"
	L="$TMP/logs"
	mkdir -p "$L/current"
	LOG="$L/current/conn.log"
	xpid= spid= wpid=
	azw-extract -m conn "$JSON" | azw-fit -q --fm-grace 50 -o "$TMP/m" 2> /dev/null
}

teardown() {
	local p
	for p in $xpid $spid; do
		kill -KILL "$p" 2> /dev/null || true
	done
	if [ -n "$wpid" ] && kill -0 "$wpid" 2> /dev/null; then
		kill -TERM "$wpid"
		wait_for 30 '! kill -0 "$wpid" 2> /dev/null' || pkill -KILL -g "$wpid" || true
	fi
}

# start [OPTION...]: azw-extract -F $LOG --position $TMP/pos | azw-score
# --position $TMP/pos, appending to $TMP/out; stderr of each appended to
# $TMP/xerr and $TMP/serr.
start() {
	rm -f "$TMP/v"
	mkfifo "$TMP/v"
	azw-score --line-buffered --position "$TMP/pos" "$TMP/m" < "$TMP/v" >> "$TMP/out" 2>> "$TMP/serr" 3>&- &
	spid=$!
	azw-extract -m conn -F "$LOG" --position "$TMP/pos" "$@" > "$TMP/v" 2>> "$TMP/xerr" 3>&- &
	xpid=$!
}

# stop: SIGTERM to the extractor; both end, the position saved.
stop() {
	kill -TERM "$xpid"
	wait "$xpid"
	wait "$spid"
	xpid= spid=
}

lines() {
	{ wc -l < "$1"; } 2> /dev/null || echo 0
}

# Every uid of the records named once: sorted uids of $TMP/out equal $1's.
each_once() {
	diff <(jq -r .uid "$TMP/out" | sort) <(printf '%s\n' "$@" | sort)
}

json_uids() { # lines A..B of $JSON: their uids
	sed -n "$1,$2p" "$JSON" | jq -r .uid
}

@test "resume: stopped and started again, the same file is read on from where its scores ended" {
	sed -n 1,100p "$JSON" > "$LOG"
	start
	wait_for 30 '[ "$(lines "$TMP/out")" -ge 100 ]'
	stop
	grep -q "^azw-position 2 files 1 " "$TMP/pos"
	sed -n 101,150p "$JSON" >> "$LOG"
	start
	wait_for 30 '[ "$(lines "$TMP/out")" -ge 150 ]'
	sed -n 151,200p "$JSON" >> "$LOG"
	wait_for 30 '[ "$(lines "$TMP/out")" -ge 200 ]'
	stop
	each_once $(json_uids 1 200)
	[ ! -s "$TMP/xerr" ] && [ ! -s "$TMP/serr" ]
}

@test "resume: a TSV log is read on under its header (its # lines given again, no row twice)" {
	sed -n 1,20p "$TSV" > "$LOG"
	start
	wait_for 30 '[ "$(lines "$TMP/out")" -ge 12 ]'
	stop
	sed -n 21,40p "$TSV" >> "$LOG"
	start
	wait_for 30 '[ "$(lines "$TMP/out")" -ge 32 ]'
	stop
	each_once $(sed -n 1,40p "$TSV" | grep -v '^#' | cut -f3)
	[ ! -s "$TMP/xerr" ]
}

@test "resume: rotated while stopped, the old file is read on by its inode, then the new one from its start" {
	sed -n 1,60p "$JSON" > "$LOG"
	start
	wait_for 30 '[ "$(lines "$TMP/out")" -ge 60 ]'
	stop
	sed -n 61,80p "$JSON" >> "$LOG"
	mv "$LOG" "$L/current/conn.2024-05-01-10-00-00.log"
	sed -n 81,120p "$JSON" > "$LOG"
	start
	wait_for 30 '[ "$(lines "$TMP/out")" -ge 120 ]'
	# twice while stopped: the file in between, never seen, is read whole
	stop
	mv "$LOG" "$L/current/conn.2024-05-01-11-00-00.log"
	sed -n 121,150p "$JSON" > "$LOG"
	mv "$LOG" "$L/current/conn.2024-05-01-12-00-00.log"
	sed -n 151,200p "$JSON" > "$LOG"
	start
	wait_for 30 '[ "$(lines "$TMP/out")" -ge 200 ]'
	stop
	each_once $(json_uids 1 200)
	grep -q "rotated while stopped; reading .*conn.2024-05-01-12-00-00.log" "$TMP/xerr"
}

@test "resume: copytruncated while stopped, the rest is read from the copy, then the log from its start" {
	sed -n 1,60p "$JSON" > "$LOG"
	start
	wait_for 30 '[ "$(lines "$TMP/out")" -ge 60 ]'
	stop
	sed -n 61,90p "$JSON" >> "$LOG"
	cp "$LOG" "$LOG.1"
	: > "$LOG"
	sed -n 91,200p "$JSON" >> "$LOG"
	start
	wait_for 30 '[ "$(lines "$TMP/out")" -ge 200 ]'
	stop
	each_once $(json_uids 1 200)
	grep -q "read from its copy .*conn.log.1" "$TMP/xerr"
}

@test "resume: another file at the path (its start differs) is read from its start" {
	sed -n 1,60p "$JSON" > "$LOG"
	start
	wait_for 30 '[ "$(lines "$TMP/out")" -ge 60 ]'
	stop
	# the same inode, other content: rewritten in place, longer than before
	sed -n 61,200p "$JSON" > "$LOG"
	start
	wait_for 30 '[ "$(lines "$TMP/out")" -ge 200 ]'
	stop
	each_once $(json_uids 1 200)
	grep -q "changed while stopped" "$TMP/xerr"
}

@test "item 3: a file read part-way, compressed while stopped, is said lost with its bytes unread" {
	# The follower knows the size at its last look: lines 41-60 arrive in
	# one write, seen by a look (the position's size) but not yet read?
	# That cannot be staged from outside; what is known here is that the
	# file is gone, with its 0 bytes then unread, and lines written since.
	sed -n 1,60p "$JSON" > "$LOG"
	start
	wait_for 30 '[ "$(lines "$TMP/out")" -ge 60 ]'
	stop
	sed -n 61,80p "$JSON" >> "$LOG"
	mv "$LOG" "$L/current/conn.1.log"
	gzip "$L/current/conn.1.log"
	sed -n 81,100p "$JSON" > "$LOG"
	start
	wait_for 30 '[ "$(lines "$TMP/out")" -ge 80 ]'
	stop
	each_once $(json_uids 1 60) $(json_uids 81 100)
	# (the new log may get the gone file's inode: known by its start)
	grep -q "conn.log: a file read up to byte $(sed -n 1,60p "$JSON" | wc -c) when stopped (inode [0-9]*) is gone (.*: its 0 bytes then unread, and any written to it since, are lost" "$TMP/xerr"
}

@test "resume: --from-end with no position starts at the end (a TSV log still under its header)" {
	sed -n 1,20p "$TSV" > "$LOG"
	start --from-end
	wait_for 30 '[ -s "$TMP/pos" ]'
	sed -n 21,30p "$TSV" >> "$LOG"
	wait_for 30 '[ "$(lines "$TMP/out")" -ge 10 ]'
	stop
	each_once $(sed -n 21,30p "$TSV" | grep -v '^#' | cut -f3)
	[ ! -s "$TMP/xerr" ]
	# with a position, --from-end is ignored: resumed
	sed -n 31,35p "$TSV" >> "$LOG"
	start --from-end
	wait_for 30 '[ "$(lines "$TMP/out")" -ge 15 ]'
	stop
	each_once $(sed -n 21,35p "$TSV" | grep -v '^#' | cut -f3)
}

@test "resume: a position file that is not one, or --position without -F, is refused (exit 2)" {
	sed -n 1,10p "$JSON" > "$LOG"
	echo "hello" > "$TMP/pos"
	run azw-extract -m conn -F "$LOG" --position "$TMP/pos"
	[ "$status" -eq 2 ]
	[[ "$output" == *"not a position this azw wrote"* ]]
	[[ "$output" == *"remove it to start again"* ]]
	run azw-extract -m conn --position "$TMP/pos" "$LOG"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--position is for a followed file: give -F FILE"* ]]
	run azw-extract --help
	[[ "$output" == *"--position POSFILE"* ]] && [[ "$output" == *"--from-end"* ]]
	run azw-score --help
	[[ "$output" == *"--position POSFILE"* ]]
}

@test "resume: #position lines pass azw-fit and azw-score without --position unseen" {
	sed -n 1,100p "$JSON" > "$LOG"
	rm -f "$TMP/pos"
	azw-extract -m conn -F "$LOG" --position "$TMP/pos" > "$TMP/vec" 2> "$TMP/xerr" &
	xpid=$!
	wait_for 30 'grep -q "^#position" "$TMP/vec"'
	kill -TERM "$xpid"
	wait "$xpid"
	xpid=
	[ ! -e "$TMP/pos" ]     # only the scorer saves it
	grep -v '^#position' "$TMP/vec" > "$TMP/plain"
	azw-score "$TMP/m" "$TMP/vec" > "$TMP/a"
	azw-score "$TMP/m" "$TMP/plain" > "$TMP/b"
	cmp "$TMP/a" "$TMP/b"
	[ "$(lines "$TMP/a")" -eq 100 ]
	azw-fit -q --fm-grace 50 -o "$TMP/m2" "$TMP/vec"
	azw-score --position "$TMP/pos" "$TMP/m" "$TMP/vec" > "$TMP/c"
	cmp "$TMP/a" "$TMP/c"
	grep -q "^azw-position 2 files 1 " "$TMP/pos"
}

@test "azw-watch: restarted (SIGTERM), resumes from its state folder beside -o; --state-dir, --from-end" {
	azw-extract -m conn "$JSON" | azw-fit -q --fm-grace 50 -o "$TMP/conn.model" 2> /dev/null
	sed -n 1,100p "$JSON" > "$LOG"
	for run in 1 2 3; do
		setsid azw-watch --log-dir "$L" --model-dir "$TMP" --modules conn -o "$TMP/out" 2>> "$TMP/werr" 3>&- &
		wpid=$!
		[ "$run" = 1 ] || sed -n "$((run * 50 + 1)),$((run * 50 + 50))p" "$JSON" >> "$LOG"
		wait_for 30 '[ "$(lines "$TMP/out")" -ge $((run * 50 + 50)) ]'
		kill -TERM "$wpid"
		wait "$wpid"
		wpid=
	done
	each_once $(json_uids 1 200)
	[ -f "$TMP/out.state/conn.pos" ]
	# --state-dir elsewhere (made), --from-end: only what comes after the start
	cp "$LOG" "$TMP/full"
	: > "$TMP/out2"
	setsid azw-watch --log-dir "$L" --model-dir "$TMP" --modules conn -o "$TMP/out2" \
		--state-dir "$TMP/st/x" --from-end 2>> "$TMP/werr" 3>&- &
	wpid=$!
	wait_for 30 '[ -s "$TMP/st/x/conn.pos" ]'
	sed -n 1,5p "$JSON" | sed 's/"uid":"/"uid":"N/' >> "$LOG"
	wait_for 30 '[ "$(lines "$TMP/out2")" -ge 5 ]'
	kill -TERM "$wpid"
	wait "$wpid"
	wpid=
	[ "$(jq -r .uid "$TMP/out2" | grep -c '^N')" -eq 5 ] && [ "$(lines "$TMP/out2")" -eq 5 ]
	run azw-watch --help
	[[ "$output" == *"--state-dir DIR"* ]] && [[ "$output" == *"--from-end"* ]]
	run azw-watch --log-dir "$L" --model-dir "$TMP" --modules conn -o "$TMP/out3" --state-dir /proc/x
	[ "$status" -eq 2 ]
	[[ "$output" == *"/proc/x: cannot make it or write in it"* ]]
}

@test "a stop (SIGTERM) while the scorer's pipe is full: the write goes on, no cut line, exit 0" {
	for i in 1 2 3 4 5 6 7 8; do cat "$JSON"; done > "$LOG"   # ~800 KB of vectors
	mkfifo "$TMP/p"
	# a reader that does not read until told: the pipe fills, the write blocks
	sh -c 'while [ ! -e "$1/go" ]; do sleep 0.1; done; exec cat' _ "$TMP" < "$TMP/p" > "$TMP/got" 3>&- &
	rpid=$!
	azw-extract -m conn -F "$LOG" --position "$TMP/pos" > "$TMP/p" 2> "$TMP/xerr" 3>&- &
	xpid=$!
	wait_for 30 'grep -q pipe_write "/proc/$xpid/wchan" 2> /dev/null'
	kill -TERM "$xpid"
	touch "$TMP/go"
	status=0
	wait "$xpid" || status=$?
	xpid=
	wait "$rpid"
	[ "$status" -eq 0 ]
	[ ! -s "$TMP/xerr" ]
	# whole rows only, and the last position after them
	[ "$(grep -v '^#' "$TMP/got" | awk -F'\t' '{ print NF }' | sort -u | wc -l)" -eq 1 ]
	tail -n 1 "$TMP/got" | grep -q '^#position	azw-position 2 '
}

@test "resume: 20 files rotated while stopped (more than 16 open at once): each read, in turn" {
	sed -n 1,10p "$JSON" > "$LOG"
	start
	wait_for 30 '[ "$(lines "$TMP/out")" -ge 10 ]'
	stop
	for k in $(seq 1 20); do
		sed -n "$((k * 9 + 2)),$((k * 9 + 10))p" "$JSON" >> "$LOG"
		mv "$LOG" "$L/current/conn.$(printf %02d "$k").log"
		touch -d "@$((1700000000 + k))" "$L/current/conn.$(printf %02d "$k").log" # oldest first: by mtime
	done
	: > "$LOG"
	start
	wait_for 60 '[ "$(lines "$TMP/out")" -ge 190 ]'
	stop
	each_once $(json_uids 1 190)
}
