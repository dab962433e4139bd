#!/bin/bash
# run.sh N RATE ROT_MIN ROT_MAX [RESTARTS [KILL_AT]] - the follow soak test: writer.pl
# appends N conn records at RATE lines/s to a log it rotates every
# ROT_MIN..ROT_MAX s (renames and copytruncates), while azw-extract -F
# --position follows it into azw-score --line-buffered --position. With
# RESTARTS, the pipeline is stopped and started again that many times while
# the writer writes, spread over its time: by SIGTERM to the extractor, except the
# KILL_AT'th time (2; 0 never), SIGKILL to both (a crash: nothing saved at
# the end).
# Then: every uid scored at least once, every score line valid JSON, and
# none scored twice - but after the SIGKILL, the records scored since the
# last saved position are scored again (the guarantee is at-least-once:
# azw-extract(1)); those must be fewer than 2 s of records (positions are
# saved once a second while lines flow). Prints the figures; exit 0 if all
# held. Needs azw-extract, azw-fit, azw-score on PATH, perl and jq.
set -u
n=${1:-60000} rate=${2:-30000} rmin=${3:-0.3} rmax=${4:-1} restarts=${5:-0} kill_at=${6:-2}
here=$(cd "$(dirname "$0")" && pwd)
data=$here/../data/conn/netflowlabeler.head200.conn.json
tmp=$(mktemp -d "${TMPDIR:-/tmp}/azw-soak.XXXXXX") || exit 2
xpid= spid= wpid=
trap 'for p in $xpid $spid $wpid; do kill "$p" 2> /dev/null; done; [ -n "${AZW_SOAK_KEEP:-}" ] || rm -rf "$tmp"' EXIT
azw-extract -m conn "$data" 2> /dev/null | azw-fit -q --fm-grace 50 -o "$tmp/m" || exit 2
mkdir "$tmp/logs"
log=$tmp/logs/conn.log
: > "$log"

start() {
	rm -f "$tmp/vec"
	mkfifo "$tmp/vec"
	azw-score --line-buffered --position "$tmp/pos" "$tmp/m" < "$tmp/vec" >> "$tmp/scores" 2>> "$tmp/score.err" &
	spid=$!
	azw-extract -m conn -F "$log" --position "$tmp/pos" > "$tmp/vec" 2>> "$tmp/extract.err" &
	xpid=$!
}

stop() { # SIGNAL: TERM to the extractor (the scorer ends at the end of its input), or KILL to both
	if [ "$1" = KILL ]; then
		kill -KILL "$xpid" "$spid"
	else
		kill -TERM "$xpid"
	fi
	wait "$xpid" "$spid" 2> /dev/null
	xpid= spid=
}

start
perl "$here/writer.pl" "$log" "$data" "$n" "$rate" "$rmin" "$rmax" 7 &
wpid=$!
killed=0 termed=0
for r in $(seq "$restarts"); do
	# spread over the writer's time: N/RATE/(RESTARTS+1) s apart, or down to half that
	sleep "$(awk -v s="$r" -v n="$n" -v rate="$rate" -v k="$restarts" \
		'BEGIN { srand(s); printf "%.2f", n / rate / (k + 1) * (0.5 + 0.5 * rand()) }')"
	kill -0 "$wpid" 2> /dev/null || break
	if [ "$r" = "$kill_at" ]; then
		stop KILL
		killed=$((killed + 1))
	else
		stop TERM
		termed=$((termed + 1))
	fi
	start
done
wait "$wpid" || exit 2
wpid=
# wait for every record, or until no more come for 20 s
last=-1 still=0
while [ "$still" -lt 20 ]; do
	got=$(wc -l < "$tmp/scores")
	[ "$got" -ge "$n" ] && [ "$killed" = 0 ] && break
	if [ "$got" = "$last" ]; then still=$((still + 1)); else still=0; fi
	last=$got
	[ "$got" -ge "$n" ] && [ "$still" -ge 3 ] && break # (after a SIGKILL, some come twice)
	sleep 1
done
sleep 1 # (anything more, scored twice, would show now)
stop TERM
got=$(wc -l < "$tmp/scores")
uniq_uids=$(jq -r .uid "$tmp/scores" | sort -u | wc -l)
bad_json=$(jq -c . "$tmp/scores" > /dev/null 2>&1 && echo 0 || echo 1)
twice=$((got - uniq_uids))
lost=$((n - uniq_uids))
bound=$((killed * 2 * rate))
echo "soak: $n records at $rate/s, rotated every $rmin-$rmax s, restarted $termed times (SIGTERM) and $killed (SIGKILL): $got score lines, $uniq_uids uids, $lost lost, $twice scored twice (allowed: $bound), invalid JSON: $bad_json"
grep -c 'rotated twice' "$tmp/extract.err" | sed 's/^/soak: rotated-twice messages: /'
grep -c 'rotated while stopped' "$tmp/extract.err" | sed 's/^/soak: rotated-while-stopped messages: /'
grep -v 'file truncated\|rotated twice\|rotated while stopped\|read from its copy' "$tmp/extract.err" | head -5
head -5 "$tmp/score.err"
[ "$lost" -eq 0 ] && [ "$twice" -le "$bound" ] && [ "$bad_json" -eq 0 ]
