/* chapter.c: parsing a chapter with cmark into blocks, chunks, files and
 * experiments, and checking it (see chapter.h and AUTHORING.md). */
#include "chapter.h"
#include "explimits.h"
#include "wirespec.h"

#include <stdlib.h>
#include <string.h>

/* ---- raw lines -------------------------------------------------------- */

/* Splits the source into lines the way cmark does (LF, CRLF or CR), so that
 * line numbers agree with cmark's. A UTF-8 BOM is not part of line 1. */
static void index_lines(struct chapter *ch)
{
	size_t cap = 0, i = 0;
	const char *s = ch->src;
	size_t n = ch->srclen;

	if (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	grow(&ch->line_start, &cap, 2, sizeof *ch->line_start);
	ch->line_start[ch->nlines++] = i;
	for (; i < n; i++) {
		if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')
			i++;
		else if (s[i] != '\n' && s[i] != '\r')
			continue;
		grow(&ch->line_start, &cap, ch->nlines + 1, sizeof *ch->line_start);
		ch->line_start[ch->nlines++] = i + 1;
	}
}

/* Returns the raw text of 1-based line `line` (without its end), or an
 * empty line if there is no such line. */
static const char *raw_line(const struct chapter *ch, int line, size_t *len)
{
	if (line < 1 || (size_t)line > ch->nlines) {
		*len = 0;
		return "";
	}
	size_t b = ch->line_start[line - 1], e = b;
	while (e < ch->srclen && ch->src[e] != '\n' && ch->src[e] != '\r')
		e++;
	*len = e - b;
	return ch->src + b;
}

static size_t count_lines(const char *s, size_t len)
{
	size_t n = 0;
	for (const char *p = s; (p = memchr(p, '\n', len - (size_t)(p - s))); p++)
		n++;
	if (len && s[len - 1] != '\n')
		n++;
	return n;
}

/* ---- model helpers ---------------------------------------------------- */

int chapter_chunk(const struct chapter *ch, const char *name, size_t namelen)
{
	return map_get(&ch->chunk_map, name, namelen);
}

int chapter_experiment(const struct chapter *ch, const char *name)
{
	return map_get(&ch->exp_map, name, strlen(name));
}

int block_names_experiment(enum block_kind kind)
{
	return kind == BLOCK_TRACE || kind == BLOCK_OUTPUT || kind == BLOCK_TIMELINE ||
	       kind == BLOCK_DIAGRAM || kind == BLOCK_CLAIMS;
}

int experiment_role(const struct experiment *e, const char *name)
{
	for (size_t i = 0; i < e->nroles; i++)
		if (strcmp(e->roles[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

int chapter_line_ref(const char *line, size_t len, size_t *indent,
		     const char **name, size_t *namelen)
{
	size_t b = 0, e = len;
	while (b < e && is_blank(line[b]))
		b++;
	while (e > b && (is_blank(line[e - 1]) || line[e - 1] == '\r'))
		e--;
	if (e - b < 5 || memcmp(line + b, "<<", 2) != 0 ||
	    memcmp(line + e - 2, ">>", 2) != 0)
		return 0;
	const char *n = line + b + 2;
	size_t nl = e - b - 4;
	if (n[0] == '<' || n[nl - 1] == '>')
		return 0;	/* <<<x>>> is not a reference to "<x>" */
	for (size_t i = 0; i + 1 < nl; i++)
		if ((n[i] == '<' && n[i + 1] == '<') || (n[i] == '>' && n[i + 1] == '>'))
			return 0;
	*indent = b;
	*name = n;
	*namelen = nl;
	return 1;
}

static struct block *add_block(struct chapter *ch)
{
	grow(&ch->blocks, &ch->capblocks, ch->nblocks + 1, sizeof *ch->blocks);
	struct block *b = &ch->blocks[ch->nblocks++];
	memset(b, 0, sizeof *b);
	b->file = b->chunk = b->next = b->experiment = -1;
	return b;
}

/* ---- info strings ----------------------------------------------------- */

struct word {
	char *key;		/* NULL for a bare word */
	char *val;
	int col;
};

struct words {
	struct word *v;
	size_t n, cap;
};

static void words_release(struct words *w)
{
	for (size_t i = 0; i < w->n; i++) {
		free(w->v[i].key);
		free(w->v[i].val);
	}
	free(w->v);
}

/* Splits an info string into words: `lang`, `key=value`, `key="a value"`.
 * Columns are info_col plus the offset (exact unless the info string held
 * backslash escapes or entities). Returns 0, or -1 after reporting an
 * unterminated quote. */
static int split_info(struct chapter *ch, const char *info, int line,
		      int info_col, struct words *w)
{
	const char *p = info;
	while (*p) {
		while (*p && (is_blank(*p) || *p == '\n' || *p == '\r'))
			p++;
		if (!*p)
			break;
		const char *start = p;
		struct word wd = { NULL, NULL, info_col + (int)(p - info) };
		while (*p && !is_blank(*p) && *p != '=')
			p++;
		if (*p == '=' && p > start) {
			wd.key = xstrndup(start, (size_t)(p - start));
			p++;
			if (*p == '"') {
				const char *q = strchr(p + 1, '"');
				if (!q) {
					diag_add(&ch->diags, DIAG_ERROR, line, wd.col,
						 "unterminated quote in info string after '%s='",
						 wd.key);
					free(wd.key);
					return -1;
				}
				wd.val = xstrndup(p + 1, (size_t)(q - p - 1));
				p = q + 1;
			} else {
				const char *v = p;
				while (*p && !is_blank(*p))
					p++;
				wd.val = xstrndup(v, (size_t)(p - v));
			}
		} else {
			while (*p && !is_blank(*p))
				p++;
			wd.val = xstrndup(start, (size_t)(p - start));
		}
		grow(&w->v, &w->cap, w->n + 1, sizeof *w->v);
		w->v[w->n++] = wd;
	}
	return 0;
}

/* ---- names: the safe set (AUTHORING.md, "Names") ------------------------- */

/* The build passes names to make, cc and the shell, and makes files and
 * directories of them: a name is letters, digits, '.', '_', '+' and '-'
 * (and '/' between the parts of a file's path), and no part starts with
 * '-', which a command would read as an option. Returns the first byte
 * outside the set, or NULL. */
static const char *unsafe_byte(const char *s, int slash)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' || *s == '+' ||
		      *s == '-' || (slash && *s == '/')))
			return s;
	return NULL;
}

/* Describes the byte at *c for a message: 'x', or a code for the unprintable. */
static const char *show_byte(const char *c, char *buf, size_t len)
{
	unsigned char u = (unsigned char)*c;
	if (u > 0x20 && u < 0x7f)
		snprintf(buf, len, "'%c'", *c);
	else
		snprintf(buf, len, "byte 0x%02x", u);
	return buf;
}

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);
	return n >= t && !strcmp(s + n - t, tail);
}

