# context-checks.awk - make eval's acceptance checks of issue 17 (the
# context features): extended against --context none in every fit, the
# mean AP, the seed spread per fm value, and where eval/run.sh names an
# attacker (rita-beacon) its ROC-AUC, AP and incident rank (eval/rank.awk).
#
#   awk -F'\t' -f eval/context-checks.awk eval/out/results.tsv eval/out/fits.tsv
#
# Columns: results.tsv's kind ($33) and split ($34); fits.tsv's dataset,
# schema, setting, seed, fm_grace ($1-3, $5, $6), roc_auc ($11),
# avg_precision ($12) and attacker_rank ($31).

NR == FNR { if (FNR > 1) { kind[$1] = $33; split_[$1] = $34 } ; next }
FNR == 1 || $3 != "A" || ($2 != "extended" && $2 != "extended-none") || $11 == "-" { next }
!seen[$1]++ { order[++nd] = $1 }
{
	d = $1; k = $5 SUBSEP $6
	auc[d, $2, k] = $11; ap[d, $2, k] = $12
	fit[d, k] = 1
	if ($2 == "extended") {
		g = d SUBSEP $6	# seed spread: per fm value
		if (!(g in lo_a) || $11 < lo_a[g]) lo_a[g] = $11
		if (!(g in hi_a) || $11 > hi_a[g]) hi_a[g] = $11
		if (!(g in lo_p) || $12 < lo_p[g]) lo_p[g] = $12
		if (!(g in hi_p) || $12 > hi_p[g]) hi_p[g] = $12
		grp[d] = grp[d] " " $6
		nseed[g]++
		if ($31 != "" && $31 != "-") { rk = $31 + 0; if (!(d in rmax) || rk > rmax[d]) rmax[d] = rk }
		if (!(d in amin) || $11 < amin[d]) amin[d] = $11
		if (!(d in pmin) || $12 < pmin[d]) pmin[d] = $12
	}
}
function ok(b) { return b ? "PASS" : "FAIL" }
END {
	print "acceptance of the context (issue 17; setting A, every seed and fm value):"
	good = 1; det = ""; sx = sn = cnt = 0
	for (i = 1; i <= nd; i++) {
		d = order[i]
		if (kind[d] != "det") continue
		wa = wp = 1e9; n = 0
		for (key in fit) {
			split(key, kk, SUBSEP); if (kk[1] != d) continue
			k = kk[2] SUBSEP kk[3]
			if (!((d, "extended", k) in auc) || !((d, "extended-none", k) in auc)) continue
			da = auc[d, "extended", k] - auc[d, "extended-none", k]
			dp = ap[d, "extended", k] - ap[d, "extended-none", k]
			if (da < wa) wa = da
			if (dp < wp) wp = dp
			sx += ap[d, "extended", k]; sn += ap[d, "extended-none", k]; n++; cnt++
		}
		if (!n) continue
		det = det sprintf(" %s %+.4f/%+.3f", d, wa, wp)
		if (split_[d] == "reversed") { det = det "~"; continue }
		if (wa < -0.005 || wp < -0.02) { good = 0; det = det "!" }
	}
	printf "  [%s] extended within 0.005 ROC-AUC and 0.02 AP of --context none, in every fit (worst AUC/AP difference):%s\n", ok(good), det
	if (cnt) printf "  [%s] mean AP over the data sets and fits: extended %.4f > extended-none %.4f\n", ok(sx > sn), sx / cnt, sn / cnt
	good = 1; det = ""; ns = 0
	for (i = 1; i <= nd; i++) {
		d = order[i]
		if (kind[d] != "det") continue
		wa = wp = 0
		for (g in lo_a) {
			split(g, gg, SUBSEP); if (gg[1] != d) continue
			if (nseed[g] > ns) ns = nseed[g]
			if (hi_a[g] - lo_a[g] > wa) wa = hi_a[g] - lo_a[g]
			if (hi_p[g] - lo_p[g] > wp) wp = hi_p[g] - lo_p[g]
		}
		det = det sprintf(" %s %.4f/%.3f", d, wa, wp)
		if (split_[d] == "reversed") { det = det "~"; continue }
		if (wa > 0.01 || wp > 0.03) { good = 0; det = det "!" }
	}
	printf "  [%s] seed spread (%d seeds, per fm value) of ROC-AUC <= 0.01 and of AP <= 0.03, schema extended (widest AUC/AP):%s\n", ok(good), ns, det
	for (i = 1; i <= nd; i++) {
		d = order[i]
		if (!(d in rmax)) continue
		printf "  [%s] %s: the attacker ROC-AUC >= 0.95 and AP >= 0.5 in every fit (lowest %.4f, %.3f); its incident among the 3 strongest of every test day (worst rank %s)\n",
			ok(amin[d] >= 0.95 && pmin[d] >= 0.5 && rmax[d] <= 3), d, amin[d], pmin[d], (rmax[d] >= 1000000 ? "none" : rmax[d])
	}
}
