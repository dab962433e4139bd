#!/bin/sh
# fuzz/run.sh SECONDS FUZZER... - run each libFuzzer harness for SECONDS on
# its seeds (fuzz/seeds/NAME, read only) and a working corpus
# (build/fuzz/corpus/NAME, grows); crashers go to build/fuzz/artifacts/.
# Prints one line per harness: executions, seconds, crashes. Exit 1 if any
# harness found something.
secs=${1:-60}
shift
cd "$(dirname "$0")/.." || exit 2
mkdir -p build/fuzz/artifacts build/fuzz/logs
status=0
for f in "$@"; do
	name=${f##*/fuzz_}
	case $name in
	model) maxlen=262144 ;;
	*) maxlen=65536 ;;
	esac
	dict=
	[ -f "fuzz/$name.dict" ] && dict="-dict=fuzz/$name.dict"
	mkdir -p "build/fuzz/corpus/$name"
	# first the crashers found before (fuzz/regress/NAME): each must pass
	if ls "fuzz/regress/$name"/* > /dev/null 2>&1; then
		if ! "$f" -timeout=10 -rss_limit_mb=512 "fuzz/regress/$name"/* > build/fuzz/logs/$name.regress.txt 2>&1; then
			echo "fuzz_$name: a recorded crasher fails again (build/fuzz/logs/$name.regress.txt)"
			status=1
			continue
		fi
	fi
	log=build/fuzz/logs/$name.$(date +%Y%m%d-%H%M%S).log
	"$f" -max_total_time="$secs" -timeout=10 -rss_limit_mb=512 -max_len=$maxlen \
		-print_final_stats=1 -artifact_prefix="build/fuzz/artifacts/$name-" $dict \
		"build/fuzz/corpus/$name" "fuzz/seeds/$name" > "$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	echo "fuzz_$name: ${execs:-?} executions in ${secs}s, exit $rc (log: $log)"
	if [ "$rc" -ne 0 ]; then
		status=1
		grep -E '^(==[0-9]+==ERROR|SUMMARY|artifact_prefix|Test unit written)' "$log" | head -n 5
	fi
done
exit $status
