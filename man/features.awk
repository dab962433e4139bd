# features.awk - make man's writer of azw-features(7):
#   azw-extract --features | awk -f man/features.awk - man/azw-features.7.in
# The first input is azw-extract --features (tab-separated: "#local-net
# CIDR WHAT" lines, then per schema and part a "#features MODULE SCHEMA
# PART" line and its rows "NAME COLUMN MEANING [KEY]"); the second is the
# page's text, whose ".\" @features MODULE SCHEMA PART" lines become those
# rows, ".\" @local-nets" the default local networks, and
# @n:MODULE:SCHEMA:PART@ a number of rows (PART all: record and context).
BEGIN { FS = "\t" }

# roff text: backslashes, hyphens, quotes; a line may not start with . or '
function esc(s) {
	gsub(/\\/, "\\e", s)
	gsub(/-/, "\\-", s)
	gsub(/'/, "\\(aq", s)
	gsub(/"/, "\\(dq", s)
	if (s ~ /^[.]/)
		s = "\\&" s
	return s
}

# A value of a list: kept whole when short, else breakable after / and .
function value(v) {
	if (length(v) < 25)
		return "\\%" esc(v)
	v = esc(v)
	gsub(/[\/.]/, "&\\:", v)
	return v
}

# A meaning: its ". Values: a, b" tail, if any, as values.
function meaning(s,    i, n, vals, out) {
	i = index(s, ". Values: ")
	if (i == 0)
		return esc(s)
	out = esc(substr(s, 1, i)) " Values: "
	n = split(substr(s, i + 10), vals, ", ")
	for (i = 1; i <= n; i++)
		out = out (i > 1 ? ", " : "") value(vals[i])
	return out
}

NR == FNR && $1 == "#local-net" {
	nets = nets sprintf("%-16s %s\n", $2, $3)
	next
}
NR == FNR && $1 == "#features" {
	part = $2 " " $3 " " $4
	next
}
NR == FNR {
	block[part] = block[part] ".TP\n\\fB" esc($1) "\\fP (" $2 ")\n" meaning($3) "\n"
	if (NF >= 4) {
		k = esc($4)
		sub(/ s$/, "\\~s", k)
		block[part] = block[part] ".br\nKey: " k ".\n"
	}
	split(part, p, " ")
	rows[p[1] ":" p[2] ":" p[3]]++
	rows[p[1] ":" p[2] ":all"]++
	next
}

FNR == 1 {
	print ".\\\" azw-features(7): made by make man from man/azw-features.7.in and"
	print ".\\\" azw-extract --features (src/modules/*.c): edit those, not this."
}
/^\.\\" @features / {
	part = $0
	sub(/^\.\\" @features /, "", part)
	if (!(part in block)) {
		print "features.awk: no features for " part > "/dev/stderr"
		exit 1
	}
	print ".\\\" BEGIN generated: azw-extract --features (" part ")"
	printf "%s", block[part]
	print ".\\\" END generated"
	next
}
/^\.\\" @local-nets$/ {
	print ".RS"
	print ".EX"
	printf "%s", esc(nets)
	print ".EE"
	print ".RE"
	next
}
{
	while (match($0, /@n:[a-z0-9_]+:[a-z]+:[a-z]+@/)) {
		key = substr($0, RSTART + 3, RLENGTH - 4)
		if (!(key in rows)) {
			print "features.awk: no rows for " key > "/dev/stderr"
			exit 1
		}
		$0 = substr($0, 1, RSTART - 1) rows[key] substr($0, RSTART + RLENGTH)
	}
	print
}
