/* svg.c: a ladder diagram drawn as SVG (see svg.h). */
#include "svg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Sizes in SVG user units (CSS px). Monospace at FONT px is CW px a
 * character wide (0.6 em: DejaVu Sans Mono, Menlo, Courier). */
#define FONT 12.0
#define CW 7.2
#define LINE 15.0
#define SMALL 10.5
#define GUTTER 64.0
#define MARGIN 10.0
#define BOX_PAD 7.0
#define MAX_CH 34		/* widest box or label line, in characters */
#define MIN_PITCH 150.0

#define C_TEXT "#1d1d1b"
#define C_LINE "#9aa0a6"
#define C_PKT "#27466b"
#define C_RED "#b42318"
#define C_GREY "#7a7a74"
#define C_BLUE "#3d6fb0"
#define C_INJ "#a05a00"

/* Colours for connections that need telling apart (diagram.h, tag). */
static const char *const conn_colour[] = { "#27466b", "#2f6f3a", "#7b3f98", "#8a5a00", "#1f6f78", "#6b4a2e" };

/* Everything the drawing needs: no globals. */
struct layout {
	const struct diagram *d;
	struct sb *out;
	double pitch, width, head, y;
	double *top, *bottom;	/* per row */
};

/* ---- text ---------------------------------------------------------------------- */

/* Characters (UTF-8 code points) in s[0..n). */
static size_t chars(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xc0) != 0x80;
	return c;
}

/* The length of a valid UTF-8 sequence at s (of at most n bytes), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t k;
	unsigned cp;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		k = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		k = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		k = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (k > n)
		return 0;
	for (size_t i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((k == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (k == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	if (cp == 0xfffe || cp == 0xffff)
		return 0;
	return k;
}

/* Text for XML: markup characters escaped; bytes XML 1.0 cannot hold
 * (control characters, broken UTF-8) shown as U+FFFD. */
static void esc(struct sb *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		size_t k;
		if (c == '&')
			sb_adds(out, "&amp;");
		else if (c == '<')
			sb_adds(out, "&lt;");
		else if (c == '>')
			sb_adds(out, "&gt;");
		else if (c == '"')
			sb_adds(out, "&quot;");
		else if (c < 0x20 && c != '\t')
			sb_adds(out, "\xef\xbf\xbd");
		else if ((k = utf8_len((const unsigned char *)s + i, n - i)) == 0)
			sb_adds(out, "\xef\xbf\xbd");
		else {
			sb_add(out, s + i, k);
			i += k;
			continue;
		}
		i++;
	}
}

/* Splits s into lines of at most max characters; returns the number of
 * lines; starts[i], lens[i] say where each is (at most nmax lines, the
 * last one holding the rest). A line breaks after ", " where it can (a
 * call's arguments stay whole), else after a blank, else anywhere. */
static int wrap_greedy(const char *s, size_t max, const char **starts, size_t *lens, int nmax)
{
	int n = 0;
	size_t len = strlen(s);

	while (len && n < nmax) {
		size_t take = 0, c = 0, comma = 0, blank = 0;
		if (n == nmax - 1 || chars(s, len) <= max) {
			starts[n] = s;
			lens[n++] = len;
			break;
		}
		while (take < len && c < max) {
			take++;
			while (take < len && ((unsigned char)s[take] & 0xc0) == 0x80)
				take++;
			c++;
			if (s[take - 1] == ' ' && take >= 2 && s[take - 2] == ',')
				comma = take;
			else if (s[take - 1] == ' ')
				blank = take;
		}
		if (take < len && s[take] == ' ')
			;			/* the line ends just before a blank */
		else if (comma > max / 4)
			take = comma;
		else if (blank > max / 3)
			take = blank;
		starts[n] = s;
		lens[n] = take;
		while (lens[n] && s[lens[n] - 1] == ' ')
			lens[n]--;
		n++;
		s += take;
		len -= take;
		while (len && *s == ' ')
			s++, len--;
	}
	if (n == 0) {
		starts[0] = s;
		lens[0] = 0;
		n = 1;
	}
	return n;
}

