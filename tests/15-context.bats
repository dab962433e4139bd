#!/usr/bin/env bats
# azw-extract's context features (src/context.[ch], the context rows of
# src/modules/conn.c): in the extended schema by default, after the
# per-record features; --context none leaves them out; hand-made streams
# with known timings give the expected decayed counts; out-of-order
# timestamps; determinism; flat memory with many sources.

load helpers

CONN="$DATA/conn"

# A JSON conn record: rec TS ORIG RESP STATE [PORT]
rec() {
	printf '{"ts":%s,"uid":"C%s","id.orig_h":"%s","id.orig_p":50000,"id.resp_h":"%s","id.resp_p":%s,"proto":"tcp","service":"http","duration":0.1,"orig_bytes":80,"resp_bytes":327,"conn_state":"%s","history":"ShADadfF","orig_pkts":5,"orig_ip_bytes":292,"resp_pkts":5,"resp_ip_bytes":539}\n' \
		"$1" "${1%.*}" "$2" "$3" "${5:-80}" "$4"
}

# Column $1 of every row of the vector stream on stdin, one value a line.
col() {
	awk -F'\t' -v k="$1" '/^#fields/ { for (i = 2; i <= NF; i++) if ($i == k) c = i - 1; next }
		/^#/ { next } { if (!c) { print "MISSING:" k; exit 1 } print $c }'
}

@test "context: extended has its context rows after the per-record ones; none and original have none" {
	azw-extract -m conn < /dev/null | grep '^#fields' | cut -f9- | tr '\t' '\n' > "$TMP/ctx"
	azw-extract -m conn --context none < /dev/null | grep '^#fields' | cut -f9- | tr '\t' '\n' > "$TMP/none"
	azw-extract -m conn --context default --schema extended < /dev/null | grep '^#fields' | cut -f9- | tr '\t' '\n' > "$TMP/dflt"
	cmp "$TMP/ctx" "$TMP/dflt"
	n=$(wc -l < "$TMP/none"); m=$(wc -l < "$TMP/ctx")
	echo "per-record $n, with context $m"
	[ "$m" -gt "$n" ] && [ $((m - n)) -le 30 ]
	# the per-record names come first, unchanged
	head -n "$n" "$TMP/ctx" | cmp - "$TMP/none"
	tail -n +"$((n + 1))" "$TMP/ctx" > "$TMP/rows"
	grep -qx src_rate_10s "$TMP/rows"
	grep -qx pair_ok_periodic_10000s "$TMP/rows"
	[ "$(grep -cv '^\(src\|pair\|dst\|svc\)_' "$TMP/rows")" -eq 0 ]
	# original: AutoZeekWatch's 34 columns, with or without --context
	[ "$(azw-extract -m conn --schema original < /dev/null | grep '^#fields' | cut -f9- | tr '\t' '\n' | wc -l)" -eq 34 ]
	azw-extract -m conn --schema original --context default < /dev/null | grep -q '^#fields'
	run azw-extract -m conn --context some < /dev/null
	[ "$status" -eq 2 ]
	[[ "$output" == *"--context"* ]]
	azw-extract --help | grep -q -- '--context'
}

@test "context: one record per second for 10 s, then a gap of one half-life: the decayed counts" {
	for i in 0 1 2 3 4 5 6 7 8 9 19; do rec "$((100000 + i)).5" 10.0.0.1 192.0.2.1 SF; done > "$TMP/in"
	azw-extract -m conn "$TMP/in" | col src_rate_10s > "$TMP/rate"
	# half-life 10 s: after k records a second apart, sum of 2^(-j/10), j < k;
	# the 11th comes 10 s (one half-life) after the 10th: half that plus one
	awk 'BEGIN { w = 0; for (k = 1; k <= 10; k++) { w = w * 2 ^ -0.1 + 1; printf "%.6f\n", log(1 + w) }
		w = w / 2 + 1; printf "%.6f\n", log(1 + w) }' > "$TMP/want"
	paste "$TMP/rate" "$TMP/want"
	awk 'NR == FNR { a[NR] = $1; next } { d = a[FNR] - $1; if (d < 0) d = -d; if (d > 1.5e-6) bad++ }
		END { exit bad }' "$TMP/rate" "$TMP/want"
	# the same source at 100 s: barely decayed
	azw-extract -m conn "$TMP/in" | col src_rate_100s | tail -n 1 | awk '{ exit !($1 > 2.35 && $1 < 2.48) }'
}

