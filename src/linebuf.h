/* linebuf.h - read lines from a file descriptor with one growing buffer.
 *
 * Unlike stdio, it knows when the input has gone idle: before it blocks in
 * read(2) it flushes a given output stream, so that `tail -F | azw-...`
 * pipelines write each result as soon as its line has arrived, while a
 * flowing input is still written in large blocks.
 *
 * The one line reader of azw: lb_getline() reads a stream to its end;
 * follow.c reads files that grow with the parts it is made of (lb_next,
 * lb_read, lb_last), deciding itself when to read and what an end is.
 * Either way a line is cut at "\n", a CR before it dropped, and a line
 * longer than max_line (its CR not counted) skipped and counted, its rest
 * dropped as it comes, in bounded memory.
 */
#ifndef AZW_LINEBUF_H
#define AZW_LINEBUF_H

#include <stdio.h>
#include <sys/types.h>

#define LB_MAX_LINE (16L << 20) /* default max_line, bytes */

typedef struct {
	int fd;
	char *buf;
	size_t cap, start, end; /* unread bytes are buf[start..end) */
	size_t scanned;         /* of them, known to hold no newline */
	int skipping;           /* inside an over-long line: its rest is dropped */
	off_t pos;              /* bytes read (the file offset of buf[end], read from 0) */
	int eof;
	FILE *idle_flush;       /* flushed before a read that would block */
	long lineno;            /* of the line last returned (or skipped) */
	long n_long;            /* lines skipped for being longer than max_line */
	size_t max_line;        /* LB_MAX_LINE unless the caller sets it after lb_init() */
} linebuf;

void lb_init(linebuf *lb, int fd, FILE *idle_flush);
void lb_free(linebuf *lb);
/* The next line, without its "\n" (or "\r\n"), NUL-terminated in place; *len
 * its length (at most max_line) (it may contain NUL bytes: compare with strlen). Returns 1, 0 at
 * end of input, -1 on a read error (errno set). A last line without a final
 * newline is returned as a line. Over-long lines are skipped and counted. */
int lb_getline(linebuf *lb, char **line, size_t *len);
/* Only blanks (space, tab, CR): a line to pass over. */
int lb_blank(const char *s, size_t n);

/* The parts, for input that grows (follow.c). lb_next: the next whole line
 * among the bytes read, as lb_getline gives it: 1; or 2, an over-long line
 * found (counted in n_long and lineno; *line its first bytes, valid until
 * the next call), its rest to be dropped as it comes; or 0, none there:
 * read more, or it is the last. */
int lb_next(linebuf *lb, char **line, size_t *len);
/* Read more after the buffer from fd (at offset at with pread(2), or with
 * read(2) when at < 0), the buffer made room for: the byte count (pos
 * moves on by it), 0 at the end, -1 error (errno set; EINTR not retried). */
ssize_t lb_read(linebuf *lb, int fd, off_t at);
/* What is left after the last newline, for input that will grow no more,
 * as its last line: 1; 2 over-long (counted); 0 none (nothing, or the rest
 * of an over-long line). The buffer is empty after. */
int lb_last(linebuf *lb, char **line, size_t *len);
/* Drop every byte read and not given, and any over-long line in progress. */
void lb_drop(linebuf *lb);

#endif
