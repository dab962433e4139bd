/* model.c - the model file read in whole (model_parse.c checks and parses
 * it), its checksum, and a model freed. Writing: model_write.c. */
#include "model.h"
#include "util.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *const model_part_names[MODEL_MAX_PARTS] = { "record", "context" };

unsigned long model_crc32(unsigned long crc, const void *buf, size_t len)
{
	static unsigned long table[256];
	const unsigned char *p = buf;
	unsigned long c;
	int i, j;

	if (!table[1]) {
		for (i = 0; i < 256; i++) {
			c = (unsigned long)i;
			for (j = 0; j < 8; j++)
				c = c & 1 ? 0xedb88320UL ^ (c >> 1) : c >> 1;
			table[i] = c;
		}
	}
	crc = ~crc & 0xffffffffUL;
	while (len--)
		crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc & 0xffffffffUL;
}

int model_read(model *m, const char *path)
{
	struct stat st;
	char *text = NULL;
	size_t len;
	ssize_t n;
	int fd, rc;

	memset(m, 0, sizeof *m);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		weprintf("%s: cannot open model:", path);
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		weprintf("%s: not a regular file", path);
		close(fd);
		return -1;
	}
	if (st.st_size > MODEL_MAX_BYTES) {
		weprintf("%s: model file too large (over %ld bytes)", path, MODEL_MAX_BYTES);
		close(fd);
		return -1;
	}
	len = (size_t)st.st_size;
	text = emalloc(len + 1);
	for (size_t off = 0; off < len; off += (size_t)n) {
		n = read(fd, text + off, len - off);
		if (n <= 0) {
			weprintf("%s: cannot read model%s", path, n == 0 ? ": file shrank" : ":");
			close(fd);
			free(text);
			return -1;
		}
	}
	close(fd);
	text[len] = '\0';
	rc = model_parse(m, path, text, len);
	free(text);
	return rc;
}

void model_free(model *m)
{
	int i;

	calib_free(&m->cal);
	vec_header_free(&m->h);
	kitnet_free(&m->k);
	for (i = 0; i < m->n_parts; i++) {
		calib_free(&m->part[i].cal);
		kitnet_free(&m->part[i].k);
		free(m->part[i].feat);
	}
	m->n_parts = 0;
	free(m->xbuf);
	m->xbuf = NULL;
}
