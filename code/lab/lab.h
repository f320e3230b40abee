/*
 * lab.h: what a chapter's program may use to talk to the harness.
 *
 * Header only, so a chapter program needs nothing but `#include "lab.h"`.
 * Chapter code stays plain socket code: these helpers only print calls the
 * way strace does and let programs wait for each other without sleeping.
 *
 *   SHOW(expr)              evaluate a call, print `expr = result` (with the
 *                           errno name and text on -1; a string result in
 *                           quotes) and give the value back
 *   SHOW_FAILS(expr, ERR)   the same for a call expected to fail with errno
 *                           ERR (EINPROGRESS, say): such a failure is marked
 *                           "[expected]" and not drawn as an error
 *   SHOW_STR(s)             print `s = "text"`
 *   SHOW_ERRNO(e)           print `e = ECONNREFUSED (Connection refused)`
 *   SHOW_POLL(ev)           print `ev = POLLIN|POLLRDHUP` (poll(2) events)
 *   SHOW_EPOLL(ev)          print `ev = EPOLLIN|EPOLLRDHUP` (epoll events)
 *   SHOW_OFLAGS(fl)         print `fl = O_RDWR|O_NONBLOCK` (fcntl F_GETFL)
 *   SHOW_TCP_STATE(st)      print `st = CLOSE_WAIT` (tcp_info's tcpi_state)
 *   lab_step("name")        announce that this program reached step "name"
 *   lab_wait("name")        block until some program announced "name"
 *   lab_wait_packet("text") block until a captured packet's trace line
 *                           contains "text" (e.g. "Flags [R]")
 *   lab_wait_packets("text", n)  block until n captured packets' lines
 *                           contain "text" (the second reset, the third SYN)
 *   lab_name("worker")      name this forked child "PARENT/worker" (by
 *                           default a child is "PARENT/1", "PARENT/2", ...)
 *
 * Under the harness (LAB_CTL is set) every helper also sends a time-stamped
 * event over a unix socket in the experiment's network namespace, in the
 * protocol of labproto.h; the harness merges them with the packets into one
 * timeline. Outside the harness the waits return at once and SHOW still
 * prints, so a reader can copy a program and run it.
 *
 * A forked child is a program of its own: lab.h flushes stdio before the
 * fork (so buffered output is not printed twice), and the child opens its
 * own connection to the harness, which gives it its own output files and
 * its own section in the observations.
 *
 * A wait never outlives its experiment: the harness kills every program at
 * the experiment's timeout.
 */
#ifndef LAB_H
#define LAB_H

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "labproto.h"

/* glibc 2.32 and later have it; declared here so that lab.h works whatever
 * feature macros the program defines before including it. */
extern const char *strerrorname_np(int errnum);

/* The control socket: -2 not yet tried, -1 none (no harness). */
static int lab_fd_ = -2;
/* This program's role, and how many children it forked so far. */
static char lab_role_[128];
static int lab_forks_;
static pid_t lab_pid_;
/* The process that printed the call SHOW is in: a child forked inside the
 * call (SHOW(fork())) prints the whole line in its own output. */
static pid_t lab_call_pid_;

static inline int lab_open_(const char *hello)
{
	const char *name = getenv(LAB_ENV_CTL);
	struct sockaddr_un a;
	size_t n;
	int fd, high;

	if (!name || !*name || (n = strlen(name)) >= sizeof a.sun_path - 1)
		return -1;
	memset(&a, 0, sizeof a);
	a.sun_family = AF_UNIX;
	memcpy(a.sun_path + 1, name, n);	/* abstract: per network namespace */
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	high = fcntl(fd, F_DUPFD_CLOEXEC, LAB_CTL_FD_MIN);
	if (high >= 0) {
		close(fd);
		fd = high;
	}
	if (connect(fd, (struct sockaddr *)&a,
		    (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n)) < 0) {
		close(fd);
		return -1;
	}
	send(fd, hello, strlen(hello), MSG_NOSIGNAL);
	return fd;
}

static inline int lab_connect_(void)
{
	char hello[256];

	if (lab_fd_ != -2)
		return lab_fd_;
	lab_fd_ = -1;
	if (!lab_role_[0]) {
		const char *role = getenv(LAB_ENV_ROLE);
		snprintf(lab_role_, sizeof lab_role_, "%s", role && *role ? role : "?");
	}
	lab_pid_ = getpid();
	snprintf(hello, sizeof hello, "0.0\t" LAB_VERB_HELLO "\t%s %ld", lab_role_, (long)lab_pid_);
	lab_fd_ = lab_open_(hello);
	return lab_fd_;
}

