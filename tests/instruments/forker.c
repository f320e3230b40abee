/* Two children, one named: each its own role and output. */
#include "lab.h"
#include <sys/wait.h>
int main(void)
{
	printf("parent before the forks\n");	/* buffered: printed once */
	pid_t a = SHOW(fork());
	if (a == 0) {
		printf("first child\n");
		SHOW(getppid() > 0);
		return 3;
	}
	SHOW(waitpid(a, NULL, 0));
	pid_t b = fork();
	if (b == 0) {
		lab_name("worker");
		printf("second child\n");
		lab_step("worker ran");
		return 4;
	}
	SHOW(waitpid(b, NULL, 0));
	printf("parent after the children\n");
	return 0;
}
