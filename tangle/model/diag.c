/* diag.c: collecting, sorting and printing compiler-style diagnostics. */
#include "diag.h"
#include "util.h"

#include <stdarg.h>
#include <stdlib.h>

void diag_add(struct diags *d, enum severity sev, int line, int col,
	      const char *fmt, ...)
{
	struct sb msg = SB_INIT;
	va_list ap;

	va_start(ap, fmt);
	sb_vaddf(&msg, fmt, ap);
	va_end(ap);
	grow(&d->v, &d->cap, d->n + 1, sizeof *d->v);
	d->v[d->n] = (struct diag){ sev, line, col, (int)d->n, sb_detach(&msg) };
	d->n++;
	if (sev == DIAG_ERROR)
		d->errors++;
	else
		d->warnings++;
}

static int cmp(const void *a, const void *b)
{
	const struct diag *x = a, *y = b;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

void diags_sort(struct diags *d)
{
	if (d->n)
		qsort(d->v, d->n, sizeof *d->v, cmp);
}

char *diag_format(const struct diag *dg, const char *path)
{
	struct sb s = SB_INIT;
	const char *sev = dg->sev == DIAG_ERROR ? "error" : "warning";

	if (dg->col > 0)
		sb_addf(&s, "%s:%d:%d: %s: %s", path, dg->line, dg->col, sev, dg->msg);
	else
		sb_addf(&s, "%s:%d: %s: %s", path, dg->line, sev, dg->msg);
	return sb_detach(&s);
}

void diags_print(struct diags *d, const char *path, FILE *f)
{
	diags_sort(d);
	for (size_t i = 0; i < d->n; i++) {
		char *s = diag_format(&d->v[i], path);
		fprintf(f, "%s\n", s);
		free(s);
	}
}

void diags_release(struct diags *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->v[i].msg);
	free(d->v);
	*d = (struct diags)DIAGS_INIT;
}
