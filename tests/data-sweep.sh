#!/bin/sh
# data-sweep.sh - run every Zeek log under the shared data folder through
# `azw-extract -m TYPE --schema original` and check that no record is lost:
# records in (non-blank lines that are not '#' headers) = records out +
# records reported skipped + records of other log types.
#
# With --any, every file goes through the generic module instead, whatever
# its type, and on through the model: `azw-extract -m any | azw-fit |
# azw-score`, checking as well that every vector is scored once and that no
# program fails (a file of fewer than 10 vectors, too few for a model, is
# extracted only: "few"). Columns "fit" and "scored" are added.
#
# usage: sh tests/data-sweep.sh [--any] [DATA_DIR]
# DATA_DIR defaults to $AZW_DATA, then ../shared/data, then /work/shared/data.
# Prints one line per file: path, type, format, in, out, skipped, other,
# then the skip reasons (first three per file), then the totals. A file whose
# module azw-extract does not have yet is listed as "no module".
# Exit status: 0 all balanced, 1 some file lost records, 77 no data (skip).
cd "$(dirname "$0")/.." || exit 2
any=
if [ "${1:-}" = --any ]; then
	any=1
	shift
fi
data=${1:-${AZW_DATA:-}}
if [ -z "$data" ]; then
	for d in ../shared/data /work/shared/data; do
		[ -d "$d" ] && data=$d && break
	done
fi
if [ -z "$data" ] || [ ! -d "$data" ]; then
	echo "data-sweep: no shared data folder (../shared/data): skipped"
	exit 77
fi
PATH="$PWD/bin:$PATH"
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
modules=$(azw-extract --help | sed -n '/^Modules:/,/^[^ ]/p' | awk '/^  [a-z]/ { print $1 }')

# The log type a file holds, from its name: btest baselines name it after
# "__" (scripts.base.protocols.ssh.basic__conn.2016.log holds conn).
log_type() {
	b=$(basename "$1")
	case $b in *__*) b=${b#*__} ;; esac
	echo "$b" | grep -o -E 'conn|dns|http|ssh|ssl' | head -n 1
}

# What the file's first record line looks like.
format_of() {
	l=$(grep -v -E '^[[:space:]]*(#|$)' "$1" | head -n 1 | sed 's/^[[:space:]]*//')
	case $l in
	'{"_path"'*) echo json-streaming ;;
	'{"'*'":{'*) echo kafka ;;
	'{'*) echo json ;;
	*) if grep -q '^[[:space:]]*#fields' "$1"; then echo tsv; else echo other; fi ;;
	esac
}

# --any: one file through azw-extract -m any | azw-fit | azw-score.
any_file() {
	azw-extract -m any "$tmp/in" > "$tmp/out" 2> "$tmp/err"
	rc=$?
	t=$(sed -n 's/^#module\t//p' "$tmp/out")
	out=$(grep -c -v '^#' "$tmp/out")
	skipped=$(sed -n 's/^azw-extract: \([0-9]*\) of [0-9]* records skipped$/\1/p' "$tmp/err")
	other=$(sed -n 's/^azw-extract: \([0-9]*\) records of other log types.*/\1/p' "$tmp/err")
	skipped=${skipped:-0}
	other=${other:-0}
	check=ok
	scored=-
	if [ $((out + skipped + other)) -ne "$in" ]; then
		check="LOST $((in - out - skipped - other))"
	elif [ "$rc" -eq 2 ] || { [ "$rc" -eq 1 ] && [ "$skipped" -eq 0 ]; }; then
		check="extract exit $rc"
	elif [ "$out" -lt 10 ]; then
		check="ok few"
	else
		# the feature map from a tenth of the stream, at most the default's 5000
		g=$((out / 10))
		[ "$g" -le 5000 ] || g=5000
		if ! azw-fit -q --fm-grace "$g" -o "$tmp/model" "$tmp/out" 2> "$tmp/fiterr"; then
			check="fit failed: $(head -n 1 "$tmp/fiterr")"
		elif ! azw-score "$tmp/model" "$tmp/out" > "$tmp/scores" 2> "$tmp/scoreerr"; then
			check="score failed: $(head -n 1 "$tmp/scoreerr")"
		else
			scored=$(wc -l < "$tmp/scores")
			[ "$scored" -eq "$out" ] || check="SCORED $scored of $out"
		fi
	fi
	case $check in ok*) ;; *) bad=1 ;; esac
	printf '%-80s %-12s %-14s %7s %7s %7s %7s %7s %s\n' "$1" "${t:--}" "$fmt" "$in" "$out" "$skipped" "$other" "$scored" "$check"
	echo "$in $out $skipped $other ${scored#-}" >> "$tmp/totals"
	grep "^azw-extract: $tmp/in:[0-9]*: " "$tmp/err" | sed "s|$tmp/in|$1|" | head -n 3 >> "$tmp/reasons"
}

