#!/usr/bin/env bats
# azw-extract -m conn --schema extended: the feature table in the header,
# hand-made records for each kind of feature, real files give finite values,
# the output depends on each record alone.

load helpers

CONN="$DATA/conn"

# A plain record to mutate with sed: an outgoing TLS connection.
BASE='{"ts":1600000000.5,"uid":"Cbase","id.orig_h":"10.0.0.1","id.orig_p":50000,"id.resp_h":"8.8.8.8","id.resp_p":443,"proto":"tcp","service":"ssl","duration":1.5,"orig_bytes":1,"resp_bytes":0,"conn_state":"SF","missed_bytes":0,"history":"ShADadFf","orig_pkts":9,"orig_ip_bytes":999,"resp_pkts":0,"resp_ip_bytes":0}'

# Extended features of the JSON records on stdin, one "name value" line per
# feature, records in order.
ext() {
	azw-extract -m conn --schema extended | awk -F'\t' '
	/^#fields/ { for (i = 2; i <= NF; i++) name[i - 1] = $i; next }
	/^#/ { next }
	{ for (i = 8; i <= NF; i++) print name[i], $i }'
}

# The features of BASE after the sed expression $1.
base() {
	echo "$BASE" | sed "$1" | ext
}

# The value of feature $2 in ext output $1.
val() {
	awk -v k="$2" '$1 == k { print $2; n++ } END { if (n != 1) print "MISSING:" k }' <<< "$1"
}

# The features with a prefix that are not 0, as "name=value ...".
nonzero() {
	awk -v p="$2" 'index($1, p) == 1 && $2 != 0 { printf "%s%s=%s", sep, $1, $2; sep = " " } END { print "" }' <<< "$1"
}

# Is |$1 - $2| <= 5e-7? (numbers are rounded to 6 decimals)
close_to() {
	awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 5.000001e-7) }'
}

@test "extended: header names every feature once, in the table's order" {
	azw-extract -m conn --schema extended < /dev/null > "$TMP/out"
	[ "$(sed -n 4p "$TMP/out")" = "$(printf '#schema\textended')" ]
	grep '^#fields' "$TMP/out" | cut -f9- | tr '\t' '\n' > "$TMP/names"
	n=$(wc -l < "$TMP/names")
	echo "features: $n"
	[ "$n" -ge 40 ] && [ "$n" -le 120 ]
	[ "$(sort -u "$TMP/names" | wc -l)" -eq "$n" ]
	# Every group is there, with its other bucket.
	for f in proto_tcp proto_udp proto_icmp proto_other is_ipv6 dir_internal dir_outgoing \
		dir_incoming dir_external orig_local resp_local icmp_echo icmp_other conn_state_S0 \
		conn_state_SF conn_state_OTH conn_state_other service_none service_ssl service_http \
		service_other hist_orig_syn hist_resp_syn hist_flipped log_duration log_orig_bytes \
		log_resp_bytes log_orig_pkts log_resp_pkts log_orig_ip_bytes log_resp_ip_bytes \
		log_missed_bytes bytes_log_ratio resp_broadcast resp_multicast; do
		grep -qx "$f" "$TMP/names" || { echo "no $f"; false; }
	done
	# One history column per Zeek letter and side.
	[ "$(grep -c '^hist_orig_' "$TMP/names")" -eq 12 ]
	[ "$(grep -c '^hist_resp_' "$TMP/names")" -eq 12 ]
	# Every conn_state Zeek writes.
	for s in S0 S1 SF REJ S2 S3 RSTO RSTR RSTOS0 RSTRH SH SHR OTH; do
		grep -qx "conn_state_$s" "$TMP/names"
	done
}