/* The same with lines of even length: the narrowest width that needs no
 * more lines than max does, so that no word is left alone on the last. */
static int wrap(const char *s, size_t max, const char **starts, size_t *lens, int nmax)
{
	int n = wrap_greedy(s, max, starts, lens, nmax);
	size_t total = chars(s, strlen(s));

	if (n > 1 && n < nmax)
		for (size_t w = total / (size_t)n + 1; w < max; w++)
			if (wrap_greedy(s, w, starts, lens, nmax) <= n)
				return wrap_greedy(s, w, starts, lens, nmax);
	return wrap_greedy(s, max, starts, lens, nmax);
}

#define MAX_WRAP 8

static double xof(const struct layout *L, int l)
{
	return GUTTER + L->pitch / 2 + l * L->pitch;
}

/* Characters that fit in a box on one lifeline. */
static size_t box_chars(const struct layout *L)
{
	return (size_t)((L->pitch - 14 - 2 * BOX_PAD) / CW);
}

/* Characters that fit over an arrow between lifelines a and b. */
static size_t span_chars(const struct layout *L, int a, int b)
{
	int k = a > b ? a - b : b - a;
	double w = (k ? k * L->pitch : L->pitch) - 16;
	size_t n = (size_t)(w / CW);
	return n < 8 ? 8 : n;
}

/* The label of a packet row as drawn: with its connection and its fate. */
static void packet_text(const struct diagram *d, const struct row *w, struct sb *sb)
{
	sb_reset(sb);
	if (w->flags & RF_DROPPED)
		sb_adds(sb, "dropped: ");
	if (w->flags & RF_INJECTED)
		sb_adds(sb, "injected: ");
	if (w->conn >= 0 && d->conns[w->conn].tag)
		sb_addf(sb, "%s ", d->conns[w->conn].tag);
	sb_adds(sb, w->text);
}

static void text_lines(struct sb *out, double x, double y, const char *anchor, const char *cls,
		       const char **starts, const size_t *lens, int n, double lh)
{
	for (int i = 0; i < n; i++) {
		sb_addf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" class=\"%s\">", x, y + i * lh, anchor, cls);
		esc(out, starts[i], lens[i]);
		sb_adds(out, "</text>\n");
	}
}

/* ---- measuring ------------------------------------------------------------------ */

