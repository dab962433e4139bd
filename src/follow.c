/* follow.c - follow a log file by name across rotation (see follow.h). */
#include "follow.h"
#include "util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#define CHUNK (64 << 10)          /* first buffer, and the least read(2) asks for */
#define DEFAULT_MAX_LINE (1L << 20)

/* One open file of a position. */
typedef struct {
	uintmax_t dev, ino;
	long long off;          /* its next unread whole line */
	long lineno;            /* the line before it */
	int skipping;           /* off is inside an over-long line */
	long long size;         /* its size at the last look */
	size_t fp_len;          /* its first fp_len bytes hash to fp_hash */
	uint64_t fp_hash;
} follow_mark;

static double mono(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static double wall(void)
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
	s->start = s->end = 0;
	s->pos = 0;
	s->lineno = 0;
	s->skipping = 0;
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

static void src_close(follow_src *s)
{
	if (s->fd >= 0)
		close(s->fd);
	free(s->buf);
	s->buf = NULL;
	s->fd = -1;
}

/* Read more of s after buf[end]. 1 got bytes, 0 nothing now, -1 error. */
static int src_read(follow_src *s, double now)
{
	ssize_t n;

	if (s->start > 0) {
		memmove(s->buf, s->buf + s->start, s->end - s->start);
		s->end -= s->start;
		s->start = 0;
	}
	if (s->cap - s->end < CHUNK / 4) {
		s->cap *= 2;
		s->buf = erealloc(s->buf, s->cap + 1);
	}
	n = read(s->fd, s->buf + s->end, s->cap - s->end);
	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 0 : -1;
	if (n == 0) {
		s->at_eof = 1;
		return 0;
	}
	if (s->pos == (off_t)s->fp_len && s->fp_len < FOLLOW_FP) {
		/* the file's first bytes, as read: to know it (or its copy)
		 * again, even when it is truncated before the next look */
		size_t k = FOLLOW_FP - s->fp_len < (size_t)n ? FOLLOW_FP - s->fp_len : (size_t)n;

		memcpy(s->fp + s->fp_len, s->buf + s->end, k);
		s->fp_len += k;
	}
	s->end += (size_t)n;
	s->pos += n;
	s->last_data = now;
	return 1;
}

static void too_long(follow *f, follow_src *s)
{
	s->lineno++;
	f->n_long++;
	weprintf("%s:%ld: line longer than %zu bytes (not a Zeek record)",
	         f->path, s->lineno, f->max_line);
}

/* What is left of s after its last newline, if anything and not the
 * rest of an over-long line, as its last line (a CR before the end
 * dropped): 1, or 0 when there is none. For a file that will grow no
 * more (truncated, or rotated and done). */
static int rest_line(follow_src *s, char **line, size_t *len)
{
	char *p = s->buf + s->start;
	size_t l = s->end - s->start;

	if (l == 0 || s->skipping)
		return 0;
	s->start = s->end;
	if (p[l - 1] == '\r')
		l--;
	p[l] = '\0';
	s->lineno++;
	*line = p;
	*len = l;
	return 1;
}

/* The file offset of s's next unread byte. */
static off_t src_offset(const follow_src *s)
{
	return s->pos - (off_t)(s->end - s->start);
}

/* A resumed file's leading '#' lines have been given (its TSV header, which
 * the caller needs again): on from where it was left. */
static int resume_seek(follow_src *s)
{
	if (lseek(s->fd, s->resume_at, SEEK_SET) < 0)
		return -1;
	s->start = s->end = 0;
	s->pos = s->resume_at;
	s->lineno = s->resume_lineno;
	s->skipping = s->resume_skipping;
	s->at_eof = 0;
	s->resume_at = 0;
	return 0;
}

static int src_truncated(follow *f, follow_src *s, double now);

/* The next whole line of s, reading as needed: 1, 0 none for now, -1 error. */
static int src_line(follow *f, follow_src *s, char **line, size_t *len, double now)
{
	size_t scanned = 0;
	int rc;

	for (;;) {
		char *p = s->buf + s->start;
		size_t n = s->end - s->start;
		char *nl = memchr(p + scanned, '\n', n - scanned);

		if (nl) {
			size_t l = (size_t)(nl - p);

			s->start += l + 1;
			if (s->resume_at > 0 && (p[0] != '#' || src_offset(s) > s->resume_at)) {
				if (resume_seek(s) < 0)
					return -1;
				scanned = 0;
				continue;
			}
			if (s->skipping || l - (l > 0 && p[l - 1] == '\r') > f->max_line) {
				if (!s->skipping)
					too_long(f, s);
				s->skipping = 0;
				scanned = 0;
				continue;
			}
			if (l > 0 && p[l - 1] == '\r')
				l--;
			p[l] = '\0';
			s->lineno++;
			*line = p;
			*len = l;
			return 1;
		}
		if (s->trunc_pending) {
			/* Truncated: the lines read before it are given, an
			 * unfinished last one too; then the file from its start. */
			if (rest_line(s, line, len))
				return 1;
			lseek(s->fd, 0, SEEK_SET);
			src_reset(s);
			s->last_data = now;
			scanned = 0;
			continue;
		}
		scanned = n;
		if (s->resume_at > 0 && (n > f->max_line || s->at_eof)) {
			if (resume_seek(s) < 0) /* no header to give: a line as long as that is none */
				return -1;
			scanned = 0;
			continue;
		}
		if (s->skipping) {
			s->start = s->end; /* the rest of an over-long line */
			scanned = 0;
		} else if (n > f->max_line + 1) { /* (+1: a CR before the newline to come) */
			too_long(f, s);
			s->skipping = 1;
			s->start = s->end;
			scanned = 0;
		}
		if (s->at_eof)
			return 0; /* read again after the next poll */
		if (f->stop && *f->stop)
			return 0; /* an endless line (-F /dev/zero) must not hold off SIGTERM */
		/* Truncated and written again since the last read? Then what
		 * lies at pos is the new file's, not the rest of a line. Looked
		 * at before each read(2), not each line (a look per line cost
		 * three system calls per line and open file). */
		if (src_truncated(f, s, now)) {
			scanned = 0;
			continue;
		}
		if ((rc = src_read(s, now)) <= 0)
			return rc;
	}
}

static int free_slot(follow *f)
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

/* A file read, never to be read again (is_known), and the hash of its
 * first fp_len bytes (to know it compressed). */
static void remember(follow *f, dev_t dev, ino_t ino, size_t fp_len, uint64_t fp_hash)
{
	int i = f->n_known++ % FOLLOW_KNOWN;

	f->known[i].dev = dev;
	f->known[i].ino = ino;
	f->known[i].fp_len = fp_len;
	f->known[i].fp_hash = fp_hash;
}

static void remember_src(follow *f, const follow_src *s)
{
	remember(f, s->dev, s->ino, s->fp_len, follow_hash(s->fp, s->fp_len));
}

static int is_open(const follow *f, dev_t dev, ino_t ino)
{
	int i;

	for (i = 0; i < FOLLOW_MAX_SRC; i++)
		if (f->src[i].fd >= 0 && f->src[i].dev == dev && f->src[i].ino == ino)
			return 1;
	return 0;
}

/* Is this file open, or read and closed already? */
static int is_known(const follow *f, dev_t dev, ino_t ino)
{
	int i, n = f->n_known < FOLLOW_KNOWN ? f->n_known : FOLLOW_KNOWN;

	if (is_open(f, dev, ino))
		return 1;
	for (i = 0; i < n; i++)
		if (f->known[i].dev == dev && f->known[i].ino == ino)
			return 1;
	return 0;
}

/* Has the start of s changed (truncated, then written again past where it
 * was read, within one look)? Keeps up to FOLLOW_FP bytes of it, read or
 * not yet (a file opened behind others may be truncated before it is
 * read: its copy is then known by them). size: the file's now. */
static int fp_changed(follow_src *s, off_t size)
{
	unsigned char b[FOLLOW_FP];
	size_t want = size < FOLLOW_FP ? (size_t)size : FOLLOW_FP;
	ssize_t n;

	if (want == 0 && s->fp_len == 0)
		return 0;
	if (want < s->fp_len)
		return 1; /* shorter than its start was */
	n = pread(s->fd, b, want, 0);
	if (n < 0)
		return 0; /* cannot tell: the size check still holds */
	if ((size_t)n < s->fp_len || memcmp(b, s->fp, s->fp_len) != 0)
		return 1;
	memcpy(s->fp, b, (size_t)n);
	s->fp_len = (size_t)n;
	return 0;
}

/* The folder and the name of the path; the name's stem is what precedes
 * its first '.' (conn of conn.log). */
static void split_path(const char *path, char *dir, size_t n, const char **base, size_t *stem)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(dir, n, ".");
	else if (slash == path)
		snprintf(dir, n, "/");
	else
		snprintf(dir, n, "%.*s", (int)(slash - path), path);
	*base = slash ? slash + 1 : path;
	*stem = strcspn(*base, ".");
}

