/* fuzz_common.h - shared by the libFuzzer harnesses: quiet stderr, and the
 * input as a file descriptor (a memfd) or a file path, as the programs get it. */
#ifndef AZW_FUZZ_COMMON_H
#define AZW_FUZZ_COMMON_H

#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util.h"

/* The readers report every bad line on stderr; at millions of inputs that
 * is all the fuzzer would do. AZW_FUZZ_VERBOSE=1 keeps the messages (to see
 * what a crasher's input is reported as). Sanitizers and libFuzzer write
 * to fd 2 directly, not through this FILE, so their reports stay. */
static inline void fuzz_quiet(void)
{
	const char *v = getenv("AZW_FUZZ_VERBOSE");

	if (!v || !*v || *v == '0') {
		FILE *null = fopen("/dev/null", "w");
		if (null)
			stderr = null;
	}
}

/* data[0..n) in a fresh memfd, positioned at its start; -1 on failure. */
static inline int fuzz_memfd(const uint8_t *data, size_t n)
{
	int fd = memfd_create("azw-fuzz", 0);
	size_t off = 0;

	if (fd < 0)
		return -1;
	while (off < n) {
		ssize_t k = write(fd, data + off, n - off);
		if (k <= 0) {
			close(fd);
			return -1;
		}
		off += (size_t)k;
	}
	lseek(fd, 0, SEEK_SET);
	return fd;
}

#endif
