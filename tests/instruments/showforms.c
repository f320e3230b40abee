/* lab.h's SHOW forms, each printed as strace prints it. */
#include "lab.h"
#include <netinet/in.h>
#include <netinet/tcp.h>
int main(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(9),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = SHOW(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
	SHOW_FAILS(connect(fd, (struct sockaddr *)&a, sizeof a), EINPROGRESS);
	struct pollfd p = { fd, POLLIN | POLLOUT | POLLRDHUP, 0 };
	SHOW(poll(&p, 1, 1000));
	SHOW_POLL(p.revents);
	int e = 0;
	socklen_t l = sizeof e;
	SHOW(getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &l));
	SHOW_ERRNO(e);
	SHOW(strerror(e));
	SHOW_FAILS(connect(fd, (struct sockaddr *)&a, sizeof a), EINPROGRESS);
	SHOW_OFLAGS(fcntl(fd, F_GETFL));
	struct tcp_info ti;
	l = sizeof ti;
	SHOW(getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &l));
	SHOW_TCP_STATE(ti.tcpi_state);
	SHOW_EPOLL((unsigned)(EPOLLIN | EPOLLRDHUP));
	SHOW_STR("a \"q\"\n");
	return 0;
}
