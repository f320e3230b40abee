#line 6 "tests/tangle/unterminated.md"
int a;

