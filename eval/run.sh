#!/bin/bash
# make eval: how well azw's conn scores find labelled attacks, and what its
# anomaly flag (the operating point users act on) does.
#
# For each data set in the shared data directory and each conn feature
# schema that azw-extract offers (original, extended-none, extended), the
# records are sorted by ts and split by time: the first $SPLIT of the time
# span is the training part, the rest the test part (or reversed, or another
# day: see DATASETS); no test record is ever trained on.
#   setting A: train on the training part's records labelled Benign (or, where
#              there are fewer than $MIN_BENIGN of them, on the Benign training
#              records of the benign reference day, and the table says "ref");
#   setting B: train on the whole training part, unfiltered, as a user would.
# Every model of setting A is fitted with each seed and two --fm-grace
# values (setting B once, unless AZW_EVAL_SPREAD=all). The test scores give
# ROC-AUC and average precision; the model's own threshold (the `anomaly`
# field, calibrated by azw-fit for --fpr $FPR) gives TPR and FPR, beside
# TPR_ideal, the TPR of the Benign test records' own 1 - --fpr quantile;
# azw-alert, when there is one, gives incidents. Labels: Malicious is
# positive; Benign, Background, Unknown (anything else) negative. See
# eval/README.
#
# Writes eval/out/results.tsv (one row per data set, schema and setting),
# eval/out/fits.tsv (one row per fit), eval/out/<data set>.png (score over
# time) and eval/out/<data set>.log (warnings of the programs); prints the
# table, the spread, the averages and the acceptance checks.
#
# Environment: AZW_SHARED (the shared directory, default ../shared from the
# repository root, holding data/), AZW_EVAL_SPLIT (0.6), AZW_EVAL_FPR (0.001),
# AZW_EVAL_MIN_BENIGN (500), AZW_EVAL_PLOTS (1; 0 skips the plots),
# AZW_EVAL_PREFER (json: read the JSON conversions where there are some),
# AZW_EVAL_FIT_OPTS (more azw-fit options, for experiments; printed),
# AZW_EVAL_SMALL (neg: where a data set has too few Benign training records,
# setting A trains on its own non-Malicious training records, Background and
# Unknown included, if there are enough of them, else on the reference's
# Benign ones; ref: always on the reference's), AZW_EVAL_SEEDS ("1234 1 2 3"),
# AZW_EVAL_SPREAD (A: setting A fitted with every seed and fm-grace, B once;
# all; A-extended), AZW_EVAL_MIN_HOST (10: hosts counted in host-days),
# AZW_EVAL_SETS and AZW_EVAL_SCHEMAS (names: run only these), AZW_EVAL_OUT
# (eval/out). azw-alert is used when it is on PATH or in bin/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

# --- where the data is: skip cleanly when it is absent ----------------------
shared=${AZW_SHARED:-$root/../shared}
if [ -f "$shared/data/manifest.tsv" ]; then
	data=$shared/data
elif [ -f "$shared/manifest.tsv" ]; then	# AZW_SHARED may name data/ itself
	data=$shared
else
	echo "eval: no labelled data in $shared/data (set AZW_SHARED to the shared directory); skipping the detection benchmark"
	exit 0
fi

SPLIT=${AZW_EVAL_SPLIT:-0.6}
FPR=${AZW_EVAL_FPR:-0.001}
MIN_BENIGN=${AZW_EVAL_MIN_BENIGN:-500}
PLOTS=${AZW_EVAL_PLOTS:-1}
SMALL=${AZW_EVAL_SMALL:-neg}	# too few Benign records: neg, or ref (see eval/README)
FIT_OPTS=${AZW_EVAL_FIT_OPTS:-}	# more azw-fit options, for experiments (--lr 0.01)
SEEDS=${AZW_EVAL_SEEDS:-1234 1 2 3}	# one model per seed and fm-grace; the table shows their means
SPREAD=${AZW_EVAL_SPREAD:-A}	# which fits get every seed and fm-grace: A (setting A), all, A-extended
ONLY_SETS=${AZW_EVAL_SETS:-}	# data set names to run (default: all); a day:X set needs X too
ONLY_SCHEMAS=${AZW_EVAL_SCHEMAS:-}	# schema names to run (default: all there are)
MIN_MAL_HOST=10		# an attacking host: at least this many Malicious test records
MIN_HOST=${AZW_EVAL_MIN_HOST:-10}	# a host-day counts hosts with at least this many test records
MIN_BENIGN_TEST=300	# fewer Benign test records: FPR_B and TPR_id are too coarse to check
export LC_ALL=C	# sort -g and awk number formats must not depend on the locale

PATH="$root/bin:$PATH"
for p in azw-extract azw-fit azw-score; do
	command -v "$p" > /dev/null || { echo "eval: $p not found: run make first" >&2; exit 2; }
done
# the incidents filter, when there is one (bin/ or PATH)
ALERT=
if command -v azw-alert > /dev/null; then
	ALERT=$(command -v azw-alert)
	echo "eval: incidents by $ALERT"
else
	echo "eval: incidents: skipped (no azw-alert)"
fi

