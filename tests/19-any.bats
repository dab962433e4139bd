#!/usr/bin/env bats
# azw-extract's generic module (-m any, -m LOGTYPE): columns from the log's
# own field types, on real logs of types without a module of their own
# (tests/data/any, from brim-wrccdc) and on hand-made records of each type.

load helpers

ANY="$DATA/any"
FMT="$DATA/formats"

# The features of the records on stdin (extract options in "$@"), one
# "name value" line per feature, records in order.
feat() {
	azw-extract "$@" | awk -F'\t' '
	/^#fields/ { for (i = 2; i <= NF; i++) name[i - 1] = $i; next }
	/^#/ { next }
	{ for (i = 8; i <= NF; i++) print name[i], $i }'
}

# The features of record $1 alone (extract options in the rest).
featn() {
	local n=$1
	shift
	azw-extract "$@" | awk -F'\t' -v n="$n" '
	/^#fields/ { for (i = 2; i <= NF; i++) name[i - 1] = $i; next }
	/^#/ { next }
	++r == n { for (i = 8; i <= NF; i++) print name[i], $i }'
}

# The value of feature $2 in feat output $1 (one record).
val() {
	awk -v k="$2" '$1 == k { print $2; n++ } END { if (n != 1) print "MISSING:" k }' <<< "$1"
}

# The sum of a vocabulary field's 8 bucket columns.
hsum() {
	awk -v k="$2" 'index($1, k ".h") == 1 { s += $2; n++ } END { print (n == 8 ? s : "MISSING:" k) }' <<< "$1"
}

# Which bucket columns of field $2 are set, as a word ("h1h5").
hset() {
	awk -v k="$2" 'index($1, k ".h") == 1 && $2 == 1 { w = w substr($1, length(k) + 2) } END { print w }' <<< "$1"
}

records() { grep -vc '^#' "$1"; }

@test "any: a log without a module (rdp): header says module rdp, schema generic; columns by type; no record lost" {
	azw-extract -m any "$ANY/rdp.log" > "$TMP/a"
	grep -qx $'#module\trdp' "$TMP/a"
	grep -qx $'#schema\tgeneric' "$TMP/a"
	[ "$(records "$TMP/a")" -eq "$(records "$ANY/rdp.log")" ]
	fields=$(grep '^#fields' "$TMP/a" | tr '\t' '\n')
	for c in orig_local resp_local cookie.len cookie.ent result.h0 result.h7 client_channels.n \
	         desktop_width cert_permanent src_rate_1000s src_fail_1000s; do
		grep -qx "$c" <<< "$fields" || { echo "no column $c"; return 1; }
	done
	# identity columns are not features
	! grep -qx 'uid' <<< "$(sed 1,7d <<< "$fields")"
	# for a log type without a module of its own (rdp has one now:
	# 19b-lateral.bats), -m TYPE and no -m give the generic stream too
	azw-extract -m any "$ANY/notice.log" > "$TMP/n"
	grep -qx $'#schema\tgeneric' "$TMP/n"
	azw-extract -m notice "$ANY/notice.log" | cmp - "$TMP/n"
	azw-extract "$ANY/notice.log" | cmp - "$TMP/n"
}

@test "any: every fixture log goes through extract | fit | score, each record scored once" {
	for t in rdp kerberos x509 smtp weird notice ntlm; do
		azw-extract -m any "$ANY/$t.log" > "$TMP/$t.vec"
		[ "$(records "$TMP/$t.vec")" -eq "$(records "$ANY/$t.log")" ]
		azw-fit -q --fm-grace 5 -o "$TMP/$t.model" "$TMP/$t.vec"
		azw-score "$TMP/$t.model" "$TMP/$t.vec" > "$TMP/$t.scores"
		[ "$(wc -l < "$TMP/$t.scores")" -eq "$(records "$ANY/$t.log")" ]
		grep -q "\"module\":\"$t\"" "$TMP/$t.scores"
	done
}

@test "any: JSON and TSV of the same records give the same stream, byte for byte (dns, ssl, ssh)" {
	for t in dns ssl ssh; do
		gzip -dc "$FMT/brim_$t.head150.json.gz" | azw-extract -m any > "$TMP/j"
		gzip -dc "$FMT/brim_$t.head150.log.gz" | azw-extract -m any > "$TMP/t"
		[ "$(records "$TMP/j")" -eq "$(gzip -dc "$FMT/brim_$t.head150.json.gz" | wc -l)" ]
		cmp "$TMP/j" "$TMP/t"
	done
}

