/* follow_test - follow.c across what Zeek and logrotate do to a log: lines
 * appended in pieces, rename-and-recreate rotation with late writes to the
 * old file, two rotations within the grace period, copytruncate, a missing
 * file, over-long lines, CRLF, a rotation after a quiet spell, a stop
 * request. Files in a temporary folder; a grace period long enough that a
 * loaded machine does not outlast it between two steps, and waits for a
 * condition (with a deadline) rather than for a fixed time. Single-threaded:
 * the idle hook (called when every
 * file is at its end) sets the stop flag, so follow_getline() returns 0
 * instead of waiting, and the test writes the next piece. TAP output. */
#include "follow.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "tap.h"

#define GRACE 2.0
#define POLL 0.02
#define DEADLINE 60.0 /* seconds: what a wait for a condition gives up after */

static volatile sig_atomic_t stop;
static int n_idle;
static char dir[] = "/tmp/follow_test.XXXXXX";
static char path[256];

static void on_idle(void *arg)
{
	(void)arg;
	n_idle++;
	stop = 1;
}

static void append(const char *p, const char *text)
{
	FILE *f = fopen(p, "a");

	if (!f || fputs(text, f) == EOF || fclose(f) != 0) {
		perror(p);
		exit(2);
	}
}

static char *name(const char *suffix)
{
	static char buf[4][300];
	static int k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof buf[k], "%s%s", path, suffix);
	return buf[k];
}

/* cp FROM TO, as logrotate's copytruncate copies; with emptied, FROM is
 * truncated after (not when the copy failed, which is said). */
static void copy_log(const char *from, const char *to, int emptied)
{
	char cmd[700];

	snprintf(cmd, sizeof cmd, "cp '%s' '%s'", from, to);
	if (system(cmd) != 0 || (emptied && truncate(from, 0) != 0))
		perror(cmd);
}

