/* posfile.c - a small text file replaced whole or not at all (posfile.h). */
#include "posfile.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int posfile_read(const char *path, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY);
	size_t got = 0;
	ssize_t k;

	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		weprintf("%s:", path);
		return -1;
	}
	while (got < n && (k = read(fd, buf + got, n - got)) != 0) {
		if (k < 0) {
			if (errno == EINTR)
				continue;
			weprintf("%s:", path);
			close(fd);
			return -1;
		}
		got += (size_t)k;
	}
	close(fd);
	if (got == n || got == 0 || buf[got - 1] != '\n' || memchr(buf, '\n', got - 1) ||
	    memchr(buf, '\0', got)) {
		weprintf("%s: not a position file (one line of text, as azw writes)", path);
		return -1;
	}
	buf[got - 1] = '\0';
	return 1;
}

int posfile_write(const char *path, const char *text, int say)
{
	size_t len = strlen(text);
	char *line = emalloc(len + 1);
	int rc;

	memcpy(line, text, len);
	line[len] = '\n';
	rc = write_file_atomic(path, line, len + 1, "position", say);
	free(line);
	return rc;
}
