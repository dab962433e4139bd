#!/bin/sh
# make demo: train a conn model on the Benign records of one real day of Zeek
# logs bundled in tests/data, score a later labelled day of the same host,
# and print what the model's anomaly flag catches (TPR) and what it costs
# (FPR), with the numbers.
#
# The same data set, split and settings are make eval's ctu-008to010 (setting
# A, schema extended, the first fit: seed 1234, --fm-grace a fifth of the
# training records), so the two print the same TPR and FPR
# (tests/60-eval.bats checks it). AZW_DEMO_OUT: where to write (demo-out).
set -e
cd "$(dirname "$0")/.."
PATH="$PWD/bin:$PATH"
out=${AZW_DEMO_OUT:-demo-out}
data=tests/data
seed=1234	# make eval's first seed
fpr=0.001	# make eval's --fpr
tab=$(printf '\t')
mkdir -p "$out"

# labels FILE: "uid<TAB>class" of a Zeek JSON conn log whose records carry a
# "label" field: M (Malicious), B (Benign), O (anything else), as make eval.
labels() {
	awk '{
		u = l = ""
		if (match($0, /"uid":"[^"]*"/)) u = substr($0, RSTART + 7, RLENGTH - 8)
		if (match($0, /"label":"[^"]*"/)) l = tolower(substr($0, RSTART + 9, RLENGTH - 10))
		if (u != "") print u "\t" (l ~ /^malicious/ ? "M" : l ~ /^benign/ ? "B" : "O")
	}' "$1"
}

# vectors FILE.vec LABELS CLASSES: the header, then the rows of the classes
# given (a regular expression: B, or . for all), sorted by ts (stable)
vectors() {
	grep '^#' "$1"
	awk -F'\t' -v want="^($3)\$" 'NR == FNR { c[$1] = $2; next }
		/^#/ { next }
		$2 in c && c[$2] ~ want' "$2" "$1" | sort -t "$tab" -k1,1g -s
}

echo "azw demo: CTU-Normal-40, hosts with public addresses (147.32.x.x) on the Internet, two days of"
echo "  their Zeek conn logs, labelled by the Stratosphere Laboratory (Malicious: attacks from the Internet)."
gzip -dc "$data/golden/conn.input.jsonl.gz" | head -n 5663 > "$out/day008.conn.json"
gzip -dc "$data/conn/ctu-010.conn.json.gz" > "$out/day010.conn.json"
labels "$out/day008.conn.json" > "$out/day008.labels"
labels "$out/day010.conn.json" > "$out/day010.labels"

# Day 008 is extracted whole, in its own order, so that the context features
# see every record; only its Benign records train: three quarters of the day
# are attacks, and a model trained on them learns the attacks as normal.
azw-extract -m conn "$out/day008.conn.json" > "$out/day008.vec"
vectors "$out/day008.vec" "$out/day008.labels" B > "$out/train.vec"
n=$(grep -vc '^#' "$out/train.vec")
g=$((n / 5))
[ "$g" -le 5000 ] || g=5000
[ "$g" -ge 50 ] || g=50
echo "train on day 008: its $n Benign records of $(grep -vc '^#' "$out/day008.vec") (the others are attacks: not normal);"
echo "  --fm-grace $g (a fifth of them), --seed $seed, threshold for --fpr $fpr"
# (azw-fit's own warnings shown, indented: it says when its context rests
# on too few hosts, as here)
azw-fit --fpr "$fpr" --fm-grace "$g" --seed "$seed" -o "$out/conn.model" < "$out/train.vec" 2> "$out/fit.err" ||
	{ cat "$out/fit.err" >&2; exit 1; }
sed 's/^/  /' "$out/fit.err"
thr=$(awk -F'\t' '$1 == "threshold" { print $2; exit }' "$out/conn.model")
echo "  model: $out/conn.model ($(grep -c . "$out/conn.model") lines of text; threshold $thr)"

echo "score day 010 (two days later, $(wc -l < "$out/day010.labels") records), in time order"
azw-extract -m conn "$out/day010.conn.json" > "$out/day010.vec"
vectors "$out/day010.vec" "$out/day010.labels" . | azw-score "$out/conn.model" > "$out/scores.jsonl"
awk -F'\t' -v thr="$thr" 'NR == FNR { c[$1] = $2; next }
	match($0, /"uid":"[^"]*"/) {
		k = c[substr($0, RSTART + 7, RLENGTH - 8)]; f = $0 ~ /"anomaly":true/
		match($0, /"score":[^,}]*/); sc = substr($0, RSTART + 8, RLENGTH - 8) + 0
		if (sc > top) top = sc
		n[k]++; a[k] += f
	}
	END {
		printf "  the anomaly flag: TPR %.4f (%d of %d Malicious flagged), FPR %.4f (%d of %d Benign flagged)\n",
			n["M"] ? a["M"] / n["M"] : 0, a["M"], n["M"], n["B"] ? a["B"] / n["B"] : 0, a["B"], n["B"]
		if (n["O"]) printf "  (and %d of %d Background records flagged)\n", a["O"], n["O"]
		printf "  the highest score of the day: %.4g; the model'"'"'s threshold: %.4g\n", top, thr
	}' "$out/day010.labels" "$out/scores.jsonl"
echo "  make eval's data set ctu-008to010 is this one: its first fit prints the same figures."

