/*
 * sandbox.c: the namespaces and privileges an experiment runs with.
 *
 * A chapter is untrusted code. Whether the harness runs as root or not,
 * each experiment gets its own user, network, pid, mount, IPC, UTS and
 * cgroup namespaces (the runner makes them: sandbox_enter), and the
 * experiment's init then makes the mount namespace safe (sandbox_init):
 *
 *   - the uid and gid inside are 0, mapped to the harness's own uid when
 *     it is an ordinary user, and to SANDBOX_UID (nobody) when it is root,
 *     so that no process of the experiment is root, or owns a root file,
 *     on the host: a capability in a user namespace counts only for what
 *     that namespace owns (user_namespaces(7)), and inodes whose owner is
 *     not mapped are outside even that (privileged_wrt_inode_uidgid());
 *   - every mount inherited from the host is read-only (mount_setattr(2),
 *     recursively; before Linux 5.12, each mount remounted read-only);
 *     fresh proc (of the new pid namespace: the host's processes are not in
 *     it), sysfs (of the new network namespace), a /dev of a few nodes
 *     (fresh_dev), and size-limited tmpfs on /tmp, /dev/shm and /run (where
 *     the host's daemons' sockets are) are mounted over them;
 *   - the experiment's result directory is reached only through a
 *     descriptor the harness opened on the host's mount (RUNDIR/E.tmp);
 *     init names it /proc/self/fd/N, and marks itself non-dumpable so that
 *     no program can reach it through /proc/1/fd (proc(5), ptrace access
 *     mode checks).
 *
 * A chapter's program (sandbox_drop, in the forked child before execve)
 * keeps only CAP_NET_ADMIN, CAP_NET_RAW, CAP_NET_BIND_SERVICE and
 * CAP_NET_BROADCAST, in the experiment's user namespace: enough for raw
 * sockets, nftables and NFQUEUE in its own network namespace, not enough to
 * mount, unmount the fresh /proc, make the mounts writable again, ptrace
 * init or change ids. It runs with no_new_privs, so no file can give back
 * what was dropped. setns(2) into a host namespace needs CAP_SYS_ADMIN in
 * the host's user namespace, which no process of the experiment has.
 *
 * On top of that, a seccomp filter (libseccomp, built once by init) makes
 * the calls no chapter needs fail with EPERM: new namespaces (unshare,
 * setns, clone with CLONE_NEW*; clone3 fails with ENOSYS, so that libc
 * falls back to clone), every mount call, ptrace and process_vm_*, keyrings,
 * bpf, perf_event_open, userfaultfd, io_uring, module and kexec calls, and
 * a few other old doors. A nested user namespace would give a program every
 * capability over the namespaces it then makes: not a way out (the mounts
 * it inherits are locked, the host's namespaces are not its own), but the
 * kernel code it opens is the usual way a container is escaped. Calls of
 * another architecture's ABI (int 0x80) kill the program.
 *
 * Where the kernel refuses any of this, the functions say which step and
 * why, and the harness stops: an experiment never runs with less.
 */
#include "run.h"
#include <grp.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/syscall.h>

/* --- small helpers -------------------------------------------------------------- */

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

/* Reads one byte from fd within ms milliseconds; 0 when it came. */
static int wait_byte(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char c;
	int k;
	do
		k = poll(&p, 1, ms);
	while (k < 0 && errno == EINTR);
	if (k <= 0)
		return -1;
	return read(fd, &c, 1) == 1 ? 0 : -1;
}

/* --- the harness's side (host namespaces) -------------------------------------- */

/* Whether ID (a uid or gid) has a mapping in MAPFILE of this process. */
static int id_mapped(const char *mapfile, unsigned id)
{
	FILE *f = fopen(mapfile, "r");
	unsigned long inside, outside, count;
	int found = 0;

	if (!f)
		return 0;
	while (!found && fscanf(f, "%lu %lu %lu", &inside, &outside, &count) == 3)
		found = id >= inside && id - inside < count;
	fclose(f);
	return found;
}

/*
 * Root maps the experiment's uid 0 to SANDBOX_UID. A "root" that is itself
 * in a user namespace where SANDBOX_UID has no mapping (unshare
 * --map-root-user, as the tests run an ordinary user) is an ordinary user
 * outside, and maps itself, as one. Decided once, before the first fork.
 */
