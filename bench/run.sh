#!/bin/bash
# make bench: how fast azw is, next to wc -l and jq on the same files.
#
# Input, made once into bench/out/ from the real logs in tests/data (no
# network, no ../shared), the same bytes every time:
#   - N (1M) conn records as Zeek JSON, and the same records as Zeek TSV;
#   - M (200k) records each of dns, http, ssh and ssl, JSON and TSV.
# Each copy of a real record gets another uid, a later ts, another source
# port and address, and (conn) scaled byte and packet counts.
#
# Timed, median of $RUNS runs (wall clock), peak RSS of the last run:
# azw-extract (JSON, TSV) per module, azw-fit with defaults and azw-score
# with the default conn model, azw-alert over that model's score lines
# (with --explain: the longest lines it reads), the pipeline
# azw-extract | azw-score, KitNET
# alone on $SMALL of those vectors held in memory (bench/model-only.c, the
# median of $RUNS passes: azw-score's floor), and the
# yardsticks wc -l and jq -c projecting the raw fields azw-extract reads
# of each record (bench/fields).
# The generic module (-m any) on the largest JSON log of ../shared/data
# (and its TSV twin), next to jq projecting the same fields; left out when
# ../shared is absent.
# Also the peak RSS of each program on 100k records, to show it is flat.
# Timings are never assertions: this only prints.
set -euo pipefail
cd "$(dirname "$0")/.."
PATH="$PWD/bin:$PATH"
RUNS=${RUNS:-3}
runs=$RUNS
N=${N:-1000000}
M=${M:-200000}
SMALL=${SMALL:-100000}
out=bench/out
mkdir -p "$out"
export LC_ALL=C

for t in jq gzip awk; do
	command -v $t > /dev/null || { echo "bench: $t is needed" >&2; exit 2; }
done
if [ ! -x /usr/bin/time ] && [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
	apt-get install -y -qq time > /dev/null 2>&1 || true
fi

# gen MODULE COUNT > json: copies of tests/data/golden/MODULE.input.jsonl.gz
gen() {
	gzip -dc "tests/data/golden/$1.input.jsonl.gz" | awk -v n="$2" -v mod="$1" '
	function setnum(s, key, f,    re, v) {
		re = "\"" key "\":[0-9.]+"
		if (!match(s, re))
			return s
		v = substr(s, RSTART + length(key) + 3, RLENGTH - length(key) - 3)
		return substr(s, 1, RSTART + length(key) + 2) f(v) substr(s, RSTART + RLENGTH)
	}
	{ line[NR] = $0 }
	END {
		for (i = 0; i < n; i++) {
			r = int(i / NR); s = line[i % NR + 1]
			# a new uid and a later ts per copy
			sub(/"uid":"C/, "\"uid\":\"C" r "x", s)
			if (match(s, /"ts":[0-9.]+/)) {
				ts = substr(s, RSTART + 5, RLENGTH - 5) + r * 86400
				s = substr(s, 1, RSTART + 4) sprintf("%.6f", ts) substr(s, RSTART + RLENGTH)
			}
			# another source port, and another last octet of an IPv4 source
			if (match(s, /"id.orig_p":[0-9]+/)) {
				p = (substr(s, RSTART + 12, RLENGTH - 12) + r * 7) % 65536
				s = substr(s, 1, RSTART + 11) p substr(s, RSTART + RLENGTH)
			}
			if (r > 0 && match(s, /"id.orig_h":"[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+"/)) {
				a = substr(s, RSTART + 13, RLENGTH - 14)
				k = split(a, o, ".")
				o[4] = (o[4] + r * 37) % 254 + 1
				s = substr(s, 1, RSTART + 12) o[1] "." o[2] "." o[3] "." o[4] substr(s, RSTART + RLENGTH - 1)
			}
			# conn: byte and packet counts scaled by 1.0 .. 1.9 per copy
			if (mod == "conn" && r > 0) {
				f = 1 + (r % 10) / 10
				for (q = 1; q <= 6; q++) {
					key = q == 1 ? "orig_bytes" : q == 2 ? "resp_bytes" : q == 3 ? "orig_pkts" : \
					      q == 4 ? "resp_pkts" : q == 5 ? "orig_ip_bytes" : "resp_ip_bytes"
					re = "\"" key "\":[0-9]+"
					if (match(s, re)) {
						v = substr(s, RSTART + length(key) + 3, RLENGTH - length(key) - 3)
						s = substr(s, 1, RSTART + length(key) + 2) int(v * f) substr(s, RSTART + RLENGTH)
					}
				}
			}
			print s
		}
	}'
}

# The #fields/#types header of a Zeek TSV fixture of the module.
tsv_fixture() {
	case $1 in
	conn) # zat's header with local_resp added (Zeek's own conn.log has it)
		sed -e '/^#fields/s/\tlocal_orig/\tlocal_orig\tlocal_resp/' \
		    -e '/^#types/s/\tbool/\tbool\tbool/' tests/data/formats/zat.conn.head12.log ;;
	dns) gzip -dc tests/data/formats/brim_dns.head150.log.gz ;;
	http) gzip -dc tests/data/formats/rita-http.head200.log.gz ;;
	ssh) gzip -dc tests/data/formats/brim_ssh.head150.log.gz ;;
	ssl) gzip -dc tests/data/formats/brim_ssl.head150.log.gz ;;
	esac
}