@test "context: out-of-order timestamps decay by zero, never negatively" {
	{ rec 1000.0 10.0.0.1 192.0.2.1 SF; rec 1100.0 10.0.0.1 192.0.2.1 SF
	  rec 900.0 10.0.0.1 192.0.2.1 SF; rec 500.0 10.0.0.1 192.0.2.1 SF; } > "$TMP/in"
	azw-extract -m conn "$TMP/in" | col src_rate_1000s > "$TMP/r"
	cat "$TMP/r"
	# 1, then decayed by 100 s plus 1, then +1 and +1 (no decay, no growth from the past)
	awk 'NR == 1 { w = 1 } NR == 2 { w = 1 * 2 ^ -0.1 + 1 } NR > 2 { w++ }
		{ d = $1 - log(1 + w); if (d < 0) d = -d; if (d > 1.5e-6) exit 1 }' "$TMP/r"
	# every context value a finite, non-negative number
	n=$(azw-extract -m conn --context none < /dev/null | grep '^#fields' | awk -F'\t' '{ print NF }')
	azw-extract -m conn "$TMP/in" | grep -v '^#' | cut -f"$n"- | tr '\t' '\n' | awk '$1 !~ /^[0-9.e+]+$/ { exit 1 }'
}

@test "context: failures, new places and new ports per source" {
	{ rec 1000 10.0.0.9 192.0.2.1 REJ 22; rec 1001 10.0.0.9 192.0.2.2 REJ 23
	  rec 1002 10.0.0.9 192.0.2.3 S0 24; rec 1003 10.0.0.9 192.0.2.3 SF 24; } > "$TMP/in"
	azw-extract -m conn "$TMP/in" > "$TMP/v"
	[ "$(col src_fail_100s < "$TMP/v" | head -n 3 | paste -sd ' ')" = "1 1 1" ]
	col src_fail_100s < "$TMP/v" | tail -n 1 | awk '{ exit !($1 > 0.74 && $1 < 0.76) }'
	# the first three went to new responders on new ports; the fourth did not
	[ "$(col src_new_pair_1000s < "$TMP/v" | head -n 3 | paste -sd ' ')" = "1 1 1" ]
	col src_new_port_100s < "$TMP/v" | tail -n 1 | awk '{ exit !($1 > 0.74 && $1 < 0.76) }'
	# the OK pair columns count only the SF record
	col pair_ok_rate_10000s < "$TMP/v" | paste -sd ' ' | grep -qx '0 0 0 0.693147'
}

@test "context: deterministic; the per-record columns are those of --context none" {
	f="$CONN/ctu-008-mixed.head200.conn.json"
	azw-extract -m conn "$f" > "$TMP/a"
	azw-extract -m conn "$f" > "$TMP/b"
	cmp "$TMP/a" "$TMP/b"
	azw-extract -m conn --context none "$f" > "$TMP/none"
	n=$(grep '^#fields' "$TMP/none" | awk -F'\t' '{ print NF - 1 }')
	grep -v '^#' "$TMP/a" | cut -f1-"$n" > "$TMP/a.rec"
	grep -v '^#' "$TMP/none" | cmp - "$TMP/a.rec"
	# context depends on the records before: reversed input differs
	tac "$f" | azw-extract -m conn | grep -v '^#' | tac > "$TMP/rev"
	# (run: a "! cmd" cannot fail a bats test; cmp says 1 when they differ)
	run cmp -s <(grep -v '^#' "$TMP/a") "$TMP/rev"
	[ "$status" -eq 1 ]
	# a longer real file: byte for byte the same again
	gzip -dc "$CONN/ctu-010.conn.json.gz" | head -n 300 > "$TMP/j"
	azw-extract -m conn "$TMP/j" > "$TMP/j1"
	azw-extract -m conn "$TMP/j" > "$TMP/j2"
	cmp "$TMP/j1" "$TMP/j2"
}

@test "context: a beacon's periodicity stands out from a scanner's" {
	# one call home every 270 +- 20 s for 6 hours, and a scanner failing at random
	awk 'BEGIN { srand(7); t = 1000; for (i = 0; i < 80; i++) { t += 250 + 40 * rand(); print "b", t }
		t = 1000; for (i = 0; i < 300; i++) { t -= 72 * log(rand()); print "s", t } }' |
		sort -k2,2g | while read -r who t; do
			if [ "$who" = b ]; then rec "$t" 203.0.113.5 192.0.2.1 SF
			else rec "$t" 198.51.100.7 192.0.2.1 REJ 22; fi
		done > "$TMP/in"
	azw-extract -m conn "$TMP/in" | awk -F'\t' '/^#fields/ { for (i = 2; i <= NF; i++) if ($i == "pair_ok_periodic_10000s") c = i - 1; next }
		/^#/ { next } { last[$3] = $c } END { for (h in last) print h, last[h] }' | sort > "$TMP/p"
	cat "$TMP/p"
	awk '$1 == "203.0.113.5" { exit !($2 > 1.5) }' "$TMP/p"
	awk '$1 == "198.51.100.7" { exit !($2 == 0) }' "$TMP/p"
}

