/*
 * ladder.c: an experiment's ladder diagram, drawn from its timeline.
 *
 * usage: ladder [-t] [-o OUT] TIMELINE.txt
 *
 * Reads the timeline the harness wrote (or a guest's run of the same
 * experiment: the file is the same) and writes the diagram as SVG to OUT,
 * only when it changed, or to standard output. With -t it writes the
 * diagram's model as text instead (diagram.h, diagram_text): the lifelines,
 * which program sent each packet, the rows; the tests compare that.
 * Warnings (a guess between two programs) go to standard error.
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
	fprintf(stderr, "usage: ladder [-t] [-o OUT.svg] TIMELINE.txt\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *outpath = NULL, *path;
	struct sb in = SB_INIT, out = SB_INIT;
	struct diagram d;
	char err[512];
	int text = 0, c, rc = 0;

	progname = "ladder";
	while ((c = getopt(argc, argv, "to:")) != -1) {
		if (c == 't')
			text = 1;
		else if (c == 'o')
			outpath = optarg;
		else
			return usage();
	}
	if (optind != argc - 1)
		return usage();
	path = argv[optind];
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
