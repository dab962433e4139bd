#!/bin/sh
# data-sweep.sh - run every Zeek log under the shared data folder through
# azw-extract two ways, and check that no record is lost:
#  - its own module (`-m TYPE`, the original schema where the module has
#    one), TYPE from the file's name, when azw-extract has such a module:
#    records in (non-blank lines that are not '#' headers) = records out +
#    records reported skipped + records of other log types, and each skip
#    reported with its line;
#  - the generic module, whatever its type, and on through the model:
#    `azw-extract -m any | azw-fit | azw-score`: the same balance, no
#    program failing, every vector scored once (a file of fewer than 10
#    vectors, too few for a model, is extracted only: "few").
# One pass: each file is decompressed once, and one awk per file counts
# its records and reads what the programs said.
#
# usage: sh tests/data-sweep.sh [DATA_DIR]
# DATA_DIR defaults to $AZW_DATA, then ../shared/data, then /work/shared/data.
# Prints one line per file: path, type, format, records in; then for its own
# module records out, skipped, of other types ("-" where there is no such
# module); then the generic module's log type, out, skipped, other, scored;
# then the check ("ok", "ok few", or what failed). Then the skip reasons
# (first three per file and module), then the totals.
# Exit status: 0 all balanced, 1 some file lost records or a program
# failed, 77 no data (skip).
cd "$(dirname "$0")/.." || exit 2
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
modules=$(azw-extract --help | sed -n '/^Modules:/,/^[^ ]/p' | awk '/^  [a-z]/ && $1 != "any" { print $1 }')
# the modules of AutoZeekWatch, which have an original schema
originals=" conn dns http ssh ssl "

