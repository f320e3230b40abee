/* html.c: HTML escaping, anchor ids and relative links for weave. */
#include "html.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void html_escape(struct sb *out, const char *s, size_t n)
{
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		const char *rep;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		case '\0': rep = "\xef\xbf\xbd"; break;
		default: continue;
		}
		sb_add(out, s + run, i - run);
		sb_adds(out, rep);
		run = i + 1;
	}
	sb_add(out, s + run, n - run);
}

void html_escapes(struct sb *out, const char *s)
{
	html_escape(out, s, strlen(s));
}

void html_anchor(struct sb *out, const char *prefix, const char *name,
		 size_t n, int nth)
{
	static const char hex[] = "0123456789ABCDEF";
	sb_adds(out, prefix);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-') {
			sb_addc(out, (char)c);
		} else {
			sb_addc(out, '_');
			sb_addc(out, hex[c >> 4]);
			sb_addc(out, hex[c & 15]);
		}
	}
	if (nth > 1)
		sb_addf(out, "-%d", nth);
}

void html_url_path(struct sb *out, const char *p)
{
	static const char hex[] = "0123456789ABCDEF";
	for (; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-._~/", c)) {
			sb_addc(out, (char)c);
		} else {
			sb_addc(out, '%');
			sb_addc(out, hex[c >> 4]);
			sb_addc(out, hex[c & 15]);
		}
	}
}

/* Splits an absolute-or-relative path into normalised components of an
 * absolute path (".." applied lexically). Components point into *buf. */
static size_t components(const char *path, const char *cwd, char **buf,
			 char ***comp)
{
	struct sb s = SB_INIT;
	size_t n = 0, cap = 0;

	if (path[0] != '/')
		sb_addf(&s, "%s/", cwd);
	sb_adds(&s, path);
	*buf = sb_detach(&s);
	*comp = NULL;
	for (char *save = NULL, *t = strtok_r(*buf, "/", &save); t;
	     t = strtok_r(NULL, "/", &save)) {
		if (!strcmp(t, "."))
			continue;
		if (!strcmp(t, "..")) {
			if (n)
				n--;
			continue;
		}
		grow(comp, &cap, n + 1, sizeof **comp);
		(*comp)[n++] = t;
	}
	return n;
}

char *html_relative_path(const char *fromdir, const char *target)
{
	char *cwd = getcwd(NULL, 0);
	char *fb, *tb, **fc, **tc;
	struct sb out = SB_INIT;

	if (!cwd)
		return NULL;
	size_t nf = components(fromdir, cwd, &fb, &fc);
	size_t nt = components(target, cwd, &tb, &tc);
	size_t k = 0;
	while (k < nf && k + 1 < nt && !strcmp(fc[k], tc[k]))
		k++;
	for (size_t i = k; i < nf; i++)
		sb_adds(&out, "../");
	for (size_t i = k; i < nt; i++)
		sb_addf(&out, "%s%s", tc[i], i + 1 < nt ? "/" : "");
	if (!out.len)
		sb_adds(&out, ".");
	free(cwd);
	free(fb);
	free(tb);
	free(fc);
	free(tc);
	return sb_detach(&out);
}
