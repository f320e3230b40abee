/* Prints what differs on every run: the determinism check must say so. */
#include "lab.h"
int main(void)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	printf("now %ld\n", t.tv_nsec);
	SHOW(getpid() > 0);
	return 0;
}