@test "extended: the base record, one-hot groups and numbers" {
	out=$(base '')
	[ "$(nonzero "$out" proto_)" = "proto_tcp=1" ]
	[ "$(nonzero "$out" conn_state_)" = "conn_state_SF=1" ]
	[ "$(nonzero "$out" service_)" = "service_ssl=1" ]
	[ "$(nonzero "$out" dir_)" = "dir_outgoing=1" ]
	[ "$(nonzero "$out" resp_port_)" = "resp_port_wellknown=1" ]
	[ "$(nonzero "$out" icmp_)" = "" ]
	[ "$(val "$out" orig_local)" = 1 ]
	[ "$(val "$out" resp_local)" = 0 ]
	[ "$(val "$out" is_ipv6)" = 0 ]
	[ "$(val "$out" orig_port_wellknown)" = 0 ]
	[ "$(nonzero "$out" hist_)" = "hist_orig_syn=1 hist_resp_synack=1 hist_orig_ack=1 hist_resp_ack=1 hist_orig_data=1 hist_resp_data=1 hist_orig_fin=1 hist_resp_fin=1" ]
}

@test "extended: counts, bytes and durations are log1p; ratios" {
	out=$(base '')
	close_to "$(val "$out" log_duration)" 0.91629073187415511     # log1p(1.5)
	close_to "$(val "$out" log_orig_bytes)" 0.69314718055994531   # log1p(1)
	[ "$(val "$out" log_resp_bytes)" = 0 ]
	close_to "$(val "$out" log_orig_pkts)" 2.3025850929940459     # log1p(9)
	close_to "$(val "$out" log_orig_ip_bytes)" 6.9077552789821368 # log1p(999)
	close_to "$(val "$out" log_orig_pkt_size)" 4.7184988712950942 # log1p(999/9)
	[ "$(val "$out" log_resp_pkt_size)" = 0 ]                     # no packets
	close_to "$(val "$out" bytes_log_ratio)" 0.69314718055994531  # log1p(1) - log1p(0)
	out=$(base 's/"orig_bytes":1/"orig_bytes":0/; s/"resp_bytes":0/"resp_bytes":"1000000"/; s/"missed_bytes":0/"missed_bytes":4/')
	close_to "$(val "$out" log_resp_bytes)" 13.815511557963774    # log1p(1e6), a TSV-style string
	close_to "$(val "$out" bytes_log_ratio)" -13.815511557963774
	close_to "$(val "$out" log_missed_bytes)" 1.6094379124341003  # log1p(4)
	# Missing numbers are 0.
	out=$(base 's/"duration":1.5,//; s/"orig_pkts":9,//; s/"orig_ip_bytes":999,//')
	[ "$(val "$out" log_duration)" = 0 ]
	[ "$(val "$out" log_orig_pkts)" = 0 ]
	[ "$(val "$out" log_orig_pkt_size)" = 0 ]
}

@test "extended: multi-valued service sets several columns; unknown -> other; none" {
	out=$(base 's/"service":"ssl"/"service":"ssl,http"/')
	[ "$(nonzero "$out" service_)" = "service_http=1 service_ssl=1" ]
	out=$(base 's/"service":"ssl"/"service":"http,quic,ssl"/')
	[ "$(nonzero "$out" service_)" = "service_http=1 service_ssl=1 service_quic=1" ]
	out=$(base 's/"service":"ssl"/"service":"weird"/')
	[ "$(nonzero "$out" service_)" = "service_other=1" ]
	out=$(base 's/"service":"ssl"/"service":"dns,weird"/')
	[ "$(nonzero "$out" service_)" = "service_dns=1 service_other=1" ]
	out=$(base 's/"service":"ssl",//')
	[ "$(nonzero "$out" service_)" = "service_none=1" ]
	out=$(base 's/"service":"ssl"/"service":null/')
	[ "$(nonzero "$out" service_)" = "service_none=1" ]
	# Aliases share a column.
	out=$(base 's/"service":"ssl"/"service":"krb_tcp"/')
	[ "$(nonzero "$out" service_)" = "service_krb=1" ]
	out=$(base 's/"service":"ssl"/"service":"dtls"/')
	[ "$(nonzero "$out" service_)" = "service_ssl=1" ]
	out=$(base 's/"service":"ssl"/"service":"smtp"/')
	[ "$(nonzero "$out" service_)" = "service_mail=1" ]
}