/* Sends one event; errno is left as it was. */
static inline void lab_event_(const char *verb, const char *text)
{
	char msg[LAB_MSG_MAX];
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
	int saved = errno;
	int fd = lab_connect_();

	if (fd < 0)
		return;
	lab_event_(verb, text);
	while (recv(fd, reply, sizeof reply, 0) < 0 && errno == EINTR)
		;
	errno = saved;
}

/* A step is a barrier for its own program too: the harness answers once it
 * has recorded the socket states, so they are the states at this point. */
static inline void lab_step(const char *name) { lab_block_(LAB_VERB_STEP, name); }
static inline void lab_wait(const char *name) { lab_block_(LAB_VERB_WAIT, name); }
static inline void lab_wait_packet(const char *text) { lab_block_(LAB_VERB_PACKET, text); }
static inline void lab_wait_packets(const char *text, int n)
{
	char what[LAB_MSG_MAX - 64];
	snprintf(what, sizeof what, "%d %s", n, text);
	lab_block_(LAB_VERB_PACKETS, what);
}

/* --- forked children ------------------------------------------------------------ */

/* In the child: its own name and connection; the harness answers the hello
 * with the child's own stdout and stderr (SCM_RIGHTS), which replace the
 * inherited ones. */
static inline void lab_child_start_(const char *name)
{
	char hello[256], byte;
	union { struct cmsghdr h; char buf[CMSG_SPACE(2 * sizeof(int))]; } u;
	struct iovec iov = { &byte, 1 };
	struct msghdr m;
	struct cmsghdr *c;
	int fd;

	if (lab_fd_ >= 0)
		close(lab_fd_);
	lab_fd_ = -1;
	if (!getenv(LAB_ENV_CTL))
		return;
	snprintf(lab_role_ + strlen(lab_role_), sizeof lab_role_ - strlen(lab_role_), "/%s", name);
	lab_forks_ = 0;
	lab_pid_ = getpid();
	snprintf(hello, sizeof hello, "0.0\t" LAB_VERB_HELLO "\t%s %ld", lab_role_, (long)lab_pid_);
	fd = lab_open_(hello);
	lab_fd_ = fd;
	if (fd < 0)
		return;
	memset(&m, 0, sizeof m);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = u.buf;
	m.msg_controllen = sizeof u.buf;
	while (recvmsg(fd, &m, MSG_CMSG_CLOEXEC) < 0 && errno == EINTR)
		;
	c = CMSG_FIRSTHDR(&m);
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
	    c->cmsg_len == CMSG_LEN(2 * sizeof(int))) {
		int fds[2];
		memcpy(fds, CMSG_DATA(c), sizeof fds);
		dup2(fds[0], 1);
		dup2(fds[1], 2);
		close(fds[0]);
		close(fds[1]);
	}
}

static inline void lab_fork_prepare_(void)
{
	fflush(stdout);
	fflush(stderr);
	lab_forks_++;
}

static inline void lab_fork_child_(void)
{
	char n[16];
	int saved = errno;
	snprintf(n, sizeof n, "%d", lab_forks_);
	if (!lab_role_[0]) {
		const char *role = getenv(LAB_ENV_ROLE);
		snprintf(lab_role_, sizeof lab_role_, "%s", role && *role ? role : "?");
	}
	lab_child_start_(n);
	errno = saved;
}

/* Renames this child: "PARENT/NAME" instead of "PARENT/N". Call it first
 * thing after fork(), before any SHOW. */
static inline void lab_name(const char *name)
{
	char *slash = strrchr(lab_role_, '/');
	if (!slash || lab_pid_ != getpid() || !getenv(LAB_ENV_CTL))
		return;
	snprintf(slash + 1, sizeof lab_role_ - (size_t)(slash + 1 - lab_role_), "%s", name);
	lab_event_(LAB_VERB_NAME, lab_role_);
}

__attribute__((constructor)) static void lab_init_(void)
{
	if (getenv(LAB_ENV_CTL))
		pthread_atfork(lab_fork_prepare_, NULL, lab_fork_child_);
}

