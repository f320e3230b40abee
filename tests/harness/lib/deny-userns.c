/* LD_PRELOAD shim: unshare(CLONE_NEWUSER) fails with EPERM, as on a kernel
 * that forbids unprivileged user namespaces. Built as a shared object by
 * tests/harness.sh; not a program (the .so is built separately). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <sched.h>

int unshare(int flags)
{
	int (*real)(int) = (int (*)(int))dlsym(RTLD_NEXT, "unshare");

	if (flags & CLONE_NEWUSER) {
		errno = EPERM;
		return -1;
	}
	return real(flags);
}