out=${AZW_EVAL_OUT:-eval/out}	# AZW_EVAL_OUT: elsewhere (the tests run a small eval)
work=$out/work		# intermediate files; kept for inspection, remade each run
rm -rf "$work"
mkdir -p "$work"
rm -f "$out"/*.png "$out"/*.log "$out"/results.tsv "$out"/fits.tsv

# --- the metric program -------------------------------------------------------
metrics=$out/metrics
if [ ! -x "$metrics" ] || [ eval/metrics.c -nt "$metrics" ]; then
	${CC:-cc} -O2 -std=c11 -Wall -o "$metrics" eval/metrics.c
fi

# --- the data sets ---------------------------------------------------------------
# name|kind|split|settings|description|candidate files, best first (TSV, then
# the JSON conversion for an azw-extract that cannot read TSV).
#   kind: det, a detection test (Malicious records in the test part), or ben,
#         a false-alarm test (a benign capture: no Malicious record at all);
#   split: time (the first $SPLIT of the span trains, the rest is scored),
#         reversed (the last $SPLIT trains, the first part is scored: the
#         attack is over before the usual test part begins), or day:NAME
#         (trains on the whole of data set NAME, which runs before, and
#         scores the whole of this one: another day of the same network);
#   settings: A and/or B (below).
# The first is the benign reference: it is run first, because setting A of a
# data set with too few Benign training records trains on the reference's
# Benign training records.
REF=benign-0220
DEMO_SET=ctu-008to010	# what make demo runs (examples/demo.sh): same split, settings, first fit
M=more-labelled
DATASETS=(
	"benign-0220|ben|time|AB|benign ref.: office host 2023-02-20 (Benign/Unknown)|stratosphere-2023-02-20/conn.log.labeled"
	"ctu-008|det|time|AB|CTU-Normal-40 day 008: host on the Internet, attacked|ctu-mixed/008-zeek-mixed.conn.log.labeled ctu-mixed/008-zeek-mixed.conn.json"
	"ctu-010|det|time|AB|CTU-Normal-40 day 010: host on the Internet, attacked|ctu-mixed/010-zeek-mixed.conn.log.labeled ctu-mixed/010-zeek-mixed.conn.json"
	"ctu-008to010|det|day:ctu-008|AB|CTU-Normal-40: trained on day 008, day 010 scored (make demo)|ctu-mixed/010-zeek-mixed.conn.log.labeled ctu-mixed/010-zeek-mixed.conn.json"
	"njrat-001|det|time|AB|CTU-Malware-Capture-Botnet-230-1: NjRAT (first 992 flows)|ctu-scenarios/001-zeek-scenario-malicious/labeled-conn.log ctu-mixed/001-zeek-scenario-malicious.conn.json"
	"remcos-t18|det|time|AB|CTU-SME-11 Win7 (slips test18): RemcosRAT|slips/test18-malicious-ctu-sme-11-win/conn.log.labeled"
	"rita-beacon|det|time|AB|RITA missing-host: Internet sensor, 3 days, injected HTTP beacon|rita-missing-host/2024-*/conn.*.log"
	"iot23-hakai|det|time|AB|IoT-23 8-1: Hakai bot retrying its C2 every ~20 s, benign NTP|$M/iot23-8-1-hakai/conn.log.labeled"
	"iot23-torii|det|reversed|AB|IoT-23 20-1: Torii C2 attempts, 16 needles in 3209|$M/iot23-20-1-torii/conn.log.labeled"
	"iot23-trojan|det|reversed|AB|IoT-23 42-1: trojan payload downloads, 6 needles in 4426|$M/iot23-42-1-trojan/conn.log.labeled"
	"ubuntu-0225|ben|time|A|CTU-SME-11 Ubuntu desktop 2023-02-25 (the host of benign-0220)|$M/ctu-sme11-ubuntu2204-1-2023-02-25/conn.log.labeled"
	"win7ad-0226|ben|time|A|CTU-SME-11 Windows 7 domain member 2023-02-26 (benign)|$M/ctu-sme11-win7ad-1-2023-02-26/conn.log.labeled"
	"echo-5-1|ben|time|A|IoT-23 honeypot 5-1: Amazon Echo, 5.5 h (benign)|$M/iot23-honeypot-5-1-echo/conn.log.labeled"
	"0220to0225|ben|day:benign-0220|A|cross-day: trained on benign-0220, the same host 5 days later scored|$M/ctu-sme11-ubuntu2204-1-2023-02-25/conn.log.labeled"
)
# Data sets without label columns: every record to or from the address is
# Malicious, the rest Benign (rita-missing-host's README.orig: the beacon
# comes from 73.54.23.243; the background holds real Internet attacks, as in
# life). A pattern in the file list (hourly rotated logs) is concatenated in
# name order, which is time order, into one log in $work.
declare -A LABEL_ADDR=( [rita-beacon]=73.54.23.243 )
# The attacking hosts of the incident figures, where the labels do not say
# who sent the attack: rita-beacon's Malicious records are those to or from
# the beacon, and its source is the host to catch. Elsewhere: every
# id.orig_h with at least $MIN_MAL_HOST Malicious test records.
declare -A ATTACKERS=( [rita-beacon]=73.54.23.243 )

# --- the schemas this azw-extract offers -------------------------------------------
# A "schema" here is a feature set: a conn schema, with azw-extract options.
# extended-none is the extended schema without its context features
# (--context none), extended the default (with them): issue 5 compares the two.
declare -A SCHEMA_ARGS=(
	[original]="--schema original"
	[extended-none]="--schema extended --context none"
	[extended]="--schema extended"
)
SCHEMAS=()
for s in original extended-none extended; do
	if [ -n "$ONLY_SCHEMAS" ] && [[ " $ONLY_SCHEMAS " != *" $s "* ]]; then
		continue
	fi
	# shellcheck disable=SC2086
	if azw-extract -m conn ${SCHEMA_ARGS[$s]} < /dev/null > /dev/null 2>&1; then
		SCHEMAS+=("$s")
	else
		echo "eval: azw-extract has no conn feature set '$s' (${SCHEMA_ARGS[$s]}): skipped"
	fi
done

# --- helpers -------------------------------------------------------------------------

