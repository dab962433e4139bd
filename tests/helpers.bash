# Shared by the bats files: paths, fixtures, small assertions.
DATA="$BATS_TEST_DIRNAME/data"
GOLDEN="$DATA/golden"

# differ A B: the two files differ (a "! cmp" in the middle of a test cannot
# fail it: bash's set -e ignores a negated command).
differ() {
	local rc=0
	cmp -s "$1" "$2" || rc=$?
	[ "$rc" -eq 1 ] || { echo "differ $1 $2: cmp says $rc (1: they differ)"; return 1; }
}

# wait_for SECONDS 'CONDITION': until the shell condition holds (tried every
# 0.1 s), for at most SECONDS; fails, saying so, if it never does. For what
# takes a moment on a loaded machine: a generous deadline, never a fixed sleep.
wait_for() {
	local deadline=$((SECONDS + $1))
	until eval "$2"; do
		if [ "$SECONDS" -ge "$deadline" ]; then
			echo "wait_for: not true after $1 s: $2"
			return 1
		fi
		sleep 0.1
	done
}

# sanitizer_build: the programs on PATH are AddressSanitizer's build.
# (Asked once per test: grep reads the whole binary.)
sanitizer_build() {
	if [ -z "${azw_sanitized:-}" ]; then
		azw_sanitized=no
		! grep -q __asan_init "$(command -v azw-extract)" || azw_sanitized=yes
	fi
	[ "$azw_sanitized" = yes ]
}

# LeakSanitizer looks for leaks at every exit of an AddressSanitizer
# program, which doubles what a short run costs. The error paths, where
# leaks hide, are what the bad-input, fault and stream tests run: leaks are
# looked for there (and in the C unit tests, and in valgrind's runs of
# 82-valgrind.bats), not in the other files' thousands of runs of the same
# code.
case ${BATS_TEST_FILENAME##*/} in
80-bad-input.bats | 81-faults.bats | 83-stream.bats) ;;
*) [ -z "${ASAN_OPTIONS:-}" ] || export ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0" ;;
esac

# finite VECTORS: every feature value (after the seven identity columns) of
# every row a finite number as azw writes them (a small one may be 9.9e-05);
# else the first row that is not, and status 1. (grep: five times faster
# than awk's field loop, which cost the real-file sweeps more than
# azw-extract did.)
finite() {
	local n='-?[0-9]+(\.[0-9]+)?(e-[0-9]+)?' t=$'\t' bad
	bad=$(LC_ALL=C grep -v '^#' "$1" | LC_ALL=C grep -Ev -m 1 "^([^$t]*$t){7}($n$t)*$n\$") || true
	[ -z "$bad" ] || { echo "not a finite number in: ${bad:0:300}"; return 1; }
}

