/*
 * harness.c: runs a chapter's experiments, each in a fresh network
 * namespace, and records everything that happened in it.
 *
 * usage: harness -p PROGDIR -o RUNDIR [-c CHAPTER.md] [-i KEY=VALUE]... EXPERIMENTS
 *
 * EXPERIMENTS is the file tangle writes (see tangle/ and AUTHORING.md). For
 * each experiment E the harness writes RUNDIR/E/ (built in RUNDIR/E.tmp and
 * renamed when complete, so a half-written run never looks complete):
 *
 *   trace.pcap        the capture on lo, nanosecond timestamps
 *   trace.txt         the packets as `tcpdump -n -ttttt` prints them
 *   ROLE.stdout, ROLE.stderr, ROLE.status   each program's output and fate
 *   timeline.txt      calls, steps, packets and socket states in time order
 *   meta              "status ok" or "status failed" and "error ..." lines
 *
 * and RUNDIR/build-info (kernel, date, libpcap, sysctls). Exit status 0 when
 * every experiment ran as it should, 1 when any failed, 2 on bad usage.
 *
 * Process layout, chosen so that nothing can outlive a run:
 *
 *   harness (host namespaces)
 *     runner: unshare(user if not root, net, pid); PDEATHSIG from harness
 *       init: pid 1 of the new pid namespace; captures, serves lab.h, reaps
 *         the chapter's programs
 *
 * When init ends for any reason the kernel kills every process left in its
 * pid namespace, and the network namespace goes with its last process.
 */
#include "normalise.h"
#include "sockdiag.h"
#include "tcpprint.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/tcp.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_ROLES 8
#define MAX_ARGS 16
#define MAX_CONNS 32
#define MAX_STEPS 256
#define MAX_TIMEOUT 120
#define CTL_NAME "tcpbook-lab"
#define OUTPUT_LIMIT (16L << 20)	/* bytes a program may write per stream */

static const char *progname = "harness";

struct role {
	char name[64];
	char *argv[MAX_ARGS + 1];	/* argv[0]: the program's path */
	pid_t pid;
	int status;			/* from waitpid */
	int done, timed_out, start_errno;
};

struct experiment {
	char name[128];
	int line;
	char capture[1024];
	int timeout;
	struct role roles[MAX_ROLES];
	int nroles;
};

/* One entry of the merged timeline. */
struct event {
	struct timespec t;	/* for a call: when it started */
	struct timespec end;	/* for a call: when it returned */
	int has_end;
	size_t call_len;	/* for a call: length of the call's own text */
	int fate;		/* how a program ended: its last event */
	char who[64];
	char *text;
	unsigned seq;		/* keeps equal times in arrival order */
};

struct conn {
	int fd;
	char role[64];
	char waiting[512];	/* what a blocked program waits for */
	int wait_packet;	/* 1: waiting for a packet line, 0: a step */
	char *call;		/* the call under way (SHOW), or NULL */
	struct timespec call_t;	/* and when it started */
	char *state;		/* its sockets' states just before it */
	char *after;		/* and just after it returned */
};

/* One SHOWn call, for calls.txt (the book's call x state table). */
struct callrec {
	char role[64];
	char *state;		/* "fd3=LISTEN@9999 fd4=ESTABLISHED@9999" */
	char *after;		/* the same just after the call, "" if unknown */
	char *text;		/* "send(fd, \"x\", 1, 0) = -1 EPIPE (Broken pipe)" */
	size_t call_len;	/* the call's own part of text */
	struct timespec begin, end;
	int returned;
};

/* Everything init knows about the running experiment. */
struct run {
	struct experiment *x;
	const char *dir;	/* RUNDIR/E.tmp */
	pcap_t *pcap;
	pcap_dumper_t *dumper;
	struct tcpprint *tp_trace, *tp_plain, *tp_marked;
	FILE *trace;
	char **packets;		/* plain lines of every packet seen */
	char **marked;		/* the same with absolute numbers marked '#' */
	size_t npackets, packets_cap;
	struct event *events;
	size_t nevents, events_cap;
	unsigned seq;
	char *steps[MAX_STEPS];
	int nsteps;
	struct conn conns[MAX_CONNS];
	int nconns;
	struct timespec t0;
	char errors[4096];
	struct callrec *calls;
	size_t ncalls, calls_cap;
};

static void describe_fate(const struct experiment *x, const struct role *ro, char *buf, size_t len);

/* --- small helpers --------------------------------------------------------- */

static void die(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p)
		die("out of memory");
	return p;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);
	if (!d)
		die("out of memory");
	return d;
}

static void add_error(struct run *r, const char *fmt, ...)
{
	size_t k = strlen(r->errors);
	va_list ap;

	if (k + 2 >= sizeof r->errors)
		return;
	va_start(ap, fmt);
	vsnprintf(r->errors + k, sizeof r->errors - k - 1, fmt, ap);
	va_end(ap);
	strcat(r->errors, "\n");
}

static double seconds_since(const struct timespec *t0, const struct timespec *t)
{
	return (double)(t->tv_sec - t0->tv_sec) + (double)(t->tv_nsec - t0->tv_nsec) / 1e9;
}

static long long ms_until(const struct timespec *deadline)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (deadline->tv_sec - now.tv_sec) * 1000LL + (deadline->tv_nsec - now.tv_nsec) / 1000000;
}

static int write_file(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static void rm_tree(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char sub[PATH_MAX];

	if (!d) {
		unlink(path);
		return;
	}
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
		rm_tree(sub);
	}
	closedir(d);
	rmdir(path);
}