static int compressed(const char *name)
{
	static const char *const ext[] = { ".gz", ".bz2", ".xz", ".zst", ".lz4", ".zip", ".Z" };
	size_t n = strlen(name), i;

	for (i = 0; i < sizeof ext / sizeof *ext; i++) {
		size_t k = strlen(ext[i]);

		if (n > k && strcmp(name + n - k, ext[i]) == 0)
			return 1;
	}
	return 0;
}

static int is_gz(const char *name)
{
	size_t n = strlen(name);

	return n > 3 && strcmp(name + n - 3, ".gz") == 0;
}

static double ctime_of(const struct stat *st)
{
	return (double)st->st_ctim.tv_sec + (double)st->st_ctim.tv_nsec * 1e-9;
}

typedef struct {
	char name[1024];
	struct stat st;
} sibling;

/* Files beside the path that may be its rotated or copied self: regular,
 * uncompressed, named as it is up to and with its first '.' (conn. for
 * conn.log: Zeek's conn.2024-05-01-10-00-00.log, logrotate's conn.log.1;
 * not conn-summary.log, rotated at the same time), not the path itself,
 * neither open nor read before, renamed or made since the wall-clock time
 * since (ctime: older ones, which may be many, do not crowd them out). At
 * most max. With gz, the gzip-compressed ones instead. */