int sandbox_as_root(void)
{
	static int known, as_root;
	if (!known) {
		as_root = geteuid() == 0 && id_mapped("/proc/self/uid_map", SANDBOX_UID) &&
			  id_mapped("/proc/self/gid_map", SANDBOX_GID);
		known = 1;
	}
	return as_root;
}

int sandbox_open_dir(const char *dir)
{
	int fd;
	if (sandbox_as_root() && chown(dir, SANDBOX_UID, SANDBOX_GID) < 0) {
		fprintf(stderr, "%s: chown '%s' to %d:%d: %s\n", progname, dir, SANDBOX_UID,
			SANDBOX_GID, strerror(errno));
		return -1;
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		fprintf(stderr, "%s: cannot open '%s': %s\n", progname, dir, strerror(errno));
	return fd;
}

/*
 * As root, the runner cannot map its namespace's root to another uid itself
 * (a mapping other than one's own needs CAP_SETUID in the parent user
 * namespace, user_namespaces(7)); the harness writes the maps once the
 * runner has unshared. As an ordinary user the runner maps itself.
 */
int sandbox_map_ids(pid_t runner, int from_runner, int to_runner)
{
	char path[64], map[64];

	if (!sandbox_as_root())
		return 0;
	if (wait_byte(from_runner, 5000) < 0)
		return -1;	/* the runner failed and says why */
	snprintf(map, sizeof map, "0 %d 1\n", SANDBOX_UID);
	snprintf(path, sizeof path, "/proc/%d/uid_map", (int)runner);
	if (write_proc(path, map) < 0) {
		fprintf(stderr, "%s: sandbox: writing %s: %s\n", progname, path, strerror(errno));
		return -1;
	}
	snprintf(map, sizeof map, "0 %d 1\n", SANDBOX_GID);
	snprintf(path, sizeof path, "/proc/%d/gid_map", (int)runner);
	if (write_proc(path, map) < 0) {
		fprintf(stderr, "%s: sandbox: writing %s: %s\n", progname, path, strerror(errno));
		return -1;
	}
	return write(to_runner, "m", 1) == 1 ? 0 : -1;
}

/* --- the runner's side: the namespaces ------------------------------------------- */

static const struct {
	int flag;
	const char *name;
} kinds[] = {
	{ CLONE_NEWNET, "CLONE_NEWNET" }, { CLONE_NEWPID, "CLONE_NEWPID" },
	{ CLONE_NEWNS, "CLONE_NEWNS" },	  { CLONE_NEWIPC, "CLONE_NEWIPC" },
	{ CLONE_NEWUTS, "CLONE_NEWUTS" }, { CLONE_NEWCGROUP, "CLONE_NEWCGROUP" },
};

int sandbox_enter(int to_harness, int from_harness)
{
	uid_t uid = geteuid();
	gid_t gid = getegid();
	char map[64];
	int all = 0;

	if (unshare(CLONE_NEWUSER) < 0) {
		fprintf(stderr,
			"%s: sandbox: unshare(CLONE_NEWUSER): %s\n"
			"  every experiment runs in a user namespace of its own, and this kernel\n"
			"  refuses to create one%s; allow it with\n"
			"  'sysctl -w user.max_user_namespaces=10000' (and on kernels that have it,\n"
			"  'sysctl -w kernel.unprivileged_userns_clone=1'); run the build as root\n"
			"  only where the kernel allows root and not ordinary users\n",
			progname, strerror(errno), uid ? " for an ordinary user" : " even for root");
		return -1;
	}
	if (sandbox_as_root()) {
		/* The harness maps 0 inside to SANDBOX_UID outside; then this
		 * process takes that uid, with no supplementary group (root's
		 * groups would still open the host's group-root files). */
		if (write(to_harness, "u", 1) != 1 || wait_byte(from_harness, 5000) < 0) {
			fprintf(stderr, "%s: sandbox: the harness did not map the user namespace's ids\n",
				progname);
			return -1;
		}
		if (setgroups(0, NULL) < 0 || setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0) {
			fprintf(stderr, "%s: sandbox: taking uid 0 in the user namespace: %s\n",
				progname, strerror(errno));
			return -1;
		}
		/* Changing ids clears the parent-death signal (prctl(2)). */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() == 1)
			return -1;
	} else {
		write_proc("/proc/self/setgroups", "deny");
		snprintf(map, sizeof map, "0 %u 1", (unsigned)uid);
		if (write_proc("/proc/self/uid_map", map) < 0) {
			fprintf(stderr, "%s: sandbox: writing /proc/self/uid_map: %s\n", progname,
				strerror(errno));
			return -1;
		}
		snprintf(map, sizeof map, "0 %u 1", (unsigned)gid);
		if (write_proc("/proc/self/gid_map", map) < 0) {
			fprintf(stderr, "%s: sandbox: writing /proc/self/gid_map: %s\n", progname,
				strerror(errno));
			return -1;
		}
	}
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		all |= kinds[i].flag;
	if (unshare(all) == 0)
		return 0;
	/* Say which one the kernel refuses. */
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (unshare(kinds[i].flag) < 0) {
			fprintf(stderr, "%s: sandbox: unshare(%s): %s\n", progname, kinds[i].name,
				strerror(errno));
			return -1;
		}
	fprintf(stderr, "%s: sandbox: unshare of the experiment's namespaces: %s\n", progname,
		strerror(errno));
	return -1;
}

