/* A connection the server closes first, so that its side is in TIME_WAIT
 * at the step "closed"; argv[1] "server" or "client". */
#include "lab.h"
#include <netinet/in.h>
int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(9999),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	char buf[8];
	if (argc > 1 && !strcmp(argv[1], "server")) {
		int lfd = SHOW(socket(AF_INET, SOCK_STREAM, 0));
		SHOW(bind(lfd, (struct sockaddr *)&a, sizeof a));
		SHOW(listen(lfd, 1));
		lab_step("listening");
		int fd = SHOW(accept(lfd, NULL, NULL));
		SHOW(close(lfd));
		SHOW(close(fd));
		lab_wait_packet(": Flags [.], ack 2,");
		lab_step("closed");
		return 0;
	}
	lab_wait("listening");
	int fd = SHOW(socket(AF_INET, SOCK_STREAM, 0));
	SHOW(connect(fd, (struct sockaddr *)&a, sizeof a));
	SHOW(recv(fd, buf, sizeof buf, 0));
	lab_wait_packet("9999: Flags [.], ack 2,");
	SHOW(close(fd));
	lab_wait("closed");
	return 0;
}
