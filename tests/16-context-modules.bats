#!/usr/bin/env bats
# The context features of dns, http, ssh and ssl (the context specs at the
# end of src/modules/{dns,http,ssh,ssl}.c, on src/context.[ch]): after the
# per-record features by default, none with --context none; hand-made
# streams with known expectations (NXDOMAIN shares, failed logins, new
# names, error statuses, missing SNI); TSV and JSON alike; determinism;
# finite values and no record lost on real files; flat memory.

load helpers

FMT="$DATA/formats"
SHARED="$BATS_TEST_DIRNAME/../../shared/data"

# JSON records: dns TS ORIG QUERY RCODE; http TS ORIG RESP STATUS HOST;
# ssh TS ORIG RESP AUTH ATTEMPTS; ssl TS ORIG RESP SNI VALIDATION RESUMED
dns() {
	local rc=${4:+\"rcode_name\":\"$4\",}
	printf '{"ts":%s,"uid":"Cd%s","id.orig_h":"%s","id.orig_p":40000,"id.resp_h":"8.8.8.8","id.resp_p":53,"proto":"udp","query":"%s","qtype_name":"A",%s"RD":true}\n' \
		"$1" "${1%.*}" "$2" "$3" "$rc"
}
http() {
	printf '{"ts":%s,"uid":"Ch%s","id.orig_h":"%s","id.orig_p":40000,"id.resp_h":"%s","id.resp_p":80,"trans_depth":1,"method":"GET","host":"%s","uri":"/","version":"1.1","request_body_len":0,"response_body_len":100,"status_code":%s}\n' \
		"$1" "${1%.*}" "$2" "$3" "$5" "$4"
}
ssh() {
	printf '{"ts":%s,"uid":"Cs%s","id.orig_h":"%s","id.orig_p":40000,"id.resp_h":"%s","id.resp_p":22,"version":2,"auth_success":%s,"auth_attempts":%s,"client":"SSH-2.0-libssh_0.9.6"}\n' \
		"$1" "${1%.*}" "$2" "$3" "$4" "$5"
}
ssl() {
	local sni=${4:+\"server_name\":\"$4\",} val=${5:+\"validation_status\":\"$5\",}
	printf '{"ts":%s,"uid":"Ct%s","id.orig_h":"%s","id.orig_p":40000,"id.resp_h":"%s","id.resp_p":443,"version":"TLSv12",%s%s"resumed":%s,"established":true}\n' \
		"$1" "${1%.*}" "$2" "$3" "$sni" "$val" "${6:-false}"
}

# Column $1 of every row of the vector stream on stdin, one value a line.
col() {
	awk -F'\t' -v k="$1" '/^#fields/ { for (i = 2; i <= NF; i++) if ($i == k) c = i - 1; next }
		/^#/ { next } { if (!c) { print "MISSING:" k; exit 1 } print $c }'
}

# The feature names of module $1 (azw-extract options after it), one a line.
names() {
	local m=$1
	shift
	azw-extract -m "$m" "$@" < /dev/null | grep '^#fields' | cut -f9- | tr '\t' '\n'
}


@test "context modules: dns, http, ssh, ssl have context rows after their own; --context none and original have none" {
	for m in dns http ssh ssl; do
		names "$m" > "$TMP/ctx"
		names "$m" --context none > "$TMP/none"
		names "$m" --schema extended --context default | cmp - "$TMP/ctx"
		n=$(wc -l < "$TMP/none"); c=$(wc -l < "$TMP/ctx")
		echo "$m: $n per-record, $((c - n)) context"
		[ $((c - n)) -ge 8 ] && [ $((c - n)) -le 15 ]
		head -n "$n" "$TMP/ctx" | cmp - "$TMP/none"
		[ "$(sort -u "$TMP/ctx" | wc -l)" -eq "$c" ]
		tail -n +"$((n + 1))" "$TMP/ctx" > "$TMP/rows"
		grep -qx src_rate_10s "$TMP/rows"
		[ "$(grep -cv '^\(src\|pair\)_' "$TMP/rows")" -eq 0 ]
		# the types line has one double per feature
		[ "$(azw-extract -m "$m" < /dev/null | grep '^#types' | tr '\t' '\n' | grep -c '^double$')" -eq "$c" ]
		# original: unchanged by --context
		names "$m" --schema original > "$TMP/o1"
		names "$m" --schema original --context default | cmp - "$TMP/o1"
		[ "$(grep -c '^src_' "$TMP/o1")" -eq 0 ]
	done
	names dns | grep -qx src_nxdomain_100s
	names dns | grep -qx src_new_name_1000s
	names http | grep -qx src_status_4xx_1000s
	names http | grep -qx pair_periodic_10000s
	names ssh | grep -qx src_auth_fail_1000s
	names ssh | grep -qx src_attempts_1000s
	names ssl | grep -qx src_validation_fail_1000s
	names ssl | grep -qx src_no_sni_1000s
	names ssl | grep -qx src_resumed_1000s
}

@test "context dns: 5 NXDOMAIN answers within a second make the source's share 1; NOERROR answers bring it down" {
	{ for i in 0 1 2 3 4; do dns "1000.$((i * 2))" 10.0.0.5 "x$i.example.com" NXDOMAIN; done
	  for i in 0 1 2 3 4; do dns "1001.$((i * 2))" 10.0.0.5 www.example.com NOERROR; done
	  dns 1002.0 10.0.0.6 www.example.com NOERROR; } > "$TMP/in"
	azw-extract -m dns "$TMP/in" > "$TMP/v"
	col src_nxdomain_100s < "$TMP/v" | head -n 5 | uniq | grep -qx 1
	col src_nxdomain_1000s < "$TMP/v" | head -n 5 | uniq | grep -qx 1
	# after 5 NOERROR a second later: about 5/10 (a little more, decayed)
	col src_nxdomain_100s < "$TMP/v" | sed -n 10p | awk '{ exit !($1 > 0.49 && $1 < 0.52) }'
	# another source starts from nothing
	col src_nxdomain_100s < "$TMP/v" | tail -n 1 | grep -qx 0
	col src_error_1000s < "$TMP/v" | sort -u | grep -qx 0
	col src_no_reply_1000s < "$TMP/v" | sort -u | grep -qx 0
	# the rate: 10 queries in 1.8 s, half-life 10 s
	col src_rate_10s < "$TMP/v" | sed -n 10p | awk '{ exit !($1 > 2.30 && $1 < 2.40) }'
	# new names: the 5 NXDOMAIN names and the first www were new, the other 4 www not
	col src_new_name_100s < "$TMP/v" | sed -n 6p | grep -qx 1
	col src_new_name_100s < "$TMP/v" | sed -n 10p | awk '{ exit !($1 > 0.59 && $1 < 0.61) }'
	# one resolver: only the first query went to a new server
	col src_new_server_1000s < "$TMP/v" | sed -n 5p | awk '{ exit !($1 > 0.19 && $1 < 0.21) }'
	# query names: case and a trailing dot do not make a name new
	{ dns 1000 10.0.0.7 Example.COM NOERROR; dns 1000 10.0.0.7 example.com. NOERROR; } |
		azw-extract -m dns | col src_new_name_1000s | paste -sd ' ' | grep -qx '1 0.5'
	# no answer and errors
	{ dns 1000 10.0.0.8 a.example ''; dns 1001 10.0.0.8 b.example SERVFAIL; } |
		azw-extract -m dns > "$TMP/e"
	col src_no_reply_1000s < "$TMP/e" | head -n 1 | grep -qx 1
	col src_error_1000s < "$TMP/e" | tail -n 1 | awk '{ exit !($1 > 0.49 && $1 < 0.51) }'
}

@test "context ssh: a brute force's failed logins, rate and fan-out" {
	{ for i in $(seq 0 19); do ssh "$((2000 + i)).5" 203.0.113.9 10.0.0.22 false 3; done
	  ssh 2020.5 198.51.100.1 10.0.0.22 true 1
	  for i in 1 2 3 4 5; do ssh "$((2020 + i)).5" 192.0.2.77 "10.0.0.$i" null 0; done; } |
		sed 's/"auth_success":null,//' > "$TMP/in"
	azw-extract -m ssh "$TMP/in" > "$TMP/v"
	col src_auth_fail_1000s < "$TMP/v" | head -n 20 | uniq | grep -qx 1
	col src_auth_success_1000s < "$TMP/v" | sed -n 21p | grep -qx 1
	col src_auth_fail_1000s < "$TMP/v" | sed -n 21p | grep -qx 0
	col src_auth_unknown_1000s < "$TMP/v" | tail -n 5 | uniq | grep -qx 1
	# the mean of log1p(3 attempts)
	col src_attempts_1000s < "$TMP/v" | sed -n 20p | grep -qx 1.386294
	# 20 sessions a second apart: log1p(sum of 2^(-k/h), k < 20)
	col src_rate_10s < "$TMP/v" | sed -n 20p | awk '{ exit !($1 > 2.49 && $1 < 2.51) }'
	col src_rate_100s < "$TMP/v" | sed -n 20p | awk '{ exit !($1 > 2.9 && $1 < 3.05) }'
	col src_rate_10s < "$TMP/v" | sed -n 21p | grep -qx 0.693147
	# one server for the brute force, a new one each time for the scanner
	col src_new_server_1000s < "$TMP/v" | sed -n 20p | awk '{ exit !($1 > 0.04 && $1 < 0.06) }'
	col src_new_server_1000s < "$TMP/v" | tail -n 5 | uniq | grep -qx 1
	col pair_rate_1000s < "$TMP/v" | sed -n 20p | awk '{ exit !($1 > 2.9 && $1 < 3.05) }'
	col pair_rate_1000s < "$TMP/v" | tail -n 1 | grep -qx 0.693147
}

@test "context http: error statuses, new hosts, and a beacon's periodicity" {
	{ for i in 0 1 2 3; do http "300$i" 10.0.0.9 192.0.2.80 404 "site$i.example"; done
	  http 3004 10.0.0.9 192.0.2.80 500 site0.example; } > "$TMP/in"
	azw-extract -m http "$TMP/in" > "$TMP/v"
	col src_status_4xx_100s < "$TMP/v" | head -n 4 | uniq | grep -qx 1
	col src_status_5xx_1000s < "$TMP/v" | tail -n 1 | awk '{ exit !($1 > 0.19 && $1 < 0.21) }'
	col src_new_host_1000s < "$TMP/v" | sed -n 4p | grep -qx 1
	col src_new_host_1000s < "$TMP/v" | tail -n 1 | awk '{ exit !($1 > 0.79 && $1 < 0.81) }'
	col src_resp_body_1000s < "$TMP/v" | tail -n 1 | grep -qx 4.615121
	# one request every 270 +- 20 s for 6 hours, and a client at random
	awk 'BEGIN { srand(7); t = 1000; for (i = 0; i < 80; i++) { t += 250 + 40 * rand(); print "b", t }
		t = 1000; for (i = 0; i < 300; i++) { t -= 72 * log(rand()); print "s", t } }' |
		sort -k2,2g | while read -r who t; do
			if [ "$who" = b ]; then http "$t" 203.0.113.5 192.0.2.1 400 ''
			else http "$t" 198.51.100.7 192.0.2.1 200 www.example; fi
		done > "$TMP/in"
	azw-extract -m http "$TMP/in" | awk -F'\t' '/^#fields/ { for (i = 2; i <= NF; i++) if ($i == "pair_periodic_10000s") c = i - 1; next }
		/^#/ { next } { last[$3] = $c } END { for (h in last) print h, last[h] }' | sort > "$TMP/p"
	cat "$TMP/p"
	awk '$1 == "203.0.113.5" { exit !($2 > 1.5) }' "$TMP/p"
	awk '$1 == "198.51.100.7" { exit !($2 == 0) }' "$TMP/p"
}

@test "context ssl: failed validation, missing SNI, resumed sessions, new names" {
	{ ssl 4000 10.0.0.3 192.0.2.43 a.example ok false
	  ssl 4001 10.0.0.3 192.0.2.43 a.example ok true
	  ssl 4002 10.0.0.3 192.0.2.44 '' 'self signed certificate' false
	  ssl 4003 10.0.0.3 192.0.2.44 '' '' false; } > "$TMP/in"
	azw-extract -m ssl "$TMP/in" > "$TMP/v"
	col src_validation_fail_1000s < "$TMP/v" | paste -sd ' ' > "$TMP/val"
	awk '{ exit !($1 == 0 && $2 == 0 && $3 > 0.33 && $3 < 0.34 && $4 > 0.24 && $4 < 0.26) }' "$TMP/val"
	# no SNI: the first two had one, then a third and a half of them did not
	col src_no_sni_1000s < "$TMP/v" | paste -sd ' ' | awk '{ exit !($1 == 0 && $2 == 0 && $3 > 0.33 && $3 < 0.34 && $4 > 0.49 && $4 < 0.51) }'
	col src_resumed_1000s < "$TMP/v" | sed -n 2p | awk '{ exit !($1 > 0.49 && $1 < 0.51) }'
	col src_new_sni_1000s < "$TMP/v" | paste -sd ' ' | awk '{ exit !($1 == 1 && $2 > 0.49 && $2 < 0.51 && $3 > 0.66 && $3 < 0.67) }'
	col src_new_server_1000s < "$TMP/v" | tail -n 1 | awk '{ exit !($1 > 0.49 && $1 < 0.51) }'
	# every one established: none failed
	[ "$(col src_failed_1000s < "$TMP/v" | sort -u)" = 0 ]
}

@test "context modules: TSV and JSON give the same vectors, context included" {
	for t in dns ssh ssl; do
		gzip -dc "$FMT/brim_$t.head150.json.gz" | azw-extract > "$TMP/json"
		gzip -dc "$FMT/brim_$t.head150.log.gz" | azw-extract > "$TMP/tsv"
		grep -q src_rate_10s "$TMP/tsv"
		cmp "$TMP/json" "$TMP/tsv"
	done
	gzip -dc "$FMT/rita-http.head200.json.gz" | azw-extract > "$TMP/json"
	gzip -dc "$FMT/rita-http.head200.log.gz" | azw-extract > "$TMP/tsv"
	cmp "$TMP/json" "$TMP/tsv"
	# a name with an escaped byte is the same name in both formats
	{ dns 1000 10.0.0.1 'a\\x01b.example' NOERROR; dns 1000 10.0.0.1 'a\\x01b.example' NOERROR; } |
		azw-extract -m dns | col src_new_name_1000s | paste -sd ' ' | grep -qx '1 0.5'
	[ -d "$SHARED/brim-wrccdc" ] || skip "no shared data for the whole files"
	for t in dns ssh ssl; do
		shared_text "$SHARED/brim-wrccdc/brim_$t.json.gz" | azw-extract > "$TMP/json"
		shared_text "$SHARED/brim-wrccdc/brim_$t.log.gz" | azw-extract > "$TMP/tsv"
		echo "$t: $(grep -vc '^#' "$TMP/tsv") records"
		cmp "$TMP/json" "$TMP/tsv"
	done
}

@test "context modules: deterministic; the per-record columns are those of --context none" {
	for t in dns http ssh ssl; do
		case $t in
		http) gzip -dc "$FMT/rita-http.head200.json.gz" > "$TMP/in" ;;
		*) gzip -dc "$FMT/brim_$t.head150.json.gz" > "$TMP/in" ;;
		esac
		azw-extract -m "$t" "$TMP/in" > "$TMP/a"
		azw-extract -m "$t" "$TMP/in" > "$TMP/b"
		cmp "$TMP/a" "$TMP/b"
		azw-extract -m "$t" --context none "$TMP/in" > "$TMP/none"
		n=$(grep '^#fields' "$TMP/none" | awk -F'\t' '{ print NF - 1 }')
		grep -v '^#' "$TMP/a" | cut -f1-"$n" > "$TMP/a.rec"
		grep -v '^#' "$TMP/none" | cmp - "$TMP/a.rec"
		# context depends on the records before: reversed input differs
		tac "$TMP/in" | azw-extract -m "$t" | grep -v '^#' | tac > "$TMP/rev"
		# (run: a "! cmd" cannot fail a bats test; cmp says 1 when they differ)
		run cmp -s <(grep -v '^#' "$TMP/a") "$TMP/rev"
		[ "$status" -eq 1 ]
	done
}

