/*
 * explimits.h: the limits of an experiment, shared by the one that checks
 * them and the one that relies on them. tangle (tangle/model/chapter.c)
 * reports a chapter over any of them as an error at the line; the harness
 * (code/run/experiments.c) sizes its buffers from them and refuses an
 * experiments file over them (tangle wrote it, so that would be a bug),
 * never cutting anything short.
 */
#ifndef EXPLIMITS_H
#define EXPLIMITS_H

#define EXP_MAX_NAME      127	/* bytes of an experiment's name */
#define EXP_MAX_ROLE_NAME  63	/* bytes of a role's name */
#define EXP_MAX_ROLES       8	/* roles of one experiment */
#define EXP_MAX_ARGS       15	/* arguments of one role, after its program */
#define EXP_MAX_CAPTURE  1023	/* bytes of a capture filter */
#define EXP_MAX_LINE     2047	/* bytes of a line of the experiments file */
#define EXP_MAX_FILE_NAME 255	/* bytes of a file= name */

#endif