# tsv MODULE < json > tsv: the same records as Zeek's ASCII writer would
# write them (header from the fixture; unset "-", empty set "(empty)").
tsv() {
	local hdr fields
	hdr=$(tsv_fixture "$1" | grep -E '^#(separator|set_separator|empty_field|unset_field|path|fields|types)')
	fields=$(printf '%s\n' "$hdr" | awk -F'\t' '$1 == "#fields" { for (i = 2; i <= NF; i++) printf "%s\"%s\"", (i > 2 ? "," : ""), $i }')
	printf '%s\n' "$hdr"
	jq -r --argjson f "[$fields]" '. as $r | [ $f[] | $r[.] |
		if . == null then "-"
		elif type == "array" then (if length == 0 then "(empty)" else map(tostring) | join(",") end)
		elif type == "boolean" then (if . then "T" else "F" end)
		else tostring end
		| gsub("\\\\"; "\\x5c") | gsub("\t"; "\\x09") | gsub("\n"; "\\x0a")
		| gsub("\r"; "\\x0d") ] | join("\t")'
}

# jq's projection of the raw fields azw-extract reads (bench/fields)
proj() {
	awk -v m="$1" '$1 == m { printf "["; for (i = 2; i <= NF; i++) printf "%s.\"%s\"", (i > 2 ? "," : ""), $i; print "]" }' bench/fields
}

input() { # input MODULE COUNT: make $out/MODULE.COUNT.{json,tsv} once
	local j=$out/$1.$2.json t=$out/$1.$2.tsv
	if [ ! -s "$j" ]; then
		echo "bench: generating $2 $1 records" >&2
		gen "$1" "$2" > "$j.tmp" && mv "$j.tmp" "$j"
	fi
	if [ ! -s "$t" ]; then
		echo "bench: converting $2 $1 records to TSV" >&2
		tsv "$1" < "$j" > "$t.tmp" && mv "$t.tmp" "$t"
	fi
}

input conn "$N"
input conn "$SMALL"
for m in dns http ssh ssl; do
	input "$m" "$M"
done
json=$out/conn.$N.json
vec=$out/conn.$N.vec
model=$out/conn.default.model
azw-extract -m conn "$json" > "$vec"
azw-fit -q -o "$model" "$vec"
svec=$out/conn.$SMALL.vec
azw-extract -m conn "$out/conn.$SMALL.json" > "$svec"