# (also the sweep of tests/14-extended-modules.bats: one run for both)
@test "context modules: every record of every real dns, http, ssh and ssl file, exit 0 or 1, none lost, all values finite" {
	[ -d "$SHARED" ] || skip "no shared data"
	sanitizer_build || true # (asked once, not in each pipeline's subshell)
	n=0
	while IFS= read -r f; do
		shared_text "$f" > "$TMP/in"
		t=${f##*/} t=${t#brim_} t=${t%%[!a-z]*}
		status=0
		azw-extract -m "$t" "$TMP/in" > "$TMP/out" 2> "$TMP/err" || status=$?
		[ "$status" -le 1 ] || { echo "$f: exit $status"; cat "$TMP/err"; false; }
		balanced_finite "$TMP/in" "$TMP/err" "$TMP/out" || { echo "$f"; false; }
		n=$((n + 1))
	done < <(find "$SHARED/brim-wrccdc" "$SHARED/stratosphere-2023-02-20" "$SHARED/ctu-scenarios" \
		"$SHARED/slips" "$SHARED/rita-missing-host" "$SHARED/rita-valid-tsv-http" "$SHARED/zat" \
		-type f \( -name 'dns*' -o -name 'http*' -o -name 'ssh*' -o -name 'ssl*' -o -name 'brim_*.log.gz' \) | sort | sanitizer_sample)
	echo "$n files"
	[ "$n" -gt 100 ] || { sanitizer_build && [ "$n" -gt 30 ]; }
}

@test "context dns: memory stays flat with 100k sources and a new name each query (RSS < 64 MB)" {
	[ -x /usr/bin/time ] || skip "no /usr/bin/time"
	! sanitizer_build || skip "sanitizer build: RSS is not the program's"
	awk 'BEGIN { OFS = "\t"; print "#separator \\x09"; print "#path\tdns"
		print "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tquery\tqtype_name\trcode_name"
		print "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tstring\tstring"
		for (i = 0; i < 300000; i++) { s = (i * 7919) % 100000
			printf "%.6f\tC%d\t10.%d.%d.%d\t%d\t192.0.2.53\t53\tudp\tq%d.example.com\tA\t%s\n", 1.6e9 + i * 0.01, i,
				int(s / 65536), int(s / 256) % 256, s % 256, 40000 + i % 20000, i, i % 3 ? "NOERROR" : "NXDOMAIN" } }' > "$TMP/big.log"
	/usr/bin/time -f %M -o "$TMP/rss" azw-extract -m dns "$TMP/big.log" > /dev/null
	echo "RSS $(cat "$TMP/rss") KB"
	[ "$(cat "$TMP/rss")" -lt 65536 ]
}

