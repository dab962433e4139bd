#!/usr/bin/env bats
# make install / uninstall honour PREFIX and DESTDIR.

load helpers

@test "make install puts programs and man pages under DESTDIR/PREFIX; uninstall removes them" {
	top="$BATS_TEST_DIRNAME/.."
	make -s -C "$top" install DESTDIR="$TMP/root" PREFIX=/opt/azw > /dev/null
	for p in azw-extract azw-fit azw-score; do
		[ -x "$TMP/root/opt/azw/bin/$p" ]
		[ -f "$TMP/root/opt/azw/share/man/man1/$p.1" ]
		[ "$(stat -c %a "$TMP/root/opt/azw/share/man/man1/$p.1")" = 644 ]
	done
	"$TMP/root/opt/azw/bin/azw-score" --help | grep -q 'usage: azw-score'
	make -s -C "$top" uninstall DESTDIR="$TMP/root" PREFIX=/opt/azw > /dev/null
	[ -z "$(find "$TMP/root" -type f)" ]
}