have_time=0
[ -x /usr/bin/time ] && have_time=1
rows=()
# run NAME RECORDS BYTES CMD...: median wall time of $RUNS runs, peak RSS
# (KB) of the last. Sets $med and $rss too.
run() {
	local name=$1 n=$2 bytes=$3 i s e
	shift 3
	local times=()
	rss=-
	for i in $(seq "$RUNS"); do
		s=$(date +%s.%N)
		if [ $have_time = 1 ]; then
			/usr/bin/time -f %M -o "$out/rss" "$@" > /dev/null || true
			rss=$(tail -n 1 "$out/rss")
		else
			"$@" > /dev/null || true
		fi
		e=$(date +%s.%N)
		times+=("$(awk -v s="$s" -v e="$e" 'BEGIN { print e - s }')")
	done
	med=$(printf '%s\n' "${times[@]}" | sort -g | sed -n "$(( (RUNS + 1) / 2 ))p")
	rows+=("$name	$n	$bytes	$med	$rss")
}
size() { wc -c < "$1"; }

declare -A jq_t
for m in conn dns http ssh ssl; do
	if [ $m = conn ]; then n=$N; else n=$M; fi
	j=$out/$m.$n.json
	t=$out/$m.$n.tsv
	run "wc -l ($m JSON)" "$n" "$(size "$j")" wc -l "$j"
	run "jq -c projection ($m JSON)" "$n" "$(size "$j")" jq -c "$(proj $m)" "$j"
	jq_t[$m]=$med
	run "azw-extract -m $m (JSON)" "$n" "$(size "$j")" azw-extract -m $m "$j"
	run "azw-extract -m $m (TSV)" "$n" "$(size "$t")" azw-extract -m $m "$t"
	# what the context features cost (issue 5: within 1.5x of none)
	run "azw-extract -m $m --context none (JSON)" "$n" "$(size "$j")" azw-extract -m $m --context none "$j"
	if [ $m = conn ]; then
		run "azw-fit (defaults)" "$n" "$(size "$vec")" azw-fit -q -o "$out/conn.bench.model" "$vec"
		run "azw-score (default model)" "$n" "$(size "$vec")" azw-score "$model" "$vec"
		scores=$out/conn.$N.scores
		azw-score --explain "$model" "$vec" > "$scores" # of this run's model
		run "azw-alert (score lines)" "$n" "$(size "$scores")" azw-alert "$scores"
		run "azw-extract | azw-score" "$n" "$(size "$j")" \
			sh -c "azw-extract -m conn '$j' | azw-score '$model'"
		# KitNET alone on rows already in memory: what azw-score costs
		# without reading vectors and writing score lines
		if [ -x bin/bench/model-only ]; then
			read -r t k _ < <(bin/bench/model-only "$model" "$svec" "$RUNS")
			rows+=("KitNET alone (default model)	$k	$(size "$svec")	$t	-")
		fi
	fi
done

# The generic module (-m any) on the largest log of ../shared/data (by its
# uncompressed bytes; when it is there: make bench runs without it), next to
# jq -c projecting the same fields: every field of its first record that
# azw-extract reads (all but _path and _write_ts). jq reads JSON only: the
# largest JSON log is taken, and the largest log's TSV twin, if it has one
# (brim_dns.log.gz beside brim_dns.json.gz), is timed too.
shared=
for d in ../shared/data /work/shared/data; do
	[ -d "$d" ] && shared=$d && break
done
any_big=
if [ -n "$shared" ]; then
	any_big=$(find "$shared" -type f \( -name '*.json' -o -name '*.json.gz' -o -name '*.log' -o -name '*.log.gz' \) |
		while IFS= read -r f; do
			case $f in *.gz) b=$(gzip -dc "$f" | wc -c) ;; *) b=$(wc -c < "$f") ;; esac
			first=$(gzip -dcf "$f" | grep -m 1 -v '^#' || true)
			case $first in '{'*) printf '%s %s\n' "$b" "$f" ;; esac
		done | sort -rn | head -n 1 | cut -d' ' -f2-)
