# rank.awk - issue 17's incident check: how high the attacker's incident
# ranks among each day's incidents.
#
#   awk -v hosts="A [B ...]" -f eval/jval.awk -f eval/rank.awk TEST.HOSTS INCIDENTS.JSONL
#
# TEST.HOSTS: "class<TAB>ts<TAB>id.orig_h<TAB>id.resp_h" per test record (as
# eval/run.sh writes it); INCIDENTS.JSONL: azw-alert's (closed) incident
# lines. For each attacker and each UTC day on which it has a test record
# (as id.orig_h or id.resp_h), the attacker's rank that day: 1 + the number
# of incidents overlapping the day ([ts, ts_end] meets the day) whose
# significance is higher than that of the strongest incident naming the
# attacker (as id.orig_h, or as a pair's id.resp_h) overlapping it. Prints
# the worst rank over the days and attackers, 1000000 where some day has no
# incident naming the attacker, "-" where the attackers have no test record.

BEGIN { FS = "\t"; na = split(hosts, A, " "); for (i = 1; i <= na; i++) isatt[A[i]] = 1 }

FNR == NR {
	if (NF < 4) next
	day = int($2 / 86400)
	for (k = 3; k <= 4; k++) if ($k in isatt) days[$k, day] = 1
	next
}

{
	n++
	t0[n] = jval($0, "ts") + 0
	t1[n] = jval($0, "ts_end") + 0
	if (t1[n] < t0[n]) t1[n] = t0[n]
	sig[n] = jval($0, "significance") + 0
	o[n] = jval($0, "id.orig_h")
	r[n] = jval($0, "entity") == "pair" ? jval($0, "id.resp_h") : ""
}

END {
	worst = -1
	for (key in days) {
		split(key, kd, SUBSEP); h = kd[1]; d = kd[2]
		lo = d * 86400; hi = lo + 86400
		best = ""
		for (i = 1; i <= n; i++)
			if (t0[i] < hi && t1[i] >= lo && (o[i] == h || r[i] == h) && (best == "" || sig[i] > best))
				best = sig[i]
		if (best == "") { rank = 1000000 }
		else {
			rank = 1
			for (i = 1; i <= n; i++)
				if (t0[i] < hi && t1[i] >= lo && sig[i] > best) rank++
		}
		if (rank > worst) worst = rank
	}
	print worst < 0 ? "-" : worst
}
