/* labserver.c: the harness side of the lab.h protocol: steps and waits. */
#include "run.h"

/* --- steps and waits (the lab.h protocol) ---------------------------------------- */

int step_posted(struct run *r, const char *name)
{
	for (int i = 0; i < r->nsteps; i++)
		if (!strcmp(r->steps[i], name))
			return 1;
	return 0;
}

int packet_seen(struct run *r, const char *text)
{
	for (size_t i = 0; i < r->npackets; i++)
		if (strstr(r->packets[i], text))
			return 1;
	return 0;
}

/* Answers every blocked program whose wait now holds. */
void release_waiters(struct run *r)
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

/* Handles one message from a program; returns -1 when the peer is gone. */
int serve_conn(struct run *r, int i)
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
		wire_step(r, text);	/* blackholes, injections (wire.h) */
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