static double row_height(const struct layout *L, const struct row *w)
{
	const char *st[MAX_WRAP];
	size_t ln[MAX_WRAP];
	struct sb sb = SB_INIT;
	int n = 1;

	switch (w->kind) {
	case ROW_PACKET:
		packet_text(L->d, w, &sb);
		n = wrap(sb.buf, span_chars(L, w->from, w->to), st, ln, MAX_WRAP);
		sb_release(&sb);
		return n * LINE + 12;
	case ROW_WIRE:
	case ROW_NOTE:
		n = wrap(w->text, (size_t)((L->width - GUTTER - 20) / CW), st, ln, MAX_WRAP);
		return n * LINE + 12;
	case ROW_CALL:
	case ROW_RESUME:
		if (w->flags & RF_WAIT) {
			n = wrap(w->text, box_chars(L), st, ln, MAX_WRAP);
			return n * 13.0 + 12;
		}
		/* fall through */
	case ROW_FATE:
		n = wrap(w->text, box_chars(L), st, ln, MAX_WRAP);
		return n * LINE + 2 * 4 + 6;
	case ROW_STEP:
		n = wrap(w->text, box_chars(L), st, ln, MAX_WRAP);
		return n * 13.0 + 12;
	case ROW_STATES: {
		int most = 1;
		for (int l = 0; l < L->d->nlife; l++) {
			int k = 0;
			if (!w->states[l])
				continue;
			for (const char *p = w->states[l]; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
				k++;
			most = k > most ? k : most;
		}
		return most * 13.0 + 10;
	}
	case ROW_GAP:
		return 30;
	}
	return LINE;
}

static double pitch_for(const struct diagram *d)
{
	size_t most = 8, max = d->nlife <= 2 ? MAX_CH : d->nlife == 3 ? MAX_CH - 4 : MAX_CH - 8;

	for (size_t i = 0; i < d->nrows; i++) {
		const struct row *w = &d->rows[i];
		size_t n = w->text ? chars(w->text, strlen(w->text)) : 0;
		if (w->kind == ROW_PACKET && (w->from - w->to == 1 || w->to - w->from == 1))
			n += 2;
		else if (w->kind == ROW_PACKET || w->kind == ROW_WIRE || w->kind == ROW_GAP || w->kind == ROW_STATES)
			continue;
		most = n > most ? n : most;
	}
	for (int l = 0; l < d->nlife; l++) {
		size_t n = chars(d->life[l].name, strlen(d->life[l].name)) + 2;
		for (size_t k = 0; k < d->life[l].nendpoints; k++) {
			size_t e = strlen(d->life[l].endpoints[k]);
			n = e > n ? e : n;
		}
		most = n > most ? n : most;
	}
	if (most > max)
		most = max;
	double p = most * CW + 2 * BOX_PAD + 16;
	return p < MIN_PITCH ? MIN_PITCH : p;
}

/* ---- drawing -------------------------------------------------------------------- */

static void draw_head(struct layout *L)
{
	const struct diagram *d = L->d;
	struct sb *out = L->out;

	/* opaque from a little above its top: drawn again over a slice
	 * (svg.h), it must hide every row above the slice's first */
	sb_addf(out, "<g id=\"head\">\n<rect x=\"0\" y=\"-4\" width=\"%.1f\" height=\"%.1f\" fill=\"#fff\"/>\n",
		L->width, L->head + 4);
	sb_addf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" class=\"t\">time (s)</text>\n",
		GUTTER - 8, L->head - 6);
	for (int l = 0; l < d->nlife; l++) {
		const struct lifeline *f = &d->life[l];
		double x = xof(L, l), w = L->pitch - 18, y = 20;
		size_t shown = f->nendpoints > 3 ? 3 : f->nendpoints;
		sb_addf(out, "<rect x=\"%.1f\" y=\"6\" width=\"%.1f\" height=\"%.1f\" rx=\"4\" class=\"%s\"/>\n",
			x - w / 2, w, L->head - 14, f->is_role ? "who" : "who none");
		sb_addf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" class=\"name\">", x, y + 4);
		esc(out, f->is_role ? f->name : "no program", strlen(f->is_role ? f->name : "no program"));
		sb_adds(out, "</text>\n");
		for (size_t k = 0; k < shown; k++) {
			const char *fill = "";
			char style[48] = "";
			for (size_t c = 0; c < d->nconns && d->tagged; c++) {
				char ep[96];
				const char *a = d->conns[c].a, *dot = strrchr(a, '.');
				snprintf(ep, sizeof ep, strchr(a, ':') ? "[%.*s]:%s" : "%.*s:%s",
					 (int)(dot - a), a, dot + 1);
				if (d->conns[c].tag && !strcmp(ep, f->endpoints[k]))
					fill = conn_colour[c % (sizeof conn_colour / sizeof *conn_colour)];
			}
			if (*fill)
				snprintf(style, sizeof style, " style=\"fill: %s\"", fill);
			sb_addf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" class=\"ep\"%s>", x,
				y + 19 + 13.0 * k, style);
			esc(out, f->endpoints[k], strlen(f->endpoints[k]));
			sb_adds(out, "</text>\n");
		}
		if (f->nendpoints > shown)
			sb_addf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" class=\"ep\">and %zu more</text>\n",
				x, y + 19 + 13.0 * shown, f->nendpoints - shown);
	}
	sb_adds(out, "</g>\n");
}