# labels FILE: "uid<TAB>class" for every record of a labelled Zeek conn log, JSON
# or TSV. class: M (label Malicious), B (Benign), O (anything else: Background,
# Unknown, unset). TSV columns are found by name in each #fields line; a column
# whose name holds several space-separated names (IoT-23 copies write
# "tunnel_parents   label   detailedlabel" as one column) gives the word at
# the position of "label", so the middle one.
labels() {
	awk -F'\t' '
	function class(l) {
		l = tolower(l)
		return l ~ /^malicious/ ? "M" : l ~ /^benign/ ? "B" : "O"
	}
	/^#fields\t/ {
		ucol = lcol = lword = 0
		for (i = 2; i <= NF; i++) {
			if ($i == "uid") ucol = i - 1
			n = split($i, w, / +/)
			for (k = 1; k <= n; k++)
				if (w[k] == "label") { lcol = i - 1; lword = k }
		}
		next
	}
	/^#/ { next }
	/^[ \t]*\{/ {			# a JSON record
		u = l = ""
		if (match($0, /"uid":"[^"]*"/)) u = substr($0, RSTART + 7, RLENGTH - 8)
		if (match($0, /"label":"[^"]*"/)) l = substr($0, RSTART + 9, RLENGTH - 10)
		if (u != "") print u "\t" class(l)
		next
	}
	ucol && lcol {			# a TSV row
		split($lcol, w, / +/)
		print $ucol "\t" class(w[lword])
	}' "$1"
}

# addr_labels ADDR FILE: "uid<TAB>class" for a Zeek TSV conn log without
# labels: M for a record from or to ADDR, B for the rest.
addr_labels() {
	awk -F'\t' -v a="$1" '
	/^#fields\t/ {
		for (i = 2; i <= NF; i++) {
			if ($i == "uid") u = i - 1
			if ($i == "id.orig_h") o = i - 1
			if ($i == "id.resp_h") r = i - 1
		}
		next
	}
	/^#/ { next }
	u && o && r { print $u "\t" ($o == a || $r == a ? "M" : "B") }' "$2"
}

# unlabel FILE: the same log with every label set to Benign and every
# detailed label emptied, to show that labels do not reach the features.
unlabel() {
	awk -F'\t' -v OFS='\t' '
	/^#fields\t/ {
		delete lab; delete det
		for (i = 2; i <= NF; i++) {
			n = split($i, w, / +/)
			for (k = 1; k <= n; k++) {
				if (w[k] == "label") lab[i - 1] = k
				if (w[k] == "detailedlabel" || w[k] == "detailed-label") det[i - 1] = k
			}
		}
		print; next
	}
	/^#/ { print; next }
	/^[ \t]*\{/ {
		gsub(/"label":"[^"]*"/, "\"label\":\"Benign\"")
		gsub(/"detailed-?label":"[^"]*"/, "\"detailedlabel\":\"\"")
		print; next
	}
	{
		for (c in lab) { n = split($c, w, / +/); w[lab[c]] = "Benign"; $c = join(w, n) }
		for (c in det) { n = split($c, w, / +/); w[det[c]] = "-"; $c = join(w, n) }
		print
	}
	function join(w, n,   s, k) { s = w[1]; for (k = 2; k <= n; k++) s = s "   " w[k]; return s }
	' "$1"
}

# fm_grace N: the feature-mapping grace for N training records: azw-fit's
# default 5000 needs tens of thousands of records; these sets have a few
# thousand, so a fifth of them build the feature map (at least 50).
fm_grace() {
	local g=$(( $1 / 5 ))
	[ "$g" -gt 5000 ] && g=5000
	[ "$g" -lt 50 ] && g=50
	echo "$g"
}

# fm_graces N: the feature-mapping graces every model is fitted with: the
# fifth above, and half of it (a tenth of the training records, at least 50;
# 2500 on rita-beacon, whose fifth is capped at 5000): the same data, a
# coarser feature map and more records for the autoencoders. One value when
# the two coincide.
fm_graces() {
	local g h
	g=$(fm_grace "$1")
	h=$(( g / 2 ))
	[ "$h" -lt 50 ] && h=50
	if [ "$h" = "$g" ]; then echo "$g"; else echo "$g $h"; fi
}

# --- run one data set with one schema ------------------------------------------------------
# Files in $work: NAME.SCHEMA.{vec,hdr,rows,train,test,trainA,trainB}, models
# and scores per setting; rows are "class<TAB>vector row", sorted by ts.
results=$out/results.tsv
fits=$out/fits.tsv
printf 'dataset\tschema\tsetting\ttrained_on\tinput\tn_train\tn_test\tmal_test\tbenign_test\tfm_grace\troc_auc\tavg_precision\ttpr\tfpr\tfpr_benign\tfpr_model\tthreshold\tleak_check\tfits\ttpr_ideal\ttpr_ratio\ttpr_min\ttpr_max\tfpr_benign_min\tfpr_benign_max\ttpr_ideal_min\ttpr_ideal_max\ttpr_ratio_min\ttpr_ratio_max\tinc_recall\tinc_delay\tfalse_per_host_day\tkind\tsplit\n' > "$results"
printf 'dataset\tschema\tsetting\ttrained_on\tseed\tfm_grace\tn_train\tn_test\tmal_test\tbenign_test\troc_auc\tavg_precision\ttpr\tfpr\tfpr_benign\ttpr_ideal\tthreshold_ideal\ttpr_ratio\tthreshold\tattackers\tcaught\tinc_recall\tinc_delay\tincidents\tfalse_incidents\thost_days\tfalse_per_host_day\tmissed\tmal_flagged\tbenign_flagged\tattacker_rank\n' > "$fits"

