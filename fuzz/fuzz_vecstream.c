/* fuzz_vecstream.c - the vector stream reader as azw-fit and azw-score drive
 * it: vec_open() on a file descriptor, then vec_next() to the end, every
 * row's features read; the header compared with a fixed one (as azw-score
 * compares it with its model's). */
#include "fuzz_common.h"

#include <math.h>

#include "vecstream.h"

static const char *const want_names[] = { "a", "b" };

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	argv0 = "fuzz_vecstream";
	fuzz_quiet();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vec_header want = { "conn", "original", 2, (char **)want_names };
	vec_reader vr;
	volatile double sum = 0;
	int fd, rc, i;

	fd = fuzz_memfd(data, size);
	if (fd < 0)
		abort();
	rc = vec_open(&vr, fd, "fuzz", NULL);
	if (rc == 0) {
		if (vr.h.n_features < 1 || !vr.h.module || !vr.h.schema)
			abort();
		(void)vec_header_diff(&want, &vr.h);
		(void)vec_header_diff(&vr.h, &want);
		while (vec_next(&vr) == 1) {
			for (i = 0; i < VEC_N_ID; i++)
				if (!vr.id[i])
					abort();
			for (i = 0; i < vr.h.n_features; i++) {
				if (!isfinite(vr.x[i]))
					abort(); /* vec_next's promise */
				sum += vr.x[i];
			}
		}
	}
	(void)sum;
	vec_close(&vr);
	close(fd);
	return 0;
}