fi
if [ -n "$any_big" ]; then
	aj=$out/any.largest.json
	gzip -dcf "$any_big" > "$aj"
	an=$(grep -c -v '^#' "$aj")
	afields=$(head -n 1 "$aj" | jq -r 'keys_unsorted | map(select(. != "_path" and . != "_write_ts")) | map("." + tojson) | join(",")')
	aname=${any_big#"$shared"/}
	run "jq -c projection (any JSON)" "$an" "$(size "$aj")" jq -c "[$afields]" "$aj"
	jq_t[any]=$med
	run "azw-extract -m any (JSON)" "$an" "$(size "$aj")" azw-extract -m any "$aj"
	twin=${any_big%.json.gz}
	twin=${twin%.json}.log.gz
	if [ -f "$twin" ]; then
		at=$out/any.largest.tsv
		gzip -dc "$twin" > "$at"
		run "azw-extract -m any (TSV)" "$an" "$(size "$at")" azw-extract -m any "$at"
	fi
fi

# peak RSS at 100k records, next to the 1M above
RUNS=1
run "azw-extract -m conn (JSON) @$SMALL" "$SMALL" "$(size "$out/conn.$SMALL.json")" \
	azw-extract -m conn "$out/conn.$SMALL.json"
run "azw-fit (defaults) @$SMALL" "$SMALL" "$(size "$svec")" azw-fit -q -o "$out/conn.small.model" "$svec"
run "azw-score @$SMALL" "$SMALL" "$(size "$svec")" azw-score "$model" "$svec"
azw-score --explain "$model" "$svec" > "$out/conn.$SMALL.scores"
run "azw-alert @$SMALL" "$SMALL" "$(size "$out/conn.$SMALL.scores")" azw-alert "$out/conn.$SMALL.scores"

echo
echo "azw bench: $N conn records, $M of each other module; median of $runs runs (rows @$SMALL: $SMALL records, 1 run, for RSS)"
[ -z "$any_big" ] || echo "-m any: the largest JSON log of the shared data, $aname ($an records)"
[ -n "$any_big" ] || echo "(no ../shared/data: the generic module's row on its largest log left out)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(uname -sm)"
printf '%-36s %8s %8s %11s %7s %7s %7s\n' program records seconds records/s MB/s "x jq" "RSS MB"
for r in "${rows[@]}"; do
	IFS='	' read -r name n bytes t rss <<< "$r"
	m=$(printf '%s\n' "$name" | sed -n 's/.*-m \([a-z]*\).*/\1/p; s/.*(\([a-z]*\) JSON).*/\1/p' | head -n 1)
	case $name in
	azw-fit*|azw-score*|azw-alert*|"azw-extract | azw-score") m=conn ;;
	esac
	case $name in
	*@*|azw-fit*|azw-score*|azw-alert*|KitNET*) jqt= ;; # no jq over the same input
	*) jqt=${jq_t[${m:-conn}]:-} ;;
	esac
	awk -v name="$name" -v t="$t" -v n="$n" -v b="$bytes" -v jq="$jqt" -v rss="$rss" 'BEGIN {
		printf "%-36s %8d %8.3f %11.0f %7.1f %7s %7s\n", name, n, t, n / t, b / t / 1e6,
			jq == "" || name ~ /^(wc|jq)/ ? "" : sprintf("%.2f", jq / t),
			rss == "-" ? "-" : sprintf("%.1f", rss / 1024) }'
done
[ $have_time = 1 ] || echo "(no /usr/bin/time: peak RSS not measured; install the 'time' package)"
echo "MB/s is of the program's input (JSON, TSV, the vector stream or score lines); x jq is jq's time"
echo "on the same module's JSON over this program's time; the pipeline's RSS is its larger process."
