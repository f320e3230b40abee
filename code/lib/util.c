/* util.c: memory, byte buffers, a string map and careful file writes. */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *progname = "tangle";

static void oom(void)
{
	fprintf(stderr, "%s: out of memory\n", progname);
	exit(2);
}

void bug(const char *file, int line, const char *msg)
{
	fprintf(stderr, "%s:%d: BUG: %s\n", file, line, msg);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

void grow(void *pp, size_t *cap, size_t need, size_t size)
{
	void **p = pp;
	size_t c = *cap;
	if (need <= c)
		return;
	if (c < 8)
		c = 8;
	while (c < need) {
		if (c > ((size_t)-1) / 4 / size)
			oom();
		c *= 2;
	}
	*p = xrealloc(*p, c * size);
	*cap = c;
}

/* ---- byte buffers ---------------------------------------------------- */

void sb_add(struct sb *sb, const void *data, size_t n)
{
	grow(&sb->buf, &sb->cap, sb->len + n + 1, 1);
	if (n)
		memcpy(sb->buf + sb->len, data, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void sb_adds(struct sb *sb, const char *s)
{
	sb_add(sb, s, strlen(s));
}

void sb_addc(struct sb *sb, char c)
{
	sb_add(sb, &c, 1);
}

void sb_vaddf(struct sb *sb, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		BUG("vsnprintf failed");
	grow(&sb->buf, &sb->cap, sb->len + (size_t)n + 1, 1);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void sb_addf(struct sb *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(sb, fmt, ap);
	va_end(ap);
}

void sb_reset(struct sb *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

char *sb_detach(struct sb *sb)
{
	char *p;
	if (!sb->buf)
		sb_add(sb, "", 0);
	p = sb->buf;
	sb->buf = NULL;
	sb->len = sb->cap = 0;
	return p;
}

void sb_release(struct sb *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

/* ---- string -> int map: open addressing, FNV-1a ---------------------- */

static size_t hash(const char *s, size_t n)
{
	size_t h = 1469598103934665603ULL & (size_t)-1;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= (size_t)1099511628211ULL;
	}
	return h;
}

static size_t slot(const struct map *m, const char *key, size_t klen)
{
	size_t i = hash(key, klen) & (m->cap - 1);
	while (m->keys[i] &&
	       !(m->klens[i] == klen && memcmp(m->keys[i], key, klen) == 0))
		i = (i + 1) & (m->cap - 1);
	return i;
}

int map_get(const struct map *m, const char *key, size_t klen)
{
	if (!m->cap)
		return -1;
	size_t i = slot(m, key, klen);
	return m->keys[i] ? m->vals[i] : -1;
}

void map_put(struct map *m, const char *key, size_t klen, int val)
{
	if ((m->used + 1) * 2 > m->cap) {
		struct map n = MAP_INIT;
		n.cap = m->cap ? m->cap * 2 : 64;
		n.keys = xcalloc(n.cap, sizeof *n.keys);
		n.klens = xcalloc(n.cap, sizeof *n.klens);
		n.vals = xcalloc(n.cap, sizeof *n.vals);
		for (size_t i = 0; i < m->cap; i++)
			if (m->keys[i]) {
				size_t j = slot(&n, m->keys[i], m->klens[i]);
				n.keys[j] = m->keys[i];
				n.klens[j] = m->klens[i];
				n.vals[j] = m->vals[i];
				n.used++;
			}
		map_release(m);
		*m = n;
	}
	size_t i = slot(m, key, klen);
	if (!m->keys[i]) {
		m->keys[i] = key;
		m->klens[i] = klen;
		m->used++;
	}
	m->vals[i] = val;
}

void map_release(struct map *m)
{
	free(m->keys);
	free(m->klens);
	free(m->vals);
	m->keys = NULL;
	m->klens = NULL;
	m->vals = NULL;
	m->cap = m->used = 0;
}

/* ---- files ----------------------------------------------------------- */

int read_file(const char *path, struct sb *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	sb_add(out, "", 0);
	for (;;) {
		grow(&out->buf, &out->cap, out->len + 65536 + 1, 1);
		ssize_t n = read(fd, out->buf + out->len, 65536);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			close(fd);
			errno = e;
			return -1;
		}
		if (n == 0)
			break;
		out->len += (size_t)n;
	}
	out->buf[out->len] = '\0';
	close(fd);
	return 0;
}

int mkdir_parents(const char *path)
{
	char *p = xstrdup(path);
	for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(p, 0777) < 0 && errno != EEXIST) {
			int e = errno;
			free(p);
			errno = e;
			return -1;
		}
		*s = '/';
	}
	free(p);
	return 0;
}

static int same_content(const char *path, const char *data, size_t len)
{
	struct sb old = SB_INIT;
	int same = read_file(path, &old) == 0 && old.len == len &&
		   memcmp(old.buf, data, len) == 0;
	sb_release(&old);
	return same;
}

int write_if_changed(const char *path, const char *data, size_t len)
{
	struct sb tmp = SB_INIT;
	int fd = -1, created = 0;

	if (same_content(path, data, len))
		return 0;
	if (mkdir_parents(path) < 0) {
		fprintf(stderr, "%s: cannot create directories for '%s': %s\n",
			progname, path, strerror(errno));
		return -1;
	}
	sb_addf(&tmp, "%s.tmpXXXXXX", path);
	fd = mkstemp(tmp.buf);
	if (fd < 0) {
		fprintf(stderr, "%s: mkstemp '%s': %s\n", progname, tmp.buf,
			strerror(errno));
		goto err;
	}
	created = 1;
	for (size_t off = 0; off < len;) {
		ssize_t n = write(fd, data + off, len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "%s: write '%s': %s\n", progname,
				tmp.buf, strerror(errno));
			goto err;
		}
		off += (size_t)n;
	}
	if (fchmod(fd, 0644) < 0 || close(fd) < 0) {
		fd = -1;
		fprintf(stderr, "%s: close '%s': %s\n", progname, tmp.buf,
			strerror(errno));
		goto err;
	}
	fd = -1;
	if (rename(tmp.buf, path) < 0) {
		fprintf(stderr, "%s: rename '%s' to '%s': %s\n", progname,
			tmp.buf, path, strerror(errno));
		goto err;
	}
	sb_release(&tmp);
	return 1;
err:
	if (fd >= 0)
		close(fd);
	if (created)
		unlink(tmp.buf);
	sb_release(&tmp);
	return -1;
}

char *strtrim(char *s)
{
	char *e;
	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

/* Does text start with pat? (glob_search, below) */
static int glob_here(const char *line, const char *text, const char *pat, glob_token_fn token)
{
	const char *star = NULL, *resume = NULL;

	while (*pat) {
		size_t tl;
		const char *end = NULL;
		if (*pat == '*') {
			star = ++pat;
			resume = text;
			continue;
		}
		if (token && (tl = token(line, text, pat, &end))) {
			if (end) {
				text = end;
				pat += tl;
				continue;
			}
		} else if (*text && *text == *pat) {
			text++;
			pat++;
			continue;
		}
		if (star && *resume) {
			pat = star;
			text = ++resume;
			continue;
		}
		return 0;
	}
	return 1;
}

int glob_search(const char *line, const char *pat, glob_token_fn token)
{
	for (const char *p = line;; p++) {
		if (glob_here(line, p, pat, token))
			return 1;
		if (!*p)
			return 0;
	}
}
