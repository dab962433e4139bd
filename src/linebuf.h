/* linebuf.h - read lines from a file descriptor with one growing buffer.
 *
 * Unlike stdio, it knows when the input has gone idle: before it blocks in
 * read(2) it flushes a given output stream, so that `tail -F | azw-...`
 * pipelines write each result as soon as its line has arrived, while a
 * flowing input is still written in large blocks.
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
	int eof;
	FILE *idle_flush;       /* flushed before a read that would block */
	long lineno;            /* of the line last returned */
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

#endif
