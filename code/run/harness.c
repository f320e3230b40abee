/*
 * harness.c: runs a chapter's experiments, each in a fresh network
 * namespace, and records everything that happened in it.
 *
 * usage: harness -p PROGDIR -o RUNDIR [-c CHAPTER.md] [-i KEY=VALUE]... EXPERIMENTS
 *        harness -l EXPERIMENTS
 *
 * With -l it runs nothing: it reads EXPERIMENTS as it would to run them
 * (read_experiments) and lists them, one a line, for the scripts and
 * tests that need to know which experiments a chapter has (none parses
 * the file itself):
 *
 *   NAME deterministic yes|no wire yes|no
 *
 * "deterministic no" when the block said its runs may differ; "wire yes"
 * when it has wire lines (faults, links, sysctls: its runs wait for
 * timers).
 *
 * EXPERIMENTS is the file tangle writes. For each experiment E the harness
 * writes RUNDIR/E/ (built in RUNDIR/E.tmp and renamed when complete, so a
 * half-written run never looks complete):
 *
 *   trace.pcap        the capture on lo, nanosecond timestamps
 *   trace.txt         the packets as `tcpdump -n -ttttt` prints them
 *   timeline.txt      calls, steps, packets and socket states in time order
 *   observations.txt  the same without times, normalised, grouped by source
 *   calls.txt         each SHOWn call, its sockets' states and its packets
 *   ROLE.stdout, ROLE.stderr, ROLE.status   each program's output and fate
 *   sysctl            the TCP settings in the experiment's namespace
 *   meta              "status ok" or "status failed" and "error ..." lines
 *
 * and RUNDIR/build-info (kernel, date, libpcap, -i values, sysctls). The
 * grammar of each file, with its other readers and an example, is in
 * code/FORMATS.md. Exit status 0 when every experiment ran as it should, 1
 * when any failed, 2 on bad usage.
 *
 * Process layout, chosen so that nothing can outlive a run:
 *
 *   harness (host namespaces)
 *     runner: unshare(user, net, pid, mount, IPC, UTS, cgroup), as root
 *       with ids the harness maps (sandbox.c); PDEATHSIG from harness
 *       init: pid 1 of the new pid namespace; read-only mounts, fresh
 *         /proc; captures, serves lab.h, reaps the chapter's programs
 *         (each with only the network capabilities, in its namespace)
 *
 * When init ends for any reason the kernel kills every process left in its
 * pid namespace, and the network namespace goes with its last process.
 *
 * The modules (run.h declares what they share):
 *   harness.c      this file: options, one runner per experiment, signals
 *   experiments.c  the experiments file
 *   sandbox.c      the namespaces, mounts and capabilities
 *   init.c         one experiment as pid 1: the event loop, the results
 *   programs.c     starting the roles, reaping them, their fates
 *   labserver.c    the harness side of lab.h's protocol: steps and waits
 *   capture.c      libpcap on lo, the trace
 *   timeline.c     the merged timeline, observations.txt, calls.txt
 *   runutil.c      errors, times, files
 */
#include "run.h"

/* --- the harness process ---------------------------------------------------------- */

static volatile sig_atomic_t interrupted;
static void on_signal(int sig) { interrupted = sig; }

/* Runners whose experiment is complete but which may still be exiting:
 * reaped as the next experiments run; the last ones are left to finish
 * their exit (see main). */
static pid_t exiting[256];
static int nexiting;

static void reap_exiting(int block)
{
	for (int i = 0; i < nexiting;) {
		if (waitpid(exiting[i], NULL, block ? 0 : WNOHANG) == 0) {
			i++;
			continue;
		}
		exiting[i] = exiting[--nexiting];
	}
}

static void kill_exiting(void)
{
	for (int i = 0; i < nexiting; i++)
		kill(exiting[i], SIGKILL);
	reap_exiting(1);
}

/* Runs one experiment in new namespaces; returns 0 ok, 1 failed, -1 when
 * the namespaces could not be made. Returns when the run's files are
 * complete; its runner may still be exiting (see exiting[]). */