/* --- init's side: the mounts ------------------------------------------------------ */

static int build_filter(char *msg, size_t len);
static int fail(char *msg, size_t len, const char *what);

static const char *const run_dirs[] = { "/run", "/var/run" };

/*
 * A /dev of the experiment's own: a tmpfs with the host's null, zero, full,
 * random, urandom and tty bound in (those that exist), /dev/shm (tmpfs) and
 * the fd links; read-only but for /dev/shm. The host's other devices, its
 * /dev/log socket and its /dev/shm are not in it.
 */
static int fresh_dev(char *msg, size_t len)
{
	static const char *const devs[] = { "null", "zero", "full", "random", "urandom", "tty" };
	static const char *const links[][2] = {
		{ "/proc/self/fd", "/dev/fd" }, { "/proc/self/fd/0", "/dev/stdin" },
		{ "/proc/self/fd/1", "/dev/stdout" }, { "/proc/self/fd/2", "/dev/stderr" },
	};
	int fds[sizeof devs / sizeof devs[0]];
	char path[32];

	for (size_t i = 0; i < sizeof devs / sizeof devs[0]; i++) {
		snprintf(path, sizeof path, "/dev/%s", devs[i]);
		fds[i] = open_tree(AT_FDCWD, path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
		if (fds[i] < 0 && errno != ENOENT)
			return fail(msg, len, "open_tree of a /dev node");
	}
	if (mount("tmpfs", "/dev", "tmpfs", MS_NOSUID | MS_NOEXEC, "size=64k,mode=755") < 0)
		return fail(msg, len, "mounting a tmpfs on /dev");
	for (size_t i = 0; i < sizeof devs / sizeof devs[0]; i++) {
		int fd;
		if (fds[i] < 0)
			continue;
		snprintf(path, sizeof path, "/dev/%s", devs[i]);
		fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
		if (fd < 0 || close(fd) < 0 ||
		    move_mount(fds[i], "", AT_FDCWD, path, MOVE_MOUNT_F_EMPTY_PATH) < 0)
			return fail(msg, len, "binding a /dev node into the fresh /dev");
		close(fds[i]);
	}
	for (size_t i = 0; i < sizeof links / sizeof links[0]; i++)
		if (symlink(links[i][0], links[i][1]) < 0)
			return fail(msg, len, "a link in the fresh /dev");
	if (mkdir("/dev/shm", 01777) < 0 ||
	    mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "size=16m,mode=1777") < 0)
		return fail(msg, len, "mounting a tmpfs on /dev/shm");
	if (mount(NULL, "/dev", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NOEXEC, NULL) < 0)
		return fail(msg, len, "making the fresh /dev read-only");
	return 0;
}

static int fail(char *msg, size_t len, const char *what)
{
	snprintf(msg, len, "sandbox: %s: %s", what, strerror(errno));
	return -1;
}

/* Linux before 5.12 has no mount_setattr(2) (the book's 5.10 guest): each
 * mount of /proc/self/mountinfo is remounted read-only and nosuid one by
 * one instead, keeping the flags it has, which a user namespace may not
 * clear (mount_namespaces(7), "locked" mounts). A mount hidden under
 * another is not reachable by path, here or by the experiment. errno is
 * left ENOSYS when it fails, with msg saying which mount. */
