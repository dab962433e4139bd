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
	for m in man5/azw-vectors.5 man5/azw-model.5 man7/azw.7 man7/azw-features.7; do
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

@test "azw-features(7) is, to the byte, what make man writes from azw-extract --features" {
	top="$BATS_TEST_DIRNAME/.."
	make -s -C "$top" man FEATURES_PAGE="$TMP/azw-features.7" > /dev/null
	# the whole text, prose and tables: a doc string, a row or the template
	# changed without make man shows here
	diff "$top/man/azw-features.7" "$TMP/azw-features.7"
	# and it has every feature (ten schemas' tables, five with context;
	# the eight lateral and mail schemas; the generic module's rules and
	# context)
	[ "$(grep -c '^\\fB.*\\fP ([0-9]*)$' "$TMP/azw-features.7")" -ge 800 ]
	[ "$(grep -c '^\.\\" BEGIN generated' "$TMP/azw-features.7")" -eq 25 ]
	# the diff bites: a changed meaning in the table is a difference
	sed 's/^proto is udp$/proto is UDP/' "$TMP/azw-features.7" > "$TMP/edited.7"
	run diff -q "$top/man/azw-features.7" "$TMP/edited.7"
	[ "$status" -eq 1 ]
}
