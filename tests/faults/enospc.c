/*
 * enospc.c: an LD_PRELOAD library for tests/faults.sh that makes a full
 * disk for the files a test names. Every open for writing of a path that
 * matches the shell pattern in $ENOSPC_PATH (fnmatch(3), without
 * FNM_PATHNAME) opens /dev/full instead, whose writes fail with ENOSPC (see
 * null(4)). Covers fopen, fopen64, open, open64, openat, openat64 and
 * creat, the ways the build's tools (claims, tangle, weave, cc, as, ld)
 * create files. Nothing else is changed.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int full(const char *path, int writing)
{
	const char *pat = getenv("ENOSPC_PATH");
	return writing && path && pat && *pat && fnmatch(pat, path, 0) == 0;
}

static int writes(int flags) { return (flags & O_ACCMODE) != O_RDONLY || (flags & O_CREAT); }

typedef FILE *fopen_fn(const char *, const char *);
typedef int open_fn(const char *, int, ...);
typedef int openat_fn(int, const char *, int, ...);
typedef int creat_fn(const char *, mode_t);

#define REAL(name, type) static type *real_##name; \
	if (!real_##name) real_##name = (type *)dlsym(RTLD_NEXT, #name)

FILE *fopen(const char *path, const char *mode)
{
	REAL(fopen, fopen_fn);
	if (full(path, strpbrk(mode, "wa+") != NULL))
		return real_fopen("/dev/full", strchr(mode, '+') ? "r+" : "w");
	return real_fopen(path, mode);
}

FILE *fopen64(const char *path, const char *mode)
{
	REAL(fopen64, fopen_fn);
	if (full(path, strpbrk(mode, "wa+") != NULL))
		return real_fopen64("/dev/full", strchr(mode, '+') ? "r+" : "w");
	return real_fopen64(path, mode);
}

#define OPEN_LIKE(name) \
int name(const char *path, int flags, ...) \
{ \
	mode_t m = 0; \
	if (flags & (O_CREAT | O_TMPFILE)) { \
		va_list ap; \
		va_start(ap, flags); \
		m = (mode_t)va_arg(ap, int); \
		va_end(ap); \
	} \
	REAL(name, open_fn); \
	if (full(path, writes(flags))) \
		return real_##name("/dev/full", O_WRONLY); \
	return real_##name(path, flags, m); \
}
OPEN_LIKE(open)
OPEN_LIKE(open64)

#define OPENAT_LIKE(name) \
int name(int dir, const char *path, int flags, ...) \
{ \
	mode_t m = 0; \
	if (flags & (O_CREAT | O_TMPFILE)) { \
		va_list ap; \
		va_start(ap, flags); \
		m = (mode_t)va_arg(ap, int); \
		va_end(ap); \
	} \
	REAL(name, openat_fn); \
	if (full(path, writes(flags))) \
		return real_##name(AT_FDCWD, "/dev/full", O_WRONLY); \
	return real_##name(dir, path, flags, m); \
}
OPENAT_LIKE(openat)
OPENAT_LIKE(openat64)

int creat(const char *path, mode_t m)
{
	REAL(creat, creat_fn);
	if (full(path, 1))
		return open("/dev/full", O_WRONLY);
	return real_creat(path, m);
}
