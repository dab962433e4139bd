#!/bin/sh
# Installs clang and its libFuzzer runtime (Debian/Ubuntu) for make fuzz.
set -e
if command -v clang >/dev/null 2>&1 &&
   ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a >/dev/null 2>&1; then
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "make fuzz needs clang and libclang-rt-dev: apt-get install clang libclang-rt-14-dev" >&2
	exit 2
fi
apt-get install -y clang libclang-rt-14-dev || apt-get install -y clang libclang-rt-dev
