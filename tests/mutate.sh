#!/bin/bash
# make mutate: plant each small bug of tests/mutations.txt, one at a time, in
# a scratch copy of the tree (never in the tree itself), build it (plain, no
# sanitizers: only the changed file is rebuilt) and run the fast tests until
# one fails. A mutant some test fails is killed; one every test passes
# survived. Prints each result, the survivors, and the share killed.
#
# tests/mutations.txt, one mutation a line, fields separated by a tab:
#   ID  FILE  TEXT  REPLACEMENT  [TESTS]
# TEXT must occur exactly once in FILE (a literal string, not a pattern);
# REPLACEMENT takes its place ("(nothing)" to delete it). TESTS (space-separated)
# are run first: unit tests by name (follow_test) and bats files
# (70-follow.bats); then every other fast test. Lines starting with # and
# empty lines are skipped.
#
# usage: tests/mutate.sh [ID...]   (default: every mutation)
# Environment: MUTATE_TIMEOUT (seconds per test file, default 300),
# MUTATE_SLOW (bats files left out as slow, space-separated), MUTATE_JOBS
# (test files run at once after the mutation's own TESTS, default 2; GNU
# parallel, stopping them all at the first failure).
set -u
cd "$(dirname "$0")/.." || exit 2
top=$PWD
list=${MUTATIONS:-tests/mutations.txt}
limit=${MUTATE_TIMEOUT:-300}
# left out: timing-only, whole-data and tool-heavy files that no mutation
# needs (eval and inject re-run whole evaluations; valgrind is slow)
slow=${MUTATE_SLOW:-60-eval.bats 61-inject.bats 71-scale.bats 82-valgrind.bats 01-runner.bats}

scratch=$(mktemp -d "${TMPDIR:-/tmp}/azw-mutate.XXXXXX") || exit 2
trap 'rm -rf "$scratch"' EXIT
echo "# scratch copy: $scratch"
tar -C "$top" --exclude=./build/asan --exclude=./build/fuzz --exclude=./tests/tmp \
	--exclude=./.git -cf - . | tar -C "$scratch" -xf -
cd "$scratch" || exit 2
make -s all units > build.log 2>&1 || { cat build.log; echo "the unmutated copy does not build"; exit 2; }

# every fast test, units first (they take a second)
fast=()
for t in tests/unit/*_test.c; do
	t=${t##*/}
	fast+=("${t%.c}")
done
for f in tests/*.bats; do
	f=${f##*/}
	case " $slow " in *" $f "*) continue ;; esac
	fast+=("$f")
done

# run_one NAME: 0 if the test passes against the mutant (output in
# logs/NAME; nothing read from standard input)
run_one() {
	case $1 in
	*.bats)
		AZW_SKIP_SWEEP=1 timeout "$MUTATE_LIMIT" bats --tap "tests/$1" > "logs/$1" 2>&1 < /dev/null ;;
	*)
		timeout "$MUTATE_LIMIT" "bin/test/$1" > "logs/$1" 2>&1 < /dev/null ;;
	esac
}
export -f run_one
export MUTATE_LIMIT=$limit
mkdir -p logs
jobs=${MUTATE_JOBS:-2}
command -v parallel > /dev/null || jobs=1

export PATH="$scratch/bin:$PATH"
total=0 killed=0 invalid=0
survivors=()
while IFS=$'\t' read -r id file text repl hint <&3 || [ -n "$id" ]; do
	case $id in '' | '#'*) continue ;; esac
	[ "$repl" != "(nothing)" ] || repl=
	if [ $# -gt 0 ]; then
		want=0
		for a in "$@"; do [ "$a" = "$id" ] && want=1; done
		[ "$want" = 1 ] || continue
	fi
	n=$(MUT_TEXT=$text perl -0777 -ne 'my $t = $ENV{MUT_TEXT}; my $n = () = /\Q$t\E/g; print $n' "$file")
	if [ "$n" != 1 ]; then
		echo "INVALID $id: '$text' occurs $n times in $file"
		invalid=$((invalid + 1))
		continue
	fi
	cp -p "$file" "$file.orig"
	MUT_TEXT=$text MUT_REPL=$repl perl -0777 -pi -e 's/\Q$ENV{MUT_TEXT}\E/$ENV{MUT_REPL}/' "$file"
	if ! make -s all units > build.log 2>&1 < /dev/null; then
		echo "INVALID $id: does not build"
		sed -n 1,5p build.log
		invalid=$((invalid + 1))
		mv "$file.orig" "$file"
		touch "$file"
		continue
	fi
	total=$((total + 1))
	t0=$SECONDS
	by=
	tried=" "
	# its own tests first, one by one; then the unit tests; then the
	# other bats files, $jobs at a time, all stopped at the first failure
	rest=()
	for t in ${hint:-} "${fast[@]}"; do
		case $tried in *" $t "*) continue ;; esac
		tried="$tried$t "
		case " ${hint:-} " in
		*" $t "*) ;;
		*) case $t in *.bats) [ "$jobs" -gt 1 ] && { rest+=("$t"); continue; } ;; esac ;;
		esac
		if ! run_one "$t"; then
			by=$t
			break
		fi
	done
	if [ -z "$by" ] && [ "${#rest[@]}" -gt 0 ]; then
		rm -f joblog
		SHELL=$BASH parallel --will-cite --halt now,fail=1 -j "$jobs" --joblog joblog run_one ::: "${rest[@]}" \
			> /dev/null 2>&1 < /dev/null
		# the first that failed by itself (exit status, no signal from the halt)
		by=$(awk -F'\t' 'NR > 1 && $7 != 0 && $8 == 0 { print $9; exit }' joblog | sed 's/^run_one //')
	fi
	if [ -n "$by" ]; then
		killed=$((killed + 1))
		echo "killed   $id by $by ($((SECONDS - t0)) s)"
	else
		survivors+=("$id ($file: $text)")
		echo "SURVIVED $id ($((SECONDS - t0)) s)"
	fi
	mv "$file.orig" "$file"
	touch "$file"
done 3< "$top/$list"

echo "# survivors: ${#survivors[@]}"
for s in "${survivors[@]}"; do echo "#   $s"; done
[ "$invalid" -eq 0 ] || echo "# invalid mutations (not counted): $invalid"
if [ "$total" -gt 0 ]; then
	echo "mutation score: $killed of $total killed ($(awk -v k="$killed" -v t="$total" 'BEGIN { printf "%.1f", 100 * k / t }') %)"
fi
[ "$invalid" -eq 0 ] && [ "$total" -gt 0 ]
