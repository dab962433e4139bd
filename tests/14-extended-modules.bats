#!/usr/bin/env bats
# azw-extract -m dns|http|ssh|ssl, schema extended (the default): the
# feature table in the header, hand-made records for each kind of feature
# (vocabularies and their other buckets, log1p values, entropy), the same
# vectors from TSV and JSON, finite values on real files, determinism.

load helpers

FMT="$DATA/formats"
SHARED="$BATS_TEST_DIRNAME/../../shared/data"

# Plain records to mutate with sed.
DNS='{"ts":1600000000.5,"uid":"Cdns","id.orig_h":"10.0.0.1","id.orig_p":40000,"id.resp_h":"8.8.8.8","id.resp_p":53,"proto":"udp","trans_id":1,"rtt":0.0015,"query":"AB.ab","qclass":1,"qclass_name":"C_INTERNET","qtype":1,"qtype_name":"A","rcode":0,"rcode_name":"NOERROR","AA":false,"TC":false,"RD":true,"RA":true,"Z":0,"answers":["ab.ab","192.0.2.1"],"TTLs":[3600.0,30.0],"rejected":false}'
HTTP='{"ts":1600000000.5,"uid":"Chttp","id.orig_h":"10.0.0.1","id.orig_p":40000,"id.resp_h":"192.0.2.80","id.resp_p":80,"trans_depth":1,"method":"GET","host":"example.com","uri":"/a/b/c?x=1","version":"1.1","user_agent":"curl/8.0","request_body_len":0,"response_body_len":999,"status_code":404,"status_msg":"Not Found","resp_fuids":["F1"],"resp_mime_types":["text/html"]}'
SSH='{"ts":1600000000.5,"uid":"Cssh","id.orig_h":"203.0.113.9","id.orig_p":40000,"id.resp_h":"10.0.0.22","id.resp_p":22,"version":2,"auth_success":false,"auth_attempts":3,"direction":"INBOUND","client":"SSH-2.0-libssh_0.9.6","server":"SSH-2.0-OpenSSH_8.2p1 Ubuntu-4ubuntu0.11","cipher_alg":"aes256-gcm@openssh.com","mac_alg":"hmac-sha2-256-etm@openssh.com","compression_alg":"none","kex_alg":"curve25519-sha256","host_key_alg":"ssh-ed25519","host_key":"aa:bb"}'
SSL='{"ts":1600000000.5,"uid":"Cssl","id.orig_h":"10.0.0.1","id.orig_p":40000,"id.resp_h":"192.0.2.43","id.resp_p":443,"version":"TLSv12","cipher":"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256","curve":"x25519","server_name":"AB.ab","resumed":false,"next_protocol":"h2","established":true,"ssl_history":"CsxknGIiDdD","cert_chain_fps":["f1","f2","f3"],"client_cert_chain_fps":[],"sni_matches_cert":true,"validation_status":"ok"}'

# Extended features of the records on stdin (module $1), one "name value"
# line per feature, records in order (the per-record features: the context
# rows, which depend on the records before, are tests/16-context-modules.bats').
ext() {
	azw-extract -m "$1" --context none | awk -F'\t' '
	/^#fields/ { for (i = 2; i <= NF; i++) name[i - 1] = $i; next }
	/^#/ { next }
	{ for (i = 8; i <= NF; i++) print name[i], $i }'
}

# The features of module $1's base record after the sed expression $2.
base() {
	local rec
	case $1 in
	dns) rec=$DNS ;; http) rec=$HTTP ;; ssh) rec=$SSH ;; ssl) rec=$SSL ;;
	esac
	echo "$rec" | sed "$2" | ext "$1"
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
	awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 5.000001e-7) }' ||
		{ echo "$1 is not $2"; return 1; }
}

# The per-record feature names of module $1's default schema, one a line.
names() {
	azw-extract -m "$1" --context none < /dev/null | grep '^#fields' | cut -f9- | tr '\t' '\n'
}

rows() {
	grep -vc '^#' "$1"
}

