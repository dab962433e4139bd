#!/usr/bin/env bats
# valgrind memcheck over a whole extract | fit | score run on a real log:
# no invalid read or write, no use of uninitialised memory, no leak.

load helpers

# valgrind cannot run AddressSanitizer's build: that one checks itself.
memcheck_ready() {
	command -v valgrind > /dev/null || skip "valgrind is not installed"
	! sanitizer_build || skip "sanitizer build: valgrind runs on the plain one"
}

vg() {
	valgrind --tool=memcheck --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
		--track-origins=yes --log-file="$TMP/vg.$1.%p" "${@:2}"
}

# Each valgrind log: no errors, nothing definitely or indirectly lost.
clean_logs() {
	local f n=0
	for f in "$TMP"/vg.$1.*; do
		n=$((n + 1))
		grep -q 'ERROR SUMMARY: 0 errors' "$f" || { cat "$f" >&2; return 1; }
		if grep -q 'definitely lost:' "$f"; then
			grep -q 'definitely lost: 0 bytes' "$f" && grep -q 'indirectly lost: 0 bytes' "$f" ||
				{ cat "$f" >&2; return 1; }
		else
			grep -q 'All heap blocks were freed\|no leaks are possible' "$f" || { cat "$f" >&2; return 1; }
		fi
	done
	[ "$n" -ge 1 ]
}

@test "valgrind: extract | fit | score over a real conn log is clean" {
	memcheck_ready
	vg extract azw-extract -m conn "$DATA/conn/ctu-008-mixed.head200.conn.json" > "$TMP/v"
	clean_logs extract
	vg fit azw-fit -q --fm-grace 50 -o "$TMP/m" "$TMP/v"
	clean_logs fit
	vg score azw-score --explain "$TMP/m" "$TMP/v" > "$TMP/s"
	clean_logs score
	[ "$(wc -l < "$TMP/s")" -eq "$(grep -vc '^#' "$TMP/v")" ]
	[ "$(wc -l < "$TMP/s")" -gt 150 ]
}

@test "valgrind: TSV and hostile lines through azw-extract, a damaged model through azw-score" {
	memcheck_ready
	{ cat "$DATA/formats/zat.conn.head12.log"; cat "$BATS_TEST_DIRNAME/bad/001-json-nul-byte.in"
	  printf '{"ts":1.0,"x":'; printf '[%.0s' $(seq 100); printf ']%.0s' $(seq 100); echo '}'; } > "$TMP/log"
	run vg extract azw-extract -m conn "$TMP/log"
	[ "$status" -eq 1 ]
	clean_logs extract
	azw-fit -q --fm-grace 10 -o "$TMP/m" "$BATS_TEST_DIRNAME/bad/_v2.vec"
	head -c 700 "$TMP/m" > "$TMP/t"
	run vg score azw-score "$TMP/t" "$BATS_TEST_DIRNAME/bad/_v2.vec"
	[ "$status" -eq 2 ]
	clean_logs score
	# a model with a bad weight passes the checksum and fails in the parser
	sed 's/^vbias\t/vbias\tnan\t/' "$TMP/m" | grep -v '^checksum' > "$TMP/t"
	printf 'checksum\tcrc32\t%s\n' "$(gzip -c < "$TMP/t" | tail -c 8 | head -c 4 |
		od -An -tx1 | awk '{ print $4 $3 $2 $1 }')" >> "$TMP/t"
	rm -f "$TMP"/vg.score.*
	run vg score azw-score "$TMP/t" "$BATS_TEST_DIRNAME/bad/_v2.vec"
	[ "$status" -eq 2 ]
	[[ "$output" == *"invalid model"* ]]
	clean_logs score
}

@test "valgrind: azw-alert over real score lines, hostile lines, and eviction under a small cap" {
	memcheck_ready
	azw-extract -m conn "$DATA/conn/ctu-008-mixed.head200.conn.json" > "$TMP/v"
	azw-fit -q --fm-grace 50 -o "$TMP/m" "$TMP/v"
	azw-score --explain "$TMP/m" "$TMP/v" > "$TMP/s"
	# the real lines, then hostile ones, then a host whose every record is unusual
	{
		cat "$TMP/s"
		echo '{"ts":1,"id.orig_h":"x","pvalue":0.5,"explain":[[[[[[[[[[]]]]]]]]]]}'
		printf '{"ts":1,"id.orig_h":"%s","pvalue":0}\n' "$(printf 'a%.0s' $(seq 60))"
		echo '{"ts":1e400,"id.orig_h":"x","pvalue":0}'
		echo '{"ts":"2024-01-01T00:00:00Z","id.orig_h":"x","pvalue":0,"uid":"\u0041\"'
		for i in $(seq 20); do
			echo "{\"ts\":$((1700000000 + i)),\"uid\":\"C$i\",\"id.orig_h\":\"10.9.9.9\",\"id.resp_h\":\"10.0.0.$i\",\"module\":\"conn\",\"pvalue\":0.001,\"explain\":[{\"feature\":\"f$((i % 11))\"}]}"
		done
	} > "$TMP/in"
	run vg alert azw-alert --max-keys 5 "$TMP/in"
	[ "$status" -eq 1 ]
	clean_logs alert
	echo "$output" | grep -q '"id.orig_h":"10.9.9.9"'
}
