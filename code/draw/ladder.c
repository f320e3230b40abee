/*
 * ladder.c: writes an experiment's ladder diagram as an mscgen chart.
 *
 * usage: ladder TIMELINE.txt > ladder.msc   (then: mscgen -T svg)
 *
 * One lifeline per program. Each packet is an arrow between the two
 * lifelines, labelled with its flags, seq, ack and length; each call a
 * program showed with SHOW is a box on its own lifeline, where it happened
 * in the time order; a program's end is a box too. RSTs, failed calls and
 * deaths by signal are drawn in red.
 *
 * Drawing is mscgen's (Debian package mscgen): it lays out message sequence
 * charts well, and its spacing is by order, not by time, which is what a
 * reader of a ladder wants on loopback, where everything happens within a
 * few microseconds.
 *
 * Which lifeline sends a packet: the program that called connect() owns the
 * endpoint that sent the first SYN, the one that called listen() or accept()
 * the other end. With other shapes (more programs, no handshake in the
 * capture) each endpoint gets a lifeline of its own, named by address.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINES 20000
#define MAX_LIFE 8

struct line {
	char who[64];
	char *text;
};

struct lifeline {
	char name[64];		/* role, or endpoint when there is no role */
	char endpoint[96];	/* "127.0.0.1.9999" as tcpdump prints it */
};

static struct line lines[MAX_LINES];
static int nlines;
static struct lifeline life[MAX_LIFE];
static int nlife;

/* mscgen's label strings: backslash and double quote escaped. mscgen reads
 * "\\n" as a backslash and then a line break, so a backslash from the
 * program text ("hello\n" in C) is followed by a zero-width space. */
static void put_label(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('\\', f);
		if (*s == '\\') {
			fputs("\\\\\xe2\x80\x8b", f);
			continue;
		}
		fputc(*s, f);
	}
	fputc('"', f);
}

/* An mscgen entity name: letters, digits and _ only. */
static void put_ident(FILE *f, int i) { fprintf(f, "L%d", i); }

static int find_role(const char *name)
{
	for (int i = 0; i < nlife; i++)
		if (!strcmp(life[i].name, name))
			return i;
	return -1;
}

static int add_lifeline(const char *name, const char *endpoint)
{
	if (nlife == MAX_LIFE)
		return -1;
	snprintf(life[nlife].name, sizeof life[nlife].name, "%s", name);
	snprintf(life[nlife].endpoint, sizeof life[nlife].endpoint, "%s", endpoint ? endpoint : "");
	return nlife++;
}

static int find_endpoint(const char *ep)
{
	for (int i = 0; i < nlife; i++)
		if (life[i].endpoint[0] && !strcmp(life[i].endpoint, ep))
			return i;
	return -1;
}

/* "IP 127.0.0.1.40430 > 127.0.0.1.9999: Flags [S], ..." -> the endpoints. */
static int endpoints(const char *pkt, char *src, char *dst, size_t len)
{
	const char *p = strchr(pkt, ' ');
	const char *gt, *colon;

	if (!p)
		return -1;
	p++;
	gt = strstr(p, " > ");
	if (!gt)
		return -1;
	colon = strstr(gt + 3, ": ");
	if (!colon || (size_t)(gt - p) >= len || (size_t)(colon - gt - 3) >= len)
		return -1;
	memcpy(src, p, (size_t)(gt - p));
	src[gt - p] = '\0';
	memcpy(dst, gt + 3, (size_t)(colon - gt - 3));
	dst[colon - gt - 3] = '\0';
	return 0;
}

/* The value after `key ` up to the next comma, or NULL. */
static const char *field(const char *pkt, const char *key, char *out, size_t len)
{
	const char *p = strstr(pkt, key);
	size_t n = 0;

	if (!p)
		return NULL;
	p += strlen(key);
	while (p[n] && p[n] != ',' && p[n] != ']' && n + 1 < len)
		n++;
	memcpy(out, p, n);
	out[n] = '\0';
	return out;
}

static void packet_label(const char *pkt, char *out, size_t len)
{
	char flags[16] = "", seq[64] = "", ack[32] = "", length[16] = "", win[16] = "";
	size_t k;

	field(pkt, "Flags [", flags, sizeof flags);
	field(pkt, ", seq ", seq, sizeof seq);
	field(pkt, ", ack ", ack, sizeof ack);
	field(pkt, ", win ", win, sizeof win);
	field(pkt, ", length ", length, sizeof length);
	k = (size_t)snprintf(out, len, "[%s]", flags);
	if (seq[0] && k < len)
		k += (size_t)snprintf(out + k, len - k, " seq %s", seq);
	if (ack[0] && k < len)
		k += (size_t)snprintf(out + k, len - k, " ack %s", ack);
	if (win[0] && k < len)
		k += (size_t)snprintf(out + k, len - k, " win %s", win);
	if (length[0] && k < len)
		snprintf(out + k, len - k, " len %s", length);
}

static int is_role_line(const struct line *l)
{
	return strcmp(l->who, "wire") && strcmp(l->who, "sockets") && strcmp(l->who, "socket");
}