static int run_experiment(struct experiment *x, const char *rundir, const char *chapter)
{
	char dir[PATH_MAX], final[PATH_MAX], verdict = 0;
	pid_t runner;
	int status = 0, pipefd[2], have_verdict = 0, have_status = 0;
	int dirfd, ask[2], answer[2], mapped;
	struct timespec deadline;

	snprintf(dir, sizeof dir, "%s/%s.tmp", rundir, x->name);
	snprintf(final, sizeof final, "%s/%s", rundir, x->name);
	rm_tree(dir);
	if (mkdir(dir, 0755) < 0) {
		fprintf(stderr, "%s: cannot create '%s': %s\n", progname, dir, strerror(errno));
		return 1;
	}
	dirfd = sandbox_open_dir(dir);
	if (dirfd < 0) {
		rm_tree(dir);
		return -1;
	}
	if (pipe2(pipefd, O_CLOEXEC) < 0 || pipe2(ask, O_CLOEXEC) < 0 || pipe2(answer, O_CLOEXEC) < 0) {
		fprintf(stderr, "%s: pipe: %s\n", progname, strerror(errno));
		return 1;
	}
	/* The programs are opened here, on the host: the sandbox's uid may not
	 * be able to walk the path to them (a build under /root). */
	for (int i = 0; i < x->nroles; i++) {
		struct role *ro = &x->roles[i];
		ro->exe = open(ro->argv[0], O_PATH | O_CLOEXEC);
		ro->exe_errno = errno;
	}
	fflush(NULL);
	runner = fork();
	if (runner < 0) {
		fprintf(stderr, "%s: fork: %s\n", progname, strerror(errno));
		return 1;
	}
	if (runner == 0) {
		pid_t init;
		close(pipefd[0]);
		close(ask[0]);
		close(answer[1]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		if (sandbox_enter(ask[1], answer[0]) < 0)
			_exit(3);
		close(ask[1]);
		close(answer[0]);
		init = fork();
		if (init < 0)
			_exit(1);
		if (init == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			_exit(run_init(x, dirfd, chapter, pipefd[1]));
		}
		close(pipefd[1]);
		for (;;) {
			if (waitpid(init, &status, 0) == init)
				_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
			if (errno != EINTR)
				_exit(1);
		}
	}
	close(dirfd);
	for (int i = 0; i < x->nroles; i++)
		if (x->roles[i].exe >= 0)
			close(x->roles[i].exe);
	close(ask[1]);
	close(answer[0]);
	mapped = sandbox_map_ids(runner, ask[0], answer[1]);
	close(ask[0]);
	close(answer[1]);
	if (mapped < 0) {
		/* The runner said why, or cannot go on without its ids. */
		kill(runner, SIGKILL);
		waitpid(runner, &status, 0);
		close(pipefd[0]);
		close(pipefd[1]);
		rm_tree(dir);
		return -1;
	}
	close(pipefd[1]);
	/* Wait for the verdict, or for the runner's end if it dies first. The
	 * runner must answer within the experiment's timeout plus the drain;
	 * if it does not (a bug), kill it: its namespaces go with it. */
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += x->timeout + 10;
	while (!have_verdict && !have_status) {
		struct pollfd p = { .fd = pipefd[0], .events = POLLIN };
		int k = poll(&p, 1, 100);
		if (k > 0) {
			ssize_t n = read(pipefd[0], &verdict, 1);
			if (n == 1)
				have_verdict = 1;
			else if (waitpid(runner, &status, 0) == runner)
				have_status = 1;	/* pipe closed: the runner ended */
		}
		if (!have_verdict && !have_status && (interrupted || ms_until(&deadline) <= 0)) {
			kill(runner, SIGKILL);
			waitpid(runner, &status, 0);
			close(pipefd[0]);
			if (!interrupted)
				fprintf(stderr, "%s:%d: error: experiment '%s': the harness did not finish; killed\n",
					chapter, x->line, x->name);
			rm_tree(dir);
			return 1;
		}
	}
	close(pipefd[0]);
	if (have_status && WIFEXITED(status) && WEXITSTATUS(status) == 3) {
		rm_tree(dir);
		return -1;
	}
	if (have_verdict) {
		if (nexiting == (int)(sizeof exiting / sizeof exiting[0]))
			reap_exiting(1);
		exiting[nexiting++] = runner;
		reap_exiting(0);
	}
	rm_tree(final);
	if (rename(dir, final) < 0) {
		fprintf(stderr, "%s: cannot rename '%s': %s\n", progname, dir, strerror(errno));
		return 1;
	}
	if (have_verdict)
		return verdict == '0' ? 0 : 1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

static void write_build_info(const char *rundir, const struct experiment *xs, int nx,
			     char **infos, int ninfo)
{
	struct utsname u;
	char date[64], buf[8192], path[PATH_MAX], line[512];
	time_t now = time(NULL);
	FILE *f;
	size_t k;

	uname(&u);
	strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", gmtime(&now));
	k = (size_t)snprintf(buf, sizeof buf, "kernel %s\ndate %s\nmachine %s\nlibpcap %s\n",
			     u.release, date, u.machine, pcap_lib_version());
	f = fopen("/etc/os-release", "r");
	if (f) {
		while (fgets(line, sizeof line, f))
			if (!strncmp(line, "PRETTY_NAME=", 12)) {
				char *v = strtrim(line + 12);
				size_t n = strlen(v);
				if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
					v[n - 1] = '\0';
					v++;
				}
				k += (size_t)snprintf(buf + k, sizeof buf - k, "distribution %s\n", v);
			}
		fclose(f);
	}
	for (int i = 0; i < ninfo && k < sizeof buf; i++) {
		char *eq = strchr(infos[i], '=');
		if (eq)
			k += (size_t)snprintf(buf + k, sizeof buf - k, "%.*s %s\n",
					      (int)(eq - infos[i]), infos[i], eq + 1);
	}
	/* The sysctls as the experiments saw them, in their own namespace. */
	if (nx > 0) {
		snprintf(path, sizeof path, "%s/%s/sysctl", rundir, xs[0].name);
		f = fopen(path, "r");
		if (f) {
			while (k < sizeof buf && fgets(line, sizeof line, f))
				k += (size_t)snprintf(buf + k, sizeof buf - k, "%s", line);
			fclose(f);
		}
	}
	/* And those an experiment set for itself (wire.h): "experiment-sysctl
	 * EXPERIMENT NAME VALUE", for the page's provenance. */
	for (int i = 0; i < nx && k < sizeof buf; i++) {
		snprintf(path, sizeof path, "%s/%s/wire", rundir, xs[i].name);
		f = fopen(path, "r");
		if (!f)
			continue;
		while (k < sizeof buf && fgets(line, sizeof line, f))
			if (!strncmp(line, "sysctl ", 7))
				k += (size_t)snprintf(buf + k, sizeof buf - k, "experiment-sysctl %s %s",
						      xs[i].name, line + 7);
		fclose(f);
	}
	write_file(rundir, "build-info", buf);
}

int main(int argc, char **argv)
{
	const char *progdir = NULL, *rundir = NULL, *chapter = "chapter";
	char *infos[32];
	int ninfo = 0, opt, n, failed = 0;
	struct experiment *xs = NULL;
	struct sigaction sa;

	progname = "harness";
	if (argc == 3 && !strcmp(argv[1], "-l")) {
		n = read_experiments(argv[2], ".", &xs);
		for (int i = 0; i < n; i++)
			printf("%s deterministic %s wire %s\n", xs[i].name, xs[i].racy ? "no" : "yes",
			       xs[i].nwire ? "yes" : "no");
		free_experiments(xs, n);
		if (fflush(stdout) != 0 || ferror(stdout))
			die("cannot write the list: %s", strerror(errno));
		return 0;
	}
	while ((opt = getopt(argc, argv, "p:o:c:i:")) != -1) {
		switch (opt) {
		case 'p': progdir = optarg; break;
		case 'o': rundir = optarg; break;
		case 'c': chapter = optarg; break;
		case 'i':
			if (ninfo < 32)
				infos[ninfo++] = optarg;
			break;
		default:
			goto usage;
		}
	}
	if (!progdir || !rundir || optind != argc - 1)
		goto usage;
	n = read_experiments(argv[optind], progdir, &xs);
	if (mkdir_p(rundir) < 0)
		die("cannot create '%s': %s", rundir, strerror(errno));

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	for (int i = 0; i < n && !interrupted; i++) {
		int rc = run_experiment(&xs[i], rundir, chapter);
		if (rc < 0) {
			reap_exiting(1);
			free_experiments(xs, n);
			return 1;	/* no namespaces: nothing else can run */
		}
		failed |= rc;
	}
	/* The last runners are past their results and in exit(), closing
	 * their capture (an RCU grace period, ~20 ms, in packet_release()).
	 * They are not waited for: they cannot outlive that close, since their
	 * parent-death signal is SIGKILL and the kernel kills what is left in
	 * a pid namespace when its init ends. */
	if (interrupted)
		kill_exiting();
	else
		reap_exiting(0);
	if (interrupted) {
		fprintf(stderr, "%s: interrupted\n", progname);
		signal(interrupted, SIG_DFL);
		raise(interrupted);
		return 130;
	}
	write_build_info(rundir, xs, n, infos, ninfo);
	free_experiments(xs, n);
	return failed ? 1 : 0;
usage:
	fprintf(stderr, "usage: %s -p PROGDIR -o RUNDIR [-c CHAPTER.md] [-i KEY=VALUE]... EXPERIMENTS\n"
		"       %s -l EXPERIMENTS\n", progname, progname);
	return 2;
}