/* mkdir -p */
static int mkdir_p(const char *path)
{
	char buf[PATH_MAX];
	snprintf(buf, sizeof buf, "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(buf, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

/* --- the experiments file ------------------------------------------------ */

static char *trim(char *s)
{
	char *e;
	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

/* Reads tangle's experiments file; returns the count, dies on a bad file
 * (tangle wrote it, so a bad one is a bug, not an author's mistake). */
static int read_experiments(const char *path, const char *progdir,
			    struct experiment **out)
{
	FILE *f = fopen(path, "r");
	char line[2048];
	struct experiment *xs = NULL, *x = NULL;
	int n = 0, lineno = 0;

	if (!f)
		die("cannot open '%s': %s", path, strerror(errno));
	while (fgets(line, sizeof line, f)) {
		char *s = trim(line), *arg;
		lineno++;
		if (!*s)
			continue;
		arg = strchr(s, ' ');
		if (arg)
			*arg++ = '\0';
		else
			arg = s + strlen(s);
		if (!strcmp(s, "experiment")) {
			xs = xrealloc(xs, sizeof *xs * (size_t)(n + 1));
			x = &xs[n++];
			memset(x, 0, sizeof *x);
			snprintf(x->name, sizeof x->name, "%s", arg);
			x->timeout = 5;
		} else if (!x) {
			die("%s:%d: '%s' outside an experiment", path, lineno, s);
		} else if (!strcmp(s, "line")) {
			x->line = atoi(arg);
		} else if (!strcmp(s, "capture")) {
			snprintf(x->capture, sizeof x->capture, "%s", arg);
		} else if (!strcmp(s, "timeout")) {
			x->timeout = atoi(arg);
			if (x->timeout < 1 || x->timeout > MAX_TIMEOUT)
				die("%s:%d: timeout '%s' out of range 1..%d", path, lineno, arg, MAX_TIMEOUT);
		} else if (!strcmp(s, "role")) {
			struct role *ro;
			char *tok, *save = NULL, prog[PATH_MAX];
			int k = 0;
			if (x->nroles == MAX_ROLES)
				die("%s:%d: more than %d roles", path, lineno, MAX_ROLES);
			ro = &x->roles[x->nroles++];
			memset(ro, 0, sizeof *ro);
			for (tok = strtok_r(arg, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
				if (k == 0) {
					snprintf(ro->name, sizeof ro->name, "%s", tok);
				} else if (k == 1) {
					size_t len = strlen(tok);
					if (len > 2 && !strcmp(tok + len - 2, ".c"))
						len -= 2;
					snprintf(prog, sizeof prog, "%s/%.*s", progdir, (int)len, tok);
					ro->argv[0] = xstrdup(prog);
				} else if (k - 1 < MAX_ARGS) {
					ro->argv[k - 1] = xstrdup(tok);
				}
				k++;
			}
			if (k < 2)
				die("%s:%d: role needs a name and a program", path, lineno);
		} else if (!strcmp(s, "deterministic")) {
			/* for the tests (tests/harness.sh): runs may differ */
		} else if (!strcmp(s, "end")) {
			x = NULL;
		} else {
			die("%s:%d: unknown line '%s'", path, lineno, s);
		}
	}
	fclose(f);
	*out = xs;
	return n;
}

static void free_experiments(struct experiment *xs, int n)
{
	for (int i = 0; i < n; i++)
		for (int k = 0; k < xs[i].nroles; k++)
			for (int a = 0; xs[i].roles[k].argv[a]; a++)
				free(xs[i].roles[k].argv[a]);
	free(xs);
}

/* --- the namespace ----------------------------------------------------------- */

static int write_proc(const char *path, const char *text)
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
static int enter_namespaces(void)
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

static int loopback_up(char *msg, size_t len)
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

/* --- the timeline ------------------------------------------------------------ */

static struct event *add_event(struct run *r, const struct timespec *t, const char *who, const char *text)
{
	struct event *e;

	if (r->nevents == r->events_cap) {
		r->events_cap = r->events_cap ? r->events_cap * 2 : 256;
		r->events = xrealloc(r->events, r->events_cap * sizeof *r->events);
	}
	e = &r->events[r->nevents++];
	e->t = *t;
	snprintf(e->who, sizeof e->who, "%s", who);
	e->text = xstrdup(text);
	e->seq = r->seq++;
	e->has_end = 0;
	e->fate = 0;
	return e;
}

static void add_call(struct run *r, struct conn *c, const char *text, size_t call_len,
		     const struct timespec *end)
{
	struct callrec *k;

	if (r->ncalls == r->calls_cap) {
		r->calls_cap = r->calls_cap ? r->calls_cap * 2 : 64;
		r->calls = xrealloc(r->calls, r->calls_cap * sizeof *r->calls);
	}
	k = &r->calls[r->ncalls++];
	memset(k, 0, sizeof *k);
	snprintf(k->role, sizeof k->role, "%s", c->role);
	k->state = xstrdup(c->state ? c->state : "");
	k->after = xstrdup(end && c->after ? c->after : "");
	k->text = xstrdup(text);
	k->call_len = call_len;
	k->begin = c->call_t;
	if (end) {
		k->end = *end;
		k->returned = 1;
	}
}

/* Records every TCP socket of the namespace as timeline entries. */
static void snapshot_sockets(struct run *r, const char *why)
{
	struct sockdiag_entry es[64];
	char msg[256], line[256];
	struct timespec now;
	int n = sockdiag_read(es, 64, msg, sizeof msg);

	clock_gettime(CLOCK_REALTIME, &now);
	if (n < 0) {
		add_event(r, &now, "sockets", msg);
		return;
	}
	snprintf(line, sizeof line, "(%s) %d TCP socket%s", why, n, n == 1 ? "" : "s");
	add_event(r, &now, "sockets", line);
	for (int i = 0; i < n; i++)
		add_event(r, &now, "socket", sockdiag_format(&es[i], line, sizeof line));
}

static int by_time(const void *a, const void *b)
{
	const struct event *x = a, *y = b;
	if (x->t.tv_sec != y->t.tv_sec)
		return x->t.tv_sec < y->t.tv_sec ? -1 : 1;
	if (x->t.tv_nsec != y->t.tv_nsec)
		return x->t.tv_nsec < y->t.tv_nsec ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/*
 * observations.txt: what happened, without times and with the values that
 * change on every run made symbolic (normalise.h). Grouped by source so that
 * two processes racing each other do not reorder it: the packets in wire
 * order, each program's calls and fate in its own order, and the socket
 * states at each step. Two runs on one kernel give the same file; the tests
 * and the kernel comparison rely on that.
 */
static void write_observations(struct run *r)
{
	struct normaliser n;
	char path[PATH_MAX], line[4096];
	FILE *f;

	memset(&n, 0, sizeof n);
	snprintf(path, sizeof path, "%s/observations.txt", r->dir);
	f = fopen(path, "w");
	if (!f) {
		add_error(r, "cannot write '%s': %s", path, strerror(errno));
		return;
	}
	fprintf(f, "packets\n");
	for (size_t i = 0; i < r->npackets; i++) {
		normalise_line(&n, 1, r->marked[i], line, sizeof line);
		fprintf(f, "  %s\n", line);
	}
	for (int k = 0; k < r->x->nroles; k++) {
		const char *role = r->x->roles[k].name;
		fprintf(f, "role %s\n", role);
		for (size_t i = 0; i < r->nevents; i++) {
			const struct event *e = &r->events[i];
			if (strcmp(e->who, role) || !strncmp(e->text, "started ", 8))
				continue;
			normalise_line(&n, 0, e->text, line, sizeof line);
			fprintf(f, "  %s\n", line);
		}
	}
	for (size_t i = 0; i < r->nevents; i++) {
		const struct event *e = &r->events[i];
		if (!strcmp(e->who, "sockets")) {
			const char *close = strchr(e->text, ')');
			fprintf(f, "sockets at %.*s\n", close ? (int)(close - e->text + 1) : 0, e->text);
		} else if (!strcmp(e->who, "socket")) {
			normalise_line(&n, 0, e->text, line, sizeof line);
			fprintf(f, "  %s\n", line);
		}
	}
	fclose(f);
}

/* The local ports a role's sockets had at any call: which packets it sent. */
static int role_has_port(const struct run *r, const char *role, unsigned port)
{
	for (size_t i = 0; i < r->ncalls; i++) {
		if (strcmp(r->calls[i].role, role))
			continue;
		for (int k = 0; k < 2; k++) {
			const char *p = k ? r->calls[i].after : r->calls[i].state;
			while ((p = strchr(p, '@'))) {
				if ((unsigned)strtoul(p + 1, NULL, 10) == port)
					return 1;
				p++;
			}
		}
	}
	return 0;
}

/* The source port of a tcpdump line, 0 if it has none. */
static unsigned src_port(const char *line)
{
	const char *gt = strstr(line, " > "), *p;
	if (!gt)
		return 0;
	for (p = gt; p > line && p[-1] != '.' && p[-1] != ' '; p--)
		;
	return p > line && p[-1] == '.' ? (unsigned)strtoul(p, NULL, 10) : 0;
}

/*
 * calls.txt: one line per SHOWn call, for the book's table of what each call
 * does in each state: ROLE, the states of its sockets just before the call
 * (fd numbers and ports dropped), the call, its result, and the packets on
 * the wire while it ran, "> [F.]" sent by this role, "< [.]" received.
 * A call that never returned has as result how the program ended.
 */
static void write_calls(struct run *r)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof path, "%s/calls.txt", r->dir);
	f = fopen(path, "w");
	if (!f)
		return;
	for (size_t i = 0; i < r->ncalls; i++) {
		const struct callrec *k = &r->calls[i];
		const char *res = k->text + k->call_len, *p;
		char fate[160] = "";
		int first = 1;

		fprintf(f, "%s\t", k->role);
		/* "fd3=LISTEN@9999 fd4=CLOSE_WAIT@9999" -> "LISTEN CLOSE_WAIT".
		 * For close() the socket it closed is known: the one missing
		 * from the program's sockets at its next call. */
		const char *next = NULL;
		if (!strncmp(k->text, "close(", 6))
			for (size_t j = i + 1; j < r->ncalls && !next; j++)
				if (!strcmp(r->calls[j].role, k->role))
					next = r->calls[j].state;
		for (p = k->state; (p = strchr(p, '=')); p++) {
			const char *at = strchr(p, '@'), *fd = p;
			size_t n = at ? (size_t)(at - p - 1) : strlen(p + 1);
			while (fd > k->state && fd[-1] != ' ')
				fd--;
			if (next) {
				/* keep it only if "fdN=" is gone from the next state */
				char key[32];
				snprintf(key, sizeof key, "%.*s", (int)(p - fd + 1), fd);
				const char *q = next;
				int gone = 1;
				while ((q = strstr(q, key))) {
					if (q == next || q[-1] == ' ')
						gone = 0;
					q++;
				}
				if (!gone)
					continue;
			}
			fprintf(f, "%s%.*s", first ? "" : " ", (int)n, p + 1);
			first = 0;
		}
		if (first)
			fputs("-", f);
		if (!strncmp(res, " = ", 3))
			res += 3;
		if (!k->returned) {
			for (int j = 0; j < r->x->nroles; j++)
				if (!strcmp(r->x->roles[j].name, k->role))
					describe_fate(r->x, &r->x->roles[j], fate, sizeof fate);
			res = fate[0] ? fate : "?";
		}
		fprintf(f, "\t%.*s\t%s\t", (int)k->call_len, k->text, res);
		/* The packets that count end where another program starts a call
		 * of its own: from then on it may be their cause (the server's
		 * close() sending a FIN while the client's send() had not yet
		 * been seen to return). */
		struct timespec until = k->end;
		int bounded = k->returned;
		for (size_t j = 0; j < r->ncalls; j++) {
			const struct callrec *o = &r->calls[j];
			if (!strcmp(o->role, k->role) || by_time(&(struct event){ .t = o->begin }, &(struct event){ .t = k->begin }) <= 0)
				continue;
			if (!bounded || by_time(&(struct event){ .t = o->begin }, &(struct event){ .t = until }) < 0) {
				until = o->begin;
				bounded = 1;
			}
		}
		first = 1;
		for (size_t j = 0; j < r->nevents; j++) {
			const struct event *e = &r->events[j];
			const char *fl;
			if (strcmp(e->who, "wire") || by_time(e, &(struct event){ .t = k->begin }) < 0)
				continue;
			if (bounded && by_time(e, &(struct event){ .t = until, .seq = ~0u }) > 0)
				break;
			fl = strstr(e->text, "Flags [");
			if (!fl)
				continue;
			fprintf(f, "%s%c %.*s", first ? "" : " ",
				role_has_port(r, k->role, src_port(e->text)) ? '>' : '<',
				(int)(strchr(fl, ']') ? strchr(fl, ']') - (fl + 6) + 1 : 0), fl + 6);
			first = 0;
		}
		fputs("\n", f);
	}
	fclose(f);
}

static void write_timeline(struct run *r)
{
	char path[PATH_MAX];
	FILE *f;

	struct event *out;
	size_t n = 0;

	if (r->nevents)
		qsort(r->events, r->nevents, sizeof *r->events, by_time);
	/* A call during which anything else happened is shown in two parts,
	 * as strace shows an interrupted call: "recv(...) <unfinished ...>"
	 * when it started and "<... recv resumed> = 0" when it returned. */
	out = xrealloc(NULL, (2 * r->nevents + 1) * sizeof *out);
	for (size_t i = 0; i < r->nevents; i++) {
		const struct event *e = &r->events[i];
		int split = 0;
		out[n++] = *e;
		if (!e->has_end)
			continue;
		for (size_t j = i + 1; j < r->nevents && by_time(&(struct event){ .t = e->end, .seq = ~0u }, &r->events[j]) > 0; j++)
			if (strcmp(r->events[j].who, e->who) || !r->events[j].has_end) {
				split = 1;
				break;
			}
		if (split) {
			const char *paren = memchr(e->text, '(', e->call_len);
			char *a = xrealloc(NULL, e->call_len + 32), *b;
			size_t bl = strlen(e->text) + 64;
			snprintf(a, e->call_len + 32, "%.*s <unfinished ...>", (int)e->call_len, e->text);
			b = xrealloc(NULL, bl);
			snprintf(b, bl, "<... %.*s resumed>%s", paren ? (int)(paren - e->text) : 0, e->text,
				 e->text + e->call_len);
			out[n - 1].text = a;
			out[n] = *e;
			out[n].t = e->end;
			out[n].text = b;
			n++;
		}
	}
	if (n)
		qsort(out, n, sizeof *out, by_time);
	snprintf(path, sizeof path, "%s/timeline.txt", r->dir);
	f = fopen(path, "w");
	if (!f) {
		add_error(r, "cannot write '%s': %s", path, strerror(errno));
		free(out);
		return;
	}
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%10.6f  %-8s %s\n", seconds_since(&r->t0, &out[i].t), out[i].who, out[i].text);
	fclose(f);
	free(out);
}

/* --- steps and waits (the lab.h protocol) ---------------------------------------- */

static int step_posted(struct run *r, const char *name)
{
	for (int i = 0; i < r->nsteps; i++)
		if (!strcmp(r->steps[i], name))
			return 1;
	return 0;
}

static int packet_seen(struct run *r, const char *text)
{
	for (size_t i = 0; i < r->npackets; i++)
		if (strstr(r->packets[i], text))
			return 1;
	return 0;
}

/* Answers every blocked program whose wait now holds. */
static void release_waiters(struct run *r)
{
	for (int i = 0; i < r->nconns; i++) {
		struct conn *c = &r->conns[i];
		if (!c->waiting[0])
			continue;
		if (c->wait_packet ? packet_seen(r, c->waiting) : step_posted(r, c->waiting)) {
			c->waiting[0] = '\0';
			send(c->fd, "go", 2, MSG_NOSIGNAL);
		}
	}
}

static void drop_conn(struct run *r, int i)
{
	struct conn *c = &r->conns[i];

	/* A call that never returned: the program died inside it (a signal,
	 * a timeout). strace prints such a call as "= ?". */
	if (c->call) {
		char line[4200];
		snprintf(line, sizeof line, "%s = ?", c->call);
		add_event(r, &c->call_t, c->role, line);
		add_call(r, c, line, strlen(c->call), NULL);
		free(c->call);
		c->call = NULL;
	}
	free(c->state);
	free(c->after);
	c->state = c->after = NULL;
	close(r->conns[i].fd);
	r->conns[i] = r->conns[--r->nconns];
}

/* Handles one message from a program; returns -1 when the peer is gone. */
static int serve_conn(struct run *r, int i)
{
	struct conn *c = &r->conns[i];
	char msg[4097], *verb, *text, *p;
	struct timespec t = { 0 };
	ssize_t n = recv(c->fd, msg, sizeof msg - 1, MSG_DONTWAIT);

	/* ECONNRESET: the program ended with a reply of ours unread. The
	 * messages it sent before are still queued behind the error, so
	 * reading goes on until end of file. */
	if (n < 0)
		return errno == EAGAIN || errno == EINTR || errno == ECONNRESET ? 0 : -1;
	if (n == 0)
		return -1;
	msg[n] = '\0';
	/* "SEC.NSEC\tVERB\tTEXT" */
	verb = strchr(msg, '\t');
	if (!verb)
		return 0;
	*verb++ = '\0';
	text = strchr(verb, '\t');
	if (!text)
		return 0;
	*text++ = '\0';
	t.tv_sec = strtoll(msg, &p, 10);
	if (*p == '.')
		t.tv_nsec = strtol(p + 1, NULL, 10);
	for (p = text; *p; p++)		/* one event, one line */
		if (*p == '\n' || *p == '\r')
			*p = ' ';

	if (!strcmp(verb, "hello")) {
		snprintf(c->role, sizeof c->role, "%s", text);
	} else if (!strcmp(verb, "show")) {
		/* Placed at the call's start, as strace does; write_timeline
		 * splits it when something happened while it ran. */
		if (c->call && !strncmp(text, c->call, strlen(c->call))) {
			struct event *e = add_event(r, &c->call_t, c->role, text);
			e->end = t;
			e->has_end = 1;
			e->call_len = strlen(c->call);
			add_call(r, c, text, e->call_len, &t);
		} else {
			add_event(r, &t, c->role, text);
		}
		free(c->call);
		c->call = NULL;
	} else if (!strcmp(verb, "call")) {
		free(c->call);
		c->call = xstrdup(text);
		c->call_t = t;
	} else if (!strcmp(verb, "state")) {
		free(c->state);
		c->state = xstrdup(text);
	} else if (!strcmp(verb, "after")) {
		free(c->after);
		c->after = xstrdup(text);
	} else if (!strcmp(verb, "step")) {
		char line[600];
		snprintf(line, sizeof line, "step '%s'", text);
		add_event(r, &t, c->role, line);
		if (!step_posted(r, text) && r->nsteps < MAX_STEPS)
			r->steps[r->nsteps++] = xstrdup(text);
		snapshot_sockets(r, text);
		send(c->fd, "go", 2, MSG_NOSIGNAL);	/* the step is a barrier */
		release_waiters(r);
	} else if (!strcmp(verb, "wait") || !strcmp(verb, "packet")) {
		c->wait_packet = verb[0] == 'p';
		snprintf(c->waiting, sizeof c->waiting, "%s", text);
		release_waiters(r);
	}
	return 0;
}

/* --- capture ------------------------------------------------------------------ */

static void on_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct run *r = (struct run *)user;
	char line[2048];
	struct timespec t = { h->ts.tv_sec, h->ts.tv_usec };	/* ns: opened with nano precision */

	pcap_dump((u_char *)r->dumper, h, bytes);
	tcpprint_packet(r->tp_trace, h, bytes, line, sizeof line);
	fprintf(r->trace, "%s\n", line);
	if (r->npackets == r->packets_cap) {
		r->packets_cap = r->packets_cap ? r->packets_cap * 2 : 64;
		r->packets = xrealloc(r->packets, r->packets_cap * sizeof *r->packets);
		r->marked = xrealloc(r->marked, r->packets_cap * sizeof *r->marked);
	}
	tcpprint_packet(r->tp_marked, h, bytes, line, sizeof line);
	r->marked[r->npackets] = xstrdup(line);
	tcpprint_packet(r->tp_plain, h, bytes, line, sizeof line);
	r->packets[r->npackets++] = xstrdup(line);
	add_event(r, &t, "wire", line);
}

static int capture_open(struct run *r, char *msg, size_t len)
{
	char err[PCAP_ERRBUF_SIZE], path[PATH_MAX];
	struct bpf_program prog;
	struct tcpprint_opts o1 = { .time = TCPPRINT_TIME_SINCE_FIRST }, o2 = { .time = TCPPRINT_TIME_NONE };
	int dlt;

	r->pcap = pcap_create("lo", err);
	if (!r->pcap) {
		snprintf(msg, len, "pcap_create lo: %s", err);
		return -1;
	}
	pcap_set_snaplen(r->pcap, 262144);
	pcap_set_immediate_mode(r->pcap, 1);
	pcap_set_buffer_size(r->pcap, 8 << 20);
	pcap_set_tstamp_precision(r->pcap, PCAP_TSTAMP_PRECISION_NANO);
	if (pcap_activate(r->pcap) < 0) {
		snprintf(msg, len, "pcap_activate lo: %s", pcap_geterr(r->pcap));
		return -1;
	}
	if (pcap_compile(r->pcap, &prog, r->x->capture, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		snprintf(msg, len, "capture filter '%s': %s", r->x->capture, pcap_geterr(r->pcap));
		return -1;
	}
	if (pcap_setfilter(r->pcap, &prog) < 0) {
		snprintf(msg, len, "pcap_setfilter: %s", pcap_geterr(r->pcap));
		pcap_freecode(&prog);
		return -1;
	}
	pcap_freecode(&prog);
	if (pcap_setnonblock(r->pcap, 1, err) < 0) {
		snprintf(msg, len, "pcap_setnonblock: %s", err);
		return -1;
	}
	snprintf(path, sizeof path, "%s/trace.pcap", r->dir);
	r->dumper = pcap_dump_open(r->pcap, path);
	if (!r->dumper) {
		snprintf(msg, len, "pcap_dump_open '%s': %s", path, pcap_geterr(r->pcap));
		return -1;
	}
	snprintf(path, sizeof path, "%s/trace.txt", r->dir);
	r->trace = fopen(path, "w");
	if (!r->trace) {
		snprintf(msg, len, "cannot write '%s': %s", path, strerror(errno));
		return -1;
	}
	dlt = pcap_datalink(r->pcap);
	r->tp_trace = tcpprint_new(dlt, 1, &o1);
	r->tp_plain = tcpprint_new(dlt, 1, &o2);
	o2.mark_absolute = 1;
	r->tp_marked = tcpprint_new(dlt, 1, &o2);
	if (!r->tp_trace || !r->tp_plain || !r->tp_marked) {
		snprintf(msg, len, "out of memory");
		return -1;
	}
	return 0;
}

/* Reads what is waiting; returns the number of packets. */
static int capture_read(struct run *r)
{
	int n = pcap_dispatch(r->pcap, -1, on_packet, (u_char *)r);
	if (n < 0) {
		add_error(r, "pcap_dispatch: %s", pcap_geterr(r->pcap));
		return 0;
	}
	return n;
}

/*
 * Waits for the wire to fall quiet after the last program ended: the last
 * segments (a FIN's ACK, an RST) are sent by the kernel, not the programs.
 * Quiet means no packet for QUIET_MS; the wait is bounded by DRAIN_MS. This
 * is not a fixed sleep: on an idle wire it ends after QUIET_MS.
 */
#define QUIET_MS 10
#define DRAIN_MS 500
static void capture_drain(struct run *r)
{
	struct pollfd p = { .fd = pcap_get_selectable_fd(r->pcap), .events = POLLIN };
	struct timespec deadline;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_nsec += DRAIN_MS * 1000000L;
	deadline.tv_sec += deadline.tv_nsec / 1000000000L;
	deadline.tv_nsec %= 1000000000L;
	capture_read(r);
	while (ms_until(&deadline) > 0) {
		int k = poll(&p, 1, QUIET_MS);
		if (k <= 0)
			break;
		capture_read(r);
	}
}

/* Everything but closing the capture itself (see run_init). */
static void capture_finish(struct run *r)
{
	struct pcap_stat st;

	if (r->pcap && pcap_stats(r->pcap, &st) == 0 && (st.ps_drop || st.ps_ifdrop))
		add_error(r, "the capture dropped %u packet%s (pcap_stats: drop %u, ifdrop %u): the trace is incomplete",
			  st.ps_drop + st.ps_ifdrop, st.ps_drop + st.ps_ifdrop == 1 ? "" : "s",
			  st.ps_drop, st.ps_ifdrop);
	if (r->dumper)
		pcap_dump_close(r->dumper);
	if (r->trace)
		fclose(r->trace);
	tcpprint_free(r->tp_trace);
	tcpprint_free(r->tp_plain);
	tcpprint_free(r->tp_marked);
}

/* --- the programs -------------------------------------------------------------- */

static pid_t start_role(struct run *r, struct role *ro)
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
		/* pcap's socket and the trace files must not leak into the
		 * program: its first socket() should be fd 3, as a reader
		 * running it by hand would see. */
		close_range(3, ~0U, 0);
		setrlimit(RLIMIT_FSIZE, &fsize);
		setenv("LAB_CTL", CTL_NAME, 1);
		setenv("LAB_ROLE", ro->name, 1);
		execv(ro->argv[0], ro->argv);
		dprintf(2, "%s: cannot run '%s': %s\n", progname, ro->argv[0], strerror(errno));
		_exit(127);
	}
	close(out);
	close(err);
	if (pid < 0)
		ro->start_errno = errno;
	return pid;
}

static void describe_fate(const struct experiment *x, const struct role *ro, char *buf, size_t len)
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
		snprintf(buf, len, "killed by SIG%s%s", abbrev ? abbrev : "?",
			 WCOREDUMP(ro->status) ? " (core dumped)" : "");
	} else
		snprintf(buf, len, "status %#x", ro->status);
}

