#!/bin/sh
# make demo: train a conn model on real Zeek logs bundled in tests/data, score
# other real logs with it, and print a short summary.
set -e
cd "$(dirname "$0")/.."
PATH="$PWD/bin:$PATH"
out=demo-out
data=tests/data
mkdir -p "$out"

echo "azw demo: train on CTU-Normal-40 day 008 (5663 connections of a host on the open Internet;"
echo "  a small day, so --fm-grace 1000 leaves most of it to the autoencoders)"
gzip -dc "$data/golden/conn.input.jsonl.gz" | head -n 5663 |
	azw-extract -m conn | azw-fit --fm-grace 1000 -o "$out/conn.model"
echo "  model: $out/conn.model ($(grep -c . "$out/conn.model") lines of text; try: less $out/conn.model)"

echo "azw demo: score day 010 of the same host (5347) and an Nmap port scan (4504)"
{
	gzip -dc "$data/conn/ctu-010.conn.json.gz"
	gzip -dc "$data/golden/conn.input.jsonl.gz" | tail -n +5664
} | azw-extract -m conn | azw-score "$out/conn.model" > "$out/scores.jsonl"

n=$(wc -l < "$out/scores.jsonl")
echo "  $n records scored into $out/scores.jsonl"
# the first 5347 lines are day 010, the rest the scan
awk -v t="$(awk -F'\t' '$1 == "threshold" { print $2 }' "$out/conn.model")" '
	/"anomaly":true/ { if (NR <= 5347) a++; else b++ }
	END { printf "  flagged anomalous (score above the threshold %.4g): %d of 5347 day-010 records, %d of %d port-scan records\n", t, a, b, NR - 5347 }' "$out/scores.jsonl"
echo
echo "The five highest scores:"
printf '%-12s  %-20s  %-15s %5s  ->  %-15s %5s  %s\n' score uid orig_h port resp_h port proto
jq -r '[.score, .uid, ."id.orig_h", ."id.orig_p", ."id.resp_h", ."id.resp_p", .proto] | @tsv' \
	"$out/scores.jsonl" | sort -t "$(printf '\t')" -k1,1gr | head -n 5 |
	awk -F'\t' '{ printf "%-12.4g  %-20s  %-15s %5s  ->  %-15s %5s  %s\n", $1, $2, $3, $4, $5, $6, $7 }'
echo
echo "Next: jq 'select(.anomaly)' $out/scores.jsonl; azw-score --explain $out/conn.model; man ./man/azw.7"
