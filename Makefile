# azw - anomaly scores for Zeek logs.  make; make check; make demo; make install

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man


CFLAGS ?= -O2 -g
# -ffp-contract=off: no fused multiply-add, so KitNET's sums round exactly as
# the reference's (bit-for-bit parity) on every architecture.
override CFLAGS += -std=c11 -Wall -Wextra -ffp-contract=off -D_POSIX_C_SOURCE=200809L -Isrc
LDLIBS += -lm

PROGS = $(patsubst src/%.c,bin/%,$(wildcard src/azw-*.c))
LIBSRC = $(filter-out src/azw-%.c, $(wildcard src/*.c src/modules/*.c))
LIBOBJ = $(LIBSRC:.c=.o)
HDRS = $(wildcard src/*.h src/modules/*.h)
UNITSRC = $(wildcard tests/unit/*_test.c)
UNITS = $(UNITSRC:tests/unit/%.c=bin/test/%)
MAN1 = $(wildcard man/*.1)
MAN5 = $(wildcard man/*.5)
MAN7 = $(wildcard man/*.7)

all: $(PROGS)

src/%.o: src/%.c $(HDRS)
	$(CC) $(CFLAGS) -c -o $@ $<

src/libazw.a: $(LIBOBJ)
	rm -f $@
	$(AR) rcs $@ $(LIBOBJ)

bin/azw-%: src/azw-%.o src/libazw.a
	@mkdir -p bin
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< src/libazw.a $(LDLIBS)

bin/test/%: tests/unit/%.c src/libazw.a $(HDRS)
	@mkdir -p bin/test
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< src/libazw.a $(LDLIBS)

# Installs what the build and the tests need (Debian/Ubuntu), if missing.
deps:
	@sh tests/deps.sh

check: deps all $(UNITS)
	@sh tests/run

demo: deps all
	@sh examples/demo.sh

bench: all
	@sh bench/run.sh

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(PROGS) $(DESTDIR)$(BINDIR)/
	install -m 644 $(MAN1) $(DESTDIR)$(MANDIR)/man1/

uninstall:
	cd $(DESTDIR)$(BINDIR) && rm -f $(PROGS:bin/%=%)
	cd $(DESTDIR)$(MANDIR)/man1 && rm -f $(MAN1:man/%=%)

clean:
	rm -rf bin src/*.o src/modules/*.o src/libazw.a tests/tmp

.PHONY: all deps check demo bench install uninstall clean
.PRECIOUS: src/%.o
