/* labserver.c: the harness side of the lab.h protocol (code/lab/labproto.h):
 * steps, waits and forked children. */
#include "run.h"

/* --- steps and waits ---------------------------------------------------------------- */

int step_posted(struct run *r, const char *name)
{
	for (int i = 0; i < r->nsteps; i++)
		if (!strcmp(r->steps[i], name))
			return 1;
	return 0;
}

int packet_seen(struct run *r, const char *text, int n)
{
	int k = 0;
	for (size_t i = 0; i < r->npackets && k < n; i++)
		k += strstr(r->packets[i], text) != NULL;
	return k >= n;
}

void wait_what(const struct conn *c, char *out, size_t len)
{
	if (c->wait_packet > 1)
		snprintf(out, len, "%d packets '%s'", c->wait_packet, c->waiting);
	else
		snprintf(out, len, "%s '%s'", c->wait_packet ? "packet" : "step", c->waiting);
}

/* Waits until the sockets have processed what the capture saw (settle.h);
 * a socket that does not within SETTLE_MS is noted in the timeline. */
int settle_sockets(struct run *r)
{
	char msg[512];
	int k = settle_wait(&r->settle, SETTLE_MS, msg, sizeof msg);
	if (k != 0) {
		struct timespec now;
		clock_gettime(CLOCK_REALTIME, &now);
		add_event(r, &now, "harness", msg);
	}
	return k;
}

/* Answers every blocked program whose wait now holds. A program waiting
 * for a packet is released once the socket it goes to has processed it. */
void release_waiters(struct run *r)
{
	int settled = 0;

	for (int i = 0; i < r->nconns; i++) {
		struct conn *c = &r->conns[i];
		char line[600];
		struct timespec now;
		if (!c->waiting[0])
			continue;
		if (!(c->wait_packet ? packet_seen(r, c->waiting, c->wait_packet) : step_posted(r, c->waiting)))
			continue;
		if (c->wait_packet && !settled) {
			settle_sockets(r);
			settled = 1;
		}
		clock_gettime(CLOCK_REALTIME, &now);
		char what[560];
		wait_what(c, what, sizeof what);
		snprintf(line, sizeof line, "wait for %s satisfied", what);
		add_event(r, &now, c->role, line)->wait = 1;
		c->waiting[0] = '\0';
		send(c->fd, LAB_REPLY_GO, strlen(LAB_REPLY_GO), MSG_NOSIGNAL);
	}
}

/* Where the other programs are when one of them announces a step: the
 * snapshot is consistent with a program held in a wait; one in a call or
 * running between calls may move while it is taken (AUTHORING.md). */
static void others_at_step(const struct run *r, const struct conn *self, char *out, size_t len)
{
	size_t k = 0;
	out[0] = '\0';
	for (int i = 0; i < r->x->nroles; i++) {
		const struct role *ro = &r->x->roles[i];
		const struct conn *c = NULL;
		if (ro->pid <= 0 || ro->done || !strcmp(ro->name, self->role))
			continue;
		for (int j = 0; j < r->nconns && !c; j++)
			if (!strcmp(r->conns[j].role, ro->name))
				c = &r->conns[j];
		if (c && c->waiting[0])
			continue;
		if (k < len)
			k += (size_t)snprintf(out + k, len - k, "%s%s %s%s", k ? ", " : "; while ", ro->name,
					      c && c->call ? "is in " : "runs on",
					      c && c->call ? c->call : "");
	}
}

void drop_conn(struct run *r, int i)
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

/* --- forked children ------------------------------------------------------------------- */

/* A child's files: '/' in its role becomes '.' ("client/1" -> client.1). */
void role_file(const char *role, const char *ext, char *out, size_t len)
{
	snprintf(out, len, "%s.%s", role, ext);
	for (char *p = out; *p; p++)
		if (*p == '/')
			*p = '.';
}

/* A child said hello: it gets a section of its own and its own output
 * files, passed to it with SCM_RIGHTS (lab.h's lab_child_start_). */
