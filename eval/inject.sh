#!/bin/bash
# make eval-inject: the detection-limit curve of azw's conn scores on
# synthetic attacks injected into real benign Zeek logs (see eval/INJECT.md).
#
# For each background log and each attack kind x stealth level: eval/inject.c
# writes the attack into the test part of the log (the last 40 % of its time
# span; the attack runs from 0.65 to at most 0.95 of it), azw-extract reads the
# whole log in order (context features need the history), and the models
# trained on the first 60 % of the original log (its benign records, as
# eval/run.sh's setting A: azw-fit --fpr 0.001 --fm-grace a fifth of the
# training records, one model per seed) score the test part. eval/metrics.c
# gives ROC-AUC, AP and TPR/FPR at the model's own threshold (its `anomaly`
# flag) of the injected records against the original test records.
#
# azw-alert (defaults) reads each model's test score lines, and
# eval/inject-incidents.awk says whether an incident's top records include an
# injected one, that incident's rank by significance and its delay; the
# same models on the test part without any attack give the false incidents'
# baseline (eval/incidents.awk: incidents per host-day).
#
# Writes eval/out/inject.tsv (one row per background, kind, level and schema),
# eval/out/inject.png (ROC-AUC, TPR and the incidents' hit share versus
# stealth, one line per kind) and eval/out/inject-work/ (intermediate files,
# remade each run); prints the table, the false-incident baseline and, per
# kind, the stealthiest level down to which ROC-AUC >= 0.99 and down to
# which an incident hits in every seed.
#
# Environment: AZW_SHARED (default ../shared from the repository root),
# AZW_INJECT_SEEDS (model seeds, "1234 1 2"), AZW_INJECT_SEED (the generator's
# seed, 1), AZW_INJECT_JOBS (parallel scenarios, 2), AZW_INJECT_BG (which
# backgrounds: "office rita"), AZW_INJECT_KINDS (a subset of the kinds by
# name), AZW_INJECT_LEVELS (a subset of the levels, "0 1 2 3 4"),
# AZW_EVAL_OUT (the output directory, eval/out), AZW_EVAL_PLOTS (0 skips the
# plot).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export LC_ALL=C

shared=${AZW_SHARED:-$root/../shared}
if [ -f "$shared/data/manifest.tsv" ]; then
	data=$shared/data
elif [ -f "$shared/manifest.tsv" ]; then
	data=$shared
else
	echo "eval-inject: no data in $shared/data (set AZW_SHARED to the shared directory); skipping the injected-attack benchmark"
	exit 0
fi

SPLIT=0.6
FPR=0.001
SEEDS=${AZW_INJECT_SEEDS:-1234 1 2}
GSEED=${AZW_INJECT_SEED:-1}
JOBS=${AZW_INJECT_JOBS:-2}
BGS=${AZW_INJECT_BG:-office rita}
LEVELS=${AZW_INJECT_LEVELS:-0 1 2 3 4}
PLOTS=${AZW_EVAL_PLOTS:-1}
SCHEMAS="extended extended-none"
declare -A SCHEMA_ARGS=( [extended]="" [extended-none]="--context none" )

PATH="$root/bin:$PATH"
for p in azw-extract azw-fit azw-score azw-alert; do
	command -v "$p" > /dev/null || { echo "eval-inject: $p not found: run make first" >&2; exit 2; }
done

out=${AZW_EVAL_OUT:-eval/out}	# AZW_EVAL_OUT: elsewhere (the tests run a small benchmark)
work=$out/inject-work
rm -rf "$work"
mkdir -p "$work/res"
rm -f "$out/inject.tsv" "$out/inject.png"
t_begin=$(date +%s)

CC=${CC:-cc}
$CC -O2 -std=c11 -Wall -Wextra -o "$work/inject" eval/inject.c -lm
metrics=$out/metrics
if [ ! -x "$metrics" ] || [ eval/metrics.c -nt "$metrics" ]; then
	$CC -O2 -std=c11 -Wall -o "$metrics" eval/metrics.c
fi

