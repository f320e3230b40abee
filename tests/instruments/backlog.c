/* A listener with backlog 1 and two connections nobody accepts; argv[1]
 * "server" or "client". */
#include "lab.h"
#include <netinet/in.h>
int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(9999),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	if (argc > 1 && !strcmp(argv[1], "server")) {
		int lfd = SHOW(socket(AF_INET, SOCK_STREAM, 0));
		SHOW(bind(lfd, (struct sockaddr *)&a, sizeof a));
		SHOW(listen(lfd, 1));
		lab_step("listening");
		lab_wait("queued");
		return 0;
	}
	lab_wait("listening");
	int c1 = SHOW(socket(AF_INET, SOCK_STREAM, 0));
	SHOW(connect(c1, (struct sockaddr *)&a, sizeof a));
	lab_wait_packet("Flags [.], ack 1,");
	lab_step("queued");
	return 0;
}