@test "extended: conn_state and proto have other buckets" {
	out=$(base 's/"conn_state":"SF"/"conn_state":"XX"/')
	[ "$(nonzero "$out" conn_state_)" = "conn_state_other=1" ]
	out=$(base 's/"conn_state":"SF",//')
	[ "$(nonzero "$out" conn_state_)" = "conn_state_other=1" ]
	out=$(base 's/"conn_state":"SF"/"conn_state":"RSTOS0"/')
	[ "$(nonzero "$out" conn_state_)" = "conn_state_RSTOS0=1" ]
	out=$(base 's/"proto":"tcp"/"proto":"unknown_transport"/')
	[ "$(nonzero "$out" proto_)" = "proto_other=1" ]
	[ "$(nonzero "$out" resp_port_)" = "" ]
	out=$(base 's/"proto":"tcp",//')
	[ "$(nonzero "$out" proto_)" = "proto_other=1" ]
	out=$(base 's/"proto":"tcp"/"proto":"udp"/; s/"id.resp_p":443/"id.resp_p":8080/; s/"id.orig_p":50000/"id.orig_p":53/')
	[ "$(nonzero "$out" proto_)" = "proto_udp=1" ]
	[ "$(nonzero "$out" resp_port_)" = "resp_port_registered=1" ]
	[ "$(val "$out" orig_port_wellknown)" = 1 ]
	out=$(base 's/"id.resp_p":443/"id.resp_p":49152/')
	[ "$(nonzero "$out" resp_port_)" = "resp_port_ephemeral=1" ]
}

@test "extended: ICMP: proto_icmp and the type from id.orig_p (ICMPv6 too)" {
	icmp='s/"proto":"tcp"/"proto":"icmp"/; s/"service":"ssl",//; s/"history":"ShADadFf",//'
	out=$(base "$icmp; s/\"id.orig_p\":50000/\"id.orig_p\":8/; s/\"id.resp_p\":443/\"id.resp_p\":0/")
	[ "$(nonzero "$out" proto_)" = "proto_icmp=1" ]
	[ "$(nonzero "$out" icmp_)" = "icmp_echo=1" ]
	[ "$(nonzero "$out" resp_port_)" = "" ]
	[ "$(val "$out" orig_port_wellknown)" = 0 ]
	out=$(base "$icmp; s/\"id.orig_p\":50000/\"id.orig_p\":3/; s/\"id.resp_p\":443/\"id.resp_p\":3/")
	[ "$(nonzero "$out" icmp_)" = "icmp_unreachable=1" ]
	out=$(base "$icmp; s/\"id.orig_p\":50000/\"id.orig_p\":11/")
	[ "$(nonzero "$out" icmp_)" = "icmp_other=1" ]
	v6='s/"id.orig_h":"10.0.0.1"/"id.orig_h":"fe80::1"/; s/"id.resp_h":"8.8.8.8"/"id.resp_h":"fe80::2"/'
	out=$(base "$icmp; $v6; s/\"id.orig_p\":50000/\"id.orig_p\":128/; s/\"id.resp_p\":443/\"id.resp_p\":129/")
	[ "$(nonzero "$out" icmp_)" = "icmp_echo=1" ]
	[ "$(val "$out" is_ipv6)" = 1 ]
	out=$(base "$icmp; $v6; s/\"id.orig_p\":50000/\"id.orig_p\":1/")
	[ "$(nonzero "$out" icmp_)" = "icmp_unreachable=1" ]
	out=$(base "$icmp; $v6; s/\"id.orig_p\":50000/\"id.orig_p\":8/")
	[ "$(nonzero "$out" icmp_)" = "icmp_other=1" ]
	out=$(base "$icmp; s/\"id.orig_p\":50000,//")
	[ "$(nonzero "$out" icmp_)" = "icmp_other=1" ]
}

