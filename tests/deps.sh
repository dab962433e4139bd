#!/bin/sh
# Install what azw needs to build and test, if it is missing (Debian/Ubuntu).
# Needs root or sudo; otherwise says what to install.
#  - to build and run the tests: a C compiler, make, jsmn, zlib, bats, jq, gzip
#    (missing and not installable: an error);
#  - for tests that otherwise skip, saying why: time (the memory-bound
#    tests), strace (the one-write-per-line test), valgrind, groff and
#    mandoc (the man-page lint), GNU parallel (bats --jobs, 71-scale).
#    Missing and not installable (no root): a warning, and those tests skip.
#    In CI (.ci/run, as root) they are installed, so nothing skips there.
missing=
command -v cc >/dev/null 2>&1 || missing="$missing gcc libc6-dev"
command -v make >/dev/null 2>&1 || missing="$missing make"
[ -f /usr/include/jsmn.h ] || missing="$missing libjsmn-dev"
[ -f /usr/include/zlib.h ] || missing="$missing zlib1g-dev"
command -v bats >/dev/null 2>&1 || missing="$missing bats"
command -v jq >/dev/null 2>&1 || missing="$missing jq"
command -v gzip >/dev/null 2>&1 || missing="$missing gzip"
optional=
[ -x /usr/bin/time ] || optional="$optional time"
command -v strace >/dev/null 2>&1 || optional="$optional strace"
command -v valgrind >/dev/null 2>&1 || optional="$optional valgrind"
command -v groff >/dev/null 2>&1 || optional="$optional groff"
command -v mandoc >/dev/null 2>&1 || optional="$optional mandoc"
command -v parallel >/dev/null 2>&1 || optional="$optional parallel"
[ -z "$missing$optional" ] && exit 0

# cannot: say what is missing; fail only for what the build needs
cannot() {
	if [ -n "$missing" ]; then
		echo "azw: missing:$missing" >&2
		echo "azw: $1 apt-get install -y$missing$optional" >&2
		exit 1
	fi
	echo "azw: warning: the tests that need$optional will skip ($1 apt-get install -y$optional)" >&2
	exit 0
}

if [ "$(id -u)" = 0 ]; then
	run=
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	run=sudo
else
	cannot "run as root (or with sudo):"
fi
command -v apt-get >/dev/null 2>&1 || cannot "no apt-get here; install the equivalents of:"
echo "azw: installing:$missing$optional" >&2
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086
$run apt-get install -y --no-install-recommends $missing $optional >/dev/null ||
	{ $run apt-get update >/dev/null && $run apt-get install -y --no-install-recommends $missing $optional >/dev/null; } ||
	cannot "apt-get install failed; install by hand:"
