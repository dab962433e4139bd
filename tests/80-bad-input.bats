#!/usr/bin/env bats
# The bad-input corpus (tests/bad, see its README): every case run by the
# program it names, its exit status, stderr and surviving records checked.

load helpers

BAD="$BATS_TEST_DIRNAME/bad"

setup_file() {
	export BAD_TMP="$BATS_FILE_TMPDIR/bad"
}

# Run the cases whose names match a glob; on failure show which and why.
run_cases() {
	local cases=() f
	for f in "$BAD"/$1.args; do
		cases+=("$(basename "$f" .args)")
	done
	[ ${#cases[@]} -gt 0 ]
	run "$BAD/run.sh" "${cases[@]}"
	echo "$output" | grep -v '^ok ' >&2 || true
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | grep -c '^ok ')" -eq ${#cases[@]} ]
}

@test "bad inputs: LeakSanitizer stays on for these runs, off for the plain files' (helpers.bash)" {
	# tests/run turns it on for every sanitizer run; the last setting wins
	# (bats run by hand, or by make mutate, has no ASAN_OPTIONS)
	if [ -n "${ASAN_OPTIONS:-}" ]; then
		last=${ASAN_OPTIONS##*detect_leaks=}
		[ "${last:0:1}" = 1 ]
	fi
	for f in 81-faults 83-stream; do
		out=$(BATS_TEST_FILENAME=/x/$f.bats ASAN_OPTIONS=detect_leaks=1 bash -c '. "$1"; echo "$ASAN_OPTIONS"' _ "$BATS_TEST_DIRNAME/helpers.bash")
		[ "$out" = detect_leaks=1 ]
	done
	out=$(BATS_TEST_FILENAME=/x/10-extract.bats ASAN_OPTIONS=detect_leaks=1 bash -c '. "$1"; echo "$ASAN_OPTIONS"' _ "$BATS_TEST_DIRNAME/helpers.bash")
	[ "$out" = detect_leaks=1:detect_leaks=0 ]
}

@test "bad inputs: the corpus has at least 50 complete cases" {
	local n=0 f c
	for f in "$BAD"/*.args; do
		c=${f%.args}
		[ -f "$c.in" ] || [ -f "$c.gen" ]
		[ -f "$c.status" ]
		n=$((n + 1))
	done
	echo "$n cases"
	[ "$n" -ge 50 ]
}

@test "bad inputs: azw-extract on hostile Zeek JSON lines (0[01]x)" {
	run_cases '0[01]*'
}

@test "bad inputs: azw-extract on hostile JSON values and TSV logs (0[2-9]x)" {
	run_cases '0[2-9]*'
}

@test "bad inputs: azw-fit on hostile vector streams (1xx)" {
	run_cases '1*'
}

@test "bad inputs: azw-score on hostile vector streams (2xx)" {
	run_cases '2*'
}

@test "bad inputs: azw-score on damaged, edited and foreign models (3xx)" {
	run_cases '3*'
}

@test "bad inputs: fuzzer crashers stay fixed (9xx)" {
	compgen -G "$BAD/9*.args" > /dev/null || skip "no fuzzer crashers recorded"
	run_cases '9*'
}