static void arrow_head(struct sb *out, double x, double y, int right, const char *colour)
{
	double b = right ? x - 8 : x + 8;
	sb_addf(out, "<path d=\"M%.1f %.1fL%.1f %.1fL%.1f %.1fz\" fill=\"%s\"/>\n", x, y, b, y - 4, b, y + 4, colour);
}

static void draw_packet(struct layout *L, const struct row *w, double top)
{
	const struct diagram *d = L->d;
	struct sb *out = L->out, label = SB_INIT;
	const char *st[MAX_WRAP], *colour = C_PKT;
	size_t ln[MAX_WRAP];
	double x1 = xof(L, w->from), x2 = xof(L, w->to), y, xm;
	int n, right = x2 >= x1;

	if (w->conn >= 0 && d->conns[w->conn].tag)
		colour = conn_colour[w->conn % (int)(sizeof conn_colour / sizeof *conn_colour)];
	if (w->flags & RF_RST)
		colour = C_RED;
	if (w->flags & RF_DROPPED)
		colour = C_GREY;
	else if (w->flags & RF_INJECTED)
		colour = C_INJ;
	packet_text(d, w, &label);
	n = wrap(label.buf, span_chars(L, w->from, w->to), st, ln, MAX_WRAP);
	y = top + n * LINE + 5;
	xm = w->from == w->to ? x1 + 34 : (x1 + x2) / 2;
	sb_adds(out, "<title>");
	esc(out, w->detail, strlen(w->detail));
	sb_addf(out, "</title>\n<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" class=\"t\">%.6f</text>\n",
		GUTTER - 8, y + 3.5, w->t);
	if (w->from - w->to > 1 || w->to - w->from > 1)
		for (int i = 0; i < n; i++) {
			double tw = chars(st[i], ln[i]) * CW + 6;
			sb_addf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" class=\"halo\"/>\n",
				xm - tw / 2, top + 2 + i * LINE, tw, LINE - 1);
		}
	sb_addf(out, "<g fill=\"%s\">\n", colour);
	text_lines(out, xm, top + LINE - 2, w->from == w->to ? "start" : "middle", "pkt", st, ln, n, LINE);
	sb_adds(out, "</g>\n");
	if (w->from == w->to) {
		sb_addf(out, "<path d=\"M%.1f %.1fh24v8h-22\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.4\"/>\n",
			x1, y - 4, colour);
		arrow_head(out, x1 + 1, y + 4, 0, colour);
	} else if (w->flags & RF_DROPPED) {
		double xe = x1 + (x2 - x1) * 0.62;
		sb_addf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1.4\" "
			"stroke-dasharray=\"5 3\"/>\n", x1, y, xe, y, colour);
		sb_addf(out, "<path d=\"M%.1f %.1fl10 10m0 -10l-10 10\" stroke=\"%s\" stroke-width=\"2\"/>\n",
			xe - 5, y - 5, C_RED);
	} else {
		double xs = x1 + (right ? 1 : -1) * ((w->flags & RF_INJECTED) ? 8 : 0);
		if (w->flags & RF_INJECTED)
			sb_addf(out, "<path d=\"M%.1f %.1fl6 -6l6 6l-6 6z\" fill=\"%s\"/>\n", x1 - 6, y, colour);
		sb_addf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1.4\"%s/>\n",
			xs, y, right ? x2 - 7 : x2 + 7, y, colour,
			(w->flags & RF_INJECTED) ? " stroke-dasharray=\"3 3\"" : "");
		arrow_head(out, x2, y, right, colour);
	}
	sb_release(&label);
}