static int readonly_each_mount(char *msg, size_t len)
{
	static const struct { const char *opt; unsigned long flag; } keep[] = {
		{ "nodev", MS_NODEV }, { "noexec", MS_NOEXEC }, { "noatime", MS_NOATIME },
		{ "nodiratime", MS_NODIRATIME }, { "relatime", MS_RELATIME },
	};
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[8192], mp[4096], opts[1024];
	int rc = 0;
	if (!f) {
		snprintf(msg, len, "sandbox: no mount_setattr, and /proc/self/mountinfo: %s", strerror(errno));
		errno = ENOSYS;
		return -1;
	}
	while (rc == 0 && fgets(line, sizeof line, f)) {
		/* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS ... (proc(5)) */
		if (sscanf(line, "%*s %*s %*s %*s %4095s %1023s", mp, opts) != 2)
			continue;
		char *w = mp;	/* \040 and the like: octal escapes */
		for (char *r = mp; *r; w++)
			if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] && r[3]) {
				*w = (char)(((r[1] - '0') << 6) | ((r[2] - '0') << 3) | (r[3] - '0'));
				r += 4;
			} else
				*w = *r++;
		*w = '\0';
		unsigned long fl = MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID;
		for (char *sp, *o = strtok_r(opts, ",", &sp); o; o = strtok_r(NULL, ",", &sp))
			for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++)
				if (!strcmp(o, keep[i].opt))
					fl |= keep[i].flag;
		if (mount(NULL, mp, NULL, fl, NULL) < 0) {
			snprintf(msg, len, "sandbox: no mount_setattr, and remounting %s read-only: %s", mp, strerror(errno));
			rc = -1;
		}
	}
	fclose(f);
	errno = ENOSYS;
	return rc;
}

int sandbox_init(int dirfd, char *dir, size_t dirlen, char *msg, size_t len)
{
	struct mount_attr ro = { .attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID };

	/* Nothing mounted here may reach the host's mount namespace. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return fail(msg, len, "making / private");
	if (mount_setattr(AT_FDCWD, "/", AT_RECURSIVE, &ro, sizeof ro) < 0 &&
	    (errno != ENOSYS || readonly_each_mount(msg, len) < 0))
		return errno == ENOSYS ? -1 : fail(msg, len, "making every mount read-only (mount_setattr)");
	/* proc of this pid namespace, over the host's: hides its processes. */
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		return fail(msg, len, "mounting a fresh /proc");
	/* sysfs of this network namespace: the host's interfaces are not in it. */
	if (mount("sysfs", "/sys", "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		return fail(msg, len, "mounting a fresh /sys");
	if (mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "size=16m,mode=1777") < 0)
		return fail(msg, len, "mounting a tmpfs on /tmp");
	if (fresh_dev(msg, len) < 0)
		return -1;
	/* The host's daemons listen on unix sockets in /run (a socket on a
	 * read-only mount still takes connections): a tmpfs over it. */
	for (size_t i = 0; i < sizeof run_dirs / sizeof run_dirs[0]; i++) {
		struct stat st;
		if (lstat(run_dirs[i], &st) < 0 || !S_ISDIR(st.st_mode))
			continue;	/* absent, or a link to /run */
		if (mount("tmpfs", run_dirs[i], "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
			  "size=1m,mode=755") < 0)
			return fail(msg, len, "mounting a tmpfs on /run");
	}
	if (sethostname("lab", 3) < 0)
		return fail(msg, len, "sethostname");
	/* Non-dumpable: its /proc/1/fd (and the result directory in it) and its
	 * memory are closed to programs without CAP_SYS_PTRACE. */
	if (prctl(PR_SET_DUMPABLE, 0) < 0)
		return fail(msg, len, "prctl(PR_SET_DUMPABLE)");
	if (prctl(PR_GET_SECCOMP) < 0)
		return fail(msg, len, "this kernel has no seccomp (prctl(PR_GET_SECCOMP))");
	if (build_filter(msg, len) < 0)
		return -1;
	snprintf(dir, dirlen, "/proc/self/fd/%d", dirfd);
	if (access(dir, W_OK) < 0)
		return fail(msg, len, "the result directory");
	return 0;
}

/* --- the programs' seccomp filter, built once by init ----------------------------- */

static struct sock_fprog filter;

static int build_filter(char *msg, size_t len)
{
	static const char *const denied[] = {
		"unshare", "setns", "mount", "umount2", "pivot_root", "chroot", "open_tree",
		"move_mount", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr",
		"ptrace", "process_vm_readv", "process_vm_writev", "keyctl", "add_key",
		"request_key", "bpf", "perf_event_open", "userfaultfd", "io_uring_setup",
		"io_uring_enter", "io_uring_register", "kexec_load", "kexec_file_load",
		"init_module", "finit_module", "delete_module", "acct", "swapon", "swapoff",
		"reboot", "syslog", "open_by_handle_at", "name_to_handle_at", "quotactl",
		"lookup_dcookie", "vhangup", "iopl", "ioperm", "uselib", "personality",
	};
	static const int newns[] = { CLONE_NEWUSER, CLONE_NEWNS, CLONE_NEWNET, CLONE_NEWPID,
				     CLONE_NEWIPC, CLONE_NEWUTS, CLONE_NEWCGROUP };
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	struct stat st;
	int fd = -1, rc;
	const char *what = "seccomp_init";

	if (!ctx)
		goto err;
	what = "seccomp_rule_add";
	for (size_t i = 0; i < sizeof denied / sizeof denied[0]; i++) {
		int nr = seccomp_syscall_resolve_name(denied[i]);
		if (nr == __NR_SCMP_ERROR)
			continue;	/* not a call of this architecture */
		if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0)) < 0)
			goto err_rc;
	}
	for (size_t i = 0; i < sizeof newns / sizeof newns[0]; i++)
		if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
					   SCMP_A0(SCMP_CMP_MASKED_EQ, (scmp_datum_t)newns[i],
						   (scmp_datum_t)newns[i]))) < 0)
			goto err_rc;
	if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0)) < 0)
		goto err_rc;
	/* libseccomp 2.5 exports the program to a file descriptor only. */
	what = "seccomp_export_bpf";
	fd = memfd_create("seccomp", MFD_CLOEXEC);
	if (fd < 0)
		goto err;
	if ((rc = seccomp_export_bpf(ctx, fd)) < 0)
		goto err_rc;
	if (fstat(fd, &st) < 0 || st.st_size <= 0 || st.st_size % sizeof(struct sock_filter))
		goto err;
	filter.len = (unsigned short)(st.st_size / sizeof(struct sock_filter));
	filter.filter = xmalloc((size_t)st.st_size);
	if (pread(fd, filter.filter, (size_t)st.st_size, 0) != st.st_size)
		goto err;
	close(fd);
	seccomp_release(ctx);
	return 0;
