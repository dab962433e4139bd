# jval.awk - one field of a one-line JSON object, as text, for the eval
# scripts that read azw-alert's incident lines (incidents.awk, rank.awk):
# load it first, awk -f eval/jval.awk -f eval/incidents.awk ...
#
# jval(line, key): the value of "key" in line, quotes removed; "" when
# absent. Enough for azw-alert's own lines (flat keys, no escaped quotes
# in the fields read), not a JSON parser.

function jval(line, key,   re, v) {
	re = "\"" key "\":(\"[^\"]*\"|[^,}]*)"
	if (!match(line, re)) return ""
	v = substr(line, RSTART + length(key) + 3, RLENGTH - length(key) - 3)
	gsub(/"/, "", v)
	return v
}