/* ---- program code ----------------------------------------------------- */

static int check_file_name(struct chapter *ch, const char *name, int line, int col)
{
	const char *why = NULL;
	size_t n = strlen(name);

	if (n == 0)
		why = "is empty";
	else if (name[0] == '/')
		why = "is absolute";
	else if (name[n - 1] == '/')
		why = "names a directory";
	else if (strcmp(name, "experiments") == 0 || strcmp(name, "claims") == 0 ||
		 strcmp(name, ".files") == 0)
		why = "is reserved for tangle's own output";
	else
		for (const char *c = name; *c;) {
			size_t l = strcspn(c, "/");
			if (l == 0)
				why = "has an empty path component";
			else if (l == 2 && c[0] == '.' && c[1] == '.')
				why = "contains '..'";
			else if (l == 1 && c[0] == '.')
				why = "contains '.' as a path component";
			if (why)
				break;
			c += l;
			if (*c == '/')
				c++;
		}
	for (const char *c = name; !why && *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			why = "contains a control character";
	if (why) {
		diag_add(&ch->diags, DIAG_ERROR, line, col, "file name '%s' %s", name, why);
		return -1;
	}
	const char *bad = unsafe_byte(name, 1);
	if (bad) {
		char b[16];
		diag_add(&ch->diags, DIAG_ERROR, line, col,
			 "file name '%s' has %s; a file name is letters, digits, '.', '_', '+', '-' and '/'",
			 name, show_byte(bad, b, sizeof b));
		return -1;
	}
	for (const char *c = name; *c; c = strchr(c, '/') ? strchr(c, '/') + 1 : c + strlen(c))
		if (*c == '-')
			why = "has a part starting with '-', which a command would take for an option";
	size_t stem = n - (ends_with(name, ".c") ? 2 : 0);
	if (why)
		;
	else if (n > EXP_MAX_FILE_NAME) {
		diag_add(&ch->diags, DIAG_ERROR, line, col, "file name '%.40s...' is %zu bytes; at most %d",
			 name, n, EXP_MAX_FILE_NAME);
		return -1;
	} else if (ends_with(name, ".tmp"))
		why = "ends with '.tmp', which the build uses for files being written";
	else if (!strchr(name, '/') && ends_with(name, ".c") &&
		 ((stem > 2 && !strncmp(name + stem - 2, ".d", 2)) ||
		  (stem > 4 && (!strncmp(name + stem - 4, ".err", 4) || !strncmp(name + stem - 4, ".log", 4) ||
				!strncmp(name + stem - 4, ".tmp", 4)))))
		why = "makes a program whose name ends with '.d', '.err', '.log' or '.tmp', "
		      "which the build uses for another program's files";
	if (why) {
		diag_add(&ch->diags, DIAG_ERROR, line, col, "file name '%s' %s", name, why);
		return -1;
	}
	return 0;
}

static void add_code_block(struct chapter *ch, int bi, const char *lang,
			   const char *file, const char *chunk, int line, int col)
{
	struct block *b = &ch->blocks[bi];
	int *last;

	if (file) {
		int f = map_get(&ch->file_map, file, strlen(file));
		if (f < 0) {
			grow(&ch->files, &ch->capfiles, ch->nfiles + 1, sizeof *ch->files);
			struct target *t = &ch->files[ch->nfiles];
			*t = (struct target){ xstrdup(file), xstrdup(lang), bi, -1, 0 };
			f = (int)ch->nfiles++;
			map_put(&ch->file_map, t->name, strlen(t->name), f);
		} else if (strcmp(ch->files[f].lang, lang) != 0) {
			diag_add(&ch->diags, DIAG_ERROR, line, col,
				 "file '%s' is '%s' here but '%s' at line %d; a file has one language",
				 file, lang, ch->files[f].lang,
				 ch->blocks[ch->files[f].first].line);
		}
		b->file = f;
		b->nth = ++ch->files[f].nblocks;
		last = &ch->files[f].last;
	} else {
		size_t nl = strlen(chunk);
		int c = map_get(&ch->chunk_map, chunk, nl);
		if (c < 0) {
			grow(&ch->chunks, &ch->capchunks, ch->nchunks + 1, sizeof *ch->chunks);
			struct chunk *k = &ch->chunks[ch->nchunks];
			memset(k, 0, sizeof *k);
			k->name = xstrdup(chunk);
			k->namelen = nl;
			k->first = bi;
			k->last = -1;
			c = (int)ch->nchunks++;
			map_put(&ch->chunk_map, k->name, nl, c);
		}
		b->chunk = c;
		b->nth = ++ch->chunks[c].nblocks;
		last = &ch->chunks[c].last;
	}
	if (*last >= 0)
		ch->blocks[*last].next = bi;
	*last = bi;
	b->kind = BLOCK_CODE;
}

static void parse_code_info(struct chapter *ch, int bi, struct words *w)
{
	struct block *b = &ch->blocks[bi];
	const char *file = NULL, *chunk = NULL;
	int fcol = b->col, ccol = b->col, tangled = 0;

	for (size_t i = 1; i < w->n; i++)
		if (w->v[i].key && (!strcmp(w->v[i].key, "file") || !strcmp(w->v[i].key, "chunk")))
			tangled = 1;
	if (!tangled && strcmp(b->lang, "c") != 0)
		return;		/* some other language's block: not ours */
	for (size_t i = 1; i < w->n; i++) {
		struct word *wd = &w->v[i];
		const char **slot = NULL;
		if (!wd->key) {
			diag_add(&ch->diags, DIAG_ERROR, b->line, wd->col,
				 "unexpected word '%s' in info string; expected file=NAME or chunk=NAME",
				 wd->val);
			continue;
		}
		if (!strcmp(wd->key, "file")) {
			slot = &file;
			fcol = wd->col;
		} else if (!strcmp(wd->key, "chunk")) {
			slot = &chunk;
			ccol = wd->col;
		} else {
			diag_add(&ch->diags, DIAG_ERROR, b->line, wd->col,
				 "unknown attribute '%s' in info string; expected file=NAME or chunk=NAME",
				 wd->key);
			continue;
		}
		if (*slot)
			diag_add(&ch->diags, DIAG_ERROR, b->line, wd->col,
				 "attribute '%s' given twice", wd->key);
		else
			*slot = wd->val;
	}
	if (file && chunk) {
		diag_add(&ch->diags, DIAG_ERROR, b->line, ccol,
			 "code block has both file= and chunk=; a block is either part of a file or a chunk");
		return;
	}
	if (chunk && !*chunk) {
		diag_add(&ch->diags, DIAG_ERROR, b->line, ccol, "empty chunk name");
		return;
	}
	if (chunk && strchr(chunk, '\n')) {
		diag_add(&ch->diags, DIAG_ERROR, b->line, ccol, "chunk name spans lines");
		return;
	}
	if (file && check_file_name(ch, file, b->line, fcol) < 0)
		return;
	if (file || chunk)
		add_code_block(ch, bi, b->lang, file, chunk, b->line, file ? fcol : ccol);
}

/* ---- experiments ------------------------------------------------------ */

static int is_name(const char *s, const char *extra)
{
	if (!*s || *s == '.' || *s == '-')
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || strchr(extra, *s)))
			return 0;
	return 1;
}