/* A signal that means the program crashed, rather than one the chapter is
 * about (SIGPIPE is an observation, SIGSEGV a broken program). */
static int crash_signal(int sig)
{
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL ||
	       sig == SIGABRT || sig == SIGSYS || sig == SIGXFSZ || sig == SIGTRAP;
}

static void reap(struct run *r, const struct timespec *now_rt)
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

static int roles_running(const struct run *r)
{
	for (int i = 0; i < r->x->nroles; i++)
		if (r->x->roles[i].pid > 0 && !r->x->roles[i].done)
			return 1;
	return 0;
}

/* --- one experiment, as pid 1 of its namespaces ------------------------------------ */

static void write_results(struct run *r, const char *chapter)
{
	char path[PATH_MAX], fate[160], meta[8192];
	const struct experiment *x = r->x;

	for (int i = 0; i < x->nroles; i++) {
		const struct role *ro = &x->roles[i];
		describe_fate(x, ro, fate, sizeof fate);
		snprintf(path, sizeof path, "%s.status", ro->name);
		strcat(fate, "\n");
		write_file(r->dir, path, fate);
		if ((!ro->pid && ro->start_errno) || ro->timed_out ||
		    (WIFSIGNALED(ro->status) && crash_signal(WTERMSIG(ro->status))) ||
		    (WIFEXITED(ro->status) && WEXITSTATUS(ro->status) == 127)) {
			describe_fate(x, ro, fate, sizeof fate);
			add_error(r, "%s:%d: error: experiment '%s': role '%s': %s", chapter, x->line,
				  x->name, ro->name, fate);
		}
	}
	/* A program's end is its last event. It is stamped with the harness's
	 * clock when the harness reaped it, the program's own events with the
	 * program's clock; on a loaded machine the two can disagree by a few
	 * microseconds, so the end is moved after the program's last event. */
	for (size_t i = 0; i < r->nevents; i++) {
		struct event *f = &r->events[i];
		if (!f->fate)
			continue;
		for (size_t j = 0; j < r->nevents; j++) {
			const struct event *e = &r->events[j];
			if (j == i || e->fate || strcmp(e->who, f->who) || by_time(e, f) < 0)
				continue;
			f->t = e->t;
			if (++f->t.tv_nsec == 1000000000L) {
				f->t.tv_nsec = 0;
				f->t.tv_sec++;
			}
		}
	}
	write_timeline(r);	/* sorts the events by time */
	write_observations(r);
	write_calls(r);
	snprintf(meta, sizeof meta, "status %s\n", r->errors[0] ? "failed" : "ok");
	if (r->errors[0]) {
		char *p = r->errors, *nl;
		while ((nl = strchr(p, '\n'))) {
			size_t k = strlen(meta);
			snprintf(meta + k, sizeof meta - k, "error %.*s\n", (int)(nl - p), p);
			p = nl + 1;
		}
	}
	write_file(r->dir, "meta", meta);
}