static void wait_s(double s)
{
	struct timespec t = { (time_t)s, (long)((s - (double)(time_t)s) * 1e9) };

	nanosleep(&t, NULL);
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* All the lines follow has now, joined with '|'; "" when none. */
static char got[4096];
static int firsts; /* how many of them were the first of their file */
static const char *drain(follow *f)
{
	char *line;
	size_t len;

	got[0] = '\0';
	firsts = 0;
	stop = 0;
	while (follow_getline(f, &line, &len) == 1) {
		if (got[0])
			strcat(got, "|");
		strncat(got, line, sizeof got - strlen(got) - 2);
		firsts += f->first;
	}
	stop = 0;
	return got;
}

/* Drain until something comes, for at most DEADLINE seconds. */
static const char *drain_until_some(follow *f)
{
	double t0 = now_s();

	while (!*drain(f) && now_s() - t0 < DEADLINE)
		wait_s(POLL);
	return got;
}

static int open_files(const follow *f)
{
	int i, n = 0;

	for (i = 0; i < FOLLOW_MAX_SRC; i++)
		n += f->src[i].fd >= 0;
	return n;
}

static void is(const char *have, const char *want, const char *what)
{
	ok(strcmp(have, want) == 0, what);
	if (strcmp(have, want) != 0)
		printf("# got  '%s'\n# want '%s'\n", have, want);
}

int main(void)
{
	follow f;
	char cmd[600];

	argv0 = "follow_test";
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 2;
	}
	snprintf(path, sizeof path, "%s/conn.log", dir);
	tap_plan(64);

	ok(follow_open(&f, path, GRACE, POLL, 16, &stop) == 0, "a missing file is waited for");
	f.idle = on_idle;
	is(drain(&f), "", "nothing while it is missing");

	append(path, "a1\na2\npart");
	is(drain(&f), "a1|a2", "the file appears: its whole lines, not the partial one");
	ok(firsts == 1, "the first line of the file is marked first");
	append(path, "ial\n");
	is(drain(&f), "partial", "the partial line once its newline came");

	/* Rotation: Zeek renames the log and opens a new one; lines it had
	 * buffered still reach the old file. */
	rename(path, name(".1"));
	is(drain(&f), "", "moved away, no new file yet: nothing");
	append(name(".1"), "a3\n");
	append(path, "b1\n");
	is(drain(&f), "a3|b1", "rotated: the old file's late line, then the new file");
	ok(firsts == 1 && open_files(&f) == 2, "both files open; the new one starts fresh");
	append(path, "b2\n");
	append(name(".1"), "a4\n");
	is(drain(&f), "a4|b2", "both still read, the old one first");

	/* A second rotation within the grace period. */
	rename(path, name(".2"));
	append(path, "c1\n");
	append(name(".1"), "a5\n");
	append(name(".2"), "b3\n");
	is(drain(&f), "a5|b3|c1", "three files: each gives its lines, oldest first");
	ok(open_files(&f) == 3, "three files open");

	/* Grace: a rotated file idle that long is closed; its unfinished last
	 * line is given then. */
	append(name(".2"), "b-unfinished");
	{
		double t0 = now_s();

		is(drain(&f), "", "a rotated file's partial line waits");
		is(drain_until_some(&f), "b-unfinished", "after the grace period, a rotated file's last partial line");
		ok(now_s() - t0 >= GRACE - 0.5, "not before the grace period is (nearly) over");
	}
	ok(open_files(&f) == 1, "rotated files closed after the grace period");
	append(name(".1"), "a-too-late\n");
	append(path, "c2 is longer\n");
	is(drain(&f), "c2 is longer", "writes to a closed rotated file are not read");

	/* copytruncate: the file shrinks. */
	if (truncate(path, 0) != 0)
		perror("truncate");
	append(path, "t1\n");
	is(drain(&f), "t1", "truncated: read again from its start");
	ok(firsts == 1, "the first line after truncation is marked first");
	/* truncated again and rewritten shorter by one byte than was read */
	if (truncate(path, 0) != 0)
		perror("truncate");
	append(path, "u\n");
	is(drain(&f), "u", "truncated to one byte less than was read: read again too");

	/* Over-long lines (max 16 bytes here), CRLF, empty lines. */
	append(path, "0123456789abcdefXYZ\nok\r\n\nend\n");
	is(drain(&f), "ok||end", "a line over max_line skipped, CRLF stripped, an empty line kept");
	ok(f.n_long == 1, "the over-long line counted");
	ok(f.lineno == 5, "line numbers count the skipped line");
	append(path, "0123456789abcdef0123456789abcdef0123");
	drain(&f);
	append(path, "4567\nafter\n");
	is(drain(&f), "after", "an over-long line that arrives in pieces is skipped whole");

	/* A rotation after a quiet spell: the file idle for longer than the
	 * grace period when it is moved away. Its grace period starts at the
	 * rotation, so a line written to it just after is still read. */
	wait_s(GRACE * 1.25);
	rename(path, name(".3"));
	append(path, "q1\n");
	is(drain(&f), "q1", "a rotation after a quiet spell: the new file's line");
	append(name(".3"), "q-late\n");
	is(drain(&f), "q-late", "the old file's late line: its grace period began at the rotation");

	/* stop set: follow_getline returns 0 at once, even with lines there. */
	append(path, "s1\n");
	stop = 1;
	{
		char *line;
		size_t len;
		ok(follow_getline(&f, &line, &len) == 0, "stop set: returns 0");
	}
	is(drain(&f), "s1", "the line is still there afterwards");

	/* Issue 18, item 4: nothing lost to truncation or fast rotation. */
	/* Truncated while lines read are still buffered: those come first. */
	{
		char *line;
		size_t len;

		append(path, "k1\nk2\nk3\n");
		stop = 0;
		ok(follow_getline(&f, &line, &len) == 1 && strcmp(line, "k1") == 0,
		   "one line given, two more buffered");
		if (truncate(path, 0) != 0)
			perror("truncate");
		append(path, "u1\n");
		wait_s(POLL * 3);
		is(drain(&f), "k2|k3|u1", "truncated: the lines already read first, then the file anew");
	}
	/* copytruncate, the file written past where it was read within one look */
	if (truncate(path, 0) != 0)
		perror("truncate");
	append(path, "v1 first\n");
	drain(&f);
	if (truncate(path, 0) != 0)
		perror("truncate");
	append(path, "w1 other st\nw2\n");
	is(drain(&f), "w1 other st|w2",
	   "truncated and grown back past where it was read: read from its start");
	/* copytruncate: the end written before it, not read yet, is in the copy */
	append(path, "w3\n");
	copy_log(path, name(".1c"), 1);
	append(path, "x1\n");
	is(drain(&f), "w3|x1", "copytruncate: the lines not read yet come from the copy");
	/* two rotations between two looks: the file in between is found */
	rename(path, name(".r1"));
	append(path, "y1\ny2\n");
	rename(path, name(".r2"));
	append(path, "z1\n");
	is(drain(&f), "y1|y2|z1", "two rotations between two looks: the middle file read too");
	ok(firsts == 2, "each file's first line marked first");
	/* copytruncate of a file read once, before any look knew its start */
	{
		char *line;
		size_t len;

		rename(path, name(".q1"));
		append(path, "n1\nn2\n");
		stop = 0;
		ok(follow_getline(&f, &line, &len) == 1 && strcmp(line, "n1") == 0,
		   "a new file, read at once");
		append(path, "n3\n");
		copy_log(path, name(".q2c"), 1);
		append(path, "o1\n");
		is(drain(&f), "n2|n3|o1", "copytruncate before any look: the copy found by the bytes read");
	}
	/* copytruncate, then a rename, between two looks: the rotated file
	 * is known to be truncated too */
	append(path, "p1\n");
	is(drain(&f), "p1", "a line");
	append(path, "p2\n");
	copy_log(path, name(".p2c"), 1);
	append(path, "p3\n");
	rename(path, name(".p4"));
	append(path, "q1\n");
	is(drain(&f), "p2|p3|q1", "copytruncate and a rename between two looks: nothing lost");
	/* a new file opened behind an older one, copytruncated before read */
	{
		char *line;
		size_t len;

		append(path, "h2\nh3\n");
		rename(path, name(".h"));
		append(path, "i1\ni2\n");
		stop = 0;
		ok(follow_getline(&f, &line, &len) == 1 && strcmp(line, "h2") == 0,
		   "the older file first; the new one open, not read");
		copy_log(path, name(".ic"), 1);
		append(path, "j1\n");
		is(drain(&f), "h3|i1|i2|j1", "copytruncated before it was read: its copy read");
	}

	/* A rotated file compressed (gzip: a new file, the old one unlinked)
	 * or removed before its end was read: read to its end through the
	 * descriptor still open. */
	append(path, "g1\n");
	is(drain(&f), "g1", "a line");
	append(path, "g2\n");
	rename(path, name(".g"));
	snprintf(cmd, sizeof cmd, "gzip '%s'", name(".g"));
	if (system(cmd) != 0)
		perror(cmd);
	append(path, "g3\n");
	is(drain(&f), "g2|g3", "rotated, then compressed: read to its end all the same");
	append(path, "g4\n");
	rename(path, name(".g2"));
	unlink(name(".g2"));
	append(path, "g5\n");
	is(drain(&f), "g4|g5", "rotated, then removed: read to its end all the same");
	/* One never opened (two rotations between two looks) compressed
	 * before the look: it cannot be read; its bytes are said lost. A file
	 * read and closed long ago, compressed now, is not. */
	{
		long long missed = f.n_missed;

		snprintf(cmd, sizeof cmd, "gzip '%s'", name(".3"));
		if (system(cmd) != 0)
			perror(cmd);
		rename(path, name(".m1"));
		append(path, "m1\nm2\n");
		rename(path, name(".m2"));
		snprintf(cmd, sizeof cmd, "gzip '%s'", name(".m2"));
		if (system(cmd) != 0)
			perror(cmd);
		append(path, "m3\n");
		is(drain(&f), "m3", "a file never opened, compressed: not read");
		okf(f.n_missed - missed == 6, "its 6 bytes said lost, the old file's not (%lld)",
		    f.n_missed - missed);
	}

	follow_close(&f);

	/* Restarts: a position taken, another follower resumed from it. */
	{
		char pos[FOLLOW_POS_MAX], rpath[300];
		follow g;

		snprintf(rpath, sizeof rpath, "%s/dns.log", dir);
		append(rpath, "#h1\n#h2\nr1\nr2\n");
		follow_open(&g, rpath, GRACE, POLL, 16, &stop);
		g.idle = on_idle;
		is(drain(&g), "#h1|#h2|r1|r2", "resume: a file read");
		ok(follow_position(&g, pos, sizeof pos) > 0 &&
		   strncmp(pos, "azw-position 2 files 1 ", 23) == 0, "resume: its position taken");
		follow_close(&g);
		append(rpath, "r3\n");
		follow_open(&g, rpath, GRACE, POLL, 16, &stop);
		g.idle = on_idle;
		ok(follow_resume(&g, pos, 0) == 0, "resume: the position read back");
		is(drain(&g), "#h1|#h2|r3", "resume: its leading # lines again, then on from where it was");
		ok(g.lineno == 5, "resume: line numbers go on");
		follow_close(&g);

		follow_open(&g, rpath, GRACE, POLL, 16, &stop);
		g.idle = on_idle;
		follow_resume(&g, NULL, 1);
		append(rpath, "r4\n");
		is(drain(&g), "#h1|#h2|r4", "from the end: the # lines, then only what comes after");
		follow_close(&g);

		follow_open(&g, rpath, GRACE, POLL, 16, &stop);
		ok(follow_resume(&g, "azw-position 3 files 0 known 0 look 1", 0) < 0 &&
		   follow_resume(&g, "azw-position 1 files 1 1 2 3", 0) < 0 &&
		   follow_resume(&g, "azw-position 1 files 17 known 0 look 1", 0) < 0 &&
		   follow_resume(&g, "azw-position 1 files 1 1 2 30 1 0 20 4 ab known 0 look 1", 0) < 0 &&
		   follow_resume(&g, "azw-position 1 files 0 known 0 look 1 x", 0) < 0,
		   "resume: another version, a cut text, too many files, an offset past the size, "
		   "trailing words: refused");
		ok(follow_resume(&g, "azw-position 2 files 0 known 0 look 1", 0) == 0,
		   "resume: a position of no file: accepted");
		ok(follow_resume(&g, "azw-position 1 files 0 known 1 5 6 look 1", 0) == 0 &&
		   follow_resume(&g, "azw-position 2 files 0 known 1 5 6 3 1f look 1", 0) == 0 &&
		   follow_resume(&g, "azw-position 2 files 0 known 1 5 6 look 1", 0) < 0,
		   "resume: version 1 (the files read without their start) and 2");
		follow_close(&g);

		/* stopped while the lines of a copytruncated file are read from
		 * its copy: a position all the same, resumed in the copy */
		snprintf(rpath, sizeof rpath, "%s/ssl.log", dir);
		append(rpath, "t1\nt2\nt3\n");
		follow_open(&g, rpath, GRACE, POLL, 16, &stop);
		g.idle = on_idle;
		is(drain(&g), "t1|t2|t3", "truncated while read: the lines before");
		append(rpath, "t4\nt5\n");
		{
			char to[310];

			snprintf(to, sizeof to, "%s.c", rpath);
			copy_log(rpath, to, 1);
		}
		append(rpath, "u1\n");
		{
			char *line;
			size_t len;

			stop = 0;
			ok(follow_getline(&g, &line, &len) == 1 && strcmp(line, "t4") == 0 &&
			   follow_position(&g, pos, sizeof pos) > 0,
			   "truncated while read: a position taken while its copy's lines are given");
		}
		follow_close(&g);
		follow_open(&g, rpath, GRACE, POLL, 16, &stop);
		g.idle = on_idle;
		follow_resume(&g, pos, 0);
		is(drain(&g), "t5|u1", "truncated while read: resumed in the copy, then the file anew");
		follow_close(&g);

		/* a restart inside a copytruncate: stopped, the copy made,
		 * resumed, and only then the file truncated. The copy is not a
		 * file rotated while stopped (read from its start, it gives
		 * every line twice): the rest after the position comes from
		 * the file, and nothing from the copy. */
		snprintf(rpath, sizeof rpath, "%s/http.log", dir);
		append(rpath, "c1\nc2\n");
		follow_open(&g, rpath, GRACE, POLL, 16, &stop);
		g.idle = on_idle;
		drain(&g);
		follow_position(&g, pos, sizeof pos);
		follow_close(&g);
		append(rpath, "c3\n");
		{
			char to[310];

			snprintf(to, sizeof to, "%s.1", rpath);
			copy_log(rpath, to, 0);
		}
		follow_open(&g, rpath, GRACE, POLL, 16, &stop);
		g.idle = on_idle;
		follow_resume(&g, pos, 0);
		is(drain(&g), "c3", "a restart inside a copytruncate: on from the position, the copy not read");
		if (truncate(rpath, 0) != 0)
			perror("truncate");
		append(rpath, "d1\n");
		is(drain(&g), "d1", "a restart inside a copytruncate: then the file anew, nothing twice");
		ok(g.n_missed == 0, "a restart inside a copytruncate: nothing said lost");
		follow_position(&g, pos, sizeof pos);
		follow_close(&g);
		/* the same, truncated before anything was read after resuming:
		 * the rest comes from the copy, from the position on */
		append(rpath, "d2\n");
		{
			char to[310];

			snprintf(to, sizeof to, "%s.2", rpath);
			copy_log(rpath, to, 0);
		}
		follow_open(&g, rpath, GRACE, POLL, 16, &stop);
		g.idle = on_idle;
		follow_resume(&g, pos, 0);
		if (truncate(rpath, 0) != 0)
			perror("truncate");
		append(rpath, "e1\n");
		is(drain(&g), "d2|e1", "a restart inside a copytruncate, truncated before read: the copy from the position");
		ok(g.n_missed == 0, "a restart inside a copytruncate, truncated before read: nothing said lost");
		follow_close(&g);
	}

	/* A file of a position gone while stopped is said lost; its inode is
	 * not taken for a file read (a new log may have it now: Zeek's
	 * archiver removes the rotated file, and its inode is reused). */
	{
		char rpath[300], pos[FOLLOW_POS_MAX];
		struct stat st;
		follow g;
		int i, named = 0;

		snprintf(rpath, sizeof rpath, "%s/x509.log", dir);
		append(rpath, "x1\nx2\n");
		follow_open(&g, rpath, GRACE, POLL, 16, &stop);
		g.idle = on_idle;
		drain(&g);
		stat(rpath, &st);
		follow_position(&g, pos, sizeof pos);
		follow_close(&g);
		unlink(rpath);
		follow_open(&g, rpath, GRACE, POLL, 16, &stop);
		follow_resume(&g, pos, 0);
		for (i = 0; i < FOLLOW_KNOWN && i < g.n_known; i++)
			named |= g.known[i].ino == st.st_ino && g.known[i].dev == st.st_dev;
		ok(!named, "a file gone while stopped: said lost, its inode not kept as read");
		follow_close(&g);
	}

	/* Truncated to exactly one byte less than was read, then written
	 * again with the same first KiB (a header longer than that): only
	 * its size tells, one byte short. */
	{
		char rpath[300], text[1300], want[1300];
		follow g;
		int i;

		snprintf(rpath, sizeof rpath, "%s/smtp.log", dir);
		text[0] = want[0] = '\0';
		for (i = 0; i < 30; i++) { /* 30 lines of 40 bytes */
			char line[64];

			snprintf(line, sizeof line, "l%02d-%035d\n", i, 0);
			strcat(text, line);
			if (i < 29) {
				snprintf(line, sizeof line, "%sl%02d-%035d", i ? "|" : "", i, 0);
				strcat(want, line);
			}
		}
		append(rpath, text);
		follow_open(&g, rpath, GRACE, POLL, 0, &stop);
		g.idle = on_idle;
		drain(&g);
		ok(strlen(got) == 30 * 40 - 1, "1200 bytes read");
		text[30 * 40 - 1] = '\0';
		if (truncate(rpath, 0) != 0)
			perror("truncate");
		append(rpath, text);
		is(drain(&g), want, "truncated to one byte less, the same first KiB: read again");
		follow_close(&g);
	}

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return tap_status();
}