static void draw_box(struct layout *L, const struct row *w, double top)
{
	struct sb *out = L->out;
	const char *st[MAX_WRAP], *cls = "call";
	size_t ln[MAX_WRAP];
	int n = wrap(w->text, box_chars(L), st, ln, MAX_WRAP);
	size_t most = 0;
	double x = xof(L, w->from), bw, h = n * LINE + 8;

	for (int i = 0; i < n; i++)
		most = chars(st[i], ln[i]) > most ? chars(st[i], ln[i]) : most;
	bw = most * CW + 2 * BOX_PAD;
	if (w->kind == ROW_FATE)
		cls = (w->flags & RF_BAD) ? "fate bad" : "fate";
	else if (w->flags & RF_BAD)
		cls = "call bad";
	else if (w->flags & RF_EXPECTED)
		cls = "call expected";
	sb_addf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"%d\" class=\"%s\"/>\n",
		x - bw / 2, top + 2, bw, h, w->kind == ROW_FATE ? 9 : 3, cls);
	text_lines(out, x, top + 2 + 4 + LINE - 3.5, "middle",
		   (w->flags & RF_BAD) ? "txt bad" : "txt", st, ln, n, LINE);
}

static void draw_step(struct layout *L, const struct row *w, double top)
{
	struct sb *out = L->out, s = SB_INIT;
	const char *st[MAX_WRAP];
	size_t ln[MAX_WRAP];
	double x = xof(L, w->from);
	const char *name = w->text;
	size_t most = 0;
	int n;

	/* "step 'listening'" -> "step listening" in a note */
	if (!strncmp(name, "step '", 6) && name[strlen(name) - 1] == '\'')
		sb_addf(&s, "step %.*s", (int)(strlen(name) - 7), name + 6);
	else if (w->kind == ROW_RESUME && (w->flags & RF_WAIT) && strchr(name, '\''))
		sb_adds(&s, strchr(name, '\''));	/* "'connected' satisfied": the bar says which wait */
	else
		sb_adds(&s, name);
	n = wrap(s.buf, box_chars(L), st, ln, MAX_WRAP);
	for (int i = 0; i < n; i++)
		most = chars(st[i], ln[i]) > most ? chars(st[i], ln[i]) : most;
	double bw = most * (SMALL * 0.6) + 16, h = n * 13.0 + 6;
	sb_addf(out, "<path d=\"M%.1f %.1fh%.1fl6 6v%.1fh%.1fz\" class=\"step\"/>\n",
		x - bw / 2, top + 3, bw - 6, h - 6, -bw);
	text_lines(out, x, top + 3 + 13 - 2.5, "middle", "stp", st, ln, n, 13);
	sb_release(&s);
}

static void draw_states(struct layout *L, const struct row *w, double top)
{
	struct sb *out = L->out;

	for (int l = 0; l < L->d->nlife; l++) {
		const char *p = w->states[l];
		int k = 0;
		if (!p)
			continue;
		while (p && *p) {
			const char *nl = strchr(p, '\n');
			size_t n = nl ? (size_t)(nl - p) : strlen(p);
			double cw = chars(p, n) * SMALL * 0.6 + 10, x = xof(L, l);
			sb_addf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"12\" rx=\"6\" class=\"state\"/>\n",
				x - cw / 2, top + 4 + 13.0 * k, cw);
			sb_addf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" class=\"st\">", x, top + 13.5 + 13.0 * k);
			esc(out, p, n);
			sb_adds(out, "</text>\n");
			k++;
			p = nl ? nl + 1 : NULL;
		}
	}
}

static void draw_gap(struct layout *L, const struct row *w, double top, double h)
{
	struct sb *out = L->out;
	double y = top + h / 2;

	sb_addf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" class=\"gap\">", GUTTER - 8, y + 4);
	esc(out, w->text, strlen(w->text));
	sb_adds(out, "</text>\n");
	sb_addf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"gapline\"/>\n",
		GUTTER - 4, y, L->width - MARGIN, y);
	for (int l = 0; l < L->d->nlife; l++) {
		double x = xof(L, l);
		sb_addf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"16\" height=\"10\" fill=\"#fff\"/>\n", x - 8, y - 5);
		sb_addf(out, "<path d=\"M%.1f %.1fl10 -6M%.1f %.1fl10 -6\" class=\"brk\"/>\n", x - 5, y + 1, x - 5, y + 5);
	}
}

