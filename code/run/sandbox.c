/* sandbox.c: the namespaces an experiment runs in. */
#include "run.h"

/* --- the namespace ----------------------------------------------------------- */

int write_proc(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t k;
	if (fd < 0)
		return -1;
	k = write(fd, text, strlen(text));
	close(fd);
	return k == (ssize_t)strlen(text) ? 0 : -1;
}

/*
 * Moves the calling process into new user (when not root), network and pid
 * namespaces. Prints what to do and returns -1 when the kernel refuses.
 */
int enter_namespaces(void)
{
	uid_t uid = geteuid();
	gid_t gid = getegid();
	char map[64];

	if (uid != 0) {
		if (unshare(CLONE_NEWUSER) < 0) {
			fprintf(stderr,
				"%s: unshare(CLONE_NEWUSER): %s\n"
				"  this kernel does not let an ordinary user create a user namespace;\n"
				"  run the build as root, or allow it with\n"
				"  'sysctl -w kernel.unprivileged_userns_clone=1' (Debian) or\n"
				"  'sysctl -w user.max_user_namespaces=10000'\n",
				progname, strerror(errno));
			return -1;
		}
		write_proc("/proc/self/setgroups", "deny");
		snprintf(map, sizeof map, "0 %u 1", (unsigned)uid);
		if (write_proc("/proc/self/uid_map", map) < 0) {
			fprintf(stderr, "%s: writing /proc/self/uid_map: %s\n", progname, strerror(errno));
			return -1;
		}
		snprintf(map, sizeof map, "0 %u 1", (unsigned)gid);
		if (write_proc("/proc/self/gid_map", map) < 0) {
			fprintf(stderr, "%s: writing /proc/self/gid_map: %s\n", progname, strerror(errno));
			return -1;
		}
	}
	if (unshare(CLONE_NEWNET | CLONE_NEWPID) < 0) {
		fprintf(stderr, "%s: unshare(CLONE_NEWNET|CLONE_NEWPID): %s\n%s", progname,
			strerror(errno),
			errno == EPERM ? "  run as root, or as a user allowed to create user namespaces\n" : "");
		return -1;
	}
	return 0;
}

int loopback_up(char *msg, size_t len)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	memset(&ifr, 0, sizeof ifr);
	strcpy(ifr.ifr_name, "lo");
	if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) < 0) {
		snprintf(msg, len, "SIOCGIFFLAGS lo: %s", strerror(errno));
		goto err;
	}
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0) {
		snprintf(msg, len, "SIOCSIFFLAGS lo: %s", strerror(errno));
		goto err;
	}
	close(fd);
	return 0;
err:
	if (fd >= 0)
		close(fd);
	return -1;
}
