#line 7 "tests/tangle/basic.md"
#include <stdio.h>
#line 18 "tests/tangle/basic.md"
#include <string.h>
#line 9 "tests/tangle/basic.md"

int main(void)
{
#line 22 "tests/tangle/basic.md"
    int x = 9999;
    if (x) {
#line 35 "tests/tangle/basic.md"
    	printf("%d\n", x);

    	puts("tab-indented");
#line 25 "tests/tangle/basic.md"
    }
#line 31 "tests/tangle/basic.md"
    x++;
#line 13 "tests/tangle/basic.md"
    return 0;
}
