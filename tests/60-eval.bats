#!/usr/bin/env bats
# make eval: the metric program (eval/metrics.c) against hand-computed cases,
# and eval/run.sh skipping cleanly without the shared data.

load helpers

ROOT="$BATS_TEST_DIRNAME/.."

setup_file() {
	${CC:-cc} -O2 -std=c11 -Wall -Wextra -Werror -o "$BATS_FILE_TMPDIR/metrics" \
		"$BATS_TEST_DIRNAME/../eval/metrics.c"
}

# metrics: run the metric program on standard input
metrics() {
	"$BATS_FILE_TMPDIR/metrics"
}

# near GOT WANT: |GOT - WANT| < 1e-12; WANT an exact fraction like 13/18
near() {
	awk -v g="$1" -v w="$2" 'BEGIN {
		n = split(w, f, "/"); want = n == 2 ? f[1] / f[2] : f[1]
		d = g - want; exit !(d < 1e-12 && d > -1e-12)
	}'
}

@test "metrics: ties by hand: AUC 13/18 (Mann-Whitney, a tie counts 1/2), AP 34/45" {
	# positives 0.9 0.8 0.3, negatives 0.8 0.5 0.1 (one tie at 0.8).
	# AUC: pairs won by the positives: 0.9: 3; 0.8: 2 + tie 1/2; 0.3: 1
	#   = 6.5 of 9 = 13/18.
	# AP: thresholds 0.9 (P 1, R 1/3), 0.8 (P 2/3, R 2/3), 0.5 (P 1/2, R 2/3),
	#   0.3 (P 3/5, R 1), 0.1 (R 1): 1/3*1 + 1/3*2/3 + 0 + 1/3*3/5 = 34/45.
	# Flags on 0.9, 0.8 (pos) and 0.8 (neg): TPR 2/3, FPR 1/3.
	run metrics <<-EOF
	0.9 1 1
	0.8 0 1
	0.8 1 1
	0.5 0 0
	0.3 1 0
	0.1 0 0
	EOF
	[ "$status" -eq 0 ]
	IFS=$'\t' read -r n pos neg auc ap tpr fpr <<< "$output"
	[ "$n" = 6 ]
	[ "$pos" = 3 ]
	[ "$neg" = 3 ]
	near "$auc" 13/18
	near "$ap" 34/45
	near "$tpr" 2/3
	near "$fpr" 1/3
	run near "$auc" 3/4	# and near itself can fail
	[ "$status" -eq 1 ]
}

@test "metrics: the order of the input lines does not matter" {
	a=$(printf '0.9 1\n0.8 0\n0.8 1\n0.5 0\n0.3 1\n0.1 0\n' | metrics)
	b=$(printf '0.1 0\n0.8 1\n0.3 1\n0.8 0\n0.9 1\n0.5 0\n' | metrics)
	[ "$a" = "$b" ]
}

@test "metrics: a perfect ranking gives AUC 1 and AP 1" {
	run metrics < <(printf '4 1\n3 1\n2 0\n1 0\n')
	[ "$status" -eq 0 ]
	IFS=$'\t' read -r n pos neg auc ap tpr fpr <<< "$output"
	near "$auc" 1
	near "$ap" 1
	near "$tpr" 0	# no flags given: nothing was an alert
	near "$fpr" 0
}

@test "metrics: an inverted ranking gives AUC 0 and AP 5/12" {
	# positives 0.1 0.2 below negatives 0.3 0.4: AP = 1/2 * 1/3 + 1/2 * 2/4
	run metrics < <(printf '0.1\t1\n0.2\t1\n0.3\t0\n0.4\t0\n')
	[ "$status" -eq 0 ]
	IFS=$'\t' read -r n pos neg auc ap tpr fpr <<< "$output"
	near "$auc" 0
	near "$ap" 5/12
}

@test "metrics: all scores tied gives AUC 1/2 and AP the share of positives" {
	run metrics < <(printf '7 1\n7 0\n7 0\n7 0\n')
	IFS=$'\t' read -r n pos neg auc ap tpr fpr <<< "$output"
	near "$auc" 1/2
	near "$ap" 1/4
}

@test "metrics: one class only: the undefined values are '-'" {
	run metrics < <(printf '0.5 0 1\n0.2 0 0\n')
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '2\t0\t2\t-\t-\t-\t0.5')" ]
}

@test "metrics: a bad label or score is an error (exit 2)" {
	run metrics < <(printf '0.5 2\n')
	[ "$status" -eq 2 ]
	run metrics < <(printf 'x 1\n')
	[ "$status" -eq 2 ]
	run metrics < <(printf 'nan 1\n')
	[ "$status" -eq 2 ]
}

@test "eval/run.sh skips cleanly, with a message, without the shared data" {
	run env AZW_SHARED=/nonexistent bash "$ROOT/eval/run.sh"
	[ "$status" -eq 0 ]
	[[ "$output" == *"skipping the detection benchmark"* ]]
	[[ "$output" == *"/nonexistent"* ]]
}
