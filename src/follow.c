/* follow.c - follow a log file by name across rotation (see follow.h): the
 * files open, read line by line through linebuf, and the look at the path.
 * The folder's other files (rotation, copies, truncation) are in
 * follow_files.c, restarts in follow_pos.c. */
#include "follow.h"
#include "follow_private.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_MAX_LINE (1L << 20)

double follow_mono(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

double follow_wall(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void nap(double s)
{
	struct timespec t;

	t.tv_sec = (time_t)s;
	t.tv_nsec = (long)((s - (double)t.tv_sec) * 1e9);
	nanosleep(&t, NULL); /* a signal ends it early: the caller looks at stop */
}

static void src_reset(follow_src *s)
{
	lb_drop(&s->lb);
	s->lb.pos = 0;
	s->lb.lineno = 0;
	s->fresh = 1;
	s->at_eof = 0;
	s->closing = 0;
	s->fp_len = 0;
	s->seen_size = 0;
	s->trunc_pending = 0;
	s->resume_at = 0;
	s->resume_lineno = 0;
	s->resume_skipping = 0;
}

void follow_src_close(follow_src *s)
{
	if (s->fd >= 0)
		close(s->fd);
	lb_free(&s->lb);
	s->fd = -1;
}

/* Read more of s after what it holds. 1 got bytes, 0 nothing now, -1 error. */
static int src_read(follow_src *s, double now)
{
	off_t at = s->lb.pos;
	ssize_t n = lb_read(&s->lb, s->fd, -1);

	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 0 : -1;
	if (n == 0) {
		s->at_eof = 1;
		return 0;
	}
	if (at == (off_t)s->fp_len && s->fp_len < FOLLOW_FP) {
		/* the file's first bytes, as read: to know it (or its copy)
		 * again, even when it is truncated before the next look */
		size_t k = FOLLOW_FP - s->fp_len < (size_t)n ? FOLLOW_FP - s->fp_len : (size_t)n;

		memcpy(s->fp + s->fp_len, s->lb.buf + s->lb.end - (size_t)n, k);
		s->fp_len += k;
	}
	if (s->lb.pos > s->seen_size) /* (grown since its fstat) */
		s->seen_size = s->lb.pos;
	s->last_data = now;
	return 1;
}

/* linebuf found a line over max_line (lb_next's 2): said, and counted. */
static void too_long(follow *f, follow_src *s)
{
	f->n_long++;
	weprintf("%s:%ld: line longer than %zu bytes (not a Zeek record)", f->path, s->lb.lineno,
	         f->max_line);
}

/* What is left of s after its last newline, as its last line, for a file
 * that will grow no more (truncated, or rotated and done): 1, or 0. */
static int last_line(follow *f, follow_src *s, char **line, size_t *len)
{
	int rc = lb_last(&s->lb, line, len);

	if (rc == 2)
		too_long(f, s);
	return rc == 1;
}

/* The file offset of s's next unread byte. */
off_t follow_src_offset(const follow_src *s)
{
	return s->lb.pos - (off_t)(s->lb.end - s->lb.start);
}

/* A resumed file's leading '#' lines have been given (its TSV header, which
 * the caller needs again): on from where it was left. */
static int resume_seek(follow_src *s)
{
	if (lseek(s->fd, s->resume_at, SEEK_SET) < 0)
		return -1;
	lb_drop(&s->lb);
	s->lb.pos = s->resume_at;
	s->lb.lineno = s->resume_lineno;
	s->lb.skipping = s->resume_skipping;
	s->at_eof = 0;
	s->resume_at = 0;
	return 0;
}

/* The next whole line of s, reading as needed: 1, 0 none for now, -1 error. */
static int src_line(follow *f, follow_src *s, char **line, size_t *len, double now)
{
	int rc;

	for (;;) {
		rc = lb_next(&s->lb, line, len);
		if (s->resume_at > 0 && rc != 0 &&
		    (rc == 2 || (*line)[0] != '#' || follow_src_offset(s) > s->resume_at)) {
			/* resumed, past its leading '#' lines (one as long as
			 * that is none): on from where it was left */
			if (resume_seek(s) < 0)
				return -1;
			continue;
		}
		if (rc == 1)
			return 1;
		if (rc == 2) {
			too_long(f, s);
			continue;
		}
		if (s->trunc_pending) {
			/* Truncated: the lines read before it are given, an
			 * unfinished last one too; then the file from its start. */
			if (last_line(f, s, line, len))
				return 1;
			lseek(s->fd, 0, SEEK_SET);
			src_reset(s);
			s->last_data = now;
			continue;
		}
		if (s->resume_at > 0 && (s->lb.end - s->lb.start > f->max_line || s->at_eof)) {
			/* no header to give: a line as long as that is none */
			if (resume_seek(s) < 0)
				return -1;
			continue;
		}
		if (s->at_eof)
			return 0; /* read again after the next poll */
		if (f->stop && *f->stop)
			return 0; /* an endless line (-F /dev/zero) must not hold off SIGTERM */
		/* Truncated and written again since the last read? Then what
		 * lies at pos is the new file's, not the rest of a line. Looked
		 * at before each read(2), not each line (a look per line cost
		 * three system calls per line and open file). */
		if (follow_src_truncated(f, s, now))
			continue;
		if ((rc = src_read(s, now)) <= 0)
			return rc;
	}
}

int follow_free_slot(follow *f)
{
	int i;

	for (i = 0; i < FOLLOW_MAX_SRC; i++)
		if (f->src[i].fd < 0)
			return i;
	return -1;
}

/* The oldest rotated file still open, or -1. */
static int oldest_rotated(const follow *f)
{
	int i, best = -1;

	for (i = 0; i < FOLLOW_MAX_SRC; i++)
		if (f->src[i].fd >= 0 && i != f->cur && (best < 0 || f->src[i].seq < f->src[best].seq))
			best = i;
	return best;
}

/* A file into a free slot, read from its start: the slot, or -1 (then fd
 * is closed). */
int follow_add_src(follow *f, int fd, const struct stat *st, double now)
{
	int slot = follow_free_slot(f);
	follow_src *s;

	if (slot < 0) {
		close(fd);
		return -1;
	}
	s = &f->src[slot];
	s->fd = fd;
	s->dev = st->st_dev;
	s->ino = st->st_ino;
	lb_init(&s->lb, fd, NULL);
	s->lb.max_line = f->max_line;
	src_reset(s);
	s->seq = f->seq++;
	s->last_data = now;
	if (S_ISREG(st->st_mode)) { /* its start and size now: truncated before read? */
		follow_fp_changed(s, st->st_size);
		s->seen_size = st->st_size;
	}
	return slot;
}

/* Look at the path: a new file there, or a file truncated? 1 something
 * changed (read again at once), 0 nothing, -1 (only when opening is 1) it
 * cannot be read. */
static int check_path(follow *f, double now, int opening)
{
	struct stat st;
	follow_src *s = f->cur >= 0 ? &f->src[f->cur] : NULL;
	int fd, slot;

	if (!opening && follow_check_truncated(f, now))
		return 1;
	if (stat(f->path, &st) < 0) {
		if (errno != ENOENT && errno != ENOTDIR && opening)
			return -1;
		if (!s && !f->said_missing) {
			weprintf("%s: not there yet, waiting for it", f->path);
			f->said_missing = 1;
		}
		return 0;
	}
	if (s && st.st_dev == s->dev && st.st_ino == s->ino)
		return 0;
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		goto cannot;
	}
	if ((fd = open(f->path, O_RDONLY)) < 0) {
		if (errno == ENOENT)
			return 0;
		goto cannot;
	}
	if (fstat(fd, &st) < 0 || (s && st.st_dev == s->dev && st.st_ino == s->ino)) {
		close(fd); /* renamed back in between: nothing new */
		return 0;
	}
	if (s)
		s->last_data = now; /* rotated: its grace period starts */
	if ((s && follow_find_rotated(f, now) > 0) || follow_free_slot(f) < 0) {
		/* Rotated faster than the grace period: finish the oldest
		 * rotated file now, then look again (the files in between
		 * are still found: the last look's time is kept). */
		int o = oldest_rotated(f);

		close(fd);
		if (o >= 0)
			f->src[o].closing = 1;
		f->deferred = 1;
		return 1;
	}
	if (!s && f->said_missing)
		weprintf("%s: appeared, following it", f->path);
	slot = follow_add_src(f, fd, &st, now);
	f->cur = slot;
	f->said_missing = f->said_open_error = 0;
	return 1;
cannot:
	if (opening)
		return -1;
	if (!f->said_open_error) {
		weprintf("%s: cannot read it, trying again:", f->path);
		f->said_open_error = 1;
	}
	return 0;
}

int follow_open(follow *f, const char *path, double grace, double poll,
                size_t max_line, volatile sig_atomic_t *stop)
{
	int i;

	memset(f, 0, sizeof *f);
	f->path = path;
	f->grace = grace > 0 ? grace : FOLLOW_GRACE;
	f->poll = poll > 0 ? poll : FOLLOW_POLL;
	f->max_line = max_line ? max_line : (size_t)DEFAULT_MAX_LINE;
	f->stop = stop;
	f->cur = -1;
	for (i = 0; i < FOLLOW_MAX_SRC; i++)
		f->src[i].fd = -1;
	f->last_look = follow_wall();
	return check_path(f, follow_mono(), 1) < 0 ? -1 : 0;
}

void follow_close(follow *f)
{
	int i;

	for (i = 0; i < FOLLOW_MAX_SRC; i++)
		if (f->src[i].fd >= 0)
			follow_src_close(&f->src[i]);
	f->cur = -1;
}

/* Resumed with more files rotated while stopped than free slots: the rest
 * when slots free up (the oldest rotated file is finished early for it),
 * the last look's time kept until then (f->deferred) so they are found. */
static void more_rotated(follow *f, double now)
{
	int o;

	if (follow_free_slot(f) >= 0 && follow_find_rotated(f, now) == 0) {
		f->rotated_pending = 0;
	} else {
		if ((o = oldest_rotated(f)) >= 0)
			f->src[o].closing = 1;
		f->deferred = 1;
	}
	if (f->cur >= 0)
		f->src[f->cur].seq = f->seq++; /* still the newest */
}

/* Slots in use, oldest file first (the current one is the newest). */
int follow_by_age(const follow *f, int order[FOLLOW_MAX_SRC])
{
	int i, j, n = 0;

	for (i = 0; i < FOLLOW_MAX_SRC; i++) {
		if (f->src[i].fd < 0)
			continue;
		for (j = n; j > 0 && f->src[order[j - 1]].seq > f->src[i].seq; j--)
			order[j] = order[j - 1];
		order[j] = i;
		n++;
	}
	return n;
}

static int give(follow *f, int slot, char **line, size_t *len, char *p, size_t l)
{
	follow_src *s = &f->src[slot];

	*line = p;
	*len = l;
	f->slot = slot;
	f->first = s->fresh;
	f->lineno = s->lb.lineno;
	s->fresh = 0;
	return 1;
}

/* One piece, though long: the follower's loop (look at the path every
 * poll interval, take a line from the files in their order, wait), whose
 * steps share the state of one call (what was looked at, which slots are
 * at their end); each step's work is in the functions it calls. */
int follow_getline(follow *f, char **line, size_t *len)
{
	double now;
	int order[FOLLOW_MAX_SRC];
	int i, n, rc, looked = 0; /* looked at the path during this call */

	for (;;) {
		if (f->stop && *f->stop)
			return 0;
		now = follow_mono();
		if (now >= f->next_look) {
			/* Every poll interval, even while lines flow: a new file at
			 * the path? more in the files already read to their end? */
			double t0 = follow_wall();

			if (f->checkpoint)
				f->checkpoint(f->checkpoint_arg, 0);
			f->deferred = 0;
			check_path(f, now, 0);
			if (f->rotated_pending)
				more_rotated(f, now);
			if (!f->deferred)
				f->last_look = t0;
			for (i = 0; i < FOLLOW_MAX_SRC; i++)
				f->src[i].at_eof = 0;
			f->next_look = now + f->poll;
			looked = 1;
		}

		n = follow_by_age(f, order);
		for (i = 0; i < n; i++) {
			char *p;
			size_t l;

			rc = src_line(f, &f->src[order[i]], &p, &l, now);
			if (rc > 0)
				return give(f, order[i], line, len, p, l);
			if (rc < 0) {
				weprintf("%s: read error:", f->path);
				return -1;
			}
			/* A rotated file made to close (rotations faster than the
			 * grace period) is closed at its end at once, even while
			 * the newer files still flow: its slot is needed. */
			if (order[i] != f->cur && f->src[order[i]].closing) {
				follow_src *s = &f->src[order[i]];

				if (last_line(f, s, &p, &l))
					return give(f, order[i], line, len, p, l);
				follow_remember_src(f, s);
				follow_src_close(s);
			}
		}

		/* Every file is at its end. A rotated file idle for the grace
		 * period (or made to close) is read a last time, gives its
		 * unfinished last line if any, and is closed. */
		for (i = 0; i < n; i++) {
			follow_src *s = &f->src[order[i]];
			char *p;
			size_t l;

			if (order[i] == f->cur || !(s->closing || now >= s->last_data + f->grace))
				continue;
			s->at_eof = 0;
			rc = src_line(f, s, &p, &l, now);
			if (rc > 0)
				return give(f, order[i], line, len, p, l);
			if (rc == 0 && last_line(f, s, &p, &l))
				return give(f, order[i], line, len, p, l);
			follow_remember_src(f, s);
			follow_src_close(s);
		}

		if (!looked) {
			/* Every file at its end: a look before sleeping (looks
			 * come every poll interval while lines flow) */
			f->next_look = 0;
			continue;
		}
		if (f->checkpoint)
			f->checkpoint(f->checkpoint_arg, 1);
		if (f->idle)
			f->idle(f->idle_arg);
		nap(f->poll);
		f->next_look = 0;
	}
}
