#line 2 "tests/tangle/claims-crlf.md"
int main(void) { return 0; }
