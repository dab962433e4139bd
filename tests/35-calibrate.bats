#!/usr/bin/env bats
# Calibrated scores: threshold, anomaly flag, pctl/pvalue, --fpr,
# --threshold, --alerts-only, --explain, and --compat.

load helpers

# the golden stream: rows 1-5663 are CTU day 008 (a host on the Internet),
# the rest an Nmap port scan
fit_benign() {
	golden_vectors > "$TMP/all"
	head -n $((5 + 5663)) "$TMP/all" > "$TMP/benign"
	{ head -n 5 "$TMP/all"; tail -n +$((6 + 5663)) "$TMP/all"; } > "$TMP/scan"
	azw-fit --fm-grace 500 "$@" -o "$TMP/m" "$TMP/benign"
}

@test "calibrated score lines carry threshold, anomaly, pctl and pvalue" {
	fit_benign
	azw-score "$TMP/m" "$TMP/benign" > "$TMP/s"
	t=$(awk -F'\t' '$1 == "threshold" { print $2; exit }' "$TMP/m")
	# (-s, all: jq -e over several lines says only what the last one gave)
	jq -s -e --argjson t "$t" 'length == 5663 and all(.threshold == $t and (.anomaly | type) == "boolean"
		and (.anomaly == (.score > .threshold)) and .pctl >= 0 and .pctl <= 1
		and .pvalue >= 0 and .pvalue <= 1)' "$TMP/s" > /dev/null
	[ "$(jq -s 'map(select(.pctl > 1 or .pctl < 0)) | length' "$TMP/s")" -eq 0 ]
}

@test "on benign training data few records are flagged; most of a port scan is" {
	fit_benign
	benign=$(azw-score "$TMP/m" "$TMP/benign" | jq -s 'map(select(.anomaly)) | length')
	# the threshold is set for 0.1 %: 5.7 of 5663 expected; at most 3 times that
	[ "$benign" -le 17 ]
	azw-score "$TMP/m" "$TMP/scan" | jq -s 'map(select(.anomaly)) | length / 4504' > "$TMP/r"
	awk '{ exit !($1 > 0.9) }' "$TMP/r"
}

@test "scores stay finite and ordered on values never seen in training (the 1e16 problem)" {
	fit_benign
	azw-score "$TMP/m" "$TMP/scan" | jq -s 'map(.score) | max' > "$TMP/max"
	awk '{ exit !($1 < 1000) }' "$TMP/max"
	# KitNET-py's own normalisation, kept by --compat, gives ~1e16
	fit_benign --compat
	azw-score "$TMP/m" "$TMP/scan" | jq -s 'map(.score) | min' > "$TMP/min"
	awk '{ exit !($1 > 1e15) }' "$TMP/min"
}

# by_hand MODEL [FPR]: the threshold for FPR (default: the model's fpr
# line) from the model's calibration lines alone. P(score > threshold) =
# fpr: where fewer than 10 held-out scores lie above it, the generalised
# Pareto tail's quantile (tail K U SIGMA GAMMA: the K highest of the N
# scores exceed U), else the empirical quantile of the scores (azw-fit(1)).
by_hand() {
	awk -F'\t' -v f="${2:-}" '$1 == "fpr" { fpr = $2 } $1 == "tail" { k = $2; u = $3; sigma = $4; gamma = $5 }
		$1 == "cal" { for (i = 2; i <= NF; i++) s[n++] = $i }
		END {
			if (f != "") fpr = f
			q = fpr * n / k
			if (k > 0 && n * fpr < 10 && q < 1) {
				if (!(sigma > 0)) z = u
				else if (gamma == 0) z = u - sigma * log(q)
				else z = u + sigma / gamma * (exp(-gamma * log(q)) - 1)
				if (n * fpr < 1 && z < s[n - 1]) z = s[n - 1]
			} else {
				p = (1 - fpr) * (n - 1); i = int(p)
				z = s[i] + (p - i) * (s[i + 1] - s[i])
			}
			printf "%.17g", z
		}' "$1"
}

