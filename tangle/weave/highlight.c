/* highlight.c: code highlighting through source-highlight (see highlight.h). */
#include "highlight.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* A line no chapter has; it also ends a comment left open by a block. */
#define SENTINEL "*/WEAVE_SPLIT_7f3a"

int highlight_supports(const char *lang)
{
	return lang && !strcmp(lang, "c");
}

static void warn_once(const char *fmt, const char *arg)
{
	static int warned;
	if (warned++)
		return;
	fprintf(stderr, "%s: warning: ", progname);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "; code is shown without highlighting\n");
}

/* Runs the highlighter with stdin from fd; its stdout goes to *out.
 * Returns 0, or -1 if it could not run or failed. */
static int run(const char *lang, int fd, struct sb *out)
{
	const char *cmd = getenv("WEAVE_HIGHLIGHTER");
	char *argv[] = { (char *)(cmd && *cmd ? cmd : "source-highlight"), "-s",
			 (char *)lang, "-f", "xhtml", "--css=book.css", "--no-doc", NULL };
	posix_spawn_file_actions_t fa;
	int pfd[2], st;
	pid_t pid;

	if (pipe(pfd) < 0) {
		warn_once("pipe: %s", strerror(errno));
		return -1;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fd, 0);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
	posix_spawn_file_actions_addclose(&fa, pfd[0]);
	int err = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pfd[1]);
	if (err) {
		close(pfd[0]);
		warn_once("cannot run '%s'", argv[0]);
		return -1;
	}
	char buf[65536];
	ssize_t r;
	while ((r = read(pfd[0], buf, sizeof buf)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		sb_add(out, buf, (size_t)r);
	}
	close(pfd[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		warn_once(WIFEXITED(st) && WEXITSTATUS(st) == 127 ? "cannot run '%s'"
								   : "'%s' failed", argv[0]);
		return -1;
	}
	return 0;
}

/* Appends one output line, renaming classes and dropping "normal" spans.
 * Returns 0, or -1 if its spans do not balance. */
static int clean_line(struct sb *out, const char *s, size_t n)
{
	static const char open[] = "<span class=\"", close[] = "</span>";
	int depth = 0, skip_close = 0;

	for (size_t i = 0; i < n;) {
		if (n - i >= sizeof open - 1 && !memcmp(s + i, open, sizeof open - 1)) {
			const char *cls = s + i + sizeof open - 1;
			const char *q = memchr(cls, '"', n - (size_t)(cls - s));
			if (!q || q + 1 >= s + n || q[1] != '>' || depth)
				return -1;
			depth++;
			if ((size_t)(q - cls) == 6 && !memcmp(cls, "normal", 6)) {
				skip_close = 1;
			} else {
				sb_adds(out, "<span class=\"hl-");
				sb_add(out, cls, (size_t)(q - cls));
				sb_adds(out, "\">");
			}
			i = (size_t)(q + 2 - s);
		} else if (n - i >= sizeof close - 1 && !memcmp(s + i, close, sizeof close - 1)) {
			if (!depth--)
				return -1;
			if (!skip_close)
				sb_adds(out, close);
			skip_close = 0;
			i += sizeof close - 1;
		} else if (s[i] == '<') {
			return -1;	/* a tag we do not know */
		} else {
			sb_addc(out, s[i++]);
		}
	}
	return depth ? -1 : 0;
}

/* Returns 1 if the line's text, tags left out, is the sentinel. */
static int is_sentinel(const char *s, size_t n)
{
	static const char want[] = SENTINEL;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '<') {
			const char *e = memchr(s + i, '>', n - i);
			if (!e)
				return 0;
			i = (size_t)(e - s);
			continue;
		}
		if (k >= sizeof want - 1 || s[i] != want[k++])
			return 0;
	}
	return k == sizeof want - 1;
}

static size_t count_lines(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += s[i] == '\n';
	return c + (n && s[n - 1] != '\n');
}

/* What the highlighter made of each input this process gave it: weave
 * --site renders a chapter three times (its page, the single page, its
 * print part), and the highlighter, a process per run, is most of the
 * cost. Kept until the process ends. */
struct hl_memo {
	char *lang;
	struct sb in, res;
	struct hl_memo *next;
};
static struct hl_memo *memo;

int highlight(const char *lang, const char *const *texts, const size_t *lens,
	      size_t n, struct sb *out)
{
	const char *tmpdir = getenv("TMPDIR");
	struct sb in = SB_INIT, res = SB_INIT, path = SB_INIT;
	int status = -1;

	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (i)
			sb_adds(&in, SENTINEL "\n");
		sb_add(&in, texts[i], lens[i]);
		if (lens[i] && texts[i][lens[i] - 1] != '\n')
			sb_addc(&in, '\n');
	}
	for (struct hl_memo *m = memo; m; m = m->next)
		if (!strcmp(m->lang, lang) && m->in.len == in.len && !memcmp(m->in.buf, in.buf, in.len)) {
			sb_add(&res, m->res.buf, m->res.len);
			goto split;
		}
	sb_addf(&path, "%s/weave-hl.XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	int fd = mkstemp(path.buf);
	if (fd < 0) {
		warn_once("cannot create a temporary file: %s", strerror(errno));
		goto out;
	}
	unlink(path.buf);
	if (write(fd, in.buf, in.len) != (ssize_t)in.len || lseek(fd, 0, SEEK_SET) < 0) {
		warn_once("cannot write a temporary file: %s", strerror(errno));
		close(fd);
		goto out;
	}
	int rc = run(lang, fd, &res);
	close(fd);
	if (rc < 0)
		goto out;
	struct hl_memo *m = xcalloc(1, sizeof *m);
	m->lang = xstrdup(lang);
	sb_add(&m->in, in.buf, in.len);
	sb_add(&m->res, res.buf, res.len);
	m->next = memo;
	memo = m;
split:
	sb_add(&res, "", 0);
	char *b = strstr(res.buf, "<pre><tt>"), *e = b ? strstr(b, "</tt></pre>") : NULL;
	if (!b || !e) {
		warn_once("unexpected output from '%s'", "source-highlight");
		goto out;
	}
	status = 0;
	b += 9;
	size_t block = 0;
	struct sb cur = SB_INIT;
	int bad = 0;
	for (char *l = b; l < e && block < n;) {
		char *nl = memchr(l, '\n', (size_t)(e - l));
		size_t len = nl ? (size_t)(nl - l) : (size_t)(e - l);
		int last = !nl || nl + 1 >= e;
		if (is_sentinel(l, len)) {
			if (!bad && count_lines(cur.buf, cur.len) == count_lines(texts[block], lens[block]))
				sb_add(&out[block], cur.buf ? cur.buf : "", cur.len);
			sb_reset(&cur);
			bad = 0;
			block++;
		} else {
			if (clean_line(&cur, l, len) < 0)
				bad = 1;
			sb_addc(&cur, '\n');
		}
		l = nl ? nl + 1 : e;
		if (last && block < n) {
			if (!bad && count_lines(cur.buf, cur.len) == count_lines(texts[block], lens[block]))
				sb_add(&out[block], cur.buf ? cur.buf : "", cur.len);
			block++;
		}
	}
	sb_release(&cur);
out:
	sb_release(&in);
	sb_release(&res);
	sb_release(&path);
	return status;
}