err_rc:
	errno = -rc;
err:
	snprintf(msg, len, "sandbox: the programs' seccomp filter: %s: %s", what, strerror(errno));
	if (fd >= 0)
		close(fd);
	if (ctx)
		seccomp_release(ctx);
	return -1;
}

/* --- a program's side: what it keeps --------------------------------------------- */

#define KEEP_CAPS ((1ULL << CAP_NET_ADMIN) | (1ULL << CAP_NET_RAW) | \
		   (1ULL << CAP_NET_BIND_SERVICE) | (1ULL << CAP_NET_BROADCAST))

int sandbox_drop(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];

	/* Every capability this kernel knows, up to the first it does not. */
	for (int c = 0; c < 64; c++) {
		if (KEEP_CAPS & (1ULL << c))
			continue;
		if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) == 0)
			continue;
		if (errno == EINVAL)
			break;
		dprintf(2, "%s: sandbox: prctl(PR_CAPBSET_DROP, %d): %s\n", progname, c,
			strerror(errno));
		return -1;
	}
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	/* Root's execve gives the bounding set and the inheritable set
	 * (capabilities(7)): the inheritable set is emptied. */
	memset(d, 0, sizeof d);
	d[0].effective = d[0].permitted = (uint32_t)KEEP_CAPS;
	d[1].effective = d[1].permitted = (uint32_t)(KEEP_CAPS >> 32);
	if (syscall(SYS_capset, &h, d) < 0) {
		dprintf(2, "%s: sandbox: capset: %s\n", progname, strerror(errno));
		return -1;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		dprintf(2, "%s: sandbox: prctl(PR_SET_NO_NEW_PRIVS): %s\n", progname, strerror(errno));
		return -1;
	}
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &filter) < 0) {
		dprintf(2, "%s: sandbox: prctl(PR_SET_SECCOMP): %s\n", progname, strerror(errno));
		return -1;
	}
	return 0;
}

/* --- the experiment's loopback -------------------------------------------------- */

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
