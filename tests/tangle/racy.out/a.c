#line 4 "tests/tangle/racy.md"
int main(void) { return 0; }
