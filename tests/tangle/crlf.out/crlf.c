#line 4 "tests/tangle/crlf.md"
int a;
#line 9 "tests/tangle/crlf.md"
int b; /* line 9 */