@test "extended: IPv6: is_ipv6, and direction from the IPv6 local networks" {
	dir() { # orig resp -> nonzero dir_ columns
		base "s/\"id.orig_h\":\"10.0.0.1\"/\"id.orig_h\":\"$1\"/; s/\"id.resp_h\":\"8.8.8.8\"/\"id.resp_h\":\"$2\"/" > "$TMP/f"
		echo "$(nonzero "$(cat "$TMP/f")" dir_) ipv6=$(val "$(cat "$TMP/f")" is_ipv6)"
	}
	[ "$(dir fe80::1%eth0 2001:db8::1)" = "dir_outgoing=1 ipv6=1" ]
	[ "$(dir fd00::1 fc00::2)" = "dir_internal=1 ipv6=1" ]
	[ "$(dir 2001:db8::1 ::1)" = "dir_incoming=1 ipv6=1" ]
	[ "$(dir 2001:db8::1 2a00::1)" = "dir_external=1 ipv6=1" ]
	[ "$(dir 10.0.0.1 2a00::1)" = "dir_outgoing=1 ipv6=1" ]
	[ "$(dir ::ffff:10.0.0.1 8.8.8.8)" = "dir_outgoing=1 ipv6=0" ]
	# IPv4: RFC 1918, RFC 6598, loopback, link-local are local.
	[ "$(dir 8.8.8.8 100.64.0.1)" = "dir_incoming=1 ipv6=0" ]
	[ "$(dir 169.254.0.1 127.0.0.1)" = "dir_internal=1 ipv6=0" ]
	[ "$(dir 192.0.2.1 172.32.0.1)" = "dir_external=1 ipv6=0" ]
	# Responder classes.
	out=$(base 's/"id.resp_h":"8.8.8.8"/"id.resp_h":"ff02::fb"/')
	[ "$(val "$out" resp_multicast)" = 1 ]
	out=$(base 's/"id.resp_h":"8.8.8.8"/"id.resp_h":"224.0.0.251"/')
	[ "$(val "$out" resp_multicast)" = 1 ]
	[ "$(val "$out" resp_broadcast)" = 0 ]
	out=$(base 's/"id.resp_h":"8.8.8.8"/"id.resp_h":"192.168.1.255"/')
	[ "$(val "$out" resp_broadcast)" = 1 ]
	[ "$(val "$out" resp_multicast)" = 0 ]
}

@test "extended: Zeek's local_orig / local_resp are preferred over the networks" {
	# 8.8.8.8 -> 10.0.0.1 is incoming by the networks.
	flip='s/"id.orig_h":"10.0.0.1"/"id.orig_h":"8.8.8.8"/; s/"id.resp_h":"8.8.8.8"/"id.resp_h":"10.0.0.1"/'
	out=$(base "$flip")
	[ "$(nonzero "$out" dir_)" = "dir_incoming=1" ]
	out=$(base "$flip; s/\"missed_bytes\"/\"local_orig\":true,\"local_resp\":false,\"missed_bytes\"/")
	[ "$(nonzero "$out" dir_)" = "dir_outgoing=1" ]
	[ "$(val "$out" orig_local)" = 1 ]
	[ "$(val "$out" resp_local)" = 0 ]
	out=$(base "$flip; s/\"missed_bytes\"/\"local_orig\":\"F\",\"local_resp\":\"F\",\"missed_bytes\"/")
	[ "$(nonzero "$out" dir_)" = "dir_external=1" ]
	out=$(base "$flip; s/\"missed_bytes\"/\"local_orig\":\"T\",\"local_resp\":\"T\",\"missed_bytes\"/")
	[ "$(nonzero "$out" dir_)" = "dir_internal=1" ]
	# Only one of them logged: the networks decide for the other end.
	out=$(base "$flip; s/\"missed_bytes\"/\"local_orig\":true,\"missed_bytes\"/")
	[ "$(nonzero "$out" dir_)" = "dir_internal=1" ]
	out=$(base "$flip; s/\"missed_bytes\"/\"local_orig\":null,\"local_resp\":false,\"missed_bytes\"/")
	[ "$(nonzero "$out" dir_)" = "dir_external=1" ]
}

