/* follow_pos.c - restarts of a followed log (see follow.h): the position
 * taken, read back, and resumed from. */
#include "follow.h"
#include "follow_private.h"
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
#include <unistd.h>

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
	int order[FOLLOW_MAX_SRC], k = follow_by_age(f, order), i, nk, len;

	len = snprintf(buf, n, "azw-position 2 files %d", k);
	for (i = 0; i < k && len >= 0 && (size_t)len < n; i++) {
		const follow_src *s = &f->src[order[i]];
		int resuming = s->resume_at > 0;
		/* A truncated file whose lines from before the truncation are
		 * still being given (trunc_pending) is named as it was: its
		 * inode and first bytes then, the offset in that content. A
		 * restart finds that content in the copy (by its first bytes)
		 * and the file's new content at the path, from its start. */
		off_t size = s->seen_size > follow_src_offset(s) ? s->seen_size : follow_src_offset(s);

		len += snprintf(buf + len, n - (size_t)len, " %ju %ju %lld %ld %d %lld %zu %016llx",
		                (uintmax_t)s->dev, (uintmax_t)s->ino,
		                (long long)(resuming ? s->resume_at : follow_src_offset(s)),
		                resuming ? s->resume_lineno : s->lb.lineno,
		                resuming ? s->resume_skipping : s->lb.skipping,
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
		follow_remember(f, (dev_t)d, (ino_t)ino, (size_t)fp_len, (uint64_t)fp_hash);
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
int follow_find_mark(const follow *f, const follow_mark *m, int by_start, struct stat *st,
                     char *name, size_t name_n)
{
	char dir[4096], full[4096 + 260];
	const char *base;
	size_t stem;
	struct dirent *d;
	DIR *dp;
	int fd = -1;

	follow_split_path(f->path, dir, sizeof dir, &base, &stem);
	if (!(dp = opendir(dir)))
		return -1;
	while (fd < 0 && (d = readdir(dp)) != NULL) {
		const char *nm = d->d_name;

		if (strcmp(nm, base) == 0 || strncmp(nm, base, stem) != 0 || nm[stem] != '.' ||
		    follow_compressed(nm))
			continue;
		snprintf(full, sizeof full, "%s/%s", dir, nm);
		/* (read and closed is no bar: a copy read from, part-way) */
		if (stat(full, st) != 0 || !S_ISREG(st->st_mode) ||
		    follow_is_open(f, st->st_dev, st->st_ino))
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
void follow_resume_at_slot(follow *f, int fd, const struct stat *st, const follow_mark *m)
{
	int slot;

	if (follow_free_slot(f) < 0 && f->cur >= 0 && f->src[f->cur].resume_at == 0) {
		follow_src_close(&f->src[f->cur]);
		f->cur = -1;
	}
	if ((slot = follow_add_src(f, fd, st, follow_mono())) < 0)
		mark_lost(f, m, "cannot be read now (too many files open)");
	else
		resume_src(&f->src[slot], m);
}

/* m's file cannot be found again: say so, with what is known not read. */
static void mark_lost(follow *f, const follow_mark *m, const char *why)
{
	long long lost = m->size - m->off;

	f->n_missed += lost;
	/* its start, to know it gzipped (said once); not its inode, which a
	 * file still to be read may have taken since */
	follow_remember(f, 0, 0, m->fp_len, m->fp_hash);
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
		} else if ((fd = follow_find_mark(f, &m[i], 0, &st, name, sizeof name)) >= 0) {
			follow_resume_at_slot(f, fd, &st, &m[i]);
			continue;
		}
		/* not by its inode: a copy of it (copytruncate while stopped)? */
		if ((fd = follow_find_mark(f, &m[i], 1, &st, name, sizeof name)) >= 0) {
			weprintf("%s: the rest of a file read part-way when stopped is read from its copy %s",
			         f->path, name);
			follow_resume_at_slot(f, fd, &st, &m[i]);
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
	f->rotated_pending = follow_find_rotated(f, follow_mono()) > 0;
	f->resuming = 0;
	if (f->cur >= 0)
		f->src[f->cur].seq = f->seq++;
	if (!f->rotated_pending)
		f->last_look = follow_wall();
	return 0;
}