@test "any: a JSON log of a known type gets the built-in table's columns, as its TSV log does" {
	azw-extract -m notice "$ANY/notice.log" | grep '^#fields' > "$TMP/tsv"
	echo '{"ts":1521911721.1,"uid":"C1","id.orig_h":"10.0.0.1","id.orig_p":5,"id.resp_h":"10.0.0.2","id.resp_p":88,"note":"X"}' |
		azw-extract -m notice | grep '^#fields' > "$TMP/json"
	cmp "$TMP/tsv" "$TMP/json"
	# and --features -m notice lists the same columns
	azw-extract --features -m notice | awk -F'\t' '!/^#/ { print $1 }' > "$TMP/doc"
	tr '\t' '\n' < "$TMP/tsv" | sed 1,8d | cmp - "$TMP/doc"
}

@test "any: numbers, bools, addresses, text and lists of an unknown JSON log, by their values" {
	f=$(echo '{"ts":100.0,"_path":"mine","n":9,"neg":-3,"t":true,"f":false,"a":"10.0.0.1","b":"2001:db8::1","s":"aaaa","s2":"ab","l":[1,2,3],"label":"Malicious"}' | feat)
	[ "$(val "$f" n)" = 2.302585 ]
	[ "$(val "$f" neg)" = -1.386294 ]
	[ "$(val "$f" t)" = 1 ]
	[ "$(val "$f" f)" = -1 ]
	[ "$(val "$f" a.local)" = 1 ]
	[ "$(val "$f" a.v6)" = 0 ]
	[ "$(val "$f" b.local)" = -1 ]
	[ "$(val "$f" b.v6)" = 1 ]
	[ "$(val "$f" s.len)" = 1.609438 ]
	[ "$(val "$f" s.ent)" = 0 ]
	[ "$(val "$f" s2.ent)" = 1 ]
	[ "$(val "$f" l.n)" = 1.386294 ]
	# a labelled dataset's label is the answer, not a feature
	[ "$(val "$f" label.len)" = MISSING:label.len ]
	# the same fields unset: all 0
	f=$(printf '%s\n%s\n' '{"ts":100.0,"n":9,"t":true,"a":"10.0.0.1","s":"aaaa","l":[1]}' '{"ts":101.0}' | featn 2 -m mine)
	for c in n t a.local a.v6 s.len s.ent l.n; do
		[ "$(val "$f" $c)" = 0 ] || { echo "$c: $(val "$f" $c)"; return 1; }
	done
}

# A TSV log of a made-up type: every Zeek type once.
typed_tsv() {
	printf '#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tmylog\n'
	printf '#fields\tts\tuid\tk\tp\twhen\tdur\ts\tflag\n'
	printf '#types\ttime\tstring\tenum\tport\ttime\tinterval\tset[string]\tbool\n'
	printf '%s\n' "$@"
}

@test "any: TSV #types: enum and port hashed into 8 columns, time from ts, interval, set count" {
	typed_tsv $'100.000000\tC1\tAAA\t22\t110.000000\t0.500000\ta,b,c\tT' \
	          $'100.000000\tC2\tAAA\t50000\t90.000000\t-\t(empty)\tF' \
	          $'100.000000\tC3\tBBB\t60000\t-\t-\t-\t-' > "$TMP/my.log"
	r1=$(featn 1 -m any "$TMP/my.log")
	r2=$(featn 2 -m any "$TMP/my.log")
	r3=$(featn 3 -m any "$TMP/my.log")
	[ "$(val "$r1" when.dt)" = 2.397895 ]   # 10 s after ts
	[ "$(val "$r2" when.dt)" = -2.397895 ]  # 10 s before
	[ "$(val "$r3" when.dt)" = 0 ]
	[ "$(val "$r1" dur)" = 0.405465 ]
	[ "$(val "$r1" s.n)" = 1.386294 ]
	[ "$(val "$r2" s.n)" = 0 ]
	[ "$(val "$r1" flag)" = 1 ]
	[ "$(val "$r2" flag)" = -1 ]
	[ "$(val "$r3" flag)" = 0 ]
	# a value sets one or two of its field's columns, always the same ones
	for r in "$r1" "$r2" "$r3"; do
		s=$(hsum "$r" k)
		[ "$s" = 1 ] || [ "$s" = 2 ]
	done
	[ "$(hset "$r1" k)" = "$(hset "$r2" k)" ]
	# two hashes: of these four values, some set two columns
	[ "$(for r in "$r1" "$r3"; do hsum "$r" k; hsum "$r" p; done | sort -u | tail -n 1)" = 2 ]
	[ "$(hset "$r1" k)" != "$(hset "$r3" k)" ]
	# ports: 22 by its number, every port from 1024 on one word
	[ "$(hset "$r2" p)" = "$(hset "$r3" p)" ]
	[ "$(hset "$r1" p)" != "$(hset "$r2" p)" ]
}

