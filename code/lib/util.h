/*
 * util.h: memory, growable byte buffers, a string hash map, and file I/O
 * shared by tangle and weave.
 *
 * Invariants: a `struct sb` initialised with SB_INIT is always valid; after
 * the first append `buf` is never NULL and is NUL-terminated (the NUL is not
 * counted in `len`). Allocation failure is not reported: the x* functions
 * print "out of memory" and exit(2), so callers never check for NULL.
 */
#ifndef TANGLE_UTIL_H
#define TANGLE_UTIL_H

#include <stdarg.h>
#include <stddef.h>

/* Program name used in messages ("tangle", "weave"); set by main. */
extern const char *progname;

/* ---- memory ---------------------------------------------------------- */

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/* Returns a copy of s (or of its first n bytes); the caller frees it. */
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Strips blanks and line ends from both ends of s, in place; returns the
 * first kept character. */
char *strtrim(char *s);
/* Grows *p (an array of *cap elements of `size` bytes) to hold need elements. */
void grow(void *p, size_t *cap, size_t need, size_t size);

/* Programmer errors: abort with __FILE__:__LINE__. */
#define BUG(msg) bug(__FILE__, __LINE__, msg)
void bug(const char *file, int line, const char *msg) __attribute__((noreturn));

/* ---- byte buffers ---------------------------------------------------- */

struct sb {
	char *buf;
	size_t len, cap;
};
#define SB_INIT { NULL, 0, 0 }

void sb_add(struct sb *sb, const void *data, size_t n);
void sb_adds(struct sb *sb, const char *s);
void sb_addc(struct sb *sb, char c);
void sb_addf(struct sb *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vaddf(struct sb *sb, const char *fmt, va_list ap);
void sb_reset(struct sb *sb);
/* Returns the buffer (never NULL, NUL-terminated) and leaves sb empty; the
 * caller frees the returned string. */
char *sb_detach(struct sb *sb);
void sb_release(struct sb *sb);

/* ---- string -> int map ------------------------------------------------ */

/* Keys are borrowed: they must outlive the map. Values are ints >= 0. */
struct map {
	const char **keys;
	size_t *klens;
	int *vals;
	size_t cap, used;
};
#define MAP_INIT { NULL, NULL, NULL, 0, 0 }

/* Returns the value stored for key, or -1. */
int map_get(const struct map *m, const char *key, size_t klen);
/* Stores val for key (replacing any previous value). */
void map_put(struct map *m, const char *key, size_t klen, int val);
void map_release(struct map *m);

/* ---- files ----------------------------------------------------------- */

/* Reads the whole file into *out (NUL-terminated). Returns 0, or -1 with
 * errno set. */
int read_file(const char *path, struct sb *out);
/* Writes data to path unless path already holds exactly data. Writes go to a
 * temporary file in the same directory, then rename(2), so a reader never
 * sees a partial file. Creates missing parent directories. Returns 1 if the
 * file was written, 0 if it was already up to date, -1 on failure after
 * printing a message naming the system call and the path. */
int write_if_changed(const char *path, const char *data, size_t len);
/* Creates every missing directory leading to the file `path`. Returns 0 or
 * -1 with errno set. */
int mkdir_parents(const char *path);

/* ---- patterns ---------------------------------------------------------- */

/*
 * A token of a pattern other than '*' and a literal character (the claims'
 * {OP N}): given the pattern at pat and the text at text (line is the
 * whole line, for looking behind), returns the token's length in pat, or 0
 * when none starts there; when one does, sets *end to where the text it
 * matches ends, or to NULL when it does not match at text.
 */
typedef size_t (*glob_token_fn)(const char *line, const char *text, const char *pat,
				const char **end);
/* Does pat occur anywhere in line? '*' stands for any run of text (with
 * backtracking to the last '*'), token (may be NULL) for the tokens it
 * knows; every other character for itself. The one matcher of the wire's
 * packet patterns (code/run/wirespec.c) and the claims' (tangle/model/claims.c). */
int glob_search(const char *line, const char *pat, glob_token_fn token);

#endif