static int siblings(const follow *f, sibling *out, int max, double since, int gz)
{
	char dir[4096], full[4096 + 260];
	const char *base;
	size_t stem;
	struct dirent *d;
	DIR *dp;
	int n = 0;

	split_path(f->path, dir, sizeof dir, &base, &stem);
	if (!(dp = opendir(dir)))
		return 0;
	while (n < max && (d = readdir(dp)) != NULL) {
		const char *nm = d->d_name;

		if (strcmp(nm, base) == 0 || strncmp(nm, base, stem) != 0 || nm[stem] != '.' ||
		    (gz ? !is_gz(nm) : compressed(nm)))
			continue;
		snprintf(full, sizeof full, "%s/%s", dir, nm);
		if (strlen(full) >= sizeof out[n].name || stat(full, &out[n].st) != 0 ||
		    !S_ISREG(out[n].st.st_mode) || is_known(f, out[n].st.st_dev, out[n].st.st_ino) ||
		    ctime_of(&out[n].st) < since)
			continue;
		memcpy(out[n].name, full, strlen(full) + 1);
		n++;
	}
	closedir(dp);
	return n;
}

static double mtime_of(const struct stat *st)
{
	return (double)st->st_mtim.tv_sec + (double)st->st_mtim.tv_nsec * 1e-9;
}

static int free_slot(follow *f);

/* A file into a free slot, read from its start: the slot, or -1 (then fd
 * is closed). */
static int add_src(follow *f, int fd, const struct stat *st, double now)
{
	int slot = free_slot(f);
	follow_src *s;

	if (slot < 0) {
		close(fd);
		return -1;
	}
	s = &f->src[slot];
	s->fd = fd;
	s->dev = st->st_dev;
	s->ino = st->st_ino;
	s->cap = CHUNK;
	s->buf = emalloc(s->cap + 1);
	src_reset(s);
	s->seq = f->seq++;
	s->last_data = now;
	if (S_ISREG(st->st_mode)) { /* its start and size now: truncated before read? */
		fp_changed(s, st->st_size);
		s->seen_size = st->st_size;
	}
	return slot;
}

/* Is the file open on fd (not open here) a copy of an open file, made by a
 * copytruncate that has not truncated it yet (or not yet seen to)? Its
 * bytes so far are the open file's first bytes. An empty file may be one
 * being made. Read from its start it would give every line twice. */
static int copy_of_open(const follow *f, int fd, const struct stat *st)
{
	unsigned char b[FOLLOW_FP];
	ssize_t n;
	int i;

	if (st->st_size == 0)
		return 1;
	if ((n = pread(fd, b, sizeof b, 0)) <= 0)
		return 0;
	for (i = 0; i < FOLLOW_MAX_SRC; i++) {
		const follow_src *s = &f->src[i];
		size_t k = (size_t)n < s->fp_len ? (size_t)n : s->fp_len;

		if (s->fd >= 0 && k > 0 && memcmp(b, s->fp, k) == 0)
			return 1;
	}
	return 0;
}

/* Does a file of these first n bytes (all of it when whole) start as a file
 * open, read, or said lost does? */
static int start_known(const follow *f, const unsigned char *b, size_t n, int whole)
{
	int i, nk = f->n_known < FOLLOW_KNOWN ? f->n_known : FOLLOW_KNOWN;

	for (i = 0; i < FOLLOW_MAX_SRC; i++) {
		const follow_src *s = &f->src[i];
		size_t k = n < s->fp_len ? n : s->fp_len;

		if (s->fd >= 0 && (s->fp_len == 0 || memcmp(b, s->fp, k) == 0))
			return 1;
	}
	for (i = 0; i < nk; i++) {
		size_t k = f->known[i].fp_len;

		if (k == 0 || (n < k && !whole) || (n >= k && follow_hash(b, k) == f->known[i].fp_hash))
			return 1; /* (its start not known, or not enough of it here to tell) */
	}
	return 0;
}

/* gzip files beside the path made since the last look, not of a file read
 * (rotated twice between two looks, and compressed before the second):
 * they cannot be read; said lost, with the size gzip records (modulo 4
 * GiB). One still being written (the file it compresses still there) is
 * left for now. */
