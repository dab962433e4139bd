#!/bin/bash
# make eval: how well azw's conn scores find labelled attacks.
#
# For each labelled data set in the shared data directory and each conn
# feature schema that azw-extract offers (original, extended), the records are
# sorted by ts and split by time: the first $SPLIT of the time span is the
# training part, the rest the test part; no test record is ever trained on.
#   setting A: train on the training part's records labelled Benign (or, where
#              there are fewer than $MIN_BENIGN of them, on the Benign training
#              records of the benign reference day, and the table says "ref");
#   setting B: train on the whole training part, unfiltered, as a user would.
# The model's test scores give ROC-AUC and average precision, and its own
# threshold (the `anomaly` field, calibrated by azw-fit for --fpr $FPR) gives
# the true and false positive rates. Labels: Malicious is positive;
# Benign, Background, Unknown (anything else) negative. See eval/README.
#
# Writes eval/out/results.tsv, eval/out/<data set>.png (score over time) and
# eval/out/<data set>.log (warnings of the programs); prints the table, the
# averages and the acceptance checks of issues 4 and 5 (context: extended vs --context none).
#
# Environment: AZW_SHARED (the shared directory, default ../shared from the
# repository root, holding data/), AZW_EVAL_SPLIT (0.6), AZW_EVAL_FPR (0.001),
# AZW_EVAL_MIN_BENIGN (500), AZW_EVAL_PLOTS (1; 0 skips the plots),
# AZW_EVAL_PREFER (json: read the JSON conversions where there are some),
# AZW_EVAL_FIT_OPTS (more azw-fit options, for experiments; printed),
# AZW_EVAL_SMALL (neg: where a data set has too few Benign training records,
# setting A trains on its own non-Malicious training records, Background and
# Unknown included, if there are enough of them, else on the reference's
# Benign ones; ref: always on the reference's), AZW_EVAL_SEEDS ("1234 1 2").
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
SEEDS=${AZW_EVAL_SEEDS:-1234 1 2}	# one model per seed; the table shows their means
export LC_ALL=C	# sort -g and awk number formats must not depend on the locale

PATH="$root/bin:$PATH"
for p in azw-extract azw-fit azw-score; do
	command -v "$p" > /dev/null || { echo "eval: $p not found: run make first" >&2; exit 2; }
done

out=eval/out
work=$out/work		# intermediate files; kept for inspection, remade each run
rm -rf "$work"
mkdir -p "$work"
rm -f "$out"/*.png "$out"/*.log "$out"/results.tsv

# --- the metric program -------------------------------------------------------
metrics=$out/metrics
if [ ! -x "$metrics" ] || [ eval/metrics.c -nt "$metrics" ]; then
	${CC:-cc} -O2 -std=c11 -Wall -o "$metrics" eval/metrics.c
fi

# --- the data sets ---------------------------------------------------------------
# name|description|candidate files, best first (TSV, then the JSON conversion
# for an azw-extract that cannot read TSV). The first is the benign reference:
# it is run first, because setting A of a data set with too few Benign
# training records trains on the reference's Benign training records.
REF=benign-0220
DATASETS=(
	"benign-0220|benign ref.: office host 2023-02-20 (Benign/Unknown)|stratosphere-2023-02-20/conn.log.labeled"
	"ctu-008|CTU-Normal-40 day 008: host on the Internet, attacked|ctu-mixed/008-zeek-mixed.conn.log.labeled ctu-mixed/008-zeek-mixed.conn.json"
	"ctu-010|CTU-Normal-40 day 010: host on the Internet, attacked|ctu-mixed/010-zeek-mixed.conn.log.labeled ctu-mixed/010-zeek-mixed.conn.json"
	"njrat-001|CTU-Malware-Capture-Botnet-230-1: NjRAT (first 992 flows)|ctu-scenarios/001-zeek-scenario-malicious/labeled-conn.log ctu-mixed/001-zeek-scenario-malicious.conn.json"
	"remcos-t18|CTU-SME-11 Win7 (slips test18): RemcosRAT|slips/test18-malicious-ctu-sme-11-win/conn.log.labeled"
	"rita-beacon|RITA missing-host: Internet sensor, 3 days, injected HTTP beacon|rita-missing-host/2024-*/conn.*.log"
)
# Data sets without label columns: every record to or from the address is
# Malicious, the rest Benign (rita-missing-host's README.orig: the beacon
# comes from 73.54.23.243; the background holds real Internet attacks, as in
# life). A pattern in the file list (hourly rotated logs) is concatenated in
# name order, which is time order, into one log in $work.
declare -A LABEL_ADDR=( [rita-beacon]=73.54.23.243 )

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
				if (w[k] == "detailedlabel") det[i - 1] = k
			}
		}
		print; next
	}
	/^#/ { print; next }
	/^[ \t]*\{/ {
		gsub(/"label":"[^"]*"/, "\"label\":\"Benign\"")
		gsub(/"detailedlabel":"[^"]*"/, "\"detailedlabel\":\"\"")
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

