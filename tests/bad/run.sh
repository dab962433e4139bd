#!/bin/bash
# tests/bad/run.sh [-s] CASE... - run bad-input cases (see README) with the
# azw programs first on PATH; print "ok CASE" or "FAIL CASE: why" per case;
# exit 1 if any failed. -s: show what each case does (status, rows, stderr)
# instead of checking, for writing a new case's expectations.
#
# A case NNN-name is NNN-name.in (the input) or NNN-name.gen (bash that
# writes it to stdout), NNN-name.args (the command line), NNN-name.status
# (the exit status), NNN-name.stderr (extended regular expressions, one a
# line, each of which stderr must match) and optionally NNN-name.rows (the
# records that must still come out: data lines on stdout, or for azw-fit
# the model's "records"). In .args: @IN the input as a file argument
# (else it is stdin), @OUT a model to write, @MODEL2 a good 2-feature model
# (of _v2.vec), @V2 a good vector stream for it (_v2.vec).
BAD=$(cd "$(dirname "$0")" && pwd)
export BAD
show=0
[ "$1" = -s ] && { show=1; shift; }
work=${BAD_TMP:-$(mktemp -d)}
mkdir -p "$work"
export MODEL2="$work/_m2"

# A model's text (stdin, its checksum line dropped) with the right CRC-32:
# gzip's trailer holds the CRC-32 of its input, least significant byte first.
fixcrc() {
	local t crc
	t=$(mktemp)
	grep -v '^checksum	' > "$t"
	crc=$(gzip -c < "$t" | tail -c 8 | head -c 4 | od -An -tx1 | awk '{ print $4 $3 $2 $1 }')
	cat "$t"
	printf 'checksum\tcrc32\t%s\n' "$crc"
	rm -f "$t"
}
export -f fixcrc

if [ ! -s "$MODEL2" ]; then
	azw-fit -q --fm-grace 10 -o "$MODEL2" "$BAD/_v2.vec" 2> "$work/_m2.err" ||
		{ echo "FAIL setup: azw-fit of _v2.vec: $(cat "$work/_m2.err")"; exit 1; }
fi

fails=0
for c in "$@"; do
	c=${c##*/}
	c=${c%%.*}
	in=$work/$c.in
	if [ -f "$BAD/$c.gen" ]; then
		bash "$BAD/$c.gen" > "$in" || { echo "FAIL $c: its .gen failed"; fails=$((fails + 1)); continue; }
	elif [ -f "$BAD/$c.in" ]; then
		in=$BAD/$c.in
	else
		echo "FAIL $c: no .in or .gen"; fails=$((fails + 1)); continue
	fi
	out=$work/$c.out
	[ ! -e "$work/$c.d" ] || rm -rf "$work/$c.d"
	mkdir -p "$work/$c.d"
	model=$work/$c.d/model
	read -r -a argv < "$BAD/$c.args"
	stdin=$in
	for i in "${!argv[@]}"; do
		case ${argv[$i]} in
		@IN) argv[$i]=$in; stdin=/dev/null ;;
		@OUT) argv[$i]=$model ;;
		@MODEL2) argv[$i]=$MODEL2 ;;
		@V2) argv[$i]=$BAD/_v2.vec ;;
		esac
	done
	"${argv[@]}" < "$stdin" > "$out" 2> "$out.err"
	status=$?
	# the records out, counted only where a .rows or -s asks
	rows=
	if [ $show = 1 ] || [ -f "$BAD/$c.rows" ]; then
		if [ "${argv[0]}" = azw-fit ]; then
			rows=$(awk -F'\t' '$1 == "records" { print $2 }' "$model" 2>/dev/null)
		else
			rows=$(grep -vac '^#' "$out")
		fi
	fi
	if [ $show = 1 ]; then
		echo "== $c: status $status, rows ${rows:-none}"
		head -c 2000 "$out.err"
		continue
	fi
	why=
	want=
	[ ! -f "$BAD/$c.status" ] || read -r want < "$BAD/$c.status"
	[ "$status" = "$want" ] || why="exit status $status, expected ${want:-(no .status)}"
	if [ -z "$why" ] && grep -qE 'AddressSanitizer|runtime error|LeakSanitizer|Segmentation' "$out.err"; then
		why="sanitizer report"
	fi
	if [ -z "$why" ] && [ -f "$BAD/$c.stderr" ]; then
		while IFS= read -r pat; do
			[ -n "$pat" ] || continue
			grep -qaE -- "$pat" "$out.err" || { why="stderr lacks /$pat/"; break; }
		done < "$BAD/$c.stderr"
	fi
	if [ -z "$why" ] && [ -f "$BAD/$c.rows" ]; then
		read -r want_rows < "$BAD/$c.rows"
		[ "$rows" = "$want_rows" ] || why="$rows records out, expected $want_rows"
	fi
	# a refused fit leaves nothing behind, not even a temporary file
	if [ -z "$why" ] && [ "${argv[0]}" = azw-fit ] && [ "$status" = 2 ] &&
	   [ -n "$(ls -A "$work/$c.d")" ]; then
		why="files left behind: $(ls -A "$work/$c.d")"
	fi
	if [ -n "$why" ]; then
		echo "FAIL $c: $why"
		sed 's/^/#   /' "$out.err" | head -c 1500
		fails=$((fails + 1))
	else
		echo "ok $c"
	fi
	rm -f "$work/$c.in" "$out"
done
[ -z "$BAD_TMP" ] && rm -rf "$work"
[ $fails -eq 0 ]
