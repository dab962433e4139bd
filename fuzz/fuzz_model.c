/* fuzz_model.c - the model loader: model_read() of a file, then the loaded
 * model put to work (kitnet_execute and kitnet_explain on a fixed vector,
 * so every weight and bound is used) and written back (model_write), which
 * must read again.
 *
 * A model carries a CRC-32 of its text, so almost every mutation would be
 * refused at the checksum and the parser never reached. So: if the input's
 * first byte is odd, the harness drops it, drops the last line if it is a
 * checksum line, and appends the right checksum; if even, the rest of the
 * input is read as it is (the checksum path itself). */
#include "fuzz_common.h"

#include <fcntl.h>
#include <math.h>

#include "kitnet.h"
#include "model.h"

static char in_path[64], out_path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";

	(void)argc;
	(void)argv;
	argv0 = "fuzz_model";
	fuzz_quiet();
	snprintf(in_path, sizeof in_path, "%s/azw-fuzz-model-%d.in", dir, (int)getpid());
	snprintf(out_path, sizeof out_path, "%s/azw-fuzz-model-%d.out", dir, (int)getpid());
	return 0;
}

static void put_file(const char *path, const void *p, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	size_t off = 0;

	if (fd < 0)
		abort();
	while (off < n) {
		ssize_t k = write(fd, (const char *)p + off, n - off);
		if (k <= 0)
			abort();
		off += (size_t)k;
	}
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	model m, m2;
	char *text;
	size_t n;
	double *x, *err;
	volatile double s;
	int i;

	if (size < 1)
		return 0;
	if (data[0] & 1) {
		/* body + a checksum line that matches it */
		const char *body = (const char *)data + 1;
		size_t blen = size - 1, last;
		char line[40];

		if (blen > 0 && body[blen - 1] == '\n') {
			for (last = blen - 1; last > 0 && body[last - 1] != '\n'; last--)
				;
			if (blen - last >= 9 && memcmp(body + last, "checksum\t", 9) == 0)
				blen = last;
		}
		text = malloc(blen + 40);
		memcpy(text, body, blen);
		n = blen;
		if (n > 0 && text[n - 1] != '\n')
			text[n++] = '\n';
		snprintf(line, sizeof line, "checksum\tcrc32\t%08lx\n", model_crc32(0, text, n));
		memcpy(text + n, line, strlen(line));
		n += strlen(line);
	} else {
		text = malloc(size);
		memcpy(text, data + 1, size - 1);
		n = size - 1;
	}
	put_file(in_path, text, n);
	free(text);

	if (model_read(&m, in_path) < 0) {
		unlink(in_path);
		return 0;
	}
	unlink(in_path);
	if (m.h.n_features < 1 || m.k.n_ae < 1)
		abort();
	x = calloc((size_t)m.h.n_features, sizeof *x);
	err = calloc((size_t)m.h.n_features, sizeof *err);
	for (i = 0; i < m.h.n_features; i++)
		x[i] = (i % 3) ? 0.5 * i : 1e6;
	s = kitnet_execute(&m.k, x, NULL);
	kitnet_explain(&m.k, x, err);
	for (i = 0; i < m.h.n_features; i++)
		x[i] = -x[i];
	s = kitnet_execute(&m.k, x, NULL);
	(void)s;

	/* what was read writes back, and reads again */
	if (model_write(&m, out_path) < 0)
		abort();
	if (model_read(&m2, out_path) < 0)
		abort();
	if (m2.h.n_features != m.h.n_features || m2.k.n_ae != m.k.n_ae)
		abort();
	unlink(out_path);
	model_free(&m2);
	model_free(&m);
	free(x);
	free(err);
	return 0;
}
