#line 4 "tests/tangle/claims.md"
int main(void) { return 0; }
