/*
 * svg.h: a ladder diagram (diagram.h) drawn as one SVG 1.1 document.
 *
 * The picture: a column per lifeline under a head with its name and
 * endpoints; a left margin with the time of each packet; rows top to
 * bottom in time order; a break across every lifeline, labelled with the
 * time that passed ("+1.00 s"), wherever more than GAP_MIN seconds pass
 * between two rows. All text is monospace, so its width is known here.
 *
 * For a renderer that splits a tall diagram across pages
 * (code/pdf/pdfbook.py), the document says where it may be cut: the head is
 * <g id="head"> (opaque, so it can be drawn again over the top of a slice)
 * and <metadata id="ladder-rows"> holds JSON:
 *   {"width": W, "height": H, "head": HEAD_HEIGHT, "rows": [[TOP, BOTTOM], ...]}
 * where row i is the element <g id="rI">; a cut between two rows leaves
 * every row whole.
 */
#ifndef SVG_H
#define SVG_H

#include "diagram.h"
#include "util.h"

/* Appends the SVG document of d to out. */
void svg_render(const struct diagram *d, struct sb *out);

#endif