@test "extended modules: the default schema; the header names every feature once" {
	for m in dns http ssh ssl; do
		azw-extract -m "$m" --context none < /dev/null > "$TMP/out"
		[ "$(sed -n 4p "$TMP/out")" = "$(printf '#schema\textended')" ]
		azw-extract -m "$m" --schema extended --context none < /dev/null | cmp - "$TMP/out"
		names "$m" > "$TMP/names"
		n=$(wc -l < "$TMP/names")
		echo "$m: $n features"
		[ "$n" -ge 40 ] && [ "$n" -le 99 ]
		[ "$(sort -u "$TMP/names" | wc -l)" -eq "$n" ]
		# the types line has one double per feature
		[ "$(grep '^#types' "$TMP/out" | tr '\t' '\n' | grep -c '^double$')" -eq "$n" ]
		for f in is_ipv6 dir_internal dir_outgoing dir_incoming dir_external; do
			grep -qx "$f" "$TMP/names" || { echo "$m: no $f"; false; }
		done
	done
	# (each module's names read once: an azw-extract per name was most of
	# this test's time under the sanitizers)
	for m in dns http ssh ssl; do names "$m" > "$TMP/$m.names"; done
	[ "$(wc -l < "$TMP/dns.names")" -eq 57 ]
	[ "$(wc -l < "$TMP/http.names")" -eq 78 ]
	[ "$(wc -l < "$TMP/ssh.names")" -eq 61 ]
	[ "$(wc -l < "$TMP/ssl.names")" -eq 78 ]
	# Every group with its other bucket (and none where unset is a state).
	for f in proto_udp proto_tcp proto_other resp_port_dns resp_port_mdns resp_port_other \
		qtype_A qtype_TXT qtype_NULL qtype_ANY qtype_other qtype_none qclass_internet qclass_other \
		rcode_NOERROR rcode_NXDOMAIN rcode_other rcode_none AA TC RD RA Z_nonzero rejected \
		has_rtt log_rtt_ms log_query_len log_query_labels log_query_max_label query_digit_ratio \
		query_entropy query_reverse log_answers log_ttl_min log_ttl_max resp_multicast; do
		grep -qx "$f" "$TMP/dns.names" || { echo "dns: no $f"; false; }
	done
	for f in method_GET method_CONNECT method_other method_none status_2xx status_other status_none \
		status_200 status_404 version_1.0 version_other version_none log_request_body_len \
		log_response_body_len log_trans_depth log_uri_len log_uri_depth log_uri_query_len \
		uri_entropy has_host host_is_ip has_user_agent ua_browser ua_other ua_none has_referrer \
		mime_html mime_exe mime_image mime_other mime_none resp_port_80 resp_port_443 resp_port_other; do
		grep -qx "$f" "$TMP/http.names" || { echo "http: no $f"; false; }
	done
	for f in auth_success auth_failure auth_unknown log_auth_attempts zeek_dir_inbound zeek_dir_none \
		version_2 version_other version_none client_openssh client_libssh client_other client_none \
		server_openssh server_other cipher_other cipher_none mac_other kex_other kex_none \
		hostkey_other compression_none compression_zlib compression_other has_hassh resp_port_22; do
		grep -qx "$f" "$TMP/ssh.names" || { echo "ssh: no $f"; false; }
	done
	for f in version_TLSv12 version_TLSv13 version_other version_none cipher_gcm cipher_weak \
		cipher_other cipher_none kx_ecdhe kx_rsa kx_tls13 kx_other curve_x25519 curve_other curve_none \
		alpn_h2 alpn_other alpn_none established resumed has_sni sni_is_ip log_sni_len \
		sni_match_true sni_match_false sni_match_unset validation_ok validation_other \
		validation_none log_cert_chain_len has_client_cert hist_client_hello hist_other resp_port_443; do
		grep -qx "$f" "$TMP/ssl.names" || { echo "ssl: no $f"; false; }
	done
}

@test "extended dns: the base record; log1p values; entropy of a known name" {
	out=$(base dns '')
	[ "$(nonzero "$out" proto_)" = "proto_udp=1" ]
	[ "$(nonzero "$out" dir_)" = "dir_outgoing=1" ]
	[ "$(nonzero "$out" resp_port_)" = "resp_port_dns=1" ]
	[ "$(nonzero "$out" qtype_)" = "qtype_A=1" ]
	[ "$(nonzero "$out" qclass_)" = "qclass_internet=1" ]
	[ "$(nonzero "$out" rcode_)" = "rcode_NOERROR=1" ]
	[ "$(val "$out" RD)" = 1 ] && [ "$(val "$out" RA)" = 1 ] && [ "$(val "$out" AA)" = 0 ]
	[ "$(val "$out" has_rtt)" = 1 ]
	close_to "$(val "$out" log_rtt_ms)" 0.91629073187415511      # log1p(1.5 ms)
	close_to "$(val "$out" log_query_len)" 1.791759469228055     # log1p(5)
	close_to "$(val "$out" log_query_labels)" 1.0986122886681098 # log1p(2)
	close_to "$(val "$out" log_query_max_label)" 1.0986122886681098
	# "AB.ab" folds to "ab.ab": a 2/5, b 2/5, . 1/5
	close_to "$(val "$out" query_entropy)" 1.5219280948873621
	[ "$(val "$out" query_digit_ratio)" = 0 ]
	close_to "$(val "$out" log_answers)" 1.0986122886681098      # 2 answers
	close_to "$(val "$out" log_ttl_min)" 3.4339872044851463      # log1p(30)
	close_to "$(val "$out" log_ttl_max)" 8.188966863648876       # log1p(3600)
	# A random-looking name: 16 different characters, 4 bits each.
	out=$(base dns 's/"query":"AB.ab"/"query":"0123456789abcdef"/')
	close_to "$(val "$out" query_entropy)" 4
	close_to "$(val "$out" query_digit_ratio)" 0.625
	close_to "$(val "$out" log_query_labels)" 0.69314718055994531
	out=$(base dns 's/"query":"AB.ab"/"query":"4.3.2.1.in-addr.arpa."/')
	[ "$(val "$out" query_reverse)" = 1 ]
	close_to "$(val "$out" log_query_labels)" 1.9459101090932196 # 6 labels, the root dot ignored
}

