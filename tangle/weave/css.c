/*
 * css.c: the pages' style sheet, tangle/weave/book.css, built into weave so that
 * every page carries it inline and works offline and in the PDF.
 *
 * The file is included by the assembler (.incbin), with a NUL after it, as
 * the string book_css. The path is relative to the directory the compiler
 * runs in: the top of the repository, as the Makefile does. The Makefile
 * must name tangle/weave/book.css as a prerequisite of this object, since the
 * compiler's dependency files do not list it.
 */
__asm__(".section .rodata\n"
	".global book_css\n"
	".type book_css, @object\n"
	"book_css:\n"
	".incbin \"tangle/weave/book.css\"\n"
	".byte 0\n"
	".size book_css, . - book_css\n"
	".previous\n");
