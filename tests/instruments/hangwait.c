/* Waits for a packet that never comes: the timeout must name the wait. */
#include "lab.h"
int main(void)
{
	SHOW(socket(AF_INET, SOCK_STREAM, 0));
	lab_wait_packet("Flags [never]");
	return 0;
}