/* --- sockets' states -------------------------------------------------------------- */

static const char *const lab_state_names_[] = {
	"?", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
	"TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING",
	"NEW_SYN_RECV",
};

/* The TCP state and local port of each of this program's sockets, as
 * "fd3=LISTEN@9999 fd4=ESTABLISHED@9999" ("" when it has none), for the
 * book's table of what each call does in each state. Only asked under the
 * harness. */
static inline void lab_states_(char *out, size_t len)
{
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
				      info[0] < 12 ? lab_state_names_[info[0]] : "?", port);
	}
}

/* --- which socket a call acts on ------------------------------------------------- */

/* The book's table gives, for each call, the state of the socket the call
 * acts on, not of every socket the program holds. The harness cannot see a
 * call's arguments, only SHOW's text ("connect(fd[i], ...)"), so lab.h
 * tells it which descriptor that is: inside SHOW's argument, and only
 * there, the socket functions below (and poll() given one descriptor) are
 * this file's wrappers (LAB_ON_FD_ declares local function pointers of the
 * same name and type, which hide the libc functions in that block only),
 * and the first one the call runs sends the descriptor it was given (labproto.h, "fd") just
 * before it runs libc's function with the same arguments. A call lab.h
 * does not follow (poll() on several descriptors, fcntl(), a function of
 * the chapter's own, a value that is no call) sends none. */
static __thread int lab_want_fd_;

static inline void lab_on_fd_(int fd)
{
	if (!lab_want_fd_)
		return;
	lab_want_fd_ = 0;
	if (getenv(LAB_ENV_CTL)) {
		char t[16];
		snprintf(t, sizeof t, "%d", fd);
		lab_event_(LAB_VERB_FD, t);
	}
}

static inline int lab_w_socket_(int d, int t, int p) { lab_on_fd_(-1); return socket(d, t, p); }
static inline int lab_w_bind_(int fd, __CONST_SOCKADDR_ARG a, socklen_t l) { lab_on_fd_(fd); return bind(fd, a, l); }
static inline int lab_w_listen_(int fd, int n) { lab_on_fd_(fd); return listen(fd, n); }
static inline int lab_w_accept_(int fd, __SOCKADDR_ARG a, socklen_t *l) { lab_on_fd_(fd); return accept(fd, a, l); }
static inline int lab_w_connect_(int fd, __CONST_SOCKADDR_ARG a, socklen_t l) { lab_on_fd_(fd); return connect(fd, a, l); }
static inline ssize_t lab_w_send_(int fd, const void *b, size_t n, int fl) { lab_on_fd_(fd); return send(fd, b, n, fl); }
static inline ssize_t lab_w_recv_(int fd, void *b, size_t n, int fl) { lab_on_fd_(fd); return recv(fd, b, n, fl); }
static inline ssize_t lab_w_sendto_(int fd, const void *b, size_t n, int fl, __CONST_SOCKADDR_ARG a, socklen_t l)
{ lab_on_fd_(fd); return sendto(fd, b, n, fl, a, l); }
static inline ssize_t lab_w_recvfrom_(int fd, void *b, size_t n, int fl, __SOCKADDR_ARG a, socklen_t *l)
{ lab_on_fd_(fd); return recvfrom(fd, b, n, fl, a, l); }
static inline ssize_t lab_w_sendmsg_(int fd, const struct msghdr *m, int fl) { lab_on_fd_(fd); return sendmsg(fd, m, fl); }
static inline ssize_t lab_w_recvmsg_(int fd, struct msghdr *m, int fl) { lab_on_fd_(fd); return recvmsg(fd, m, fl); }
static inline int lab_w_shutdown_(int fd, int how) { lab_on_fd_(fd); return shutdown(fd, how); }
static inline int lab_w_setsockopt_(int fd, int lv, int nm, const void *v, socklen_t l)
{ lab_on_fd_(fd); return setsockopt(fd, lv, nm, v, l); }
static inline int lab_w_getsockopt_(int fd, int lv, int nm, void *v, socklen_t *l)
{ lab_on_fd_(fd); return getsockopt(fd, lv, nm, v, l); }
static inline int lab_w_getsockname_(int fd, __SOCKADDR_ARG a, socklen_t *l) { lab_on_fd_(fd); return getsockname(fd, a, l); }
static inline int lab_w_getpeername_(int fd, __SOCKADDR_ARG a, socklen_t *l) { lab_on_fd_(fd); return getpeername(fd, a, l); }
static inline int lab_w_close_(int fd) { lab_on_fd_(fd); return close(fd); }
static inline ssize_t lab_w_read_(int fd, void *b, size_t n) { lab_on_fd_(fd); return read(fd, b, n); }
static inline ssize_t lab_w_write_(int fd, const void *b, size_t n) { lab_on_fd_(fd); return write(fd, b, n); }
static inline int lab_w_dup_(int fd) { lab_on_fd_(fd); return dup(fd); }
/* poll() acts on one socket only when it is given one */
static inline int lab_w_poll_(struct pollfd *p, nfds_t n, int t) { if (n == 1) lab_on_fd_(p[0].fd); return poll(p, n, t); }

