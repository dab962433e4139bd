/* follow_files.c - the files beside a followed log (see follow.h): those
 * rotated between two looks, logrotate's copies, truncation, files gzipped
 * before they could be read, and the files already read. */
#include "follow.h"
#include "follow_private.h"
#include "util.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/* A file read, never to be read again (is_known), and the hash of its
 * first fp_len bytes (to know it compressed). */
void follow_remember(follow *f, dev_t dev, ino_t ino, size_t fp_len, uint64_t fp_hash)
{
	int i = f->n_known++ % FOLLOW_KNOWN;

	f->known[i].dev = dev;
	f->known[i].ino = ino;
	f->known[i].fp_len = fp_len;
	f->known[i].fp_hash = fp_hash;
}

void follow_remember_src(follow *f, const follow_src *s)
{
	follow_remember(f, s->dev, s->ino, s->fp_len, follow_hash(s->fp, s->fp_len));
}

int follow_is_open(const follow *f, dev_t dev, ino_t ino)
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

	if (follow_is_open(f, dev, ino))
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
int follow_fp_changed(follow_src *s, off_t size)
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
void follow_split_path(const char *path, char *dir, size_t n, const char **base, size_t *stem)
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

int follow_compressed(const char *name)
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

	follow_split_path(f->path, dir, sizeof dir, &base, &stem);
	if (!(dp = opendir(dir)))
		return 0;
	while (n < max && (d = readdir(dp)) != NULL) {
		const char *nm = d->d_name;

		if (strcmp(nm, base) == 0 || strncmp(nm, base, stem) != 0 || nm[stem] != '.' ||
		    (gz ? !is_gz(nm) : follow_compressed(nm)))
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

		if (k == 0 || (n < k && !whole) ||
		    (n >= k && follow_hash(b, k) == f->known[i].fp_hash))
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
		size = (uint32_t)t[0] | (uint32_t)t[1] << 8 | (uint32_t)t[2] << 16 |
		       (uint32_t)t[3] << 24; /* gzip's ISIZE, little-endian */
		follow_remember(f, c[i].st.st_dev, c[i].st.st_ino, (size_t)k, follow_hash(b, (size_t)k));
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
int follow_find_rotated(follow *f, double now)
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

		if (follow_free_slot(f) < 0)
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
		follow_add_src(f, fd, &st, now);
	}
	gz_lost(f);
	return 0;
}

/* s, resumed and not yet read up to its position, was truncated: the rest
 * is in its copy (made while stopped, or since), read in a slot of its own
 * as a resumed file (its leading '#' lines, then on from the position),
 * before s's new content. 1, or 0 when there is no copy (or no slot). */
static int resumed_truncated(follow *f, follow_src *s)
{
	follow_mark m = {
		.dev = (uintmax_t)s->dev, .ino = (uintmax_t)s->ino, .off = (long long)s->resume_at,
		.lineno = s->resume_lineno, .skipping = s->resume_skipping,
		.size = (long long)s->seen_size, .fp_len = s->fp_len,
		.fp_hash = follow_hash(s->fp, s->fp_len),
	};
	struct stat st;
	char name[260];
	int fd, slot;

	if (s->fp_len == 0 || (fd = follow_find_mark(f, &m, 1, &st, name, sizeof name)) < 0)
		return 0;
	follow_resume_at_slot(f, fd, &st, &m);
	for (slot = 0; slot < FOLLOW_MAX_SRC; slot++)
		if (f->src[slot].fd >= 0 && f->src[slot].ino == st.st_ino &&
		    f->src[slot].dev == st.st_dev)
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

/* s, the current file, was truncated (copytruncate): its lines already read
 * are given first (trunc_pending), then it is read from its start. The end
 * written before the truncation and not read yet is in logrotate's copy
 * beside it, the file that starts as s did: read from there. */
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

		lb_drop(&s->lb);
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
		off_t from = s->lb.pos, off = from;
		ssize_t k;

		if ((fd = open(c[i].name, O_RDONLY)) < 0)
			continue;
		if (pread(fd, b, s->fp_len, 0) != (ssize_t)s->fp_len ||
		    memcmp(b, s->fp, s->fp_len) != 0) {
			close(fd);
			continue;
		}
		follow_remember(f, c[i].st.st_dev, c[i].st.st_ino, s->fp_len,
		                follow_hash(s->fp, s->fp_len));
		/* its end, after what was read, into s's buffer: the lines
		 * there continue those buffered (and their TSV header) */
		while ((k = lb_read(&s->lb, fd, off)) > 0)
			off += k; /* (and lb.pos: buf[end] is there in the content before it) */
		close(fd);
		if (off > from)
			weprintf("%s: its %lld bytes not read before the truncation read from its copy %s",
			         f->path, (long long)(off - from), c[i].name);
		return;
	}
	if (s->seen_size > s->lb.pos) {
		f->n_missed += s->seen_size - s->lb.pos;
		weprintf("%s: %lld bytes written before the truncation were not read, and no copy "
		         "of the file was found beside it: lost", f->path,
		         (long long)(s->seen_size - s->lb.pos));
	}
}

/* Is s truncated (copytruncate, perhaps just before a rename)? If so, its
 * lines already read are given first, then it is read from its start
 * (truncated()): 1. */
int follow_src_truncated(follow *f, follow_src *s, double now)
{
	struct stat fs;

	if (s->trunc_pending || fstat(s->fd, &fs) != 0 || !S_ISREG(fs.st_mode))
		return 0;
	if (fs.st_size < s->seen_size || follow_fp_changed(s, fs.st_size)) {
		truncated(f, s);
		s->last_data = now;
		return 1;
	}
	s->seen_size = fs.st_size;
	return 0;
}

/* Every open file, the current one and the rotated ones: truncated since
 * the last look (copytruncate, perhaps just before a rename)? */
int follow_check_truncated(follow *f, double now)
{
	int i, any = 0;

	for (i = 0; i < FOLLOW_MAX_SRC; i++)
		if (f->src[i].fd >= 0)
			any |= follow_src_truncated(f, &f->src[i], now);
	return any;
}