# --- run one data set with one schema ------------------------------------------------------
# Files in $work: NAME.SCHEMA.{vec,hdr,rows,train,test,trainA,trainB}, models
# and scores per setting; rows are "class<TAB>vector row", sorted by ts.
results=$out/results.tsv
printf 'dataset\tschema\tsetting\ttrained_on\tinput\tn_train\tn_test\tmal_test\tbenign_test\tfm_grace\troc_auc\tavg_precision\ttpr\tfpr\tfpr_benign\tfpr_model\tthreshold\tleak_check\n' > "$results"

run_one() {
	local name=$1 schema=$2 input=$3 fmt=$4 log=$5
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
	awk -F'\t' -v frac="$SPLIT" -v tr="$w.train" -v te="$w.test" '
	{ row[NR] = $0; ts[NR] = $2 }
	END {
		cut = ts[1] + frac * (ts[NR] - ts[1])
		for (i = 1; i <= NR; i++) print row[i] > (ts[i] < cut ? tr : te)
	}' "$w.rows"
	: >> "$w.train"; : >> "$w.test"
	awk -F'\t' '$1 == "B"' "$w.train" > "$w.trainA.own"
	awk -F'\t' '$1 != "M"' "$w.train" > "$w.trainA.neg"
	cp "$w.train" "$w.trainB"

	local setting
	for setting in A B; do
		local train=$w.trainB from=own-all
		if [ $setting = A ]; then
			train=$w.trainA.own from=own-benign
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
		local ntrain ntest g m=$w.$setting.model s=$w.$setting.scores
		ntrain=$(wc -l < "$train")
		ntest=$(wc -l < "$w.test")
		if [ "$ntrain" -lt 10 ] || [ "$ntest" -lt 1 ]; then
			echo "eval: $name $schema $setting: $ntrain training and $ntest test records: skipped"
			continue
		fi
		g=$(fm_grace "$ntrain")
		# One model per seed: on training sets this small the initial weights
		# and the held-out sample move the figures; their mean is reported.
		local seed per=$w.$setting.perseed
		: > "$per"
		for seed in $SEEDS; do
			# exit status 1 (some records skipped) is a warning, in the log
			rc=0
			{ cat "$w.hdr"; cut -f2- "$train"; } |
				azw-fit -q --fpr "$FPR" --fm-grace "$g" --seed "$seed" $FIT_OPTS -o "$m" 2>> "$log" || rc=$?
			[ "$rc" -le 1 ] || { echo "eval: $name $schema $setting: azw-fit failed (see $log)"; continue 2; }
			rc=0
			{ cat "$w.hdr"; cut -f2- "$w.test"; } |
				azw-score "$m" > "$s.jsonl" 2>> "$log" || rc=$?
			[ "$rc" -le 1 ] || { echo "eval: $name $schema $setting: azw-score failed (see $log)"; continue 2; }

			# "uid score flag" from the score lines, joined to "class ts" of the test part
			awk -F'\t' -v OFS='\t' '
			NR == FNR { c[$3] = $1; t[$3] = $2; next }
			match($0, /"uid":"[^"]*"/) {
				u = substr($0, RSTART + 7, RLENGTH - 8)
				match($0, /"score":[^,}]*/); sc = substr($0, RSTART + 8, RLENGTH - 8)
				f = ($0 ~ /"anomaly":true/) ? 1 : 0
				if (u in c) print sc, (c[u] == "M"), f, c[u], t[u]
			}' "$w.test" "$s.jsonl" > "$s.tsv"
			[ "$seed" = "${SEEDS%% *}" ] && cp "$s.tsv" "$s.first.tsv"

			local met nben fprb
			met=$(cut -f1-3 "$s.tsv" | "$metrics")
			read -r nben fprb < <(awk -F'\t' '$4 == "B" { n++; f += $3 }
				END { if (n) print n, f / n; else print 0, "-" }' "$s.tsv")
			printf '%s\t%s\t%s\n' "$(cut -f2,4-7 <<< "$met")" "$nben" "$fprb" >> "$per"
		done
		cp "$s.first.tsv" "$s.tsv" # the plots show the first seed's model

		local auc ap tpr fpr thr fprm nmal nben fprb
		# columns of $per: nmal auc ap tpr fpr nben fprb; means over the seeds
		read -r nmal auc ap tpr fpr nben fprb < <(awk -F'\t' '
			function add(i) { if ($i != "-") { s[i] += $i; n[i]++ } }
			{ nm = $1; nb = $6; for (i = 2; i <= 7; i++) if (i != 6) add(i) }
			function mean(i) { return n[i] ? s[i] / n[i] : "-" }
			END { print nm, mean(2), mean(3), mean(4), mean(5), nb, mean(7) }' "$per")
		thr=$(awk -F'\t' '$1 == "threshold" { print $2 }' "$m")
		fprm=$(awk -F'\t' '$1 == "fpr" { print $2 }' "$m")
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
			"$name" "$schema" "$setting" "$from" "$fmt" "$ntrain" "$ntest" "$nmal" "$nben" "$g" \
			"$auc" "$ap" "$tpr" "$fpr" "$fprb" "${fprm:--}" "${thr:--}" "$leak" >> "$results"
	done
}

# --- the runs --------------------------------------------------------------------------------
for d in "${DATASETS[@]}"; do
	IFS='|' read -r name desc files <<< "$d"
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
			files=$root/$work/$name.input.log
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
	echo "eval: $name: ${input#"$data"/} ($fmt), $(wc -l < "$work/$name.labels") records"
	for schema in "${SCHEMAS[@]}"; do
		run_one "$name" "$schema" "$input" "$fmt" "$log" || true
	done
	[ -s "$log" ] || rm -f "$log"
done

# --- the table -------------------------------------------------------------------------------
fmt3() { awk -F'\t' -v OFS='\t' '
	function f(x, d) { return x == "-" || x == "" ? "-" : sprintf("%." d "f", x) }
	NR == 1 { next }
	{ print $1, $2, $3, $4, $6, $7, $8, f($11, 3), f($12, 3), f($13, 3), f($14, 4), f($15, 4), $16, $10, $18 }' "$1"; }

echo
echo "azw detection benchmark: conn records, split by time (first ${SPLIT} of the span trains, the rest is scored)"
echo "A: trained on Benign-labelled training records; B: on all training records (unfiltered)."
echo "ref-benign($REF): too few Benign records to train on (< $MIN_BENIGN), the benign reference day's were used."
echo "Positive: label Malicious; negative: all else (Benign, Background, Unknown). mal: malicious test records."
echo "TPR, FPR: at the model's own threshold (its anomaly flag), FPR over all negatives, FPR_B over Benign-labelled ones."
echo "--fpr: the rate the model's threshold was calibrated for; fm: --fm-grace (a fifth of the training records:"
echo "the training sets are small). leak: the label leak check (see eval/README)."
echo "own-negatives: too few Benign records, setting A trained on the training part's non-Malicious ones (AZW_EVAL_SMALL=$SMALL)."
echo "Figures are means over models fitted with seeds: $SEEDS."
[ -z "$FIT_OPTS" ] || echo "azw-fit options added (AZW_EVAL_FIT_OPTS): $FIT_OPTS"
echo
{
	printf 'dataset\tschema\tset\ttrained_on\ttrain\ttest\tmal\tROC-AUC\tAP\tTPR\tFPR\tFPR_B\t--fpr\tfm\tleak\n'
	fmt3 "$results"
} | if command -v column > /dev/null; then column -t -s "$(printf '\t')"; else cat; fi

# --- averages and acceptance checks -------------------------------------------------------------------
# Means over the data sets that have a ROC-AUC (both classes in the test part)
# in both schemas, so that the two means average the same data sets.
echo
awk -F'\t' -v fpr="$FPR" '
NR == 1 { next }
!seen[$1]++ { order[++nd] = $1 }
{
	if ($11 != "-") auc[$1, $2, $3] = $11
	fb[$1, $2, $3] = $15; nb[$1, $2, $3] = $9
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
echo "alarm is more than 3 x 0.001 already (n/a). '!' marks a data set that fails a check."
echo
echo "eval: results in $results"

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
	IFS='|' read -r name desc files <<< "$d"
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
			thr=$(awk -F'\t' '$1 == "threshold" { print $2 }' "$m")
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
