/* Prints to stdout and stderr, and a '<script>' for the escaping test. */
#include <stdio.h>
int main(int argc, char **argv)
{
	printf("out %s\n", argc > 1 ? argv[1] : "-");
	fprintf(stderr, "err <script>alert(1)</script>\n");
	return 3;
}
