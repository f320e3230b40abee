/* Leaves a grandchild behind that would live for a minute: the pid
 * namespace must end it with the experiment. */
#include "lab.h"
#include <signal.h>
int main(void)
{
	if (fork() == 0) {
		for (int i = 0; i < 600; i++)
			usleep(100000);
		_exit(0);
	}
	lab_step("forked");
	return 0;
}