run_one() {
	local name=$1 schema=$2 input=$3 fmt=$4 log=$5 kind=$6 split=$7 settings=$8
	local w=$work/$name.$schema

	# vectors, in the file's own order (as a user's pipeline reads the log)
	local rc=0 args=${SCHEMA_ARGS[$schema]}
	# shellcheck disable=SC2086
	azw-extract -m conn $args "$input" > "$w.vec" 2>> "$log" || rc=$?
	[ "$rc" -le 1 ] || { echo "eval: $name: azw-extract failed (see $log)"; return 1; }
	grep '^#' "$w.vec" > "$w.hdr"

	# leak check: no feature is named after a label, and the features are
	# identical when every label is replaced by the same value
	local leak=ok
	if awk -F'\t' '/^#fields/ { for (i = 2; i <= NF; i++) if (tolower($i) ~ /label/) f = 1 }
	    END { exit !f }' "$w.hdr"; then
		leak=LEAK-name
	else
		unlabel "$input" > "$w.unlabelled"
		# shellcheck disable=SC2086
		azw-extract -m conn $args "$w.unlabelled" 2>/dev/null |
			grep -v '^#' | cut -f8- > "$w.unlab.feat" || true
		grep -v '^#' "$w.vec" | cut -f8- | cmp -s - "$w.unlab.feat" || leak=LEAK-value
		rm -f "$w.unlabelled" "$w.unlab.feat"
	fi

	# join the labels by uid, sort by ts (stable), split by time
	awk -F'\t' -v OFS='\t' -v logf="$log" '
	NR == FNR { c[$1] = $2; next }
	/^#/ { next }
	$2 in c { print c[$2], $0; next }
	{ miss++ }
	END { if (miss) printf "%d vector rows without a label, dropped\n", miss >> logf }
	' "$work/$name.labels" "$w.vec" | sort -t "$(printf '\t')" -k2,2g -s > "$w.rows"
	local day=
	case $split in
	day:*)	# train on another data set's whole day, score all of this one
		day=${split#day:}
		if [ ! -f "$work/$day.$schema.rows" ]; then
			echo "eval: $name $schema: no run of $day to train on: skipped"
			return 0
		fi
		cp "$w.rows" "$w.test"
		cp "$work/$day.$schema.rows" "$w.train" ;;
	*)
		awk -F'\t' -v frac="$SPLIT" -v rev="$([ "$split" = reversed ] && echo 1 || echo 0)" \
		    -v tr="$w.train" -v te="$w.test" '
		{ row[NR] = $0; ts[NR] = $2 }
		END {
			# time: [first, cut) trains; reversed: [cut, last] trains, the
			# first 1 - frac of the span is scored
			cut = ts[1] + (rev ? 1 - frac : frac) * (ts[NR] - ts[1])
			for (i = 1; i <= NR; i++)
				print row[i] > ((ts[i] < cut) != rev ? tr : te)
		}' "$w.rows" ;;
	esac
	: >> "$w.train"; : >> "$w.test"
	awk -F'\t' '$1 == "B"' "$w.train" > "$w.trainA.own"
	awk -F'\t' '$1 != "M"' "$w.train" > "$w.trainA.neg"
	cp "$w.train" "$w.trainB"
	# the test records for the incident figures: class ts id.orig_h id.resp_h
	cut -f1,2,4,6 "$w.test" > "$w.test.hosts"
	# and "class ts uid", to join the score lines to (the vectors are wide)
	cut -f1-3 "$w.test" > "$w.test.ids"

	local setting
	for setting in A B; do
		case $settings in *$setting*) ;; *) continue ;; esac
		local train=$w.trainB from=own-all
		[ -z "$day" ] || from="day-all($day)"
		if [ $setting = A ]; then
			train=$w.trainA.own from=own-benign
			[ -z "$day" ] || from="day-benign($day)"
			if [ "$(wc -l < "$train")" -lt "$MIN_BENIGN" ] && [ "$name" != "$REF" ] &&
			   [ "$SMALL" = neg ] && [ "$(wc -l < "$w.trainA.neg")" -ge "$MIN_BENIGN" ]; then
				train=$w.trainA.neg
				from=own-negatives
			fi
			if [ "$(wc -l < "$train")" -lt "$MIN_BENIGN" ] && [ "$name" != "$REF" ]; then
				train=$work/$REF.$schema.trainA.own
				from="ref-benign($REF)"
				if [ ! -f "$train" ]; then
					echo "eval: $name $schema A: too few Benign records and no reference ($REF) run: skipped"
					continue
				fi
			fi
		fi
		local ntrain ntest m=$w.$setting.model s=$w.$setting.scores
		ntrain=$(wc -l < "$train")
		ntest=$(wc -l < "$w.test")
		if [ "$ntrain" -lt 10 ] || [ "$ntest" -lt 1 ]; then
			echo "eval: $name $schema $setting: $ntrain training and $ntest test records: skipped"
			continue
		fi
		# The spread: one model per seed and feature-mapping grace (on
		# training sets this small the initial weights, the held-out sample
		# and the feature map move the figures); the table gives their means,
		# the spread table min / mean / max. AZW_EVAL_SPREAD: A (the
		# default) fits setting B once (first seed, first grace), A-extended
		# every schema and setting but A of extended once, all none.
		local graces seeds g seed first=1 per=$w.$setting.perseed
		graces=$(fm_graces "$ntrain")
		seeds=$SEEDS
		if { [ "$SPREAD" = A ] && [ "$setting" != A ]; } ||
		   { [ "$SPREAD" = A-extended ] && { [ "$setting" != A ] || [ "$schema" != extended ]; }; }; then
			graces=${graces%% *}
			seeds=${SEEDS%% *}
		fi
		: > "$per"
		for g in $graces; do
		for seed in $seeds; do
			# exit status 1 (some records skipped) is a warning, in the log
			rc=0
			# shellcheck disable=SC2086
			{ cat "$w.hdr"; cut -f2- "$train"; } |
				azw-fit -q --fpr "$FPR" --fm-grace "$g" --seed "$seed" $FIT_OPTS -o "$m.fit" 2>> "$log" || rc=$?
			[ "$rc" -le 1 ] || { echo "eval: $name $schema $setting: azw-fit failed (see $log)"; continue 3; }
			rc=0
			{ cat "$w.hdr"; cut -f2- "$w.test"; } |
				azw-score "$m.fit" > "$s.jsonl" 2>> "$log" || rc=$?
			[ "$rc" -le 1 ] || { echo "eval: $name $schema $setting: azw-score failed (see $log)"; continue 3; }

			# "score is_malicious flag class ts is_benign" from the score
			# lines, joined to "class ts" of the test part
			awk -F'\t' -v OFS='\t' '
			NR == FNR { c[$3] = $1; t[$3] = $2; next }
			match($0, /"uid":"[^"]*"/) {
				u = substr($0, RSTART + 7, RLENGTH - 8)
				match($0, /"score":[^,}]*/); sc = substr($0, RSTART + 8, RLENGTH - 8)
				f = ($0 ~ /"anomaly":true/) ? 1 : 0
				if (u in c) print sc, (c[u] == "M"), f, c[u], t[u], (c[u] == "B")
			}' "$w.test.ids" "$s.jsonl" > "$s.fit.tsv"

			local met inc thr
			met=$(cut -f1-3,6 "$s.fit.tsv" | "$metrics" --fpr "$FPR")
			thr=$(awk -F'\t' '$1 == "threshold" { print $2; exit }' "$m.fit")
			# incidents: the test part's score lines, in ts order (the
			# order of the test part), through azw-alert
			inc='-	-	-	-	-	-	-	-	-'
			rank=-
			if [ -n "$ALERT" ]; then
				rc=0
				azw-alert --closed-only < "$s.jsonl" > "$s.incidents.jsonl" 2>> "$log" || rc=$?
				if [ "$rc" -le 1 ]; then
					inc=$(awk -v min_mal="$MIN_MAL_HOST" -v min_host="$MIN_HOST" \
						-v hosts="${ATTACKERS[$name]:-}" -f eval/jval.awk -f eval/incidents.awk \
						"$w.test.hosts" "$s.incidents.jsonl")
					# issue 17: where the attacker is named (rita-beacon's
					# beacon), its worst daily rank among the incidents
					[ -z "${ATTACKERS[$name]:-}" ] ||
						rank=$(awk -v hosts="${ATTACKERS[$name]}" -f eval/jval.awk -f eval/rank.awk \
							"$w.test.hosts" "$s.incidents.jsonl")
				else
					echo "eval: $name $schema $setting: azw-alert failed (see $log)"
				fi
			fi
			# columns of met: n pos neg auc ap tpr fpr benign fpr_b tpr_ideal thr_ideal ratio
			local flags
			flags=$(awk -F'\t' '{ m += ($2 == 1 && $3 == 1); b += ($6 == 1 && $3 == 1) } END { print m + 0 "\t" b + 0 }' "$s.fit.tsv")
			printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$schema" "$setting" "$from" "$seed" "$g" \
				"$ntrain" "$ntest" \
				"$(awk -F'\t' -v OFS='\t' '{ print $2, $8, $4, $5, $6, $7, $9, $10, $11, $12 }' <<< "$met")" \
				"${thr:--}" "$inc" "$flags	$rank" >> "$per"
			if [ "$first" = 1 ]; then	# the plots show the first fit's model
				cp "$s.fit.tsv" "$s.tsv"
				mv "$m.fit" "$m"
				[ ! -f "$s.incidents.jsonl" ] || cp "$s.incidents.jsonl" "$s.first.incidents.jsonl"
				first=0
			fi
		done
		done
		rm -f "$m.fit" "$s.fit.tsv"
		[ -s "$per" ] || continue
		cat "$per" >> "$fits"

		# the row of results.tsv: means over the fits (min and max of the
		# operating point); fpr_model and threshold of the first fit's model
		local fprm thr1
		thr1=$(awk -F'\t' '$1 == "threshold" { print $2; exit }' "$m")
		fprm=$(awk -F'\t' '$1 == "fpr" { print $2; exit }' "$m")
		awk -F'\t' -v OFS='\t' -v input="$fmt" -v leak="$leak" -v fprm="${fprm:--}" -v thr="${thr1:--}" \
		    -v kind="$kind" -v splt="$split" -v gr="${graces// /,}" '
		function add(i) { if ($i != "-" && $i != "") { s[i] += $i; c[i]++; if (!(i in lo) || $i < lo[i]) lo[i] = $i; if (!(i in hi) || $i > hi[i]) hi[i] = $i } }
		function mean(i) { return c[i] ? s[i] / c[i] : "-" }
		function mn(i) { return c[i] ? lo[i] : "-" }
		function mx(i) { return c[i] ? hi[i] : "-" }
		{
			n++; d = $1; sc = $2; st = $3; from = $4; nt = $7; nte = $8; nm = $9; nb = $10
			for (i = 11; i <= 27; i++) add(i)
		}
		END {
			# columns: 11 auc 12 ap 13 tpr 14 fpr 15 fpr_b 16 tpr_ideal 18 ratio 22 recall 23 delay 27 false/host-day
			print d, sc, st, from, input, nt, nte, nm, nb, gr, mean(11), mean(12), mean(13), mean(14), mean(15), fprm, thr, leak,
				n, mean(16), mean(18), mn(13), mx(13), mn(15), mx(15), mn(16), mx(16), mn(18), mx(18),
				mean(22), mean(23), mean(27), kind, splt
		}' "$per" >> "$results"
	done
}

