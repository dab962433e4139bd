#!/usr/bin/env bats
# tests/run itself: it cannot be fooled. A unit test that prints ok lines
# and then exits non-zero, crashes or trips a sanitizer fails the run; so
# does a short or missing plan, and a sanitizer report whose output a bats
# test threw away. Skips are counted as skips, with their reasons, on the
# line before the last, which stays "N passed, N failed". Each case runs
# the runner in a scratch tree of its own with made-up tests.

load helpers

# tree: a scratch copy of the runner, with an empty build directory b/
tree() {
	R="$TMP/tree"
	mkdir -p "$R/tests" "$R/b/test"
	cp "$BATS_TEST_DIRNAME/run" "$R/tests/run"
}

# unit NAME SCRIPT: a made-up unit test (sh)
unit() {
	printf '#!/bin/sh\n%s\n' "$2" > "$R/b/test/$1"
	chmod +x "$R/b/test/$1"
}

# cunit PATH CFLAGS C-SOURCE: a made-up program in C, at $R/PATH
cunit() {
	printf '%s\n' "$3" > "$TMP/prog.c"
	# shellcheck disable=SC2086
	cc $2 -o "$R/$1" "$TMP/prog.c"
}

runner() {
	# a clean environment: not the bats of this test's own run (whose
	# libexec folder is first on PATH)
	path=$(printf '%s' "$PATH" | tr ':' '\n' | grep -v bats-core | paste -sd :)
	run env -i PATH="$path" HOME="$HOME" sh "$R/tests/run" b
	printf '%s\n' "$output"
}

@test "runner: passing tests pass; the last two lines are the skips and the count" {
	tree
	unit a_test 'echo 1..2; echo "ok 1 - one"; echo "ok 2 - two"'
	unit b_test 'echo 1..1; echo "ok 1 - three"'
	runner
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "3 passed, 0 failed" ]
	[ "${lines[-2]}" = "0 skipped" ]
}

@test "runner: ok lines then a non-zero exit status fail the run" {
	tree
	unit a_test 'echo 1..2; echo "ok 1 - one"; echo "ok 2 - two"; exit 3'
	runner
	[ "$status" -ne 0 ]
	[ "${lines[-1]}" = "2 passed, 1 failed" ]
	[[ "$output" == *"not ok - b/test/a_test: exit status 3 after 2 results, none of them a failure"* ]]
}

@test "runner: ok lines then a crash (SIGSEGV, a C program) fail the run" {
	tree
	cunit b/test/crash_test "-O0" '#include <stdio.h>
#include <signal.h>
int main(void)
{
	printf("1..2\nok 1 - one\nok 2 - two\n");
	fflush(stdout);
	raise(SIGSEGV);
	return 0;
}'
	runner
	[ "$status" -ne 0 ]
	[ "${lines[-1]}" = "2 passed, 1 failed" ]
	[[ "$output" == *"not ok - b/test/crash_test: killed by signal 11 after 2 results"* ]]
}

@test "runner: an AddressSanitizer report after ok lines fails the run" {
	tree
	cunit b/test/asan_test "-O0 -g -fsanitize=address" '#include <stdio.h>
#include <stdlib.h>
int main(int argc, char **argv)
{
	char *p = malloc(4);
	(void)argv;
	printf("1..1\nok 1 - one\n");
	fflush(stdout);
	p[argc + 3] = 1; /* one past the end */
	free(p);
	return 0;
}'
	runner
	[ "$status" -ne 0 ]
	[[ "$output" == *"not ok - b/test/asan_test: sanitizer exit status 86 after 1 results"* ]]
	[[ "$output" == *"a sanitizer report in"* ]]
	[[ "${lines[-1]}" == "1 passed, "[1-9]*" failed" ]]
}

@test "runner: a short plan, or none, fails the run even with exit status 0" {
	tree
	unit a_test 'echo 1..3; echo "ok 1 - one"; echo "ok 2 - two"'
	unit b_test 'echo "ok 1 - one"'
	runner
	[ "$status" -ne 0 ]
	[[ "$output" == *"not ok - b/test/a_test: planned 3, gave 2 results"* ]]
	[[ "$output" == *"not ok - b/test/b_test: no 1..N plan"* ]]
	[ "${lines[-1]}" = "3 passed, 2 failed" ]
}

