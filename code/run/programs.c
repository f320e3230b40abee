/* programs.c: starting the chapter's programs, reaping them, their fates. */
#include "run.h"

/* --- the programs -------------------------------------------------------------- */

pid_t start_role(struct run *r, struct role *ro)
{
	char path[PATH_MAX];
	int out, err;
	pid_t pid;

	snprintf(path, sizeof path, "%s/%s.stdout", r->dir, ro->name);
	out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	snprintf(path, sizeof path, "%s/%s.stderr", r->dir, ro->name);
	err = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0 || err < 0) {
		ro->start_errno = errno;
		return -1;
	}
	pid = fork();
	if (pid == 0) {
		struct rlimit fsize = { OUTPUT_LIMIT, OUTPUT_LIMIT };
		struct rlimit nproc = { PROCESS_LIMIT, PROCESS_LIMIT };
		char ctl[64], role[80];
		/* LAB_ENV_SYNC: SHOW waits for the harness (labproto.h) */
		char *env[] = { "PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/tmp", ctl, role,
				r->wire ? LAB_ENV_SYNC "=1" : NULL, NULL };
		sigset_t none;
		int devnull = open("/dev/null", O_RDONLY);

		/* A program starts with every signal at its default action and
		 * none blocked, whatever make or the shell left us: SIGPIPE in
		 * particular must kill, as it does for any program. */
		for (int s = 1; s < NSIG; s++)
			signal(s, SIG_DFL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		dup2(devnull, 0);
		dup2(out, 1);
		dup2(err, 2);
		/* The link's right side (wire.h), while its descriptor is open. */
		if (wire_enter_role(r->wire, ro->name) < 0) {
			dprintf(2, "%s: setns to the link's right side: %s\n", progname, strerror(errno));
			_exit(127);
		}
		/* pcap's socket and the trace files must not leak into the
		 * program: its first socket() should be fd 3, as a reader
		 * running it by hand would see. The program's own descriptor
		 * closes at execve. */
		close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
		setrlimit(RLIMIT_FSIZE, &fsize);
		setrlimit(RLIMIT_NPROC, &nproc);
		if (sandbox_drop() < 0)
			_exit(127);
		if (chdir("/tmp") < 0) {
			dprintf(2, "%s: chdir /tmp: %s\n", progname, strerror(errno));
			_exit(127);
		}
		/* The environment is the lab's, not the build's. */
		snprintf(ctl, sizeof ctl, LAB_ENV_CTL "=%s", LAB_CTL_NAME);
		snprintf(role, sizeof role, LAB_ENV_ROLE "=%s", ro->name);
		if (ro->exe >= 0)
			execveat(ro->exe, "", ro->argv, env, AT_EMPTY_PATH);
		else
			errno = ro->exe_errno;
		dprintf(2, "%s: cannot run '%s': %s\n", progname, ro->argv[0], strerror(errno));
		_exit(127);
	}
	close(out);
	close(err);
	if (pid < 0)
		ro->start_errno = errno;
	return pid;
}

void describe_fate(const struct experiment *x, const struct role *ro, char *buf, size_t len)
{
	if (!ro->pid && !ro->start_errno)
		snprintf(buf, len, "not started: the experiment failed before it began");
	else if (!ro->pid)
		snprintf(buf, len, "did not start: %s", strerror(ro->start_errno));
	else if (ro->timed_out)
		snprintf(buf, len, "killed after the %d s timeout", x->timeout);
	else if (WIFEXITED(ro->status))
		snprintf(buf, len, "exited %d", WEXITSTATUS(ro->status));
	else if (WIFSIGNALED(ro->status)) {
		const char *abbrev = sigabbrev_np(WTERMSIG(ro->status));
		snprintf(buf, len, "killed by SIG%s%s%s", abbrev ? abbrev : "?",
			 WCOREDUMP(ro->status) ? " (core dumped)" : "",
			 WTERMSIG(ro->status) == SIGXFSZ ?
			 ": it wrote more than the " OUTPUT_LIMIT_TEXT " a stream may hold" : "");
	} else
		snprintf(buf, len, "status %#x", ro->status);
}

/* A signal that means the program crashed, rather than one the chapter is
 * about (SIGPIPE is an observation, SIGSEGV a broken program). */
int crash_signal(int sig)
{
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL ||
	       sig == SIGABRT || sig == SIGSYS || sig == SIGXFSZ || sig == SIGTRAP;
}

void reap(struct run *r, const struct timespec *now_rt)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (int i = 0; i < r->x->nroles; i++) {
			struct role *ro = &r->x->roles[i];
			char fate[128];
			if (ro->pid != pid || ro->done)
				continue;
			ro->done = 1;
			ro->status = status;
			describe_fate(r->x, ro, fate, sizeof fate);
			add_event(r, now_rt, ro->name, fate)->fate = 1;
		}
	}
}

int roles_running(const struct run *r)
{
	for (int i = 0; i < r->x->nroles; i++)
		if (r->x->roles[i].pid > 0 && !r->x->roles[i].done)
			return 1;
	return 0;
}