@test "extended dns: vocabularies, their other and none columns" {
	for q in AAAA PTR TXT NULL SRV HTTPS; do
		[ "$(nonzero "$(base dns "s/\"qtype_name\":\"A\"/\"qtype_name\":\"$q\"/")" qtype_)" = "qtype_$q=1" ]
	done
	[ "$(nonzero "$(base dns 's/"qtype_name":"A"/"qtype_name":"*"/')" qtype_)" = "qtype_ANY=1" ]
	[ "$(nonzero "$(base dns 's/"qtype_name":"A"/"qtype_name":"AXFR"/')" qtype_)" = "qtype_other=1" ]
	[ "$(nonzero "$(base dns 's/"qtype_name":"A",//')" qtype_)" = "qtype_none=1" ]
	[ "$(nonzero "$(base dns 's/"qclass_name":"C_INTERNET"/"qclass_name":"qclass-32769"/')" qclass_)" = "qclass_other=1" ]
	[ "$(nonzero "$(base dns 's/"qclass_name":"C_INTERNET",//')" qclass_)" = "" ]
	[ "$(nonzero "$(base dns 's/"rcode_name":"NOERROR"/"rcode_name":"NXDOMAIN"/')" rcode_)" = "rcode_NXDOMAIN=1" ]
	[ "$(nonzero "$(base dns 's/"rcode_name":"NOERROR"/"rcode_name":"NOTIMP"/')" rcode_)" = "rcode_other=1" ]
	[ "$(nonzero "$(base dns 's/"rcode_name":"NOERROR",//')" rcode_)" = "rcode_none=1" ]
	[ "$(nonzero "$(base dns 's/"proto":"udp"/"proto":"tcp"/')" proto_)" = "proto_tcp=1" ]
	[ "$(nonzero "$(base dns 's/"proto":"udp",//')" proto_)" = "proto_other=1" ]
	out=$(base dns 's/"id.resp_p":53/"id.resp_p":5353/; s/"id.resp_h":"8.8.8.8"/"id.resp_h":"224.0.0.251"/')
	[ "$(nonzero "$out" resp_port_)" = "resp_port_mdns=1" ]
	[ "$(val "$out" resp_multicast)" = 1 ]
	[ "$(nonzero "$(base dns 's/"id.resp_p":53/"id.resp_p":5355/')" resp_port_)" = "resp_port_llmnr=1" ]
	[ "$(nonzero "$(base dns 's/"id.resp_p":53/"id.resp_p":137/')" resp_port_)" = "resp_port_netbios=1" ]
	[ "$(nonzero "$(base dns 's/"id.resp_p":53/"id.resp_p":5300/')" resp_port_)" = "resp_port_other=1" ]
	[ "$(val "$(base dns 's/"Z":0/"Z":2/')" Z_nonzero)" = 1 ]
	# Missing: rtt, query, answers, TTLs, flags.
	out=$(base dns 's/"rtt":0.0015,//; s/"query":"AB.ab",//; s/"answers":\[[^]]*\],//; s/"TTLs":\[[^]]*\],//; s/"RD":true,//')
	for f in has_rtt log_rtt_ms has_query log_query_len query_entropy log_answers log_ttl_min log_ttl_max RD; do
		[ "$(val "$out" $f)" = 0 ] || { echo "$f not 0"; false; }
	done
	# IPv6, direction from the networks.
	out=$(base dns 's/"id.orig_h":"10.0.0.1"/"id.orig_h":"fd00::1"/; s/"id.resp_h":"8.8.8.8"/"id.resp_h":"fd00::53"/')
	[ "$(val "$out" is_ipv6)" = 1 ]
	[ "$(nonzero "$out" dir_)" = "dir_internal=1" ]
}

# A Zeek TSV dns.log holding the base record.
dns_tsv() {
	printf '#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tdns\n'
	printf '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ttrans_id\trtt\tquery\tqclass\tqclass_name\tqtype\tqtype_name\trcode\trcode_name\tAA\tTC\tRD\tRA\tZ\tanswers\tTTLs\trejected\n'
	printf '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tcount\tinterval\tstring\tcount\tstring\tcount\tstring\tcount\tstring\tbool\tbool\tbool\tbool\tcount\tvector[string]\tvector[interval]\tbool\n'
	printf '1600000000.500000\tCdns\t10.0.0.1\t40000\t8.8.8.8\t53\tudp\t1\t0.001500\tAB.ab\t1\tC_INTERNET\t1\tA\t0\tNOERROR\tF\tF\tT\tT\t0\tab.ab,192.0.2.1\t3600.000000,30.000000\tF\n'
	printf '1600000000.600000\tCdns\t10.0.0.1\t40000\t8.8.8.8\t53\tudp\t1\t-\ta\\x01b\t1\tC_INTERNET\t1\tA\t0\tNOERROR\tF\tF\tT\tT\t0\t(empty)\t(empty)\tF\n'
}

@test "extended dns: a hand-made record as TSV and as JSON gives the same vector (lists, rtt, escapes)" {
	dns_tsv | azw-extract > "$TMP/tsv"
	{
		echo "$DNS" | sed 's/"rtt":0.0015/"rtt":0.0015000000000000000312/'
		echo "$DNS" | sed 's/"ts":1600000000.5/"ts":1600000000.6/; s/"rtt":0.0015,//; s/"query":"AB.ab"/"query":"a\\\\x01b"/; s/"answers":\[[^]]*\]/"answers":[]/; s/"TTLs":\[[^]]*\]/"TTLs":[]/'
	} | azw-extract -m dns > "$TMP/json"
	[ "$(rows "$TMP/tsv")" -eq 2 ]
	diff "$TMP/tsv" "$TMP/json"
	# the escaped byte counts one: "a\x01b" is 3 bytes
	dns_tsv | ext dns > "$TMP/f"
	close_to "$(awk '$1 == "log_query_len" { print $2 }' "$TMP/f" | sed -n 2p)" 1.3862943611198906
}