@test "runner: a failing unit test counts once; skips are skips, with their reasons" {
	tree
	unit a_test 'echo 1..4; echo "ok 1 - one"; echo "not ok 2 - two"; echo "ok 3 - x # SKIP no frobnicator"; echo "ok 4 - y # skip no frobnicator"; exit 1'
	unit b_test 'echo 1..1; echo "ok 1 - z # SKIP"'
	runner
	[ "$status" -ne 0 ]
	[ "${lines[-1]}" = "1 passed, 1 failed" ]
	[ "${lines[-2]}" = "3 skipped: (no reason given) (x1); no frobnicator (x2)" ]
}

@test "runner: a sanitizer report a bats test threw away (2>/dev/null || true) still fails the run" {
	tree
	cunit b/oob "-O0 -g -fsanitize=address" '#include <stdlib.h>
int main(int argc, char **argv)
{
	char *p = malloc(4);
	(void)argv;
	p[argc + 3] = 1;
	free(p);
	return 0;
}'
	# (printf: bats would take an @test line of a here-document as its own)
	printf '%s\n' '@test "hides a sanitizer report" {' '	oob 2>/dev/null || true' '}' > "$R/tests/a.bats"
	runner
	[ "$status" -ne 0 ]
	[[ "$output" == *"ok 1 hides a sanitizer report"* ]]
	[[ "$output" == *"not ok - a sanitizer report in "*"/tests/tmp/sanitizer/"* ]]
	[[ "$output" == *"heap-buffer-overflow"* ]]
	[ "${lines[-1]}" = "1 passed, 1 failed" ]
}

@test "runner: a bats run that ends early (short plan, exit status) fails" {
	tree
	echo '@test "one" { true; }' > "$R/tests/a.bats"
	# a bats that stops after its first result, as if killed, saying 0
	printf '#!/bin/sh\necho 1..3; echo "ok 1 one"\n' > "$R/b/bats"
	chmod +x "$R/b/bats"
	runner
	[ "$status" -ne 0 ]
	[[ "$output" == *"not ok - bats (b): planned 3, gave 1 results"* ]]
	printf '#!/bin/sh\necho 1..1; echo "ok 1 one"; exit 1\n' > "$R/b/bats"
	runner
	[ "$status" -ne 0 ]
	[[ "$output" == *"not ok - bats (b): exit status 1 after 1 results, none of them a failure"* ]]
}

@test "helpers: jq -e fails on no output (jq 1.6 passes an empty input), and keeps its other answers" {
	run bash -c 'source "$0"; echo "" | jq -e ".a == 1"' "$BATS_TEST_DIRNAME/helpers.bash"
	[ "$status" -eq 4 ]
	run bash -c 'source "$0"; echo "{\"a\":1}" | jq -e ".a == 1"' "$BATS_TEST_DIRNAME/helpers.bash"
	[ "$status" -eq 0 ] && [ "$output" = true ]
	run bash -c 'source "$0"; echo "{\"a\":2}" | jq -e ".a == 1"' "$BATS_TEST_DIRNAME/helpers.bash"
	[ "$status" -eq 1 ]
	# -s on nothing is [] (an answer), and without -e nothing changes
	run bash -c 'source "$0"; printf "" | jq -s -e "length == 0"' "$BATS_TEST_DIRNAME/helpers.bash"
	[ "$status" -eq 0 ]
	run bash -c 'source "$0"; printf "" | jq ".a"' "$BATS_TEST_DIRNAME/helpers.bash"
	[ "$status" -eq 0 ] && [ -z "$output" ]
}

# make mutate is not in make check (it is slow), so a mutation whose source
# text has moved (a file split, a line reworded) would go stale unseen: it
# could no longer be planted and the score would silently cover less.
@test "mutations: every entry of tests/mutations.txt can still be planted (its TEXT once in FILE)" {
	local id file text rest n=0 bad=0 top="$BATS_TEST_DIRNAME/.."
	while IFS=$'\t' read -r id file text rest; do
		case $id in '#'* | '') continue ;; esac
		n=$((n + 1))
		[ -f "$top/$file" ] || { echo "$id: no file $file"; bad=1; continue; }
		c=$(grep -cF -- "$text" "$top/$file" || true)
		[ "$c" -eq 1 ] || { echo "$id: its text is in $file $c times"; bad=1; }
	done < "$top/tests/mutations.txt"
	echo "$n mutations"
	[ "$n" -ge 40 ]
	[ "$bad" -eq 0 ]
}
