/* render-provenance.c: provenance: where and with what a page was built (see render.h). */
#include "render-parts.h"

/* ---- provenance ------------------------------------------------------- */

void prov_add(struct provenance *p, const char *k, size_t kn,
		     const char *v, size_t vn)
{
	size_t cap = p->cap;
	grow(&p->keys, &cap, p->n + 1, sizeof *p->keys);
	grow(&p->vals, &p->cap, p->n + 1, sizeof *p->vals);
	p->keys[p->n] = xstrndup(k, kn);
	p->vals[p->n++] = xstrndup(v, vn);
}

int provenance_read(const char *path, struct provenance *p)
{
	struct sb s = SB_INIT;
	if (read_file(path, &s) < 0)
		return -1;
	for (char *l = s.buf, *nl; l && *l; l = nl) {
		nl = strchr(l, '\n');
		size_t n = nl ? (size_t)(nl - l) : strlen(l);
		if (nl)
			nl++;
		while (n && (l[n - 1] == '\r' || l[n - 1] == ' '))
			n--;
		size_t k = strcspn(l, " \t\n");
		if (k == 0 || k > n)
			continue;
		size_t v = k;
		while (v < n && (l[v] == ' ' || l[v] == '\t'))
			v++;
		prov_add(p, l, k, l + v, n - v);
	}
	sb_release(&s);
	return 0;
}

void provenance_here(struct provenance *p)
{
	struct utsname u;
	char date[64];
	time_t t = time(NULL);
	struct tm tm;

	if (uname(&u) == 0)
		prov_add(p, "kernel", 6, u.release, strlen(u.release));
	gmtime_r(&t, &tm);
	size_t n = strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", &tm);
	prov_add(p, "date", 4, date, n);
}

const char *provenance_get(const struct provenance *p, const char *key)
{
	for (size_t i = 0; i < p->n; i++)
		if (!strcmp(p->keys[i], key))
			return p->vals[i];
	return NULL;
}

void provenance_release(struct provenance *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->keys[i]);
		free(p->vals[i]);
	}
	free(p->keys);
	free(p->vals);
	*p = (struct provenance)PROVENANCE_INIT;
}

/* "gcc 12.2.0" from "cc (Debian 12.2.0-14+deb12u1) 12.2.0"; "libpcap 1.10.3"
 * from "libpcap version 1.10.3 (with TPACKET_V3)": the compact forms of the
 * line at the top. Appends the value unchanged when it has another shape. */
void short_version(struct sb *out, const char *key, const char *v)
{
	if (!strcmp(key, "compiler") && (!strncmp(v, "cc ", 3) || !strncmp(v, "gcc ", 4))) {
		const char *last = strrchr(v, ' ');
		sb_adds(out, "gcc");
		html_escapes(out, last);
	} else if (!strcmp(key, "libpcap") && !strncmp(v, "libpcap version ", 16)) {
		size_t n = strcspn(v + 16, " ");
		sb_adds(out, "libpcap ");
		html_escape(out, v + 16, n);
	} else {
		html_escapes(out, v);
	}
}

void built_line(struct sb *out, const struct provenance *p)
{
	static const char *const extra[] = { "distribution", "compiler", "libpcap" };
	const char *k = provenance_get(p, "kernel"), *d = provenance_get(p, "date");
	sb_adds(out, "<p class=\"built\">Built on Linux ");
	html_escapes(out, k ? k : "(unknown kernel)");
	sb_adds(out, " on ");
	html_escapes(out, d ? d : "(unknown date)");
	for (size_t i = 0; i < sizeof extra / sizeof *extra; i++) {
		const char *v = provenance_get(p, extra[i]);
		if (!v)
			continue;
		sb_adds(out, " \xc2\xb7 ");
		short_version(out, extra[i], v);
	}
	sb_adds(out, "</p>\n");
}

void provenance_table(struct sb *out, const struct provenance *p)
{
	int sysctls = 0;
	if (!p->n)
		return;
	sb_adds(out, "<table class=\"provenance\">\n<caption>How this page was built</caption>\n");
	for (size_t i = 0; i < p->n; i++) {
		if (!strcmp(p->keys[i], "sysctl")) {
			sysctls++;
			continue;
		}
		if (!strcmp(p->keys[i], "experiment-sysctl")) {
			/* "EXPERIMENT NAME VALUE": set by that experiment only */
			const char *v = p->vals[i];
			size_t en = strcspn(v, " "), nn;
			const char *name = v + en + (v[en] ? 1 : 0);
			nn = strcspn(name, " ");
			sb_adds(out, "<tr><th>sysctl set by experiment <code>");
			html_escape(out, v, en);
			sb_adds(out, "</code></th><td><code>");
			html_escape(out, name, nn);
			sb_adds(out, "</code> = <code>");
			html_escapes(out, name[nn] ? name + nn + 1 : "");
			sb_adds(out, "</code></td></tr>\n");
			continue;
		}
		sb_adds(out, "<tr><th>");
		html_escapes(out, p->keys[i]);
		sb_adds(out, "</th><td>");
		html_escapes(out, p->vals[i]);
		sb_adds(out, "</td></tr>\n");
	}
	if (sysctls) {
		sb_addf(out, "<tr><th rowspan=\"%d\">sysctl</th>", sysctls);
		for (size_t i = 0, k = 0; i < p->n; i++) {
			if (strcmp(p->keys[i], "sysctl"))
				continue;
			const char *v = p->vals[i];
			size_t nl = strcspn(v, " \t");
			const char *val = v + nl;
			while (*val == ' ' || *val == '\t')
				val++;
			sb_adds(out, k++ ? "<tr><td>" : "<td>");
			sb_adds(out, "<code>");
			html_escape(out, v, nl);
			sb_adds(out, "</code> = <code>");
			html_escapes(out, val);
			sb_adds(out, "</code></td></tr>\n");
		}
	}
	sb_adds(out, "</table>\n");
}

void footer(struct sb *out, const struct provenance *p)
{
	sb_adds(out, "<footer>\n");
	built_line(out, p);
	provenance_table(out, p);
	sb_adds(out, "</footer>\n");
}

void page_start(struct sb *out, const char *title, const char *bodyclass)
{
	sb_adds(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		"<title>");
	html_escapes(out, title);
	sb_addf(out, "</title>\n<style>\n%s</style>\n</head>\n<body class=\"%s\">\n",
		book_css, bodyclass);
}
