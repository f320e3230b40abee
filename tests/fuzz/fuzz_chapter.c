/*
 * tests/fuzz/fuzz_chapter.c: libFuzzer target for the chapter parser, the
 * tangler and the page renderer. Any input bytes must parse without a crash,
 * a leak or undefined behaviour; tangling and weaving what was parsed must
 * too. Build and run (from the top of the repository):
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE \
 *       -Icode/lib -Itangle/model -Itangle/weave \
 *       -o build/fuzz_chapter tests/fuzz/fuzz_chapter.c code/lib/util.c \
 *       tangle/model/[a-z]*.c $(ls tangle/weave/[a-z]*.c | grep -v weave.c) -lcmark
 *   mkdir -p build/fuzz-corpus && cp tests/tangle/[a-z]*.md build/fuzz-corpus/
 *   build/fuzz_chapter -max_total_time=180 -max_len=8192 build/fuzz-corpus
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