# balanced_finite IN ERR OUT: azw-extract's run on IN (messages in ERR,
# vectors in OUT) lost no record (rows out = records in, the lines neither
# blank nor '#', less the "N of M records skipped" of ERR) and wrote only
# finite feature values, as finite checks; else says which and status 1.
# (One awk for what took six processes a file in the real-file sweep.)
balanced_finite() {
	LC_ALL=C awk -v in_path="$1" '
	BEGIN {
		n = "-?[0-9]+(\\.[0-9]+)?(e-[0-9]+)?"; num = "^(" n "\t)*" n "$"
		id = "^[^\t]*\t[^\t]*\t[^\t]*\t[^\t]*\t[^\t]*\t[^\t]*\t[^\t]*\t"
	}
	FILENAME == ARGV[1] { if ($0 ~ /^[^#]/) in_++; next }
	FILENAME == ARGV[2] {
		if ($0 ~ /: [0-9]+ of [0-9]+ records skipped$/) { k = split($0, w, " "); skipped = w[k - 4] }
		next
	}
	/^#/ { next }
	{
		out++; v = $0
		if (!sub(id, "", v) || v !~ num) { print "not a finite number in: " substr($0, 1, 300); bad = 1; exit 1 }
	}
	END {
		if (bad) exit 1
		if (out != in_ - skipped) { printf "%s: %d records in, %d skipped, %d out\n", in_path, in_, skipped, out; exit 1 }
	}' "$1" "$2" "$3"
}

# brim_dir: the folder of brim-wrccdc's logs in ../shared/data (or
# /work/shared/data), the one with other-types/; nothing where it is absent.
brim_dir() {
	local c
	for c in "$BATS_TEST_DIRNAME/../../shared/data" /work/shared/data; do
		[ -d "$c/brim-wrccdc/other-types" ] && { echo "$c/brim-wrccdc"; return; }
	done
}

# need_brim: BRIM set to brim_dir's folder, or the test skipped.
need_brim() {
	BRIM=$(brim_dir)
	[ -n "$BRIM" ] || skip "no ../shared/data"
}

# shared_text FILE...: the logs' text (gzip or plain), whole in the plain
# pass; in the sanitizer pass their header lines and first
# $AZW_SANITIZER_RECORDS (5000) records: every file's kinds of records go
# through the sanitizers, the plain pass reads every record (and
# AddressSanitizer's build is ten times slower on the whole files).
shared_text() {
	if sanitizer_build; then
		gzip -dcf "$@" | awk -v n="${AZW_SANITIZER_RECORDS:-5000}" '/^#/ || ++k <= n'
	else
		gzip -dcf "$@"
	fi
}

# sanitizer_sample < FILES > FILES: a sorted list of shared log files, all
# of them in the plain pass; in the sanitizer pass the first of each log
# type in each folder (the folders hold a sensor's hours of one kind of
# log, and an AddressSanitizer program's start and exit cost more than
# what it reads from a small file).
sanitizer_sample() {
	if sanitizer_build; then
		awk '{ d = $0; sub(/\/[^\/]*$/, "", d); t = $0; sub(/.*\//, "", t)
			sub(/^brim_/, "", t); sub(/[^a-z].*/, "", t)
			if (!((d, t) in seen)) { seen[d, t] = 1; print } }'
	else
		cat
	fi
}

setup() {
	TMP="$BATS_TEST_TMPDIR"
}

# The golden KitNET input as a vector stream: KitNET's 34 conn features
# (schema original) with made-up identity columns.
golden_vectors() {
	awk -F'\t' 'NR == 1 { next }
	NR == 2 {
		printf "#separator \\x09\n#azw-vectors\t1\n#module\tconn\n#schema\toriginal\n"
		printf "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto"
		for (i = 1; i <= NF; i++) printf "\t%s", $i
		print ""; next
	}
	{
		printf "%d.%06d\tC%07d\t10.0.0.1\t%d\t192.0.2.7\t443\ttcp", 1600000000 + NR, NR, NR, 1024 + NR
		for (i = 1; i <= NF; i++) printf "\t%s", $i
		print ""
	}' <(gzip -dc "$GOLDEN/kitnet-conn.input.tsv.gz")
}

# First N rows of the golden stream (header included).
golden_head() {
	golden_vectors | head -n $((5 + $1))
}

# jq -e passes on empty input (jq 1.6: `echo "" | jq -e false` exits 0), so
# an assertion on a line that was never written would pass. With -e, no
# output at all is a failure here (status 4, as jq's own "no result").
jq() {
	local a e=0 out rc
	for a in "$@"; do
		case $a in
		--*) ;;
		-*e*) e=1 ;;
		esac
	done
	[ "$e" = 1 ] || { command jq "$@"; return; }
	out=$(command jq "$@")
	rc=$?
	[ -z "$out" ] || printf '%s\n' "$out"
	[ "$rc" -eq 0 ] || return "$rc"
	[ -n "$out" ] || { echo "jq -e: no output (empty input?)" >&2; return 4; }
}