#define LAB_HIDE_(f) __attribute__((unused)) __typeof__(f) *const f = lab_w_##f##_
#define LAB_ON_FD_(call) ({                                                       \
	LAB_HIDE_(socket); LAB_HIDE_(bind); LAB_HIDE_(listen); LAB_HIDE_(accept);     \
	LAB_HIDE_(connect); LAB_HIDE_(send); LAB_HIDE_(recv);                         \
	LAB_HIDE_(sendto); LAB_HIDE_(recvfrom); LAB_HIDE_(sendmsg);                    \
	LAB_HIDE_(recvmsg); LAB_HIDE_(shutdown); LAB_HIDE_(setsockopt);                \
	LAB_HIDE_(getsockopt); LAB_HIDE_(getsockname); LAB_HIDE_(getpeername);         \
	LAB_HIDE_(close); LAB_HIDE_(read); LAB_HIDE_(write); LAB_HIDE_(dup);           \
	LAB_HIDE_(poll);                                                               \
	(call); })

/* --- SHOW ------------------------------------------------------------------------ */

/* SHOW's two halves: the call is printed (and flushed) before it runs, so a
 * program that a signal kills inside the call still shows what it called. */
static inline void lab_show_begin_(const char *call)
{
	int saved = errno;

	fputs(call, stdout);
	fflush(stdout);
	lab_call_pid_ = getpid();
	if (lab_connect_() >= 0) {
		char states[1024];
		lab_states_(states, sizeof states);
		lab_event_(LAB_VERB_STATE, states);
	}
	errno = saved;
	if (getenv(LAB_ENV_SYNC))	/* labproto.h */
		lab_block_(LAB_VERB_CALL, call);
	else
		lab_event_(LAB_VERB_CALL, call);
	lab_want_fd_ = 1;
	errno = 0;
}

/* Prints " = RESULT" after the call's text and tells the harness. */
static inline void lab_show_line_(const char *call, const char *result, int expected)
{
	char line[LAB_MSG_MAX];

	snprintf(line, sizeof line, "%s = %s%s", call, result, expected ? " [expected]" : "");
	printf("%s\n", lab_call_pid_ == getpid() ? line + strlen(call) : line);
	fflush(stdout);
	if (lab_connect_() >= 0) {
		/* and after it: connect() and accept() give the ports */
		char states[1024];
		lab_states_(states, sizeof states);
		lab_event_(LAB_VERB_AFTER, states);
	}
	/* With a wire the harness answers once it has read what the call
	 * sent (labproto.h, LAB_ENV_SYNC). */
	if (getenv(LAB_ENV_SYNC))
		lab_block_(expected ? LAB_VERB_EXPECT : LAB_VERB_SHOW, line);
	else
		lab_event_(expected ? LAB_VERB_EXPECT : LAB_VERB_SHOW, line);
}

/* expect: the errno of a failure the program expects, 0 for none. */
static inline void lab_show_end_(const char *call, long r, int err, int expect)
{
	char res[512];

	if (r == -1 && err != 0) {
		const char *name = strerrorname_np(err);
		snprintf(res, sizeof res, "-1 %s (%s)", name ? name : "E?", strerror(err));
	} else {
		snprintf(res, sizeof res, "%ld", r);
	}
	lab_show_line_(call, res, expect && r == -1 && err == expect);
	errno = err;
}

