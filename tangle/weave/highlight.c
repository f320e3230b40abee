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

/*
 * What the highlighter made of each input this process gave it: weave
 * --site renders a chapter three times (its page, the single page, its
 * print part), and the highlighter, a process per run, is most of the
 * cost. Kept until the process ends. An entry is made when its run starts:
 * highlight_start() starts the runs of the pages to come side by side (on a
 * machine with more than one processor the site is woven in less time), and
 * highlight() waits for the run it needs. A run that failed is not kept:
 * the next call tries again, as if it had not been started.
 */
struct hl_memo {
	char *lang;
	struct sb in, res;
	pid_t pid;		/* > 0: running, its output going to out */
	int out;		/* its standard output: a deleted temporary file */
	const char *why;	/* set: it failed; the warning, with arg */
	char arg[128];
	struct hl_memo *next;
};
static struct hl_memo *memo;

/* At most this many highlighters run at once (highlight_start). */
#define HL_RUNNING_MAX 8

static void failed_(struct hl_memo *m, const char *why, const char *arg)
{
	m->why = why;
	snprintf(m->arg, sizeof m->arg, "%s", arg);
}

/* A temporary file, already deleted, or -1 (m failed). */
static int temp_file(struct hl_memo *m)
{
	const char *tmpdir = getenv("TMPDIR");
	struct sb path = SB_INIT;
	sb_addf(&path, "%s/weave-hl.XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	int fd = mkstemp(path.buf);
	if (fd < 0)
		failed_(m, "cannot create a temporary file: %s", strerror(errno));
	else
		unlink(path.buf);
	sb_release(&path);
	return fd;
}

/* Starts the highlighter on m->in: stdin from a temporary file holding it,
 * stdout to another. On failure m->why says why and nothing runs. */
static void start(struct hl_memo *m)
{
	const char *cmd = getenv("WEAVE_HIGHLIGHTER");
	char *argv[] = { (char *)(cmd && *cmd ? cmd : "source-highlight"), "-s",
			 m->lang, "-f", "xhtml", "--css=book.css", "--no-doc", NULL };
	posix_spawn_file_actions_t fa;

	m->out = -1;
	int in = temp_file(m);
	if (in < 0)
		return;
	if (write(in, m->in.buf, m->in.len) != (ssize_t)m->in.len || lseek(in, 0, SEEK_SET) < 0) {
		failed_(m, "cannot write a temporary file: %s", strerror(errno));
		close(in);
		return;
	}
	if ((m->out = temp_file(m)) < 0) {
		close(in);
		return;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in, 0);
	posix_spawn_file_actions_adddup2(&fa, m->out, 1);
	int err = posix_spawnp(&m->pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(in);
	if (err) {
		m->pid = 0;
		close(m->out);
		m->out = -1;
		failed_(m, "cannot run '%s'", argv[0]);
	}
}

/* Waits for m's run, and reads what it printed into m->res. */
static void reap(struct hl_memo *m)
{
	const char *cmd = getenv("WEAVE_HIGHLIGHTER");
	const char *name = cmd && *cmd ? cmd : "source-highlight";
	int st;

	if (m->pid <= 0)
		return;
	while (waitpid(m->pid, &st, 0) < 0 && errno == EINTR)
		;
	m->pid = 0;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		failed_(m, WIFEXITED(st) && WEXITSTATUS(st) == 127 ? "cannot run '%s'" : "'%s' failed", name);
	} else if (lseek(m->out, 0, SEEK_SET) < 0) {
		failed_(m, "cannot read a temporary file: %s", strerror(errno));
	} else {
		char buf[65536];
		ssize_t r;
		while ((r = read(m->out, buf, sizeof buf)) != 0) {
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0)
				break;
			sb_add(&m->res, buf, (size_t)r);
		}
	}
	close(m->out);
	m->out = -1;
}

/* The joined input of n texts, a sentinel line between them. */
static void join_texts(const char *const *texts, const size_t *lens, size_t n, struct sb *in)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			sb_adds(in, SENTINEL "\n");
		sb_add(in, texts[i], lens[i]);
		if (lens[i] && texts[i][lens[i] - 1] != '\n')
			sb_addc(in, '\n');
	}
}

static struct hl_memo *find(const char *lang, const struct sb *in)
{
	for (struct hl_memo *m = memo; m; m = m->next)
		if (!strcmp(m->lang, lang) && m->in.len == in->len && !memcmp(m->in.buf, in->buf, in->len))
			return m;
	return NULL;
}

/* A new entry for in (taken), its run started. */
static struct hl_memo *add(const char *lang, struct sb *in)
{
	struct hl_memo *m = xcalloc(1, sizeof *m);
	m->lang = xstrdup(lang);
	m->in = *in;
	*in = (struct sb)SB_INIT;
	m->next = memo;
	memo = m;
	start(m);
	return m;
}

static void drop(struct hl_memo *m)
{
	for (struct hl_memo **p = &memo; *p; p = &(*p)->next)
		if (*p == m) {
			*p = m->next;
			break;
		}
	reap(m);
	free(m->lang);
	sb_release(&m->in);
	sb_release(&m->res);
	free(m);
}

void highlight_start(const char *lang, const char *const *texts, const size_t *lens, size_t n)
{
	struct sb in = SB_INIT;
	if (!n)
		return;
	join_texts(texts, lens, n, &in);
	if (find(lang, &in)) {
		sb_release(&in);
		return;
	}
	/* the oldest running one waited for, if as many run as may */
	struct hl_memo *oldest = NULL;
	int running = 0;
	for (struct hl_memo *m = memo; m; m = m->next)
		if (m->pid > 0) {
			running++;
			oldest = m;
		}
	if (running >= HL_RUNNING_MAX)
		reap(oldest);
	add(lang, &in);
}

void highlight_wait_all(void)
{
	for (struct hl_memo *m = memo; m; m = m->next)
		reap(m);
}

int highlight(const char *lang, const char *const *texts, const size_t *lens,
	      size_t n, struct sb *out)
{
	struct sb in = SB_INIT, res = SB_INIT;
	int status = -1;

	if (!n)
		return 0;
	join_texts(texts, lens, n, &in);
	struct hl_memo *m = find(lang, &in);
	if (!m)
		m = add(lang, &in);
	reap(m);
	if (m->why) {
		warn_once(m->why, m->arg);
		drop(m);
		goto out;
	}
	sb_add(&res, m->res.buf, m->res.len);
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
	return status;
}
