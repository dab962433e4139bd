#!/bin/sh
# Install what azw needs to build and test, if it is missing (Debian/Ubuntu).
# Needs root or sudo; otherwise says what to install.
missing=
command -v cc >/dev/null 2>&1 || missing="$missing gcc libc6-dev"
command -v make >/dev/null 2>&1 || missing="$missing make"
[ -f /usr/include/jsmn.h ] || missing="$missing libjsmn-dev"
command -v bats >/dev/null 2>&1 || missing="$missing bats"
command -v jq >/dev/null 2>&1 || missing="$missing jq"
command -v gzip >/dev/null 2>&1 || missing="$missing gzip"
[ -z "$missing" ] && exit 0

echo "azw: installing:$missing" >&2
if [ "$(id -u)" = 0 ]; then
	run=
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	run=sudo
else
	echo "azw: missing:$missing" >&2
	echo "azw: run as root (or with sudo): apt-get install -y$missing" >&2
	exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
	echo "azw: no apt-get here; install the equivalents of:$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$run apt-get install -y --no-install-recommends $missing >/dev/null ||
	{ $run apt-get update >/dev/null && $run apt-get install -y --no-install-recommends $missing >/dev/null; } ||
	{ echo "azw: apt-get install failed; install by hand:$missing" >&2; exit 1; }