/* A string as strace prints it: in quotes, escaped, the first 64 bytes. */
static inline void lab_quote_(const char *s, char *out, size_t len)
{
	size_t k = 0, i;

	if (!s) {
		snprintf(out, len, "NULL");
		return;
	}
	out[k++] = '"';
	for (i = 0; s[i] && i < 64 && k + 8 < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			k += (size_t)snprintf(out + k, len - k, "\\%c", c);
		else if (c == '\n')
			k += (size_t)snprintf(out + k, len - k, "\\n");
		else if (c == '\t')
			k += (size_t)snprintf(out + k, len - k, "\\t");
		else if (c == '\r')
			k += (size_t)snprintf(out + k, len - k, "\\r");
		else if (c < 0x20 || c == 0x7f)
			k += (size_t)snprintf(out + k, len - k, "\\%o", c);
		else
			out[k++] = (char)c;
	}
	out[k++] = '"';
	out[k] = '\0';
	if (s[i] && k + 4 < len)
		strcat(out, "...");
}

static inline void lab_show_str_(const char *call, const char *s, int err, int expect)
{
	char q[512];
	(void)expect;
	lab_quote_(s, q, sizeof q);
	lab_show_line_(call, q, 0);
	errno = err;
}

static inline void lab_show_ptr_(const char *call, const void *p, int err, int expect)
{
	char q[64];
	(void)expect;
	if (p)
		snprintf(q, sizeof q, "%p", p);
	else
		snprintf(q, sizeof q, "NULL");
	lab_show_line_(call, q, 0);
	errno = err;
}

/* Chooses the printer by the type of the call's value: a string is quoted,
 * another pointer printed as one, anything else as an integer. */
#define LAB_SHOW_END_(call, r, err, expect) _Generic((r),                         \
	char *: lab_show_str_(call, (const char *)(intptr_t)(r), err, expect),    \
	const char *: lab_show_str_(call, (const char *)(intptr_t)(r), err, expect), \
	void *: lab_show_ptr_(call, (const void *)(intptr_t)(r), err, expect),    \
	const void *: lab_show_ptr_(call, (const void *)(intptr_t)(r), err, expect), \
	default: lab_show_end_(call, (long)(r), err, expect))

/* GNU statement expression: evaluates the call once, keeps its type. */
#define SHOW(call) ({                                        \
	lab_show_begin_(#call);                               \
	__typeof__(call) lab_r_ = LAB_ON_FD_(call);           \
	int lab_e_ = errno;                                   \
	lab_want_fd_ = 0;                                     \
	LAB_SHOW_END_(#call, lab_r_, lab_e_, 0);              \
	lab_r_;                                               \
})

#define SHOW_FAILS(call, err) ({                             \
	lab_show_begin_(#call);                               \
	__typeof__(call) lab_r_ = LAB_ON_FD_(call);           \
	int lab_e_ = errno;                                   \
	lab_want_fd_ = 0;                                     \
	LAB_SHOW_END_(#call, lab_r_, lab_e_, (err));          \
	lab_r_;                                               \
})

/* --- values as strace prints them ----------------------------------------------- */

struct lab_flag_ { unsigned long bit; const char *name; };

/* "A|B|0x40", or "0" when none is set. */
static inline void lab_flags_(unsigned long v, const struct lab_flag_ *t, size_t n,
			      char *out, size_t len)
{
	size_t k = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n; i++)
		if (t[i].bit && (v & t[i].bit) == t[i].bit) {
			k += (size_t)snprintf(out + k, k < len ? len - k : 0, "%s%s", k ? "|" : "", t[i].name);
			v &= ~t[i].bit;
		}
	if (v || !k)
		snprintf(out + k, k < len ? len - k : 0, "%s%#lx", k ? "|" : "", v);
	if (!k && !v)
		snprintf(out, len, "0");
}

#define LAB_F_(x) { (unsigned long)(x), #x }

/* A value, not a call: "EXPR = VALUE", printed and sent whole. */
static inline void lab_show_value_(const char *expr, const char *value)
{
	char line[LAB_MSG_MAX];

	snprintf(line, sizeof line, "%s = %s", expr, value);
	printf("%s\n", line);
	fflush(stdout);
	lab_event_(LAB_VERB_SHOW, line);
}