static char *trim(const char *s, size_t n)
{
	while (n && (is_blank(*s) || *s == '\r')) {
		s++;
		n--;
	}
	while (n && (is_blank(s[n - 1]) || s[n - 1] == '\r'))
		n--;
	return xstrndup(s, n);
}

/* A role's arguments are split at blanks by the harness: at most
 * EXP_MAX_ARGS of them, and the role's line of the experiments file
 * ("role NAME PROGRAM ARGS") at most EXP_MAX_LINE bytes. col is that of
 * the program, val the value from it. */
static void check_role_args(struct chapter *ch, const char *name, const char *val,
			    int line, int col)
{
	size_t len = strlen("role ") + strlen(name) + 1 + strlen(val);
	int nargs = 0;

	for (const char *a = val + strcspn(val, " \t"); *a;) {
		a += strspn(a, " \t");
		if (!*a)
			break;
		if (++nargs > EXP_MAX_ARGS) {
			diag_add(&ch->diags, DIAG_ERROR, line, col + (int)(a - val),
				 "role '%s' has more than %d arguments", name, EXP_MAX_ARGS);
			return;
		}
		a += strcspn(a, " \t");
	}
	if (len > EXP_MAX_LINE)
		diag_add(&ch->diags, DIAG_ERROR, line, col,
			 "role '%s' is %zu bytes with its program and arguments; at most %d",
			 name, len - strlen("role "), EXP_MAX_LINE - (int)strlen("role "));
}

/* The wire's lines against each other and the roles (AUTHORING.md). */
static void check_wire(struct chapter *ch, struct experiment *e)
{
	int link = -1, rtt = -1;
	for (size_t i = 0; i < e->nwire; i++) {
		struct wire_line *l = &e->wire[i];
		struct wire_rule r;
		char err[256];
		int ecol;
		if (wirespec_parse(l->key, l->value, &r, err, sizeof err, &ecol) < 0)
			continue;
		if (r.kind == WIRE_LINK || r.kind == WIRE_RTT) {
			int *seen = r.kind == WIRE_LINK ? &link : &rtt;
			if (*seen >= 0)
				diag_add(&ch->diags, DIAG_ERROR, l->line, l->col,
					 "'%s:' given twice in experiment '%s'", l->key, e->name);
			*seen = (int)i;
		}
		for (size_t k = 0; k < r.nleft + r.nright; k++) {
			const char *name = k < r.nleft ? r.left[k] : r.right[k - r.nleft];
			if (experiment_role(e, name) < 0)
				diag_add(&ch->diags, DIAG_ERROR, l->line, l->col,
					 "link names '%s', which is not a role of experiment '%s'", name, e->name);
			for (size_t j = 0; j < k; j++)
				if (!strcmp(name, j < r.nleft ? r.left[j] : r.right[j - r.nleft]))
					diag_add(&ch->diags, DIAG_ERROR, l->line, l->col,
						 "link names role '%s' twice", name);
		}
		if (r.from_role && experiment_role(e, r.from_role) < 0)
			diag_add(&ch->diags, DIAG_ERROR, l->line, l->col,
				 "'from %s': no such role in experiment '%s'", r.from_role, e->name);
		wirespec_free(&r);
	}
	if (rtt >= 0 && link < 0)
		diag_add(&ch->diags, DIAG_ERROR, e->wire[rtt].line, e->wire[rtt].col,
			 "'rtt:' needs a 'link:' in experiment '%s'", e->name);
	for (size_t i = 0; link < 0 && i < e->nwire; i++) {
		struct wire_rule r;
		char err[256];
		int ecol;
		if (wirespec_parse(e->wire[i].key, e->wire[i].value, &r, err, sizeof err, &ecol) < 0)
			continue;
		if (r.from_role)
			diag_add(&ch->diags, DIAG_ERROR, e->wire[i].line, e->wire[i].col,
				 "'from %s' needs a 'link:': on loopback every role has the same address; match the packets with a pattern instead",
				 r.from_role);
		wirespec_free(&r);
	}
}