static void gz_lost(follow *f)
{
	sibling c[FOLLOW_MAX_SRC];
	int n = siblings(f, c, FOLLOW_MAX_SRC, f->last_look - 1.0, 1), i;

	for (i = 0; i < n; i++) {
		unsigned char b[FOLLOW_FP], t[4];
		struct stat st;
		gzFile gz;
		int fd, k, whole, errnum;
		uint32_t size;

		c[i].name[strlen(c[i].name) - 3] = '\0';
		if (stat(c[i].name, &st) == 0) /* gzip not done with it */
			continue;
		c[i].name[strlen(c[i].name)] = '.';
		if ((fd = open(c[i].name, O_RDONLY)) < 0)
			continue;
		if (pread(fd, t, 4, c[i].st.st_size - 4) != 4 || !(gz = gzdopen(dup(fd), "rb"))) {
			close(fd);
			continue;
		}
		k = gzread(gz, b, sizeof b);
		gzerror(gz, &errnum);
		whole = k >= 0 && k < (int)sizeof b && gzeof(gz) && errnum == Z_OK;
		gzclose(gz);
		close(fd);
		if (k <= 0 || start_known(f, b, (size_t)k, whole))
			continue;
		size = (uint32_t)t[0] | (uint32_t)t[1] << 8 | (uint32_t)t[2] << 16 | (uint32_t)t[3] << 24;
		remember(f, c[i].st.st_dev, c[i].st.st_ino, (size_t)k < FOLLOW_FP ? (size_t)k : FOLLOW_FP,
		         follow_hash(b, (size_t)k));
		f->n_missed += size;
		weprintf("%s: %s; %s, rotated in between, was compressed before it could be read: "
		         "its %lu bytes are lost", f->path, f->resuming ? "rotated while stopped" :
		         "rotated twice between two looks", c[i].name, (unsigned long)size);
	}
}

/* The path names another file: were there files in between, rotated
 * before we looked (two rotations between two looks)? Each renamed since
 * the last look is read too, from its start, oldest first; not a copy of
 * an open file (copy_of_open). */
static int find_rotated(follow *f, double now)
{
	sibling c[FOLLOW_MAX_SRC];
	/* only those renamed since the last look (1 s of slack) */
	int n = siblings(f, c, FOLLOW_MAX_SRC, f->last_look - 1.0, 0), i, j, fd;

	for (i = 1; i < n; i++) /* oldest first */
		for (j = i; j > 0 && mtime_of(&c[j].st) < mtime_of(&c[j - 1].st); j--) {
			sibling t = c[j];
			c[j] = c[j - 1];
			c[j - 1] = t;
		}
	for (i = 0; i < n; i++) {
		struct stat st;

		if (free_slot(f) < 0)
			return n - i; /* deferred: found again at the next look */
		if ((fd = open(c[i].name, O_RDONLY)) >= 0 && fstat(fd, &st) == 0 &&
		    st.st_ino == c[i].st.st_ino && copy_of_open(f, fd, &st)) {
			close(fd); /* not remembered: truncated() reads it from where its file was read */
			continue;
		}
		if (fd < 0 || fstat(fd, &st) != 0 || st.st_ino != c[i].st.st_ino) {
			if (fd >= 0)
				close(fd);
			f->n_missed += c[i].st.st_size;
			weprintf("%s: %s; %s, rotated in between, is gone: its %lld bytes are lost",
			         f->path, f->resuming ? "rotated while stopped" :
			         "rotated twice between two looks", c[i].name, (long long)c[i].st.st_size);
			continue;
		}
		weprintf("%s: %s; reading %s, rotated in between, too", f->path,
		         f->resuming ? "rotated while stopped" : "rotated twice between two looks",
		         c[i].name);
		add_src(f, fd, &st, now);
	}
	gz_lost(f);
	return 0;
}

/* s, the current file, was truncated (copytruncate): its lines already read
 * are given first (trunc_pending), then it is read from its start. The end
 * written before the truncation and not read yet is in logrotate's copy
 * beside it, the file that starts as s did: read from there. */
static int find_mark(const follow *f, const follow_mark *m, int by_start, struct stat *st,
                     char *name, size_t name_n);
static void resume_at_slot(follow *f, int fd, const struct stat *st, const follow_mark *m);

/* s, resumed and not yet read up to its position, was truncated: the rest
 * is in its copy (made while stopped, or since), read in a slot of its own
 * as a resumed file (its leading '#' lines, then on from the position),
 * before s's new content. 1, or 0 when there is no copy (or no slot). */