/* Reads "   0.000123  who      text" lines. */
static int read_timeline(FILE *in)
{
	static char buf[8192];

	while (nlines < MAX_LINES && fgets(buf, sizeof buf, in)) {
		char *p = buf, *who, *text;
		size_t n = strlen(buf);
		if (n && buf[n - 1] == '\n')
			buf[--n] = '\0';
		while (*p == ' ')
			p++;
		p = strchr(p, ' ');		/* past the time */
		if (!p)
			continue;
		while (*p == ' ')
			p++;
		who = p;
		p = strchr(p, ' ');
		if (!p)
			continue;
		*p++ = '\0';
		while (*p == ' ')
			p++;
		text = p;
		snprintf(lines[nlines].who, sizeof lines[nlines].who, "%s", who);
		lines[nlines].text = strdup(text);
		if (!lines[nlines].text)
			return -1;
		nlines++;
	}
	return 0;
}

/* Lifelines: every role in order of appearance; then endpoints. */
static void assign_lifelines(void)
{
	const char *connector = NULL, *listener = NULL;

	for (int i = 0; i < nlines; i++) {
		if (!is_role_line(&lines[i]))
			continue;
		if (find_role(lines[i].who) < 0)
			add_lifeline(lines[i].who, NULL);
		if (!connector && !strncmp(lines[i].text, "connect(", 8))
			connector = lines[i].who;
		if (!listener && (!strncmp(lines[i].text, "listen(", 7) || !strncmp(lines[i].text, "accept(", 7)))
			listener = lines[i].who;
	}
	for (int i = 0; i < nlines; i++) {
		char src[96], dst[96];
		if (strcmp(lines[i].who, "wire") || endpoints(lines[i].text, src, dst, sizeof src) < 0)
			continue;
		/* The first SYN without ACK names the two ends. */
		if (strstr(lines[i].text, "Flags [S]") || strstr(lines[i].text, "Flags [SEW]")) {
			int c = connector ? find_role(connector) : -1;
			int l = listener ? find_role(listener) : -1;
			if (c >= 0 && !life[c].endpoint[0] && find_endpoint(src) < 0)
				snprintf(life[c].endpoint, sizeof life[c].endpoint, "%s", src);
			if (l >= 0 && l != c && !life[l].endpoint[0] && find_endpoint(dst) < 0)
				snprintf(life[l].endpoint, sizeof life[l].endpoint, "%s", dst);
		}
		if (find_endpoint(src) < 0)
			add_lifeline(src, src);
		if (find_endpoint(dst) < 0)
			add_lifeline(dst, dst);
	}
}

int main(int argc, char **argv)
{
	FILE *in = stdin, *out = stdout;

	if (argc > 2 || (argc == 2 && argv[1][0] == '-' && argv[1][1])) {
		fprintf(stderr, "usage: ladder [TIMELINE.txt] > CHART.msc\n");
		return 2;
	}
	if (argc == 2 && !(in = fopen(argv[1], "r"))) {
		perror(argv[1]);
		return 1;
	}
	if (read_timeline(in) < 0) {
		fprintf(stderr, "ladder: out of memory\n");
		return 1;
	}
	assign_lifelines();

	fprintf(out, "msc {\n  hscale=\"%s\", wordwraparcs=\"true\";\n  ", nlife > 2 ? "1.2" : "1.6");
	for (int i = 0; i < nlife; i++) {
		char label[200];
		if (i)
			fputs(", ", out);
		if (life[i].endpoint[0] && strcmp(life[i].name, life[i].endpoint))
			snprintf(label, sizeof label, "%s\\n%s", life[i].name, life[i].endpoint);
		else
			snprintf(label, sizeof label, "%s", life[i].name);
		put_ident(out, i);
		fputs(" [label=\"", out);
		fputs(label, out);	/* names and addresses hold no quotes */
		fputs("\"]", out);
	}
	fputs(";\n", out);

	for (int i = 0; i < nlines; i++) {
		const struct line *l = &lines[i];
		if (!strcmp(l->who, "wire")) {
			char src[96], dst[96], label[256];
			int a, b, rst;
			if (endpoints(l->text, src, dst, sizeof src) < 0)
				continue;
			a = find_endpoint(src);
			b = find_endpoint(dst);
			if (a < 0 || b < 0)
				continue;
			packet_label(l->text, label, sizeof label);
			rst = strstr(l->text, "Flags [R") != NULL;
			fputs("  ", out);
			put_ident(out, a);
			fputs(" => ", out);
			put_ident(out, b);
			fputs(" [label=", out);
			put_label(out, label);
			if (rst)
				fputs(", linecolour=\"#c00000\", textcolour=\"#c00000\"", out);
			fputs("];\n", out);
		} else if (is_role_line(l)) {
			int a = find_role(l->who);
			int bad = strstr(l->text, " = -1 ") != NULL || !strncmp(l->text, "killed", 6) ||
				  !strncmp(l->text, "did not start", 13);
			int fate = !strncmp(l->text, "exited", 6) || !strncmp(l->text, "killed", 6);
			if (a < 0 || !strncmp(l->text, "started ", 8))
				continue;
			fputs("  ", out);
			put_ident(out, a);
			fputs(fate ? " abox " : (strncmp(l->text, "step ", 5) ? " box " : " note "), out);
			put_ident(out, a);
			fputs(" [label=", out);
			put_label(out, l->text);
			if (bad)
				fputs(", textcolour=\"#c00000\", linecolour=\"#c00000\", textbgcolour=\"#fde8e8\"", out);
			else if (fate)
				fputs(", textbgcolour=\"#eef3e8\"", out);
			fputs("];\n", out);
		}
	}
	fputs("}\n", out);
	if (in != stdin)
		fclose(in);
	return ferror(out) ? 1 : 0;
}
