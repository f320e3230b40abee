/* Waits for a step nobody announces: the harness must kill it. */
#include "lab.h"
int main(void)
{
	puts("waiting");
	fflush(stdout);
	lab_wait("never");
	return 0;
}
