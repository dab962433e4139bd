/* posfile.h - a small text file replaced whole or not at all: where a
 * followed log was read to (follow.h's position), kept across restarts.
 *
 * Written to a temporary file beside it, fsync'ed, renamed over it, and
 * the folder fsync'ed: after a crash the file holds the old text or the
 * new, never a mix or nothing.
 */
#ifndef AZW_POSFILE_H
#define AZW_POSFILE_H

#include <stddef.h>

/* Its text (one line, the newline dropped) into buf: 1, 0 no such file,
 * -1 error (message printed: unreadable, too long, not one line). */
int posfile_read(const char *path, char *buf, size_t n);
/* Replace it with text and a newline (write_file_atomic): 0, or -1 (a
 * message printed if say). */
int posfile_write(const char *path, const char *text, int say);

#endif
