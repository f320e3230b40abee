/*
 * run.h: the harness's shared types and the functions its modules export
 * to each other (see harness.c for the whole picture).
 */
#ifndef RUN_H
#define RUN_H

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
#include "labproto.h"
#include "normalise.h"
#include "settle.h"
#include "sockdiag.h"
#include "tcpprint.h"
#include "util.h"
#include "explimits.h"
#include "wire.h"
#include "wirespec.h"

#define MAX_ROLES EXP_MAX_ROLES
#define MAX_ARGS (EXP_MAX_ARGS + 1)	/* the program and its arguments */
#define MAX_CONNS 32
#define MAX_STEPS 256
#define MAX_TIMEOUT 120
#define MAX_CHILDREN 16		/* forked children that speak lab.h */
#define SETTLE_MS 200		/* the bound of settle_wait (settle.h) */
#define OUTPUT_LIMIT (16L << 20)	/* bytes a program may write per stream */
#define OUTPUT_LIMIT_TEXT "16 MB"
#define PROCESS_LIMIT 256		/* processes an experiment's programs may have */
#define SANDBOX_UID 65534		/* as root, uid 0 of an experiment is nobody outside */
#define SANDBOX_GID 65534


struct role {
	char name[EXP_MAX_ROLE_NAME + 1];
	char *argv[MAX_ARGS + 1];	/* argv[0]: the program's path */
	int exe, exe_errno;		/* argv[0] opened O_PATH by the harness, or -1 and why */
	pid_t pid;
	int status;			/* from waitpid */
	int done, timed_out, start_errno;
};

struct experiment {
	char name[EXP_MAX_NAME + 1];
	int line;
	char capture[EXP_MAX_CAPTURE + 1];
	int timeout;
	struct role roles[MAX_ROLES];
	int nroles;
	struct wire_rule *wire;	/* the wire's lines (wire.h), in order */
	int nwire;
	int racy;		/* "deterministic no": runs may differ */
};

/* One entry of the merged timeline. */
struct event {
	struct timespec t;	/* for a call: when it started */
	struct timespec at;	/* for a packet: when its sender gave it to the
				 * network (capture.c), which calls.txt compares
				 * with the calls' times */
	struct timespec end;	/* for a call: when it returned */
	int has_end;
	struct timespec expiry;	/* for a socket with a timer: when it fires */
	long expiry_err_us;	/* and to within how much that is known */
	int has_expiry;
	size_t call_len;	/* for a call: length of the call's own text */
	int fate;		/* how a program ended: its last event */
	int wait;		/* a wait's start or end: in the timeline only */
	char who[64];
	char *text;
	unsigned seq;		/* keeps equal times in arrival order */
};

struct conn {
	int fd;
	char role[64];
	long pid;		/* from its hello */
	struct timespec wait_t;	/* when its wait began */
	char waiting[512];	/* what a blocked program waits for */
	int wait_packet;	/* N: waiting for N packet lines, 0: a step */
	char *call;		/* the call under way (SHOW), or NULL */
	struct timespec call_t;	/* and when it started */
	struct timespec call_h;	/* and with a wire when the harness had read
				 * every packet queued before it (labproto.h) */
	char *state;		/* its sockets' states just before it */
	char *after;		/* and just after it returned */
	int has_on, on_fd;	/* the descriptor the call acts on (lab.h's
				 * "fd": -1 for socket()), if lab.h said */
};

/* One SHOWn call, for calls.txt (the book's call x state table). */
struct callrec {
	char role[64];
	char *state;		/* "fd3=LISTEN@9999 fd4=ESTABLISHED@9999" */
	char *after;		/* the same just after the call, "" if unknown */
	char *text;		/* "send(fd, \"x\", 1, 0) = -1 EPIPE (Broken pipe)" */
	size_t call_len;	/* the call's own part of text */
	struct timespec begin, end;
	struct timespec from;	/* begin, or with a wire call_h (struct conn) */
	struct timespec until;	/* end, or with a wire when the harness had
				 * read every packet the call queued */
	int returned;
	int has_on, on_fd;	/* as in struct conn */
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
	struct timespec *ptimes;	/* and when each was captured */
	int dlt;		/* the capture's link type */
	struct settle settle;	/* what the sockets must have processed */
	char children[MAX_CHILDREN][64];	/* "client/1": forked children's roles */
	int nchildren;
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
	struct wire *wire;	/* NULL: a perfect loopback */
	struct bpf_program filter;	/* the capture's, for what the wire dropped */
	int have_filter;
};