@test "extended http: vocabularies, status class and code, other and none" {
	out=$(base http '')
	[ "$(nonzero "$out" method_)" = "method_GET=1" ]
	[ "$(nonzero "$out" status_)" = "status_4xx=1 status_404=1" ]
	[ "$(nonzero "$out" version_)" = "version_1.1=1" ]
	[ "$(nonzero "$out" resp_port_)" = "resp_port_80=1" ]
	[ "$(nonzero "$out" ua_)" = "ua_curl_wget=1" ]
	[ "$(nonzero "$out" mime_)" = "mime_html=1" ]
	[ "$(nonzero "$out" dir_)" = "dir_outgoing=1" ]
	[ "$(nonzero "$(base http 's/"method":"GET"/"method":"PROPFIND"/')" method_)" = "method_other=1" ]
	[ "$(nonzero "$(base http 's/"method":"GET",//')" method_)" = "method_none=1" ]
	[ "$(nonzero "$(base http 's/"status_code":404/"status_code":200/')" status_)" = "status_2xx=1 status_200=1" ]
	[ "$(nonzero "$(base http 's/"status_code":404/"status_code":"302"/')" status_)" = "status_3xx=1 status_302=1" ]
	[ "$(nonzero "$(base http 's/"status_code":404/"status_code":418/')" status_)" = "status_4xx=1" ]
	[ "$(nonzero "$(base http 's/"status_code":404/"status_code":0/')" status_)" = "status_other=1" ]
	[ "$(nonzero "$(base http 's/"status_code":404,//')" status_)" = "status_none=1" ]
	[ "$(nonzero "$(base http 's/"version":"1.1"/"version":"1.0"/')" version_)" = "version_1.0=1" ]
	[ "$(nonzero "$(base http 's/"version":"1.1"/"version":"3"/')" version_)" = "version_other=1" ]
	[ "$(nonzero "$(base http 's/"version":"1.1",//')" version_)" = "version_none=1" ]
	[ "$(nonzero "$(base http 's/"id.resp_p":80/"id.resp_p":8080/')" resp_port_)" = "resp_port_alt=1" ]
	[ "$(nonzero "$(base http 's/"id.resp_p":80/"id.resp_p":81/')" resp_port_)" = "resp_port_other=1" ]
	ua() { nonzero "$(base http "s|\"user_agent\":\"curl/8.0\"|\"user_agent\":\"$1\"|")" ua_; }
	[ "$(ua 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/120')" = "ua_browser=1" ]
	[ "$(ua 'Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1')" = "ua_powershell=1" ]
	[ "$(ua 'python-requests/2.31')" = "ua_python=1" ]
	[ "$(ua 'Go-http-client/1.1')" = "ua_library=1" ]
	[ "$(ua 'Microsoft-CryptoAPI/10.0')" = "ua_windows=1" ]
	[ "$(ua 'Modzilla/0.0001 (Atari 7800)')" = "ua_other=1" ]
	[ "$(ua '')" = "ua_none=1" ]
	out=$(base http 's/"user_agent":"curl\/8.0",//')
	[ "$(nonzero "$out" ua_)" = "ua_none=1" ]
	[ "$(val "$out" has_user_agent)" = 0 ]
	# Each MIME type sets its column; image/... is one class.
	mime() { nonzero "$(base http "s|\"resp_mime_types\":\[\"text/html\"\]|\"resp_mime_types\":$1|")" mime_; }
	[ "$(mime '["application/x-dosexec"]')" = "mime_exe=1" ]
	[ "$(mime '["image/png","text/html","application/zip"]')" = "mime_html=1 mime_image=1 mime_archive=1" ]
	[ "$(mime '["application/x-weird"]')" = "mime_other=1" ]
	[ "$(mime '[]')" = "mime_none=1" ]
	[ "$(nonzero "$(base http 's/,"resp_mime_types":\["text\/html"\]//')" mime_)" = "mime_none=1" ]
}

@test "extended http: URI shape, Host, counts as log1p" {
	out=$(base http '')
	close_to "$(val "$out" log_uri_len)" 2.3978952727983707        # log1p(10)
	close_to "$(val "$out" log_uri_depth)" 1.3862943611198906      # 3 slashes before '?'
	close_to "$(val "$out" log_uri_query_len)" 1.3862943611198906  # "x=1"
	[ "$(val "$out" uri_absolute)" = 0 ]
	close_to "$(val "$out" log_response_body_len)" 6.9077552789821368 # log1p(999)
	[ "$(val "$out" log_request_body_len)" = 0 ]
	close_to "$(val "$out" log_trans_depth)" 0.69314718055994531
	close_to "$(val "$out" log_resp_files)" 0.69314718055994531
	[ "$(val "$out" log_orig_files)" = 0 ]
	close_to "$(val "$out" log_user_agent_len)" 2.1972245773362196   # log1p(8)
	[ "$(val "$out" has_host)" = 1 ] && [ "$(val "$out" host_is_ip)" = 0 ]
	out=$(base http 's|"uri":"/a/b/c?x=1"|"uri":"abcd"|')
	close_to "$(val "$out" uri_entropy)" 2
	[ "$(val "$out" log_uri_query_len)" = 0 ]
	[ "$(val "$out" log_uri_depth)" = 0 ]
	[ "$(val "$(base http 's|"uri":"/a/b/c?x=1"|"uri":"http://x.example/y?z=http://w"|')" uri_absolute)" = 1 ]
	[ "$(val "$(base http 's|"uri":"/a/b/c?x=1"|"uri":"/y?z=http://w"|')" uri_absolute)" = 0 ]
	for h in 192.0.2.1 192.0.2.1:8080 '[2001:db8::1]:80' 2001:db8::1; do
		[ "$(val "$(base http "s/\"host\":\"example.com\"/\"host\":\"$h\"/")" host_is_ip)" = 1 ] || { echo "$h"; false; }
	done
	out=$(base http 's/"host":"example.com"/"host":""/')
	[ "$(val "$out" has_host)" = 0 ]
	out=$(base http 's/"host":"example.com",//')
	[ "$(val "$out" has_host)" = 0 ]
}