static void write_sysctls(const char *dir)
{
	static const char *const names[] = {
		"net/ipv4/tcp_fin_timeout", "net/ipv4/tcp_tw_reuse", "net/ipv4/tcp_ecn",
		"net/ipv4/tcp_timestamps", "net/ipv4/tcp_sack", "net/ipv4/tcp_window_scaling",
		"net/ipv4/tcp_syn_retries", "net/ipv4/tcp_orphan_retries", "net/ipv4/tcp_rmem",
		"net/ipv4/tcp_wmem", "net/ipv4/tcp_congestion_control",
	};
	char path[PATH_MAX], value[256], out[4096] = "";

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		FILE *f;
		snprintf(path, sizeof path, "/proc/sys/%s", names[i]);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(value, sizeof value, f)) {
			char name[128], *p;
			size_t k = strlen(out);
			snprintf(name, sizeof name, "%s", names[i]);
			for (p = name; *p; p++)
				if (*p == '/')
					*p = '.';
			for (p = value; *p; p++)
				if (*p == '\t')
					*p = ' ';
			snprintf(out + k, sizeof out - k, "sysctl %s %s", name, trim(value));
			strcat(out, "\n");
		}
		fclose(f);
	}
	write_file(dir, "sysctl", out);
}

static int run_init(struct experiment *x, const char *dir, const char *chapter, int done_fd)
{
	struct run r;
	char msg[1024];
	struct timespec deadline, now;
	sigset_t chld;
	int lfd = -1, sfd = -1;

	memset(&r, 0, sizeof r);
	r.x = x;
	r.dir = dir;

	if (loopback_up(msg, sizeof msg) < 0) {
		add_error(&r, "%s:%d: error: experiment '%s': %s", chapter, x->line, x->name, msg);
		goto out;
	}
	write_sysctls(dir);

	/* The lab.h socket: abstract, so it exists only in this namespace. */
	{
		struct sockaddr_un a = { .sun_family = AF_UNIX };
		memcpy(a.sun_path + 1, CTL_NAME, strlen(CTL_NAME));
		lfd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		if (lfd < 0 || bind(lfd, (struct sockaddr *)&a,
				     (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(CTL_NAME))) < 0 ||
		    listen(lfd, 16) < 0) {
			add_error(&r, "%s:%d: error: experiment '%s': control socket: %s", chapter,
				  x->line, x->name, strerror(errno));
			goto out;
		}
	}

	if (capture_open(&r, msg, sizeof msg) < 0) {
		add_error(&r, "%s:%d: error: experiment '%s': %s", chapter, x->line, x->name, msg);
		goto out;
	}

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	sfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);

	clock_gettime(CLOCK_REALTIME, &r.t0);
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += x->timeout;
	for (int i = 0; i < x->nroles; i++) {
		struct role *ro = &x->roles[i];
		char line[600];
		pid_t pid = start_role(&r, ro);
		clock_gettime(CLOCK_REALTIME, &now);
		if (pid < 0) {
			add_error(&r, "%s:%d: error: experiment '%s': cannot start %s: %s", chapter,
				  x->line, x->name, ro->name, strerror(ro->start_errno));
			continue;
		}
		ro->pid = pid;
		snprintf(line, sizeof line, "started %s", strrchr(ro->argv[0], '/') ? strrchr(ro->argv[0], '/') + 1 : ro->argv[0]);
		add_event(&r, &now, ro->name, line);
	}

	/* The loop ends when every program has ended; the deadline kills
	 * the ones that do not, so it is bounded by the timeout. */
	while (roles_running(&r)) {
		struct pollfd p[3 + MAX_CONNS];
		long long left = ms_until(&deadline);
		int np = 0;

		if (left <= 0) {
			for (int i = 0; i < x->nroles; i++) {
				struct role *ro = &x->roles[i];
				if (ro->pid > 0 && !ro->done && !ro->timed_out) {
					ro->timed_out = 1;
					kill(ro->pid, SIGKILL);
				}
			}
			left = 1000;	/* SIGKILL is reaped at once */
		}
		p[np++] = (struct pollfd){ .fd = pcap_get_selectable_fd(r.pcap), .events = POLLIN };
		p[np++] = (struct pollfd){ .fd = lfd, .events = POLLIN };
		p[np++] = (struct pollfd){ .fd = sfd, .events = POLLIN };
		for (int i = 0; i < r.nconns; i++)
			p[np++] = (struct pollfd){ .fd = r.conns[i].fd, .events = POLLIN };
		if (poll(p, (nfds_t)np, (int)(left > 1000 ? 1000 : left)) < 0 && errno != EINTR)
			break;
		if (p[0].revents && capture_read(&r) > 0)
			release_waiters(&r);
		if (p[1].revents & POLLIN) {
			int c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
			if (c >= 0 && r.nconns < MAX_CONNS) {
				memset(&r.conns[r.nconns], 0, sizeof r.conns[0]);
				r.conns[r.nconns].fd = c;
				strcpy(r.conns[r.nconns].role, "?");
				r.nconns++;
			} else if (c >= 0) {
				close(c);
			}
		}
		/* Messages before deaths: a program's last words come first. */
		for (int i = r.nconns - 1; i >= 0; i--) {
			if (3 + i < np && p[3 + i].revents) {
				/* Read everything queued on this connection. */
				int k, left_msgs = 1024;
				while ((k = serve_conn(&r, i)) == 0 && left_msgs-- > 0) {
					int avail = 0;
					if (ioctl(r.conns[i].fd, FIONREAD, &avail) < 0 || avail <= 0)
						break;
				}
				/* After a hang-up, read to the end now: poll would
				 * report POLLHUP forever otherwise. */
				if (k == 0 && (p[3 + i].revents & (POLLHUP | POLLERR)))
					while (left_msgs-- > 0 && (k = serve_conn(&r, i)) == 0)
						;
				if (k < 0)
					drop_conn(&r, i);
			}
		}
		if (p[2].revents) {
			struct signalfd_siginfo si;
			while (read(sfd, &si, sizeof si) == sizeof si)
				;
			clock_gettime(CLOCK_REALTIME, &now);
			reap(&r, &now);
		}
	}
	/* Late messages from programs that just ended. */
	for (int i = r.nconns - 1; i >= 0; i--) {
		int guard = 1024;
		while (guard-- > 0 && serve_conn(&r, i) == 0) {
			int avail = 0;
			if (ioctl(r.conns[i].fd, FIONREAD, &avail) < 0 || avail <= 0)
				break;
		}
		drop_conn(&r, i);
	}
	capture_drain(&r);
	snapshot_sockets(&r, "all programs ended");