# close A B: equal to 1e-12
close() {
	awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a > 0 && d <= 1e-12 * a) }' ||
		{ echo "$1 is not $2"; return 1; }
}

@test "the default threshold is the model's calibration, computed here independently" {
	fit_benign
	grep -qx 'fpr	0.001' "$TMP/m"
	have=$(awk -F'\t' '$1 == "threshold" { print $2 }' "$TMP/m")
	close "$have" "$(by_hand "$TMP/m")"
	# the lognormal line: the mean and sample standard deviation of the
	# logs of the (positive) held-out scores
	awk -F'\t' '$1 == "lognormal" { mu = $2; sd = $3 }
		$1 == "cal" { for (i = 2; i <= NF; i++) if ($i > 0) { l[n++] = log($i); s += log($i) } }
		END { m = s / n; for (i = 0; i < n; i++) q += (l[i] - m) ^ 2; q = sqrt(q / (n - 1))
			print "lognormal " mu " " sd ", by hand " m " " q
			exit !(n > 100 && (mu - m) ^ 2 <= 1e-18 * m * m && (sd - q) ^ 2 <= 1e-18 * q * q) }' "$TMP/m"
	# and azw-score's lines carry that threshold
	head -n 20 "$TMP/benign" | azw-score "$TMP/m" | jq -s -e --argjson t "$have" 'length == 15 and all(.threshold == $t)' > /dev/null
	# --fpr: from the tail (0.0015: 7.7 of 5162 held-out scores above) and
	# from the ranks (0.05: 258 above)
	for f in 0.0015 0.05; do
		t=$(head -n 6 "$TMP/benign" | azw-score --fpr "$f" "$TMP/m" | jq .threshold)
		close "$t" "$(by_hand "$TMP/m" "$f")"
	done
}

