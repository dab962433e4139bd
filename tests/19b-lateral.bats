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
