#line 4 "tests/tangle/unused.md"
int main(void) { return 0; }
