# azw - anomaly scores for Zeek logs.  make; make check; make demo; make install

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man


CFLAGS ?= -O2 -g
# -ffp-contract=off: no fused multiply-add, so KitNET's sums round exactly as
# the reference's (bit-for-bit parity) on every architecture.
override CFLAGS += -std=c11 -Wall -Wextra -ffp-contract=off -D_POSIX_C_SOURCE=200809L -Isrc
LDLIBS += -lz -lm

# Where a build goes: B for programs, O for objects. The sanitizer build
# (make check-asan) is the same rules with other directories and flags.
B = bin
O = build/obj
PROGS = $(patsubst src/%.c,$(B)/%,$(wildcard src/azw-*.c))
LIBSRC = $(filter-out src/azw-%.c, $(wildcard src/*.c src/modules/*.c))
LIBOBJ = $(LIBSRC:src/%.c=$(O)/%.o)
HDRS = $(wildcard src/*.h src/modules/*.h)
UNITSRC = $(wildcard tests/unit/*_test.c)
UNITS = $(UNITSRC:tests/unit/%.c=$(B)/test/%)
SCRIPTS = scripts/azw-train scripts/azw-watch
MAN1 = $(wildcard man/*.1)
MAN5 = $(wildcard man/*.5)
MAN7 = $(wildcard man/*.7)
ASAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

all: $(PROGS)

$(O)/%.o: src/%.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

# The library is where the programs spend their time, so it gets -O3
# (inlining, unrolling, vectorising) whatever CFLAGS a packager sets; make
# bench shows what it is worth (the figures are in the commit messages).
# KitNET's loops are what azw-score and azw-fit spend their
# time in: -O3 lets GCC vectorise them (SSE2/NEON, what every x86-64/ARM64
# has; no -march). On x86-64 kitnet_ref.c and kitnet_fast.c also carry AVX2 copies of their
# loops, picked at load time where the CPU has AVX2 (target_clones).
# Vectorising never reorders a sum and there is no FMA, so every copy gives
# the same bits.
$(LIBOBJ): override CFLAGS += -O3

# The JSON reader holds jsmn, whose loop switches on every byte of a line: as
# a jump table, that is an indirect branch per byte, which the CPU predicts
# worse than a few compares; lines that miss the reader's own fast path still
# go through it.
$(O)/zeeklog.o $(O)/zl_json.o $(O)/zl_tsv.o $(O)/zl_time.o: override CFLAGS += -fno-jump-tables

$(O)/libazw.a: $(LIBOBJ)
	rm -f $@
	$(AR) rcs $@ $(LIBOBJ)

$(B)/azw-%: $(O)/azw-%.o $(O)/libazw.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(O)/libazw.a $(LDLIBS)

$(B)/test/%: tests/unit/%.c tests/unit/tap.h $(O)/libazw.a $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(O)/libazw.a $(LDLIBS)

units: $(UNITS)

# Installs what the build and the tests need (Debian/Ubuntu), if missing.
deps:
	@sh tests/deps.sh

# The whole suite twice: as built, and built with AddressSanitizer and
# UndefinedBehaviorSanitizer (any report fails the test that caused it).
# CHECK_JOBS: the two builds compile, and the unit tests run, that many at
# a time; CHECK_BATS_JOBS bats files run at a time (GNU parallel), one more
# than the cores, as the follow, stream and watch tests spend much of
# their time waiting for a file or a process, the longest started first
# (CHECK_FIRST). The
# sanitizer pass leaves out the bats files that do not run the programs on
# PATH: the runner's own test, make install and the man pages, make eval
# and make demo (their scripts run bin/'s), valgrind (the plain build's);
# and two whose C programs' runs repeat what other files drive through the
# same code under the sanitizers: 61-inject (it tests eval/inject.c, built
# with plain cc; its azw-extract -m conn runs read TSV conn logs with and
# without context, as 10-extract, 12-original and 15-context do, and
# two-block logs, as 11-formats does) and 72-train (azw-train is a shell
# script: its azw-extract -m MODULE reads a concatenation of logs on stdin
# and azw-fit its vectors, as 10-extract, 11-formats, 19-any and 20-fit do;
# its refusals are the script's own).
CHECK_JOBS ?= 2
CHECK_BATS_JOBS ?= 3
CHECK_FIRST = 14-extended-modules.bats 11-formats.bats 16-context-modules.bats \
	83-stream.bats 80-bad-input.bats 81-faults.bats 84-resume.bats 61-inject.bats
check: deps
	@$(MAKE) -j$(CHECK_JOBS) all units asan
	@AZW_BATS_JOBS=$(CHECK_BATS_JOBS) AZW_UNIT_JOBS=$(CHECK_JOBS) AZW_BATS_FIRST="$(CHECK_FIRST)" \
	AZW_BATS_EXCLUDE_2="01-runner.bats 50-install.bats 60-eval.bats 82-valgrind.bats \
		61-inject.bats 72-train.bats" \
	sh tests/run bin build/asan/bin

asan:
	@$(MAKE) -s B=build/asan/bin O=build/asan/obj CFLAGS="$(ASAN_FLAGS)" LDFLAGS="-fsanitize=address,undefined" all units

check-fast: deps
	@$(MAKE) -j$(CHECK_JOBS) all units
	@AZW_BATS_JOBS=$(CHECK_BATS_JOBS) AZW_UNIT_JOBS=$(CHECK_JOBS) AZW_BATS_FIRST="$(CHECK_FIRST)" sh tests/run bin

# The follow soak test, long: 2,000,000 conn records at 40,000 lines/s into
# a log rotated every 0.3-3 s (renames and copytruncates), followed by
# azw-extract -F | azw-score, with positions; every uid scored once
# (tests/soak/run.sh). Then the same with 6 restarts while it is written,
# by SIGTERM: still every uid once; and with SIGKILL the second time: the
# records scored since the last saved position are scored again, fewer
# than 2 s of them. About 8 minutes. make check runs short ones
# (tests/83-stream.bats).
soak: all
	@PATH="$(CURDIR)/bin:$$PATH" bash tests/soak/run.sh 2000000 40000 0.3 3
	@PATH="$(CURDIR)/bin:$$PATH" bash tests/soak/run.sh 2000000 40000 0.3 3 6 0
	@PATH="$(CURDIR)/bin:$$PATH" bash tests/soak/run.sh 2000000 40000 0.3 3 6

demo: deps all
	@sh examples/demo.sh

bench: all $(B)/bench/model-only
	@bash bench/run.sh

# make bench's timing of KitNET alone, without the vector stream's I/O.
$(B)/bench/model-only: bench/model-only.c $(O)/libazw.a $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -O3 $(LDFLAGS) -o $@ $< $(O)/libazw.a $(LDLIBS)

# Detection on labelled logs in ../shared/data (skips when absent).
eval: all
	@bash eval/run.sh

# Detection limits on synthetic attacks injected into benign logs (eval/INJECT.md).
eval-inject: all
	@bash eval/inject.sh
.PHONY: eval-inject

# The mutation score: plants each small bug of tests/mutations.txt in a
# scratch copy (never here), builds it and runs the fast tests until one
# fails; prints the survivors and the share killed (tests/mutate.sh). Slow
# (minutes): not part of check. make mutate MUTANTS="ID ..." runs some.
mutate: all
	@bash tests/mutate.sh $(MUTANTS)

# libFuzzer harnesses (fuzz/*.c, fuzz/README): make fuzz FUZZ_SECONDS=N
# builds them with clang -fsanitize=fuzzer,address,undefined and runs each
# for N seconds on its seed corpus (fuzz/seeds/NAME) plus a working corpus
# (build/fuzz/corpus/NAME); crashers land in build/fuzz/. Not part of check.
FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang
FUZZ_FLAGS = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZERS = $(patsubst fuzz/%.c,build/fuzz/bin/%,$(wildcard fuzz/fuzz_*.c))

fuzz: fuzz-build
	@sh fuzz/run.sh $(FUZZ_SECONDS) $(FUZZERS)

fuzz-build:
	@command -v $(FUZZ_CC) >/dev/null 2>&1 || sh fuzz/deps.sh
	@$(MAKE) -s B=build/fuzz/bin O=build/fuzz/obj CC=$(FUZZ_CC) \
		CFLAGS="$(FUZZ_FLAGS) -fsanitize=fuzzer-no-link" $(FUZZERS)

$(B)/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz_common.h $(O)/libazw.a $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -fsanitize=fuzzer -o $@ $< $(O)/libazw.a $(LDLIBS)

# azw-features(7), the features of every module, is made from its text
# (man/azw-features.7.in) and the modules' own tables (azw-extract
# --features) by man/features.awk. The page is committed, so that a build or
# an install never needs this: run it after changing either (make check
# fails until then).
FEATURES_PAGE = man/azw-features.7
man: $(B)/azw-extract
	$(B)/azw-extract --features > $(FEATURES_PAGE).tsv
	awk -f man/features.awk $(FEATURES_PAGE).tsv man/azw-features.7.in > $(FEATURES_PAGE).tmp
	rm -f $(FEATURES_PAGE).tsv
	mv $(FEATURES_PAGE).tmp $(FEATURES_PAGE)

# clang-format (Debian's clang-format, .clang-format) over FORMAT_FILES:
# make format rewrites them in place, make format-check only lists what it
# would change (and fails if anything). Neither is part of check; the tree
# is not all formatted yet, so give the files you touched:
#   make format FORMAT_FILES="src/calib.c src/calib.h"
FORMAT_FILES ?= $(wildcard src/*.c src/*.h src/modules/*.c src/modules/*.h tests/unit/*.c \
	tests/unit/*.h bench/*.c fuzz/*.c fuzz/*.h)
format:
	@command -v clang-format > /dev/null || { echo "make format: clang-format is needed (apt-get install clang-format)" >&2; exit 2; }
	clang-format -i $(FORMAT_FILES)

format-check:
	@command -v clang-format > /dev/null || { echo "make format-check: clang-format is needed (apt-get install clang-format)" >&2; exit 2; }
	@clang-format --dry-run -Werror $(FORMAT_FILES) 2>&1 | sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: error: code should be clang-formatted.*/\1/p' | sort -u | \
		awk '{ print "make format-check: would reformat " $$0; n++ } END { exit n > 0 }'

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7
	install -m 755 $(PROGS) $(SCRIPTS) $(DESTDIR)$(BINDIR)/
	install -m 644 $(MAN1) $(DESTDIR)$(MANDIR)/man1/
	install -m 644 $(MAN5) $(DESTDIR)$(MANDIR)/man5/
	install -m 644 $(MAN7) $(DESTDIR)$(MANDIR)/man7/

uninstall:
	cd $(DESTDIR)$(BINDIR) && rm -f $(PROGS:bin/%=%) $(SCRIPTS:scripts/%=%)
	cd $(DESTDIR)$(MANDIR)/man1 && rm -f $(MAN1:man/%=%)
	cd $(DESTDIR)$(MANDIR)/man5 && rm -f $(MAN5:man/%=%)
	cd $(DESTDIR)$(MANDIR)/man7 && rm -f $(MAN7:man/%=%)

clean:
	rm -rf bin build src/*.o src/modules/*.o src/libazw.a tests/tmp

.PHONY: all units asan deps check check-fast soak demo bench eval fuzz fuzz-build mutate man format format-check install uninstall clean
.PRECIOUS: $(O)/%.o
