#!/usr/bin/env bats
# make install / uninstall honour PREFIX and DESTDIR.

load helpers

@test "make install puts programs, scripts and man pages under DESTDIR/PREFIX; uninstall removes them" {
	top="$BATS_TEST_DIRNAME/.."
	make -s -C "$top" install DESTDIR="$TMP/root" PREFIX=/opt/azw > /dev/null
	for p in azw-extract azw-fit azw-score azw-alert azw-train azw-watch; do
		[ -x "$TMP/root/opt/azw/bin/$p" ]
		[ -f "$TMP/root/opt/azw/share/man/man1/$p.1" ]
		[ "$(stat -c %a "$TMP/root/opt/azw/share/man/man1/$p.1")" = 644 ]
	done
	for m in man5/azw-vectors.5 man5/azw-model.5 man7/azw.7; do
		[ -f "$TMP/root/opt/azw/share/man/$m" ]
		[ "$(stat -c %a "$TMP/root/opt/azw/share/man/$m")" = 644 ]
	done
	"$TMP/root/opt/azw/bin/azw-score" --help | grep -q 'usage: azw-score'
	# The installed scripts run the installed programs.
	PATH="$TMP/root/opt/azw/bin:/usr/bin:/bin" "$TMP/root/opt/azw/bin/azw-train" --help | grep -q 'usage: azw-train'
	PATH="$TMP/root/opt/azw/bin:/usr/bin:/bin" "$TMP/root/opt/azw/bin/azw-watch" --help | grep -q 'usage: azw-watch'
	if command -v man > /dev/null; then
		MANPATH="$TMP/root/opt/azw/share/man" man -w azw | grep -q 'man7/azw.7'
	fi
	make -s -C "$top" uninstall DESTDIR="$TMP/root" PREFIX=/opt/azw > /dev/null
	[ -z "$(find "$TMP/root" -type f)" ]
}

@test "every man page is clean for groff and mandoc" {
	top="$BATS_TEST_DIRNAME/.."
	# both or a skip that says which is missing (make deps installs them)
	command -v groff > /dev/null || skip "groff is not installed"
	command -v mandoc > /dev/null || skip "mandoc is not installed"
	n=0
	for f in "$top"/man/*.[157]; do
		out=$(groff -man -Tutf8 -ww -z "$f" 2>&1)
		[ -z "$out" ] || { echo "$f: $out"; false; }
		out=$(mandoc -Tlint -W warning "$f" 2>&1)
		[ -z "$out" ] || { echo "$f: $out"; false; }
		n=$((n + 1))
	done
	[ "$n" -ge 8 ]
	# and the lint bites: a page with an unknown macro and a bad escape
	printf '.TH X 1\n.SH NAME\nx\n.XYZ\n\\q\n' > "$TMP/bad.1"
	[ -n "$(groff -man -Tutf8 -ww -z "$TMP/bad.1" 2>&1)" ]
	[ -n "$(mandoc -Tlint -W warning "$TMP/bad.1" 2>&1)" ]
}

@test "azw-extract(1) lists every feature of every module and schema at its column, and no other" {
	page="$BATS_TEST_DIRNAME/../man/azw-extract.1"
	# the page's entries, block by block: "module schema entry"
	awk '/^\.\\" BEGIN generated from src\/modules\// {
		m = $5; sub(/^src\/modules\//, "", m); sub(/\.c$/, "", m)
		s = $6 == "(ORIGINAL)" ? "original" : "extended"; on = 1; next }
	/^\.\\" END generated/ { on = 0 }
	on && /^\\fB.+\\fP \([0-9]+\)$/ { print m, s, $0 }' "$page" > "$TMP/page"
	[ "$(wc -l < "$TMP/page")" -ge 500 ]
	for m in conn dns http ssh ssl; do
		for s in extended original; do
			azw-extract -m "$m" --schema "$s" < /dev/null | awk -F'\t' -v m="$m" -v s="$s" '/^#fields/ {
				for (i = 9; i <= NF; i++) { n = $i; gsub(/-/, "\\-", n); printf "%s %s \\fB%s\\fP (%d)\n", m, s, n, i - 1 } }'
		done
	done > "$TMP/want"
	[ "$(wc -l < "$TMP/want")" -ge 500 ]
	diff "$TMP/want" "$TMP/page"
}
