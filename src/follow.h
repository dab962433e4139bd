/* follow.h - follow a log file by name across rotation, like tail -F, but
 * losing nothing.
 *
 * Zeek rotates a log by renaming it and opening a new file of the same name;
 * lines it had buffered may still reach the old file just after. So:
 *   - the file is read from its start to its end, then polled for more;
 *   - only whole lines are returned: a last line without its newline waits
 *     for it;
 *   - when the path names another file (device or inode differ), the old one
 *     stays open and is still read until it has given nothing for a grace
 *     period, while the new one is read from its start; each file has its
 *     own buffer, so lines never mix, and the caller is told which file a
 *     line came from (a TSV header belongs to its file);
 *   - a file that shrinks, or whose first bytes change (copytruncate, even
 *     when it grew back past where it was read within one look), is read
 *     again from its start, after the lines already read from it; the end
 *     written before the truncation and not read yet is read from the copy
 *     beside it (the file of the same start), or its loss is said;
 *   - when the path names another file, the folder is searched for files
 *     rotated in between (two rotations between two looks): a regular,
 *     uncompressed file whose name starts as the path's (conn.), not read
 *     before and renamed since the last look is read too, oldest first;
 *   - a missing path is waited for.
 * Memory is bounded: lines longer than max_line are reported and skipped.
 */
#ifndef AZW_FOLLOW_H
#define AZW_FOLLOW_H

#include <signal.h>
#include <stddef.h>
#include <sys/types.h>

#define FOLLOW_MAX_SRC 16       /* files open at once: the current one + rotated ones */
#define FOLLOW_FP 1024          /* bytes of a file's start kept to know it again */
#define FOLLOW_KNOWN 64         /* files already read, not to be read again */
#define FOLLOW_GRACE 10.0       /* s a rotated file is read after its last byte */
#define FOLLOW_POLL 0.2         /* s between looks at an idle file */

typedef struct {
	int fd;                 /* -1: slot free */
	dev_t dev;
	ino_t ino;
	char *buf;
	size_t cap, start, end; /* unread bytes are buf[start..end) */
	off_t pos;              /* file offset of buf[end] */
	long lineno;            /* of the line last returned from this file */
	long seq;               /* opening order, for oldest-first reading */
	int skipping;           /* inside an over-long line */
	int fresh;              /* the next line is the first of this file */
	int at_eof;             /* the last read() returned 0 */
	double last_data;       /* monotonic time of the last byte read */
	int closing;            /* rotated: close at its end, grace or not */
	unsigned char fp[FOLLOW_FP]; /* its first fp_len bytes (truncation, copies) */
	size_t fp_len;
	off_t seen_size;        /* its size at the last look */
	int trunc_pending;      /* truncated: give the lines buffered, then reread */
} follow_src;

typedef struct {
	const char *path;
	double grace, poll;     /* seconds */
	size_t max_line;
	void (*idle)(void *);   /* called before each sleep (fflush the output) */
	void *idle_arg;
	volatile sig_atomic_t *stop; /* when set, follow_getline returns 0 */

	follow_src src[FOLLOW_MAX_SRC];
	int cur;                /* the slot of the file the path names, or -1 */
	long seq;
	int said_missing;       /* "waiting for PATH" said */
	int said_open_error;
	double last_look;       /* wall-clock time of the last look at the path */
	int deferred;           /* the last look left files to open: keep last_look */
	struct { dev_t dev; ino_t ino; } known[FOLLOW_KNOWN]; /* files closed */
	int n_known;

	/* After follow_getline() returned 1: where the line came from. */
	int slot;               /* 0..FOLLOW_MAX_SRC-1 */
	int first;              /* 1: the first line of a (new or truncated) file */
	long lineno;            /* its line number in its file */
	long n_long;            /* lines skipped for being over max_line */
} follow;

/* Set up following path; grace and poll in seconds (<= 0: the defaults),
 * max_line in bytes (0: 1 MiB); stop may be NULL. The file need not exist
 * yet. Returns 0, or -1 with errno set if it exists but cannot be read (or
 * is a directory). */
int follow_open(follow *f, const char *path, double grace, double poll,
                size_t max_line, volatile sig_atomic_t *stop);
/* The next whole line, without its "\n" (or "\r\n"), NUL-terminated in
 * place; valid until the next call. Waits for one. Returns 1, 0 once *stop
 * is set, -1 on a read error (errno set, message printed). */
int follow_getline(follow *f, char **line, size_t *len);
void follow_close(follow *f);

#endif