if [ -n "$any" ]; then
	printf '%-80s %-12s %-14s %7s %7s %7s %7s %7s %s\n' file module format in out skipped other scored check
else
	printf '%-80s %-5s %-14s %7s %7s %7s %7s %s\n' file type format in out skipped other check
fi
find "$data" -type f \( -name '*.log' -o -name '*.log.gz' -o -name '*.json' -o -name '*.json.gz' \
	-o -name '*.labeled' \) | LC_ALL=C sort > "$tmp/files"
bad=0
: > "$tmp/reasons"
: > "$tmp/totals"
while IFS= read -r f; do
	rel=${f#"$data"/}
	t=$(log_type "$f")
	case $f in
	*.gz) gzip -dc "$f" > "$tmp/in" ;;
	*) cat "$f" > "$tmp/in" ;;
	esac
	fmt=$(format_of "$tmp/in")
	in=$(grep -c -v -E '^[[:space:]]*(#|$)' "$tmp/in")
	if [ -n "$any" ]; then
		any_file "$rel"
		continue
	fi
	if [ -z "$t" ]; then
		printf '%-80s %-5s %-14s %7s %7s %7s %7s %s\n' "$rel" - "$fmt" "$in" - - - "not conn/dns/http/ssh/ssl"
		continue
	fi
	if ! echo "$modules" | grep -qx "$t"; then
		printf '%-80s %-5s %-14s %7s %7s %7s %7s %s\n' "$rel" "$t" "$fmt" "$in" - - - "no module"
		continue
	fi
	azw-extract -m "$t" --schema original "$tmp/in" > "$tmp/out" 2> "$tmp/err"
	rc=$?
	out=$(grep -c -v '^#' "$tmp/out")
	skipped=$(sed -n 's/^azw-extract: \([0-9]*\) of [0-9]* records skipped$/\1/p' "$tmp/err")
	other=$(sed -n 's/^azw-extract: \([0-9]*\) records of other log types.*/\1/p' "$tmp/err")
	skipped=${skipped:-0}
	other=${other:-0}
	reported=$(grep -c "^azw-extract: $tmp/in:[0-9]*: " "$tmp/err")
	# past 100 of a kind, the rest are counted in one "... and N more like:" line
	more=$(sed -n 's/^azw-extract: \.\.\. and \([0-9]*\) more like: .*/\1/p' "$tmp/err" | awk '{ s += $1 } END { print s + 0 }')
	reported=$((reported + more))
	check=ok
	if [ $((out + skipped + other)) -ne "$in" ]; then
		check="LOST $((in - out - skipped - other))"
		bad=1
	elif [ "$reported" -ne "$skipped" ]; then
		check="REPORTED $reported != $skipped"
		bad=1
	elif [ "$rc" -eq 2 ]; then
		check="exit 2"
		bad=1
	fi
	printf '%-80s %-5s %-14s %7s %7s %7s %7s %s\n' "$rel" "$t" "$fmt" "$in" "$out" "$skipped" "$other" "$check"
	echo "$in $out $skipped $other" >> "$tmp/totals"
	grep "^azw-extract: $tmp/in:[0-9]*: " "$tmp/err" | sed "s|$tmp/in|$rel|" | head -n 3 >> "$tmp/reasons"
done < "$tmp/files"
echo
echo "skip reasons (first three per file):"
sed 's/^/  /' "$tmp/reasons"
awk -v any="$any" '{ n++; i += $1; o += $2; s += $3; t += $4; c += $5 }
END { printf "\n%d files run: %d records in, %d out, %d skipped, %d of other log types%s\n", n, i, o, s, t,
      any ? sprintf(", %d scored", c) : "" }' "$tmp/totals"
exit $bad