static int resumed_truncated(follow *f, follow_src *s)
{
	follow_mark m = { (uintmax_t)s->dev, (uintmax_t)s->ino, (long long)s->resume_at,
		          s->resume_lineno, s->resume_skipping, (long long)s->seen_size,
		          s->fp_len, follow_hash(s->fp, s->fp_len) };
	struct stat st;
	char name[260];
	int fd, slot;

	if (s->fp_len == 0 || (fd = find_mark(f, &m, 1, &st, name, sizeof name)) < 0)
		return 0;
	resume_at_slot(f, fd, &st, &m);
	for (slot = 0; slot < FOLLOW_MAX_SRC; slot++)
		if (f->src[slot].fd >= 0 && f->src[slot].ino == st.st_ino && f->src[slot].dev == st.st_dev)
			break;
	if (slot == FOLLOW_MAX_SRC)
		return 0; /* no slot: said lost by resume_at_slot */
	weprintf("%s: the rest of a file read part-way when stopped is read from its copy %s",
	         f->path, name);
	f->src[slot].seq = s->seq; /* read before s's new content */
	f->src[slot].closing = 1;  /* a copy grows no more */
	s->seq = f->seq++;
	return 1;
}

static void truncated(follow *f, follow_src *s)
{
	sibling c[FOLLOW_MAX_SRC];
	unsigned char b[FOLLOW_FP];
	/* (the copy was made since the last look, which saw it untruncated) */
	int n = s->fp_len ? siblings(f, c, FOLLOW_MAX_SRC, f->last_look - 1.0, 0) : 0, i, fd;

	weprintf("%s: file truncated, reading it from its start", f->path);
	s->trunc_pending = 1;
	if (s->resume_at > 0) {
		/* what is buffered lies before the position: given already */
		off_t at = s->resume_at;

		int found = resumed_truncated(f, s);

		s->start = s->end;
		s->skipping = 0;
		s->resume_at = 0;
		if (!found && s->seen_size > at) {
			f->n_missed += s->seen_size - at;
			weprintf("%s: %lld bytes written before the truncation were not read, and no "
			         "copy of the file was found beside it: lost", f->path,
			         (long long)(s->seen_size - at));
		}
		return;
	}
	for (i = 0; i < n; i++) {
		off_t off = s->pos;
		ssize_t k;

		if ((fd = open(c[i].name, O_RDONLY)) < 0)
			continue;
		if (pread(fd, b, s->fp_len, 0) != (ssize_t)s->fp_len || memcmp(b, s->fp, s->fp_len) != 0) {
			close(fd);
			continue;
		}
		remember(f, c[i].st.st_dev, c[i].st.st_ino, s->fp_len, follow_hash(s->fp, s->fp_len));
		/* its end, after what was read, into s's buffer: the lines
		 * there continue those buffered (and their TSV header) */
		for (;;) {
			if (s->start > 0) {
				memmove(s->buf, s->buf + s->start, s->end - s->start);
				s->end -= s->start;
				s->start = 0;
			}
			if (s->cap - s->end < CHUNK / 4) {
				s->cap *= 2;
				s->buf = erealloc(s->buf, s->cap + 1);
			}
			k = pread(fd, s->buf + s->end, s->cap - s->end, off);
			if (k <= 0)
				break;
			s->end += (size_t)k;
			off += k;
		}
		close(fd);
		if (off > s->pos)
			weprintf("%s: its %lld bytes not read before the truncation read from its copy %s",
			         f->path, (long long)(off - s->pos), c[i].name);
		s->pos = off; /* buf[end] is there in the content before the truncation */
		return;
	}
	if (s->seen_size > s->pos) {
		f->n_missed += s->seen_size - s->pos;
		weprintf("%s: %lld bytes written before the truncation were not read, and no copy "
		         "of the file was found beside it: lost", f->path,
		         (long long)(s->seen_size - s->pos));
	}
}

/* Is s truncated (copytruncate, perhaps just before a rename)? If so, its
 * lines already read are given first, then it is read from its start
 * (truncated()): 1. */
static int src_truncated(follow *f, follow_src *s, double now)
{
	struct stat fs;

	if (s->trunc_pending || fstat(s->fd, &fs) != 0 || !S_ISREG(fs.st_mode))
		return 0;
	if (fs.st_size < s->pos || fs.st_size < s->seen_size || fp_changed(s, fs.st_size)) {
		truncated(f, s);
		s->last_data = now;
		return 1;
	}
	s->seen_size = fs.st_size;
	return 0;
}

/* Every open file, the current one and the rotated ones: truncated since
 * the last look (copytruncate, perhaps just before a rename)? */
static int check_truncated(follow *f, double now)
{
	int i, any = 0;

	for (i = 0; i < FOLLOW_MAX_SRC; i++)
		if (f->src[i].fd >= 0)
			any |= src_truncated(f, &f->src[i], now);
	return any;
}

/* Look at the path: a new file there, or a file truncated? 1 something
 * changed (read again at once), 0 nothing, -1 (only when opening is 1) it
 * cannot be read. */