@test "extended ssh: authentication outcome, software, algorithms, their other and none columns" {
	out=$(base ssh '')
	[ "$(nonzero "$out" auth_)" = "auth_failure=1" ]
	close_to "$(val "$out" log_auth_attempts)" 1.3862943611198906
	[ "$(nonzero "$out" client_)" = "client_libssh=1" ]
	[ "$(nonzero "$out" server_)" = "server_openssh=1" ]
	[ "$(nonzero "$out" cipher_)" = "cipher_aes_gcm=1" ]
	[ "$(nonzero "$out" mac_)" = "mac_etm=1" ]
	[ "$(nonzero "$out" kex_)" = "kex_curve25519=1" ]
	[ "$(nonzero "$out" hostkey_)" = "hostkey_ed25519=1" ]
	[ "$(nonzero "$out" compression_)" = "compression_none=1" ]
	[ "$(nonzero "$out" version_)" = "version_2=1" ]
	[ "$(nonzero "$out" zeek_dir_)" = "zeek_dir_inbound=1" ]
	[ "$(nonzero "$out" dir_)" = "dir_incoming=1" ]
	[ "$(nonzero "$out" resp_port_)" = "resp_port_22=1" ]
	[ "$(nonzero "$(base ssh 's/"auth_success":false/"auth_success":true/')" auth_)" = "auth_success=1" ]
	[ "$(nonzero "$(base ssh 's/"auth_success":false/"auth_success":"T"/')" auth_)" = "auth_success=1" ]
	[ "$(nonzero "$(base ssh 's/"auth_success":false,//')" auth_)" = "auth_unknown=1" ]
	client() { nonzero "$(base ssh "s|\"client\":\"SSH-2.0-libssh_0.9.6\"|\"client\":\"$1\"|")" client_; }
	[ "$(client SSH-2.0-Go)" = "client_go=1" ]
	[ "$(client SSH-2.0-OpenSSH_7.6p1\ Debian-4)" = "client_openssh=1" ]
	[ "$(client SSH-1.99-OpenSSH_3.9p1)" = "client_openssh=1" ]
	[ "$(client SSH-2.0-PuTTY_Release_0.70)" = "client_putty=1" ]
	[ "$(client SSH-2.0-libssh2_1.9.0)" = "client_libssh=1" ]
	[ "$(client SSH-2.0-paramiko_2.4.2)" = "client_paramiko=1" ]
	[ "$(client SSH-2.0-AsyncSSH_2.1.0)" = "client_other=1" ]
	[ "$(client paramiko_2.4.2)" = "client_paramiko=1" ]
	[ "$(client '')" = "client_none=1" ]
	[ "$(client 'SSH-2.0-a\\u0000b')" = "client_other=1" ]
	[ "$(nonzero "$(base ssh 's/"client":"SSH-2.0-libssh_0.9.6",//')" client_)" = "client_none=1" ]
	[ "$(nonzero "$(base ssh 's/"server":"[^"]*"/"server":"SSH-2.0-dropbear_2019.78"/')" server_)" = "server_dropbear=1" ]
	failed='s/"aes256-gcm@openssh.com"/"Algorithm negotiation failed"/; s/"curve25519-sha256"/"Algorithm negotiation failed"/'
	out=$(base ssh "$failed")
	[ "$(nonzero "$out" cipher_)" = "cipher_other=1" ]
	[ "$(nonzero "$out" kex_)" = "kex_other=1" ]
	out=$(base ssh 's/"version":2,//; s/"cipher_alg":"[^"]*",//; s/"mac_alg":"[^"]*",//; s/"compression_alg":"none",//; s/"kex_alg":"[^"]*",//; s/"host_key_alg":"[^"]*",//; s/"direction":"INBOUND",//')
	[ "$(nonzero "$out" version_)" = "version_none=1" ]
	[ "$(nonzero "$out" cipher_)" = "cipher_none=1" ]
	[ "$(nonzero "$out" mac_)" = "mac_none=1" ]
	[ "$(nonzero "$out" kex_)" = "kex_none=1" ]
	[ "$(nonzero "$out" hostkey_)" = "hostkey_none=1" ]
	[ "$(nonzero "$out" compression_)" = "compression_other=1" ]
	[ "$(nonzero "$out" zeek_dir_)" = "zeek_dir_none=1" ]
	[ "$(nonzero "$(base ssh 's/"compression_alg":"none"/"compression_alg":"zlib@openssh.com"/')" compression_)" = "compression_zlib=1" ]
	[ "$(nonzero "$(base ssh 's/"version":2/"version":1/')" version_)" = "version_1=1" ]
	[ "$(nonzero "$(base ssh 's/"version":2/"version":"2"/')" version_)" = "version_2=1" ]
	[ "$(nonzero "$(base ssh 's/"direction":"INBOUND"/"direction":"OUTBOUND"/')" zeek_dir_)" = "zeek_dir_outbound=1" ]
	[ "$(nonzero "$(base ssh 's/"id.resp_p":22/"id.resp_p":2222/')" resp_port_)" = "resp_port_2222=1" ]
	[ "$(val "$(base ssh 's/"host_key"/"hassh":"ec7378c1a92f5a8dde7e8b7a1ddf33d1","host_key"/')" has_hassh)" = 1 ]
	[ "$(val "$(base ssh 's/"auth_attempts":3,//')" log_auth_attempts)" = 0 ]
}

