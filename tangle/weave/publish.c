/* publish.c: the site's files (see publish.h). */
#include "publish.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

void outset_add(struct outset *s, const char *path)
{
	grow(&s->v, &s->cap, s->n + 1, sizeof *s->v);
	s->v[s->n++] = xstrdup(path);
	s->sorted = 0;
}

void outset_release(struct outset *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof *s);
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int outset_has(const struct outset *s, const char *path)
{
	return bsearch(&path, s->v, s->n, sizeof *s->v, by_str) != NULL;
}

/* Whether files a and b have the same bytes. */
static int same_bytes(const char *a, const char *b)
{
	struct sb x = SB_INIT, y = SB_INIT;
	int same = read_file(a, &x) == 0 && read_file(b, &y) == 0 && x.len == y.len &&
		   !memcmp(x.buf, y.buf, x.len);
	sb_release(&x);
	sb_release(&y);
	return same;
}

int publish_file(const char *src, const char *dst, struct outset *s)
{
	struct stat a, b;
	struct sb tmp = SB_INIT;
	int rc = -1;

	outset_add(s, dst);
	if (stat(src, &a) < 0) {
		fprintf(stderr, "%s: stat '%s': %s\n", progname, src, strerror(errno));
		return -1;
	}
	if (stat(dst, &b) == 0 && ((a.st_dev == b.st_dev && a.st_ino == b.st_ino) ||
				   (a.st_size == b.st_size && same_bytes(src, dst))))
		return 0;
	if (mkdir_parents(dst) < 0) {
		fprintf(stderr, "%s: cannot create directories for '%s': %s\n", progname, dst,
			strerror(errno));
		return -1;
	}
	sb_addf(&tmp, "%s.tmp%ld", dst, (long)getpid());
	unlink(tmp.buf);
	if (link(src, tmp.buf) < 0) {
		/* another file system, or one without links: a copy */
		struct sb data = SB_INIT;
		if (read_file(src, &data) < 0) {
			fprintf(stderr, "%s: cannot read '%s': %s\n", progname, src, strerror(errno));
			sb_release(&data);
			goto out;
		}
		int fd = open(tmp.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		ssize_t w = fd < 0 ? -1 : write(fd, data.buf, data.len);
		int err = fd < 0 || w != (ssize_t)data.len ? errno : 0;
		if (fd >= 0 && close(fd) < 0 && !err)
			err = errno;
		sb_release(&data);
		if (err || (fd >= 0 && w != (ssize_t)a.st_size)) {
			fprintf(stderr, "%s: cannot write '%s': %s\n", progname, tmp.buf,
				strerror(err ? err : EIO));
			unlink(tmp.buf);
			goto out;
		}
	}
	if (rename(tmp.buf, dst) < 0) {
		fprintf(stderr, "%s: rename '%s': %s\n", progname, tmp.buf, strerror(errno));
		unlink(tmp.buf);
		goto out;
	}
	rc = 0;
out:
	sb_release(&tmp);
	return rc;
}

int publish_tree(const char *src, const char *dst, struct outset *s)
{
	DIR *d = opendir(src);
	struct dirent *e;
	int rc = 0;

	if (!d)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
	while ((e = readdir(d))) {
		struct sb a = SB_INIT, b = SB_INIT;
		struct stat st;
		if (e->d_name[0] == '.')
			continue;
		sb_addf(&a, "%s/%s", src, e->d_name);
		sb_addf(&b, "%s/%s", dst, e->d_name);
		if (lstat(a.buf, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				rc |= publish_tree(a.buf, b.buf, s);
			else if (S_ISREG(st.st_mode))
				rc |= publish_file(a.buf, b.buf, s);
		}
		sb_release(&a);
		sb_release(&b);
	}
	closedir(d);
	return rc;
}

static int kept(const char *rel, const char *const *keep)
{
	for (; keep && *keep; keep++)
		if (!strcmp(rel, *keep))
			return 1;
	return 0;
}

/* Sweeps path (rel: its name relative to the site); returns 1 if it is now
 * an empty directory, 0 if not, -1 on an error. */
static int sweep_dir(const char *path, const char *rel, const struct outset *s,
		     const char *const *keep)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int rc = 0, left = 0;

	if (!d)
		return errno == ENOENT ? 1 : -1;
	while ((e = readdir(d))) {
		struct sb p = SB_INIT, r = SB_INIT;
		struct stat st;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		sb_addf(&p, "%s/%s", path, e->d_name);
		sb_addf(&r, "%s%s%s", rel, *rel ? "/" : "", e->d_name);
		if (lstat(p.buf, &st) < 0) {
			left = 1;
		} else if (kept(r.buf, keep)) {
			left = 1;
		} else if (S_ISDIR(st.st_mode)) {
			int empty = sweep_dir(p.buf, r.buf, s, keep);
			if (empty < 0)
				rc = -1;
			if (empty == 1 && rmdir(p.buf) < 0) {
				fprintf(stderr, "%s: rmdir '%s': %s\n", progname, p.buf, strerror(errno));
				rc = -1;
			}
			if (empty != 1)
				left = 1;
		} else if (!outset_has(s, p.buf)) {
			if (unlink(p.buf) < 0) {
				fprintf(stderr, "%s: unlink '%s': %s\n", progname, p.buf, strerror(errno));
				rc = -1;
				left = 1;
			}
		} else {
			left = 1;
		}
		sb_release(&p);
		sb_release(&r);
	}
	closedir(d);
	return rc < 0 ? -1 : !left;
}

int sweep(const char *dir, const struct outset *s, const char *const *keep)
{
	struct outset *w = (struct outset *)s;	/* sorting does not change the set */
	if (!w->sorted) {
		qsort(w->v, w->n, sizeof *w->v, by_str);
		w->sorted = 1;
	}
	return sweep_dir(dir, "", s, keep) < 0 ? -1 : 0;
}