@test "dns: the originator's locality from dir_internal/dir_outgoing gates a cold or unknown local client's context" {
	local in=$DATA/golden/dns.input.jsonl.gz
	# a model of one client (10.47.2.100): it names it
	zcat "$in" | grep -F '"id.orig_h":"10.47.2.100"' | azw-extract -m dns > "$TMP/one.v"
	azw-fit -q --fm-grace 90 -o "$TMP/one.m" "$TMP/one.v"
	grep -qx 'context_hosts	1	10.47.2.100' "$TMP/one.m"
	# another local client: its context says nothing, every record
	zcat "$in" | grep -F '"id.orig_h":"10.47.6.154"' | azw-extract -m dns | azw-score "$TMP/one.m" > "$TMP/other.s"
	[ "$(jq -r .pvalue_context "$TMP/other.s" | sort -u)" = "1" ]
	# the client it knows: judged on its context (past its first 20 records)
	azw-score "$TMP/one.m" "$TMP/one.v" | tail -n +21 > "$TMP/own.s"
	[ "$(jq -r 'select(.pvalue_context < 1) | .uid' "$TMP/own.s" | wc -l)" -gt 300 ]
	# a model of every client: another's first records are cold (p 1),
	# its later ones judged on their context
	zcat "$in" | azw-extract -m dns > "$TMP/all.v"
	azw-fit -q --fm-grace 300 -o "$TMP/all.m" "$TMP/all.v"
	! grep -q '^context_hosts' "$TMP/all.m"
	azw-score "$TMP/all.m" "$TMP/all.v" > "$TMP/all.s"
	[ "$(jq -r 'select(."id.orig_h" == "10.47.6.154") | .pvalue_context' "$TMP/all.s" | head -n 5 | sort -u)" = "1" ]
	[ "$(jq -r 'select(."id.orig_h" == "10.47.6.154" and .pvalue_context < 1) | .uid' "$TMP/all.s" | wc -l)" -gt 200 ]
}