@test "extended ssl: version, cipher family and key exchange, curve, ALPN, validation" {
	out=$(base ssl '')
	[ "$(nonzero "$out" version_)" = "version_TLSv12=1" ]
	[ "$(nonzero "$out" cipher_)" = "cipher_gcm=1" ]
	[ "$(nonzero "$out" kx_)" = "kx_ecdhe=1" ]
	[ "$(nonzero "$out" curve_)" = "curve_x25519=1" ]
	[ "$(nonzero "$out" alpn_)" = "alpn_h2=1" ]
	[ "$(nonzero "$out" validation_)" = "validation_ok=1" ]
	[ "$(nonzero "$out" sni_match_)" = "sni_match_true=1" ]
	[ "$(nonzero "$out" resp_port_)" = "resp_port_443=1" ]
	[ "$(val "$out" established)" = 1 ] && [ "$(val "$out" resumed)" = 0 ] && [ "$(val "$out" has_alert)" = 0 ]
	cipher() { echo "$(nonzero "$(base ssl "s/TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256/$1/")" cipher_) $(nonzero "$(base ssl "s/TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256/$1/")" kx_)"; }
	[ "$(cipher TLS_AES_128_GCM_SHA256)" = "cipher_gcm=1 kx_tls13=1" ]
	[ "$(cipher TLS_CHACHA20_POLY1305_SHA256)" = "cipher_chacha20=1 kx_tls13=1" ]
	[ "$(cipher TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256)" = "cipher_chacha20=1 kx_ecdhe=1" ]
	[ "$(cipher TLS_DHE_RSA_WITH_AES_256_CBC_SHA)" = "cipher_cbc=1 kx_dhe=1" ]
	[ "$(cipher TLS_RSA_WITH_3DES_EDE_CBC_SHA)" = "cipher_weak=1 kx_rsa=1" ]
	[ "$(cipher TLS_RSA_WITH_RC4_128_SHA)" = "cipher_weak=1 kx_rsa=1" ]
	[ "$(cipher TLS_RSA_EXPORT_WITH_DES40_CBC_SHA)" = "cipher_weak=1 kx_rsa=1" ]
	[ "$(cipher TLS_DH_anon_WITH_AES_128_CBC_SHA)" = "cipher_weak=1 kx_other=1" ]
	[ "$(cipher TLS_ECDHE_ECDSA_WITH_AES_128_CCM)" = "cipher_other=1 kx_ecdhe=1" ]
	out=$(base ssl 's/"cipher":"[^"]*",//')
	[ "$(nonzero "$out" cipher_) $(nonzero "$out" kx_)" = "cipher_none=1 " ]
	ver() { nonzero "$(base ssl "s/\"version\":\"TLSv12\"/\"version\":\"$1\"/")" version_; }
	[ "$(ver TLSv13)" = "version_TLSv13=1" ]
	[ "$(ver TLSv13-draft23)" = "version_TLSv13=1" ]
	[ "$(ver SSLv3)" = "version_SSLv3=1" ]
	[ "$(ver DTLSv12)" = "version_DTLS=1" ]
	[ "$(ver TLSv14)" = "version_other=1" ]
	[ "$(nonzero "$(base ssl 's/"version":"TLSv12",//')" version_)" = "version_none=1" ]
	[ "$(nonzero "$(base ssl 's/"curve":"x25519"/"curve":"secp521r1"/')" curve_)" = "curve_other=1" ]
	[ "$(nonzero "$(base ssl 's/"curve":"x25519",//')" curve_)" = "curve_none=1" ]
	[ "$(nonzero "$(base ssl 's/"next_protocol":"h2"/"next_protocol":"http\/1.1"/')" alpn_)" = "alpn_http11=1" ]
	[ "$(nonzero "$(base ssl 's/"next_protocol":"h2"/"next_protocol":"imap"/')" alpn_)" = "alpn_other=1" ]
	[ "$(nonzero "$(base ssl 's/"next_protocol":"h2",//')" alpn_)" = "alpn_none=1" ]
	v() { nonzero "$(base ssl "s/\"validation_status\":\"ok\"/\"validation_status\":\"$1\"/")" validation_; }
	[ "$(v 'self signed certificate')" = "validation_self_signed=1" ]
	[ "$(v 'unable to get local issuer certificate')" = "validation_no_issuer=1" ]
	[ "$(v 'certificate has expired')" = "validation_expired=1" ]
	[ "$(v 'certificate revoked')" = "validation_other=1" ]
	[ "$(nonzero "$(base ssl 's/,"validation_status":"ok"//')" validation_)" = "validation_none=1" ]
	[ "$(nonzero "$(base ssl 's/"sni_matches_cert":true/"sni_matches_cert":false/')" sni_match_)" = "sni_match_false=1" ]
	[ "$(nonzero "$(base ssl 's/"sni_matches_cert":true,//')" sni_match_)" = "sni_match_unset=1" ]
	[ "$(nonzero "$(base ssl 's/"id.resp_p":443/"id.resp_p":993/')" resp_port_)" = "resp_port_mail=1" ]
	[ "$(val "$(base ssl 's/"resumed":false/"resumed":true/; s/"next_protocol"/"last_alert":"unknown_ca","next_protocol"/')" has_alert)" = 1 ]
}

