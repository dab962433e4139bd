#!/usr/bin/env bats
# Parity with the original AutoZeekWatch + KitNET-py (pysad 0.2.0) through the
# command line: the golden run's parameters, every score bit for bit.

load helpers

# compare_scores SCORES GOLDEN: every score equals the golden execute_score
compare_scores() {
	jq -r '.score' "$1" > "$TMP/ours"
	gzip -dc "$2" | tail -n +2 | cut -f 3 > "$TMP/theirs"
	[ "$(wc -l < "$TMP/ours")" -eq 10167 ]
	paste "$TMP/ours" "$TMP/theirs" | awk -F'\t' '
		{ d = $1 - $2; if (d != 0) bad++; r = d / $2; if (r < 0) r = -r; if (r > max) max = r }
		END { printf "mismatches %d of %d, max relative diff %g\n", bad, NR, max; exit bad != 0 }'
}

@test "fit + score of the golden vectors match KitNET-py bit for bit (max-ae 30)" {
	golden_vectors > "$TMP/v"
	azw-fit --compat --fm-grace 500 --ad-grace 2000 --max-ae 30 -o "$TMP/m" "$TMP/v"
	azw-score "$TMP/m" "$TMP/v" > "$TMP/s"
	compare_scores "$TMP/s" "$GOLDEN/kitnet-ae30-glibcexp.scores.tsv.gz"
}

@test "fit + score of the golden vectors match KitNET-py bit for bit (max-ae 5)" {
	golden_vectors > "$TMP/v"
	azw-fit --compat --fm-grace 500 --ad-grace 2000 --max-ae 5 -o "$TMP/m" "$TMP/v"
	azw-score "$TMP/m" "$TMP/v" > "$TMP/s"
	compare_scores "$TMP/s" "$GOLDEN/kitnet-ae5-glibcexp.scores.tsv.gz"
}

@test "the whole pipeline on raw Zeek JSON gives KitNET-py's scores bit for bit" {
	gzip -dc "$GOLDEN/conn.input.jsonl.gz" | azw-extract -m CONN --schema original > "$TMP/v"
	azw-fit --compat --fm-grace 500 --ad-grace 2000 --max-ae 30 -o "$TMP/m" "$TMP/v"
	azw-score "$TMP/m" "$TMP/v" > "$TMP/s"
	compare_scores "$TMP/s" "$GOLDEN/kitnet-ae30-glibcexp.scores.tsv.gz"
	# and the score lines carry the records' own identity
	head -n 1 "$TMP/s" | jq -e '.uid == "CHLXQF2OBY4onAR0Ug" and ."id.resp_p" == 443 and .ts == 1655071198.444458'
}