if command -v azw-alert > /dev/null; then
	azw-alert --closed-only < "$out/scores.jsonl" > "$out/incidents.jsonl"
	awk -F'\t' -v OFS='\t' 'NR == FNR { c[$1] = $2; next }
		match($0, /"uid":"[^"]*"/) {
			k = c[substr($0, RSTART + 7, RLENGTH - 8)]
			match($0, /"ts":[^,}]*/); ts = substr($0, RSTART + 5, RLENGTH - 5)
			match($0, /"id.orig_h":"[^"]*"/); o = substr($0, RSTART + 13, RLENGTH - 14)
			match($0, /"id.resp_h":"[^"]*"/); r = substr($0, RSTART + 13, RLENGTH - 14)
			print k, ts, o, r
		}' "$out/day010.labels" "$out/scores.jsonl" > "$out/test.hosts"
	awk -v min_mal=10 -v min_host=10 -f eval/jval.awk -f eval/incidents.awk "$out/test.hosts" "$out/incidents.jsonl" |
	awk -F'\t' '{
		printf "  incidents (azw-alert --closed-only): %d; they name %d of the %d hosts that sent >= 10 Malicious records", $5, $2, $1
		if ($4 != "-") printf " (median delay %.0f s)", $4
		printf "; %d name no attacking host\n", $6
	}'
else
	echo "  incidents: skipped (no azw-alert)"
fi

# Whose benign traffic each day is: the source hosts of the Benign records
benign_hosts() {
	awk -F'\t' 'NR == FNR { c[$1] = $2; next } /^#/ { next }
		c[$2] == "B" { n[$3]++ } END { for (h in n) print n[h] "\t" h }' "$2" "$1" |
		sort -t "$tab" -k1,1nr -k2,2 | awk -F'\t' '{ printf "%s%s", (NR > 1 ? ", " : ""), $2 } NR == 3 { exit }'
}
echo "  whose traffic: day 008's Benign records come from $(benign_hosts "$out/day008.vec" "$out/day008.labels"),"
echo "  day 010's from $(benign_hosts "$out/day010.vec" "$out/day010.labels"): the model's context part knows the first host only"
echo "  (the warning above), so the other's records are judged on their own columns, and the outside"
echo "  sources (the attacks) on their context too. Monday's model on Tuesday can also be calibrated"
echo "  anew on a benign stretch of the new day (the threshold then rests on that day's records):"

# Monday's model on Tuesday: day 010 is another host's day and drifts
# from day 008, so calibrate the model anew on day 010's first hours
# (its Benign records only; nothing else of the model changes) and score
# the rest of the day with it.
vectors "$out/day010.vec" "$out/day010.labels" . > "$out/day010.sorted.vec"
n10=$(grep -vc '^#' "$out/day010.sorted.vec")
cut=$((n10 * 4 / 10))
{ grep '^#' "$out/day010.sorted.vec"; grep -v '^#' "$out/day010.sorted.vec" | head -n "$cut" |
	awk -F'\t' 'NR == FNR { c[$1] = $2; next } c[$2] == "B"' "$out/day010.labels" -; } > "$out/recal.vec"
azw-fit -q --calibrate "$out/conn.model" --fpr "$fpr" -o "$out/conn.recal.model" "$out/recal.vec"
{ grep '^#' "$out/day010.sorted.vec"; grep -v '^#' "$out/day010.sorted.vec" | tail -n +$((cut + 1)); } |
	azw-score "$out/conn.recal.model" > "$out/scores.recal.jsonl"
awk 'NR == FNR { c[$1] = $2; next }
	match($0, /"uid":"[^"]*"/) { k = c[substr($0, RSTART + 7, RLENGTH - 8)]; n[k]++; a[k] += $0 ~ /"anomaly":true/ }
	END {
		printf "recalibrated (azw-fit --calibrate) on the %d Benign records of day 010'"'"'s first %d, scoring the other %d:\n", nb, cut, n["M"] + n["B"] + n["O"]
		printf "  the anomaly flag: TPR %.4f (%d of %d Malicious flagged), FPR %.4f (%d of %d Benign flagged)\n",
			n["M"] ? a["M"] / n["M"] : 0, a["M"], n["M"], n["B"] ? a["B"] / n["B"] : 0, a["B"], n["B"]
	}' nb="$(grep -vc '^#' "$out/recal.vec")" cut="$cut" "$out/day010.labels" "$out/scores.recal.jsonl"

# Incidents: hosts whose records are unusual more often than chance
echo
echo "The five highest scores of day 010:"
printf '%-12s  %-9s  %-20s  %-15s %5s  ->  %-15s %5s  %s\n' score label uid orig_h port resp_h port proto
jq -r '[.score, .uid, ."id.orig_h", ."id.orig_p", ."id.resp_h", ."id.resp_p", .proto] | @tsv' \
	"$out/scores.jsonl" | sort -t "$tab" -k1,1gr | head -n 5 |
	awk -F'\t' -v OFS='\t' 'NR == FNR { c[$1] = $2; next } { print $0, c[$2] }' "$out/day010.labels" - |
	awk -F'\t' '{ printf "%-12.4g  %-9s  %-20s  %-15s %5s  ->  %-15s %5s  %s\n", $1, $8 == "M" ? "Malicious" : $8 == "B" ? "Benign" : "other", $2, $3, $4, $5, $6, $7 }'
echo
echo "Next: jq 'select(.anomaly)' $out/scores.jsonl"
echo "      bin/azw-score --explain $out/conn.model $out/day010.vec | jq -sc 'sort_by(-.score) | .[:3][]'"
echo "      man ./man/azw.7; make eval (the same measurement on more data sets: eval/README)"