@test "extended ssl: SNI, chains, ssl_history counted per letter" {
	out=$(base ssl '')
	[ "$(val "$out" has_sni)" = 1 ] && [ "$(val "$out" sni_is_ip)" = 0 ]
	close_to "$(val "$out" log_sni_len)" 1.791759469228055
	close_to "$(val "$out" sni_entropy)" 1.5219280948873621
	close_to "$(val "$out" log_cert_chain_len)" 1.3862943611198906   # 3 certificates
	[ "$(val "$out" has_client_cert)" = 0 ]
	[ "$(nonzero "$out" hist_)" = "hist_client_hello=1 hist_server_hello=1 hist_server_cert=1 hist_server_kex=1 hist_server_done=1 hist_client_kex=1 hist_client_ccs=1 hist_server_ccs=1 hist_client_data=2 hist_server_data=1" ]
	out=$(base ssl 's/"ssl_history":"[^"]*"/"ssl_history":"CsuxZzHb"/')
	[ "$(nonzero "$out" hist_)" = "hist_client_hello=1 hist_server_hello=1 hist_server_cert=1 hist_cert_status=1 hist_heartbeat=1 hist_other=3" ]
	out=$(base ssl 's/"server_name":"AB.ab"/"server_name":"192.0.2.43"/; s/"client_cert_chain_fps":\[\]/"client_cert_chain_fps":["c1"]/')
	[ "$(val "$out" sni_is_ip)" = 1 ]
	[ "$(val "$out" has_client_cert)" = 1 ]
	out=$(base ssl 's/"server_name":"AB.ab",//; s/"cert_chain_fps":\[[^]]*\],//; s/"ssl_history":"[^"]*",//')
	for f in has_sni sni_is_ip log_sni_len sni_entropy log_cert_chain_len; do
		[ "$(val "$out" $f)" = 0 ] || { echo "$f"; false; }
	done
	[ "$(nonzero "$out" hist_)" = "" ]
	# Older Zeek: cert_chain_fuids.
	out=$(base ssl 's/"cert_chain_fps":\[[^]]*\]/"cert_chain_fuids":["F1","F2"]/')
	close_to "$(val "$out" log_cert_chain_len)" 1.0986122886681098
}

@test "extended modules: unusable records are rejected with a reason, the others come out" {
	{
		echo "$DNS" | sed 's/"id.resp_h":"8.8.8.8",//'
		echo "$DNS" | sed 's/"rtt":0.0015/"rtt":-1/'
		echo "$DNS" | sed 's/"TTLs":\[3600.0,30.0\]/"TTLs":["x"]/'
		echo "$DNS" | sed 's/"AA":false/"AA":"yes"/'
		echo "$DNS" | sed 's/"qtype_name":"A"/"qtype_name":["A"]/'
		echo "$DNS"
	} > "$TMP/dns.json"
	run bash -c "azw-extract -m dns '$TMP/dns.json' > '$TMP/out' 2> '$TMP/err'"
	cat "$TMP/err"
	[ "$status" -eq 1 ]
	[ "$(rows "$TMP/out")" -eq 1 ]
	f="$TMP/dns.json"
	grep -q "^azw-extract: $f:1: id.resp_h: missing address$" "$TMP/err"
	grep -q "^azw-extract: $f:2: rtt: negative value: -1$" "$TMP/err"
	grep -q "^azw-extract: $f:3: TTLs: not a list of non-negative numbers: \"x\"$" "$TMP/err"
	grep -q "^azw-extract: $f:4: AA: not a boolean: \"yes\"$" "$TMP/err"
	grep -q "^azw-extract: $f:5: qtype_name: expected a string, not an array$" "$TMP/err"
	grep -q "^azw-extract: 5 of 6 records skipped$" "$TMP/err"
	{
		echo "$HTTP" | sed 's/"status_code":404/"status_code":"abc"/'
		echo "$HTTP" | sed 's/"request_body_len":0/"request_body_len":-1/'
		echo "$HTTP" | sed 's/"resp_mime_types":\["text\/html"\]/"resp_mime_types":5/'
		echo "$HTTP"
		echo "$SSH" | sed 's/"auth_success":false/"auth_success":"maybe"/'
		echo "$SSH"
		echo "$SSL" | sed 's/"cert_chain_fps":\[[^]]*\]/"cert_chain_fps":7/'
		echo "$SSL" | sed 's/"id.orig_h":"10.0.0.1"/"id.orig_h":"10.0.0.256"/'
		echo "$SSL"
	} > "$TMP/mixed.json"
	for m in http ssh ssl; do
		grep "\"C$m\"" "$TMP/mixed.json" > "$TMP/$m.json"
		run bash -c "azw-extract -m $m '$TMP/$m.json' > '$TMP/out' 2>> '$TMP/err2'"
		[ "$status" -eq 1 ]
		[ "$(rows "$TMP/out")" -eq 1 ]
	done
	cat "$TMP/err2"
	grep -q "http.json:1: status_code: not an integer code: \"abc\"$" "$TMP/err2"
	grep -q "http.json:2: request_body_len: negative value: -1$" "$TMP/err2"
	grep -q "http.json:3: resp_mime_types: expected a list, not a number$" "$TMP/err2"
	grep -q "ssh.json:1: auth_success: not a boolean: \"maybe\"$" "$TMP/err2"
	grep -q "ssl.json:1: cert_chain_fps: expected a list, not a number$" "$TMP/err2"
	grep -q "ssl.json:2: id.orig_h: not an IPv4 or IPv6 address: \"10.0.0.256\"$" "$TMP/err2"
	# A NUL byte in a text field does not reject the record.
	echo "$DNS" | sed 's/"query":"AB.ab"/"query":"a\\u0000b"/' | azw-extract -m dns > "$TMP/out"
	[ "$(rows "$TMP/out")" -eq 1 ]
}

