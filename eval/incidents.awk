# incidents.awk - what azw-alert's incidents catch, for eval/run.sh.
#
# awk -v min_mal=10 -v min_host=10 [-v hosts="A B"] -f eval/jval.awk -f eval/incidents.awk TEST INCIDENTS
#
# TEST: the scored test records, one a line, tab-separated:
#   class ts id.orig_h id.resp_h
# class M (Malicious), B (Benign) or O (anything else).
# INCIDENTS: azw-alert --closed-only's lines, one JSON object each, with
# "ts" (the incident's first record), "entity" ("host" or "pair"),
# "id.orig_h" and, for a pair, "id.resp_h".
#
# The attacking hosts: every id.orig_h with at least min_mal Malicious test
# records, or the addresses in `hosts` where the labels say more than who
# sent what (rita-beacon: the beacon's source). A host is caught when an
# incident names it: as its id.orig_h, or as the id.resp_h of a pair
# incident. Its delay: the ts of the first incident that names it minus the
# ts of its first Malicious test record (negative when the incident began
# with earlier records of the host).
#
# A false incident names no host that sent a Malicious test record (as
# id.orig_h or, of a pair, id.resp_h). Host-days: the hosts that are the
# id.orig_h of at least min_host test records and of no Malicious one, each
# counted for the test part's whole span (last ts - first ts), in days.
#
# Prints one tab-separated line:
#   attackers  caught  recall  median_delay  incidents  false  host_days  false_per_host_day  missed
# with "-" where a figure is undefined (no attacker; none caught; no host-day)
# and missed the attackers no incident named, comma-separated ("-": none).
BEGIN { FS = "\t"; if (min_mal == "") min_mal = 10; if (min_host == "") min_host = 10 }

# the value of "key" in a JSON line: a string or a number
FNR == NR {
	if (NF < 4) next
	n++
	if (n == 1 || $2 < t0) t0 = $2
	if (n == 1 || $2 > t1) t1 = $2
	recs[$3]++
	if ($1 == "M") {
		mal[$3]++
		if (!($3 in first) || $2 < first[$3]) first[$3] = $2
		sent_mal[$3] = 1
		for (k = 3; k <= 4; k++)
			if (!($k in firstany) || $2 < firstany[$k]) firstany[$k] = $2
	}
	next
}

{
	o = jval($0, "id.orig_h")
	r = jval($0, "entity") == "pair" ? jval($0, "id.resp_h") : ""
	ts = jval($0, "ts") + 0
	ninc++
	named[ninc, 1] = o; named[ninc, 2] = r; its[ninc] = ts
}

END {
	if (hosts != "") {
		na = split(hosts, A, " ")
	} else {
		na = 0
		for (h in mal) if (mal[h] >= min_mal) A[++na] = h
		# a fixed order, so that "missed" is the same on every run
		for (i = 2; i <= na; i++) for (j = i; j > 1 && A[j] < A[j - 1]; j--) { t = A[j]; A[j] = A[j - 1]; A[j - 1] = t }
	}
	caught = 0; nd = 0; missed = ""
	for (i = 1; i <= na; i++) {
		h = A[i]; best = ""
		for (k = 1; k <= ninc; k++)
			if (named[k, 1] == h || named[k, 2] == h)
				if (best == "" || its[k] < best) best = its[k]
		if (best == "") { missed = missed (missed == "" ? "" : ",") h; continue }
		caught++
		f = hosts != "" ? firstany[h] : first[h]
		if (f != "") D[++nd] = best - f
	}
	for (i = 2; i <= nd; i++) for (j = i; j > 1 && D[j] < D[j - 1]; j--) { t = D[j]; D[j] = D[j - 1]; D[j - 1] = t }
	med = nd == 0 ? "-" : (nd % 2 ? D[(nd + 1) / 2] : (D[nd / 2] + D[nd / 2 + 1]) / 2)

	false_inc = 0
	for (k = 1; k <= ninc; k++) {
		o = named[k, 1]; r = named[k, 2]
		if (!((o in sent_mal) || (r != "" && (r in sent_mal)) || (hosts != "" && (index(" " hosts " ", " " o " ") || (r != "" && index(" " hosts " ", " " r " "))))))
			false_inc++
	}
	nh = 0
	for (h in recs) if (recs[h] >= min_host && !(h in sent_mal)) nh++
	hd = n ? nh * (t1 - t0) / 86400 : 0

	rec_s = na ? sprintf("%.6f", caught / na) : "-"
	med_s = med == "-" ? "-" : sprintf("%.3f", med)
	fph_s = hd > 0 ? sprintf("%.6f", false_inc / hd) : "-"
	if (missed == "") missed = "-"
	printf "%d\t%d\t%s\t%s\t%d\t%d\t%.6f\t%s\t%s\n", na, caught, rec_s, med_s, ninc, false_inc, hd, fph_s, missed
}