static inline void lab_show_poll_(const char *expr, unsigned long v)
{
	static const struct lab_flag_ t[] = {
		LAB_F_(POLLIN), LAB_F_(POLLPRI), LAB_F_(POLLOUT), LAB_F_(POLLERR),
		LAB_F_(POLLHUP), LAB_F_(POLLNVAL), LAB_F_(POLLRDNORM), LAB_F_(POLLRDBAND),
		LAB_F_(POLLWRNORM), LAB_F_(POLLWRBAND), LAB_F_(POLLMSG),
#ifdef POLLRDHUP
		LAB_F_(POLLRDHUP),
#endif
	};
	char buf[256];
	lab_flags_(v & 0xffff, t, sizeof t / sizeof t[0], buf, sizeof buf);
	lab_show_value_(expr, buf);
}

static inline void lab_show_epoll_(const char *expr, unsigned long v)
{
	static const struct lab_flag_ t[] = {
		LAB_F_(EPOLLIN), LAB_F_(EPOLLPRI), LAB_F_(EPOLLOUT), LAB_F_(EPOLLERR),
		LAB_F_(EPOLLHUP), LAB_F_(EPOLLRDNORM), LAB_F_(EPOLLRDBAND), LAB_F_(EPOLLWRNORM),
		LAB_F_(EPOLLWRBAND), LAB_F_(EPOLLMSG), LAB_F_(EPOLLRDHUP), LAB_F_(EPOLLEXCLUSIVE),
		LAB_F_(EPOLLWAKEUP), LAB_F_(EPOLLONESHOT), LAB_F_(EPOLLET),
	};
	char buf[256];
	lab_flags_(v & 0xffffffffUL, t, sizeof t / sizeof t[0], buf, sizeof buf);
	lab_show_value_(expr, buf);
}

static inline void lab_show_oflags_(const char *expr, long v)
{
	static const struct lab_flag_ t[] = {
		LAB_F_(O_WRONLY), LAB_F_(O_RDWR), LAB_F_(O_APPEND), LAB_F_(O_NONBLOCK),
		LAB_F_(O_ASYNC), LAB_F_(O_SYNC), LAB_F_(O_DIRECT), LAB_F_(O_NOATIME),
		LAB_F_(O_LARGEFILE),
	};
	char buf[256];
	if (v < 0) {
		lab_show_end_(expr, v, errno, 0);
		return;
	}
	lab_flags_((unsigned long)v, t, sizeof t / sizeof t[0], buf, sizeof buf);
	if (!strcmp(buf, "0"))
		snprintf(buf, sizeof buf, "O_RDONLY");
	lab_show_value_(expr, buf);
}

static inline void lab_show_errno_(const char *expr, long e)
{
	char buf[256];
	const char *name = e > 0 ? strerrorname_np((int)e) : NULL;
	if (e == 0)
		snprintf(buf, sizeof buf, "0");
	else if (name)
		snprintf(buf, sizeof buf, "%s (%s)", name, strerror((int)e));
	else
		snprintf(buf, sizeof buf, "%ld", e);
	lab_show_value_(expr, buf);
}

static inline void lab_show_tcp_state_(const char *expr, long st)
{
	char buf[32];
	if (st >= 0 && st < (long)(sizeof lab_state_names_ / sizeof lab_state_names_[0]))
		snprintf(buf, sizeof buf, "%s", lab_state_names_[st]);
	else
		snprintf(buf, sizeof buf, "%ld", st);
	lab_show_value_(expr, buf);
}

/* Each evaluates its argument once and gives it back; errno is kept. */
#define LAB_SHOW_AS_(fn, text, x) ({ __typeof__(x) lab_v_ = (x); int lab_e_ = errno; \
	fn(text, lab_v_); errno = lab_e_; lab_v_; })
#define SHOW_POLL(ev) LAB_SHOW_AS_(lab_show_poll_, #ev, ev)
#define SHOW_EPOLL(ev) LAB_SHOW_AS_(lab_show_epoll_, #ev, ev)
#define SHOW_OFLAGS(fl) LAB_SHOW_AS_(lab_show_oflags_, #fl, fl)
#define SHOW_ERRNO(e) LAB_SHOW_AS_(lab_show_errno_, #e, e)
#define SHOW_TCP_STATE(st) LAB_SHOW_AS_(lab_show_tcp_state_, #st, st)
#define SHOW_STR(s) ({ const char *lab_s_ = (s); int lab_e_ = errno; char lab_q_[512]; \
	lab_quote_(lab_s_, lab_q_, sizeof lab_q_); lab_show_value_(#s, lab_q_); errno = lab_e_; lab_s_; })

#endif