static void parse_experiment_body(struct chapter *ch, struct block *b,
				  struct experiment *e)
{
	const char *p = b->text, *end = b->text + b->len;
	int line = b->content_line, have_timeout = 0, have_capture = 0;

	for (; p < end; line++) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		size_t n = (size_t)(eol - p);
		const char *colon = memchr(p, ':', n);
		size_t lead = 0;
		while (lead < n && is_blank(p[lead]))
			lead++;
		int col = b->col + (int)lead;
		char *key = NULL, *val = NULL;

		if (lead == n || (n == 1 && p[0] == '\r')) {
			/* blank line */
		} else if (!colon) {
			char *l = trim(p, n);
			diag_add(&ch->diags, DIAG_ERROR, line, col,
				 "expected 'key: value' in experiment, got '%s'", l);
			free(l);
		} else {
			key = trim(p, (size_t)(colon - p));
			val = trim(colon + 1, (size_t)(eol - colon - 1));
			if (!strcmp(key, "capture")) {
				if (have_capture++)
					diag_add(&ch->diags, DIAG_ERROR, line, col,
						 "'capture:' given twice in experiment '%s'", e->name);
				else if (!*val)
					diag_add(&ch->diags, DIAG_ERROR, line, col,
						 "empty 'capture:' filter in experiment '%s'", e->name);
				else if (strlen(val) > EXP_MAX_CAPTURE)
					diag_add(&ch->diags, DIAG_ERROR, line, col,
						 "'capture:' filter is %zu bytes; at most %d",
						 strlen(val), EXP_MAX_CAPTURE);
				else
					e->capture = xstrdup(val);
			} else if (!strcmp(key, "deterministic")) {
				/* "no": the experiment's subject is a race, so two runs
				 * may differ; its claims about the race say (varies) */
				if (!strcmp(val, "no"))
					e->racy = 1;
				else if (strcmp(val, "yes"))
					diag_add(&ch->diags, DIAG_ERROR, line, col,
						 "bad 'deterministic:' value '%s'; expected 'yes' or 'no'", val);
			} else if (!strcmp(key, "timeout")) {
				char *q;
				long t = strtol(val, &q, 10);
				if (have_timeout)
					diag_add(&ch->diags, DIAG_ERROR, line, col,
						 "'timeout:' given twice in experiment '%s'", e->name);
				else if (!*val || *q || val[0] < '0' || val[0] > '9' ||
					 t < 1 || t > EXPERIMENT_MAX_TIMEOUT)
					diag_add(&ch->diags, DIAG_ERROR, line, col,
						 "bad timeout '%s'; expected whole seconds from 1 to %d",
						 val, EXPERIMENT_MAX_TIMEOUT);
				else
					e->timeout = (int)t;
				have_timeout = 1;
			} else if (wirespec_is_key(key)) {
				const char *v = colon + 1;
				struct wire_rule wr;
				char err[256];
				int ecol;
				while (v < eol && is_blank(*v))
					v++;
				int vcol = b->col + (int)(v - p);
				if (wirespec_parse(key, val, &wr, err, sizeof err, &ecol) < 0) {
					diag_add(&ch->diags, DIAG_ERROR, line, vcol + ecol, "%s", err);
				} else {
					wirespec_free(&wr);
					grow(&e->wire, &e->capwire, e->nwire + 1, sizeof *e->wire);
					e->wire[e->nwire++] = (struct wire_line){ xstrdup(key), xstrdup(val), line, vcol };
				}
			} else if (!is_name(key, "-")) {
				diag_add(&ch->diags, DIAG_ERROR, line, col,
					 "bad role name '%s'; a role is named with letters, digits, '-' and '_'",
					 key);
			} else if (strlen(key) > EXP_MAX_ROLE_NAME) {
				diag_add(&ch->diags, DIAG_ERROR, line, col,
					 "role name '%.40s...' is %zu bytes; at most %d", key, strlen(key),
					 EXP_MAX_ROLE_NAME);
			} else if (!strcmp(key, "wire")) {
				diag_add(&ch->diags, DIAG_ERROR, line, col,
					 "role name 'wire' is the timeline's name for the packets; choose another");
			} else if (e->nroles == EXP_MAX_ROLES && experiment_role(e, key) < 0 && *val) {
				diag_add(&ch->diags, DIAG_ERROR, line, col,
					 "role '%s' is one too many: an experiment has at most %d roles",
					 key, EXP_MAX_ROLES);
			} else if (experiment_role(e, key) >= 0) {
				diag_add(&ch->diags, DIAG_ERROR, line, col,
					 "role '%s' given twice in experiment '%s'", key, e->name);
			} else if (!*val) {
				diag_add(&ch->diags, DIAG_ERROR, line, col,
					 "role '%s' names no program; expected '%s: PROGRAM.c [ARGS]'",
					 key, key);
			} else {
				size_t pl = strcspn(val, " \t");
				char *args = trim(val + pl, strlen(val + pl));
				const char *v = colon + 1;
				while (v < eol && is_blank(*v))
					v++;
				check_role_args(ch, key, val, line, b->col + (int)(v - p));
				grow(&e->roles, &e->caproles, e->nroles + 1, sizeof *e->roles);
				e->roles[e->nroles++] = (struct role){
					xstrdup(key), xstrndup(val, pl), args, line,
					b->col + (int)(v - p) };
			}
		}
		free(key);
		free(val);
		p = eol < end ? eol + 1 : end;
	}
	if (!have_capture)
		diag_add(&ch->diags, DIAG_ERROR, b->line, b->col,
			 "experiment '%s' has no 'capture:' line", e->name);
	if (!e->nroles)
		diag_add(&ch->diags, DIAG_ERROR, b->line, b->col,
			 "experiment '%s' has no roles; expected 'NAME: PROGRAM.c [ARGS]'",
			 e->name);
	check_wire(ch, e);
}

