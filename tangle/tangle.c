/*
 * tangle.c: the tangle program. Reads one chapter and writes its program
 * files and its experiment list for the harness.
 *
 *     tangle [-o OUTDIR] CHAPTER.md
 *
 * Writes OUTDIR/NAME for every file= target, OUTDIR/experiments (for the
 * harness), OUTDIR/claims (for code/check/claims.c; see expand.h), and the
 * manifest OUTDIR/.files (the names written, one a line) used to remove, on
 * a later run, files that are no longer targets. A file is written only if
 * its content changed, through a temporary file and rename(2). If the
 * chapter has any error, nothing is written. Exit status: 0 success (perhaps
 * with warnings), 1 error in the chapter or while writing, 2 usage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chapter.h"
#include "expand.h"
#include "util.h"

static void usage(void)
{
	fprintf(stderr, "usage: tangle [-o OUTDIR] CHAPTER.md\n"
		"Writes the chapter's file= targets, OUTDIR/experiments, OUTDIR/claims\n"
		"and OUTDIR/.files\n"
		"(default OUTDIR: the current directory). Nothing is written if the\n"
		"chapter has errors.\n");
	exit(2);
}

static char *join(const char *dir, const char *name)
{
	struct sb s = SB_INIT;
	sb_addf(&s, "%s/%s", dir, name);
	return sb_detach(&s);
}

/* A name from an old manifest is only trusted if it is a plain relative
 * path, since the manifest is an ordinary file anyone could edit. */
static int safe_name(const char *s)
{
	if (!*s || *s == '/' || !strcmp(s, ".files") || !strcmp(s, "experiments") ||
	    !strcmp(s, "claims"))
		return 0;
	for (const char *c = s; *c;) {
		size_t l = strcspn(c, "/");
		if (l == 0 || (l == 1 && c[0] == '.') || (l == 2 && !strncmp(c, "..", 2)))
			return 0;
		c += l;
		if (*c)
			c++;
	}
	return 1;
}

/* Removes files listed in the old manifest that are no longer targets, and
 * then their directories if they became empty. */
static void remove_stale(const char *outdir, const struct chapter *ch)
{
	char *mpath = join(outdir, ".files");
	struct sb old = SB_INIT;

	if (read_file(mpath, &old) < 0) {
		free(mpath);
		return;
	}
	for (char *line = old.buf, *nl; line && *line; line = nl) {
		nl = strchr(line, '\n');
		if (nl)
			*nl++ = '\0';
		if (!safe_name(line) || map_get(&ch->file_map, line, strlen(line)) >= 0)
			continue;
		char *p = join(outdir, line);
		if (unlink(p) < 0 && errno != ENOENT)
			fprintf(stderr, "%s: cannot remove stale '%s': %s\n", progname,
				p, strerror(errno));
		for (char *slash = strrchr(p, '/'); slash && slash > p + strlen(outdir);
		     slash = strrchr(p, '/')) {
			*slash = '\0';
			if (rmdir(p) < 0)
				break;
		}
		free(p);
	}
	sb_release(&old);
	free(mpath);
}

int main(int argc, char **argv)
{
	const char *outdir = ".";
	struct sb src = SB_INIT, manifest = SB_INIT;
	int opt, status = 0;

	progname = "tangle";
	while ((opt = getopt(argc, argv, "o:h")) != -1) {
		switch (opt) {
		case 'o':
			outdir = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc - 1)
		usage();
	const char *path = argv[optind];
	if (read_file(path, &src) < 0) {
		fprintf(stderr, "%s: cannot open '%s': %s\n", progname, path, strerror(errno));
		return 1;
	}
	struct chapter *ch = chapter_parse(path, src.buf, src.len);
	sb_release(&src);
	diags_print(&ch->diags, path, stderr);
	if (ch->diags.errors) {
		chapter_free(ch);
		return 1;
	}

	remove_stale(outdir, ch);
	struct sb text = SB_INIT;
	for (size_t f = 0; f < ch->nfiles; f++) {
		char *p = join(outdir, ch->files[f].name);
		sb_reset(&text);
		expand_file(ch, f, &text);
		sb_add(&text, "", 0);
		if (write_if_changed(p, text.buf, text.len) < 0)
			status = 1;
		sb_addf(&manifest, "%s\n", ch->files[f].name);
		free(p);
	}
	sb_reset(&text);
	expand_experiments(ch, &text);
	char *p = join(outdir, "experiments");
	if (write_if_changed(p, text.buf, text.len) < 0)
		status = 1;
	free(p);
	sb_reset(&text);
	expand_claims(ch, &text);
	p = join(outdir, "claims");
	if (write_if_changed(p, text.buf, text.len) < 0)
		status = 1;
	free(p);
	p = join(outdir, ".files");
	sb_add(&manifest, "", 0);
	if (write_if_changed(p, manifest.buf, manifest.len) < 0)
		status = 1;
	free(p);
	sb_release(&text);
	sb_release(&manifest);
	chapter_free(ch);
	return status;
}