@test "--fpr recomputes the threshold from the model's held-out scores" {
	fit_benign
	# the median of the stored held-out scores, computed here independently
	want=$(awk -F'\t' '$1 == "cal" { for (i = 2; i <= NF; i++) s[n++] = $i }
		END { p = 0.5 * (n - 1); i = int(p); printf "%.17g", s[i] + (p - i) * (s[i + 1] - s[i]) }' "$TMP/m")
	head -n 20 "$TMP/benign" | azw-score --fpr 0.5 "$TMP/m" | jq -s -e --argjson w "$want" 'length == 15 and all(.threshold == $w)' > /dev/null
	run azw-score --fpr 0 "$TMP/m" < "$TMP/benign"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--fpr: '0' is not a number"* ]]
}

@test "--threshold sets the cut-off; with --fpr it is a usage error" {
	fit_benign
	azw-score --threshold 0.25 "$TMP/m" "$TMP/benign" |
		jq -s -e 'length == 5663 and all(.threshold == 0.25 and .anomaly == (.score > 0.25))' > /dev/null
	run azw-score --threshold 1 --fpr 0.01 "$TMP/m" < "$TMP/benign"
	[ "$status" -eq 2 ]
	[[ "$output" == *"give one"* ]]
}

@test "--alerts-only writes only anomalies and exits like grep" {
	fit_benign
	run sh -c "azw-score --alerts-only '$TMP/m' '$TMP/scan' > '$TMP/a'"
	[ "$status" -eq 0 ]
	[ "$(jq -s 'map(select(.anomaly | not)) | length' "$TMP/a")" -eq 0 ]
	[ "$(wc -l < "$TMP/a")" -eq "$(azw-score "$TMP/m" "$TMP/scan" | jq -s 'map(select(.anomaly)) | length')" ]
	run azw-score --alerts-only --threshold 1e300 "$TMP/m" "$TMP/scan"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	# the cut-off itself: a score equal to the threshold is not above it
	head -n 6 "$TMP/scan" > "$TMP/one"
	s=$(azw-score "$TMP/m" "$TMP/one" | jq .score)
	azw-score --threshold "$s" "$TMP/m" "$TMP/one" | jq -e --argjson s "$s" '.score == $s and .anomaly == false'
	run azw-score --alerts-only --threshold "$s" "$TMP/m" "$TMP/one"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	below=$(awk -v s="$s" 'BEGIN { printf "%.17g", s * (1 - 1e-12) }')
	[ "$(azw-score --alerts-only --threshold "$below" "$TMP/m" "$TMP/one" | wc -l)" -eq 1 ]
}

@test "a --compat model has no threshold: no anomaly field, and --fpr/--alerts-only say why" {
	fit_benign --compat
	grep -qx 'normalisation	compat' "$TMP/m"
	grep -qx 'calibration	0	held_out	0	every	10	scores_held_out	0' "$TMP/m"
	head -n 10 "$TMP/benign" | azw-score "$TMP/m" | jq -s -e 'length == 5 and all(has("threshold") or has("pctl") or has("anomaly") | not)' > /dev/null
	run azw-score --alerts-only "$TMP/m" < "$TMP/benign"
	[ "$status" -eq 2 ]
	[[ "$output" == *"no threshold (fitted with --compat, or too few records?)"* ]]
	run azw-score --fpr 0.01 "$TMP/m" < "$TMP/benign"
	[ "$status" -eq 2 ]
	[[ "$output" == *"no held-out scores"* ]]
	head -n 10 "$TMP/benign" | azw-score --threshold 1 "$TMP/m" | jq -s -e 'length == 5 and all(has("anomaly"))' > /dev/null
}

@test "--explain names the feature that was perturbed, with its value and error" {
	fit_benign
	# a benign SF connection whose orig_pkts (column 38) is 5,000 times larger
	sed -n '1,5p;6p' "$TMP/benign" | awk -F'\t' 'BEGIN { OFS = "\t" } /^#/ { print; next } { $38 = $38 * 5000; print }' > "$TMP/x"
	azw-score --explain "$TMP/m" "$TMP/x" > "$TMP/e"
	jq -e '.explain | length == 3' "$TMP/e"
	jq -e '.explain[0].feature == "orig_pkts" and .explain[0].value == 70000 and .explain[0].error > 1' "$TMP/e"
	jq -e '.explain | (.[0].error | fabs) >= (.[1].error | fabs) and (.[1].error | fabs) >= (.[2].error | fabs)' "$TMP/e"
	azw-score --explain=5 "$TMP/m" "$TMP/x" | jq -e '.explain | length == 5'
	azw-score "$TMP/m" "$TMP/x" | jq -e 'has("explain") | not'
}

@test "--explain names a feature far below its usual value: ranked by the size of its error" {
	fit_benign
	# traffic_direction_external (column 31) is 1 in every benign record:
	# one with it 0 is an anomaly, and that feature, reconstructed far
	# above its value (a negative error), is what made the score
	[ "$(grep -v '^#' "$TMP/benign" | cut -f31 | sort -u)" = 1 ]
	sed -n '1,5p;6p' "$TMP/benign" | awk -F'\t' 'BEGIN { OFS = "\t" } /^#/ { print; next } { $31 = 0; print }' > "$TMP/x"
	azw-score --explain "$TMP/m" "$TMP/x" > "$TMP/e"
	cat "$TMP/e"
	jq -e '.anomaly and .explain[0].feature == "traffic_direction_external" and .explain[0].value == 0
		and .explain[0].error < -0.5' "$TMP/e"
	jq -e '.explain | (.[0].error | fabs) >= (.[1].error | fabs) and (.[1].error | fabs) >= (.[2].error | fabs)' "$TMP/e"
}

@test "azw-fit --report says what the threshold rests on: scores, tail, interval" {
	golden_head 3000 > "$TMP/v"
	run azw-fit --report --fm-grace 500 -o "$TMP/m" "$TMP/v"
	[ "$status" -eq 0 ]
	t=$(awk -F'\t' '$1 == "threshold" { print $2; exit }' "$TMP/m")
	[[ "$output" == "azw-fit: threshold $(printf '%.6g' "$t") (90% bootstrap interval "* ]]
	[[ "$output" == *"from 2499 scores of benign records (249 held out of training, 2250 trained on); 2.5 expected above it, so from an exponential tail fitted to the 50 highest"* ]]
	# the interval holds the threshold
	first=$(head -n 1 <<< "$output")
	lo=$(sed 's/.*interval \([^ ]*\) to \([^)]*\)).*/\1/' <<< "$first")
	hi=$(sed 's/.*interval \([^ ]*\) to \([^)]*\)).*/\2/' <<< "$first")
	awk -v lo="$lo" -v hi="$hi" -v t="$t" 'BEGIN { exit !(lo <= t + 1e-6 && t <= hi + 1e-6 && lo < hi) }'
	# without --report and not on a terminal: silent
	run azw-fit --fm-grace 500 -o "$TMP/m" "$TMP/v"
	[ "$status" -eq 0 ] && [ -z "$output" ]
}

@test "azw-fit --report shows the feature map: every feature once, its autoencoder and range" {
	gzip -dc "$DATA/conn/ctu-010.conn.json.gz" | head -n 1500 | azw-extract -m conn > "$TMP/v"
	run azw-fit --report --fm-grace 300 -o "$TMP/m" "$TMP/v"
	[ "$status" -eq 0 ]
	grep -qx 'azw-fit: part record: 86 features in [0-9]* autoencoders*, mapped on the first 301 records' <<< "$output"
	grep -qx 'azw-fit: part context: 16 features in [0-9]* autoencoders*, mapped on the first 301 records' <<< "$output"
	# as many autoencoder lines per part as the model holds
	for part in record context; do
		n=$(sed -n "s/^azw-fit: part $part: [0-9]* features in \([0-9]*\) .*/\1/p" <<< "$output")
		[ "$(grep -c "^azw-fit: $part autoencoder [0-9]* (" <<< "$output")" -eq "$n" ]
		[ "$(awk -F'\t' -v p="$part" '$1 == "part" { q = $2 } $1 == "autoencoders" && q == p { print $2 }' "$TMP/m")" -eq "$n" ]
	done
	# every feature of the header named exactly once, never an identity column
	grep '^azw-fit: [a-z]* autoencoder ' <<< "$output" | sed 's/^[^:]*: [^:]*://' |
		grep -o '[A-Za-z0-9_.]* \[' | sed 's/ \[$//' | sort > "$TMP/got"
	grep '^#fields' "$TMP/v" | tr '\t' '\n' | tail -n +9 | sort > "$TMP/want"
	[ "$(wc -l < "$TMP/want")" -eq 102 ]
	cmp "$TMP/got" "$TMP/want"
	# the ranges are the model's: the context part's first input
	lo=$(awk -F'\t' '$1 == "part" { q = $2 } $1 == "norm_min" && q == "context" { print $2; exit }' "$TMP/m")
	hi=$(awk -F'\t' '$1 == "part" { q = $2 } $1 == "norm_max" && q == "context" { print $2; exit }' "$TMP/m")
	line=$(grep '^azw-fit: context autoencoder 0 ' <<< "$output")
	[[ "$line" == *": "[a-z]*" [$(printf '%.4g' "$lo"), $(printf '%.4g' "$hi")] "* ]]
	# every range has min <= max
	grep -o '\[[^]]*\]' <<< "$output" | tr -d '[],' | awk '$1 > $2 { bad++ } END { exit bad > 0 }'
	# not shown by a recalibration, nor without --report
	run azw-fit --calibrate "$TMP/m" --report -o "$TMP/m2" "$TMP/v"
	[ "$status" -eq 0 ]
	[[ "$output" != *autoencoder* ]]
	run azw-fit --fm-grace 300 -o "$TMP/m" "$TMP/v"
	[ -z "$output" ]
}

@test "the feature-mapping window (the cold start) is not in the calibration" {
	golden_head 1000 > "$TMP/v"
	azw-fit --fm-grace 200 -o "$TMP/m" "$TMP/v"
	# 799 records after the 201 of the window: 79 held out, 720 trained on
	grep -qx 'calibration	799	held_out	79	every	10	scores_held_out	79' "$TMP/m"
	# the window's records are not among the calibration scores: the
	# model's own scores of records 202-1000 are, as a multiset
	tail -n +$((6 + 201)) "$TMP/v" | cat <(head -n 5 "$TMP/v") - | azw-score "$TMP/m" |
		jq -r '.score' | sort -g > "$TMP/want"
	awk -F'\t' '$1 == "cal" { for (i = 2; i <= NF; i++) print $i }' "$TMP/m" | sort -g > "$TMP/got"
	cmp <(awk '{ printf "%.12g\n", $1 }' "$TMP/want") <(awk '{ printf "%.12g\n", $1 }' "$TMP/got")
}

@test "azw-fit --calibrate: a model's calibration from another day, the rest kept, atomically" {
	fit_benign
	{ head -n 5 "$TMP/all"; tail -n +$((6 + 3000)) "$TMP/benign"; } > "$TMP/day2"
	cp "$TMP/m" "$TMP/m.orig"
	run azw-fit --calibrate "$TMP/m" -o "$TMP/m2" --warmup 100 "$TMP/day2"
	[ "$status" -eq 0 ]
	cmp -s "$TMP/m" "$TMP/m.orig" # -o: the original untouched
	# everything but the calibration is the same
	diff <(grep -Ev '^(calibration|fpr|threshold|lognormal|tail|cal|checksum)	' "$TMP/m") \
	     <(grep -Ev '^(calibration|fpr|threshold|lognormal|tail|cal|checksum)	' "$TMP/m2")
	# 2663 records, the first 100 skipped: 2563 scored and kept
	grep -qx 'calibration	2563	held_out	2563	every	10	scores_held_out	2563' "$TMP/m2"
	# the calibration is the model's scores of those records
	tail -n +$((6 + 100)) "$TMP/day2" | cat <(head -n 5 "$TMP/all") - | azw-score "$TMP/m" |
		jq -r '.score' | sort -g | awk '{ printf "%.12g\n", $1 }' > "$TMP/want"
	awk -F'\t' '$1 == "cal" { for (i = 2; i <= NF; i++) print $i }' "$TMP/m2" | sort -g |
		awk '{ printf "%.12g\n", $1 }' > "$TMP/got"
	cmp "$TMP/want" "$TMP/got"
	# without -o the model itself is rewritten; --fpr sets the new threshold
	azw-fit --calibrate "$TMP/m" --fpr 0.01 "$TMP/day2"
	grep -qx 'fpr	0.01' "$TMP/m"
	differ "$TMP/m" "$TMP/m.orig"
	azw-score "$TMP/m" "$TMP/day2" > /dev/null
}

@test "azw-fit --calibrate refuses a stream of other features, and one all warm-up" {
	fit_benign
	cp "$TMP/m" "$TMP/m.orig"
	gzip -dc "$DATA/conn/ctu-010.conn.json.gz" | head -n 50 | azw-extract -m conn > "$TMP/ext"
	run azw-fit --calibrate "$TMP/m" "$TMP/ext"
	[ "$status" -eq 2 ]
	[[ "$output" == *"does not fit model"* ]]
	head -n 55 "$TMP/benign" > "$TMP/short"
	run azw-fit --calibrate "$TMP/m" "$TMP/short"
	[ "$status" -eq 2 ]
	[[ "$output" == *"only 50 records, none after the warm-up of 501"* ]]
	cmp "$TMP/m" "$TMP/m.orig" # never touched on failure
	run azw-fit --warmup 5 -o "$TMP/x" "$TMP/short"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--warmup is for --calibrate"* ]]
}

@test "azw-fit fails before the work when the model cannot be written there" {
	golden_head 100 > "$TMP/v"
	run azw-fit -o "$TMP/no/such/dir/m" "$TMP/v"
	[ "$status" -eq 2 ]
	[ "$output" = "azw-fit: cannot write $TMP/no/such/dir/m: $TMP/no/such/dir: No such file or directory" ]
	# it did not read its input: a fifo nobody writes would block it otherwise
	mkfifo "$TMP/fifo"
	timeout 5 azw-fit -o /nonexistent/m "$TMP/fifo" 2> /dev/null || [ $? -eq 2 ]
}

@test "a stream with context columns makes a model of two parts; --joint makes one" {
	gzip -dc "$DATA/conn/ctu-010.conn.json.gz" | azw-extract -m conn > "$TMP/v"
	azw-fit --fm-grace 500 -o "$TMP/m" "$TMP/v"
	grep -qx 'parts	2' "$TMP/m"
	grep -qx 'part	record	features	86' "$TMP/m"
	grep -qx 'part	context	features	16' "$TMP/m"
	# the context part holds exactly the columns after the 86 record ones
	[ "$(grep '^part_features' "$TMP/m" | sed -n 2p)" = "part_features	$(seq -s '	' 86 101)" ]
	[ "$(grep -c '^threshold	' "$TMP/m")" -eq 3 ] # combined, record, context
	head -n 300 "$TMP/v" | azw-score --explain=2 "$TMP/m" > "$TMP/s"
	# every line: both parts' p-values, and the score is -log10 of the
	# smaller (to the 6 digits p-values are written in)
	jq -e 'select(has("pvalue_record") and has("pvalue_context") | not)' "$TMP/s" > "$TMP/bad" || true
	[ ! -s "$TMP/bad" ]
	jq -r '[.score, ([.pvalue_record, .pvalue_context] | min)] | @tsv' "$TMP/s" |
		awk -F'\t' '{ p = $2 < 1e-300 ? 1e-300 : $2; want = p >= 1 ? 0 : -log(p) / log(10)
			d = $1 - want; if (d < 0) d = -d; if (d > 1e-6 + 1e-5 * want) bad++ }
			END { exit bad > 0 }'
	[ "$(jq -s 'map(.explain | length) | unique' "$TMP/s" | tr -d ' \n')" = "[2]" ]
	azw-score --help | grep -q 'also pvalue_record pvalue_context'
	# --joint: one KitNET, the score its RMSE, no parts on the line
	azw-fit --joint --fm-grace 500 -o "$TMP/j" "$TMP/v"
	[ "$(grep -c '^parts' "$TMP/j")" -eq 0 ]
	grep -qx 'autoencoders	[0-9]*' "$TMP/j"
	head -n 20 "$TMP/v" | azw-score "$TMP/j" > "$TMP/js"
	[ "$(jq -c . "$TMP/js" | wc -l)" -eq "$(head -n 20 "$TMP/v" | grep -vc '^#')" ]
	[ "$(jq -c 'select(has("pvalue_record") or has("pvalue_context"))' "$TMP/js" | wc -l)" -eq 0 ]
	# schemas without context: one KitNET, whatever the options
	gzip -dc "$DATA/conn/ctu-010.conn.json.gz" | head -n 1000 | azw-extract -m conn --context none > "$TMP/n"
	azw-fit --fm-grace 200 -o "$TMP/mn" "$TMP/n"
	[ "$(grep -c '^parts' "$TMP/mn")" -eq 0 ]
}

@test "a context-only anomaly shows in pvalue_context, not pvalue_record" {
	gzip -dc "$DATA/conn/ctu-010.conn.json.gz" | azw-extract -m conn > "$TMP/v"
	azw-fit --fm-grace 500 -o "$TMP/m" "$TMP/v"
	# the 100th record, with its source's 10 s rate set far beyond anything seen
	col=$(head -n 5 "$TMP/v" | awk -F'\t' '/^#fields/ { for (i = 2; i <= NF; i++) if ($i == "src_rate_10s") print i - 1 }')
	{ head -n 5 "$TMP/v"; sed -n 105p "$TMP/v" | awk -F'\t' -v OFS='\t' -v c="$col" '{ $c = 40; print }'; } |
		azw-score "$TMP/m" > "$TMP/s"
	jq -e '.pvalue_context < 0.0001 and .pvalue_record > 0.001 and .anomaly' "$TMP/s"
}