@test "extended: history letters per side, repeats counted, ^ flagged" {
	out=$(base 's/"history":"ShADadFf"/"history":"^hSADdaTtttCgWwIQqRrf"/')
	[ "$(nonzero "$out" hist_)" = "hist_orig_syn=1 hist_resp_synack=1 hist_orig_ack=1 hist_resp_ack=1 hist_orig_data=1 hist_resp_data=1 hist_resp_fin=1 hist_orig_rst=1 hist_resp_rst=1 hist_orig_badsum=1 hist_resp_gap=1 hist_orig_retrans=1 hist_resp_retrans=3 hist_orig_zerowin=1 hist_resp_zerowin=1 hist_orig_inconsistent=1 hist_orig_multiflag=1 hist_resp_multiflag=1 hist_flipped=1" ]
	out=$(base 's/"history":"ShADadFf"/"history":"sHcGi"/')
	[ "$(nonzero "$out" hist_)" = "hist_resp_syn=1 hist_orig_synack=1 hist_resp_badsum=1 hist_orig_gap=1 hist_resp_inconsistent=1" ]
	# Unknown letters count nowhere; a missing history sets none.
	out=$(base 's/"history":"ShADadFf"/"history":"xyzS"/')
	[ "$(nonzero "$out" hist_)" = "hist_orig_syn=1" ]
	out=$(base 's/"history":"ShADadFf",//')
	[ "$(nonzero "$out" hist_)" = "" ]
}

@test "extended: unusable records are rejected with a reason, the others come out" {
	{
		echo "$BASE"
		echo "$BASE" | sed 's/"id.orig_h":"10.0.0.1",//'
		echo "$BASE" | sed 's/"id.resp_h":"8.8.8.8"/"id.resp_h":"8.8.8"/'
		echo "$BASE" | sed 's/"orig_bytes":1/"orig_bytes":-1/'
		echo "$BASE" | sed 's/"orig_bytes":1/"orig_bytes":"many"/'
		echo "$BASE" | sed 's/"duration":1.5/"duration":1e999/'
		echo "$BASE" | sed 's/"id.resp_p":443/"id.resp_p":70000/'
		echo "$BASE" | sed 's/"service":"ssl"/"service":7/'
		echo "$BASE" | sed 's/"history":"ShADadFf"/"history":["S"]/'
		echo "$BASE" | sed 's/"conn_state":"SF",/"local_orig":"yes",/'
		echo "$BASE"
	} > "$TMP/bad.json"
	run bash -c "azw-extract -m conn --schema extended '$TMP/bad.json' > '$TMP/out' 2> '$TMP/err'"
	[ "$status" -eq 1 ]
	cat "$TMP/err"
	f="$TMP/bad.json"
	grep -q "^azw-extract: $f:2: id.orig_h: missing address$" "$TMP/err"
	grep -q "^azw-extract: $f:3: id.resp_h: not an IPv4 or IPv6 address: \"8.8.8\"$" "$TMP/err"
	grep -q "^azw-extract: $f:4: orig_bytes: negative value: -1$" "$TMP/err"
	grep -q "^azw-extract: $f:5: orig_bytes: not a number: \"many\"$" "$TMP/err"
	grep -q "^azw-extract: $f:6: duration: not a finite number: 1e999$" "$TMP/err"
	grep -q "^azw-extract: $f:7: id.resp_p: not a port number: 70000$" "$TMP/err"
	grep -q "^azw-extract: $f:8: service: expected a string, not a number$" "$TMP/err"
	grep -q "^azw-extract: $f:9: history: expected a string, not an array$" "$TMP/err"
	grep -q "^azw-extract: $f:10: local_orig: not a boolean: \"yes\"$" "$TMP/err"
	grep -q "^azw-extract: 9 of 11 records skipped$" "$TMP/err"
	[ "$(grep -vc '^#' "$TMP/out")" -eq 2 ]
}