static void parse_experiment(struct chapter *ch, int bi, struct words *w)
{
	struct block *b = &ch->blocks[bi];
	const char *name = NULL;
	int ncol = b->col;

	b->kind = BLOCK_EXPERIMENT;
	for (size_t i = 1; i < w->n; i++) {
		struct word *wd = &w->v[i];
		if (wd->key && !strcmp(wd->key, "name")) {
			if (name)
				diag_add(&ch->diags, DIAG_ERROR, b->line, wd->col,
					 "attribute 'name' given twice");
			name = wd->val;
			ncol = wd->col;
		} else {
			diag_add(&ch->diags, DIAG_ERROR, b->line, wd->col,
				 "unknown attribute '%s' in experiment info string; expected name=NAME",
				 wd->key ? wd->key : wd->val);
		}
	}
	if (!name) {
		diag_add(&ch->diags, DIAG_ERROR, b->line, b->col,
			 "experiment has no name; expected 'experiment name=NAME'");
		return;
	}
	if (!is_name(name, "-.")) {
		diag_add(&ch->diags, DIAG_ERROR, b->line, ncol,
			 "bad experiment name '%s'; use letters, digits, '-', '_' and '.'",
			 name);
		return;
	}
	/* An experiment is a directory beside the build's own files for the
	 * chapter (build/run/CHAPTER/), and is written as NAME.tmp first. */
	if (strlen(name) > EXP_MAX_NAME) {
		diag_add(&ch->diags, DIAG_ERROR, b->line, ncol,
			 "experiment name '%.40s...' is %zu bytes; at most %d", name, strlen(name),
			 EXP_MAX_NAME);
		return;
	}
	if (!strcmp(name, "errors.txt") || !strcmp(name, "claims.txt") ||
	    !strcmp(name, "build-info") || ends_with(name, ".tmp")) {
		diag_add(&ch->diags, DIAG_ERROR, b->line, ncol,
			 "experiment name '%s' is one the build uses for its own files "
			 "(errors.txt, claims.txt, build-info, NAME.tmp)", name);
		return;
	}
	int prev = map_get(&ch->exp_map, name, strlen(name));
	if (prev >= 0) {
		diag_add(&ch->diags, DIAG_ERROR, b->line, ncol,
			 "experiment '%s' is already defined at line %d", name,
			 ch->exps[prev].line);
		return;
	}
	grow(&ch->exps, &ch->capexps, ch->nexps + 1, sizeof *ch->exps);
	struct experiment *e = &ch->exps[ch->nexps];
	memset(e, 0, sizeof *e);
	e->name = xstrdup(name);
	e->block = bi;
	e->line = b->line;
	e->timeout = EXPERIMENT_DEFAULT_TIMEOUT;
	b->experiment = (int)ch->nexps++;
	map_put(&ch->exp_map, e->name, strlen(e->name), b->experiment);
	parse_experiment_body(ch, b, e);
}

static void parse_placeholder(struct chapter *ch, int bi, struct words *w,
			      enum block_kind bk, size_t nargs)
{
	struct block *b = &ch->blocks[bi];
	const char *kind = b->lang;
	size_t n = 0;

	b->kind = bk;
	for (size_t i = 1; i < w->n; i++) {
		if (w->v[i].key) {
			diag_add(&ch->diags, DIAG_ERROR, b->line, w->v[i].col,
				 "unknown attribute '%s' in '%s' %s", w->v[i].key, kind,
				 bk == BLOCK_CLAIMS ? "block" : "placeholder");
			continue;
		}
		if (n == 0)
			b->exp_name = xstrdup(w->v[i].val);
		else if (n == 1 && nargs == 2)
			b->role_name = xstrdup(w->v[i].val);
		n++;
	}
	if (n != nargs)
		diag_add(&ch->diags, DIAG_ERROR, b->line, b->col,
			 nargs == 1 ? "'%s' %s takes %zu argument, the experiment name; got %zu"
				    : "'%s' %s takes %zu arguments, the experiment and the role; got %zu",
			 kind, bk == BLOCK_CLAIMS ? "block" : "placeholder", nargs, n);
	if (n < nargs) {
		free(b->exp_name);
		free(b->role_name);
		b->exp_name = b->role_name = NULL;
	}
}

/* "table NAME": NAME is a file the build makes from the whole book
 * (build/run/NAME.tsv), not an experiment of the chapter. */
static void parse_table(struct chapter *ch, int bi, struct words *w)
{
	struct block *b = &ch->blocks[bi];
	size_t n = 0;

	b->kind = BLOCK_TABLE;
	for (size_t i = 1; i < w->n; i++) {
		if (w->v[i].key) {
			diag_add(&ch->diags, DIAG_ERROR, b->line, w->v[i].col,
				 "unknown attribute '%s' in 'table' placeholder", w->v[i].key);
			continue;
		}
		if (n++ == 0)
			b->exp_name = xstrdup(w->v[i].val);
	}
	if (n != 1)
		diag_add(&ch->diags, DIAG_ERROR, b->line, b->col,
			 "'table' placeholder takes 1 argument, the table's name (such as 'calls'); got %zu", n);
	else if (!is_name(b->exp_name, "-"))
		diag_add(&ch->diags, DIAG_ERROR, b->line, b->col,
			 "bad table name '%s'; letters, digits and '-' only", b->exp_name);
	if (n != 1) {
		free(b->exp_name);
		b->exp_name = NULL;
	}
}

/* ---- one code block --------------------------------------------------- */

