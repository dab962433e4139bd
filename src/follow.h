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
 *     one that starts as an open file does (or is empty) is taken for the
 *     copy of a copytruncate not yet seen to truncate, and read only when
 *     its file is found truncated, from where that was read to; a gzip
 *     file made since the last look that starts as no file read did was
 *     compressed before it could be read: said lost, with its size;
 *   - a file once open is read to its end through its descriptor, even
 *     when renamed, then compressed, moved away or removed;
 *   - a missing path is waited for.
 * Memory is bounded: lines longer than max_line are reported and skipped.
 *
 * A restart resumes (follow_position, follow_resume): the position is one
 * line of text naming each open file by device, inode and a hash of its
 * first bytes (up to FOLLOW_FP: a reused inode, or a file rotated and
 * created again, is another file), with the offset of its next unread whole
 * line, and the files already read. It is taken only where every line
 * before it has been returned and the caller has done with it: at the
 * checkpoint callback, called from inside follow_getline(). Resuming, a
 * file read part-way is found again by its inode (at the path, or beside it
 * after a rotation), or by its first bytes (logrotate's copy of a
 * copytruncated file); read on from its offset, after its leading '#' lines
 * (a TSV header the caller needs again); files rotated while stopped are
 * read from their start; a file that cannot be found is said, with the
 * bytes known not read. A resumed file truncated before it was read up to
 * its offset is read on from its copy, in a slot of its own.
 */
#ifndef AZW_FOLLOW_H
#define AZW_FOLLOW_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "linebuf.h"

#define FOLLOW_MAX_SRC 16       /* files open at once: the current one + rotated ones */
#define FOLLOW_FP 1024          /* bytes of a file's start kept to know it again */
#define FOLLOW_KNOWN 64         /* files already read, not to be read again */
#define FOLLOW_GRACE 10.0       /* s a rotated file is read after its last byte */
#define FOLLOW_POLL 0.2         /* s between looks at an idle file */
#define FOLLOW_POS_MAX 8192     /* bytes of a position's text, at most */

typedef struct {
	int fd;                 /* -1: slot free */
	dev_t dev;
	ino_t ino;
	linebuf lb;             /* its lines; lb.pos the file offset of what it read last */
	long seq;               /* opening order, for oldest-first reading */
	int fresh;              /* the next line is the first of this file */
	int at_eof;             /* the last read() returned 0 */
	double last_data;       /* monotonic time of the last byte read */
	int closing;            /* rotated: close at its end, grace or not */
	unsigned char fp[FOLLOW_FP]; /* its first fp_len bytes (truncation, copies) */
	size_t fp_len;
	off_t seen_size;        /* its size at the last look, or what was read if more */
	int trunc_pending;      /* truncated: give the lines buffered, then reread */
	off_t resume_at;        /* > 0: resumed; give its leading '#' lines, then read from here */
	long resume_lineno;     /* the line number before resume_at */
	int resume_skipping;    /* resume_at is inside an over-long line */
} follow_src;

typedef struct {
	const char *path;
	double grace, poll;     /* seconds */
	size_t max_line;
	void (*idle)(void *);   /* called before each sleep (fflush the output) */
	void *idle_arg;
	/* Called where a position may be taken (follow_position): at every
	 * look while lines flow (idle 0), and before each sleep (idle 1). */
	void (*checkpoint)(void *, int idle);
	void *checkpoint_arg;
	volatile sig_atomic_t *stop; /* when set, follow_getline returns 0 */

	follow_src src[FOLLOW_MAX_SRC];
	int cur;                /* the slot of the file the path names, or -1 */
	long seq;
	int said_missing;       /* "waiting for PATH" said */
	int said_open_error;
	double last_look;       /* wall-clock time of the last look at the path */
	double next_look;       /* monotonic time of the next, while lines flow */
	int deferred;           /* the last look left files to open: keep last_look */
	int resuming;           /* inside follow_resume() (for its messages) */
	int rotated_pending;    /* resumed: files rotated while stopped wait for a slot */
	struct {                /* files closed, not to be read again */
		dev_t dev;      /* (0, with ino 0: a file said lost, its start alone) */
		ino_t ino;
		size_t fp_len;  /* the hash of its first fp_len bytes (0: not known) */
		uint64_t fp_hash;
	} known[FOLLOW_KNOWN];
	int n_known;

	/* After follow_getline() returned 1: where the line came from. */
	int slot;               /* 0..FOLLOW_MAX_SRC-1 */
	int first;              /* 1: the first line of a (new or truncated) file */
	long lineno;            /* its line number in its file */
	long n_long;            /* lines skipped for being over max_line */
	long long n_missed;     /* bytes known not read (files gone), said on stderr */
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

/* The position: one line of text (no newline) into buf, to resume from
 * with follow_resume() after a restart. Call it from the checkpoint
 * callback or after follow_getline() returned 0. Returns its length, or -1
 * when it does not fit in n bytes. */
int follow_position(const follow *f, char *buf, size_t n);
/* Right after follow_open(): resume from a position (NULL: none; then the
 * current file from its start, or with from_end from the end of its last
 * whole line). Files gone since are said, their bytes counted in n_missed.
 * Returns 0, or -1 (message printed) when the text is not a position. */
int follow_resume(follow *f, const char *pos, int from_end);
/* The hash of a file's first bytes in a position (FNV-1a, 64 bits). */
uint64_t follow_hash(const unsigned char *p, size_t n);

#endif
