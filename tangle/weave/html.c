/* html.c: HTML escaping, anchor ids and relative links for weave. */
#include "html.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0 when the
 * byte at s does not start one: overlong forms, surrogates and code points
 * past U+10FFFF are invalid (RFC 3629, section 4). */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t len;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

void html_escape(struct sb *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t run = 0;

	for (size_t i = 0; i < n;) {
		const char *rep;
		char buf[8];
		size_t len = 1;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		case '\0': rep = "\\0"; break;
		case '\a': rep = "\\a"; break;
		case '\b': rep = "\\b"; break;
		case '\f': rep = "\\f"; break;
		case '\r': rep = "\\r"; break;
		case '\v': rep = "\\v"; break;
		case 0x1b: rep = "\\e"; break;
		default:
			len = utf8_len(u + i, n - i);
			if (len == 2 && u[i] == 0xc2 && u[i + 1] < 0xa0) {
				/* a C1 control, U+0080 to U+009F */
				snprintf(buf, sizeof buf, "\\u%04x", u[i + 1]);
				rep = buf;
			} else if (len == 0 || (u[i] < 0x20 && u[i] != '\n' && u[i] != '\t') ||
				   u[i] == 0x7f) {
				/* another control byte, or one not UTF-8 */
				buf[0] = '\\';
				buf[1] = 'x';
				buf[2] = hex[u[i] >> 4];
				buf[3] = hex[u[i] & 15];
				buf[4] = '\0';
				rep = buf;
				len = 1;
			} else {
				i += len;
				continue;
			}
		}
		sb_add(out, s + run, i - run);
		sb_adds(out, rep);
		i += len;
		run = i;
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
