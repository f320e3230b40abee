/* Writes to a socket whose peer is gone, with SIGPIPE at its default. */
#include "lab.h"
#include <sys/socket.h>
int main(void)
{
	int sv[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	close(sv[1]);
	SHOW(send(sv[0], "x", 1, 0));
	puts("not reached");
	return 0;
}
