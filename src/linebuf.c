/* linebuf.c - line reader that flushes its output when input goes idle. */
#include "linebuf.h"
#include "util.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LB_CHUNK (256 << 10) /* bytes per read(2) */

void lb_init(linebuf *lb, int fd, FILE *idle_flush)
{
	memset(lb, 0, sizeof *lb);
	lb->fd = fd;
	lb->idle_flush = idle_flush;
	lb->max_line = (size_t)LB_MAX_LINE;
	lb->cap = LB_CHUNK;
	lb->buf = emalloc(lb->cap + 1);
}

void lb_free(linebuf *lb)
{
	free(lb->buf);
	lb->buf = NULL;
}

void lb_drop(linebuf *lb)
{
	lb->start = lb->end = 0;
	lb->scanned = 0;
	lb->skipping = 0;
}

ssize_t lb_read(linebuf *lb, int fd, off_t at)
{
	ssize_t n;

	if (lb->start > 0) {
		memmove(lb->buf, lb->buf + lb->start, lb->end - lb->start);
		lb->end -= lb->start;
		lb->start = 0;
	}
	if (lb->end == lb->cap) {
		lb->cap *= 2;
		lb->buf = erealloc(lb->buf, lb->cap + 1);
	}
	n = at < 0 ? read(fd, lb->buf + lb->end, lb->cap - lb->end)
	           : pread(fd, lb->buf + lb->end, lb->cap - lb->end, at);
	if (n > 0) {
		lb->end += (size_t)n;
		lb->pos += n;
	}
	return n;
}

/* Wait for input, flushing the output first if none is there yet, and
 * meanwhile for the output's reader to go (poll's POLLERR on a pipe whose
 * reader closed it): a write error with nothing written. */
static void wait_input(linebuf *lb)
{
	struct pollfd p[2] = {
		{ .fd = lb->fd, .events = POLLIN },
		{ .fd = fileno(lb->idle_flush), .events = 0 },
	};

	if (poll(p, 1, 0) != 0)
		return;
	fflush(lb->idle_flush);
	out_check(lb->idle_flush);
	while (p[1].fd >= 0) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[1].revents & (POLLERR | POLLHUP))
			out_closed();
		if (p[1].revents & POLLNVAL)
			p[1].fd = -1;
		if (p[0].revents)
			break;
	}
}

/* Append more input after buf[end]. 1 got bytes, 0 EOF, -1 error. */
static int fill(linebuf *lb)
{
	ssize_t n;

	if (lb->idle_flush)
		wait_input(lb);
	do
		n = lb_read(lb, lb->fd, -1);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -1 : n > 0;
}

/* The length of the line p..nl, without a CR before its newline: a line of
 * max_line bytes ending in CRLF is as long as one ending in LF. */
static size_t line_len(const char *p, const char *nl)
{
	size_t n = (size_t)(nl - p);

	return n > 0 && p[n - 1] == '\r' ? n - 1 : n;
}

/* p..nl (nl the newline, or the end of the input) as the line given. */
static int give(linebuf *lb, char *p, char *nl, char **line, size_t *len)
{
	*line = p;
	*len = line_len(p, nl);
	if (*len > lb->max_line) {
		lb->n_long++;
		lb->lineno++;
		return 2;
	}
	p[*len] = '\0';
	lb->lineno++;
	return 1;
}

int lb_next(linebuf *lb, char **line, size_t *len)
{
	for (;;) {
		char *p = lb->buf + lb->start;
		size_t n = lb->end - lb->start;
		char *nl = memchr(p + lb->scanned, '\n', n - lb->scanned);

		if (nl) {
			lb->start += (size_t)(nl - p) + 1;
			lb->scanned = 0;
			if (lb->skipping) { /* the end of an over-long line */
				lb->skipping = 0;
				continue;
			}
			return give(lb, p, nl, line, len);
		}
		lb->scanned = n;
		if (lb->skipping) { /* more of an over-long line */
			lb->start = lb->end;
			lb->scanned = 0;
		} else if (n > lb->max_line + 1) { /* (+1: a CR before the newline to come) */
			lb->n_long++;
			lb->lineno++;
			lb->skipping = 1;
			lb->start = lb->end;
			lb->scanned = 0;
			*line = p;
			*len = n;
			return 2;
		}
		return 0;
	}
}

int lb_last(linebuf *lb, char **line, size_t *len)
{
	char *p = lb->buf + lb->start;
	size_t n = lb->end - lb->start;
	int skipping = lb->skipping;

	lb_drop(lb);
	if (n == 0 || skipping)
		return 0;
	return give(lb, p, p + n, line, len);
}

int lb_getline(linebuf *lb, char **line, size_t *len)
{
	int rc;

	for (;;) {
		if ((rc = lb_next(lb, line, len)) == 1)
			return 1;
		if (rc == 2)
			continue;
		if (lb->eof) {
			if ((rc = lb_last(lb, line, len)) == 2)
				continue;
			return rc;
		}
		if ((rc = fill(lb)) < 0)
			return -1;
		if (rc == 0)
			lb->eof = 1;
	}
}

int lb_blank(const char *s, size_t n)
{
	for (; n > 0; s++, n--)
		if (*s != ' ' && *s != '\t' && *s != '\r')
			return 0;
	return 1;
}
