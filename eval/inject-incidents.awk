# inject-incidents.awk - whether azw-alert's incidents catch an injected
# attack, for eval/inject.sh (eval/INJECT.md).
#
# awk -v start=TS -v end=TS -v src=ADDR -f eval/jval.awk -f eval/inject-incidents.awk \
#     LABELS BASE INCIDENTS
#
# LABELS: the generator's labels.tsv, "uid<TAB>M" for each injected record
# ("B" for an original one). INCIDENTS: azw-alert's lines for the scored
# test part, open and closed (azw-alert without --closed-only: its closed
# lines are what --closed-only writes, and its open line says when the
# incident was raised). BASE: azw-alert --closed-only's incidents of the same
# model on the test part without the attack (/dev/null: none). start, end:
# the ts of the attack's first and last records; src: its source host.
#
# An incident hits when its closed line's "top" (its three unusual records
# with the smallest pvalue) names an injected uid: the attack's own records
# are among the strongest evidence of the incident. Entity and time alone
# do not tie an incident to the attack: the generator's source is the
# background's busiest host, which has incidents of its own. A hit is new
# when BASE has no incident of its source host (id.orig_h) whose span
# [ts, ts_end] overlaps the hit's: the attack made the incident, rather than
# joined one its host has anyway (and became its strongest evidence).
#
# The counterfactual, which needs no top: sig, the highest significance of
# an incident of src (as id.orig_h) whose span meets [start, end], and
# base_sig, the same in BASE (0 where there is none): the same model and
# records but the attack's, so the difference is the attack's doing (and,
# with context features, that of its mark on the host's later records).
#
# Prints one tab-separated line:
#   incidents  hit  new  rank  delay  raised  sig  base_sig
# incidents: closed incidents; hit: 1 when one hits, else 0; new: 1 when a
# hit is new, else 0; rank: 1 + the number of incidents whose significance
# is higher than the strongest hitting one's (1: the analyst's first);
# delay: the ts of the first hitting incident (its first unusual record)
# minus start, negative when the span began with the host's own records
# before the attack; raised: the earliest ts at which a hitting incident was
# raised (its open line's ts_end, the record that crossed the line) minus
# start: when the analyst is told. "-" where no incident hits (raised also
# where no open line was read).

# the significance of an incident of src whose span [t0, t1] meets the
# attack's, else -1
function src_sig(line, t0, t1) {
	if (jval(line, "id.orig_h") != src || t0 > end + 0 || t1 < start + 0) return -1
	return jval(line, "significance") + 0
}

BEGIN { FS = "\t" }

FILENAME == ARGV[1] {
	if ($2 == "M") inj[$1] = 1
	next
}

FILENAME == ARGV[2] {
	nb++
	b_host[nb] = jval($0, "id.orig_h")
	b_t0[nb] = jval($0, "ts") + 0
	b_t1[nb] = jval($0, "ts_end") + 0
	x = src_sig($0, b_t0[nb], b_t1[nb])
	if (x > base_sig) base_sig = x
	next
}

jval($0, "state") == "open" {
	raised_at[jval($0, "id")] = jval($0, "ts_end") + 0
	next
}

jval($0, "state") == "closed" {
	n++
	sig[n] = jval($0, "significance") + 0
	t = jval($0, "ts") + 0
	t1 = jval($0, "ts_end") + 0
	x = src_sig($0, t, t1)
	if (x > hsig) hsig = x
	hit[n] = 0
	# the uids of "top": the only uids of an incident line
	rest = $0
	while (match(rest, /"uid":"[^"]*"/)) {
		if (substr(rest, RSTART + 7, RLENGTH - 8) in inj) hit[n] = 1
		rest = substr(rest, RSTART + RLENGTH)
	}
	if (!hit[n]) next
	if (best == "" || sig[n] > best) best = sig[n]
	if (first == "" || t < first) first = t
	joined = 0
	for (i = 1; i <= nb; i++)
		if (b_host[i] == jval($0, "id.orig_h") && b_t0[i] <= t1 && b_t1[i] >= t) joined = 1
	if (!joined) new = 1
	id = jval($0, "id")
	if ((id in raised_at) && (raised == "" || raised_at[id] < raised)) raised = raised_at[id]
}

END {
	if (best == "") {
		printf "%d\t0\t0\t-\t-\t-\t%s\t%s\n", n, hsig + 0, base_sig + 0
		exit
	}
	rank = 1
	for (i = 1; i <= n; i++) if (sig[i] > best) rank++
	r = raised == "" ? "-" : sprintf("%.3f", raised - start)
	printf "%d\t1\t%d\t%d\t%.3f\t%s\t%s\t%s\n", n, new ? 1 : 0, rank, first - start, r, hsig + 0, base_sig + 0
}
