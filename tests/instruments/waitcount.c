/* lab_wait_packets(): the client sends three bytes one at a time; the
 * server waits for the second and third data segments by count, then for
 * a fourth that never comes (argv[1] "server", "client", or "badcount"). */
#include "lab.h"
#include <netinet/in.h>
int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(9999),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	const char *me = argc > 1 ? argv[1] : "";
	if (!strcmp(me, "badcount")) {
		lab_wait_packets("Flags [S]", 0);	/* not a count: said, waits for one */
		lab_step("after");
		return 0;
	}
	if (!strcmp(me, "server")) {
		int lfd = SHOW(socket(AF_INET, SOCK_STREAM, 0));
		SHOW(bind(lfd, (struct sockaddr *)&a, sizeof a));
		SHOW(listen(lfd, 1));
		lab_step("listening");
		int fd = SHOW(accept(lfd, NULL, NULL));
		lab_wait_packets("> 127.0.0.1.9999: Flags [P.]", 2);
		lab_step("two");
		lab_wait_packets("> 127.0.0.1.9999: Flags [P.]", 3);
		lab_step("three");
		lab_wait_packets("> 127.0.0.1.9999: Flags [P.]", 4);
		SHOW(close(fd));
		return 0;
	}
	lab_wait("listening");
	int fd = SHOW(socket(AF_INET, SOCK_STREAM, 0));
	SHOW(connect(fd, (struct sockaddr *)&a, sizeof a));
	for (int i = 0; i < 3; i++) {
		char step[8] = { 's', (char)('1' + i), 0 };
		SHOW(send(fd, "x", 1, 0));
		lab_wait_packets(": Flags [.], ack", 2 + i);	/* its ACK */
		lab_step(step);
	}
	lab_wait("never");
	return 0;
}