/* runutil.c: small helpers of the harness: errors, times, files */
void die(const char *fmt, ...);
void add_error(struct run *r, const char *fmt, ...);
double seconds_since(const struct timespec *t0, const struct timespec *t);
long long ms_until(const struct timespec *deadline);
int write_file(const char *dir, const char *name, const char *text);
void rm_tree(const char *path);
int mkdir_p(const char *path);

/* experiments.c: reads the experiments file tangle writes */
int read_experiments(const char *path, const char *progdir,
			    struct experiment **out);
void free_experiments(struct experiment *xs, int n);

/* sandbox.c: the namespaces and privileges an experiment runs with */
int write_proc(const char *path, const char *text);
/* 1 when the experiments' uid 0 is SANDBOX_UID outside (the harness is root) */
int sandbox_as_root(void);
/* harness: chowns DIR to the sandbox's uid when root; an fd on it, or -1 */
int sandbox_open_dir(const char *dir);
/* harness, as root: writes RUNNER's id maps when it asks; 0 or -1 */
int sandbox_map_ids(pid_t runner, int from_runner, int to_runner);
/* runner: into new user, net, pid, mount, IPC, UTS, cgroup namespaces;
 * says which the kernel refused and returns -1 */
int sandbox_enter(int to_harness, int from_harness);
/* init: read-only mounts, fresh /proc, /sys, /tmp; DIR becomes the path of
 * DIRFD for init alone; -1 and MSG when the kernel refuses */
int sandbox_init(int dirfd, char *dir, size_t dirlen, char *msg, size_t len);
/* a program's child, before execve: only the network capabilities left */
int sandbox_drop(void);
int loopback_up(char *msg, size_t len);

/* timeline.c: the merged timeline, observations.txt and calls.txt */
void add_call(struct run *r, struct conn *c, const char *text, size_t call_len,
		     const struct timespec *end);
struct event *add_event(struct run *r, const struct timespec *t, const char *who, const char *text);
void snapshot_sockets(struct run *r, const char *why, const char *note);
int settle_sockets(struct run *r);
int by_time(const void *a, const void *b);
void write_observations(struct run *r);
int role_has_port(const struct run *r, const char *role, unsigned port);
unsigned src_port(const char *line);
void write_calls(struct run *r);
void write_timeline(struct run *r);

/* labserver.c: the harness side of the lab.h protocol: steps and waits */
int step_posted(struct run *r, const char *name);
int packet_seen(struct run *r, const char *text, int n);
/* "step 'NAME'", "packet 'TEXT'" or "3 packets 'TEXT'": what c waits for. */
void wait_what(const struct conn *c, char *out, size_t len);
void release_waiters(struct run *r);
void drop_conn(struct run *r, int i);
int serve_conn(struct run *r, int i);
void role_file(const char *role, const char *ext, char *out, size_t len);

/* capture.c: libpcap capture on the experiment's loopback */
void on_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes);
/* at: when the packet's sender gave it to the network (NULL: its capture) */
void capture_record(struct run *r, const struct pcap_pkthdr *h, const u_char *bytes,
		    const char *mark, int dump, const struct timespec *at);
int capture_open(struct run *r, char *msg, size_t len);
int capture_read(struct run *r);
void capture_drain(struct run *r);
void capture_finish(struct run *r);

/* programs.c: starting the chapter's programs, reaping them, their fates */
pid_t start_role(struct run *r, struct role *ro);
void describe_fate(const struct experiment *x, const struct role *ro, char *buf, size_t len);
int crash_signal(int sig);
void reap(struct run *r, const struct timespec *now_rt);
int roles_running(const struct run *r);

/* init.c: one experiment, as pid 1 of its namespaces */
void write_results(struct run *r, const char *chapter);
void write_sysctls(const char *dir);
/* returns 0 ok, 1 failed, 3 when the sandbox could not be made */
int run_init(struct experiment *x, int dirfd, const char *chapter, int done_fd);

#endif
