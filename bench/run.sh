#!/bin/bash
# make bench: time azw on 1M conn records made from the real logs in
# tests/data (uid, ts and source port varied per copy), next to wc -l and jq.
# Prints records/s and peak RSS per program, median of $RUNS runs.
set -euo pipefail
cd "$(dirname "$0")/.."
PATH="$PWD/bin:$PATH"
RUNS=${RUNS:-3}
N=${N:-1000000}
out=bench/out
mkdir -p "$out"

src=tests/data/golden/conn.input.jsonl.gz
json=$out/conn.$N.json
if [ ! -s "$json" ]; then
	echo "bench: generating $N conn records from $src" >&2
	gzip -dc "$src" | awk -v n="$N" '
	{ line[NR] = $0 }
	END {
		for (i = 0; i < n; i++) {
			r = int(i / NR); s = line[i % NR + 1]
			# a new uid, a later ts and another source port per copy
			sub(/"uid":"C/, "\"uid\":\"C" r "x", s)
			if (match(s, /"ts":[0-9.]+/)) {
				ts = substr(s, RSTART + 5, RLENGTH - 5) + r * 86400
				s = substr(s, 1, RSTART + 4) sprintf("%.6f", ts) substr(s, RSTART + RLENGTH)
			}
			if (match(s, /"id.orig_p":[0-9]+/)) {
				p = (substr(s, RSTART + 12, RLENGTH - 12) + r * 7) % 65536
				s = substr(s, 1, RSTART + 11) p substr(s, RSTART + RLENGTH)
			}
			print s
		}
	}' > "$json"
fi
vec=$out/conn.$N.vec
azw-extract -m conn "$json" > "$vec"
azw-fit -q -o "$out/conn.model" "$vec"
bytes=$(wc -c < "$json")

# run NAME CMD...: median wall time and the peak RSS of the last run
have_time=0
[ -x /usr/bin/time ] && have_time=1
results=()
run() {
	local name=$1; shift
	local t times=() rss=-
	for i in $(seq "$RUNS"); do
		local s=$(date +%s.%N)
		if [ $have_time = 1 ]; then
			/usr/bin/time -f %M -o "$out/rss" "$@" > /dev/null
			rss=$(tail -n 1 "$out/rss")
		else
			"$@" > /dev/null
		fi
		local e=$(date +%s.%N)
		times+=("$(awk -v s="$s" -v e="$e" 'BEGIN { print e - s }')")
	done
	t=$(printf '%s\n' "${times[@]}" | sort -g | sed -n "$(( (RUNS + 1) / 2 ))p")
	results+=("$name	$t	$rss")
}
run "wc -l (JSON)" wc -l "$json"
run "jq -c projection" jq -c '[.orig_bytes,.resp_bytes,.orig_pkts,.resp_pkts]' "$json"
run "azw-extract -m conn (JSON)" azw-extract -m conn "$json"
run "azw-fit (defaults)" azw-fit -q -o "$out/conn.bench.model" "$vec"
run "azw-score" azw-score "$out/conn.model" "$vec"
run "extract | score" sh -c "azw-extract -m conn '$json' | azw-score '$out/conn.model'"

jq_t=$(printf '%s\n' "${results[@]}" | awk -F'\t' '$1 ~ /^jq/ { print $2 }')
echo
echo "azw bench: $N conn records, $((bytes / 1000000)) MB of Zeek JSON; median of $RUNS runs"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
printf '%-28s %10s %12s %8s %10s %10s\n' program seconds records/s MB/s "x jq" "RSS MB"
printf '%s\n' "${results[@]}" | while IFS='	' read -r name t rss; do
	awk -v name="$name" -v t="$t" -v n="$N" -v b="$bytes" -v jq="$jq_t" -v rss="$rss" 'BEGIN {
		printf "%-28s %10.3f %12.0f %8.1f %10.2f %10s\n", name, t, n / t, b / t / 1e6, jq / t,
			rss == "-" ? "-" : sprintf("%.1f", rss / 1024) }'
done
