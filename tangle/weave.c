/*
 * weave.c: the weave program. Turns a chapter into a standalone HTML page
 * with the real output of its experiments, or writes the book's index.
 * See usage() for the command line; exit status 0 when the page was
 * written (a chapter with errors still gets a page that shows them), 1 when
 * a file cannot be read or written, 2 on a usage error.
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chapter.h"
#include "render.h"
#include "util.h"

static void usage(void)
{
	fprintf(stderr,
		"usage: weave [OPTIONS] -o OUT.html CHAPTER.md\n"
		"   or: weave --index [--run-root DIR] -o OUT/index.html CHAPTER.md...\n"
		"\n"
		"  -o FILE            the page to write (only if its content changed)\n"
		"  --run RUNDIR       the chapter's run directory (build/run/STEM): placeholders\n"
		"                     are filled from RUNDIR/EXP/, the page shows\n"
		"                     RUNDIR/errors.txt and RUNDIR/build-info; without it every\n"
		"                     placeholder says the experiment did not run\n"
		"  --tangled DIR      where the chapter's tangled files are, for the links on\n"
		"                     file= blocks (default: OUTDIR/../tangle/STEM)\n"
		"  --prev URL, --prev-title TITLE, --next URL, --next-title TITLE\n"
		"                     links to the neighbouring chapters\n"
		"  --contents URL     link to the index (default: index.html)\n"
		"  --index            write the index of the CHAPTERs instead, linking STEM.html\n"
		"  --run-root DIR     with --index: the build line comes from DIR/STEM/build-info\n"
		"                     of the first chapter that has one\n"
		"Without a build-info file the page says this machine's uname -r and the time.\n");
	exit(2);
}

/* Returns the chapter's stem ("05-send" for "chapters/05-send.md"); the
 * caller frees it. */
static char *stem_of(const char *path)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	size_t n = strlen(b);
	if (n > 3 && !strcmp(b + n - 3, ".md"))
		n -= 3;
	return xstrndup(b, n);
}

static char *dir_of(const char *path)
{
	char *c = xstrdup(path);
	char *d = xstrdup(dirname(c));
	free(c);
	return d;
}

static struct chapter *load(const char *path)
{
	struct sb src = SB_INIT;
	if (read_file(path, &src) < 0) {
		fprintf(stderr, "%s: cannot open '%s': %s\n", progname, path, strerror(errno));
		return NULL;
	}
	struct chapter *ch = chapter_parse(path, src.buf, src.len);
	sb_release(&src);
	return ch;
}

static char *join3(const char *a, const char *b, const char *c)
{
	struct sb s = SB_INIT;
	sb_addf(&s, "%s/%s%s%s", a, b, c ? "/" : "", c ? c : "");
	return sb_detach(&s);
}

static int write_page(const char *out, struct sb *page)
{
	sb_add(page, "", 0);
	return write_if_changed(out, page->buf, page->len) < 0 ? 1 : 0;
}

static int weave_index(const char *out, const char *runroot, char **chapters, int n)
{
	struct index_entry *e = xcalloc((size_t)n, sizeof *e);
	char **titles = xcalloc((size_t)n, sizeof *titles);
	struct provenance prov = PROVENANCE_INIT;
	struct sb page = SB_INIT;
	int status = 0, have_prov = 0;

	for (int i = 0; i < n; i++) {
		struct chapter *ch = load(chapters[i]);
		char *stem = stem_of(chapters[i]);
		if (!ch) {
			status = 1;
			titles[i] = xstrdup(stem);
		} else {
			titles[i] = xstrdup(ch->title && *ch->title ? ch->title : stem);
			e[i].failed = ch->diags.errors > 0;
		}
		struct sb url = SB_INIT;
		sb_addf(&url, "%s.html", stem);
		e[i].url = sb_detach(&url);
		e[i].title = titles[i];
		if (runroot) {
			char *p = join3(runroot, stem, "errors.txt");
			struct sb err = SB_INIT;
			if (read_file(p, &err) == 0 && err.len)
				e[i].failed = 1;
			sb_release(&err);
			free(p);
			p = join3(runroot, stem, "build-info");
			if (!have_prov && provenance_read(p, &prov) == 0)
				have_prov = 1;
			free(p);
		}
		free(stem);
		chapter_free(ch);
	}
	if (!have_prov)
		provenance_here(&prov);
	render_index(e, (size_t)n, &prov, &page);
	if (write_page(out, &page))
		status = 1;
	for (int i = 0; i < n; i++) {
		free((char *)e[i].url);
		free(titles[i]);
	}
	free(e);
	free(titles);
	provenance_release(&prov);
	sb_release(&page);
	return status;
}

int main(int argc, char **argv)
{
	enum { O_RUN = 256, O_PREV, O_PREV_TITLE, O_NEXT, O_NEXT_TITLE, O_INDEX,
	       O_RUN_ROOT, O_TANGLED, O_CONTENTS };
	static const struct option longopts[] = {
		{ "run", required_argument, NULL, O_RUN },
		{ "prev", required_argument, NULL, O_PREV },
		{ "prev-title", required_argument, NULL, O_PREV_TITLE },
		{ "next", required_argument, NULL, O_NEXT },
		{ "next-title", required_argument, NULL, O_NEXT_TITLE },
		{ "index", no_argument, NULL, O_INDEX },
		{ "run-root", required_argument, NULL, O_RUN_ROOT },
		{ "tangled", required_argument, NULL, O_TANGLED },
		{ "contents", required_argument, NULL, O_CONTENTS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct weave_opts o = { 0 };
	const char *out = NULL, *runroot = NULL, *tangled = NULL;
	int index = 0, opt;

	progname = "weave";
	o.index_url = "index.html";
	while ((opt = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'o': out = optarg; break;
		case O_RUN: o.rundir = optarg; break;
		case O_PREV: o.prev_url = optarg; break;
		case O_PREV_TITLE: o.prev_title = optarg; break;
		case O_NEXT: o.next_url = optarg; break;
		case O_NEXT_TITLE: o.next_title = optarg; break;
		case O_INDEX: index = 1; break;
		case O_RUN_ROOT: runroot = optarg; break;
		case O_TANGLED: tangled = optarg; break;
		case O_CONTENTS: o.index_url = *optarg ? optarg : NULL; break;
		default: usage();
		}
	}
	if (!out || optind >= argc || (!index && optind != argc - 1))
		usage();
	if (index)
		return weave_index(out, runroot, argv + optind, argc - optind);

	const char *path = argv[optind];
	struct chapter *ch = load(path);
	if (!ch)
		return 1;
	char *stem = stem_of(path);
	char *outdir = dir_of(out);
	char *deftangled = join3(outdir, "../tangle", stem);
	struct provenance prov = PROVENANCE_INIT;
	struct sb errors = SB_INIT, page = SB_INIT;

	o.outdir = outdir;
	o.tangledir = tangled ? tangled : deftangled;
	if (o.rundir) {
		char *p = join3(o.rundir, "build-info", NULL);
		if (provenance_read(p, &prov) < 0)
			provenance_here(&prov);
		free(p);
		p = join3(o.rundir, "errors.txt", NULL);
		if (read_file(p, &errors) == 0)
			o.errors = errors.buf;
		free(p);
	} else {
		provenance_here(&prov);
	}
	o.prov = &prov;
	render_chapter(ch, &o, &page);
	int status = write_page(out, &page);

	sb_release(&page);
	sb_release(&errors);
	provenance_release(&prov);
	free(deftangled);
	free(outdir);
	free(stem);
	chapter_free(ch);
	return status;
}