static void draw_wire(struct layout *L, const struct row *w, double top)
{
	const char *st[MAX_WRAP];
	size_t ln[MAX_WRAP];
	int n = wrap(w->text, (size_t)((L->width - GUTTER - 20) / CW), st, ln, MAX_WRAP);
	sb_addf(L->out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" class=\"t\">%.6f</text>\n",
		GUTTER - 8, top + LINE, w->t);
	text_lines(L->out, GUTTER + 4, top + LINE, "start", "txt wire", st, ln, n, LINE);
}

/* Lifelines, solid while the program runs and dashed after it ended (its
 * kernel still answers for its sockets); the bars of calls under way. */
static void draw_lines(struct layout *L, double bottom)
{
	const struct diagram *d = L->d;
	struct sb *out = L->out;

	for (int l = 0; l < d->nlife; l++) {
		double x = xof(L, l), end = d->life[l].fate_row >= 0 ? L->bottom[d->life[l].fate_row] : bottom;
		sb_addf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"life\"/>\n", x, L->head, x, end);
		if (end < bottom)
			sb_addf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"life after\"/>\n",
				x, end, x, bottom);
	}
	for (size_t i = 0; i < d->nrows; i++) {
		const struct row *w = &d->rows[i];
		double y1, y2;
		if (w->kind != ROW_CALL || !(w->flags & RF_UNFINISHED))
			continue;
		y1 = L->top[i] + 6;
		y2 = w->until >= 0 ? L->top[w->until] + 6 :
		     d->life[w->from].fate_row >= 0 ? L->top[d->life[w->from].fate_row] + 4 : bottom;
		sb_addf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"8\" height=\"%.1f\" class=\"%s\"/>\n",
			xof(L, w->from) - 4, y1, y2 - y1, (w->flags & RF_WAIT) ? "bar wait" : "bar");
	}
}

static const char STYLE[] =
	"<style>\n"
	"text { font-family: 'DejaVu Sans Mono', Menlo, Consolas, 'Liberation Mono', monospace; font-size: 12px; fill: " C_TEXT "; }\n"
	"text.name { font-family: 'DejaVu Sans', 'Noto Sans', Helvetica, Arial, sans-serif; font-size: 13px; font-weight: bold; }\n"
	"text.ep, text.t { font-size: 10.5px; fill: " C_GREY "; }\n"
	"text.pkt { fill: inherit; }\n"
	"text.bad { fill: " C_RED "; }\n"
	"text.stp { font-size: 10.5px; font-style: italic; fill: #5c5222; }\n"
	"text.st { font-size: 10.5px; fill: #4a4a45; }\n"
	"text.gap { font-size: 11px; font-weight: bold; fill: #8f5400; }\n"
	"text.wire { fill: " C_GREY "; }\n"
	"rect.who { fill: #f4f2ec; stroke: #b9b5aa; }\n"
	"rect.none { fill: #fff; stroke-dasharray: 3 2; }\n"
	"rect.call { fill: #fff; stroke: #8d949c; }\n"
	"rect.bad { fill: #fdecea; stroke: " C_RED "; }\n"
	"rect.expected { fill: #eaf1fa; stroke: " C_BLUE "; }\n"
	"rect.fate { fill: #edf4e6; stroke: #6a8f4e; }\n"
	"rect.fate.bad { fill: #fdecea; stroke: " C_RED "; }\n"
	"rect.halo { fill: #fff; fill-opacity: 0.85; }\n"
	"rect.state { fill: #f1f0ec; stroke: none; }\n"
	"rect.bar { fill: #e3e9f2; stroke: #8fa1bb; }\n"
	"rect.bar.wait { fill: #f7f1d2; stroke: #c8b35c; stroke-dasharray: 2 2; }\n"
	"path.step { fill: #fbf6dc; stroke: #c8b35c; }\n"
	"path.brk { stroke: #8f5400; stroke-width: 1.3; fill: none; }\n"
	"line.life { stroke: " C_LINE "; stroke-width: 1.2; }\n"
	"line.after { stroke-dasharray: 4 4; stroke: #c3c6ca; }\n"
	"line.gapline { stroke: #d8c7a8; stroke-dasharray: 2 3; }\n"
	"</style>\n";

