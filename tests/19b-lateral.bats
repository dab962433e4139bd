#!/usr/bin/env bats
# The extended schemas of the logs of lateral movement and mail (smb_mapping,
# smb_files, dce_rpc, ntlm, kerberos, rdp, smtp, x509): every feature's value
# on hand-made records (tests/data/lateral, made by make.py there), TSV and
# JSON alike; the real logs of brim-wrccdc through extract | fit | score.

load helpers

LAT="$DATA/lateral"
MODULES="smb_mapping smb_files dce_rpc ntlm kerberos rdp smtp x509"

# check MODULE: its .log and .json give the same stream; each record's
# features are those of its .expect lines (FEATURE VALUE, within 1e-6), all
# others 0; every feature of the schema is other than 0 in some record.
check() {
	local m=$1
	azw-extract -m "$m" "$LAT/$m.log" > "$TMP/$m.tsv.vec"
	azw-extract -m "$m" "$LAT/$m.json" > "$TMP/$m.json.vec"
	grep -qx $'#module\t'"$m" "$TMP/$m.tsv.vec"
	grep -qx $'#schema\textended' "$TMP/$m.tsv.vec"
	[ "$(grep -vc '^#' "$TMP/$m.json.vec")" -eq "$(wc -l < "$LAT/$m.json")" ]
	cmp "$TMP/$m.tsv.vec" "$TMP/$m.json.vec"
	awk -F'\t' -v m="$m" '
	FNR == NR { split($0, a, " "); want[a[1], a[2]] = a[3]; named[a[2]] = 1; next }
	/^#fields/ { for (i = 9; i <= NF; i++) name[i - 1] = $i; n = NF - 1; next }
	/^#/ { next }
	{
		r++
		for (i = 8; i <= n; i++) {
			w = ((r, name[i]) in want) ? want[r, name[i]] : 0
			d = $i - w
			if (d > 1e-6 || d < -1e-6) { printf "%s record %d: %s = %s, want %s\n", m, r, name[i], $i, w; bad = 1 }
			if ($i != 0) seen[name[i]] = 1
			known[name[i]] = 1
		}
	}
	END {
		for (f in named) if (!(f in known)) { printf "%s: no feature %s\n", m, f; bad = 1 }
		for (f in known) if (!(f in seen)) { printf "%s: %s is 0 in every record\n", m, f; bad = 1 }
		exit bad
	}' "$LAT/$m.expect" "$TMP/$m.tsv.vec"
}

@test "lateral: rdp: every feature on hand-made records, TSV and JSON alike" {
	check rdp
}

@test "lateral: smb_mapping: every feature on hand-made records, TSV and JSON alike" {
	check smb_mapping
}

@test "lateral: smb_files: every feature on hand-made records, TSV and JSON alike" {
	check smb_files
}

@test "lateral: dce_rpc: every feature on hand-made records, TSV and JSON alike" {
	check dce_rpc
}

@test "lateral: ntlm: every feature on hand-made records, TSV and JSON alike" {
	check ntlm
}

@test "lateral: kerberos: every feature on hand-made records, TSV and JSON alike" {
	check kerberos
}

@test "lateral: smtp: every feature on hand-made records, TSV and JSON alike" {
	check smtp
}

@test "lateral: x509: every feature on hand-made records, TSV and JSON alike; the fingerprint is the uid" {
	check x509
	[ "$(grep -v '^#' "$TMP/x509.tsv.vec" | cut -f2 | tr '\n' ' ')" = "fp1 fp2 fp3 fp4 fp5 fp6 " ]
}

@test "lateral: without -m, each log type picks its module; -m any still gives the generic one" {
	for m in $MODULES; do
		azw-extract "$DATA/any/$m.log" > "$TMP/a"
		grep -qx $'#module\t'"$m" "$TMP/a"
		grep -qx $'#schema\textended' "$TMP/a"
		azw-extract -m any "$DATA/any/$m.log" | grep -qx $'#schema\tgeneric'
	done
	# a log type that has the module's name as whole parts names it too
	sed 's/^#path\tsmb_files$/#path\tsmb_files_archive/' "$DATA/any/smb_files.log" > "$TMP/renamed.log"
	azw-extract "$TMP/renamed.log" | grep -qx $'#module\tsmb_files'
}

@test "lateral: the fixture logs go through extract | fit | score, each record scored once" {
	for m in $MODULES; do
		azw-extract -m "$m" "$DATA/any/$m.log" > "$TMP/$m.vec" 2> "$TMP/$m.err"
		[ ! -s "$TMP/$m.err" ]
		grep -qx $'#schema\textended' "$TMP/$m.vec"
		[ "$(grep -vc '^#' "$TMP/$m.vec")" -eq "$(grep -vc '^#' "$DATA/any/$m.log")" ]
		azw-fit -q --fm-grace 3 -o "$TMP/$m.model" "$TMP/$m.vec"
		azw-score "$TMP/$m.model" "$TMP/$m.vec" > "$TMP/$m.scores"
		[ "$(wc -l < "$TMP/$m.scores")" -eq "$(grep -vc '^#' "$DATA/any/$m.log")" ]
		grep -q "\"module\":\"$m\"" "$TMP/$m.scores"
	done
}

