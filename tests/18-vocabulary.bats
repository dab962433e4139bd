#!/usr/bin/env bats
# Table-driven feature values: each vocabulary entry of azw-extract's conn
# schemas (conn_state, proto, service, history letters) sets exactly its own
# column of its one-hot group, and every other column of the group is 0. The
# tables here are written by hand from Zeek's documentation and azw(7), not
# read from the program; each is checked to cover every column of its
# group, so a column added, dropped or renamed fails too.

load helpers

# One hand-made conn record; fields set with jq.
BASE='{"ts":1600000000.5,"uid":"Cvocab","id.orig_h":"10.0.0.1","id.orig_p":50000,"id.resp_h":"192.0.2.1","id.resp_p":80,"proto":"tcp","service":"http","duration":0.1,"orig_bytes":80,"resp_bytes":327,"conn_state":"SF","history":"ShADadfF","orig_pkts":5,"orig_ip_bytes":292,"resp_pkts":5,"resp_ip_bytes":539}'

# check SCHEMA TABLE: TABLE lines "field value column group-prefix"; the
# value "(unset)" leaves the field out. One record per line, extracted in
# one run; for each, COLUMN is 1 and every other column starting with
# GROUP is 0. Every column starting with a table's group must be named.
check() {
	local schema=$1 table=$2 f v c g
	: > "$TMP/in"
	while read -r f v c g; do
		if [ "$v" = "(unset)" ]; then
			jq -c --arg f "$f" 'del(.[$f])' <<< "$BASE"
		elif [ "$f" = proto ] && [ "$v" = icmp ]; then
			jq -c '.proto = "icmp" | .["id.orig_p"] = 8 | .["id.resp_p"] = 0 | del(.history) | .conn_state = "OTH"' <<< "$BASE"
		else
			jq -c --arg f "$f" --arg v "$v" '.[$f] = $v' <<< "$BASE"
		fi >> "$TMP/in"
	done < "$table"
	azw-extract -m conn --schema "$schema" --context none "$TMP/in" > "$TMP/out" 2> "$TMP/err"
	[ ! -s "$TMP/err" ] || { cat "$TMP/err"; return 1; }
	awk -F'\t' -v table="$table" '
	NR == FNR { row[FNR] = $3; grp[FNR] = $4; val[FNR] = $1 "=" $2; groups[$4] = 1; named[$3] = 1; n = FNR; next }
	/^#fields/ { for (i = 9; i <= NF; i++) col[i - 8] = $i; nc = NF - 8; next }
	/^#/ { next }
	{
		r++
		ok = 0
		for (i = 1; i <= nc; i++) {
			if (index(col[i], grp[r]) != 1) continue
			want = col[i] == row[r] ? 1 : 0
			if ($(i + 7) + 0 != want) { print val[r] ": " col[i] " is " $(i + 7) ", want " want; bad++ }
			if (col[i] == row[r]) ok = 1
		}
		if (!ok) { print val[r] ": no column " row[r]; bad++ }
	}
	END {
		for (i = 1; i <= nc; i++)
			for (g in groups)
				if (index(col[i], g) == 1 && !(col[i] in named)) { print "column " col[i] " not in the table"; bad++ }
		if (r != n) { print r " rows for " n " table lines"; bad++ }
		print r " records checked"
		exit bad > 0
	}' OFS='\t' <(tr ' ' '\t' < "$table") "$TMP/out"
}

@test "vocabulary, original schema: every conn_state, proto and service value sets exactly its column" {
	cat > "$TMP/t" <<'EOF'
conn_state OTH conn_state_OTH conn_state_
conn_state REJ conn_state_REJ conn_state_
conn_state RSTO conn_state_RSTO conn_state_
conn_state RSTOS0 conn_state_RSTOS0 conn_state_
conn_state RSTR conn_state_RSTR conn_state_
conn_state RSTRH conn_state_RSTRH conn_state_
conn_state S0 conn_state_S0 conn_state_
conn_state S1 conn_state_S1 conn_state_
conn_state S2 conn_state_S2 conn_state_
conn_state S3 conn_state_S3 conn_state_
conn_state SF conn_state_SF conn_state_
conn_state SH conn_state_SH conn_state_
conn_state SHR conn_state_SHR conn_state_
proto tcp proto_tcp proto_
proto udp proto_udp proto_
service dhcp service_dhcp service_
service dns service_dns service_
service http service_http service_
service irc service_irc service_
service ntp service_ntp service_
service other service_other service_
service ssh service_ssh service_
service ssl service_ssl service_
EOF
	run check original "$TMP/t"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "23 records checked" ]
}