# --- the attacks: name|inject options|what levels 0..4 are -----------------------
KINDS=(
	"beacon-http-5m|-k beacon --via http --period 300|jitter|0 10 20 30 50|%"
	"beacon-tls-1m-vary|-k beacon --via tls --period 60 --sizes vary|jitter|0 10 20 30 50|%"
	"beacon-tcp-10s-unans|-k beacon --via tcp --period 10 --unanswered|jitter|0 10 20 30 50|%"
	"beacon-http-1h|-k beacon --via http --period 3600|jitter|0 10 20 30 50|%"
	"fanout|-k fanout|mean gap|0.5 5 30 90 300|s"
	"slowscan|-k slowscan|gap|1 10 60 180 600|s"
	"fastscan|-k fastscan|ports|1000 300 100 30 10|"
	"bruteforce|-k bruteforce|gap|1 10 60 300 900|s"
	"bruteforce-ok|-k bruteforce --succeed|gap|1 10 60 300 900|s"
	"exfil|-k exfil|bytes|2G 500M 100M 20M 5M|"
	"drip|-k drip|bytes/gap|4M/1m 1M/2m 256k/5m 64k/10m 16k/15m|"
	"dga|-k dga|lookups@gap|500@0.2s 300@1s 200@10s 100@1m 50@5m|"
)
if [ -n "${AZW_INJECT_KINDS:-}" ]; then
	keep=()
	for k in "${KINDS[@]}"; do
		case " $AZW_INJECT_KINDS " in *" ${k%%|*} "*) keep+=("$k") ;; esac
	done
	KINDS=("${keep[@]}")
fi

# --- the backgrounds: name|description|files (a pattern: concatenated in name order) ------
#   office: one day of one office Ubuntu host; its records are labelled Benign or
#           Unknown: models train on the Benign ones, both are negatives.
#   rita:   a day (2024-04-19) of a zeekctl sensor on the Internet: the busy one,
#           whose background holds real scans and SSH brute force (inbound), so
#           an injected scan or brute force is not new in kind. Its known
#           injected beacon (73.54.23.243, README.orig) is left out of training
#           and of the negatives.
declare -A BG_DESC=(
	[office]="stratosphere-2023-02-20: one day, one office Ubuntu host (192.168.1.109)"
	[rita]="rita-missing-host 2024-04-19: an Internet sensor (64.225.56.201), one day"
)
declare -A BG_FILES=(
	[office]="stratosphere-2023-02-20/conn.log.labeled"
	[rita]="rita-missing-host/2024-04-19/conn.*.log"
)
declare -A BG_EXCLUDE=( [rita]=73.54.23.243 )

# classes of the original records, "uid<TAB>class": B benign (trained on, a
# negative), N other label (Unknown, Background: a negative, not trained on),
# X a known real attack (neither)
classes() {
	awk -F'\t' -v x="$2" '
	/^#fields\t/ {
		u = o = r = l = 0
		for (i = 2; i <= NF; i++) {
			if ($i == "uid") u = i - 1
			if ($i == "id.orig_h") o = i - 1
			if ($i == "id.resp_h") r = i - 1
			if ($i == "label") l = i - 1
		}
		next
	}
	/^#/ { next }
	u {
		c = "B"
		if (l && tolower($l) !~ /^benign/) c = tolower($l) ~ /^malicious/ ? "X" : "N"
		if (x != "" && ($o == x || $r == x)) c = "X"
		print $u "\t" c
	}' "$1"
}

fm_grace() {
	local g=$(( $1 / 5 ))
	[ "$g" -gt 5000 ] && g=5000
	[ "$g" -lt 50 ] && g=50
	echo "$g"
}

# rows FILE.vec CLASSES [LABELS]: "class<TAB>vector row" sorted by ts (stable)
rows() {
	awk -F'\t' -v OFS='\t' '
	FILENAME == ARGV[1] { c[$1] = $2; next }
	FILENAME == ARGV[2] { if ($2 == "M") c[$1] = "M"; next }
	/^#/ { next }
	$2 in c { print c[$2], $0 }' "$2" "${3:-/dev/null}" "$1" | sort -t "$(printf '\t')" -k2,2g -s
}

