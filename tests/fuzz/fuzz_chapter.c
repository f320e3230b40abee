/*
 * tests/fuzz/fuzz_chapter.c: libFuzzer target for the chapter parser, the
 * tangler and the page renderer. Any input bytes must parse without a crash,
 * a leak or undefined behaviour; tangling and weaving what was parsed must
 * too. `make fuzz` builds it with clang, ASan and UBSan as
 * build/fuzz/fuzz_chapter; `make test` runs it for a few seconds
 * (tests/fuzz.sh). A longer run, from the top of the repository:
 *
 *   make fuzz
 *   mkdir -p build/fuzz/corpus && cp tests/tangle/[a-z]*.md chapters/[0-9]*.md build/fuzz/corpus/
 *   build/fuzz/fuzz_chapter -max_total_time=180 -max_len=8192 build/fuzz/corpus
 *
 * weave runs source-highlight once per page; set WEAVE_HIGHLIGHTER to a
 * name that is no program for about five times as many inputs a second.
 */
#include <stddef.h>
#include <stdint.h>

#include "chapter.h"
#include "expand.h"
#include "render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct chapter *ch = chapter_parse("chapters/fuzz.md", (const char *)data, size);
	struct sb out = SB_INIT;
	struct provenance prov = PROVENANCE_INIT;
	struct weave_opts o = { .outdir = "build/html", .tangledir = "build/tangle/fuzz",
				.prov = &prov };

	/* tangle expands even a chapter with errors here: the expander must
	 * survive missing chunks and cycles on its own */
	for (size_t f = 0; f < ch->nfiles; f++) {
		sb_reset(&out);
		expand_file(ch, f, &out);
	}
	sb_reset(&out);
	expand_experiments(ch, &out);
	sb_reset(&out);
	render_chapter(ch, &o, &out);
	sb_release(&out);
	chapter_free(ch);
	return 0;
}