@test "vocabulary, extended schema: conn_state, proto, service (every alias) and history letters" {
	cat > "$TMP/t" <<'EOF'
conn_state OTH conn_state_OTH conn_state_
conn_state REJ conn_state_REJ conn_state_
conn_state RSTO conn_state_RSTO conn_state_
conn_state RSTOS0 conn_state_RSTOS0 conn_state_
conn_state RSTR conn_state_RSTR conn_state_
conn_state RSTRH conn_state_RSTRH conn_state_
conn_state S0 conn_state_S0 conn_state_
conn_state S1 conn_state_S1 conn_state_
conn_state S2 conn_state_S2 conn_state_
conn_state S3 conn_state_S3 conn_state_
conn_state SF conn_state_SF conn_state_
conn_state SH conn_state_SH conn_state_
conn_state SHR conn_state_SHR conn_state_
conn_state XYZ conn_state_other conn_state_
proto tcp proto_tcp proto_
proto udp proto_udp proto_
proto icmp proto_icmp proto_
proto unknown_transport proto_other proto_
service (unset) service_none service_
service dns service_dns service_
service http service_http service_
service ssl service_ssl service_
service dtls service_ssl service_
service quic service_quic service_
service ssh service_ssh service_
service dhcp service_dhcp service_
service ntp service_ntp service_
service smtp service_mail service_
service pop3 service_mail service_
service imap service_mail service_
service ftp service_ftp service_
service ftp-data service_ftp service_
service sip service_sip service_
service irc service_irc service_
service krb service_krb service_
service krb_tcp service_krb service_
service smb service_smb service_
service dce_rpc service_smb service_
service ntlm service_smb service_
service gssapi service_smb service_
service rdp service_rdp service_
service rfb service_rdp service_
service gopher service_other service_
history S hist_orig_syn hist_
history s hist_resp_syn hist_
history H hist_orig_synack hist_
history h hist_resp_synack hist_
history A hist_orig_ack hist_
history a hist_resp_ack hist_
history D hist_orig_data hist_
history d hist_resp_data hist_
history F hist_orig_fin hist_
history f hist_resp_fin hist_
history R hist_orig_rst hist_
history r hist_resp_rst hist_
history C hist_orig_badsum hist_
history c hist_resp_badsum hist_
history G hist_orig_gap hist_
history g hist_resp_gap hist_
history T hist_orig_retrans hist_
history t hist_resp_retrans hist_
history W hist_orig_zerowin hist_
history w hist_resp_zerowin hist_
history I hist_orig_inconsistent hist_
history i hist_resp_inconsistent hist_
history Q hist_orig_multiflag hist_
history q hist_resp_multiflag hist_
history ^ hist_flipped hist_
EOF
	run check extended "$TMP/t"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "68 records checked" ]
}

@test "vocabulary, original schema: traffic_direction from every private range, at both ends and just outside" {
	# AutoZeekWatch takes "private" from Python's ipaddress.is_private: the
	# IANA special-purpose ranges below (Python's documentation), less
	# 192.0.0.9 and 192.0.0.10. An address of each range (its first and
	# last) towards 8.8.8.8 is outgoing; one just outside is external;
	# from 8.8.8.8 to it, incoming; two of them, internal.
	cat > "$TMP/t" <<'EOT'
0.0.0.0 0.255.255.255 1.0.0.0
10.0.0.0 10.255.255.255 9.255.255.255 11.0.0.0
127.0.0.0 127.255.255.255 128.0.0.0
169.254.0.0 169.254.255.255 169.253.255.255 169.255.0.0
172.16.0.0 172.31.255.255 172.15.255.255 172.32.0.0
192.0.0.0 192.0.0.255 192.0.0.8 192.0.0.11 192.0.0.170 192.0.0.171 192.0.1.0 192.0.0.9 192.0.0.10
192.0.2.0 192.0.2.255 192.0.1.255 192.0.3.0
192.168.0.0 192.168.255.255 192.167.255.255 192.169.0.0
198.18.0.0 198.19.255.255 198.17.255.255 198.20.0.0
198.51.100.0 198.51.100.255 198.51.99.255 198.51.101.0
203.0.113.0 203.0.113.255 203.0.112.255 203.0.114.0
240.0.0.0 255.255.255.254 255.255.255.255 239.255.255.255
EOT
	# whether each address above is private, written out by hand
	cat > "$TMP/want" <<'EOT'
in in out
in in out out
in in out
in in out out
in in out out
in in in in in in out out out
in in out out
in in out out
in in out out
in in out out
in in out out
in in in out
EOT
	paste -d ' ' "$TMP/t" "$TMP/want" | awk '{ n = NF / 2; for (i = 1; i <= n; i++) print $i, $(i + n) }' > "$TMP/addr"
	[ "$(wc -l < "$TMP/addr")" -eq 51 ]
	while read -r a w; do
		for pair in "$a 8.8.8.8" "8.8.8.8 $a" "$a 10.1.2.3"; do
			set -- $pair
			jq -c --arg o "$1" --arg r "$2" '.["id.orig_h"] = $o | .["id.resp_h"] = $r' <<< "$BASE"
		done
	done < "$TMP/addr" > "$TMP/in"
	azw-extract -m conn --schema original "$TMP/in" > "$TMP/out"
	awk -F'\t' '/^#fields/ { for (i = 9; i <= NF; i++) if ($i ~ /^traffic_direction_/) { c[i - 1] = substr($i, 19) }; next }
		/^#/ { next }
		{ d = ""; for (i in c) if ($i == 1) d = d c[i]; print d }' "$TMP/out" | paste -d ' ' - - - > "$TMP/have"
	# in: outgoing, incoming, internal; out: external, external, incoming
	awk '{ print ($2 == "in" ? "outgoing incoming internal" : "external external incoming") }' "$TMP/addr" > "$TMP/expect"
	paste -d '|' "$TMP/addr" "$TMP/have" "$TMP/expect" | awk -F'|' '$2 != $3 { print "differs: " $0 }'
	cmp "$TMP/have" "$TMP/expect"
}