out:
	capture_finish(&r);
	if (r.t0.tv_sec == 0)
		clock_gettime(CLOCK_REALTIME, &r.t0);
	write_results(&r, chapter);
	if (r.errors[0])
		fputs(r.errors, stderr);
	/* Tell the harness the run is complete before closing the capture:
	 * closing a packet socket waits for an RCU grace period (about 20 ms
	 * in packet_release()), which the next experiment need not wait for. */
	{
		char verdict = r.errors[0] ? '1' : '0';
		if (write(done_fd, &verdict, 1) < 0)
			fprintf(stderr, "%s: cannot report to the harness: %s\n", progname, strerror(errno));
	}
	if (r.pcap)
		pcap_close(r.pcap);
	return r.errors[0] ? 1 : 0;
}

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
	struct timespec deadline;

	snprintf(dir, sizeof dir, "%s/%s.tmp", rundir, x->name);
	snprintf(final, sizeof final, "%s/%s", rundir, x->name);
	rm_tree(dir);
	if (mkdir(dir, 0755) < 0) {
		fprintf(stderr, "%s: cannot create '%s': %s\n", progname, dir, strerror(errno));
		return 1;
	}
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		fprintf(stderr, "%s: pipe: %s\n", progname, strerror(errno));
		return 1;
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
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		if (enter_namespaces() < 0)
			_exit(3);
		init = fork();
		if (init < 0)
			_exit(1);
		if (init == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			_exit(run_init(x, dir, chapter, pipefd[1]));
		}
		close(pipefd[1]);
		for (;;) {
			if (waitpid(init, &status, 0) == init)
				_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
			if (errno != EINTR)
				_exit(1);
		}
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

static void write_build_info(const char *rundir, const char *firstexp, char **infos, int ninfo)
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
				char *v = trim(line + 12);
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
	if (firstexp) {
		snprintf(path, sizeof path, "%s/%s/sysctl", rundir, firstexp);
		f = fopen(path, "r");
		if (f) {
			while (k < sizeof buf && fgets(line, sizeof line, f))
				k += (size_t)snprintf(buf + k, sizeof buf - k, "%s", line);
			fclose(f);
		}
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
	write_build_info(rundir, n > 0 ? xs[0].name : NULL, infos, ninfo);
	free_experiments(xs, n);
	return failed ? 1 : 0;
usage:
	fprintf(stderr, "usage: %s -p PROGDIR -o RUNDIR [-c CHAPTER.md] [-i KEY=VALUE]... EXPERIMENTS\n", progname);
	return 2;
}
