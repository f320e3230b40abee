/*
 * lab.h: what a chapter's program may use to talk to the harness.
 *
 * Header only, so a chapter program needs nothing but `#include "lab.h"`.
 * Chapter code stays plain socket code: these helpers only print calls the
 * way strace does and let programs wait for each other without sleeping.
 *
 *   SHOW(expr)              evaluate a call, print `expr = result` (with the
 *                           errno name and text on -1), and give the value back
 *   lab_step("name")        announce that this program reached step "name"
 *   lab_wait("name")        block until some program announced "name"
 *   lab_wait_packet("text") block until a captured packet's trace line
 *                           contains "text" (e.g. "Flags [R]")
 *
 * Under the harness (LAB_CTL is set) every helper also sends a time-stamped
 * event (CLOCK_REALTIME, the clock of pcap's timestamps) over a unix socket
 * in the experiment's network namespace; the harness merges them with the
 * packets into one timeline. Outside the harness the waits return at once
 * and SHOW still prints, so a reader can copy a program and run it.
 *
 * A wait never outlives its experiment: the harness kills every program at
 * the experiment's timeout.
 *
 * Protocol (one SOCK_SEQPACKET message each): "SEC.NSEC\tVERB\tTEXT", VERB one
 * of hello, state, call, after, show, step, wait, packet; the harness answers a step, wait or
 * packet with one message "go" once it holds.
 */
#ifndef LAB_H
#define LAB_H

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* glibc 2.32 and later have it; declared here so that lab.h works whatever
 * feature macros the program defines before including it. */
extern const char *strerrorname_np(int errnum);

/* The control socket: -2 not yet tried, -1 none (no harness). */
static int lab_fd_ = -2;

static inline int lab_connect_(void)
{
	const char *name = getenv("LAB_CTL");
	struct sockaddr_un a;
	size_t n;
	int fd;

	if (lab_fd_ != -2)
		return lab_fd_;
	lab_fd_ = -1;
	if (!name || !*name || (n = strlen(name)) >= sizeof a.sun_path - 1)
		return -1;
	memset(&a, 0, sizeof a);
	a.sun_family = AF_UNIX;
	memcpy(a.sun_path + 1, name, n);	/* abstract: per network namespace */
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	{
		/* Out of the way: the program's own first socket is fd 3. */
		int high = fcntl(fd, F_DUPFD_CLOEXEC, 500);
		if (high >= 0) {
			close(fd);
			fd = high;
		}
	}
	if (connect(fd, (struct sockaddr *)&a,
		    (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n)) < 0) {
		close(fd);
		return -1;
	}
	lab_fd_ = fd;
	{
		const char *role = getenv("LAB_ROLE");
		char hello[128];
		snprintf(hello, sizeof hello, "0.0\thello\t%s", role ? role : "?");
		send(fd, hello, strlen(hello), MSG_NOSIGNAL);
	}
	return fd;
}

/* Sends one event; errno is left as it was. */
static inline void lab_event_(const char *verb, const char *text)
{
	char msg[4096];
	struct timespec ts;
	int saved = errno;
	int fd = lab_connect_();

	if (fd >= 0) {
		clock_gettime(CLOCK_REALTIME, &ts);
		snprintf(msg, sizeof msg, "%lld.%09ld\t%s\t%s",
			 (long long)ts.tv_sec, ts.tv_nsec, verb, text);
		send(fd, msg, strlen(msg), MSG_NOSIGNAL);
	}
	errno = saved;
}

/* Sends a wait request and blocks until the harness answers. */
static inline void lab_block_(const char *verb, const char *text)
{
	char reply[16];
	int fd = lab_connect_();

	if (fd < 0)
		return;
	lab_event_(verb, text);
	while (recv(fd, reply, sizeof reply, 0) < 0 && errno == EINTR)
		;
}

/* A step is a barrier for its own program too: the harness answers once it
 * has recorded the socket states, so they are the states at this point. */
static inline void lab_step(const char *name) { lab_block_("step", name); }
static inline void lab_wait(const char *name) { lab_block_("wait", name); }
static inline void lab_wait_packet(const char *text) { lab_block_("packet", text); }

/* The TCP state and local port of each of this program's sockets, as
 * "fd3=LISTEN@9999 fd4=ESTABLISHED@9999" ("" when it has none), for the
 * book's table of what each call does in each state. Only asked under the
 * harness. */
static inline void lab_states_(char *out, size_t len)
{
	static const char *const names[] = {
		"?", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
		"TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING",
	};
	size_t k = 0;

	out[0] = '\0';
	for (int fd = 0; fd < 64 && k + 32 < len; fd++) {
		unsigned char info[8];	/* struct tcp_info begins with tcpi_state */
		socklen_t il = sizeof info;
		int proto = 0;
		socklen_t pl = sizeof proto;
		if (getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &pl) < 0 || proto != 6)
			continue;	/* 6: IPPROTO_TCP */
		if (getsockopt(fd, 6, 11, info, &il) < 0)	/* 11: TCP_INFO */
			continue;
		struct sockaddr_storage a;
		socklen_t al = sizeof a;
		unsigned port = 0;
		if (getsockname(fd, (struct sockaddr *)&a, &al) == 0)
			port = ntohs(((struct sockaddr_in *)&a)->sin_port);	/* same offset in sockaddr_in6 */
		k += (size_t)snprintf(out + k, len - k, "%sfd%d=%s@%u", k ? " " : "", fd,
				      info[0] < 12 ? names[info[0]] : "?", port);
	}
}

/* SHOW's two halves: the call is printed (and flushed) before it runs, so a
 * program that a signal kills inside the call still shows what it called. */
static inline void lab_show_begin_(const char *call)
{
	int saved = errno;

	fputs(call, stdout);
	fflush(stdout);
	if (lab_connect_() >= 0) {
		char states[1024];
		lab_states_(states, sizeof states);
		lab_event_("state", states);
	}
	errno = saved;
	lab_event_("call", call);
	errno = 0;
}

static inline void lab_show_end_(const char *call, long r, int err)
{
	char line[4096];

	if (r == -1 && err != 0) {
		const char *name = strerrorname_np(err);
		snprintf(line, sizeof line, "%s = -1 %s (%s)", call,
			 name ? name : "E?", strerror(err));
	} else {
		snprintf(line, sizeof line, "%s = %ld", call, r);
	}
	printf("%s\n", line + strlen(call));
	fflush(stdout);
	if (lab_connect_() >= 0) {
		/* and after it: connect() and accept() give the ports */
		char states[1024];
		lab_states_(states, sizeof states);
		lab_event_("after", states);
	}
	lab_event_("show", line);
	errno = err;
}

/* GNU statement expression: evaluates the call once, keeps its type. */
#define SHOW(call) ({                                        \
	lab_show_begin_(#call);                               \
	__typeof__(call) lab_r_ = (call);                     \
	lab_show_end_(#call, (long)lab_r_, errno);            \
	lab_r_;                                               \
})

#endif