static void parse_code_block(struct chapter *ch, cmark_node *node)
{
	int bi = (int)ch->nblocks;
	struct block *b = add_block(ch);
	const char *info = cmark_node_get_fence_info(node);
	const char *lit = cmark_node_get_literal(node);
	int start = cmark_node_get_start_line(node);
	int end = cmark_node_get_end_line(node);
	size_t rl, nlit;
	const char *raw = raw_line(ch, start, &rl);
	size_t c = (size_t)(cmark_node_get_start_column(node) > 0 ?
			    cmark_node_get_start_column(node) - 1 : 0);
	char fch = 0;
	size_t flen = 0;
	struct words w = { NULL, 0, 0 };

	if (!info)
		info = "";
	if (!lit)
		lit = "";
	b->node = node;
	b->text = lit;
	b->len = strlen(lit);
	b->line = start;
	b->col = (int)c + 1;
	nlit = count_lines(b->text, b->len);

	/* The fence, from the raw line: cmark tells neither its length nor
	 * whether it is ever closed. */
	if (c < rl && (raw[c] == '`' || raw[c] == '~')) {
		fch = raw[c];
		while (c + flen < rl && raw[c + flen] == fch)
			flen++;
	}
	int fenced = *info || (flen >= 3 && nlit + start <= (size_t)end);
	if (!fenced) {
		b->content_line = start;
		b->lang = xstrdup("");
		return;
	}
	b->content_line = start + 1;
	if (flen >= 3) {
		size_t el;
		const char *e = raw_line(ch, end, &el), *q = e, *qe = e + el;
		int closed = end > start && nlit == (size_t)(end - start - 1);
		while (closed && q < qe && (is_blank(*q) || *q == '>'))
			q++;
		size_t run = 0;
		while (q < qe && *q == fch) {
			q++;
			run++;
		}
		while (q < qe && is_blank(*q))
			q++;
		if (!closed || run < flen || q != qe)
			b->unterminated = 1;
	}
	size_t ic = (size_t)b->col - 1 + flen;
	while (ic < rl && is_blank(raw[ic]))
		ic++;
	split_info(ch, info, start, (int)ic + 1, &w);
	b->lang = xstrdup(w.n && !w.v[0].key ? w.v[0].val : "");
	if (w.n && w.v[0].key) {
		if (!strcmp(w.v[0].key, "file") || !strcmp(w.v[0].key, "chunk") ||
		    !strcmp(w.v[0].key, "name"))
			diag_add(&ch->diags, DIAG_WARNING, start, w.v[0].col,
				 "info string starts with '%s='; the first word must be the language, as in 'c %s=...'",
				 w.v[0].key, w.v[0].key);
	} else if (!strcmp(b->lang, "experiment"))
		parse_experiment(ch, bi, &w);
	else if (!strcmp(b->lang, "trace"))
		parse_placeholder(ch, bi, &w, BLOCK_TRACE, 1);
	else if (!strcmp(b->lang, "output"))
		parse_placeholder(ch, bi, &w, BLOCK_OUTPUT, 2);
	else if (!strcmp(b->lang, "timeline"))
		parse_placeholder(ch, bi, &w, BLOCK_TIMELINE, 1);
	else if (!strcmp(b->lang, "diagram"))
		parse_placeholder(ch, bi, &w, BLOCK_DIAGRAM, 1);
	else if (!strcmp(b->lang, "claims"))
		parse_placeholder(ch, bi, &w, BLOCK_CLAIMS, 1);
	else if (!strcmp(b->lang, "table"))
		parse_table(ch, bi, &w);
	else if (w.n)
		parse_code_info(ch, bi, &w);
	words_release(&w);
}

/* ---- checks over the whole chapter ------------------------------------ */

struct edge {
	int from, to;		/* chunks; from is -1 for a file block */
	int line, col;
};

/* Reports chunk cycles with an iterative depth-first search (a chapter may
 * nest chunks deeper than the C stack would like). */
static void check_cycles(struct chapter *ch, struct edge *edges, size_t nedges)
{
	size_t n = ch->nchunks;
	size_t *start = xcalloc(n + 1, sizeof *start);
	size_t *adj = xcalloc(nedges, sizeof *adj);
	char *color = xcalloc(n, 1);	/* 0 white, 1 on the stack, 2 done */
	int *stack = xcalloc(n, sizeof *stack);
	size_t *pos = xcalloc(n, sizeof *pos);

	for (size_t i = 0; i < nedges; i++)
		if (edges[i].from >= 0)
			start[edges[i].from + 1]++;
	for (size_t i = 0; i < n; i++)
		start[i + 1] += start[i];
	size_t *fill = xcalloc(n + 1, sizeof *fill);
	memcpy(fill, start, (n + 1) * sizeof *fill);
	for (size_t i = 0; i < nedges; i++)
		if (edges[i].from >= 0)
			adj[fill[edges[i].from]++] = i;
	free(fill);

	for (size_t root = 0; root < n; root++) {
		if (color[root])
			continue;
		size_t sp = 0;
		stack[sp] = (int)root;
		pos[sp++] = start[root];
		color[root] = 1;
		while (sp) {
			int c = stack[sp - 1];
			if (pos[sp - 1] == start[c + 1]) {
				color[c] = 2;
				sp--;
				continue;
			}
			struct edge *e = &edges[adj[pos[sp - 1]++]];
			if (color[e->to] == 0) {
				color[e->to] = 1;
				stack[sp] = e->to;
				pos[sp++] = start[e->to];
			} else if (color[e->to] == 1) {
				struct sb path = SB_INIT;
				size_t k = sp;
				while (k > 0 && stack[k - 1] != e->to)
					k--;
				for (k = k ? k - 1 : 0; k < sp; k++)
					sb_addf(&path, "'%s' -> ", ch->chunks[stack[k]].name);
				sb_addf(&path, "'%s'", ch->chunks[e->to].name);
				diag_add(&ch->diags, DIAG_ERROR, e->line, e->col,
					 "chunk '%s' includes itself: %s",
					 ch->chunks[e->to].name, path.buf);
				sb_release(&path);
			}
		}
	}
	free(start);
	free(adj);
	free(color);
	free(stack);
	free(pos);
}