@test "context: memory stays flat with 100k distinct sources (RSS < 64 MB)" {
	[ -x /usr/bin/time ] || skip "no /usr/bin/time"
	# AddressSanitizer's shadow memory and redzones double the RSS
	! sanitizer_build || skip "sanitizer build: RSS is not the program's"
	# 300k records, 100k sources, each to a few of 1000 servers
	awk 'BEGIN { OFS = "\t"; print "#separator \\x09"; print "#path\tconn"
		print "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tconn_state\torig_bytes\tresp_bytes"
		print "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tcount\tcount"
		for (i = 0; i < 300000; i++) { s = (i * 7919) % 100000; d = (s * 31 + i % 3) % 1000
			printf "%.6f\tC%d\t10.%d.%d.%d\t%d\t198.51.%d.%d\t%d\ttcp\t%s\t%d\t800\n", 1.6e9 + i * 0.01, i,
				int(s / 65536), int(s / 256) % 256, s % 256, 40000 + i % 20000, int(d / 256), d % 256,
				i % 10 ? 443 : 22, i % 7 ? "SF" : "REJ", 100 + i % 50 } }' > "$TMP/big.log"
	/usr/bin/time -f %M -o "$TMP/rss" azw-extract -m conn "$TMP/big.log" > /dev/null
	echo "RSS $(cat "$TMP/rss") KB"
	[ "$(cat "$TMP/rss")" -lt 65536 ]
}

@test "context: each source column against a hand computation over three records" {
	# one source; at 1000 s and 1300 s an OK connection to 192.0.2.1:80, at
	# 1100 s a refused one to 192.0.2.2:443; bytes and durations differ
	{ rec 1000 10.0.0.5 192.0.2.1 SF 80 | jq -c '.orig_bytes = 100 | .resp_bytes = 2000 | .duration = 0.5'
	  rec 1100 10.0.0.5 192.0.2.2 REJ 443 | jq -c '.orig_bytes = 0 | .resp_bytes = 0 | .duration = 0'
	  rec 1300 10.0.0.5 192.0.2.1 SF 80 | jq -c '.orig_bytes = 5000 | .resp_bytes = 300 | .duration = 12'; } > "$TMP/in"
	azw-extract -m conn "$TMP/in" > "$TMP/v"
	# by hand: weight 2^(-age / half-life) for each record so far (this
	# one included); RATE log(1 + sum of weights), MEAN the weighted mean
	# of the quantity: failed (REJ), a new responder, a new port,
	# log1p(orig_bytes), log1p(resp_bytes), log1p(duration)
	awk 'function rate(k, h,   i, w) { for (i = 1; i <= k; i++) w += 2 ^ (-(t[k] - t[i]) / h); return log(1 + w) }
	function mean(k, h, q,   i, w, s) { for (i = 1; i <= k; i++) { w += 2 ^ (-(t[k] - t[i]) / h); s += 2 ^ (-(t[k] - t[i]) / h) * q[i] }; return s / w }
	BEGIN {
		t[1] = 1000; t[2] = 1100; t[3] = 1300
		split("0 1 0", fail, " "); split("1 1 0", newpair, " "); split("1 1 0", newport, " ")
		ob[1] = log(1 + 100); ob[2] = 0; ob[3] = log(1 + 5000)
		rb[1] = log(1 + 2000); rb[2] = 0; rb[3] = log(1 + 300)
		du[1] = log(1 + 0.5); du[2] = 0; du[3] = log(1 + 12)
		for (k = 1; k <= 3; k++) {
			printf "src_rate_10s %.9g\n", rate(k, 10)
			printf "src_rate_100s %.9g\n", rate(k, 100)
			printf "src_rate_1000s %.9g\n", rate(k, 1000)
			printf "src_rate_10000s %.9g\n", rate(k, 10000)
			printf "src_fail_100s %.9g\n", mean(k, 100, fail)
			printf "src_fail_1000s %.9g\n", mean(k, 1000, fail)
			printf "src_new_pair_1000s %.9g\n", mean(k, 1000, newpair)
			printf "src_new_port_100s %.9g\n", mean(k, 100, newport)
			printf "src_new_port_1000s %.9g\n", mean(k, 1000, newport)
			printf "src_orig_bytes_1000s %.9g\n", mean(k, 1000, ob)
			printf "src_resp_bytes_1000s %.9g\n", mean(k, 1000, rb)
			printf "src_duration_1000s %.9g\n", mean(k, 1000, du)
		}
		# the OK pair: only the two SF records count, the REJ one is 0
		printf "pair_ok_rate_10000s %.9g\n", log(2)
		printf "pair_ok_rate_10000s 0\n"
		printf "pair_ok_rate_10000s %.9g\n", log(2 + 2 ^ (-300 / 10000))
	}' > "$TMP/want"
	n=0
	while read -r c w; do
		have=$(col "$c" < "$TMP/v" | sed -n "$(( $(grep -c "^$c " <(head -n $((n + 1)) "$TMP/want")) ))p")
		awk -v c="$c" -v h="$have" -v w="$w" 'BEGIN { d = h - w; if (d < 0) d = -d
			if (!(h != "" && d <= 1e-6 * (1 + (w < 0 ? -w : w)))) { print c ": " h ", by hand " w; exit 1 } }'
		n=$((n + 1))
	done < "$TMP/want"
	[ "$n" -eq 39 ]
}
