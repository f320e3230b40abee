/* Dereferences NULL: a crash the report must name. */
#include <stdio.h>
int main(void)
{
	volatile int *p = NULL;
	fputs("about to crash\n", stderr);
	return *p;
}