static void check_refs(struct chapter *ch)
{
	struct edge *edges = NULL;
	size_t nedges = 0, cap = 0;
	char *used = xcalloc(ch->nchunks + 1, 1);

	for (size_t bi = 0; bi < ch->nblocks; bi++) {
		struct block *b = &ch->blocks[bi];
		if (b->kind != BLOCK_CODE)
			continue;
		const char *p = b->text, *end = b->text + b->len;
		for (int line = b->content_line; p < end; line++) {
			const char *eol = memchr(p, '\n', (size_t)(end - p));
			if (!eol)
				eol = end;
			size_t indent, nl;
			const char *name;
			if (chapter_line_ref(p, (size_t)(eol - p), &indent, &name, &nl)) {
				int c = chapter_chunk(ch, name, nl);
				int col = b->col + (int)indent;
				if (c < 0) {
					diag_add(&ch->diags, DIAG_ERROR, line, col,
						 "chunk '%.*s' is used but never defined",
						 (int)nl, name);
				} else {
					struct chunk *k = &ch->chunks[c];
					used[c] = 1;
					if (!k->nusers || k->users[k->nusers - 1] != (int)bi) {
						grow(&k->users, &k->capusers, k->nusers + 1, sizeof *k->users);
						k->users[k->nusers++] = (int)bi;
					}
					grow(&edges, &cap, nedges + 1, sizeof *edges);
					edges[nedges++] = (struct edge){ b->chunk, c, line, col };
				}
			}
			p = eol < end ? eol + 1 : end;
		}
	}
	for (size_t c = 0; c < ch->nchunks; c++)
		if (!used[c]) {
			struct block *b = &ch->blocks[ch->chunks[c].first];
			diag_add(&ch->diags, DIAG_WARNING, b->line, b->col,
				 "chunk '%s' is defined but never used", ch->chunks[c].name);
		}
	check_cycles(ch, edges, nedges);
	free(edges);
	free(used);
}

static void check_experiments(struct chapter *ch)
{
	for (size_t i = 0; i < ch->nexps; i++) {
		struct experiment *e = &ch->exps[i];
		for (size_t r = 0; r < e->nroles; r++) {
			struct role *ro = &e->roles[r];
			size_t pl = strlen(ro->program);
			int f = map_get(&ch->file_map, ro->program, pl);
			if (pl < 3 || strcmp(ro->program + pl - 2, ".c") != 0)
				diag_add(&ch->diags, DIAG_ERROR, ro->line, ro->col,
					 "role '%s' runs '%s', which is not a .c file",
					 ro->name, ro->program);
			else if (f < 0)
				diag_add(&ch->diags, DIAG_ERROR, ro->line, ro->col,
					 "role '%s' runs '%s', but no block has file=%s",
					 ro->name, ro->program, ro->program);
			else if (strchr(ro->program, '/'))
				diag_add(&ch->diags, DIAG_ERROR, ro->line, ro->col,
					 "role '%s' runs '%s', which is in a subdirectory; only the .c files "
					 "at the top are compiled into programs", ro->name, ro->program);
		}
	}
	for (size_t bi = 0; bi < ch->nblocks; bi++) {
		struct block *b = &ch->blocks[bi];
		if (!block_names_experiment(b->kind) || !b->exp_name)
			continue;
		int e = chapter_experiment(ch, b->exp_name);
		if (e < 0 && b->kind == BLOCK_CLAIMS) {
			diag_add(&ch->diags, DIAG_ERROR, b->line, b->col,
				 "claims for unknown experiment '%s'", b->exp_name);
			continue;
		}
		if (e < 0) {
			diag_add(&ch->diags, DIAG_ERROR, b->line, b->col,
				 "%s placeholder names unknown experiment '%s'", b->lang, b->exp_name);
			continue;
		}
		b->experiment = e;
		if (b->role_name && experiment_role(&ch->exps[e], b->role_name) < 0)
			diag_add(&ch->diags, DIAG_ERROR, b->line, b->col,
				 "experiment '%s' has no role '%s'", b->exp_name, b->role_name);
	}
}

/* Every lab_step("NAME") in the chapter's program code. A call with any
 * other argument (a variable, an escape) makes the steps unknowable. */