static void adopt_child(struct run *r, struct conn *c)
{
	char path[PATH_MAX], name[160], byte = 0;
	int fds[2], known = 0;
	union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof fds)]; } u;
	struct iovec iov = { &byte, 1 };
	struct msghdr m;

	for (int i = 0; i < r->nchildren; i++)
		known |= !strcmp(r->children[i], c->role);
	if (!known && r->nchildren < MAX_CHILDREN) {
		char role[sizeof c->role];
		memcpy(role, c->role, sizeof role);
		snprintf(r->children[r->nchildren++], sizeof r->children[0], "%s", role);
	}
	role_file(c->role, "stdout", name, sizeof name);
	snprintf(path, sizeof path, "%s/%s", r->dir, name);
	fds[0] = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	role_file(c->role, "stderr", name, sizeof name);
	snprintf(path, sizeof path, "%s/%s", r->dir, name);
	fds[1] = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	memset(&m, 0, sizeof m);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	if (fds[0] >= 0 && fds[1] >= 0) {
		m.msg_control = u.buf;
		m.msg_controllen = sizeof u.buf;
		struct cmsghdr *h = CMSG_FIRSTHDR(&m);
		h->cmsg_level = SOL_SOCKET;
		h->cmsg_type = SCM_RIGHTS;
		h->cmsg_len = CMSG_LEN(sizeof fds);
		memcpy(CMSG_DATA(h), fds, sizeof fds);
	} else {
		add_error(r, "cannot open the output files of '%s': %s", c->role, strerror(errno));
	}
	/* The child blocks until this arrives; without files it keeps its
	 * parent's output. */
	sendmsg(c->fd, &m, MSG_NOSIGNAL);
	if (fds[0] >= 0)
		close(fds[0]);
	if (fds[1] >= 0)
		close(fds[1]);
}

/* lab_name(): the child's section, events and files take its new name
 * (its open files stay valid through rename(2)). */
static void rename_child(struct run *r, struct conn *c, const char *name)
{
	char from[160], to[160], a[PATH_MAX], b[PATH_MAX], old[sizeof c->role];
	static const char *const ext[] = { "stdout", "stderr" };

	if (!strchr(c->role, '/') || !strchr(name, '/') || strlen(name) >= sizeof c->role)
		return;
	memcpy(old, c->role, sizeof old);
	for (int k = 0; k < 2; k++) {
		role_file(old, ext[k], from, sizeof from);
		role_file(name, ext[k], to, sizeof to);
		snprintf(a, sizeof a, "%s/%s", r->dir, from);
		snprintf(b, sizeof b, "%s/%s", r->dir, to);
		if (rename(a, b) < 0)
			add_error(r, "cannot rename '%s' to '%s': %s", a, b, strerror(errno));
	}
	for (int i = 0; i < r->nchildren; i++)
		if (!strcmp(r->children[i], old))
			snprintf(r->children[i], sizeof r->children[i], "%s", name);
	for (size_t i = 0; i < r->nevents; i++)
		if (!strcmp(r->events[i].who, old))
			snprintf(r->events[i].who, sizeof r->events[i].who, "%s", name);
	snprintf(c->role, sizeof c->role, "%s", name);
}

/* --- one message ------------------------------------------------------------------------ */

