#!/usr/bin/env bats
# The layers hold: the model side (vecstream, model, fit, score, kitnet,
# calib, split, and the context columns split reads) includes and links
# nothing of the Zeek log reader (zeeklog.c, zl_*.c, jsmn) or of the
# modules, which only azw-extract (and azw-alert, whose input is JSON score
# lines) needs.

load helpers

MODEL_SIDE="vecstream model fit score kitnet kitnet_ref calib split context_columns"

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

@test "azw-fit and azw-score link nothing of the Zeek log reader or the modules (nm)" {
	command -v nm > /dev/null || skip "no nm (binutils)"
	local p syms
	# the check sees the reader and the modules where they are linked
	nm "$(command -v azw-extract)" | grep -q ' T zl_read$'
	nm "$(command -v azw-extract)" | grep -q ' t observe_conn$'
	nm "$(command -v azw-extract)" | grep -q ' D azw_module_conn$'
	for p in azw-fit azw-score; do
		# the reader, and the modules' code (their context's observe(),
		# their table of modules); their context columns are data of
		# their own (context_columns.c)
		syms=$(nm "$(command -v $p)" | grep -E ' [A-Za-z] (zl_|jsmn_|observe_|azw_module_)' || true)
		[ -z "$syms" ] || { echo "$p links: $syms"; return 1; }
	done
}
