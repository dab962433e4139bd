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

/* Append more input after buf[end]. 1 got bytes, 0 EOF, -1 error. */
static int fill(linebuf *lb)
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
	if (lb->idle_flush) {
		struct pollfd p[2] = {
			{ .fd = lb->fd, .events = POLLIN },
			{ .fd = fileno(lb->idle_flush), .events = 0 },
		};

		if (poll(p, 1, 0) == 0) {
			fflush(lb->idle_flush);
			out_check(lb->idle_flush);
			/* Wait for input, and meanwhile for the output's reader
			 * to go (poll's POLLERR on a pipe whose reader closed
			 * it): a write error with nothing written. */
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
	}
	do
		n = read(lb->fd, lb->buf + lb->end, lb->cap - lb->end);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if (n == 0)
		return 0;
	lb->end += (size_t)n;
	return 1;
}

/* The length of the line p..nl, without a CR before its newline: a line of
 * max_line bytes ending in CRLF is as long as one ending in LF. */
static size_t line_len(const char *p, const char *nl)
{
	size_t n = (size_t)(nl - p);

	return n > 0 && p[n - 1] == '\r' ? n - 1 : n;
}

int lb_getline(linebuf *lb, char **line, size_t *len)
{
	size_t scanned = 0;
	char *nl;
	int rc;

again:
	scanned = 0;
	for (;;) {
		nl = memchr(lb->buf + lb->start + scanned, '\n', lb->end - lb->start - scanned);
		if (nl)
			break;
		scanned = lb->end - lb->start;
		if (lb->eof) {
			if (scanned == 0)
				return 0;
			nl = lb->buf + lb->end; /* last line without newline */
			break;
		}
		if (scanned > lb->max_line + 1) { /* (+1: a CR before the newline to come) */
			/* Drop what we have of an over-long line, then the rest of it. */
			lb->n_long++;
			lb->lineno++;
			lb->start = lb->end = 0;
			for (;;) {
				rc = fill(lb);
				if (rc <= 0) {
					lb->eof = 1;
					if (rc < 0)
						return -1;
					lb->start = lb->end = 0;
					break;
				}
				nl = memchr(lb->buf, '\n', lb->end);
				if (nl) {
					lb->start = (size_t)(nl - lb->buf) + 1;
					break;
				}
				lb->end = 0;
			}
			scanned = 0;
			continue;
		}
		rc = fill(lb);
		if (rc < 0)
			return -1;
		if (rc == 0)
			lb->eof = 1;
	}
	if (line_len(lb->buf + lb->start, nl) > lb->max_line) {
		/* Complete but too long (it came in with its newline in one
		 * read): skipped like one that is still arriving. */
		lb->n_long++;
		lb->lineno++;
		lb->start = (size_t)(nl - lb->buf) + (nl < lb->buf + lb->end);
		goto again;
	}
	*line = lb->buf + lb->start;
	*len = (size_t)(nl - *line);
	lb->start = nl - lb->buf + (nl < lb->buf + lb->end ? 1 : 0);
	*nl = '\0';
	if (*len > 0 && (*line)[*len - 1] == '\r')
		(*line)[--*len] = '\0';
	lb->lineno++;
	return 1;
}

int lb_blank(const char *s, size_t n)
{
	for (; n > 0; s++, n--)
		if (*s != ' ' && *s != '\t' && *s != '\r')
			return 0;
	return 1;
}
