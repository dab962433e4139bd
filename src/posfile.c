/* posfile.c - a small text file replaced whole or not at all (posfile.h). */
#include "posfile.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
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

/* The folder of path, fsync'ed: a rename in it outlives a crash. */
static void sync_dir(const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	int fd;

	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else
		snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path);
	if ((fd = open(dir, O_RDONLY)) >= 0) {
		fsync(fd); /* some file systems refuse it on a folder: best effort */
		close(fd);
	}
}

int posfile_write(const char *path, const char *text, int say)
{
	char tmp[4096];
	size_t len = strlen(text), done = 0;
	int fd;

	if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
		if (say)
			weprintf("%s: name too long", path);
		return -1;
	}
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0) {
		if (say)
			weprintf("%s:", tmp);
		return -1;
	}
	while (done <= len) { /* the text, then its newline */
		const char *p = done < len ? text + done : "\n";
		size_t want = done < len ? len - done : 1;
		ssize_t k = write(fd, p, want);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			goto fail;
		done += (size_t)k;
	}
	if (fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	if (rename(tmp, path) != 0) {
		if (say)
			weprintf("%s: cannot replace it:", path);
		unlink(tmp);
		return -1;
	}
	sync_dir(path);
	return 0;
fail:
	if (say)
		weprintf("%s: write error:", tmp);
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return -1;
}