# --- the runs --------------------------------------------------------------------------------
for d in "${DATASETS[@]}"; do
	IFS='|' read -r name kind split settings desc files <<< "$d"
	if [ -n "$ONLY_SETS" ] && [[ " $ONLY_SETS " != *" $name "* ]]; then
		continue
	fi
	log=$out/$name.log
	: > "$log"
	# the first candidate file that azw-extract reads (TSV needs its TSV reader)
	input= fmt=
	case $files in
	*'*'*)	# rotated logs: one file, in name (time) order
		# shellcheck disable=SC2086
		parts=($(cd "$data" && ls $files 2>/dev/null || true))
		if [ ${#parts[@]} -gt 0 ]; then
			(cd "$data" && cat "${parts[@]}") > "$work/$name.input.log"
			files=$(cd "$work" && pwd)/$name.input.log
		fi ;;
	esac
	if [ "${AZW_EVAL_PREFER:-}" = json ]; then	# try the JSON conversions first
		files=$(for f in $files; do echo "$f"; done | awk '/\.json$/ { print; next } { rest = rest " " $0 } END { print rest }')
	fi
	for f in $files; do
		case $f in /*) ;; *) f=$data/$f ;; esac
		[ -f "$f" ] || continue
		n=$(azw-extract -m conn "$f" 2>/dev/null | grep -cv '^#' || true)
		if [ "${n:-0}" -gt 0 ]; then
			input=$f
			case $f in *.json) fmt=json ;; *) fmt=tsv ;; esac
			break
		fi
	done
	if [ -z "$input" ]; then
		echo "eval: $name: no file that this azw-extract reads (of: $files): skipped"
		continue
	fi
	if [ -n "${LABEL_ADDR[$name]:-}" ]; then
		addr_labels "${LABEL_ADDR[$name]}" "$input" > "$work/$name.labels"
	else
		labels "$input" > "$work/$name.labels"
	fi
	t0=$SECONDS
	for schema in "${SCHEMAS[@]}"; do
		run_one "$name" "$schema" "$input" "$fmt" "$log" "$kind" "$split" "$settings" || true
	done
	echo "eval: $name: ${input#"$data"/} ($fmt), $(wc -l < "$work/$name.labels") records, $((SECONDS - t0)) s"
	[ -s "$log" ] || rm -f "$log"
done

# --- the table -------------------------------------------------------------------------------
fmt3() { awk -F'\t' -v OFS='\t' '
	function f(x, d) { return x == "-" || x == "" ? "-" : sprintf("%." d "f", x) }
	NR == 1 { next }
	{ print $1, $2, $3, $4, $6, $7, $8, $9, f($11, 3), f($12, 3), f($13, 3), f($14, 4), f($15, 4), f($20, 3), f($21, 3), $16, $10, $19, $18 }' "$1"; }
table() { if command -v column > /dev/null; then column -t -s "$(printf '\t')"; else cat; fi; }

echo
echo "azw detection benchmark: conn records, split by time (first ${SPLIT} of the span trains, the rest is scored;"
echo "reversed: the last ${SPLIT} trains, the first part is scored; day-*(X): trained on all of data set X, all of this one scored)."
echo "A: trained on Benign-labelled training records; B: on all training records (unfiltered)."
echo "ref-benign($REF): too few Benign records to train on (< $MIN_BENIGN), the benign reference day's were used."
echo "own-negatives: too few Benign records, setting A trained on the training part's non-Malicious ones (AZW_EVAL_SMALL=$SMALL)."
echo "Positive: label Malicious; negative: all else (Benign, Background, Unknown). mal: malicious test records; ben: Benign ones."
echo "TPR, FPR: at the model's own threshold (its anomaly flag), FPR over all negatives, FPR_B over Benign-labelled ones."
echo "TPR_id: TPR at the Benign test records' own 1 - --fpr quantile (the best any threshold does at FPR_B <= --fpr);"
echo "TPR/id: TPR / TPR_id. --fpr: the rate the thresholds were calibrated for; fm: the --fm-grace values (a fifth of"
echo "the training records, and half of that). leak: the label leak check (see eval/README)."
echo "Figures are means over the fits: seeds $SEEDS x the fm values (fits: their number)."
case $SPREAD in
A) echo "Setting B is fitted once (seed ${SEEDS%% *}, the first fm value: fits 1), to keep make eval short (AZW_EVAL_SPREAD=all: every one)." ;;
A-extended) echo "AZW_EVAL_SPREAD=A-extended: only setting A of schema extended is fitted with every seed and fm value; the rest once." ;;
esac
[ -z "$FIT_OPTS" ] || echo "azw-fit options added (AZW_EVAL_FIT_OPTS): $FIT_OPTS"
echo
{
	printf 'dataset\tschema\tset\ttrained_on\ttrain\ttest\tmal\tben\tROC-AUC\tAP\tTPR\tFPR\tFPR_B\tTPR_id\tTPR/id\t--fpr\tfm\tfits\tleak\n'
	fmt3 "$results"
} | table

# --- the spread: setting A, schema extended, min / mean / max over the fits ---------------------
echo
echo "The operating point, setting A, schema extended: min / mean / max over the fits (seeds x fm values)."
if [ -n "$ALERT" ]; then
	echo "Incidents: azw-alert --closed-only on each fit's test score lines. recall: share of the attacking hosts"
	echo "(>= $MIN_MAL_HOST Malicious test records as id.orig_h; rita-beacon: 73.54.23.243) that an incident names; delay:"
	echo "median seconds from a host's first Malicious test record to the ts of its first incident; false/hd: incidents"
	echo "naming no host that sent Malicious records, per host-day (hosts with >= $MIN_HOST test records, test span)."
else
	echo "incidents: skipped (no azw-alert)"
fi
echo
awk -F'\t' -v OFS='\t' -v alert="$ALERT" '
NR == 1 || $2 != "extended" || $3 != "A" { next }
!seen[$1]++ { order[++nd] = $1 }
function add(k, i) { if ($i == "-" || $i == "") return; v = $i + 0
	if (!((d, k) in c) || v < lo[d, k]) lo[d, k] = v
	if (!((d, k) in c) || v > hi[d, k]) hi[d, k] = v
	s[d, k] += v; c[d, k]++ }
{ d = $1; n[d]++; add(1, 11); add(2, 13); add(3, 15); add(4, 16); add(5, 18); add(6, 22); add(7, 23); add(8, 27) }
function mmm(d, k, p) { if (!((d, k) in c)) return "-"
	return sprintf("%." p "f/%." p "f/%." p "f", lo[d, k], s[d, k] / c[d, k], hi[d, k]) }
END {
	print "dataset", "fits", "ROC-AUC", "TPR", "FPR_B", "TPR_id", "TPR/id", alert ? "inc.recall" : "", alert ? "delay_s" : "", alert ? "false/hd" : ""
	for (i = 1; i <= nd; i++) {
		d = order[i]
		print d, n[d], mmm(d, 1, 3), mmm(d, 2, 3), mmm(d, 3, 4), mmm(d, 4, 3), mmm(d, 5, 3),
			alert ? mmm(d, 6, 2) : "", alert ? mmm(d, 7, 0) : "", alert ? mmm(d, 8, 2) : ""
	}
}' "$fits" | table

# make demo runs the first fit of $DEMO_SET (setting A, schema extended):
# its TPR and FPR, as demo.sh prints them
awk -F'\t' -v s="$DEMO_SET" -v seed="${SEEDS%% *}" '
$1 == s && $2 == "extended" && $3 == "A" && $5 == seed && !done++ {
	printf "\nmake demo: %s, extended, A, first fit (seed %s, fm %s, %d training records): TPR %.4f (%d of %d Malicious flagged), FPR %.4f (%d of %d Benign flagged)\n",
		s, $5, $6, $7, $13, $29, $9, $15, $30, $10
}' "$fits"

# --- averages and acceptance checks -------------------------------------------------------------------
# Means over the data sets that have a ROC-AUC (both classes in the test part)
# in both schemas, so that the two means average the same data sets.
echo
awk -F'\t' -v fpr="$FPR" '
NR == 1 { next }
!seen[$1]++ { order[++nd] = $1 }
{
	if ($11 != "-") auc[$1, $2, $3] = $11
	fb[$1, $2, $3] = $15; nb[$1, $2, $3] = $9; sp[$1] = $34
	if ($18 != "ok") leaks = leaks sprintf(" %s/%s/%s:%s", $1, $2, $3, $18)
	have[$2] = 1
}
function both(d, t) { return (d, "original", t) in auc && (d, "extended", t) in auc }
function all(d, t,   k) {
	for (k = 1; k <= 3; k++) if (have[S[k]] && !((d, S[k], t) in auc)) return 0
	return 1
}
END {
	split("original extended-none extended", S, " ")
	for (st = 1; st <= 2; st++) for (si = 1; si <= 3; si++) {
		s = S[si]; t = st == 1 ? "A" : "B"
		sum = cnt = 0; names = ""
		for (i = 1; i <= nd; i++) {
			d = order[i]
			if (!((d, s, t) in auc) || !all(d, t)) continue
			sum += auc[d, s, t]; cnt++; names = names " " d
		}
		if (cnt) {
			mean[s, t] = sum / cnt
			printf "mean ROC-AUC  setting %s  %-13s %.4f  (over%s)\n", t, s, mean[s, t], names
		}
	}
	print ""
	printf "[%s] labels do not reach the features (no feature named label; same vectors with all labels equal)%s\n",
		leaks == "" ? "PASS" : "FAIL", leaks
	if (!have["extended"] || !have["original"]) {
		print "acceptance: SKIP (needs both schemas; this azw-extract lacks one)"
		exit
	}
	for (st = 1; st <= 2; st++) {
		t = st == 1 ? "A" : "B"
		print t == "A" ? "acceptance (setting A, benign training):" : "the same checks for setting B (unfiltered training; information):"
		ok = (("original", t) in mean) && (("extended", t) in mean) && mean["extended", t] > mean["original", t]
		printf "  [%s] mean ROC-AUC extended %.4f > original %.4f\n", ok ? "PASS" : "FAIL", mean["extended", t], mean["original", t]
		ok = 1; detail = ""
		for (i = 1; i <= nd; i++) {
			d = order[i]
			if (!both(d, t)) continue
			diff = auc[d, "extended", t] - auc[d, "original", t]
			detail = detail sprintf(" %s %+.4f", d, diff)
			if (diff < -0.005) { ok = 0; detail = detail "!" }
		}
		printf "  [%s] extended ROC-AUC not below original by more than 0.005 on any data set:%s\n", ok ? "PASS" : "FAIL", detail
		ok = 1; detail = ""
		for (i = 1; i <= nd; i++) {
			d = order[i]
			if (!((d, "extended", t) in fb) || fb[d, "extended", t] == "-") continue
			if (nb[d, "extended", t] < 300) { detail = detail sprintf(" %s n/a(%d)", d, nb[d, "extended", t]); continue }
			detail = detail sprintf(" %s %.4f(%d)", d, fb[d, "extended", t], nb[d, "extended", t])
			if (sp[d] == "reversed") { detail = detail "~"; continue }	# the capture'"'"'s start: information
			if (fb[d, "extended", t] > 3 * fpr) { ok = 0; detail = detail "!" }
		}
		printf "  [%s] extended FPR_B <= 3 x --fpr = %g:%s\n", ok ? "PASS" : "FAIL", 3 * fpr, detail
		if (!have["extended-none"])
			continue
		# issue 5: the context features (extended vs extended --context none)
		ok = ((("extended-none", t) in mean) && mean["extended", t] > mean["extended-none", t])
		printf "  [%s] context: mean ROC-AUC extended %.4f > extended-none %.4f (issue 5)\n", ok ? "PASS" : "FAIL",
			mean["extended", t], mean["extended-none", t]
		ok = 1; detail = ""
		for (i = 1; i <= nd; i++) {
			d = order[i]
			if (!((d, "extended", t) in auc) || !((d, "extended-none", t) in auc)) continue
			diff = auc[d, "extended", t] - auc[d, "extended-none", t]
			detail = detail sprintf(" %s %+.4f", d, diff)
			if (diff < -0.005) { ok = 0; detail = detail "!" }
		}
		printf "  [%s] context: extended ROC-AUC not below extended-none by more than 0.005 on any data set:%s\n", ok ? "PASS" : "FAIL", detail
	}
}' "$results"
echo "FPR_B check: FPR_B(number of Benign test records) on data sets with at least 300 of them; with fewer one false"
echo "alarm is more than 3 x 0.001 already (n/a). '!' marks a data set that fails a check; '~' one not checked: its test"
echo "part is the capture's start (reversed split: start-up traffic, cold context features; see eval/README)."

# --- acceptance checks of the operating point: every fit of setting A, schema extended -----------------
echo
awk -F'\t' -v fpr="$FPR" -v alert="$ALERT" -v minb="$MIN_BENIGN_TEST" '
NR == FNR { if (FNR > 1) { kind[$1] = $33; split_[$1] = $34 } ; next }
FNR == 1 || $2 != "extended" || $3 != "A" { next }
!seen[$1]++ { order[++nd] = $1 }
{
	d = $1; k = ++nf[d]
	nb[d] = $10
	if ($16 != "-" && $16 >= 0.9) { q[d]++; r = $18 == "-" ? 0 : $18; if (!(d in rmin) || r < rmin[d]) rmin[d] = r }
	if ($15 != "-" && (!(d in fbmax) || $15 > fbmax[d])) fbmax[d] = $15
	if ($20 != "-" && $20 > 0) {
		att[d] = $20
		if (!(d in cmin) || $21 < cmin[d]) cmin[d] = $21
		if ($28 != "-") miss[d] = miss[d] " " $28
	}
	if ($25 != "-") { fi[d, k] = $25; hd[d, k] = $26 }
}
function ok(b) { return b ? "PASS" : "FAIL" }
END {
	print "acceptance of the operating point (setting A, schema extended, every fit: each seed and fm value):"
	# (a) per record: the own threshold gets 90 % of what the ideal one does
	good = 1; det = ""
	for (i = 1; i <= nd; i++) {
		d = order[i]
		if (kind[d] != "det") continue
		if (nb[d] < minb) { det = det sprintf(" %s n/a(%d ben)", d, nb[d]); continue }
		if (!q[d]) { det = det sprintf(" %s n/a(TPR_id<0.9)", d); continue }
		det = det sprintf(" %s %.3f(%d/%d)", d, rmin[d], q[d], nf[d]); na++
		if (rmin[d] < 0.9) { good = 0; det = det "!" }
	}
	printf "  [%s] (a) TPR/TPR_id >= 0.9 in every fit where TPR_id >= 0.9 (lowest ratio, fits with TPR_id >= 0.9):%s\n", na ? ok(good) : "SKIP", det
	# (b) FPR_B at the threshold: held-out part of the same capture, and the next days
	good = 1; det = ""; good5 = 1; det5 = ""
	for (i = 1; i <= nd; i++) {
		d = order[i]
		if (!(d in fbmax)) continue
		cross = split_[d] ~ /^day:/
		if (split_[d] == "reversed") {	# its test part begins with the cold start
			info = info sprintf(" %s %.4f(%d)", d, fbmax[d], nb[d]); continue
		}
		if (nb[d] < minb) { if (cross) det5 = det5 sprintf(" %s n/a(%d)", d, nb[d]); else det = det sprintf(" %s n/a(%d)", d, nb[d]); continue }
		if (cross) {
			det5 = det5 sprintf(" %s %.4f(%d)", d, fbmax[d], nb[d]); n5++
			if (fbmax[d] > 5 * fpr) { good5 = 0; det5 = det5 "!" }
		} else {
			det = det sprintf(" %s %.4f(%d)", d, fbmax[d], nb[d]); n3++
			if (fbmax[d] > 3 * fpr) { good = 0; det = det "!" }
		}
	}
	printf "  [%s] (b) FPR_B <= 3 x --fpr = %g on the held-out part of the same capture, in every fit (highest FPR_B):%s\n", n3 ? ok(good) : "SKIP", 3 * fpr, det
	printf "  [%s] (b) FPR_B <= 5 x --fpr = %g on another day of the same network, in every fit (highest FPR_B):%s\n", n5 ? ok(good5) : "SKIP", 5 * fpr, det5
	if (info != "")
		printf "  (information) FPR_B where the test part is the capture'"'"'s start (start-up traffic, cold context; reversed split):%s\n", info
	if (!alert) {
		print "  [SKIP] (c) incidents: skipped (no azw-alert)"
		exit
	}
	# (c) incidents: every attacking host named; benign captures at most one false incident per host-day
	good = 1; det = ""
	for (i = 1; i <= nd; i++) {
		d = order[i]
		if (kind[d] != "det") continue
		if (!(d in att)) { det = det sprintf(" %s n/a(no host >= 10 Malicious)", d); continue }
		det = det sprintf(" %s %d/%d", d, cmin[d], att[d])
		if (cmin[d] < att[d]) { good = 0; det = det "!" }
	}
	printf "  [%s] (c) every host with >= 10 Malicious test records named by an incident, in every fit (fewest named / hosts):%s\n", ok(good), det
	good = 1; det = ""; worst = -1; names = ""; cross = ""
	for (i = 1; i <= nd; i++) {
		d = order[i]
		if (kind[d] != "ben") continue
		if (split_[d] ~ /^day:/) { for (k = 1; k <= nf[d]; k++) if ((d, k) in fi) { cf += fi[d, k]; ch += hd[d, k] }
			cross = cross sprintf(" %s %d false in %.2f host-days over %d fits", d, cf, ch, nf[d]); continue }
		names = names " " d
		for (k = 1; k <= nf[d]; k++) if ((d, k) in fi) { F[k] += fi[d, k]; H[k] += hd[d, k]; K[k] = 1 }
	}
	for (k in K) { r = H[k] > 0 ? F[k] / H[k] : 0; if (r > worst) { worst = r; wf = F[k]; wh = H[k] } }
	if (worst < 0) printf "  [FAIL] (c) benign captures: no incident figures\n"
	else printf "  [%s] (c) benign captures together (%s) at most 1 false incident per host-day, in every fit: worst %.3f (%d in %.2f host-days)\n",
		ok(worst <= 1), substr(names, 2), worst, wf, wh
	if (cross != "") printf "  (information) cross-day:%s\n", cross
}' "$results" "$fits"
echo "(a) and (b) count only data sets with at least $MIN_BENIGN_TEST Benign test records (n/a(N): N of them). '!' marks a failure."

# --- acceptance checks of the context (issue 17): every fit of setting A ------------------------------
echo
awk -F'\t' -f eval/context-checks.awk "$results" "$fits"
echo "'~': a reversed split (the test part is the capture's start), printed, not checked. The injected attacks'"
echo "detection limits are make eval-inject's (eval/INJECT.md)."
echo
echo "eval: results in $results (one row per data set, schema, setting), every fit in $fits"

# --- plots: score over time per data set, one panel per schema and setting ---------------------------
if [ "$PLOTS" = 0 ]; then
	echo "eval: plots skipped (AZW_EVAL_PLOTS=0)"
	exit 0
fi
if ! command -v gnuplot > /dev/null; then
	if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
		echo "eval: installing gnuplot-nox for the plots" >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q gnuplot-nox > "$work/apt.log" 2>&1 ||
			{ DEBIAN_FRONTEND=noninteractive apt-get update -q > "$work/apt.log" 2>&1 &&
			  DEBIAN_FRONTEND=noninteractive apt-get install -y -q gnuplot-nox >> "$work/apt.log" 2>&1; } || true
	fi
fi
if ! command -v gnuplot > /dev/null; then
	echo "eval: gnuplot not found (apt-get install gnuplot-nox, as root); plots skipped"
	exit 0
fi
for d in "${DATASETS[@]}"; do
	IFS='|' read -r name kind split settings desc files <<< "$d"
	panels=()
	for schema in "${SCHEMAS[@]}"; do
		for setting in A B; do
			[ -s "$work/$name.$schema.$setting.scores.tsv" ] && panels+=("$schema.$setting")
		done
	done
	[ ${#panels[@]} -gt 0 ] || continue
	png=$out/$name.png
	{
		echo "set terminal pngcairo size 1400,$(( 380 * ((${#panels[@]} + 1) / 2) )) font ',9'"
		echo "set output '$png'"
		echo "set datafile separator '\t'"
		echo "set logscale y"
		echo "set xlabel 'hours since the start of the test part'"
		echo "set ylabel 'score (RMSE)'"
		echo "set key top left opaque"
		echo "set multiplot layout $(( (${#panels[@]} + 1) / 2 )),2 title '$name: $desc'"
		for p in "${panels[@]}"; do
			schema=${p%.*} setting=${p#*.}
			f=$work/$name.$p.scores.tsv
			m=$work/$name.$p.model
			thr=$(awk -F'\t' '$1 == "threshold" { print $2; exit }' "$m")
			t0=$(awk -F'\t' 'NR == 1 || $5 < m { m = $5 } END { printf "%.6f", m }' "$f")
			train=$(awk -F'\t' -v n="$name" -v s="$schema" -v t="$setting" \
				'$1 == n && $2 == s && $3 == t { print $4 }' "$results")
			echo "set title '$schema, setting $setting (trained on $train)'"
			# columns: score, is malicious, flag, class, ts
			printf "plot '%s' using ((\$5-%s)/3600):(\$2==0 ? \$1 : 1/0) with points pt 7 ps 0.4 lc rgb '#808080' title 'negative', \\\\\n" "$f" "$t0"
			printf "     '%s' using ((\$5-%s)/3600):(\$2==1 ? \$1 : 1/0) with points pt 7 ps 0.5 lc rgb '#d62728' title 'malicious'" "$f" "$t0"
			if [ -n "$thr" ]; then
				printf ", \\\\\n     %s with lines lw 2 lc rgb '#1f77b4' title 'threshold %.4g'\n" "$thr" "$thr"
			else
				echo
			fi
		done
		echo "unset multiplot"
	} > "$work/$name.gp"
	if gnuplot "$work/$name.gp" 2> "$work/$name.gp.err"; then
		echo "eval: plot $png"
	else
		echo "eval: gnuplot failed for $name (see $work/$name.gp.err)"
	fi
done
