/* follow_private.h - what follow.c, follow_files.c and follow_pos.c share
 * (follow.h is the interface). */
#ifndef AZW_FOLLOW_PRIVATE_H
#define AZW_FOLLOW_PRIVATE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "follow.h"

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

/* follow.c: clocks, slots, the files open */
double follow_mono(void); /* monotonic seconds */
double follow_wall(void); /* wall-clock seconds (file times) */
int follow_free_slot(follow *f);
/* A file into a free slot, read from its start: the slot, or -1 (then fd
 * is closed). */
int follow_add_src(follow *f, int fd, const struct stat *st, double now);
void follow_src_close(follow_src *s);
/* The file offset of s's next unread byte. */
off_t follow_src_offset(const follow_src *s);
/* The slots in use, oldest file first (the current one is the newest). */
int follow_by_age(const follow *f, int order[FOLLOW_MAX_SRC]);

/* follow_files.c: the files beside the path */
void follow_remember(follow *f, dev_t dev, ino_t ino, size_t fp_len, uint64_t fp_hash);
void follow_remember_src(follow *f, const follow_src *s);
int follow_is_open(const follow *f, dev_t dev, ino_t ino);
int follow_fp_changed(follow_src *s, off_t size);
void follow_split_path(const char *path, char *dir, size_t n, const char **base, size_t *stem);
int follow_compressed(const char *name);
int follow_find_rotated(follow *f, double now);
int follow_src_truncated(follow *f, follow_src *s, double now);
int follow_check_truncated(follow *f, double now);

/* follow_pos.c: a file of a position found again */
int follow_find_mark(const follow *f, const follow_mark *m, int by_start, struct stat *st,
                     char *name, size_t name_n);
void follow_resume_at_slot(follow *f, int fd, const struct stat *st, const follow_mark *m);

#endif
