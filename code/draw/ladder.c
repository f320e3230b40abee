/*
 * ladder.c: an experiment's ladder diagram, drawn from its timeline.
 *
 * usage: ladder [-t] [-o OUT] TIMELINE.txt
 *        ladder -d RUNDIR...
 *
 * Reads the timeline the harness wrote (or a guest's run of the same
 * experiment: the file is the same) and writes the diagram as SVG to OUT,
 * only when it changed, or to standard output. With -t it writes the
 * diagram's model as text instead (diagram.h, diagram_text): the lifelines,
 * which program sent each packet, the rows; the tests compare that.
 * Warnings (a guess between two programs) go to standard error.
 *
 * With -d, each RUNDIR is a run directory: an experiment's (it holds
 * timeline.txt) or a chapter's (its subdirectories do, as in build/run/STEM/
 * or a guest's copy of it); every timeline.txt found is drawn to ladder.svg
 * beside it (none is not an error: a chapter may have no experiment). The
 * exit status is 1 if any of them failed, or a RUNDIR is not a directory.
 *
 * Exit status: 0 when the diagram was written, 1 when the timeline could not
 * be read or is malformed (a message file:line:col: error: ..., and no OUT
 * written), 2 on a usage error.
 *
 * Why not mscgen, which drew these diagrams before (Debian's mscgen, an
 * mscgen chart from this program): mscgen places every message one row below
 * the last, by order alone, and has no way to place by time or to draw an
 * axis with breaks; only a comment arc ("... [label=]") could carry a gap
 * label. A reader must see that a SYN was sent again a second later, and that
 * a keepalive came after two, when everything else took microseconds. Its SVG
 * also drew a label's white background over its own arrow whenever the label
 * was wider than the span (the SYN-ACK of chapter 1 lost its line), sized text
 * by Helvetica metrics the page may not have, and says nowhere where a tall
 * chart could be cut between rows for the PDF (code/pdf/pdfbook.py). Drawing
 * the SVG here (svg.c) fixes the layout: monospace text of known width, rows
 * placed by their content, time breaks, cut points.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diagram.h"
#include "svg.h"
#include "util.h"

static int usage(void)
{
	fprintf(stderr, "usage: ladder [-t] [-o OUT.svg] TIMELINE.txt\n"
			"       ladder -d RUNDIR...\n");
	return 2;
}

/* Draws path (a timeline) to outpath, or to standard output when NULL, as
 * SVG or (text) as the model. Returns 0 or 1 (said on stderr). */
static int draw(const char *path, const char *outpath, int text)
{
	struct sb in = SB_INIT, out = SB_INIT;
	struct diagram d;
	char err[512];
	int rc = 0;

	if (read_file(path, &in) < 0) {
		fprintf(stderr, "%s: cannot read '%s': %s\n", progname, path, strerror(errno));
		return 1;
	}
	memset(&d, 0, sizeof d);
	if (diagram_read(&d, path, in.buf ? in.buf : "", in.len, err, sizeof err) < 0) {
		fprintf(stderr, "%s\n", err);
		diagram_release(&d);
		sb_release(&in);
		return 1;
	}
	for (size_t i = 0; i < d.nwarnings && !text; i++)
		fprintf(stderr, "%s\n", d.warnings[i]);
	if (text) {
		char *s = diagram_text(&d);
		sb_adds(&out, s);
		free(s);
	} else {
		svg_render(&d, &out);
	}
	if (outpath) {
		if (write_if_changed(outpath, out.buf, out.len) < 0)
			rc = 1;
	} else if (fwrite(out.buf, 1, out.len, stdout) != out.len || fflush(stdout) != 0) {
		fprintf(stderr, "%s: cannot write the diagram: %s\n", progname, strerror(errno));
		rc = 1;
	}
	diagram_release(&d);
	sb_release(&in);
	sb_release(&out);
	return rc;
}

/* -d: dir/timeline.txt, or every dir/SUB/timeline.txt, drawn beside it. */
static int draw_dir(const char *dir)
{
	struct dirent **names;
	struct sb t = SB_INIT, o = SB_INIT;
	int n, rc = 0;

	sb_addf(&t, "%s/timeline.txt", dir);
	if (access(t.buf, F_OK) == 0) {
		sb_addf(&o, "%s/ladder.svg", dir);
		rc = draw(t.buf, o.buf, 0);
		sb_release(&t);
		sb_release(&o);
		return rc;
	}
	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0) {
		fprintf(stderr, "%s: cannot read the directory '%s': %s\n", progname, dir, strerror(errno));
		sb_release(&t);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.') {
			sb_reset(&t);
			sb_addf(&t, "%s/%s/timeline.txt", dir, names[i]->d_name);
			if (access(t.buf, F_OK) == 0) {
				sb_reset(&o);
				sb_addf(&o, "%s/%s/ladder.svg", dir, names[i]->d_name);
				rc |= draw(t.buf, o.buf, 0);
			}
		}
		free(names[i]);
	}
	free(names);
	sb_release(&t);
	sb_release(&o);
	return rc;
}

int main(int argc, char **argv)
{
	const char *outpath = NULL;
	int text = 0, dirs = 0, c, rc = 0;

	progname = "ladder";
	while ((c = getopt(argc, argv, "to:d")) != -1) {
		if (c == 't')
			text = 1;
		else if (c == 'o')
			outpath = optarg;
		else if (c == 'd')
			dirs = 1;
		else
			return usage();
	}
	if (dirs) {
		if (text || outpath || optind == argc)
			return usage();
		for (int i = optind; i < argc; i++)
			rc |= draw_dir(argv[i]);
		return rc;
	}
	if (optind != argc - 1)
		return usage();
	return draw(argv[optind], outpath, text);
}
