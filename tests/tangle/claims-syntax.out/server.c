#line 4 "tests/tangle/claims-syntax.md"
#include "lab.h"
int main(void)
{
    lab_step("listening");
    lab_step("client looks");
    return 0;
}