@test "lateral: a bad value is refused with file, line and reason; the rest go on" {
	# the 9th line (the 2nd record) with a responder that is no address
	awk -F'\t' -v OFS='\t' 'NR == 9 { $5 = "not-an-address" } { print }' "$LAT/kerberos.log" > "$TMP/bad.log"
	run bash -c "azw-extract -m kerberos '$TMP/bad.log' 2>&1 > '$TMP/bad.vec'"
	[ "$status" -eq 1 ]
	[[ "$output" == *"bad.log:9: id.resp_h"* ]]
	[ "$(grep -vc '^#' "$TMP/bad.vec")" -eq $(($(grep -vc '^#' "$LAT/kerberos.log") - 1)) ]
	echo '{"ts":1.0,"id.orig_h":"10.0.0.1","id.resp_h":"10.0.0.2","id.resp_p":88,"till":"soon"}' > "$TMP/bad.json"
	run azw-extract -m kerberos "$TMP/bad.json"
	[ "$status" -eq 1 ]
	[[ "$output" == *"bad.json:1: till: not a time"* ]]
}

# The real logs of brim-wrccdc (../shared/data), whole, through each module
# and the model; skipped where the data is absent. Runs bin/'s programs,
# so not in the sanitizer pass.
@test "lateral: brim-wrccdc's logs of each type through -m TYPE | fit | score, no record lost, no message" {
	! sanitizer_build || skip "sanitizer build: the real logs run in the plain pass"
	need_brim
	local d=$BRIM/other-types
	for m in $MODULES; do
		gzip -dc "$d/$m.log.gz" > "$TMP/in.log"
		n=$(grep -vc '^#' "$TMP/in.log")
		azw-extract -m "$m" "$TMP/in.log" > "$TMP/$m.vec" 2> "$TMP/$m.err"
		[ ! -s "$TMP/$m.err" ] || { cat "$TMP/$m.err"; return 1; }
		grep -qx $'#schema\textended' "$TMP/$m.vec"
		[ "$(grep -vc '^#' "$TMP/$m.vec")" -eq "$n" ]
		azw-fit -q --fm-grace 3 -o "$TMP/$m.model" "$TMP/$m.vec"
		azw-score "$TMP/$m.model" "$TMP/$m.vec" > "$TMP/$m.scores"
		[ "$(wc -l < "$TMP/$m.scores")" -eq "$n" ] || { echo "$m: $(wc -l < "$TMP/$m.scores") of $n scored"; return 1; }
	done
}

@test "lateral: a wrong -m on plain JSON (no _path) is refused at the first record, for the new modules too" {
	# an ntlm record (its own fields, no _path) read as kerberos, and a
	# kerberos one read as rdp: refused before any vector, naming the type
	printf '%s\n' '{"ts":1700000000.5,"uid":"C1","id.orig_h":"10.0.0.1","id.orig_p":50000,"id.resp_h":"10.0.0.2","id.resp_p":445,"hostname":"WS1","domainname":"CORP","success":true}' > "$TMP/ntlm.json"
	run azw-extract -m kerberos "$TMP/ntlm.json"
	[ "$status" -eq 2 ]
	[[ "$output" == *"ntlm.json:1: a ntlm record, not kerberos (fields hostname, domainname...; none of kerberos's own): use -m ntlm"* ]]
	printf '%s\n' '{"ts":1700000000.5,"uid":"C2","id.orig_h":"10.0.0.1","id.orig_p":50001,"id.resp_h":"10.0.0.3","id.resp_p":88,"request_type":"TGS","till":1700036000.0,"forwardable":true}' > "$TMP/krb.json"
	run azw-extract -m rdp "$TMP/krb.json"
	[ "$status" -eq 2 ]
	[[ "$output" == *"a kerberos record, not rdp"*"use -m kerberos"* ]]
	# each read as itself is fine, with no warning
	run azw-extract -m ntlm "$TMP/ntlm.json"
	[ "$status" -eq 0 ]
	[[ "$output" != *warning* ]]
	run azw-extract -m kerberos "$TMP/krb.json"
	[ "$status" -eq 0 ]
	[[ "$output" != *warning* ]]
	# and the fixtures of every new module, as themselves, give no warning
	for t in rdp smb_mapping smb_files dce_rpc ntlm kerberos smtp x509; do
		azw-extract -m "$t" "$LAT/$t.json" 2> "$TMP/err" > /dev/null
		! grep -q warning "$TMP/err" || { cat "$TMP/err"; return 1; }
	done
}
