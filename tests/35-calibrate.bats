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
	t=$(awk -F'\t' '$1 == "threshold" { print $2 }' "$TMP/m")
	jq -e --argjson t "$t" '.threshold == $t and (.anomaly | type) == "boolean"
		and (.anomaly == (.score > .threshold)) and .pctl >= 0 and .pctl <= 1
		and .pvalue >= 0 and .pvalue <= 1' "$TMP/s" > /dev/null
	[ "$(jq -s 'map(select(.pctl > 1 or .pctl < 0)) | length' "$TMP/s")" -eq 0 ]
}

@test "on benign training data few records are flagged; most of a port scan is" {
	fit_benign
	benign=$(azw-score "$TMP/m" "$TMP/benign" | jq -s 'map(select(.anomaly)) | length')
	[ "$benign" -le 57 ] # 1 % of 5663: the threshold is set for 0.1 %
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

@test "--fpr recomputes the threshold from the model's held-out scores" {
	fit_benign
	# the median of the stored held-out scores, computed here independently
	want=$(awk -F'\t' '$1 == "cal" { for (i = 2; i <= NF; i++) s[n++] = $i }
		END { p = 0.5 * (n - 1); i = int(p); printf "%.17g", s[i] + (p - i) * (s[i + 1] - s[i]) }' "$TMP/m")
	head -n 20 "$TMP/benign" | azw-score --fpr 0.5 "$TMP/m" | jq -e --argjson w "$want" '.threshold == $w' > /dev/null
	run azw-score --fpr 0 "$TMP/m" < "$TMP/benign"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--fpr: '0' is not a number"* ]]
}

@test "--threshold sets the cut-off; with --fpr it is a usage error" {
	fit_benign
	azw-score --threshold 0.25 "$TMP/m" "$TMP/benign" |
		jq -e '.threshold == 0.25 and .anomaly == (.score > 0.25)' > /dev/null
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
}

@test "a --compat model has no threshold: no anomaly field, and --fpr/--alerts-only say why" {
	fit_benign --compat
	grep -qx 'normalisation	compat' "$TMP/m"
	grep -qx 'calibration	0	held_out	0	every	10' "$TMP/m"
	head -n 10 "$TMP/benign" | azw-score "$TMP/m" | jq -e 'has("threshold") or has("pctl") | not' > /dev/null
	run azw-score --alerts-only "$TMP/m" < "$TMP/benign"
	[ "$status" -eq 2 ]
	[[ "$output" == *"no threshold (fitted with --compat, or too few records?)"* ]]
	run azw-score --fpr 0.01 "$TMP/m" < "$TMP/benign"
	[ "$status" -eq 2 ]
	[[ "$output" == *"no held-out scores"* ]]
	head -n 10 "$TMP/benign" | azw-score --threshold 1 "$TMP/m" | jq -e 'has("anomaly")' > /dev/null
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
