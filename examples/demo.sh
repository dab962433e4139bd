#!/bin/sh
# make demo: train a conn model on real Zeek logs bundled in tests/data, score
# other real logs with it, and print a short summary.
set -e
cd "$(dirname "$0")/.."
PATH="$PWD/bin:$PATH"
out=demo-out
data=tests/data
mkdir -p "$out"

echo "azw demo: train on CTU-Normal-40 day 008 (5663 connections of a host on the open Internet)"
gzip -dc "$data/golden/conn.input.jsonl.gz" | head -n 5663 |
	azw-extract -m conn | azw-fit -o "$out/conn.model"
echo "  model: $out/conn.model ($(grep -c . "$out/conn.model") lines of text; try: less $out/conn.model)"

echo "azw demo: score day 010 of the same host (5347) and an Nmap port scan (4504)"
{
	gzip -dc "$data/conn/ctu-010.conn.json.gz"
	gzip -dc "$data/golden/conn.input.jsonl.gz" | tail -n +5664
} | azw-extract -m conn | azw-score "$out/conn.model" > "$out/scores.jsonl"

n=$(wc -l < "$out/scores.jsonl")
echo "  $n records scored into $out/scores.jsonl"
echo
echo "The five highest scores:"
printf '%-12s  %-20s  %-15s %5s  ->  %-15s %5s  %s\n' score uid orig_h port resp_h port proto
jq -r '[.score, .uid, ."id.orig_h", ."id.orig_p", ."id.resp_h", ."id.resp_p", .proto] | @tsv' \
	"$out/scores.jsonl" | sort -t "$(printf '\t')" -k1,1gr | head -n 5 |
	awk -F'\t' '{ printf "%-12.4g  %-20s  %-15s %5s  ->  %-15s %5s  %s\n", $1, $2, $3, $4, $5, $6, $7 }'
echo
echo "Next: jq 'select(.score > 10)' $out/scores.jsonl; man ./man/azw-score.1"