@test "any: the header depends on the fields, not the values: a model of one stretch scores another; another log type is refused" {
	head -n 28 "$ANY/rdp.log" > "$TMP/early.log"
	{ grep '^#' "$ANY/rdp.log" | grep -v '^#close'; grep -v '^#' "$ANY/rdp.log" | tail -n 20; } > "$TMP/late.log"
	azw-extract -m any "$TMP/early.log" > "$TMP/early.vec"
	azw-extract -m any "$TMP/late.log" > "$TMP/late.vec"
	cmp <(grep '^#' "$TMP/early.vec") <(grep '^#' "$TMP/late.vec")
	azw-fit -q --fm-grace 5 -o "$TMP/m" "$TMP/early.vec"
	azw-score "$TMP/m" "$TMP/late.vec" > "$TMP/s"
	[ "$(wc -l < "$TMP/s")" -eq 20 ]
	azw-extract -m any "$ANY/ntlm.log" > "$TMP/ntlm.vec"
	run azw-score "$TMP/m" "$TMP/ntlm.vec"
	[ "$status" -eq 2 ]
	[[ "$output" == *"ntlm"* ]]
}

@test "any: identity columns from the log's own keys where it has no uid (x509: the fingerprint)" {
	fp=$(awk -F'\t' '!/^#/ { print $2; exit }' "$ANY/x509.log")
	row=$(azw-extract -m any "$ANY/x509.log" | grep -v '^#' | head -n 1)
	[ "$(cut -f2 <<< "$row")" = "$fp" ]
}

@test "any: failure-like fields feed the source's failure share (kerberos success F; ntlm none failed)" {
	f=$(feat -m any "$ANY/kerberos.log" | awk '$1 == "src_fail_1000s" { print $2 }' | sort -u)
	grep -qv '^0$' <<< "$f"
	f=$(feat -m any "$ANY/ntlm.log" | awk '$1 == "src_fail_1000s" { print $2 }' | sort -u)
	[ "$f" = 0 ]
}

@test "any: a value that does not fit its type reads as unset; the record is kept" {
	typed_tsv $'100.000000\tC1\tAAA\tnoport\tnotime\tx\ta\tmaybe' > "$TMP/bad.log"
	run azw-extract -m any "$TMP/bad.log"
	[ "$status" -eq 0 ]
	[ "$(grep -vc '^#' <<< "$output")" -eq 1 ]
}

@test "any: -m any takes the first record's log type and counts the others; -m LOGTYPE names it exactly" {
	{ echo '{"_path":"notice","ts":1.0,"note":"ok"}'; echo '{"_path":"weird","ts":2.0}'; echo '{"_path":"notice","ts":3.0}'; } > "$TMP/mixed.json"
	run bash -c "azw-extract -m any '$TMP/mixed.json' 2>&1 >/dev/null"
	[ "$status" -eq 0 ]
	[ "$output" = "azw-extract: 1 records of other log types (weird) skipped" ]
	[ "$(azw-extract -m weird "$TMP/mixed.json" 2>/dev/null | grep -vc '^#')" -eq 1 ]
	[ "$(azw-extract -m notice_x "$TMP/mixed.json" 2>/dev/null | grep -vc '^#')" -eq 0 ]
}

@test "any: --features -m any prints the rules; --help lists the generic module" {
	azw-extract --features -m any > "$TMP/f"
	grep -q $'^#features\tany\tgeneric\trules' "$TMP/f"
	grep -q $'^#features\tany\tgeneric\tcontext' "$TMP/f"
	grep -q '^enum' "$TMP/f"
	azw-extract --help | grep -q '^  any '
}

# Every file of ../shared/data, of any type, through -m any | azw-fit |
# azw-score: in tests/11-formats.bats's data sweep (one pass for both
# modules), which checks the other types of brim-wrccdc by name too.