# The log type a file holds, in t: the module name found leftmost in its
# name (btest baselines name it after "__":
# scripts.base.protocols.ssh.basic__conn.2016.log holds conn); empty when
# no module's name is in it. (A variable, not an echo: no subshell a file.)
log_type() {
	b=${1##*/}
	case $b in *__*) b=${b#*__} ;; esac
	best= at=100000
	for m in $modules; do
		case $b in
		*"$m"*)
			pre=${b%%"$m"*}
			[ ${#pre} -lt "$at" ] && at=${#pre} && best=$m
			;;
		esac
	done
	t=$best
}

# One file's row, from what the programs wrote: awk reads the input (its
# format and records), then each program's output and messages.
summarize() {
	awk -v rel="$1" -v t="${2:--}" -v rc="$3" -v arc="$4" -v fitrc="$5" -v scorerc="$6" \
	    -v in_path="$in" -v totals="$tmp/totals" -v reasons="$tmp/reasons" '
	FILENAME == ARGV[1] {
		if ($0 ~ /^[ \t\r]*(#|$)/) {
			if (!first && $0 ~ /^[ \t]*#fields/) tsv = 1
			next
		}
		if (!first) { first = $0; sub(/^[ \t]+/, "", first) }
		in_++
		next
	}
	FILENAME == ARGV[2] { read_err($0, "t"); next }
	FILENAME == ARGV[3] { if ($0 !~ /^#/) out["t"]++; next }
	FILENAME == ARGV[4] { read_err($0, "a"); next }
	FILENAME == ARGV[5] {
		if ($0 ~ /^#module\t/) { sub(/^#module\t/, ""); amod = $0 }
		else if ($0 !~ /^#/) out["a"]++
		next
	}
	FILENAME == ARGV[6] { if (!fitmsg) fitmsg = $0; next }
	FILENAME == ARGV[7] { if (!scoremsg) scoremsg = $0; next }
	FILENAME == ARGV[8] { scored++; next }
	function read_err(l, k,   n) {
		if (l ~ /^azw-extract: [0-9]+ of [0-9]+ records skipped$/) {
			split(l, w, " "); skipped[k] = w[2] + 0
		} else if (l ~ /^azw-extract: [0-9]+ records of other log types/) {
			split(l, w, " "); other[k] = w[2] + 0
		} else if (substr(l, 1, length(pfx)) == pfx && l ~ /^azw-extract: [^ ]*:[0-9]+: /) {
			reported[k]++
			if (++nreason[k] <= 3) {
				l = "azw-extract: " rel ":" substr(l, length(pfx) + 1)
				print "(" (k == "t" ? t : "any") ") " l >> reasons
			}
		} else if (l ~ /^azw-extract: \.\.\. and [0-9]+ more like: /) {
			split(l, w, " "); reported[k] += w[4]
		}
	}
	BEGIN { pfx = "azw-extract: " in_path ":" }
	END {
		if (first ~ /^\{"_path"/) fmt = "json-streaming"
		else if (first ~ /^\{"[^"]*":\{/) fmt = "kafka"
		else if (first ~ /^\{/) fmt = "json"
		else fmt = tsv ? "tsv" : "other"
		check = "ok"
		if (t != "-") {
			if (out["t"] + skipped["t"] + other["t"] != in_)
				check = "LOST " (in_ - out["t"] - skipped["t"] - other["t"]) " (" t ")"
			else if (reported["t"] != skipped["t"])
				check = "REPORTED " (reported["t"] + 0) " != " (skipped["t"] + 0) " (" t ")"
			else if (rc == 2)
				check = "exit 2 (" t ")"
		}
		if (check == "ok") {
			if (out["a"] + skipped["a"] + other["a"] != in_)
				check = "LOST " (in_ - out["a"] - skipped["a"] - other["a"]) " (any)"
			else if (arc == 2 || (arc == 1 && !skipped["a"]))
				check = "extract exit " arc " (any)"
			else if (out["a"] < 10)
				check = "ok few"
			else if (fitrc != 0 && fitrc != 1)
				check = "fit failed: " fitmsg
			else if (scorerc != 0)
				check = "score failed: " scoremsg
			else if (scored != out["a"])
				check = "SCORED " (scored + 0) " of " (out["a"] + 0)
		}
		if (t == "-") tcols = sprintf("%-11s %7s %7s %7s", "-", "-", "-", "-")
		else tcols = sprintf("%-11s %7d %7d %7d", t, out["t"], skipped["t"], other["t"])
		printf "%-76s %-14s %7d %s %-12s %7d %7d %7d %7s %s\n", rel, fmt, in_, tcols,
		       amod == "" ? "-" : amod, out["a"], skipped["a"], other["a"],
		       out["a"] < 10 ? "-" : scored + 0, check
		print in_ + 0, (t == "-" ? 0 : out["t"] + 0), (t == "-" ? 0 : skipped["t"] + 0),
		      out["a"] + 0, skipped["a"] + 0, other["a"] + 0, scored + 0, (t == "-" ? 0 : 1) >> totals
		exit check !~ /^ok/
	}' "$in" "$tmp/err" "$tmp/out" "$tmp/aerr" "$tmp/aout" "$tmp/fiterr" "$tmp/scoreerr" "$tmp/scores"
}

printf '%-76s %-14s %7s %-11s %7s %7s %7s %-12s %7s %7s %7s %7s %s\n' file format in type out skipped other \
	any-log out skipped other scored check
find "$data" -type f \( -name '*.log' -o -name '*.log.gz' -o -name '*.json' -o -name '*.json.gz' \
	-o -name '*.labeled' \) | LC_ALL=C sort > "$tmp/files"
bad=0
: > "$tmp/reasons"
: > "$tmp/totals"
while IFS= read -r f; do
	rel=${f#"$data"/}
	log_type "$f"
	# a gzip file decompressed once; a plain one read where it is
	in=$f
	case $f in *.gz) in=$tmp/in && gzip -dc "$f" > "$in" ;; esac
	: > "$tmp/err"
	: > "$tmp/out"
	: > "$tmp/fiterr"
	: > "$tmp/scoreerr"
	: > "$tmp/scores"
	rc=0 fitrc=0 scorerc=0
	if [ -n "$t" ]; then
		case $originals in *" $t "*) schema="--schema original" ;; *) schema= ;; esac
		azw-extract -m "$t" $schema "$in" > "$tmp/out" 2> "$tmp/err"
		rc=$?
	fi
	azw-extract -m any "$in" > "$tmp/aout" 2> "$tmp/aerr"
	arc=$?
	# the feature map from a tenth of the stream, at most the default's 5000
	n=$(grep -c -v '^#' "$tmp/aout")
	if [ "$n" -ge 10 ]; then
		g=$((n / 10))
		[ "$g" -le 5000 ] || g=5000
		azw-fit -q --fm-grace "$g" -o "$tmp/model" "$tmp/aout" 2> "$tmp/fiterr"
		fitrc=$?
		if [ "$fitrc" -le 1 ]; then
			azw-score "$tmp/model" "$tmp/aout" > "$tmp/scores" 2> "$tmp/scoreerr"
			scorerc=$?
		fi
	fi
	summarize "$rel" "$t" "$rc" "$arc" "$fitrc" "$scorerc" || bad=1
done < "$tmp/files"
echo
echo "skip reasons (first three per file and module):"
sed 's/^/  /' "$tmp/reasons"
awk '{ n++; i += $1; o += $2; s += $3; ao += $4; as += $5; at += $6; c += $7; typed += $8 }
END { printf "\n%d files run: %d records in; %d files by their own module: %d out, %d skipped;", n, i, typed, o, s
      printf " all by -m any: %d out, %d skipped, %d of other log types, %d scored\n", ao, as, at, c }' "$tmp/totals"
exit $bad
