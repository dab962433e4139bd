#!/usr/bin/env bats
# bench/fields, the raw fields make bench has jq project as the yardstick
# for azw-extract, against what azw-extract really reads: a field is read
# if removing it from every record changes the vector stream. Each list
# must hold every such field of the module's real records, and nothing
# its module's source (or the id columns') does not name.

load helpers

ROOT="$BATS_TEST_DIRNAME/.."

# read_fields MODULE: the keys of the first 300 golden records of MODULE
# whose removal changes azw-extract's output, one per line, sorted.
# (The records without each key written by one jq and one awk, not a jq
# and an md5sum per key.)
read_fields() {
	local m=$1 in="$TMP/$1.json" d="$TMP/$1.del" k
	gzip -dc "$GOLDEN/$m.input.jsonl.gz" | head -n 300 > "$in"
	azw-extract -m "$m" "$in" > "$TMP/$m.base"
	mkdir "$d"
	jq -nrc '[inputs] as $r | ($r | map(keys_unsorted[]) | unique[]) as $k
		| $r[] | "\($k)\t\(del(.[$k]) | tojson)"' "$in" |
		awk -F'\t' -v d="$d" '{ print substr($0, length($1) + 2) > (d "/" $1) }'
	for k in "$d"/*; do
		azw-extract -m "$m" "$k" > "$TMP/$m.out" 2> /dev/null || true
		cmp -s "$TMP/$m.out" "$TMP/$m.base" || echo "${k##*/}"
	done | sort
}

listed() {
	awk -v m="$1" '$1 == m { for (i = 2; i <= NF; i++) print $i }' "$ROOT/bench/fields" | sort
}

check_module() {
	local m=$1 missing extra f
	read_fields "$m" > "$TMP/read"
	listed "$m" > "$TMP/listed"
	[ -s "$TMP/read" ] && [ -s "$TMP/listed" ]
	missing=$(comm -23 "$TMP/read" "$TMP/listed")
	[ -z "$missing" ] || { echo "$m reads, bench/fields lacks: $missing"; return 1; }
	# listed but not seen read (absent from these records): named in code
	extra=$(comm -13 "$TMP/read" "$TMP/listed")
	for f in $extra; do
		grep -q "\"$f\"" "$ROOT/src/modules/$m.c" "$ROOT/src/azw-extract.c" ||
			{ echo "$m: bench/fields lists $f, which nothing reads"; return 1; }
	done
}

@test "bench/fields: conn lists exactly the fields azw-extract reads" {
	check_module conn
}

@test "bench/fields: dns lists exactly the fields azw-extract reads" {
	check_module dns
}

@test "bench/fields: http lists exactly the fields azw-extract reads" {
	check_module http
}

@test "bench/fields: ssh lists exactly the fields azw-extract reads" {
	check_module ssh
}

@test "bench/fields: ssl lists exactly the fields azw-extract reads" {
	check_module ssl
}
