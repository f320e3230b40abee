/*
 * publish.h: the site's files, so that build/html/ holds everything its
 * pages link and nothing else. weave --site records each file it writes or
 * publishes in a struct outset; publish_tree() puts a copy of a run or
 * tangle directory under the site (a hard link where the file system
 * allows, else a copy; each file only when it is not already the same);
 * sweep() then removes every file of the site that this run did not make
 * (a deleted chapter's page, a run's files that are gone, temporaries left
 * by a killed weave), except the names it is told to keep.
 */
#ifndef TANGLE_PUBLISH_H
#define TANGLE_PUBLISH_H

#include <stddef.h>

/* A set of paths; owned strings, freed by outset_release. */
struct outset {
	char **v;
	size_t n, cap;
	int sorted;
};
#define OUTSET_INIT { NULL, 0, 0, 0 }

void outset_add(struct outset *s, const char *path);
void outset_release(struct outset *s);

/* Makes dst a copy of the tree src: every regular file whose name does not
 * start with '.', linked or copied into the same place under dst when dst's
 * file differs; records each in s. A missing src publishes nothing.
 * Returns 0, or -1 after a message naming the call and the path. */
int publish_tree(const char *src, const char *dst, struct outset *s);

/* Links or copies one file (see publish_tree). Returns 0 or -1. */
int publish_file(const char *src, const char *dst, struct outset *s);

/* Removes, under dir, every file not in s whose path relative to dir is not
 * in keep (NULL-terminated), then the directories left empty. Returns 0,
 * or -1 if something could not be removed (reported). */
int sweep(const char *dir, const struct outset *s, const char *const *keep);

#endif