static int check_path(follow *f, double now, int opening)
{
	struct stat st;
	follow_src *s = f->cur >= 0 ? &f->src[f->cur] : NULL;
	int fd, slot;

	if (!opening && check_truncated(f, now))
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
	if ((s && find_rotated(f, now) > 0) || free_slot(f) < 0) {
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
	slot = add_src(f, fd, &st, now);
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
	f->last_look = wall();
	return check_path(f, mono(), 1) < 0 ? -1 : 0;
}

void follow_close(follow *f)
{
	int i;

	for (i = 0; i < FOLLOW_MAX_SRC; i++)
		if (f->src[i].fd >= 0)
			src_close(&f->src[i]);
	f->cur = -1;
}

/* Resumed with more files rotated while stopped than free slots: the rest
 * when slots free up (the oldest rotated file is finished early for it),
 * the last look's time kept until then (f->deferred) so they are found. */
static void more_rotated(follow *f, double now)
{
	int o;

	if (free_slot(f) >= 0 && find_rotated(f, now) == 0) {
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
static int by_age(const follow *f, int order[FOLLOW_MAX_SRC])
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
	f->lineno = s->lineno;
	s->fresh = 0;
	return 1;
}

int follow_getline(follow *f, char **line, size_t *len)
{
	double now;
	int order[FOLLOW_MAX_SRC];
	int i, n, rc, looked = 0; /* looked at the path during this call */

	for (;;) {
		if (f->stop && *f->stop)
			return 0;
		now = mono();
		if (now >= f->next_look) {
			/* Every poll interval, even while lines flow: a new file at
			 * the path? more in the files already read to their end? */
			double t0 = wall();

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

		n = by_age(f, order);
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

				if (rest_line(s, &p, &l))
					return give(f, order[i], line, len, p, l);
				remember_src(f, s);
				src_close(s);
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
			if (rc == 0 && rest_line(s, &p, &l))
				return give(f, order[i], line, len, p, l);
			remember_src(f, s);
			src_close(s);
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

/* Restarts: the position (follow.h) and resuming from it. */

uint64_t follow_hash(const unsigned char *p, size_t n)
{
	uint64_t h = 14695981039346656037ULL;

	while (n--) {
		h ^= *p++;
		h *= 1099511628211ULL;
	}
	return h;
}

int follow_position(const follow *f, char *buf, size_t n)
{
	int order[FOLLOW_MAX_SRC], k = by_age(f, order), i, nk, len;

	len = snprintf(buf, n, "azw-position 2 files %d", k);
	for (i = 0; i < k && len >= 0 && (size_t)len < n; i++) {
		const follow_src *s = &f->src[order[i]];
		int resuming = s->resume_at > 0;
		/* A truncated file whose lines from before the truncation are
		 * still being given (trunc_pending) is named as it was: its
		 * inode and first bytes then, the offset in that content. A
		 * restart finds that content in the copy (by its first bytes)
		 * and the file's new content at the path, from its start. */
		off_t size = s->seen_size > src_offset(s) ? s->seen_size : src_offset(s);

		len += snprintf(buf + len, n - (size_t)len, " %ju %ju %lld %ld %d %lld %zu %016llx",
		                (uintmax_t)s->dev, (uintmax_t)s->ino,
		                (long long)(resuming ? s->resume_at : src_offset(s)),
		                resuming ? s->resume_lineno : s->lineno,
		                resuming ? s->resume_skipping : s->skipping,
		                (long long)size, s->fp_len,
		                (unsigned long long)follow_hash(s->fp, s->fp_len));
	}
	/* the files read and closed, oldest first: not to be read again */
	nk = f->n_known < FOLLOW_KNOWN ? f->n_known : FOLLOW_KNOWN;
	if ((size_t)len < n)
		len += snprintf(buf + len, n - (size_t)len, " known %d", nk);
	for (i = 0; i < nk && (size_t)len < n; i++) {
		int j = (f->n_known - nk + i) % FOLLOW_KNOWN;

		len += snprintf(buf + len, n - (size_t)len, " %ju %ju %zu %016llx",
		                (uintmax_t)f->known[j].dev, (uintmax_t)f->known[j].ino,
		                f->known[j].fp_len, (unsigned long long)f->known[j].fp_hash);
	}
	if ((size_t)len < n)
		len += snprintf(buf + len, n - (size_t)len, " look %.6f", f->last_look);
	return (size_t)len < n ? len : -1;
}

/* The next number of a position's text, at *p: 0 ok, -1 none there. */
static int pos_num(const char **p, uintmax_t *v, int base)
{
	char *end;

	while (**p == ' ')
		(*p)++;
	if (!(**p >= '0' && **p <= '9') && !(base == 16 && isxdigit((unsigned char)**p)))
		return -1;
	errno = 0;
	*v = strtoumax(*p, &end, base);
	if (errno || (*end != ' ' && *end != '\0'))
		return -1;
	*p = end;
	return 0;
}

static int pos_word(const char **p, const char *w)
{
	size_t n = strlen(w);

	while (**p == ' ')
		(*p)++;
	if (strncmp(*p, w, n) != 0 || ((*p)[n] != ' ' && (*p)[n] != '\0'))
		return -1;
	*p += n;
	return 0;
}

/* Parse a position: its files into m (at most FOLLOW_MAX_SRC), the files
 * read into f's known list, its look time into *look. The count of
 * files, or -1. */
static int pos_parse(follow *f, const char *p, follow_mark *m, double *look)
{
	uintmax_t v[8], version, nf, nk, d, ino, fp_len = 0, fp_hash = 0;
	char *end;
	int i, j;

	if (pos_word(&p, "azw-position") < 0 || pos_num(&p, &version, 10) < 0 ||
	    (version != 1 && version != 2) || pos_word(&p, "files") < 0 ||
	    pos_num(&p, &nf, 10) < 0 || nf > FOLLOW_MAX_SRC)
		return -1;
	for (i = 0; i < (int)nf; i++) {
		for (j = 0; j < 8; j++)
			if (pos_num(&p, &v[j], j == 7 ? 16 : 10) < 0)
				return -1;
		if (v[2] > (uintmax_t)LLONG_MAX || v[5] > (uintmax_t)LLONG_MAX || v[3] > LONG_MAX ||
		    v[4] > 1 || v[6] > FOLLOW_FP || v[2] > v[5])
			return -1;
		m[i].dev = v[0];
		m[i].ino = v[1];
		m[i].off = (long long)v[2];
		m[i].lineno = (long)v[3];
		m[i].skipping = (int)v[4];
		m[i].size = (long long)v[5];
		m[i].fp_len = (size_t)v[6];
		m[i].fp_hash = (uint64_t)v[7];
	}
	if (pos_word(&p, "known") < 0 || pos_num(&p, &nk, 10) < 0 || nk > FOLLOW_KNOWN)
		return -1;
	for (i = 0; i < (int)nk; i++) {
		if (pos_num(&p, &d, 10) < 0 || pos_num(&p, &ino, 10) < 0)
			return -1;
		/* (version 1 knew no file's start) */
		if (version > 1 && (pos_num(&p, &fp_len, 10) < 0 || fp_len > FOLLOW_FP ||
		                    pos_num(&p, &fp_hash, 16) < 0))
			return -1;
		remember(f, (dev_t)d, (ino_t)ino, (size_t)fp_len, (uint64_t)fp_hash);
	}
	if (pos_word(&p, "look") < 0)
		return -1;
	while (*p == ' ')
		p++;
	errno = 0;
	*look = strtod(p, &end);
	if (end == p || *end != '\0' || errno || !(*look >= 0))
		return -1;
	return (int)nf;
}

/* Is the file open on fd the file of m: its first bytes as they were, and
 * at least as long as where it was read to? */
static int same_start(int fd, const follow_mark *m)
{
	unsigned char b[FOLLOW_FP];
	struct stat st;

	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < m->off)
		return 0;
	if (pread(fd, b, m->fp_len, 0) != (ssize_t)m->fp_len)
		return 0;
	return follow_hash(b, m->fp_len) == m->fp_hash;
}

/* The file of m beside the path, not open yet: by its inode (renamed by a
 * rotation), or when by_start by its first bytes alone (logrotate's copy
 * of a copytruncated file). An open descriptor, or -1; *st its stat. */
static int find_mark(const follow *f, const follow_mark *m, int by_start, struct stat *st,
                     char *name, size_t name_n)
{
	char dir[4096], full[4096 + 260];
	const char *base;
	size_t stem;
	struct dirent *d;
	DIR *dp;
	int fd = -1;

	split_path(f->path, dir, sizeof dir, &base, &stem);
	if (!(dp = opendir(dir)))
		return -1;
	while (fd < 0 && (d = readdir(dp)) != NULL) {
		const char *nm = d->d_name;

		if (strcmp(nm, base) == 0 || strncmp(nm, base, stem) != 0 || nm[stem] != '.' ||
		    compressed(nm))
			continue;
		snprintf(full, sizeof full, "%s/%s", dir, nm);
		/* (read and closed is no bar: a copy read from, part-way) */
		if (stat(full, st) != 0 || !S_ISREG(st->st_mode) || is_open(f, st->st_dev, st->st_ino))
			continue;
		if (by_start ? m->fp_len == 0 : (st->st_dev != (dev_t)m->dev || st->st_ino != (ino_t)m->ino))
			continue;
		if ((fd = open(full, O_RDONLY)) < 0)
			continue;
		if (fstat(fd, st) != 0 || !same_start(fd, m)) {
			close(fd);
			fd = -1;
		} else {
			snprintf(name, name_n, "%s", nm);
		}
	}
	closedir(dp);
	return fd;
}

/* s resumes at m: its leading '#' lines first, then from m's offset. */
static void resume_src(follow_src *s, const follow_mark *m)
{
	if (m->off == 0)
		return;
	s->resume_at = (off_t)m->off;
	s->resume_lineno = m->lineno;
	s->resume_skipping = m->skipping;
}

static void mark_lost(follow *f, const follow_mark *m, const char *why);

/* m's file, found beside the path, into a slot, resumed at m. The files
 * of the position come first: with every slot taken, the path's file, not
 * one of them, is closed, to be opened again at a later look. */
static void resume_at_slot(follow *f, int fd, const struct stat *st, const follow_mark *m)
{
	int slot;

	if (free_slot(f) < 0 && f->cur >= 0 && f->src[f->cur].resume_at == 0) {
		src_close(&f->src[f->cur]);
		f->cur = -1;
	}
	if ((slot = add_src(f, fd, st, mono())) < 0)
		mark_lost(f, m, "cannot be read now (too many files open)");
	else
		resume_src(&f->src[slot], m);
}

/* m's file cannot be found again: say so, with what is known not read. */
static void mark_lost(follow *f, const follow_mark *m, const char *why)
{
	long long lost = m->size - m->off;

	f->n_missed += lost;
	remember(f, (dev_t)m->dev, (ino_t)m->ino, m->fp_len, m->fp_hash); /* (said: once) */
	weprintf("%s: a file read up to byte %lld when stopped (inode %ju) %s: its %lld bytes "
	         "then unread, and any written to it since, are lost", f->path, m->off, m->ino,
	         why, lost);
}

/* The offset just after cur's last whole line (--from-end). */
static off_t end_of_lines(int fd)
{
	char b[4096];
	struct stat st;
	off_t at;

	if (fstat(fd, &st) != 0)
		return 0;
	for (at = st.st_size; at > 0;) {
		size_t k = at < (off_t)sizeof b ? (size_t)at : sizeof b;
		ssize_t n = pread(fd, b, k, at - (off_t)k);

		if (n != (ssize_t)k)
			return 0;
		while (n > 0 && b[n - 1] != '\n')
			n--;
		if (n > 0)
			return at - (off_t)k + n;
		at -= (off_t)k;
	}
	return 0;
}

int follow_resume(follow *f, const char *pos, int from_end)
{
	follow_mark m[FOLLOW_MAX_SRC];
	follow_src *cur = f->cur >= 0 ? &f->src[f->cur] : NULL;
	dev_t cur_dev = cur ? cur->dev : 0;
	ino_t cur_ino = cur ? cur->ino : 0;
	double look;
	int n, i, fd;

	if (!pos) {
		if (from_end && cur) {
			follow_mark e = { 0 };

			e.off = (long long)end_of_lines(cur->fd);
			resume_src(cur, &e);
		}
		return 0;
	}
	if ((n = pos_parse(f, pos, m, &look)) < 0) {
		weprintf("%s: not a position this azw wrote", f->path);
		return -1;
	}
	for (i = 0; i < n; i++) {
		struct stat st;
		char name[260];

		cur = f->cur >= 0 ? &f->src[f->cur] : NULL; /* (closed for a slot?) */
		if (cur && cur->dev == (dev_t)m[i].dev && cur->ino == (ino_t)m[i].ino) {
			if (same_start(cur->fd, &m[i])) {
				resume_src(cur, &m[i]);
				continue;
			}
			weprintf("%s: changed while stopped (truncated, or another file): reading it "
			         "from its start", f->path);
		} else if ((fd = find_mark(f, &m[i], 0, &st, name, sizeof name)) >= 0) {
			resume_at_slot(f, fd, &st, &m[i]);
			continue;
		}
		/* not by its inode: a copy of it (copytruncate while stopped)? */
		if ((fd = find_mark(f, &m[i], 1, &st, name, sizeof name)) >= 0) {
			weprintf("%s: the rest of a file read part-way when stopped is read from its copy %s",
			         f->path, name);
			resume_at_slot(f, fd, &st, &m[i]);
			continue;
		}
		if (cur_dev != (dev_t)m[i].dev || cur_ino != (ino_t)m[i].ino)
			mark_lost(f, &m[i], "is gone (moved away, or compressed?)");
		else
			mark_lost(f, &m[i], "is gone (truncated, or its inode reused by the new log), "
			          "with no copy beside it");
	}
	/* files rotated while stopped (renamed since the last look), not read
	 * before: from their start, oldest first; then the current file */
	f->last_look = look;
	f->resuming = 1;
	f->rotated_pending = find_rotated(f, mono()) > 0;
	f->resuming = 0;
	if (f->cur >= 0)
		f->src[f->cur].seq = f->seq++;
	if (!f->rotated_pending)
		f->last_look = wall();
	return 0;
}