# --- per background: the split and one model per schema and seed -------------------
for bg in $BGS; do
	[ -n "${BG_FILES[$bg]:-}" ] || { echo "eval-inject: unknown background $bg"; exit 2; }
	# shellcheck disable=SC2086
	mapfile -t parts < <(cd "$data" && ls ${BG_FILES[$bg]} 2>/dev/null || true)
	if [ ${#parts[@]} -eq 0 ]; then
		echo "eval-inject: $bg: ${BG_FILES[$bg]} not in $data: skipped"
		continue
	fi
	(cd "$data" && cat "${parts[@]}") > "$work/$bg.log"
	classes "$work/$bg.log" "${BG_EXCLUDE[$bg]:-}" > "$work/$bg.class"
	read -r tmin tmax < <(awk -F'\t' '/^#fields/ { for (i = 2; i <= NF; i++) if ($i == "ts") t = i - 1; next }
		/^#/ { next } { if (n++ == 0 || $t < a) a = $t; if (n == 1 || $t > b) b = $t }
		END { printf "%.6f %.6f\n", a, b }' "$work/$bg.log")
	cut=$(awk -v a="$tmin" -v b="$tmax" -v f="$SPLIT" 'BEGIN { printf "%.6f", a + f * (b - a) }')
	echo "$cut" > "$work/$bg.cut"
	for schema in $SCHEMAS; do
		w=$work/$bg.$schema
		# shellcheck disable=SC2086
		azw-extract -m conn ${SCHEMA_ARGS[$schema]} "$work/$bg.log" > "$w.vec" 2>> "$work/$bg.err" || [ $? -le 1 ]
		grep '^#' "$w.vec" > "$w.hdr"
		rows "$w.vec" "$work/$bg.class" | awk -F'\t' -v c="$cut" '$2 < c && $1 == "B"' | cut -f2- > "$w.train"
		ntrain=$(wc -l < "$w.train")
		g=$(fm_grace "$ntrain")
		# the test part without any attack: the false incidents' baseline
		rows "$w.vec" "$work/$bg.class" | awk -F'\t' -v c="$cut" '$2 >= c && $1 != "X"' > "$w.test"
		cut -f1,2,4,6 "$w.test" > "$w.test.hosts"
		: > "$w.base"
		for seed in $SEEDS; do
			cat "$w.hdr" "$w.train" |
				azw-fit -q --fpr "$FPR" --fm-grace "$g" --seed "$seed" -o "$w.$seed.model" 2>> "$work/$bg.err" || [ $? -le 1 ]
			{ cat "$w.hdr"; cut -f2- "$w.test"; } | azw-score "$w.$seed.model" 2>> "$work/$bg.err" |
				azw-alert --closed-only > "$w.$seed.base.jsonl" 2>> "$work/$bg.err" || [ $? -le 1 ]
			# incidents false host_days false_per_host_day
			awk -f eval/jval.awk -f eval/incidents.awk "$w.test.hosts" "$w.$seed.base.jsonl" |
				awk -F'\t' -v OFS='\t' '{ print $5, $6, $7, $8 }' >> "$w.base"
		done
		echo "$ntrain $g" > "$w.ntrain"
	done
	ntest=$(wc -l < "$work/$bg.extended.test")
	echo "eval-inject: $bg: ${BG_DESC[$bg]}: $(wc -l < "$work/$bg.class") records, $(cut -d' ' -f1 "$work/$bg.extended.ntrain") benign training records, $ntest test records"
done

# --- one scenario: background, kind, level -------------------------------------------------
scenario() {
	local bg=$1 k=$2 level=$3 name opts
	IFS='|' read -r name opts _ <<< "${KINDS[$k]}"
	local d=$work/$bg.$name.$level cut
	cut=$(cat "$work/$bg.cut")
	# shellcheck disable=SC2086
	"$work/inject" $opts -s "$level" --seed "$GSEED" -o "$d" "$work/$bg.log" 2> "$d.err" ||
		{ echo "eval-inject: $bg $name $level: inject failed: $(cat "$d.err")" >&2; return 0; }
	local ninj start end src schema seed res=$work/res/$bg.$name.$level.tsv
	read -r ninj start end src < <(awk -F'\t' '{ v[$1] = $2 } END { print v["records"], v["start"], v["end"], v["src"] }' "$d/inject.info")
	awk -F'\t' '$2 == "M"' "$d/labels.tsv" > "$d/injected.tsv"	# what each model's check needs of labels.tsv
	: > "$res"
	for schema in $SCHEMAS; do
		local w=$work/$bg.$schema v=$d/$schema
		# shellcheck disable=SC2086
		azw-extract -m conn ${SCHEMA_ARGS[$schema]} "$d/conn.log" > "$v.vec" 2>> "$d.err" || [ $? -le 1 ]
		rows "$v.vec" "$work/$bg.class" "$d/labels.tsv" | awk -F'\t' -v c="$cut" '$2 >= c && $1 != "X"' > "$v.test"
		local per=$v.perseed inc=$v.incseed
		: > "$per"
		: > "$inc"
		for seed in $SEEDS; do
			{ cat "$w.hdr"; cut -f2- "$v.test"; } | azw-score "$w.$seed.model" 2>> "$d.err" > "$v.jsonl" || [ $? -le 1 ]
			awk -F'\t' -v OFS='\t' -v side="$v.reach" '
			NR == FNR { c[$3] = $1; next }
			match($0, /"uid":"[^"]*"/) {
				u = substr($0, RSTART + 7, RLENGTH - 8)
				match($0, /"score":[^,}]*/); sc = substr($0, RSTART + 8, RLENGTH - 8)
				if (match($0, /"threshold":[^,}]*/)) th = substr($0, RSTART + 12, RLENGTH - 12)
				if (u in c) print sc, (c[u] == "M"), ($0 ~ /"anomaly":true/) ? 1 : 0
				if (c[u] == "M" && (mx == "" || sc + 0 > mx)) mx = sc + 0
			}
			END { print mx, th >> side }' "$v.test" "$v.jsonl" | "$metrics" >> "$per"
			# incidents (open and closed lines: the open one says when it
			# was raised), against the same model's without the attack:
			# incidents hit new rank delay raised sig base_sig
			azw-alert < "$v.jsonl" > "$v.$seed.incidents.jsonl" 2>> "$d.err" || [ $? -le 1 ]
			awk -v start="$start" -v end="$end" -v src="$src" -f eval/jval.awk -f eval/inject-incidents.awk "$d/injected.tsv" \
				"$w.$seed.base.jsonl" "$v.$seed.incidents.jsonl" >> "$inc"
		done
		# the highest injected score and the threshold, means over the seeds
		read -r mxs thr < <(awk '{ m += $1; t += $2; n++ } END { printf "%.4f %.4f\n", m / n, t / n }' "$v.reach")
		rm -f "$v.vec" "$v.jsonl"
		# over the seeds: the share that hit, and that hit with a new
		# incident; the median rank, delay and raise delay of those that
		# hit; the mean number of incidents; the median significance of
		# the source's incident during the attack, with and without it
		local incs
		incs=$(awk -F'\t' -v OFS='\t' '
			function med(a, k,   i, j, t) {
				if (!k) return "-"
				for (i = 2; i <= k; i++) for (j = i; j > 1 && a[j] < a[j - 1]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
				return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
			}
			{ n++; ni += $1; S[n] = $7; B[n] = $8 }
			$2 == 1 { h++; nw += $3; R[h] = $4; D[h] = $5; if ($6 != "-") T[++nt] = $6 }
			END {
				printf "%.4f\t%.4f\t%s\t%s\t%s\t%.2f\t%s\t%s\n", n ? h / n : 0, n ? nw / n : 0, med(R, h),
					h ? sprintf("%.0f", med(D, h)) : "-",
					nt ? sprintf("%.0f", med(T, nt)) : "-", n ? ni / n : 0, med(S, n), med(B, n)
			}' "$inc")
		# metrics: n pos neg auc ap tpr fpr; means over the seeds
		awk -F'\t' -v OFS='\t' -v bg="$bg" -v k="$name" -v l="$level" -v n="$ninj" -v s="$schema" -v incs="$incs" -v ns="$(wc -w <<< "$SEEDS")" -v mxs="$mxs" -v thr="$thr" '
			function add(i) { if ($i != "-") { S[i] += $i; N[i]++ } }
			{ pos = $2; neg = $3; for (i = 4; i <= 7; i++) add(i) }
			function m(i) { return N[i] ? sprintf("%.4f", S[i] / N[i]) : "-" }
			END { print bg, k, l, n, pos, neg, s, m(4), m(5), m(6), m(7), ns, mxs, thr, incs }' "$per" >> "$res"
	done
}
export -f scenario rows
export work GSEED SEEDS SCHEMAS metrics
export KINDS_SER
KINDS_SER=$(printf '%s\n' "${KINDS[@]}")
# bash cannot export arrays: each job rebuilds KINDS and SCHEMA_ARGS
job() {
	mapfile -t KINDS <<< "$KINDS_SER"
	declare -A SCHEMA_ARGS=( [extended]="" [extended-none]="--context none" )
	scenario "$@"
}
export -f job

for bg in $BGS; do
	[ -f "$work/$bg.cut" ] || continue
	for k in "${!KINDS[@]}"; do
		for level in $LEVELS; do
			echo "$bg $k $level"
		done
	done
done | xargs -P "$JOBS" -n 3 bash -c 'job "$@"' _

# --- the table ------------------------------------------------------------------------------
res=$out/inject.tsv
# the false incidents' baseline per background and schema, means over the
# seeds: "bg<TAB>schema<TAB>incidents<TAB>host_days<TAB>per_host_day<TAB>per seed"
base=$work/base.tsv
: > "$base"
for bg in $BGS; do
	for schema in $SCHEMAS; do
		[ -s "$work/$bg.$schema.base" ] || continue
		awk -F'\t' -v OFS='\t' -v bg="$bg" -v s="$schema" '
			{ n++; i += $1; hd = $3; f += ($4 == "-" ? 0 : $4); each = each (n > 1 ? " " : "") $1 }
			END { printf "%s\t%s\t%.2f\t%.3f\t%s\t%s\n", bg, s, i / n, hd, (hd > 0 ? sprintf("%.3f", f / n) : "-"), each }' \
			"$work/$bg.$schema.base" >> "$base"
	done
done
{
	printf 'background\tkind\tlevel\tstealth\tinjected\tpos_test\tneg_test\tschema\troc_auc\tavg_precision\ttpr\tfpr\tseeds\tmax_injected_score\tthreshold'
	printf '\tinc_hit\tinc_new\tinc_rank\tinc_delay_s\tinc_raised_s\tincidents\tsrc_sig\tsrc_base_sig\tbase_incidents\tbase_host_days\tbase_false_per_host_day\n'
	for bg in $BGS; do
		for k in "${KINDS[@]}"; do
			IFS='|' read -r name _ what vals unit <<< "$k"
			read -r -a v <<< "$vals"
			for level in $LEVELS; do
				f=$work/res/$bg.$name.$level.tsv
				[ -s "$f" ] || continue
				st="$what ${v[$level]}${unit:+ $unit}"
				awk -F'\t' -v OFS='\t' -v st="$st" '
					NR == FNR { b[$1, $2] = $3 OFS $4 OFS $5; next }
					{ print $1, $2, $3, st, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22,
						((($1, $7) in b) ? b[$1, $7] : "-" OFS "-" OFS "-") }' "$base" "$f"
			done
		done
	done
} > "$res"

t_end=$(date +%s)
echo
echo "azw injected-attack benchmark: synthetic attacks (eval/inject.c, generator seed $GSEED) in real benign conn logs."
echo "Split by time: models train on the first $SPLIT of each log's span (its benign records; azw-fit --fpr $FPR,"
echo "--fm-grace a fifth of them); the attack runs from 0.65 to at most 0.95 of the span; the test part (the rest)"
echo "is scored. Positive: injected records; negative: the original test records. ROC-AUC, AP, TPR (flagged"
echo "injected records, the model's own threshold) and FPR (flagged original test records) are means over the"
echo "models of seeds $SEEDS. ext: extended schema with context features; none: --context none."
echo "Incidents (azw-alert, defaults, on each model's test score lines): hit: seeds in which an incident's top"
echo "records include an injected one; new: seeds in which such an incident is not one the source host has anyway"
echo "(the same model without the attack has no incident of the host overlapping it); rk: that incident's rank by"
echo "significance among the run's incidents (1: the strongest); delay: its first unusual record's ts, raised: when"
echo "it was raised, in seconds after the attack's first record; rk, delay and raised: medians over the seeds that hit;"
echo "sig: the significance of the source host's strongest incident during the attack, w/o: the same without the"
echo "attack (0: none), medians over the seeds."
echo "Stealth level 0 is the loudest; 4 the stealthiest (eval/INJECT.md)."
for bg in $BGS; do
	grep -q "^$bg	" "$res" || continue
	echo
	echo "== $bg: ${BG_DESC[$bg]}"
	awk -F'\t' -v bg="$bg" '
	NR > 1 && $1 == bg {
		key = $2 SUBSEP $3
		if (!(key in seen)) { seen[key] = 1; order[++n] = key; st[key] = $4; inj[key] = $5 }
		a[key, $8] = $9; p[key, $8] = $10; t[key, $8] = $11; f[key, $8] = $12
		h[key, $8] = sprintf("%d/%d", $16 * $13 + 0.5, $13); nw[key, $8] = sprintf("%d/%d", $17 * $13 + 0.5, $13)
		r[key, $8] = $18; d[key, $8] = $19; w[key, $8] = $20
		sg[key, $8] = sprintf("%.1f", $22); bs[key, $8] = sprintf("%.1f", $23)
	}
	END {
		blk = "%7s %6s %6s %6s %3s %3s %3s %6s %6s %6s %5s"
		fmt = "%-20s %-1s %-21s %4s | " blk " | " blk "\n"
		printf fmt, "kind", "L", "stealth", "inj", "AUC-ext", "AP", "TPR", "FPR", "hit", "new", "rk", "delay", "raised",
			"sig", "w/o", "AUC-non", "AP", "TPR", "FPR", "hit", "new", "rk", "delay", "raised", "sig", "w/o"
		for (i = 1; i <= n; i++) {
			k = order[i]; split(k, kl, SUBSEP)
			e = "extended"; o = "extended-none"
			printf fmt, kl[1], kl[2], st[k], inj[k],
				a[k, e], p[k, e], t[k, e], f[k, e], h[k, e], nw[k, e], r[k, e], d[k, e], w[k, e], sg[k, e], bs[k, e],
				a[k, o], p[k, o], t[k, o], f[k, o], h[k, o], nw[k, o], r[k, o], d[k, o], w[k, o], sg[k, o], bs[k, o]
		}
	}' "$res"
	awk -F'\t' -v bg="$bg" -v seeds="$SEEDS" '$1 == bg {
		printf "False incidents without injection (the test part alone, the same models), %s: %s (seeds %s) in %s host-days: %s per host-day\n",
			$2 == "extended" ? "ext" : "none", $6, seeds, $4, $5 }' "$base"
done

echo
echo "Detection limit: per kind, the stealthiest level L such that ROC-AUC >= 0.99 at every level 0..L (records),"
echo "such that an incident hits in every seed at every level 0..L (incidents), and such that the hit is new in every"
echo "seed at every level 0..L (new incidents); none: not even level 0; the stealth at that level in brackets."
awk -F'\t' '
NR > 1 {
	key = $1 SUBSEP $2 SUBSEP $8
	if (!(key in seen)) { seen[key] = 1; order[++n] = key }
	auc[key, $3] = $9; st[key, $3] = $4; hit[key, $3] = $16; nw[key, $3] = $17
}
function limit(key, what,   l, L) {
	L = -1
	for (l = 0; l <= 4; l++) {
		if (!((key, l) in auc)) break
		if (what == "auc" && !(auc[key, l] != "-" && auc[key, l] >= 0.99)) break
		if (what == "hit" && !(hit[key, l] != "" && hit[key, l] >= 1)) break
		if (what == "new" && !(nw[key, l] != "" && nw[key, l] >= 1)) break
		L = l
	}
	return L < 0 ? "none" : L " (" st[key, L] ")"
}
END {
	fmt = "%-6s %-20s | %-19s %-19s | %-19s %-19s | %-19s %-19s\n"
	printf fmt, "bg", "kind", "records: extended", "extended-none", "incidents: ext", "extended-none",
		"new incidents: ext", "extended-none"
	for (i = 1; i <= n; i++) {
		split(order[i], k, SUBSEP)
		if (k[3] != "extended") continue
		e = k[1] SUBSEP k[2] SUBSEP "extended"; o = k[1] SUBSEP k[2] SUBSEP "extended-none"
		printf fmt, k[1], k[2], limit(e, "auc"), limit(o, "auc"), limit(e, "hit"), limit(o, "hit"),
			limit(e, "new"), limit(o, "new")
	}
}' "$res"
echo
echo "Threshold reach: scenarios (kind x level) where the highest injected score, mean over the seeds, stays below"
echo "the models' threshold (a threshold no injected record reaches makes TPR 0 whatever the ranking):"
awk -F'\t' 'NR > 1 { k = $1 " " $8; n[k]++; if ($14 < $15) b[k]++; t[k] = $15; if (!(k in o)) o[k] = ++no; if ($14 > mx[k]) mx[k] = $14 }
	END { for (k in o) key[o[k]] = k
		for (i = 1; i <= no; i++) { k = key[i]; printf "  %-24s %3d of %3d below; threshold %.4f, highest injected score %.4f\n", k, b[k], n[k], t[k], mx[k] } }' "$res"
echo
echo "eval-inject: $(($(wc -l < "$res") - 1)) rows in $res; $(( t_end - t_begin )) s (jobs $JOBS, $(wc -w <<< "$SEEDS") model seeds, generator seed $GSEED)"
[ -s "$work/rita.err" ] || [ -s "$work/office.err" ] && echo "eval-inject: warnings of the azw programs in $work/*.err"

# --- the plot ------------------------------------------------------------------------------------
if [ "$PLOTS" = 0 ]; then
	echo "eval-inject: plot skipped (AZW_EVAL_PLOTS=0)"
	exit 0
fi
if ! command -v gnuplot > /dev/null && [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
	echo "eval-inject: installing gnuplot-nox for the plot" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q gnuplot-nox > "$work/apt.log" 2>&1 ||
		{ DEBIAN_FRONTEND=noninteractive apt-get update -q > "$work/apt.log" 2>&1 &&
		  DEBIAN_FRONTEND=noninteractive apt-get install -y -q gnuplot-nox >> "$work/apt.log" 2>&1; } || true
fi
if ! command -v gnuplot > /dev/null; then
	echo "eval-inject: gnuplot not found (apt-get install gnuplot-nox, as root); plot skipped"
	exit 0
fi
nbg=0
for bg in $BGS; do grep -q "^$bg	" "$res" && nbg=$((nbg + 1)); done
{
	echo "set terminal pngcairo size 2000,$(( 420 * nbg )) font ',9'"
	echo "set output '$out/inject.png'"
	echo "set datafile separator '\t'"
	echo "set xlabel 'stealth level (0 loudest)'"
	echo "set xrange [-0.2:4.2]"
	echo "set xtics 1"
	echo "set yrange [0:1.02]"
	echo "set key outside right font ',8'"
	echo "set multiplot layout $nbg,3 title 'azw on injected attacks (extended schema, mean over model seeds)'"
	for bg in $BGS; do
		grep -q "^$bg	" "$res" || continue
		for m in 9:ROC-AUC 11:TPR 16:incident-hit-share; do
			col=${m%%:*} lab=${m#*:}
			echo "set title '$bg: $lab'"
			echo "set ylabel '$lab'"
			printf 'plot '
			sep=
			for k in "${KINDS[@]}"; do
				name=${k%%|*}
				dat=$work/plot.$bg.$name.dat
				awk -F'\t' -v OFS='\t' -v bg="$bg" -v k="$name" '$1 == bg && $2 == k && $8 == "extended"' "$res" > "$dat"
				[ -s "$dat" ] || continue
				printf "%s'%s' using 3:%s with linespoints title '%s'" "$sep" "$dat" "$col" "$name"
				sep=', '
			done
			echo
		done
	done
	echo "unset multiplot"
} > "$work/inject.gp"
if gnuplot "$work/inject.gp" 2> "$work/inject.gp.err"; then
	echo "eval-inject: plot $out/inject.png"
else
	echo "eval-inject: gnuplot failed (see $work/inject.gp.err)"
fi
