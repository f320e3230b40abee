/*
 * render-kernels.h: the book on other kernels, in weave (render-kernels.c).
 *
 * A matrix run (`make matrix`, code/kernels/) leaves in KDIR
 * (build/kernels):
 *
 *   matrix          "kernels\tLABEL...", "date\tTEXT", and one line
 *                   "chapter\tSTEM\tCRC SIZE" per chapter (POSIX cksum of
 *                   chapters/STEM.md as the matrix ran it)
 *   drift           the differences by cause (code/kernels/drift.h)
 *   LABEL/summary   how each kernel ran ("kernel", "accel", "package",
 *                   "boot", "seconds", "status", "error", "guest", "config")
 *   LABEL/run/STEM/claims.txt, LABEL/run/features
 *
 * Everything read is escaped; a file that is missing leaves its part of
 * the page saying so. Nothing here allocates what the caller frees.
 */
#ifndef TANGLE_RENDER_KERNELS_H
#define TANGLE_RENDER_KERNELS_H

#include "chapter.h"
#include "render.h"
#include "util.h"

/* Appends the page "What changed between kernels" (build/html/kernels.html)
 * for the matrix in kdir; outdir is the page's directory (for the ladder
 * diagrams copied under OUTDIR/kernels/). Returns 0, or -1 with a message
 * on stderr when kdir holds no matrix (nothing appended). */
int render_kernels(const char *kdir, const char *outdir, struct sb *out);

/* Appends, on chapter ch's page, its claims' results on each kernel of the
 * matrix in o->kernels, linked to the experiments' differences on
 * kernels.html; or a note that the matrix ran an earlier version of the
 * chapter. Nothing when o->kernels is NULL or holds no matrix. */
void kernel_claims(struct sb *out, const struct chapter *ch, const struct weave_opts *o);

struct outset;
/* For weave --site: 0 when kdir holds no matrix; else publishes each
 * kernel's run under HTML/kernels/LABEL/ (the ladder diagrams the page
 * links, so that the site stays self-contained), appends the kernels page
 * to page and returns 1; -1 when a run cannot be published. */
int kernels_site(const char *kdir, const char *html, struct outset *made, struct sb *page);

/* The POSIX cksum of n bytes ("CRC SIZE" as cksum(1) prints it). */
void posix_cksum(struct sb *out, const char *s, size_t n);

#endif