# The real TSV/JSON pairs: the excerpts here, and the whole files of the
# shared data when it is there.
@test "extended modules: TSV and JSON of the same records give identical vectors" {
	for t in dns ssh ssl; do
		gzip -dc "$FMT/brim_$t.head150.json.gz" | azw-extract > "$TMP/json"
		gzip -dc "$FMT/brim_$t.head150.log.gz" | azw-extract > "$TMP/tsv"
		[ "$(sed -n 4p "$TMP/tsv")" = "$(printf '#schema\textended')" ]
		[ "$(rows "$TMP/tsv")" -eq "$(gzip -dc "$FMT/brim_$t.head150.json.gz" | grep -c .)" ]
		cmp "$TMP/json" "$TMP/tsv"
	done
	gzip -dc "$FMT/rita-http.head200.json.gz" | azw-extract > "$TMP/json"
	gzip -dc "$FMT/rita-http.head200.log.gz" | azw-extract > "$TMP/tsv"
	[ "$(rows "$TMP/tsv")" -eq 200 ]
	cmp "$TMP/json" "$TMP/tsv"
	[ -d "$SHARED/brim-wrccdc" ] || skip "no shared data for the whole files"
	for t in dns ssh ssl; do
		shared_text "$SHARED/brim-wrccdc/brim_$t.json.gz" | azw-extract > "$TMP/json"
		shared_text "$SHARED/brim-wrccdc/brim_$t.log.gz" | azw-extract > "$TMP/tsv"
		echo "$t: $(rows "$TMP/tsv") records"
		cmp "$TMP/json" "$TMP/tsv"
	done
	shared_text "$SHARED"/rita-valid-json-http/http.part*.log | azw-extract -m http > "$TMP/json"
	shared_text "$SHARED/rita-valid-tsv-http/http.log.gz" | azw-extract > "$TMP/tsv"
	echo "http: $(rows "$TMP/tsv") records"
	[ "$(rows "$TMP/tsv")" -gt 20000 ] || { sanitizer_build && [ "$(rows "$TMP/tsv")" -eq 5000 ]; }
	cmp "$TMP/json" "$TMP/tsv"
}


# The real files of ../shared/data (the same command on these files and
# more, with the same checks: exit 0 or 1, no record lost, finite values)
# are tests/16-context-modules.bats' sweep: one run of each for both files.
@test "extended modules: every record of the fixtures' real logs, all values finite numbers" {
	for f in "$FMT"/brim_*.gz "$FMT"/rita-http.*.gz "$FMT"/rita-missing-host.dns.head20.log; do
		gzip -dcf "$f" | azw-extract > "$TMP/out" 2> "$TMP/err"
		[ ! -s "$TMP/err" ] || { echo "$f"; cat "$TMP/err"; false; }
		finite "$TMP/out"
	done
}

@test "extended modules: deterministic, and each record's vector depends on that record alone" {
	# (without the context rows, which depend on the records before:
	# tests/16-context-modules.bats)
	for t in dns ssh ssl; do
		gzip -dc "$FMT/brim_$t.head150.json.gz" > "$TMP/in"
		azw-extract --context none "$TMP/in" > "$TMP/a"
		azw-extract --context none "$TMP/in" > "$TMP/b"
		cmp "$TMP/a" "$TMP/b"
		# reversed input: the same vectors in reverse order
		tac "$TMP/in" | azw-extract -m "$t" --context none | grep -v '^#' > "$TMP/r"
		diff <(grep -v '^#' "$TMP/a" | tac) "$TMP/r"
	done
	gzip -dc "$FMT/rita-http.head200.json.gz" > "$TMP/in"
	azw-extract -m http --context none "$TMP/in" | grep -v '^#' > "$TMP/a"
	tac "$TMP/in" | azw-extract -m http --context none | grep -v '^#' | tac > "$TMP/r"
	cmp "$TMP/a" "$TMP/r"
}

@test "extended modules: --local-nets moves the direction; --schema original is unchanged beside it" {
	out=$(echo "$DNS" | azw-extract -m dns --local-nets 8.8.8.0/24 | ext_names_values)
	[ "$(nonzero "$out" dir_)" = "dir_incoming=1" ]
	out=$(echo "$SSH" | azw-extract -m ssh --local-nets none | ext_names_values)
	[ "$(nonzero "$out" dir_)" = "dir_external=1" ]
	for m in dns http ssh ssl; do
		names=$(azw-extract -m "$m" --schema original < /dev/null | grep '^#schema')
		[ "$names" = "$(printf '#schema\toriginal')" ]
	done
}

# ext's awk, on an azw-extract stream on stdin.
ext_names_values() {
	awk -F'\t' '
	/^#fields/ { for (i = 2; i <= NF; i++) name[i - 1] = $i; next }
	/^#/ { next }
	{ for (i = 8; i <= NF; i++) print name[i], $i }'
}