void svg_render(const struct diagram *d, struct sb *out)
{
	struct layout L;
	size_t most_eps = 1;
	double height;

	memset(&L, 0, sizeof L);
	L.d = d;
	L.out = out;
	L.pitch = pitch_for(d);
	L.width = GUTTER + (d->nlife ? d->nlife : 1) * L.pitch + MARGIN;
	for (int l = 0; l < d->nlife; l++)
		most_eps = d->life[l].nendpoints > most_eps ? d->life[l].nendpoints : most_eps;
	if (most_eps > 4)
		most_eps = 4;
	L.head = 20 + 19 + 13.0 * (double)most_eps + 4;
	L.top = xcalloc(d->nrows + 1, sizeof *L.top);
	L.bottom = xcalloc(d->nrows + 1, sizeof *L.bottom);
	L.y = L.head + 6;
	for (size_t i = 0; i < d->nrows; i++) {
		L.top[i] = L.y;
		L.y += row_height(&L, &d->rows[i]);
		L.bottom[i] = L.y;
	}
	height = L.y + (d->omitted ? 2 * LINE : 0) + 10;

	sb_addf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
		"version=\"1.1\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">\n",
		L.width, height, L.width, height);
	sb_adds(out, "<title>Ladder diagram</title>\n");
	sb_addf(out, "<metadata id=\"ladder-rows\">{\"width\": %.0f, \"height\": %.0f, \"head\": %.1f, \"rows\": [",
		L.width, height, L.head);
	for (size_t i = 0; i < d->nrows; i++)
		sb_addf(out, "%s[%.1f, %.1f]", i ? ", " : "", L.top[i], L.bottom[i]);
	sb_adds(out, "]}</metadata>\n");
	sb_adds(out, STYLE);
	sb_addf(out, "<rect x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" fill=\"#fff\"/>\n", L.width, height);
	draw_lines(&L, height - 6);
	for (size_t i = 0; i < d->nrows; i++) {
		const struct row *w = &d->rows[i];
		sb_addf(out, "<g id=\"r%zu\">\n", i);
		switch (w->kind) {
		case ROW_PACKET:
			draw_packet(&L, w, L.top[i]);
			break;
		case ROW_WIRE:
		case ROW_NOTE:
			draw_wire(&L, w, L.top[i]);
			break;
		case ROW_CALL:
		case ROW_RESUME:
			if (w->flags & RF_WAIT)
				draw_step(&L, w, L.top[i]);
			else
				draw_box(&L, w, L.top[i]);
			break;
		case ROW_FATE:
			draw_box(&L, w, L.top[i]);
			break;
		case ROW_STEP:
			draw_step(&L, w, L.top[i]);
			break;
		case ROW_STATES:
			draw_states(&L, w, L.top[i]);
			break;
		case ROW_GAP:
			draw_gap(&L, w, L.top[i], L.bottom[i] - L.top[i]);
			break;
		}
		sb_adds(out, "</g>\n");
	}
	if (d->omitted)
		sb_addf(out, "<text x=\"%.1f\" y=\"%.1f\" class=\"t\">and %zu more events, in the timeline, not drawn</text>\n",
			GUTTER, L.y + LINE, d->omitted);
	draw_head(&L);
	sb_adds(out, "</svg>\n");
	free(L.top);
	free(L.bottom);
}