static void collect_steps(struct chapter *ch)
{
	ch->steps_known = 1;
	for (size_t bi = 0; bi < ch->nblocks; bi++) {
		const struct block *b = &ch->blocks[bi];
		if (b->kind != BLOCK_CODE)
			continue;
		const char *end = b->text + b->len;
		for (const char *p = b->text; (p = memmem(p, (size_t)(end - p), "lab_step", 8)); p += 8) {
			const char *q = p + 8, *close;
			if (p > b->text && (p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z')))
				continue;
			while (q < end && is_blank(*q))
				q++;
			if (q >= end || *q != '(')
				continue;	/* a mention, not a call */
			q++;
			while (q < end && is_blank(*q))
				q++;
			close = q < end && *q == '"' ? memchr(q + 1, '"', (size_t)(end - q - 1)) : NULL;
			if (!close || memchr(q + 1, '\\', (size_t)(close - q - 1)) ||
			    memchr(q + 1, '\n', (size_t)(close - q - 1))) {
				ch->steps_known = 0;
				continue;
			}
			int seen = 0;
			for (size_t i = 0; i < ch->nsteps && !seen; i++)
				seen = strlen(ch->steps[i]) == (size_t)(close - q - 1) &&
				       !memcmp(ch->steps[i], q + 1, (size_t)(close - q - 1));
			if (!seen) {
				grow(&ch->steps, &ch->capsteps, ch->nsteps + 1, sizeof *ch->steps);
				ch->steps[ch->nsteps++] = xstrndup(q + 1, (size_t)(close - q - 1));
			}
		}
	}
}

/* Parses every claims block with what the chapter tells of its experiment:
 * its roles and the steps its programs announce (claims.h). */
static void parse_claims(struct chapter *ch)
{
	collect_steps(ch);
	for (size_t bi = 0; bi < ch->nblocks; bi++) {
		struct block *b = &ch->blocks[bi];
		if (b->kind != BLOCK_CLAIMS)
			continue;
		struct claim_scope sc = { b->exp_name, NULL, 0, (const char *const *)ch->steps,
					  ch->nsteps, ch->steps_known };
		const char **roles = NULL;
		if (b->experiment >= 0) {
			const struct experiment *e = &ch->exps[b->experiment];
			roles = xcalloc(e->nroles + 1, sizeof *roles);
			for (size_t r = 0; r < e->nroles; r++)
				roles[r] = e->roles[r].name;
			sc.roles = roles;
			sc.nroles = e->nroles;
		} else {
			sc.steps_known = 0;	/* an unknown experiment is reported already */
		}
		claims_parse(b->text, b->len, b->content_line, b->col, &sc, &b->claims,
			     b->experiment >= 0 ? &ch->diags : NULL);
		free(roles);
	}
}

static void collect_text(cmark_node *n, struct sb *out)
{
	for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
		switch (cmark_node_get_type(c)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			sb_adds(out, cmark_node_get_literal(c));
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			sb_addc(out, ' ');
			break;
		default:
			collect_text(c, out);
		}
	}
}

/* The page renders cmark's safe HTML: a chapter is untrusted, so raw HTML
 * in it is dropped ("raw HTML omitted"). Say so where it is, or an
 * author's <sup> silently vanishes from the book. A comment is an
 * author's note and is meant to vanish. */
static void warn_raw_html(struct chapter *ch, cmark_node *n)
{
	const char *lit = cmark_node_get_literal(n);
	cmark_node *b = n;
	size_t shown = lit ? strcspn(lit, "\n") : 0;
	if (lit && (!strncmp(lit, "<!--", 4) || !strncmp(lit, "</", 2)))
		return;		/* a note, or the end of a tag already reported */
	while (b && !cmark_node_get_start_line(b))
		b = cmark_node_parent(b);
	diag_add(&ch->diags, DIAG_WARNING, b ? cmark_node_get_start_line(b) : 1,
		 b && b == n ? cmark_node_get_start_column(b) : 1,
		 "raw HTML '%.*s' is not rendered: the book shows a chapter's "
		 "Markdown, never its HTML", (int)(shown < 40 ? shown : 40),
		 lit ? lit : "");
}

/* ---- entry points ----------------------------------------------------- */

struct chapter *chapter_parse(const char *path, const char *buf, size_t len)
{
	struct chapter *ch = xcalloc(1, sizeof *ch);
	cmark_iter *it;
	cmark_event_type ev;

	ch->path = xstrdup(path);
	ch->src = xstrndup(buf, len);
	ch->srclen = len;
	index_lines(ch);
	ch->doc = cmark_parse_document(ch->src, len,
				       CMARK_OPT_SOURCEPOS | CMARK_OPT_VALIDATE_UTF8);
	if (!ch->doc)
		BUG("cmark_parse_document returned NULL");
	it = cmark_iter_new(ch->doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (cmark_node_get_type(n) == CMARK_NODE_CODE_BLOCK)
			parse_code_block(ch, n);
		else if (cmark_node_get_type(n) == CMARK_NODE_HTML_BLOCK ||
			 cmark_node_get_type(n) == CMARK_NODE_HTML_INLINE)
			warn_raw_html(ch, n);
		else if (cmark_node_get_type(n) == CMARK_NODE_HEADING && !ch->title) {
			struct sb t = SB_INIT;
			collect_text(n, &t);
			ch->title = sb_detach(&t);
		}
	}
	cmark_iter_free(it);

	/* A fence "closed" on the line where the next block opens was really
	 * cut off by the end of its container (a list item, a quote). */
	for (size_t i = 0; i + 1 < ch->nblocks; i++)
		if (cmark_node_get_end_line(ch->blocks[i].node) == ch->blocks[i + 1].line &&
		    ch->blocks[i].content_line > ch->blocks[i].line)
			ch->blocks[i].unterminated = 1;
	for (size_t i = 0; i < ch->nblocks; i++)
		if (ch->blocks[i].unterminated)
			diag_add(&ch->diags, DIAG_WARNING, ch->blocks[i].line, ch->blocks[i].col,
				 "code fence opened here is never closed; it runs to the end of %s",
				 cmark_node_get_type(cmark_node_parent(ch->blocks[i].node)) ==
				 CMARK_NODE_DOCUMENT ? "the document" : "its list item or quote");
	check_refs(ch);
	check_experiments(ch);
	parse_claims(ch);
	return ch;
}

void chapter_free(struct chapter *ch)
{
	if (!ch)
		return;
	for (size_t i = 0; i < ch->nblocks; i++) {
		free(ch->blocks[i].lang);
		free(ch->blocks[i].exp_name);
		free(ch->blocks[i].role_name);
		claim_list_release(&ch->blocks[i].claims);
	}
	for (size_t i = 0; i < ch->nsteps; i++)
		free(ch->steps[i]);
	free(ch->steps);
	for (size_t i = 0; i < ch->nchunks; i++) {
		free(ch->chunks[i].name);
		free(ch->chunks[i].users);
	}
	for (size_t i = 0; i < ch->nfiles; i++) {
		free(ch->files[i].name);
		free(ch->files[i].lang);
	}
	for (size_t i = 0; i < ch->nexps; i++) {
		struct experiment *e = &ch->exps[i];
		for (size_t r = 0; r < e->nroles; r++) {
			free(e->roles[r].name);
			free(e->roles[r].program);
			free(e->roles[r].args);
		}
		free(e->roles);
		for (size_t w = 0; w < e->nwire; w++) {
			free(e->wire[w].key);
			free(e->wire[w].value);
		}
		free(e->wire);
		free(e->name);
		free(e->capture);
	}
	free(ch->blocks);
	free(ch->chunks);
	free(ch->files);
	free(ch->exps);
	map_release(&ch->chunk_map);
	map_release(&ch->file_map);
	map_release(&ch->exp_map);
	diags_release(&ch->diags);
	if (ch->doc)
		cmark_node_free(ch->doc);
	free(ch->line_start);
	free(ch->title);
	free(ch->src);
	free(ch->path);
	free(ch);
}
