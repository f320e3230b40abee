/*
 * drift-main.c: the drift program (code/kernels/drift.h): what changed
 * between kernels, by cause.
 *
 *   drift [-o RECORDS] [-t TEXT] LABEL=RUNDIR...
 *
 * Writes the record file (for weave's kernels page) and the plain text,
 * each only when its content changed; "-" is standard output. Exit status
 * 0, 1 when a file cannot be written, 2 on a usage error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drift.h"
#include "util.h"



static int emit(const char *path, const struct drift *d, void (*fn)(const struct drift *, FILE *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f) {
		perror("drift: open_memstream");
		return 1;
	}
	fn(d, f);
	fclose(f);
	int rc = 0;
	if (!strcmp(path, "-"))
		fwrite(buf, 1, len, stdout);
	else if (write_if_changed(path, buf, len) < 0)
		rc = 1;
	free(buf);
	return rc;
}

int main(int argc, char **argv)
{
	progname = "drift";
	const char *rec = NULL, *txt = NULL;
	int opt;
	while ((opt = getopt(argc, argv, "o:t:")) != -1) {
		if (opt == 'o')
			rec = optarg;
		else if (opt == 't')
			txt = optarg;
		else
			goto usage;
	}
	int n = argc - optind;
	if (n < 1 || n > DRIFT_MAXK)
		goto usage;
	char *labels[DRIFT_MAXK], *runs[DRIFT_MAXK];
	for (int i = 0; i < n; i++) {
		char *a = argv[optind + i], *eq = strchr(a, '=');
		if (!eq || eq == a || !eq[1])
			goto usage;
		*eq = '\0';
		labels[i] = a;
		runs[i] = eq + 1;
	}
	struct drift *d = drift_new(n, labels, runs);
	if (!d)
		return 2;
	drift_analyse(d);
	int rc = 0;
	if (rec)
		rc |= emit(rec, d, drift_write);
	if (txt || !rec)
		rc |= emit(txt ? txt : "-", d, drift_text);
	drift_free(d);
	return rc;
usage:
	fprintf(stderr, "usage: drift [-o RECORDS] [-t TEXT] LABEL=RUNDIR... (1 to %d kernels)\n", DRIFT_MAXK);
	return 2;
}
