#!/usr/bin/env bats
# Scaling out on one machine: azw-extract | parallel --pipe azw-score gives
# the same score lines as one azw-score (examples/parallel-score.sh).

load helpers

# the vectors and model both tests score: made once for the file
setup_file() {
	if ! command -v parallel > /dev/null; then
		if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
			apt-get install -y -q parallel > /dev/null 2>&1 ||
				{ apt-get update -q > /dev/null 2>&1 && apt-get install -y -q parallel > /dev/null 2>&1; } || true
		fi
	fi
	gzip -dc "$DATA/conn/ctu-010.conn.json.gz" | azw-extract -m conn > "$BATS_FILE_TMPDIR/v"
	azw-fit -q --fm-grace 500 -o "$BATS_FILE_TMPDIR/m" "$BATS_FILE_TMPDIR/v" 2> /dev/null
}

setup() {
	TMP="$BATS_TEST_TMPDIR"
	command -v parallel > /dev/null || skip "GNU parallel is not installed (Debian: apt-get install parallel)"
	V=$BATS_FILE_TMPDIR/v M=$BATS_FILE_TMPDIR/m
}

@test "parallel --pipe azw-score over several blocks: the same set of score lines as one azw-score" {
	azw-score "$M" "$V" > "$TMP/one"
	# Small blocks: about 20 of them, each with the stream's header.
	parallel --will-cite --pipe --block 100k --header '(#.*\n)*' -j 4 azw-score "$M" \
		< "$V" > "$TMP/par"
	[ "$(wc -l < "$TMP/one")" -eq 5347 ]
	diff <(sort "$TMP/one") <(sort "$TMP/par")
	n=$(parallel --will-cite --pipe --block 100k --header '(#.*\n)*' -j 4 'grep -c "^#azw-vectors"' < "$V" | wc -l)
	[ "$n" -gt 5 ]
}

@test "examples/parallel-score.sh: the same lines in the same order, options passed on" {
	ex="$BATS_TEST_DIRNAME/../examples/parallel-score.sh"
	azw-score --explain "$M" "$V" > "$TMP/one"
	AZW_BLOCK=100k AZW_JOBS=3 sh "$ex" "$M" --explain < "$V" > "$TMP/par"
	cmp "$TMP/one" "$TMP/par"
	run sh "$ex" "$TMP/nonexistent"
	[ "$status" -eq 2 ]
	[[ "$output" == *"nonexistent: cannot read the model"* ]]
}