/* Handles one message from a program; returns -1 when the peer is gone. */
int serve_conn(struct run *r, int i)
{
	struct conn *c = &r->conns[i];
	char msg[LAB_MSG_MAX + 1], *verb, *text, *p;
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

	if (!strcmp(verb, LAB_VERB_HELLO)) {
		/* "ROLE PID"; a child's ROLE is "PARENT/N" */
		char *sp = strrchr(text, ' ');
		if (sp && sp[1]) {
			c->pid = strtol(sp + 1, NULL, 10);
			*sp = '\0';
		}
		snprintf(c->role, sizeof c->role, "%s", text);
		if (strchr(c->role, '/'))
			adopt_child(r, c);
	} else if (!strcmp(verb, LAB_VERB_NAME)) {
		rename_child(r, c, text);
	} else if (!strcmp(verb, LAB_VERB_SHOW) || !strcmp(verb, LAB_VERB_EXPECT)) {
		/* Placed at the call's start, as strace does; write_timeline
		 * splits it when something happened while it ran. */
		size_t added = (size_t)-1;
		if (c->call && !strncmp(text, c->call, strlen(c->call))) {
			struct event *e = add_event(r, &c->call_t, c->role, text);
			e->end = t;
			e->has_end = 1;
			e->call_len = strlen(c->call);
			add_call(r, c, text, e->call_len, &t);
			added = r->ncalls - 1;
		} else {
			add_event(r, &t, c->role, text);
		}
		free(c->call);
		c->call = NULL;
		/* With a wire the program waits (labproto.h, LAB_ENV_SYNC):
		 * every packet its call queued was queued before this message
		 * was sent, so reading the queues now reads them all; the call
		 * counts as running until then (calls.txt). */
		if (r->wire) {
			struct timespec now;
			wire_service(r);
			clock_gettime(CLOCK_REALTIME, &now);
			if (added != (size_t)-1)
				r->calls[added].until = now;
			send(c->fd, LAB_REPLY_GO, strlen(LAB_REPLY_GO), MSG_NOSIGNAL);
			release_waiters(r);
		}
	} else if (!strcmp(verb, LAB_VERB_CALL)) {
		free(c->call);
		c->call = xstrdup(text);
		c->call_t = c->call_h = t;
		c->has_on = 0;
		/* With a wire the program waits (labproto.h): what was queued
		 * before the call is read now, before the call counts as begun. */
		if (r->wire) {
			wire_service(r);
			clock_gettime(CLOCK_REALTIME, &c->call_h);
			send(c->fd, LAB_REPLY_GO, strlen(LAB_REPLY_GO), MSG_NOSIGNAL);
			release_waiters(r);
		}
	} else if (!strcmp(verb, LAB_VERB_STATE)) {
		free(c->state);
		c->state = xstrdup(text);
	} else if (!strcmp(verb, LAB_VERB_FD)) {
		char *end;
		long fd = strtol(text, &end, 10);
		if (end != text && !*end && fd >= -1 && fd < 1 << 20) {
			c->has_on = 1;
			c->on_fd = (int)fd;
		}
	} else if (!strcmp(verb, LAB_VERB_AFTER)) {
		free(c->after);
		c->after = xstrdup(text);
	} else if (!strcmp(verb, LAB_VERB_STEP)) {
		char line[600], note[1024];
		snprintf(line, sizeof line, "step '%s'", text);
		add_event(r, &t, c->role, line);
		if (!step_posted(r, text) && r->nsteps < MAX_STEPS)
			r->steps[r->nsteps++] = xstrdup(text);
		wire_step(r, text);	/* blackholes, injections (wire.h) */
		settle_sockets(r);
		others_at_step(r, c, note, sizeof note);
		snapshot_sockets(r, text, note);
		send(c->fd, LAB_REPLY_GO, strlen(LAB_REPLY_GO), MSG_NOSIGNAL);	/* the step is a barrier */
		release_waiters(r);
	} else if (!strcmp(verb, LAB_VERB_WAIT) || !strcmp(verb, LAB_VERB_PACKET) ||
		   !strcmp(verb, LAB_VERB_PACKETS)) {
		char line[600], what[560];
		c->wait_packet = !strcmp(verb, LAB_VERB_PACKET);
		if (!strcmp(verb, LAB_VERB_PACKETS)) {
			/* "N TEXT"; an N out of range is the program's error,
			 * said in the timeline, and waits for one */
			char *end;
			long n = strtol(text, &end, 10);
			if (end == text || *end != ' ' || n < 1 || n > LAB_PACKETS_MAX) {
				snprintf(line, sizeof line,
					 "lab_wait_packets: the count must be 1 to %d, not '%.40s'; waiting for one",
					 LAB_PACKETS_MAX, text);
				add_event(r, &t, c->role, line);
				n = 1;
				end = strchrnul(text, ' ');
			}
			c->wait_packet = (int)n;
			text = *end ? end + 1 : end;
		}
		c->wait_t = t;
		snprintf(c->waiting, sizeof c->waiting, "%s", text);
		wait_what(c, what, sizeof what);
		snprintf(line, sizeof line, "wait for %s", what);
		add_event(r, &t, c->role, line)->wait = 1;
		release_waiters(r);
	}
	return 0;
}
