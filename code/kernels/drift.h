/*
 * drift.h: what changed between kernels, grouped by cause (the analysis
 * behind `make matrix`; code/kernels/drift.c is the program, drift-main.c
 * its command line).
 *
 * Input: for each kernel a label and a run directory laid out as
 * build/run/ (STEM/EXP/observations.txt, STEM/EXP/meta, STEM/build-info)
 * and optionally RUN/sysctls ("NAME VALUE" lines, the kernel's sysctls as
 * a fresh network namespace sees them).
 *
 * Output (drift_write): a record file, one record a line, fields split by
 * '\t', read by weave's kernels page (tangle/weave/render-kernels.c):
 *
 *   kernels  LABEL...                      (space-separated, in order)
 *   item     ID PARENT CLASS WHAT COUNT     one difference; PARENT 0 for a
 *                                          cause shown on its own, else the
 *                                          item that explains it; CLASS is
 *                                          "semantic", "setting" or "value";
 *                                          WHAT its title; COUNT how many
 *                                          experiments show it
 *   side     ID KERNELS VALUE              one side of it: the kernels
 *                                          (comma+space separated) and
 *                                          what they show
 *   note     ID TEXT                       the known cause, or why it is
 *                                          attached to its parent
 *   exp      ID STEM/EXP                   an experiment that shows it
 *   line     ID KERNELS SECTION TEXT        a differing line (semantic)
 *   same     STEM/EXP                      identical on every kernel
 *   absent   STEM/EXP LABEL WHY             no observations on that kernel
 *
 * Items come semantic first (packet flags and order, sequence arithmetic,
 * call results, how programs end, socket states), then settings, then
 * values; a child right after its parent (depth first).
 *
 * drift_text writes the same as plain text for a terminal and the tests.
 * All memory is owned by struct drift and freed by drift_free.
 */
#ifndef KERNELS_DRIFT_H
#define KERNELS_DRIFT_H

#include <stdio.h>

#define DRIFT_MAXK 16

struct drift;

/* A new analysis of kernels labels[0..n-1] with runs in runs[i]; NULL
 * and a message on stderr when n is out of range. */
struct drift *drift_new(int n, char **labels, char **runs);
/* Compares every experiment found in any run. */
void drift_analyse(struct drift *d);
void drift_write(const struct drift *d, FILE *f);
void drift_text(const struct drift *d, FILE *f);
/* How many items have PARENT 0 (causes shown on their own). */
int drift_roots(const struct drift *d);
void drift_free(struct drift *d);

#endif
