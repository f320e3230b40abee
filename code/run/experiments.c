/* experiments.c: reads the experiments file tangle writes. */
#include "run.h"

/* --- the experiments file ------------------------------------------------ */

/* Reads tangle's experiments file; returns the count, dies on a bad file
 * (tangle wrote it, so a bad one is a bug, not an author's mistake). tangle
 * checks every limit of explimits.h at the chapter's line; here a value
 * over one is refused, never cut short. */
int read_experiments(const char *path, const char *progdir,
			    struct experiment **out)
{
	FILE *f = fopen(path, "r");
	char line[EXP_MAX_LINE + 2];
	struct experiment *xs = NULL, *x = NULL;
	int n = 0, lineno = 0;

	if (!f)
		die("cannot open '%s': %s", path, strerror(errno));
	while (fgets(line, sizeof line, f)) {
		char *s, *arg;
		lineno++;
		if (!strchr(line, '\n') && !feof(f))
			die("%s:%d: line longer than %d bytes", path, lineno, EXP_MAX_LINE);
		s = strtrim(line);
		if (!*s)
			continue;
		arg = strchr(s, ' ');
		if (arg)
			*arg++ = '\0';
		else
			arg = s + strlen(s);
		if (!strcmp(s, "experiment")) {
			xs = xrealloc(xs, sizeof *xs * (size_t)(n + 1));
			x = &xs[n++];
			memset(x, 0, sizeof *x);
			if (strlen(arg) > EXP_MAX_NAME)
				die("%s:%d: experiment name longer than %d bytes", path, lineno, EXP_MAX_NAME);
			snprintf(x->name, sizeof x->name, "%s", arg);
			x->timeout = 5;
		} else if (!x) {
			die("%s:%d: '%s' outside an experiment", path, lineno, s);
		} else if (!strcmp(s, "line")) {
			x->line = atoi(arg);
		} else if (!strcmp(s, "capture")) {
			if (strlen(arg) > EXP_MAX_CAPTURE)
				die("%s:%d: capture filter longer than %d bytes", path, lineno, EXP_MAX_CAPTURE);
			snprintf(x->capture, sizeof x->capture, "%s", arg);
		} else if (!strcmp(s, "timeout")) {
			x->timeout = atoi(arg);
			if (x->timeout < 1 || x->timeout > MAX_TIMEOUT)
				die("%s:%d: timeout '%s' out of range 1..%d", path, lineno, arg, MAX_TIMEOUT);
		} else if (!strcmp(s, "role")) {
			struct role *ro;
			char *tok, *save = NULL, prog[PATH_MAX];
			int k = 0;
			if (x->nroles == MAX_ROLES)
				die("%s:%d: more than %d roles", path, lineno, MAX_ROLES);
			ro = &x->roles[x->nroles++];
			memset(ro, 0, sizeof *ro);
			for (tok = strtok_r(arg, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
				if (k == 0) {
					if (strlen(tok) > EXP_MAX_ROLE_NAME)
						die("%s:%d: role name longer than %d bytes", path, lineno,
						    EXP_MAX_ROLE_NAME);
					snprintf(ro->name, sizeof ro->name, "%s", tok);
				} else if (k == 1) {
					size_t len = strlen(tok);
					if (len > 2 && !strcmp(tok + len - 2, ".c"))
						len -= 2;
					snprintf(prog, sizeof prog, "%s/%.*s", progdir, (int)len, tok);
					ro->argv[0] = xstrdup(prog);
				} else if (k - 1 < MAX_ARGS) {
					ro->argv[k - 1] = xstrdup(tok);
				} else {
					die("%s:%d: more than %d arguments", path, lineno, EXP_MAX_ARGS);
				}
				k++;
			}
			if (k < 2)
				die("%s:%d: role needs a name and a program", path, lineno);
		} else if (!strcmp(s, "wire")) {
			/* "wire LINE KEY VALUE" (wirespec.h) */
			char *key, *val, err[256];
			int col;
			strtol(arg, &key, 10);
			key += strspn(key, " ");
			val = key + strcspn(key, " ");
			if (*val)
				*val++ = '\0';
			x->wire = xrealloc(x->wire, sizeof *x->wire * (size_t)(x->nwire + 1));
			if (wirespec_parse(key, val, &x->wire[x->nwire], err, sizeof err, &col) < 0)
				die("%s:%d: bad wire line: %s", path, lineno, err);
			x->nwire++;
		} else if (!strcmp(s, "deterministic")) {
			/* for the N-run checks (harness -l): runs may differ */
			x->racy = !strcmp(arg, "no");
		} else if (!strcmp(s, "end")) {
			x = NULL;
		} else {
			die("%s:%d: unknown line '%s'", path, lineno, s);
		}
	}
	fclose(f);
	*out = xs;
	return n;
}

void free_experiments(struct experiment *xs, int n)
{
	for (int i = 0; i < n; i++) {
		for (int w = 0; w < xs[i].nwire; w++)
			wirespec_free(&xs[i].wire[w]);
		free(xs[i].wire);
	}
	for (int i = 0; i < n; i++)
		for (int k = 0; k < xs[i].nroles; k++)
			for (int a = 0; xs[i].roles[k].argv[a]; a++)
				free(xs[i].roles[k].argv[a]);
	free(xs);
}
