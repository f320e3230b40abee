/* init.c: one experiment, as pid 1 of its namespaces. */
#include "run.h"

/* --- one experiment, as pid 1 of its namespaces ------------------------------------ */

void write_results(struct run *r, const char *chapter)
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

void write_sysctls(const char *dir)
{
	static const char *const names[] = {
		"net/ipv4/tcp_fin_timeout", "net/ipv4/tcp_tw_reuse", "net/ipv4/tcp_ecn",
		"net/ipv4/tcp_timestamps", "net/ipv4/tcp_sack", "net/ipv4/tcp_window_scaling",
		"net/ipv4/tcp_syn_retries", "net/ipv4/tcp_orphan_retries", "net/ipv4/tcp_rmem",
		"net/ipv4/tcp_wmem", "net/ipv4/tcp_congestion_control",
		"net/ipv4/tcp_syn_linear_timeouts", "net/ipv4/tcp_synack_retries",
		"net/ipv4/tcp_retries2", "net/ipv4/tcp_keepalive_time",
		"net/ipv4/tcp_keepalive_intvl", "net/ipv4/tcp_keepalive_probes",
		"net/ipv4/tcp_rfc1337",
		/* the chapters' citations rely on these too (issue 17) */
		"net/ipv4/tcp_abort_on_overflow", "net/ipv4/tcp_syncookies",
		"net/ipv4/tcp_max_syn_backlog", "net/core/somaxconn",
		"net/ipv4/tcp_max_tw_buckets", "net/ipv4/tcp_tw_reuse_delay",
		"net/ipv4/ip_local_port_range",
		/* window scale (tcp_select_initial_window(), ch. 1); where a
		 * core dump goes (core(5), ch. 7): both the host's, read
		 * through the namespace */
		"net/core/rmem_max", "kernel/core_pattern",
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
			snprintf(out + k, sizeof out - k, "sysctl %s %s", name, strtrim(value));
			strcat(out, "\n");
		}
		fclose(f);
	}
	write_file(dir, "sysctl", out);
}

/* A program connected to a lab.h control socket. */
static void accept_conn(struct run *r, int lfd)
{
	int c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (c >= 0 && r->nconns < MAX_CONNS) {
		memset(&r->conns[r->nconns], 0, sizeof r->conns[0]);
		r->conns[r->nconns].fd = c;
		strcpy(r->conns[r->nconns].role, "?");
		r->nconns++;
	} else if (c >= 0) {
		close(c);
	}
}

/* The last event who sent (in the order the harness heard them: "started"
 * is stamped by the harness and may postdate the program's first events),
 * or NULL. */
static const struct event *last_event(const struct run *r, const char *who)
{
	const struct event *last = NULL;
	for (size_t i = 0; i < r->nevents; i++)
		if (!strcmp(r->events[i].who, who) && strncmp(r->events[i].text, "started ", 8) &&
		    (!last || last->seq < r->events[i].seq))
			last = &r->events[i];
	return last;
}

/* At the timeout: what each program still running was doing, in the
 * errors and the timeline, so that a hang names its cause. */
static void report_timeout(struct run *r, const char *chapter)
{
	const struct experiment *x = r->x;
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	for (int i = 0; i < x->nroles; i++) {
		const struct role *ro = &x->roles[i];
		const struct conn *c = NULL;
		const struct event *e = last_event(r, ro->name);
		char what[700] = "", line[800];
		if (ro->pid <= 0 || ro->done || ro->timed_out)
			continue;
		for (int k = 0; k < r->nconns && !c; k++)
			if (!strcmp(r->conns[k].role, ro->name))
				c = &r->conns[k];
		if (c && c->waiting[0]) {
			char w[560];
			wait_what(c, w, sizeof w);
			snprintf(what, sizeof what, "waiting for %s since %.6f s", w,
				 seconds_since(&r->t0, &c->wait_t));
		} else if (c && c->call)
			snprintf(what, sizeof what, "inside %s since %.6f s", c->call, seconds_since(&r->t0, &c->call_t));
		else
			snprintf(what, sizeof what, "running");
		add_error(r, "%s:%d: error: experiment '%s': role '%s' was %s at the %d s timeout; its last event: %s",
			  chapter, x->line, x->name, ro->name, what, x->timeout,
			  e ? e->text : "none");
		snprintf(line, sizeof line, "%s at the timeout", what);
		add_event(r, &now, ro->name, line)->wait = 1;
	}
}

int run_init(struct experiment *x, int dirfd, const char *chapter, int done_fd)
{
	struct run r;
	char msg[1024], dir[64];
	struct timespec deadline, now;
	sigset_t chld;
	int lfd = -1, sfd = -1;

	memset(&r, 0, sizeof r);
	r.x = x;
	r.dir = dir;

	if (sandbox_init(dirfd, dir, sizeof dir, msg, sizeof msg) < 0) {
		/* Not an experiment's failure: nothing may run unprotected. */
		fprintf(stderr, "%s: %s\n", progname, msg);
		return 3;
	}
	/* The namespace's own sysctls first: the wire's (wire.h) are the
	 * experiment's, recorded apart in RUNDIR/E/wire. */
	write_sysctls(dir);
	if (loopback_up(msg, sizeof msg) < 0 || wire_setup(&r, msg, sizeof msg) < 0) {
		add_error(&r, "%s:%d: error: experiment '%s': %s", chapter, x->line, x->name, msg);
		goto out;
	}

	/* The lab.h socket: abstract, so it exists only in this namespace. */
	{
		struct sockaddr_un a = { .sun_family = AF_UNIX };
		memcpy(a.sun_path + 1, LAB_CTL_NAME, strlen(LAB_CTL_NAME));
		lfd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		if (lfd < 0 || bind(lfd, (struct sockaddr *)&a,
				     (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(LAB_CTL_NAME))) < 0 ||
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
		struct pollfd p[3 + MAX_CONNS + 3];
		long long left = ms_until(&deadline);
		int np = 0, nc, wt;

		if (left <= 0) {
			report_timeout(&r, chapter);
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
		nc = r.nconns;
		/* The wire (wire.h): its queues, the right side's lab.h socket. */
		if (wire_peer_listener(r.wire) >= 0)
			p[np++] = (struct pollfd){ .fd = wire_peer_listener(r.wire), .events = POLLIN };
		np += wire_pollfds(r.wire, p + np, 2);
		wt = wire_timeout_ms(r.wire);
		if (left > 1000)
			left = 1000;
		if (wt >= 0 && wt < left)
			left = wt;
		if (poll(p, (nfds_t)np, (int)left) < 0 && errno != EINTR)
			break;
		wire_service(&r);
		if (wire_peer_listener(r.wire) >= 0 && (p[3 + nc].revents & POLLIN))
			accept_conn(&r, wire_peer_listener(r.wire));
		if (p[0].revents && capture_read(&r) > 0)
			release_waiters(&r);
		if (p[1].revents & POLLIN)
			accept_conn(&r, lfd);
		/* Messages before deaths: a program's last words come first. */
		for (int i = nc - 1; i >= 0; i--) {
			if (p[3 + i].revents) {
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
	settle_sockets(&r);
	snapshot_sockets(&r, "all programs ended", NULL);
out:
	wire_finish(&r);
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
	wire_free(r.wire);
	settle_release(&r.settle);
	return r.errors[0] ? 1 : 0;
}
