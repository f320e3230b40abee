/* LD_PRELOAD shim: the kernel refuses one step of the sandbox, named by
 * $DENY: a namespace kind (CLONE_NEWNS, CLONE_NEWIPC, CLONE_NEWUTS,
 * CLONE_NEWCGROUP: unshare fails with EINVAL when asked for it, as on a
 * kernel built without it), mount_setattr (ENOSYS, as before Linux 5.12:
 * the harness then remounts each mount), mount_setattr+remount (and those
 * remounts fail with EPERM), or proc (mounting a fresh /proc fails with EPERM, as where the
 * host's /proc is partly covered). Built as a shared object by
 * tests/harness.sh. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

static int denied(const char *what)
{
	const char *d = getenv("DENY");
	return d && !strcmp(d, what);
}

int unshare(int flags)
{
	int (*real)(int) = (int (*)(int))dlsym(RTLD_NEXT, "unshare");
	static const struct { int flag; const char *name; } kinds[] = {
		{ CLONE_NEWNS, "CLONE_NEWNS" }, { CLONE_NEWIPC, "CLONE_NEWIPC" },
		{ CLONE_NEWUTS, "CLONE_NEWUTS" }, { CLONE_NEWCGROUP, "CLONE_NEWCGROUP" },
	};
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if ((flags & kinds[i].flag) && denied(kinds[i].name)) {
			errno = EINVAL;
			return -1;
		}
	return real(flags);
}

int mount_setattr(int dfd, const char *path, unsigned int flags, struct mount_attr *attr,
		  size_t size)
{
	int (*real)(int, const char *, unsigned int, struct mount_attr *, size_t) =
		(int (*)(int, const char *, unsigned int, struct mount_attr *, size_t))
			dlsym(RTLD_NEXT, "mount_setattr");
	if (denied("mount_setattr") || denied("mount_setattr+remount")) {
		errno = ENOSYS;
		return -1;
	}
	return real(dfd, path, flags, attr, size);
}

int mount(const char *src, const char *target, const char *type, unsigned long flags,
	  const void *data)
{
	int (*real)(const char *, const char *, const char *, unsigned long, const void *) =
		(int (*)(const char *, const char *, const char *, unsigned long, const void *))
			dlsym(RTLD_NEXT, "mount");
	if ((type && !strcmp(type, "proc") && denied("proc")) ||
	    ((flags & MS_REMOUNT) && denied("mount_setattr+remount"))) {
		errno = EPERM;
		return -1;
	}
	return real(src, target, type, flags, data);
}