@test "extended: every record of the real conn files, all values finite numbers" {
	for f in "$CONN"/*.json "$CONN"/*.json.gz "$GOLDEN/conn.input.jsonl.gz"; do
		[ -e "$f" ] || continue
		case "$f" in
		*.gz) gzip -dc "$f" ;;
		*) cat "$f" ;;
		esac > "$TMP/in"
		run bash -c "azw-extract -m conn --schema extended '$TMP/in' > '$TMP/out'"
		echo "$f: status $status"
		[ "$status" -eq 0 ]
		[ "$(grep -vc '^#' "$TMP/out")" -eq "$(grep -c . "$TMP/in")" ]
		awk -F'\t' '!/^#/ { for (i = 8; i <= NF; i++) if ($i !~ /^-?[0-9]+(\.[0-9]+)?(e[-+]?[0-9]+)?$/) { print FILENAME ":" NR ": column " i ": " $i; bad = 1; exit } }
			END { exit bad }' "$TMP/out"
		# Counts are within their log1p range, flags 0/1.
		awk -F'\t' '/^#fields/ { for (i = 2; i <= NF; i++) n[i - 1] = $i; next } /^#/ { next }
			{ for (i = 8; i <= NF; i++) {
				if (n[i] ~ /^log_/ && ($i < 0 || $i > 50)) { print n[i] " = " $i; exit 1 }
				if (n[i] ~ /^(proto|dir|conn_state|service|icmp|resp_port)_/ && $i != 0 && $i != 1) { print n[i] " = " $i; exit 1 }
			} }' "$TMP/out"
	done
}

@test "extended: deterministic, and each record's vector depends on that record alone" {
	f="$CONN/ctu-008-mixed.head200.conn.json"
	azw-extract -m conn --schema extended "$f" > "$TMP/a"
	azw-extract -m conn --schema extended "$f" > "$TMP/b"
	cmp "$TMP/a" "$TMP/b"
	# Reversed input gives the same rows, reversed (the per-record features;
	# the context features depend on the records before: tests/15-context.bats).
	tac "$f" | azw-extract -m conn --schema extended --context none | grep -v '^#' | tac > "$TMP/rev"
	azw-extract -m conn --schema extended --context none "$f" | grep -v '^#' > "$TMP/fwd"
	cmp "$TMP/fwd" "$TMP/rev"
	# One-hot groups: exactly one column each.
	awk -F'\t' '/^#fields/ { for (i = 2; i <= NF; i++) n[i - 1] = $i; next } /^#/ { next }
		{ delete s
		  for (i = 8; i <= NF; i++) { g = n[i]; if (sub(/_[^_]*$/, "", g) && g ~ /^(proto|conn_state|dir)$/) s[g] += $i }
		  for (g in s) if (s[g] != 1) { print NR ": " g " sums to " s[g]; exit 1 } }' "$TMP/a"
}

@test "extended: --schema original is unchanged beside it" {
	f="$CONN/ctu-008-mixed.head200.conn.json"
	azw-extract -m conn --schema original "$f" > "$TMP/o"
	[ "$(sed -n 4p "$TMP/o")" = "$(printf '#schema\toriginal')" ]
	[ "$(grep '^#fields' "$TMP/o" | cut -f9- | tr '\t' '\n' | wc -l)" -eq 34 ]
	azw-extract -m conn --schema EXTENDED "$f" | cut -f1-7 > "$TMP/e"
	cut -f1-7 "$TMP/o" | grep -v '^#' > "$TMP/oid"
	grep -v '^#' "$TMP/e" | cmp - "$TMP/oid"
}

@test "--local-nets sets the networks the direction is taken from; a bad one is a usage error" {
	echo '{"id.orig_h":"147.32.81.167","id.resp_h":"8.8.8.8","id.orig_p":1,"id.resp_p":53,"proto":"udp"}' > "$TMP/r.json"
	col() { awk -F'\t' -v n="$1" '/^#fields/ { for (i = 1; i <= NF; i++) if ($i == n) c = i - 1 } !/^#/ { print $c }'; }
	[ "$(azw-extract -m conn "$TMP/r.json" | col dir_external)" = 1 ]
	[ "$(azw-extract -m conn --local-nets 147.32.0.0/16 "$TMP/r.json" | col dir_outgoing)" = 1 ]
	[ "$(azw-extract -m conn --local-nets default,147.32.0.0/16 "$TMP/r.json" | col orig_local)" = 1 ]
	[ "$(azw-extract -m conn --local-nets none "$TMP/r.json" | col dir_external)" = 1 ]
	run azw-extract -m conn --local-nets 10.0.0.0/33 "$TMP/r.json"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--local-nets: not a network (CIDR): \"10.0.0.0/33\""* ]]
}
