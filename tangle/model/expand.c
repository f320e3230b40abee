/* expand.c: expanding chunk references into program files, and writing the
 * experiment list for the harness. */
#include "expand.h"

#include <stdlib.h>
#include <string.h>

int expand_wants_line_directives(const char *name)
{
	static const char *const ext[] = { ".c", ".h", ".cc", ".cpp", ".hpp" };
	size_t n = strlen(name);
	for (size_t i = 0; i < sizeof ext / sizeof *ext; i++) {
		size_t e = strlen(ext[i]);
		if (n > e && strcmp(name + n - e, ext[i]) == 0)
			return 1;
	}
	return 0;
}

/* One block being copied: where we are in it and under which prefix. */
struct frame {
	int block;
	size_t pos;		/* offset of the next line in block.text */
	int line;		/* chapter line of that next line */
	size_t prefix;		/* length of the indentation prefix in use */
	int chunk;		/* the chunk being expanded, -1 for the file */
};

struct expander {
	const struct chapter *ch;
	struct sb *out;
	int directives;
	int next_line;		/* chapter line the next output line maps to */
	struct sb path;		/* chapter path, escaped for #line */
	struct sb prefix;
};

static void emit_line(struct expander *x, int line, const char *s, size_t n)
{
	if (x->directives && line != x->next_line)
		sb_addf(x->out, "#line %d \"%s\"\n", line, x->path.buf);
	x->next_line = line + 1;
	if (n) {
		sb_add(x->out, x->prefix.buf, x->prefix.len);
		sb_add(x->out, s, n);
	}
	sb_addc(x->out, '\n');
}

void expand_file(const struct chapter *ch, size_t f, struct sb *out)
{
	struct expander x = { ch, out, expand_wants_line_directives(ch->files[f].name),
			      -1, SB_INIT, SB_INIT };
	struct frame *stack = NULL;
	size_t sp = 0, cap = 0;
	char *active = xcalloc(ch->nchunks + 1, 1);

	for (const char *p = ch->path; *p; p++) {
		if (*p == '"' || *p == '\\')
			sb_addc(&x.path, '\\');
		sb_addc(&x.path, *p);
	}
	sb_add(&x.prefix, "", 0);
	sb_add(&x.path, "", 0);

	int first = ch->files[f].first;
	grow(&stack, &cap, 1, sizeof *stack);
	stack[sp++] = (struct frame){ first, 0, ch->blocks[first].content_line, 0, -1 };
	while (sp) {
		struct frame *fr = &stack[sp - 1];
		const struct block *b = &ch->blocks[fr->block];

		if (fr->pos >= b->len) {
			if (b->next >= 0) {
				fr->block = b->next;
				fr->pos = 0;
				fr->line = ch->blocks[b->next].content_line;
				continue;
			}
			if (fr->chunk >= 0)
				active[fr->chunk] = 0;
			sp--;
			if (sp)
				x.prefix.len = stack[sp - 1].prefix;
			continue;
		}
		const char *s = b->text + fr->pos;
		const char *eol = memchr(s, '\n', b->len - fr->pos);
		size_t n = eol ? (size_t)(eol - s) : b->len - fr->pos;
		int line = fr->line;
		size_t indent, nl;
		const char *name;

		fr->pos += n + 1;
		fr->line++;
		if (chapter_line_ref(s, n, &indent, &name, &nl)) {
			int c = chapter_chunk(ch, name, nl);
			if (c < 0 || active[c])
				continue;	/* reported by chapter_parse */
			active[c] = 1;
			sb_add(&x.prefix, s, indent);
			int cb = ch->chunks[c].first;
			grow(&stack, &cap, sp + 1, sizeof *stack);
			stack[sp++] = (struct frame){ cb, 0, ch->blocks[cb].content_line,
						      x.prefix.len, c };
			continue;
		}
		while (n && s[n - 1] == '\r')
			n--;
		emit_line(&x, line, s, n);
	}
	free(stack);
	free(active);
	sb_release(&x.path);
	sb_release(&x.prefix);
}

void expand_experiments(const struct chapter *ch, struct sb *out)
{
	sb_add(out, "", 0);
	for (size_t i = 0; i < ch->nexps; i++) {
		const struct experiment *e = &ch->exps[i];
		sb_addf(out, "experiment %s\nline %d\ncapture %s\ntimeout %d\n",
			e->name, e->line, e->capture ? e->capture : "", e->timeout);
		if (e->racy)
			sb_adds(out, "deterministic no\n");
		for (size_t w = 0; w < e->nwire; w++)
			sb_addf(out, "wire %d %s %s\n", e->wire[w].line, e->wire[w].key, e->wire[w].value);
		for (size_t r = 0; r < e->nroles; r++) {
			const struct role *ro = &e->roles[r];
			sb_addf(out, "role %s %s%s%s\n", ro->name, ro->program,
				*ro->args ? " " : "", ro->args);
		}
		sb_adds(out, "end\n");
	}
}

void expand_claims(const struct chapter *ch, struct sb *out)
{
	sb_add(out, "", 0);
	for (size_t i = 0; i < ch->nblocks; i++) {
		const struct block *b = &ch->blocks[i];
		if (b->kind == BLOCK_CLAIMS && b->exp_name)
			claims_write(b->exp_name, &b->claims, out);
	}
}
