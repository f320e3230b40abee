#line 4 "tests/tangle/typeerror.md"
#include <stdio.h>

int main(void)
{
#line 18 "tests/tangle/typeerror.md"
    int ok = 1;
    char *s = 42.0;
    (void)ok; (void)s;
#line 9 "tests/tangle/typeerror.md"
    return 0;
}
