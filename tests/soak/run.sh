#!/bin/bash
# run.sh N RATE ROT_MIN ROT_MAX - the follow soak test: writer.pl appends N
# conn records at RATE lines/s to a log it rotates every ROT_MIN..ROT_MAX s
# (renames and copytruncates), while azw-extract -F follows it into
# azw-score --line-buffered. Then: every uid scored exactly once, every
# score line valid JSON. Prints the figures; exit 0 if all held.
# Needs azw-extract, azw-fit, azw-score on PATH, perl and jq.
set -u
n=${1:-60000} rate=${2:-30000} rmin=${3:-0.3} rmax=${4:-1}
here=$(cd "$(dirname "$0")" && pwd)
data=$here/../data/conn/netflowlabeler.head200.conn.json
tmp=$(mktemp -d "${TMPDIR:-/tmp}/azw-soak.XXXXXX") || exit 2
xpid=
trap '[ -z "$xpid" ] || kill "$xpid" 2> /dev/null; [ -n "${AZW_SOAK_KEEP:-}" ] || rm -rf "$tmp"' EXIT
azw-extract -m conn "$data" 2> /dev/null | azw-fit -q --fm-grace 50 -o "$tmp/m" || exit 2
mkdir "$tmp/logs"
log=$tmp/logs/conn.log
: > "$log"
mkfifo "$tmp/vec"
azw-score --line-buffered "$tmp/m" < "$tmp/vec" > "$tmp/scores" 2> "$tmp/score.err" &
azw-extract -m conn -F "$log" > "$tmp/vec" 2> "$tmp/extract.err" &
xpid=$!
perl "$here/writer.pl" "$log" "$data" "$n" "$rate" "$rmin" "$rmax" 7 || exit 2
# wait for every record, or until no more come for 20 s
last=-1 still=0
while [ "$still" -lt 20 ]; do
	got=$(wc -l < "$tmp/scores")
	[ "$got" -ge "$n" ] && break
	if [ "$got" = "$last" ]; then still=$((still + 1)); else still=0; fi
	last=$got
	sleep 1
done
sleep 1 # (anything more, scored twice, would show now)
kill -TERM "$xpid"
wait
got=$(wc -l < "$tmp/scores")
uniq_uids=$(jq -r .uid "$tmp/scores" | sort -u | wc -l)
bad_json=$(jq -c . "$tmp/scores" > /dev/null 2>&1 && echo 0 || echo 1)
twice=$((got - uniq_uids))
lost=$((n - uniq_uids))
echo "soak: $n records at $rate/s, rotated every $rmin-$rmax s: $got score lines, $uniq_uids uids, $lost lost, $twice scored twice, invalid JSON: $bad_json"
grep -c 'rotated twice' "$tmp/extract.err" | sed 's/^/soak: rotated-twice messages: /'
grep -v 'file truncated\|rotated twice\|read from its copy' "$tmp/extract.err" | head -5
[ "$lost" -eq 0 ] && [ "$twice" -eq 0 ] && [ "$bad_json" -eq 0 ]
